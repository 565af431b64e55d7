/*
 * report/meminfo.c: /proc/meminfo (Linux 6.x fs/proc/meminfo.c meminfo_proc_show(), then
 * mm/hugetlb.c hugetlb_report_meminfo() and arch/x86/mm/pat/set_memory.c
 * arch_report_meminfo()) and MemAvailable (mm/show_mem.c si_mem_available()).
 *
 * Each line is Linux's show_val_kb(): the label padded to 16 columns, the value in kB
 * right-aligned in 8, then " kB"; the HugePages_ counts are "%5lu" after a 19-column label.
 * The fields are those Linux 6.18 prints on x86-64 built as the reference kernel is
 * (tests/data/linux-6.18.44-fc-v1147/meminfo: CONFIG_ZSWAP and CONFIG_TRANSPARENT_HUGEPAGE
 * on; CONFIG_MEMORY_FAILURE, CONFIG_CMA, CONFIG_UNACCEPTED_MEMORY off, so no
 * HardwareCorrupted, CmaTotal/CmaFree or Unaccepted lines), in its order.
 * Where mmsim has nothing to count the value is 0, and docs/memory.md says why: no file
 * pages or buffers, no zswap, no vmalloc area in use (kernel stacks are not modelled),
 * no per-cpu areas, no balloon, no shmem or file huge pages, no hugetlb pool. AnonHugePages
 * is nr_anon_transparent_hugepages in kB (transparent huge pages, mm/huge_memory.h). Committed_AS,
 * VmallocTotal and DirectMap* are the model's own figures.
 *
 * MemAvailable, as si_mem_available() computes it:
 *     available = free - totalreserve_pages
 *               + pagecache - min(pagecache / 2, sum of low watermarks)
 *               + reclaimable slab - min(reclaimable / 2, sum of low watermarks)
 * with pagecache = active + inactive file pages; never below 0.
 */
#include "report/report.h"

#include "mm/huge_memory.h"
#include "mm/pgdat.h"
#include "mm/shmem.h"
#include "mm/vma.h"
#include "util/strbuf.h"

#define OVERCOMMIT_RATIO 50ul /* Linux vm.overcommit_ratio default */
#define HPAGE_PMD_KB 2048ul   /* Hugepagesize: the default hstate is 2 MiB on x86-64 */

static void show_val_kb(struct strbuf *sb, const char *label, unsigned long pages)
{
	strbuf_printf(sb, "%-16s%8lu kB\n", label, pages << (X86_PAGE_SHIFT - 10));
}

unsigned long report_mem_available(const struct pgdat *pgdat)
{
	const unsigned long *v = pgdat->vmstat;
	unsigned long wmark_low = 0, pagecache, reclaimable;
	long available;

	for (unsigned int t = 0; t < ZONE_NR_TYPES; t++)
		wmark_low += pgdat->zones[t].watermark[ZONE_WMARK_LOW];
	available = (long)v[VMSTAT_NR_FREE_PAGES] - (long)pgdat->totalreserve_pages;
	pagecache = v[VMSTAT_NR_ACTIVE_FILE] + v[VMSTAT_NR_INACTIVE_FILE];
	pagecache -= pagecache / 2 < wmark_low ? pagecache / 2 : wmark_low;
	available += (long)pagecache;
	reclaimable = v[VMSTAT_NR_SLAB_RECLAIMABLE];
	reclaimable -= reclaimable / 2 < wmark_low ? reclaimable / 2 : wmark_low;
	available += (long)reclaimable;
	return available < 0 ? 0 : (unsigned long)available;
}

unsigned long report_committed_pages(const struct mm_struct *mm)
{
	unsigned long pages = 0;

	if (!mm)
		return 0;
	for (const struct vma *v = mm->vma_first; v; v = v->next) {
		/* Linux: mmap_region() and brk charge VM_ACCOUNT VMAs, mprotect_fixup() charges
		 * a private mapping made writable; shmem_acct_size() charges a shared anonymous
		 * object's whole size once, when it is created (mm/shmem.c). */
		if (v->flags & VM_ACCOUNT)
			pages += (unsigned long)vma_pages(v);
		if (v->shmem && v->shmem->vmas == v)
			pages += (unsigned long)v->shmem->nr_pages;
	}
	return pages;
}

void report_meminfo(struct strbuf *sb, const struct pgdat *pgdat,
		    const struct report_meminfo_more *more)
{
	static const struct report_meminfo_more none;
	const struct report_meminfo_more *x = more ? more : &none;
	const unsigned long *v = pgdat->vmstat;
	long cached = (long)v[VMSTAT_NR_FILE_PAGES] - (long)v[VMSTAT_NR_SWAPCACHE];
	unsigned long sreclaimable = v[VMSTAT_NR_SLAB_RECLAIMABLE];
	unsigned long sunreclaim = v[VMSTAT_NR_SLAB_UNRECLAIMABLE];

	if (cached < 0)
		cached = 0;
	show_val_kb(sb, "MemTotal:", pgdat->totalram_pages);
	show_val_kb(sb, "MemFree:", v[VMSTAT_NR_FREE_PAGES]);
	show_val_kb(sb, "MemAvailable:", report_mem_available(pgdat));
	show_val_kb(sb, "Buffers:", 0);
	show_val_kb(sb, "Cached:", (unsigned long)cached);
	show_val_kb(sb, "SwapCached:", v[VMSTAT_NR_SWAPCACHE]);
	show_val_kb(sb, "Active:", v[VMSTAT_NR_ACTIVE_ANON] + v[VMSTAT_NR_ACTIVE_FILE]);
	show_val_kb(sb, "Inactive:", v[VMSTAT_NR_INACTIVE_ANON] + v[VMSTAT_NR_INACTIVE_FILE]);
	show_val_kb(sb, "Active(anon):", v[VMSTAT_NR_ACTIVE_ANON]);
	show_val_kb(sb, "Inactive(anon):", v[VMSTAT_NR_INACTIVE_ANON]);
	show_val_kb(sb, "Active(file):", v[VMSTAT_NR_ACTIVE_FILE]);
	show_val_kb(sb, "Inactive(file):", v[VMSTAT_NR_INACTIVE_FILE]);
	show_val_kb(sb, "Unevictable:", v[VMSTAT_NR_UNEVICTABLE]);
	show_val_kb(sb, "Mlocked:", v[VMSTAT_NR_MLOCK]);
	show_val_kb(sb, "SwapTotal:", x->swap_total_pages);
	show_val_kb(sb, "SwapFree:", x->swap_free_pages);
	show_val_kb(sb, "Zswap:", 0); /* mmsim: no zswap; as Linux with zswap disabled */
	show_val_kb(sb, "Zswapped:", 0);
	show_val_kb(sb, "Dirty:", v[VMSTAT_NR_FILE_DIRTY]);
	show_val_kb(sb, "Writeback:", v[VMSTAT_NR_WRITEBACK]);
	show_val_kb(sb, "AnonPages:", v[VMSTAT_NR_ANON_MAPPED]);
	show_val_kb(sb, "Mapped:", v[VMSTAT_NR_FILE_MAPPED]);
	show_val_kb(sb, "Shmem:", v[VMSTAT_NR_SHMEM]);
	show_val_kb(sb, "KReclaimable:", sreclaimable);
	show_val_kb(sb, "Slab:", sreclaimable + sunreclaim);
	show_val_kb(sb, "SReclaimable:", sreclaimable);
	show_val_kb(sb, "SUnreclaim:", sunreclaim);
	strbuf_printf(sb, "%-16s%8lu kB\n", "KernelStack:", v[VMSTAT_NR_KERNEL_STACK_KB]);
	show_val_kb(sb, "PageTables:", v[VMSTAT_NR_PAGETABLE]);
	show_val_kb(sb, "SecPageTables:", 0);
	show_val_kb(sb, "NFS_Unstable:", 0);
	show_val_kb(sb, "Bounce:", 0);
	show_val_kb(sb, "WritebackTmp:", 0);
	/* Linux vm_commit_limit(): totalram * overcommit_ratio / 100 + swap. */
	show_val_kb(sb, "CommitLimit:",
		    pgdat->totalram_pages * OVERCOMMIT_RATIO / 100 + x->swap_total_pages);
	show_val_kb(sb, "Committed_AS:", x->committed_pages);
	strbuf_printf(sb, "%-16s%8lu kB\n", "VmallocTotal:", x->vmalloc_total_kb);
	show_val_kb(sb, "VmallocUsed:", 0);  /* mmsim: nothing is vmalloc'ed */
	show_val_kb(sb, "VmallocChunk:", 0); /* Linux prints 0 since 5.3 */
	show_val_kb(sb, "Percpu:", 0);	     /* mmsim: no per-cpu areas */
	/* CONFIG_TRANSPARENT_HUGEPAGE lines: mmsim maps no huge page (THP "never"). */
	show_val_kb(sb, "AnonHugePages:", v[VMSTAT_NR_ANON_THPS] * HPAGE_PMD_NR);
	show_val_kb(sb, "ShmemHugePages:", 0);
	show_val_kb(sb, "ShmemPmdMapped:", 0);
	show_val_kb(sb, "FileHugePages:", 0);
	show_val_kb(sb, "FilePmdMapped:", 0);
	show_val_kb(sb, "Balloon:", 0);
	/* hugetlb_report_meminfo(): no hugetlb pool (vm.nr_hugepages = 0, the default). */
	strbuf_printf(sb, "HugePages_Total:   %5lu\n", 0ul);
	strbuf_printf(sb, "HugePages_Free:    %5lu\n", 0ul);
	strbuf_printf(sb, "HugePages_Rsvd:    %5lu\n", 0ul);
	strbuf_printf(sb, "HugePages_Surp:    %5lu\n", 0ul);
	strbuf_printf(sb, "Hugepagesize:   %8lu kB\n", HPAGE_PMD_KB);
	strbuf_printf(sb, "Hugetlb:        %8lu kB\n", 0ul);
	/* arch_report_meminfo(): direct_pages_count[] of the boot's direct map; the 1G line
	 * because mmsim maps with 1 GiB pages where it can (Linux: direct_gbpages). */
	strbuf_printf(sb, "DirectMap4k:    %8lu kB\n", x->directmap_pages[0] << 2);
	strbuf_printf(sb, "DirectMap2M:    %8lu kB\n", x->directmap_pages[1] << 11);
	strbuf_printf(sb, "DirectMap1G:    %8lu kB\n", x->directmap_pages[2] << 20);
}
