/*
 * mm/pgtable.c: Linux's side of the page tables (see pgtable.h).
 */
#include "mm/pgtable.h"

#include <errno.h>

#include "arch/x86_64/physmem.h"
#include "arch/x86_64/pte.h"
#include "mm/bug.h"
#include "mm/check.h"
#include "mm/core.h"
#include "mm/vma.h"
#include "mm/vmstat.h"

int pgtable_alloc_table(struct mm_core *core, struct mm_struct *mm, pfn_t *pfn_out)
{
	int err = core_alloc_page(core, CORE_ALLOC_TABLE, pfn_out);

	if (err)
		return err;
	/* VmPTE: an mm's tables below the top level. */
	if (mm)
		mm->pgtables_pages++;
	core_event(core, &(struct mm_event){ .kind = MM_EV_FRAME_ALLOC,
					     .pfn = *pfn_out,
					     .what = "page table" });
	return 0;
}

void pgtable_free_table(struct mm_core *core, struct mm_struct *mm, pfn_t pfn)
{
	if (mm)
		mm->pgtables_pages--;
	core_event(core, &(struct mm_event){
				 .kind = MM_EV_FRAME_FREE, .pfn = pfn, .what = "page table" });
	core_free_page(core, pfn, CORE_ALLOC_TABLE);
}

static unsigned int top_level(const struct mm_core *core)
{
	return core->cpu->levels;
}

/*
 * A top-level entry is about to be written at ea: with kpti, the user PGD gets the same
 * entry when ea is in the user half, and the kernel PGD's copy of a user entry gets XD, so
 * that the kernel can never run user code (Linux pti_set_user_pgtbl()). Returns what to
 * write at ea.
 */
static uint64_t pti_set_user_pgtbl(struct mm_core *core, paddr_t ea, uint64_t e)
{
	if (!core->kpti || (ea & (X86_PAGE_SIZE - 1)) >= X86_PAGE_SIZE / 2)
		return e;
	physmem_write64(core->pm, ea + PTI_USER_PGTABLE_MASK, e);
	if ((e & (X86_PTE_US | X86_PTE_P)) == (X86_PTE_US | X86_PTE_P) && core->cpu->nxe)
		e |= X86_PTE_XD;
	return e;
}

/*
 * The address of va's entry at level want (X86_LEVEL_PTE or X86_LEVEL_PDE), allocating the
 * tables above it when alloc; one walk for both, so every new top-level entry goes through
 * pti_set_user_pgtbl() (a second copy of this loop once forgot it: thp_kpti.mms).
 */
static int entry_addr(struct mm_core *core, struct mm_struct *mm, vaddr_t va, bool alloc,
		      unsigned int want, paddr_t *addr_out)
{
	paddr_t table = mm->pgd;

	for (unsigned int level = top_level(core); level > want; level--) {
		paddr_t ea = table + (paddr_t)x86_pt_index(va, level) * sizeof(uint64_t);
		uint64_t e = physmem_read64(core->pm, ea);

		if (!x86_pte_present(e)) {
			pfn_t pfn;
			int err;

			if (!alloc)
				return -ENOENT;
			err = pgtable_alloc_table(core, mm, &pfn);
			if (err)
				return err;
			e = x86_pte_make(X86_PFN_TO_PADDR(pfn), PGTABLE_USER_TABLE_FLAGS);
			if (level == top_level(core))
				e = pti_set_user_pgtbl(core, ea, e);
			physmem_write64(core->pm, ea, e);
			core_event(core, &(struct mm_event){ .kind = MM_EV_PTE_WRITE,
							     .level = level,
							     .entry_addr = ea,
							     .old = 0,
							     .new = e });
		}
		if (level == X86_LEVEL_PDE && (e & X86_PTE_PS))
			return -EEXIST; /* a 2 MiB leaf: no PTE page below it */
		table = x86_pte_addr(e, core->cpu->maxphyaddr);
	}
	*addr_out = table + (paddr_t)x86_pt_index(va, want) * sizeof(uint64_t);
	return 0;
}

int pgtable_pte_addr(struct mm_core *core, struct mm_struct *mm, vaddr_t va, bool alloc,
		     paddr_t *pte_addr_out)
{
	return entry_addr(core, mm, va, alloc, X86_LEVEL_PTE, pte_addr_out);
}

int pgtable_pmd_addr(struct mm_core *core, struct mm_struct *mm, vaddr_t va, bool alloc,
		     paddr_t *pmd_addr_out)
{
	return entry_addr(core, mm, va, alloc, X86_LEVEL_PDE, pmd_addr_out);
}

uint64_t pgtable_read_pte(struct mm_core *core, struct mm_struct *mm, vaddr_t va)
{
	paddr_t ea;
	uint64_t pmd;
	int err = pgtable_pte_addr(core, mm, va, false, &ea);

	if (!err)
		return physmem_read64(core->pm, ea);
	if (err != -EEXIST || pgtable_pmd_addr(core, mm, va, false, &ea))
		return 0;
	/* The 4 KiB piece of a 2 MiB leaf, as the PTE a split would write. */
	pmd = physmem_read64(core->pm, ea);
	return (pmd & ~(X86_PTE_PS | x86_pte_addr_mask(core->cpu->maxphyaddr))) |
	       (x86_pte_addr(pmd, core->cpu->maxphyaddr) +
		(((va >> X86_PAGE_SHIFT) & (X86_PT_ENTRIES - 1)) << X86_PAGE_SHIFT));
}

static vaddr_t span_of(unsigned int level)
{
	return UINT64_C(1) << x86_level_shift(level);
}

/* Visits entries of the table at level covering [base, base + 512 * span). */
static void for_each_level(struct mm_core *core, paddr_t table, unsigned int level, vaddr_t base,
			   vaddr_t start, vaddr_t end, pgtable_pte_fn fn, pgtable_pte_fn pmd_fn,
			   void *ctx)
{
	vaddr_t span = span_of(level);
	unsigned int first = start > base ? (unsigned int)((start - base) / span) : 0;

	for (unsigned int i = first; i < X86_PT_ENTRIES; i++) {
		vaddr_t cb = base + (vaddr_t)i * span;
		paddr_t ea = table + (paddr_t)i * sizeof(uint64_t);
		uint64_t e;

		if (cb >= end)
			break;
		e = physmem_read64(core->pm, ea);
		if (!e)
			continue;
		if (level == X86_LEVEL_PTE) {
			if (fn)
				fn(ctx, cb, ea, e);
			continue;
		}
		if (!x86_pte_present(e))
			continue;
		if (level == X86_LEVEL_PDE && (e & X86_PTE_PS)) {
			if (pmd_fn)
				pmd_fn(ctx, cb, ea, e);
			continue;
		}
		for_each_level(core, x86_pte_addr(e, core->cpu->maxphyaddr), level - 1, cb,
			       start > cb ? start : cb, end, fn, pmd_fn, ctx);
	}
}

void pgtable_for_each_pte(struct mm_core *core, struct mm_struct *mm, vaddr_t start, vaddr_t end,
			  pgtable_pte_fn fn, void *ctx)
{
	unsigned int top = top_level(core);

	if (start >= end)
		return;
	for_each_level(core, mm->pgd, top, 0, start, end, fn, NULL, ctx);
}

void pgtable_for_each_leaf(struct mm_core *core, struct mm_struct *mm, vaddr_t start, vaddr_t end,
			   pgtable_pte_fn pte_fn, pgtable_pte_fn pmd_fn, void *ctx)
{
	if (start >= end)
		return;
	for_each_level(core, mm->pgd, top_level(core), 0, start, end, pte_fn, pmd_fn, ctx);
}

static bool table_empty(struct mm_core *core, paddr_t table)
{
	for (unsigned int i = 0; i < X86_PT_ENTRIES; i++) {
		if (physmem_read64(core->pm, table + (paddr_t)i * sizeof(uint64_t)))
			return false;
	}
	return true;
}

static void free_level(struct mm_core *core, struct mm_struct *mm, paddr_t table,
		       unsigned int level, vaddr_t base, vaddr_t start, vaddr_t end, vaddr_t floor,
		       vaddr_t ceiling)
{
	vaddr_t span = span_of(level);
	unsigned int first = start > base ? (unsigned int)((start - base) / span) : 0;

	for (unsigned int i = first; i < X86_PT_ENTRIES; i++) {
		vaddr_t cb = base + (vaddr_t)i * span;
		paddr_t ea = table + (paddr_t)i * sizeof(uint64_t);
		uint64_t e = physmem_read64(core->pm, ea);
		paddr_t child;

		if (cb >= end)
			break;
		if (!x86_pte_present(e))
			continue;
		MM_BUG_ON(level == X86_LEVEL_PDE && (e & X86_PTE_PS)); /* zapped before */
		child = x86_pte_addr(e, core->cpu->maxphyaddr);
		if (level > X86_LEVEL_PDE)
			free_level(core, mm, child, level - 1, cb, start > cb ? start : cb, end,
				   floor, ceiling);
		/* Linux free_pgd_range(): only tables no other VMA can need go. */
		if (cb < floor || cb + span - 1 > ceiling - 1)
			continue;
		MM_BUG_ON(!table_empty(core, child));
		if (level == top_level(core))
			pti_set_user_pgtbl(core, ea, 0);
		physmem_write64(core->pm, ea, 0);
		core_event(core, &(struct mm_event){ .kind = MM_EV_PTE_WRITE,
						     .level = level,
						     .entry_addr = ea,
						     .old = e,
						     .new = 0 });
		pgtable_free_table(core, mm, X86_PADDR_TO_PFN(child));
	}
}

void pgtable_free_range(struct mm_core *core, struct mm_struct *mm, vaddr_t start, vaddr_t end,
			vaddr_t floor, vaddr_t ceiling)
{
	if (start >= end)
		return;
	free_level(core, mm, mm->pgd, top_level(core), 0, start, end, floor, ceiling);
}

bool pgtable_free_pte_table(struct mm_core *core, struct mm_struct *mm, vaddr_t va)
{
	paddr_t table = mm->pgd, ea = 0;
	uint64_t e = 0;

	for (unsigned int level = top_level(core); level > X86_LEVEL_PTE; level--) {
		ea = table + (paddr_t)x86_pt_index(va, level) * sizeof(uint64_t);
		e = physmem_read64(core->pm, ea);
		if (!x86_pte_present(e) || (e & X86_PTE_PS))
			return false;
		table = x86_pte_addr(e, core->cpu->maxphyaddr);
	}
	if (!table_empty(core, table))
		return false;
	physmem_write64(core->pm, ea, 0);
	core_event(core, &(struct mm_event){ .kind = MM_EV_PTE_WRITE,
					     .level = X86_LEVEL_PDE,
					     .va = va,
					     .entry_addr = ea,
					     .old = e,
					     .new = 0 });
	pgtable_free_table(core, mm, X86_PADDR_TO_PFN(table));
	return true;
}

vaddr_t pgtable_user_ceiling(const struct mm_core *core)
{
	return UINT64_C(1) << (x86_level_shift(top_level(core)) + X86_PT_INDEX_BITS - 1);
}

struct pgtable_count {
	uint64_t tables;
	struct mm_core *core;
	struct check_report *why;
	bool ok;
};

static void count_level(struct pgtable_count *pc, paddr_t table, unsigned int level)
{
	for (unsigned int i = 0; i < X86_PT_ENTRIES && pc->ok; i++) {
		uint64_t e = physmem_read64(pc->core->pm, table + (paddr_t)i * sizeof(uint64_t));
		paddr_t child;

		if (!x86_pte_present(e) || level == X86_LEVEL_PTE)
			continue;
		if (level == top_level(pc->core) && i >= X86_PT_ENTRIES / 2)
			continue; /* the kernel half, shared by every mm */
		if (level == X86_LEVEL_PDE && (e & X86_PTE_PS)) {
			pc->tables++; /* the table deposited for its split (huge_memory.h) */
			continue;
		}
		child = x86_pte_addr(e, pc->core->cpu->maxphyaddr);
		if (!core_page_is_table(pc->core, X86_PADDR_TO_PFN(child))) {
			pc->ok = check_fail(pc->why,
					    "level %u entry %u names pfn %#llx, not a table", level,
					    i, (unsigned long long)X86_PADDR_TO_PFN(child));
			return;
		}
		pc->tables++;
		count_level(pc, child, level - 1);
	}
}

bool pgtable_check(struct mm_core *core, struct mm_struct *mm, struct check_report *why)
{
	struct pgtable_count pc = { .core = core, .why = why, .ok = true };

	count_level(&pc, mm->pgd, top_level(core));
	if (!pc.ok)
		return false;
	if (pc.tables != mm->pgtables_pages)
		return check_fail(why, "VmPTE counts %llu tables, %llu found",
				  (unsigned long long)mm->pgtables_pages,
				  (unsigned long long)pc.tables);
	return true;
}
