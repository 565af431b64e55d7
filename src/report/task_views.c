/*
 * report/task_views.c: /proc/PID/maps, smaps and status (see task_views.h).
 * Formats follow Linux 6.x: fs/proc/task_mmu.c (show_map_vma, show_smap, __show_smap)
 * and, for status, fs/proc/array.c proc_pid_status() (task_state(), task_sig(), task_cap(),
 * task_seccomp(), task_cpus_allowed(), task_context_switch_counts()) with task_mmu.c
 * task_mem(), in Linux 6.18's order for the reference kernel's configuration
 * (tests/data/linux-6.18.44-fc-v1147/status). Lines for what mmsim does not model (files,
 * credentials, signals, CPUs) show a fixed value; docs/kernel.md lists each and why.
 */
#include "report/task_views.h"

#include <string.h>

#include "arch/x86_64/physmem.h"
#include "arch/x86_64/pte.h"
#include "mm/core.h"
#include "mm/filemap.h"
#include "mm/anon.h"
#include "mm/huge_memory.h"
#include "mm/page.h"
#include "mm/pgtable.h"
#include "mm/shmem.h"
#include "mm/swap.h"
#include "mm/vma.h"
#include "util/strbuf.h"

/* The column where a mapping's name starts: 25 + 6 * sizeof(void *) - 1, plus one space. */
#define MAPS_NAME_COLUMN 72u

static const char *vma_name(const struct mm_struct *mm, const struct vma *v)
{
	if (v->start <= mm->start_brk && v->end >= mm->brk && v->start >= mm->start_brk &&
	    !(v->flags & VM_SHARED))
		return "[heap]";
	if (v->start <= mm->start_stack - 1 && v->end >= mm->start_stack)
		return "[stack]";
	if (v->shmem && v->shmem->file)
		return v->shmem->file->name;
	if (v->shmem)
		return "/dev/zero (deleted)";
	return NULL;
}

static void map_header(struct strbuf *sb, const struct mm_struct *mm, const struct vma *v)
{
	size_t line_start = sb->len;
	const char *name = vma_name(mm, v);

	strbuf_printf(sb, "%08llx-%08llx %c%c%c%c %08llx %02x:%02x %lu",
		      (unsigned long long)v->start, (unsigned long long)v->end,
		      v->flags & VM_READ ? 'r' : '-', v->flags & VM_WRITE ? 'w' : '-',
		      v->flags & VM_EXEC ? 'x' : '-', v->flags & VM_MAYSHARE ? 's' : 'p',
		      (unsigned long long)(v->shmem ? v->pgoff << X86_PAGE_SHIFT : 0),
		      v->shmem && v->shmem->file ? 8 : 0, v->shmem ? 1 : 0,
		      v->shmem ? v->shmem->ino : 0ul);
	if (name) {
		size_t used = sb->len - line_start;

		/* One write, not a loop on sb->len: a buffer out of host memory stops growing. */
		strbuf_printf(sb, "%*s",
			      (int)(used < MAPS_NAME_COLUMN ? MAPS_NAME_COLUMN - used : 0) + 1, "");
		strbuf_puts(sb, name);
	}
	strbuf_puts(sb, "\n");
}

void report_maps(struct strbuf *sb, const struct mm_struct *mm)
{
	if (!mm)
		return;
	for (const struct vma *v = mm->vma_first; v; v = v->next)
		map_header(sb, mm, v);
}

/* Linux struct mem_size_stats, in pages; the *_x4096 sums in 1/4096ths of a byte
 * (PSS_SHIFT 12), as Linux sums them. */
struct smaps_acc {
	struct mm_core *core;
	uint64_t rss, pss_x4096, pss_dirty_x4096, shared_clean, shared_dirty, private_clean;
	uint64_t private_dirty, referenced, anonymous, swap, swap_pss_x4096;
	uint64_t anon_huge; /* pages in PMD-mapped anonymous THPs */
};

/* Linux smaps_page_accumulate(): nr pages with this Pss share; private when the page has
 * fewer than two mappers (folio_precise_page_mapcount() < 2). */
static void smaps_accumulate(struct smaps_acc *a, uint64_t nr, uint64_t pss_x4096, bool dirty,
			     bool private)
{
	a->pss_x4096 += pss_x4096;
	if (dirty) {
		a->pss_dirty_x4096 += pss_x4096;
		*(private ? &a->private_dirty : &a->shared_dirty) += nr;
	} else {
		*(private ? &a->private_clean : &a->shared_clean) += nr;
	}
}

/* Linux smaps_pte_entry() on a swap entry: Swap counts the page, SwapPss shares it among
 * the entry's users (swp_swapcount()). */
static void smaps_swap_entry(struct smaps_acc *a, uint64_t pte)
{
	const struct swap_area *sa = a->core->swap;
	uint64_t slot = swap_pte_offset(pte);
	uint64_t users = sa && slot < sa->nr_slots ? sa->count[slot] : 1;

	a->swap++;
	a->swap_pss_x4096 += (UINT64_C(4096) << 12) / (users >= 2 ? users : 1);
}

static void smaps_pte(void *ctx, vaddr_t va, paddr_t pte_addr, uint64_t pte)
{
	struct smaps_acc *a = ctx;
	const struct page *pg;
	pfn_t pfn;
	bool dirty;

	(void)va;
	(void)pte_addr;
	if (!x86_pte_present(pte) && !anon_pte_protnone(pte)) {
		if (swap_pte_is_entry(pte))
			smaps_swap_entry(a, pte);
		return;
	}
	pfn = x86_pte_pfn(pte, a->core->cpu->maxphyaddr);
	if (pfn == a->core->zero_pfn)
		return; /* vm_normal_page() is NULL for the zero page: not counted */
	pg = core_page(a->core, pfn);
	dirty = x86_pte_dirty(pte) || page_flag_test(pg, PG_DIRTY);
	a->rss++;
	/* Linux smaps_account(): Pss in 1/4096ths of a byte (PSS_SHIFT); Referenced when the
	 * PTE is young or the page has PG_referenced. */
	smaps_accumulate(a, 1,
			 (UINT64_C(4096) << 12) / (uint64_t)(pg->mapcount >= 2 ? pg->mapcount : 1),
			 dirty, pg->mapcount < 2);
	if (x86_pte_accessed(pte) || page_flag_test(pg, PG_REFERENCED))
		a->referenced++;
	if (page_flag_test(pg, PG_ANON))
		a->anonymous++;
}

/* Linux smaps_pmd_entry(): a PMD-mapped THP counts its 512 pages as one compound page
 * mapped by as many processes as map the PMD; the huge zero page is not counted. */
static void smaps_pmd(void *ctx, vaddr_t va, paddr_t pmd_addr, uint64_t pmd)
{
	struct smaps_acc *a = ctx;
	const struct page *pg;
	pfn_t pfn = x86_pte_pfn(pmd, a->core->cpu->maxphyaddr);
	uint64_t n = HPAGE_PMD_NR;
	bool dirty;

	(void)va, (void)pmd_addr;
	if (pfn == a->core->huge_zero_pfn)
		return;
	pg = core_page(a->core, pfn);
	dirty = x86_pte_dirty(pmd) || page_flag_test(pg, PG_DIRTY);
	a->rss += n;
	smaps_accumulate(a, n, (n * 4096 << 12) / (uint64_t)(pg->mapcount >= 2 ? pg->mapcount : 1),
			 dirty, pg->mapcount < 2);
	if (x86_pte_accessed(pmd) || page_flag_test(pg, PG_REFERENCED))
		a->referenced += n;
	a->anonymous += n;
	a->anon_huge += n;
}

/* Linux shmem_swap_usage(): pages of v's part of its shmem object that are in swap. */
static uint64_t shmem_swapped(const struct vma *v)
{
	const struct shmem_obj *obj = v->shmem;
	uint64_t n = 0;

	for (uint64_t i = v->pgoff; i < v->pgoff + vma_pages(v) && i < obj->nr_pages; i++) {
		if (obj->pages[i] != SHMEM_NO_PAGE && (obj->pages[i] & SHMEM_SWAPPED))
			n++;
	}
	return n;
}

static void smaps_line(struct strbuf *sb, const char *name, uint64_t kb)
{
	strbuf_printf(sb, "%-16s%8llu kB\n", name, (unsigned long long)kb);
}

static void vm_flags_line(struct strbuf *sb, const struct vma *v)
{
	strbuf_puts(sb, "VmFlags:");
	if (v->flags & VM_READ)
		strbuf_puts(sb, " rd");
	if (v->flags & VM_WRITE)
		strbuf_puts(sb, " wr");
	if (v->flags & VM_EXEC)
		strbuf_puts(sb, " ex");
	if (v->flags & VM_SHARED)
		strbuf_puts(sb, " sh");
	if (v->flags & VM_MAYREAD)
		strbuf_puts(sb, " mr");
	if (v->flags & VM_MAYWRITE)
		strbuf_puts(sb, " mw");
	if (v->flags & VM_MAYEXEC)
		strbuf_puts(sb, " me");
	if (v->flags & VM_MAYSHARE)
		strbuf_puts(sb, " ms");
	if (v->flags & VM_GROWSDOWN)
		strbuf_puts(sb, " gd");
	if (v->flags & VM_ACCOUNT)
		strbuf_puts(sb, " ac");
	if (v->flags & VM_HUGEPAGE)
		strbuf_puts(sb, " hg");
	if (v->flags & VM_NOHUGEPAGE)
		strbuf_puts(sb, " nh");
	strbuf_puts(sb, "\n");
}

void report_smaps(struct strbuf *sb, struct mm_core *core, struct mm_struct *mm)
{
	const uint64_t kb = X86_PAGE_SIZE / 1024;

	if (!mm)
		return;
	for (struct vma *v = mm->vma_first; v; v = v->next) {
		struct smaps_acc a = { .core = core };

		pgtable_for_each_leaf(core, mm, v->start, v->end, smaps_pte, smaps_pmd, &a);
		/* Linux smap_gather_stats(): a shared shmem mapping's swapped pages are its
		 * object's (shmem_swap_usage()), counted in Swap but not in SwapPss. */
		if (v->shmem && !v->shmem->file && (v->flags & VM_SHARED))
			a.swap += shmem_swapped(v);
		map_header(sb, mm, v);
		smaps_line(sb, "Size:", vma_pages(v) * kb);
		smaps_line(sb, "KernelPageSize:", kb);
		smaps_line(sb, "MMUPageSize:", kb);
		smaps_line(sb, "Rss:", a.rss * kb);
		smaps_line(sb, "Pss:", (a.pss_x4096 >> 12) / 1024);
		smaps_line(sb, "Pss_Dirty:", (a.pss_dirty_x4096 >> 12) / 1024);
		smaps_line(sb, "Shared_Clean:", a.shared_clean * kb);
		smaps_line(sb, "Shared_Dirty:", a.shared_dirty * kb);
		smaps_line(sb, "Private_Clean:", a.private_clean * kb);
		smaps_line(sb, "Private_Dirty:", a.private_dirty * kb);
		smaps_line(sb, "Referenced:", a.referenced * kb);
		smaps_line(sb, "Anonymous:", a.anonymous * kb);
		smaps_line(sb, "KSM:", 0);
		smaps_line(sb, "LazyFree:", 0);
		smaps_line(sb, "AnonHugePages:", a.anon_huge * kb);
		smaps_line(sb, "ShmemPmdMapped:", 0);
		smaps_line(sb, "FilePmdMapped:", 0);
		smaps_line(sb, "Shared_Hugetlb:", 0);
		smaps_line(sb, "Private_Hugetlb:", 0);
		smaps_line(sb, "Swap:", a.swap * kb);
		smaps_line(sb, "SwapPss:", (a.swap_pss_x4096 >> 12) / 1024);
		smaps_line(sb, "Locked:", 0);
		/* Linux thp_vma_allowable_order() for the VMA (any aligned 2 MiB inside it). */
		strbuf_printf(sb, "THPeligible:    %d\n",
			      huge_vma_allowed(core, v,
					       (v->start + HPAGE_PMD_SIZE - 1) & HPAGE_PMD_MASK));
		vm_flags_line(sb, v);
	}
}

static void status_kb(struct strbuf *sb, const char *name, uint64_t kb)
{
	strbuf_printf(sb, "%s\t%8llu kB\n", name, (unsigned long long)kb);
}

/* Linux kernel/fork.c set_max_threads() and fork_init(): max_threads = RAM / (8 *
 * THREAD_SIZE), clamped to [MIN_THREADS, FUTEX_TID_MASK]; RLIMIT_SIGPENDING = max_threads / 2.
 * mmsim: Linux takes memblock's estimate of free pages early in boot, mmsim the managed
 * pages, so the limit can differ a little. */
#define THREAD_SIZE 16384ull /* x86-64: THREAD_SIZE_ORDER 2 */
#define MIN_THREADS 20ull
#define MAX_THREADS 0x3fffffffull /* FUTEX_TID_MASK */

static unsigned long long sigpending_limit(unsigned long totalram_pages)
{
	unsigned long long threads =
		(unsigned long long)totalram_pages * X86_PAGE_SIZE / (THREAD_SIZE * 8);

	if (threads < MIN_THREADS)
		threads = MIN_THREADS;
	if (threads > MAX_THREADS)
		threads = MAX_THREADS;
	return threads / 2;
}

/* fs/proc/task_mmu.c task_mem(), then proc_pid_status()'s lines that need the mm. */
static void status_mem(struct strbuf *sb, const struct report_task_status *st,
		       const struct mm_struct *mm)
{
	uint64_t data = 0, stk = 0, exec = 0;

	for (const struct vma *v = mm->vma_first; v; v = v->next) {
		/* Linux vm_stat_account(): VmStk counts VM_STACK VMAs, VmData private writable
		 * ones, exec_vm executable ones that are neither writable nor stack. */
		if (v->flags & VM_GROWSDOWN)
			stk += vma_pages(v);
		else if ((v->flags & (VM_WRITE | VM_SHARED)) == VM_WRITE)
			data += vma_pages(v);
		else if ((v->flags & (VM_EXEC | VM_WRITE)) == VM_EXEC)
			exec += vma_pages(v);
	}
	status_kb(sb,
		  "VmPeak:", (mm->hiwater_vm > mm->total_vm ? mm->hiwater_vm : mm->total_vm) * 4);
	status_kb(sb, "VmSize:", st->vmsize_kb);
	status_kb(sb, "VmLck:", 0);
	status_kb(sb, "VmPin:", 0);
	status_kb(sb, "VmHWM:", st->hwm_kb);
	status_kb(sb, "VmRSS:", st->rss_kb);
	status_kb(sb, "RssAnon:", st->rss_anon_kb);
	status_kb(sb, "RssFile:", st->rss_file_kb);
	status_kb(sb, "RssShmem:", st->rss_shmem_kb);
	status_kb(sb, "VmData:", data * 4);
	status_kb(sb, "VmStk:", stk * 4);
	/* task_mem(): VmExe is the executable's text (mmsim spawns without one: 0), VmLib the
	 * rest of exec_vm (shared libraries' text, `P load`). */
	status_kb(sb, "VmExe:", 0);
	status_kb(sb, "VmLib:", exec * 4);
	status_kb(sb, "VmPTE:", st->vmpte_kb);
	status_kb(sb, "VmSwap:", st->swap_kb);
	status_kb(sb, "HugetlbPages:", 0); /* mm/hugetlb.c hugetlb_report_usage() */
	strbuf_puts(sb, "CoreDumping:\t0\n");
	/* 1 unless prctl(PR_SET_THP_DISABLE), which mmsim does not model. */
	strbuf_puts(sb, "THP_enabled:\t1\n");
	strbuf_puts(sb, "untag_mask:\t0xffffffffffffffff\n"); /* no LAM: mm_untag_mask() is -1 */
}

/* Mems_allowed: a bitmap of MAX_NUMNODES bits in 32-bit groups, node 0 set
 * (CONFIG_NODES_SHIFT 10, as the reference kernel). */
#define STATUS_MAX_NUMNODES 1024u

void report_status(struct strbuf *sb, const struct report_task_status *st,
		   const struct mm_struct *mm)
{
	/* fs/proc/array.c task_state(). */
	strbuf_printf(sb, "Name:\tP%d\n", st->pid);
	strbuf_puts(sb, "Umask:\t0022\n");
	strbuf_printf(sb, "State:\t%s\n", st->alive ? "R (running)" : "Z (zombie)");
	strbuf_printf(sb, "Tgid:\t%d\nNgid:\t0\nPid:\t%d\nPPid:\t%d\nTracerPid:\t0\n", st->pid,
		      st->pid, st->ppid);
	strbuf_puts(sb, "Uid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\n");
	strbuf_puts(sb, "FDSize:\t64\n");
	strbuf_puts(sb, "Groups:\t \n"); /* no supplementary group; Linux's trailing space */
	strbuf_printf(sb, "NStgid:\t%d\nNSpid:\t%d\nNSpgid:\t%d\nNSsid:\t%d\n", st->pid, st->pid,
		      st->sid, st->sid);
	strbuf_puts(sb, "Kthread:\t0\n");
	/* Linux prints the memory lines only while the task has an mm: not for a zombie. */
	if (mm)
		status_mem(sb, st, mm);
	/* task_sig(): one thread, nothing queued, pending, blocked, ignored or caught. */
	strbuf_printf(sb, "Threads:\t1\nSigQ:\t0/%llu\n", sigpending_limit(st->totalram_pages));
	strbuf_puts(sb, "SigPnd:\t0000000000000000\nShdPnd:\t0000000000000000\n"
			"SigBlk:\t0000000000000000\nSigIgn:\t0000000000000000\n"
			"SigCgt:\t0000000000000000\n");
	/* task_cap(): root's sets, every capability to CAP_CHECKPOINT_RESTORE (40). */
	strbuf_puts(sb, "CapInh:\t0000000000000000\nCapPrm:\t000001ffffffffff\n"
			"CapEff:\t000001ffffffffff\nCapBnd:\t000001ffffffffff\n"
			"CapAmb:\t0000000000000000\n");
	/* task_seccomp(): the simulated CPU does not speculate, so it is not affected. */
	strbuf_puts(sb, "NoNewPrivs:\t0\nSeccomp:\t0\nSeccomp_filters:\t0\n"
			"Speculation_Store_Bypass:\tnot vulnerable\n"
			"SpeculationIndirectBranch:\tnot affected\n");
	/* task_cpus_allowed(), cpuset_task_status_allowed(): one CPU, one node. */
	strbuf_puts(sb, "Cpus_allowed:\t1\nCpus_allowed_list:\t0\nMems_allowed:\t");
	for (unsigned int g = STATUS_MAX_NUMNODES / 32; g > 1; g--)
		strbuf_puts(sb, "00000000,");
	strbuf_puts(sb, "00000001\nMems_allowed_list:\t0\n");
	/* task_context_switch_counts(): mmsim's tasks never block and are never preempted. */
	strbuf_puts(sb, "voluntary_ctxt_switches:\t0\nnonvoluntary_ctxt_switches:\t0\n");
}
