/*
 * kernel/boot.c: booting a machine (mmsim_system_create) and taking it down.
 *
 * Steps, as Linux's start_kernel() orders them where it matters here:
 *  1. RAM, the memory map and zones (pgdat_create: memblock, free_area_init, watermarks);
 *  2. slab caches for kernel objects (kmem_cache_init and the mm caches);
 *  3. the shared zero page;
 *  4. the kernel page tables (init_mm.pgd): the direct map of all RAM with 1 GiB/2 MiB
 *     pages, the kernel text, and (classic layout) the vsyscall page, all global;
 *  5. the CPU: CR0.WP, EFER.NXE, CR4.SMEP/SMAP, CR4.PCIDE, LA57 as configured, and the TLB;
 *  6. the swap area and reclaim with its replacement policy.
 */
#include <errno.h>
#include <assert.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arch/x86_64/pte.h"
#include "arch/x86_64/ptbuild.h"
#include "arch/x86_64/tlb.h"
#include "kernel/system.h"
#include "mm/filemap.h"
#include "mm/check.h"
#include "mm/compaction.h"
#include "mm/gfp.h"
#include "mm/huge_memory.h"
#include "mm/khugepaged.h"
#include "mm/page.h"
#include "mm/page_alloc.h"
#include "mm/pcp.h"
#include "mm/pgdat.h"
#include "mm/pgtable.h"
#include "mm/policy.h"
#include "mm/rmap.h"
#include "mm/slab.h"
#include "mm/swap.h"
#include "mm/vmscan.h"

static_assert(MMSIM_RECLAIM_BATCH_PAGES == SWAP_CLUSTER_MAX, "the public batch is vmscan's");

/* Linux: a CPU of the last decade reports 46 physical-address bits (39 to 52 exist). */
#define BOOT_MAXPHYADDR 46u

/* __PAGE_KERNEL and friends (arch/x86/include/asm/pgtable_types.h). */
#define PAGE_KERNEL_FLAGS (X86_PTE_RW | X86_PTE_A | X86_PTE_D | X86_PTE_G | X86_PTE_XD)
#define PAGE_KERNEL_ROX_FLAGS (X86_PTE_A | X86_PTE_D | X86_PTE_G)
#define PAGE_VSYSCALL_FLAGS (X86_PTE_US | X86_PTE_A | X86_PTE_G)

static int kernel_table_alloc(void *ctx, paddr_t *pa_out)
{
	struct mmsim_system *sys = ctx;
	pfn_t pfn;
	int err = pgtable_alloc_table(&sys->core, NULL, &pfn);

	if (err)
		return err;
	*pa_out = X86_PFN_TO_PADDR(pfn);
	return 0;
}

/* Step 4. */
static int build_kernel_tables(struct mmsim_system *sys)
{
	const struct x86_pt_alloc alloc = { .alloc_table = kernel_table_alloc, .ctx = sys };
	struct x86_pt_ctx ctx = {
		.pm = &sys->pm,
		.levels = sys->cpu.levels,
		.maxphyaddr = sys->cpu.maxphyaddr,
		.root = sys->kernel_pgd,
		.table_flags = PGTABLE_KERNEL_TABLE_FLAGS,
		.alloc = &alloc,
	};
	uint64_t ram = sys->pm.size_bytes;
	uint64_t gb = UINT64_C(1) << X86_PUD_SHIFT, mb2 = UINT64_C(1) << X86_PMD_SHIFT;
	paddr_t pa;
	int err;

	/* The direct map: 1 GiB pages where a whole aligned GiB is RAM, else 2 MiB, else 4 KiB. */
	for (pa = 0; pa < ram;) {
		unsigned int shift = X86_PAGE_SHIFT;

		if (!(pa & (gb - 1)) && pa + gb <= ram)
			shift = X86_PUD_SHIFT;
		else if (!(pa & (mb2 - 1)) && pa + mb2 <= ram)
			shift = X86_PMD_SHIFT;
		err = x86_pt_map(&ctx, sys->layout.page_offset + pa, pa, shift, PAGE_KERNEL_FLAGS);
		if (err)
			return err;
		sys->direct_pages[shift == X86_PUD_SHIFT ? 2 : shift == X86_PMD_SHIFT ? 1 : 0]++;
		pa += UINT64_C(1) << shift;
	}
	/* The kernel image, read-only and executable, in 2 MiB pages (__START_KERNEL_map). */
	{
		paddr_t start = X86_PFN_TO_PADDR(sys->pgdat->kernel_start_pfn) & ~(mb2 - 1);
		paddr_t end =
			X86_PFN_TO_PADDR(sys->pgdat->kernel_start_pfn + sys->pgdat->kernel_pages);

		for (pa = start; pa < end; pa += mb2) {
			err = x86_pt_map(&ctx, sys->layout.kernel_text + pa, pa, X86_PMD_SHIFT,
					 PAGE_KERNEL_ROX_FLAGS);
			if (err)
				return err;
		}
	}
	/* Old kernels (vsyscall=native) mapped the vsyscall page for user read and execute;
	 * today's default (vsyscall=xonly) leaves it unmapped and emulates calls. */
	if (sys->layout.kind == LAYOUT_CLASSIC) {
		ctx.table_flags = PGTABLE_KERNEL_TABLE_FLAGS | X86_PTE_US;
		err = x86_pt_map(&ctx, sys->layout.vsyscall,
				 X86_PFN_TO_PADDR(sys->pgdat->kernel_start_pfn), X86_PAGE_SHIFT,
				 PAGE_VSYSCALL_FLAGS);
		if (err)
			return err;
	}
	return 0;
}

static int boot_fail(struct mmsim_system *sys, struct mmsim_error *err, int code, const char *what)
{
	mmsim_system_destroy(sys);
	return mmsim_error_set(err, code, "boot: %s", what);
}

int mmsim_system_create(const struct mmsim_config *c, struct mmsim_system **out,
			struct mmsim_error *err)
{
	struct mmsim_system *sys;
	struct tlb_config tcfg;
	pfn_t pfn;
	int rc;

	sys = calloc(1, sizeof(*sys));
	if (!sys)
		return mmsim_error_set(err, -ENOMEM, "boot: out of host memory");
	sys->cfg = *c;
	snprintf(sys->cfg.reclaim, sizeof(sys->cfg.reclaim), "%s", mmsim_config_reclaim(c));
	sys->next_pid = 1;
	sys->next_pcid = 1;
	if (layout_init(&sys->layout, c->layout)) {
		free(sys);
		return mmsim_error_set(err, -EINVAL, "layout=%s: want classic, modern or la57",
				       c->layout);
	}
	if (c->levels != sys->layout.levels) {
		unsigned int want = sys->layout.levels;

		free(sys);
		return mmsim_error_set(err, -EINVAL, "levels=%u does not fit layout=%s (%u levels)",
				       c->levels, c->layout, want);
	}
	{
		const struct policy_ops *ops;
		uint64_t param[POLICY_MAX_PARAMS];
		char why[256];

		if (policy_parse(c->policy, &ops, param, why, sizeof(why))) {
			free(sys);
			return mmsim_error_set(err, -EINVAL, "%s", why);
		}
	}
	if (strcmp(sys->cfg.reclaim, "linux") && strcmp(sys->cfg.reclaim, "demand")) {
		free(sys);
		return mmsim_error_set(err, -EINVAL, "reclaim=%s: want linux or demand",
				       c->reclaim);
	}
	if (c->frames > c->mem_bytes / X86_PAGE_SIZE) {
		free(sys);
		return mmsim_error_set(err, -EINVAL,
				       "frames=%" PRIu64 ": more than the %" PRIu64
				       " frames of RAM (mem=%" PRIu64 "M); give fewer frames or "
				       "more mem",
				       c->frames, c->mem_bytes / X86_PAGE_SIZE, c->mem_bytes >> 20);
	}
	rc = tlb_config_parse(c->tlb[0] ? c->tlb : "skylake", &tcfg, err);
	if (rc) {
		free(sys);
		return rc;
	}
	/* Linux pti=auto: isolation on the CPUs Meltdown affects (kernel/pti.c). */
	if (sys->cfg.kpti == MMSIM_KPTI_AUTO)
		sys->cfg.kpti = tcfg.meltdown ? MMSIM_KPTI_ON : MMSIM_KPTI_OFF;
	if (sys->cfg.kpti != MMSIM_KPTI_ON && sys->cfg.kpti != MMSIM_KPTI_OFF) {
		int bad = (int)sys->cfg.kpti;

		free(sys);
		return mmsim_error_set(
			err, -EINVAL,
			"kpti=%d: want MMSIM_KPTI_OFF, MMSIM_KPTI_ON or MMSIM_KPTI_AUTO", bad);
	}

	if (c->swappiness > 200)
		return boot_fail(sys, err, -EINVAL, "swappiness above 200");
	if (c->mem_bytes == 0 || c->mem_bytes % X86_PAGE_SIZE) {
		free(sys);
		return mmsim_error_set(err, -EINVAL,
				       "mem=%" PRIu64 ": want a positive multiple of 4096 bytes",
				       c->mem_bytes);
	}
	/* Step 1. */
	if (physmem_init(&sys->pm, c->mem_bytes, false)) {
		free(sys);
		return mmsim_error_set(err, -ENOMEM, "cannot reserve %llu bytes of simulated RAM",
				       (unsigned long long)c->mem_bytes);
	}
	rc = pgdat_create(&sys->pm, c->mem_bytes, &sys->pgdat);
	if (rc)
		return boot_fail(sys, err, rc, "cannot lay out the memory map");
	pcp_set_enabled(sys->pgdat, c->pcp);

	sys->cpu = (struct x86_cpu){
		.levels = sys->layout.levels,
		.maxphyaddr = BOOT_MAXPHYADDR,
		.wp = true,
		.nxe = true,
		.smep = true,
		.smap = true,
		.pcide = c->pcid,
		.pge = true,
	};
	sys->core = (struct mm_core){
		.pm = &sys->pm,
		.pgdat = sys->pgdat,
		.cpu = &sys->cpu,
		.data_mode = c->data_mode,
		.for_each_mm = system_for_each_mm,
		.thp = { .use_zero_page = true },
		.ra_pages = c->read_ahead_kb / (X86_PAGE_SIZE / 1024),
		.dirty_ratio = c->dirty_ratio,
		.dirty_background_ratio = c->dirty_background_ratio,
		.disk_latency_us = c->disk_us,
		.disk_kb_per_ms = c->disk_mbps * 1000 / 1024, /* MB/s -> KiB/ms (10^6 B/s) */
		.kpti = sys->cfg.kpti == MMSIM_KPTI_ON,
		.swappiness = c->swappiness,
		.anon_workingset = c->anon_workingset,
		.writeback_due = UINT64_MAX,
	};
	/* An empty setting (a config not from mmsim_config_default()) is the default. */
	if (thp_enabled_parse(c->thp[0] ? c->thp : "madvise", &sys->core.thp.enabled) ||
	    thp_defrag_parse(c->defrag[0] ? c->defrag : "madvise", &sys->core.thp.defrag))
		return boot_fail(sys, err, -EINVAL, "unknown thp= or defrag= setting");

	/* Step 2. */
	if (slab_cache_create(sys->pgdat, "task_struct", SLAB_LP64_SIZE(struct mmsim_task, 72), 64,
			      SLAB_HWCACHE_ALIGN | SLAB_MMSIM_SIZE, &sys->task_cache) ||
	    slab_cache_create(sys->pgdat, "mm_struct", SLAB_LP64_SIZE(struct mm_struct, 152), 64,
			      SLAB_HWCACHE_ALIGN | SLAB_MMSIM_SIZE, &sys->mm_cache) ||
	    slab_cache_create(sys->pgdat, "vm_area_struct", SLAB_LP64_SIZE(struct vma, 88), 8,
			      SLAB_MMSIM_SIZE, &sys->core.vma_cache) ||
	    slab_cache_create(sys->pgdat, "anon_vma", SLAB_LP64_SIZE(struct anon_vma, 24), 8,
			      SLAB_RECLAIM_ACCOUNT | SLAB_MMSIM_SIZE, &sys->core.anon_vma_cache))
		return boot_fail(sys, err, -ENOMEM, "cannot create the slab caches");
	sys->vma_alloc.vma_cache = sys->core.vma_cache;

	/* Step 3. */
	if (page_alloc(sys->pgdat, GFP_KERNEL | GFP_ZERO, 0, &pfn))
		return boot_fail(sys, err, -ENOMEM, "no memory for the zero page");
	page_flag_set(pgdat_page(sys->pgdat, pfn), PG_ZERO_PAGE);
	sys->core.zero_pfn = pfn;

	/* Step 4. */
	if (pgtable_alloc_table(&sys->core, NULL, &pfn))
		return boot_fail(sys, err, -ENOMEM, "no memory for the kernel page tables");
	sys->kernel_pgd = X86_PFN_TO_PADDR(pfn);
	sys->cpu.cr3 = sys->kernel_pgd;
	if (build_kernel_tables(sys))
		return boot_fail(sys, err, -ENOMEM, "no memory for the kernel page tables");

	/* Step 5. */
	if (tlb_create(&tcfg, &sys->tlb))
		return boot_fail(sys, err, -ENOMEM, "cannot create the TLB");
	sys->core.tlb = sys->tlb;

	/* Step 6: swap (swapon) and reclaim with its policy. */
	rc = swap_area_create(c->swap_bytes, c->data_mode, &sys->core.swap);
	if (rc)
		return boot_fail(sys, err, rc, "cannot set up the swap area");
	{
		const struct vmscan_config vc = {
			.policy = c->policy,
			.demand = !strcmp(sys->cfg.reclaim, "demand"),
			.frames_cap = c->frames,
			.seed = c->seed,
		};

		if (vmscan_init(&sys->core, &vc))
			return boot_fail(sys, err, -ENOMEM, "cannot set up reclaim");
	}
	{
		/* A config not from mmsim_config_default() may leave these 0: Linux's defaults. */
		const struct khugepaged_settings ks = {
			.pages_to_scan =
				c->khugepaged_pages_to_scan ? c->khugepaged_pages_to_scan : 4096,
			.scan_sleep_ms =
				c->khugepaged_pages_to_scan ? c->khugepaged_scan_sleep_ms : 10000,
			.max_ptes_none =
				c->khugepaged_pages_to_scan ? c->khugepaged_max_ptes_none : 511,
			.max_ptes_shared = HPAGE_PMD_NR / 2,
		};

		if (khugepaged_init(&sys->core, &ks))
			return boot_fail(sys, err, -ENOMEM, "cannot set up khugepaged");
	}
	compaction_init(&sys->core);
	*out = sys;
	return 0;
}

void mmsim_system_destroy(struct mmsim_system *sys)
{
	if (!sys)
		return;
	if (sys->core.event_cb || sys->cfg.paranoid) {
		/* Process by process, as exit_mmap() frees them: an event hook sees each free, and
		 * --paranoid checks every invariant after each exit. */
		while (sys->tasks)
			mmsim_task_exit(sys->tasks);
		filemap_fini(&sys->core);
	} else {
		/* Nothing can count the frees any more: host memory only (issue 15). */
		system_release_tasks(sys);
		filemap_release(&sys->core);
	}
	if (sys->core.policy)
		vmscan_fini(&sys->core);
	khugepaged_fini(&sys->core);
	swap_area_destroy(sys->core.swap);
	tlb_destroy(sys->tlb);
	pgdat_destroy(sys->pgdat);
	physmem_fini(&sys->pm);
	free(sys);
}

void mmsim_system_config(const struct mmsim_system *sys, struct mmsim_config *out)
{
	*out = sys->cfg;
}
