/*
 * kernel/task.c: processes: spawn (an empty address space as after exec), exit, the
 * context switch, per-task statistics. Linux: kernel/fork.c (mm_init), kernel/exit.c,
 * mm/mmap.c (exit_mmap), arch/x86/mm/tlb.c (switch_mm_irqs_off).
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "arch/x86_64/physmem.h"
#include "arch/x86_64/pte.h"
#include "arch/x86_64/tlb.h"
#include "kernel/check.h"
#include "kernel/system.h"
#include "mm/anon.h"
#include "mm/bug.h"
#include "mm/filemap.h"
#include "mm/huge_memory.h"
#include "mm/khugepaged.h"
#include "mm/page.h"
#include "mm/memory.h"
#include "mm/pgdat.h"
#include "mm/pgtable.h"
#include "mm/shmem.h"
#include "mm/slab.h"
#include "mm/vma.h"
#include "mm/vmstat.h"

/*
 * Where a freshly exec'd process has its stack and heap, as Linux lays them out with
 * address-space randomisation off: the stack VMA ends at STACK_TOP (= TASK_SIZE) and spans
 * 33 pages (what a small program shows in /proc/PID/maps), mmap_base sits MIN_GAP (128 MiB)
 * below TASK_SIZE, and the heap starts right after a small PIE program's data.
 */
#define EXEC_STACK_PAGES 33u
#define EXEC_MMAP_GAP (UINT64_C(128) << 20)
#define EXEC_START_BRK UINT64_C(0x0000555555559000)
#define USER_DEFAULT_TOP UINT64_C(0x00007ffffffff000) /* DEFAULT_MAP_WINDOW, also with LA57 */

int system_mm_create(struct mmsim_system *sys, struct mm_struct **out)
{
	struct mm_struct *mm = slab_alloc(sys->mm_cache);
	unsigned int half = X86_PT_ENTRIES / 2;
	pfn_t pgd;

	if (!mm)
		return -ENOMEM;
	vma_mm_init(mm, &sys->vma_alloc);
	if (pti_pgd_alloc(sys, &pgd)) {
		vma_mm_fini(mm);
		slab_free(sys->mm_cache, mm);
		return -ENOMEM;
	}
	/* Linux pgd_alloc(): the kernel half of the top level is shared with init_mm. */
	for (unsigned int i = half; i < X86_PT_ENTRIES; i++) {
		uint64_t e = physmem_read64(&sys->pm, sys->kernel_pgd + i * sizeof(uint64_t));

		physmem_write64(&sys->pm, X86_PFN_TO_PADDR(pgd) + i * sizeof(uint64_t), e);
	}
	mm->pgd = X86_PFN_TO_PADDR(pgd);
	mm->task_size = sys->layout.task_size;
	mm->mmap_base = USER_DEFAULT_TOP - EXEC_MMAP_GAP;
	mm->start_brk = mm->brk = EXEC_START_BRK;
	mm->start_stack = USER_DEFAULT_TOP;
	*out = mm;
	return 0;
}

void system_for_each_mm(struct mm_core *core, core_mm_fn fn, void *arg)
{
	struct mmsim_system *sys =
		(struct mmsim_system *)((char *)core - offsetof(struct mmsim_system, core));

	for (struct mmsim_task *t = sys->tasks; t; t = t->next) {
		if (t->alive && t->mm)
			fn(arg, t->mm);
	}
}

void system_mm_destroy(struct mmsim_system *sys, struct mm_struct *mm)
{
	vaddr_t top = pgtable_user_ceiling(&sys->core);

	khugepaged_exit(&sys->core, mm);
	while (mm->vma_first) {
		struct vma *v = mm->vma_first;

		memory_zap_range(&sys->core, v, v->start, v->end);
		mm->total_vm -= vma_pages(v);
		if (v->shmem)
			shmem_put(&sys->core, v->shmem, v);
		vma_remove(mm, v);
	}
	vma_mm_fini(mm);
	pgtable_free_range(&sys->core, mm, 0, top, 0, top);
	MM_BUG_ON(mm->pgtables_pages != 0);
	if (sys->current && sys->current->mm == mm) {
		/* Linux switches to init_mm before the mm goes away. */
		sys->cpu.cr3 = sys->kernel_pgd;
		tlb_write_cr3(sys->tlb, &sys->cpu, sys->kernel_pgd);
		sys->current = NULL;
		sys->core.current_mm = NULL;
	}
	pti_pgd_free(sys, X86_PADDR_TO_PFN(mm->pgd));
	slab_free(sys->mm_cache, mm);
}

/*
 * mmsim: Linux's exit_mmap() zaps every PTE and swap entry, hands every page, table and slot
 * back and counts each (pgfree, nr_free_pages, swap counts). When the whole machine goes,
 * nobody can read those counts any more, so only host memory is freed here: each mm's VMA
 * index and the anonymous shmem objects its VMAs use. Pages, tables, swap slots and the
 * kernel objects (tasks, mms, VMAs) live in simulated RAM and swap, which go whole after it.
 */
void system_release_tasks(struct mmsim_system *sys)
{
	for (struct mmsim_task *t = sys->tasks; t; t = t->next) {
		if (!t->mm)
			continue;
		for (struct vma *v = t->mm->vma_first; v; v = v->next) {
			if (v->shmem && !v->shmem->file)
				shmem_release(v->shmem);
		}
		vma_mm_fini(t->mm);
	}
	sys->tasks = NULL;
	sys->current = NULL;
	sys->core.current_mm = NULL;
}

int task_create(struct mmsim_system *sys, struct mm_struct *mm, struct mmsim_task **out)
{
	struct mmsim_task *t = slab_alloc(sys->task_cache);
	struct mmsim_task *last;

	if (!t)
		return -ENOMEM;
	memset(t, 0, sizeof(*t));
	t->pid = sys->next_pid++;
	t->sid = t->pid; /* a spawned task leads its session; fork overrides both ids */
	t->sys = sys;
	t->mm = mm;
	t->alive = true;
	/* PCIDs 1..4095 (0 stays the kernel's), reused round-robin; with kpti 1..2047, each
	 * with its user PCID | 0x800 (Linux kern_pcid(), user_pcid()). */
	t->pcid = sys->next_pcid;
	mm->pcid = t->pcid;
	sys->next_pcid = sys->next_pcid >= (sys->cfg.kpti ? PTI_USER_PCID_MASK - 1 : 4095)
				 ? 1
				 : sys->next_pcid + 1;
	for (last = sys->tasks; last && last->next; last = last->next)
		;
	t->prev = last;
	if (last)
		last->next = t;
	else
		sys->tasks = t;
	*out = t;
	return 0;
}

/* The address space a new program starts with: the stack VMA alone (Linux: bprm_mm_init(),
 * setup_arg_pages()). 0 or -ENOMEM. */
static int exec_mm_create(struct mmsim_system *sys, struct mm_struct **out)
{
	struct mm_struct *mm;
	struct vma *stack;
	vaddr_t top;
	int err = system_mm_create(sys, &mm);

	if (err)
		return err;
	top = mm->start_stack;
	stack = vma_insert(mm, top - EXEC_STACK_PAGES * X86_PAGE_SIZE, top,
			   VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC |
				   VM_GROWSDOWN | VM_ACCOUNT,
			   (top >> X86_PAGE_SHIFT) - EXEC_STACK_PAGES, NULL);
	if (!stack) {
		system_mm_destroy(sys, mm);
		return -ENOMEM;
	}
	mm->total_vm += EXEC_STACK_PAGES;
	*out = mm;
	return 0;
}

int mmsim_task_spawn(struct mmsim_system *sys, struct mmsim_task **out)
{
	struct mm_struct *mm;
	int err = exec_mm_create(sys, &mm);

	if (err)
		return err;
	err = task_create(sys, mm, out);
	if (err) {
		system_mm_destroy(sys, mm);
		return -ENOMEM;
	}
	kernel_paranoid_check(sys);
	return 0;
}

void mmsim_task_exit(struct mmsim_task *t)
{
	struct mmsim_system *sys = t->sys;

	if (t->mm)
		system_mm_destroy(sys, t->mm);
	filemap_close_owner(&sys->core, t->pid); /* exit_files(): its open files close */
	if (sys->current == t) {
		sys->current = NULL;
		sys->core.current_mm = NULL;
	}
	if (t->prev)
		t->prev->next = t->next;
	else
		sys->tasks = t->next;
	if (t->next)
		t->next->prev = t->prev;
	/* The PCID's entries must not outlive the task: INVPCID single-context. */
	tlb_invpcid(sys->tlb, &sys->cpu, 1, t->pcid, 0);
	if (sys->cfg.kpti)
		tlb_invpcid(sys->tlb, &sys->cpu, 1, t->pcid | PTI_USER_PCID_MASK, 0);
	slab_free(sys->task_cache, t);
	kernel_paranoid_check(sys);
}

/* Keeps the peak of mm in t, which outlives it (Linux: setmax_mm_hiwater_rss() into
 * signal->maxrss at exit), as the OOM killer does for its victim. */
static void keep_maxrss(struct mmsim_task *t, struct mm_struct *mm)
{
	kernel_update_hiwater(mm);
	if (mm->hiwater_rss > t->maxrss_pages)
		t->maxrss_pages = (uint32_t)mm->hiwater_rss;
}

/* The TLB entries under t's PCIDs must not outlive its address space: INVPCID
 * single-context (PCID 0 without PCID support: the CR3 write of the next switch flushes). */
static void flush_task_pcids(struct mmsim_system *sys, struct mmsim_task *t)
{
	tlb_invpcid(sys->tlb, &sys->cpu, 1, t->pcid, 0);
	if (sys->cfg.kpti)
		tlb_invpcid(sys->tlb, &sys->cpu, 1, t->pcid | PTI_USER_PCID_MASK, 0);
}

int mmsim_task_exec(struct mmsim_task *t)
{
	struct mmsim_system *sys = t->sys;
	struct mm_struct *old = t->mm, *mm;
	int err;

	if (!t->alive || !old)
		return -EINVAL;
	err = exec_mm_create(sys, &mm);
	if (err)
		return err;
	/* Linux exec_mmap(): the new mm is switched in, then the old one dropped (mmput).
	 * VmHWM is the mm's own (hiwater_rss): it restarts with the new one. */
	system_mm_destroy(sys, old);
	if (sys->current == t) {
		sys->current = NULL;
		sys->core.current_mm = NULL;
	}
	flush_task_pcids(sys, t);
	mm->pcid = t->pcid;
	t->mm = mm;
	kernel_paranoid_check(sys);
	return 0;
}

int mmsim_task_exit_zombie(struct mmsim_task *t)
{
	struct mmsim_system *sys = t->sys;

	if (!t->alive || !t->mm)
		return -EINVAL;
	/* Linux do_exit() -> exit_mm(): the memory goes now; the task waits for wait(). */
	keep_maxrss(t, t->mm);
	system_mm_destroy(sys, t->mm);
	t->mm = NULL;
	t->exited = true;
	if (sys->current == t) {
		sys->current = NULL;
		sys->core.current_mm = NULL;
	}
	flush_task_pcids(sys, t);
	kernel_paranoid_check(sys);
	return 0;
}

bool mmsim_task_exited(const struct mmsim_task *t)
{
	return t->exited;
}

int mmsim_task_pid(const struct mmsim_task *t)
{
	return t->pid;
}

bool mmsim_task_alive(const struct mmsim_task *t)
{
	return t->alive;
}

void system_switch_to(struct mmsim_system *sys, struct mmsim_task *t)
{
	if (sys->current == t)
		return;
	/* Linux switch_mm_irqs_off(): with PCID, each mm keeps its entries under its own PCID
	 * and the switch does not flush them (CR3 bit 63), since every shootdown of an mm's
	 * pages already invalidated them under that PCID. Without PCID the switch flushes every
	 * non-global entry. The CR3 loaded is the one t's user mode runs on (with kpti its
	 * user PGD and user PCID). tlb_write_cr3() loads CR3. */
	tlb_write_cr3(sys->tlb, &sys->cpu, pti_user_cr3(sys, t->mm));
	sys->current = t;
	sys->core.current_pid = t->pid;
	sys->core.current_mm = t->mm;
	sys->context_switches++;
}

void mmsim_switch_to(struct mmsim_task *t)
{
	system_switch_to(t->sys, t);
}

int mmsim_task_layout(const struct mmsim_task *t, struct mmsim_task_layout *out)
{
	struct mm_struct *mm = t->mm;
	const struct vma *stack;

	if (!mm)
		return -EINVAL;
	stack = vma_find(mm, mm->start_stack - 1);
	*out = (struct mmsim_task_layout){
		.task_size = mm->task_size,
		.mmap_base = mm->mmap_base,
		.start_brk = mm->start_brk,
		.brk = mm->brk,
		.stack_start = stack ? stack->start : 0,
		.stack_end = stack ? stack->end : 0,
	};
	return 0;
}

struct pss_acc {
	struct mm_core *core;
	uint64_t pss; /* bytes << PSS_SHIFT */
};

/* Linux fs/proc/task_mmu.c PSS_SHIFT: Pss is summed in 1/4096ths of a byte. */
#define PSS_SHIFT 12

static void pss_pte(void *ctx, vaddr_t va, paddr_t pte_addr, uint64_t pte)
{
	struct pss_acc *a = ctx;
	const struct page *pg;
	pfn_t pfn;

	(void)va, (void)pte_addr;
	if (!x86_pte_present(pte) && !anon_pte_protnone(pte))
		return;
	pfn = x86_pte_pfn(pte, a->core->cpu->maxphyaddr);
	if (pfn == a->core->zero_pfn)
		return;
	pg = core_page(a->core, pfn);
	a->pss += ((uint64_t)X86_PAGE_SIZE << PSS_SHIFT) /
		  (uint64_t)(pg->mapcount > 0 ? pg->mapcount : 1);
}

/* Linux smaps_pmd_entry(): a PMD-mapped THP's 512 pages share its mappers; the huge zero
 * page is not counted. */
static void pss_pmd(void *ctx, vaddr_t va, paddr_t pmd_addr, uint64_t pmd)
{
	struct pss_acc *a = ctx;
	pfn_t pfn = x86_pte_pfn(pmd, a->core->cpu->maxphyaddr);
	const struct page *pg;

	(void)va, (void)pmd_addr;
	if (pfn == a->core->huge_zero_pfn)
		return;
	pg = core_page(a->core, pfn);
	a->pss += ((uint64_t)HPAGE_PMD_SIZE << PSS_SHIFT) /
		  (uint64_t)(pg->mapcount > 0 ? pg->mapcount : 1);
}

/* The sum of smaps' Pss lines (smaps_account(): each VMA's sum is shifted down alone). */
static uint64_t task_pss_kb(struct mmsim_system *sys, struct mm_struct *mm)
{
	uint64_t kb = 0;

	for (struct vma *v = mm->vma_first; v; v = v->next) {
		struct pss_acc a = { .core = &sys->core };

		pgtable_for_each_leaf(&sys->core, mm, v->start, v->end, pss_pte, pss_pmd, &a);
		kb += (a.pss >> PSS_SHIFT) >> 10;
	}
	return kb;
}

/* mmsim_task_stats(), with the figures that walk the page tables when walk is true. */
static void task_stats(const struct mmsim_task *t, struct mmsim_task_stats *out, bool walk)
{
	const struct mm_struct *mm = t->mm;
	const uint64_t kb = X86_PAGE_SIZE / 1024;

	memset(out, 0, sizeof(*out));
	out->minflt = t->minflt;
	out->majflt = t->majflt;
	out->last_signal = t->last_signal;
	out->hwm_kb = t->maxrss_pages * kb; /* a killed task keeps its peak, as getrusage() */
	if (!mm)
		return;
	out->vmsize_kb = mm->total_vm * kb;
	out->rss_anon_kb = mm->rss_anon * kb;
	out->rss_shmem_kb = mm->rss_shmem * kb;
	out->rss_file_kb = mm->rss_file * kb;
	out->rss_kb = out->rss_anon_kb + out->rss_shmem_kb + out->rss_file_kb;
	if (walk)
		out->pss_kb = task_pss_kb(t->sys, t->mm);
	out->swap_kb = mm->swap_ents * kb;
	out->vmpte_kb = mm->pgtables_pages * kb;
	out->hwm_kb = mm->hiwater_rss * kb;
	if (out->hwm_kb < out->rss_kb)
		out->hwm_kb = out->rss_kb;
	/* Only walk the tables when some THP is mapped somewhere. */
	if (walk && t->sys->pgdat->vmstat[VMSTAT_NR_ANON_THPS])
		out->anon_huge_kb = huge_anon_kb(&t->sys->core, t->mm, 0, mm->task_size);
}

void mmsim_task_stats(const struct mmsim_task *t, struct mmsim_task_stats *out)
{
	task_stats(t, out, true);
}

void mmsim_task_stats_nowalk(const struct mmsim_task *t, struct mmsim_task_stats *out)
{
	task_stats(t, out, false);
}
