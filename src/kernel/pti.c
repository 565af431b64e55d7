/*
 * kernel/pti.c: page-table isolation (kpti=on), as Linux does it on CPUs affected by
 * Meltdown. Linux: arch/x86/mm/pti.c, arch/x86/entry/calling.h (SWITCH_TO_KERNEL_CR3,
 * SWITCH_TO_USER_CR3), arch/x86/include/asm/tlbflush.h (kern_pcid, user_pcid,
 * invalidate_user_asid), arch/x86/mm/pgtable.c (PGD_ALLOCATION_ORDER).
 *
 * 1. Each mm's PGD is an order-1 block: the kernel PGD (mm->pgd, what the kernel runs on)
 *    and, 4 KiB above it, the user PGD (what user mode runs on). The user half of the user
 *    PGD mirrors the kernel PGD's (mm/pgtable.c, pti_set_user_pgtbl()); its kernel half is
 *    empty here (mmsim: Linux maps the entry trampoline and cpu_entry_area there).
 * 2. With PCID each mm has a pair: the kernel PCID and the user PCID = kernel PCID | 0x800.
 * 3. Every entry to the kernel (a page fault, a system call) loads the kernel PGD and PCID,
 *    every return to user mode the user PGD and PCID; with PCID both keep the TLB (CR3
 *    bit 63), except that a flush of the user PCID the kernel deferred (invalidate_user_asid)
 *    happens at the return. Without PCID each of those CR3 writes flushes the TLB.
 */
#include <errno.h>

#include "arch/x86_64/cr.h"
#include "arch/x86_64/pte.h"
#include "arch/x86_64/tlb.h"
#include "kernel/system.h"
#include "mm/page.h"
#include "mm/page_alloc.h"
#include "mm/pgdat.h"
#include "mm/vmstat.h"

int pti_pgd_alloc(struct mmsim_system *sys, pfn_t *pfn_out)
{
	int err;

	if (!sys->cfg.kpti)
		return core_alloc_page(&sys->core, CORE_ALLOC_TABLE, pfn_out);
	/* 1. Linux pgd_alloc() with PGD_ALLOCATION_ORDER 1. Both pages count as tables; the
	 * block's head carries the flag (the tail page is the allocator's). */
	err = page_alloc(sys->pgdat, GFP_KERNEL | GFP_ZERO, PTI_PGD_ORDER, pfn_out);
	if (err)
		return err;
	page_flag_set(pgdat_page(sys->pgdat, *pfn_out), PG_PGTABLE);
	sys->pgdat->vmstat[VMSTAT_NR_PAGETABLE] += 1u << PTI_PGD_ORDER;
	return 0;
}

void pti_pgd_free(struct mmsim_system *sys, pfn_t pfn)
{
	if (!sys->cfg.kpti) {
		core_free_page(&sys->core, pfn, CORE_ALLOC_TABLE);
		return;
	}
	page_flag_clear(pgdat_page(sys->pgdat, pfn), PG_PGTABLE);
	sys->pgdat->vmstat[VMSTAT_NR_PAGETABLE] -= 1u << PTI_PGD_ORDER;
	page_free(sys->pgdat, pfn, PTI_PGD_ORDER);
}

uint64_t pti_user_cr3(struct mmsim_system *sys, struct mm_struct *mm)
{
	uint64_t cr3 = mm->pgd;

	if (sys->cfg.kpti)
		cr3 |= PTI_USER_PGTABLE_MASK;
	if (!sys->cpu.pcide)
		return cr3;
	cr3 |= mm->pcid;
	if (!sys->cfg.kpti)
		return cr3 | X86_CR3_NOFLUSH;
	/* 3. SWITCH_TO_USER_CR3: NOFLUSH unless the user PCID has a flush pending. */
	cr3 |= PTI_USER_PCID_MASK;
	if (mm->pti_user_flush_pending) {
		mm->pti_user_flush_pending = false;
		return cr3;
	}
	return cr3 | X86_CR3_NOFLUSH;
}

void pti_enter_kernel(struct mmsim_system *sys)
{
	struct mm_struct *mm = sys->current ? sys->current->mm : NULL;
	uint64_t cr3;

	if (!sys->cfg.kpti || !mm || !(sys->cpu.cr3 & PTI_USER_PGTABLE_MASK))
		return;
	/* 3. SWITCH_TO_KERNEL_CR3: the kernel PGD and PCID, keeping the TLB with PCID. */
	cr3 = mm->pgd;
	if (sys->cpu.pcide)
		cr3 |= mm->pcid | X86_CR3_NOFLUSH;
	tlb_write_cr3(sys->tlb, &sys->cpu, cr3);
	sys->kpti_entries++;
}

void pti_exit_to_user(struct mmsim_system *sys)
{
	struct mm_struct *mm = sys->current ? sys->current->mm : NULL;

	if (!sys->cfg.kpti || !mm || (sys->cpu.cr3 & PTI_USER_PGTABLE_MASK))
		return;
	tlb_write_cr3(sys->tlb, &sys->cpu, pti_user_cr3(sys, mm));
}

struct mmsim_system *pti_syscall_enter(struct mmsim_task *t)
{
	struct mmsim_system *sys = t->sys;

	/* mmsim: a call made for a task that is not running does not switch to it. */
	if (!sys->cfg.kpti || sys->current != t)
		return NULL;
	pti_enter_kernel(sys);
	return sys;
}

void pti_syscall_exit(struct mmsim_system **entered)
{
	if (*entered)
		pti_exit_to_user(*entered);
}
