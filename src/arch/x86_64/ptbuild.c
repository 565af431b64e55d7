/*
 * arch/x86_64/ptbuild.c: page-table construction for software (see ptbuild.h).
 */
#include "arch/x86_64/ptbuild.h"

#include <errno.h>

#include "arch/x86_64/physmem.h"
#include "arch/x86_64/pte.h"

static unsigned int leaf_level(unsigned int page_shift)
{
	switch (page_shift) {
	case X86_PAGE_SHIFT:
		return X86_LEVEL_PTE;
	case X86_PMD_SHIFT:
		return X86_LEVEL_PDE;
	case X86_PUD_SHIFT:
		return X86_LEVEL_PDPTE;
	default:
		return 0;
	}
}

int x86_pt_map(const struct x86_pt_ctx *ctx, vaddr_t va, paddr_t pa, unsigned int page_shift,
	       uint64_t leaf_flags)
{
	unsigned int target = leaf_level(page_shift);
	uint64_t size = UINT64_C(1) << page_shift;
	uint64_t tflags = ctx->table_flags ? ctx->table_flags : X86_PTE_P | X86_PTE_RW;
	paddr_t table = ctx->root;

	if (!target || (va & (size - 1)) || (pa & (size - 1)))
		return -EINVAL;
	/* As Linux does: tables above a user page are user and writable; the leaf decides. */
	if (!ctx->table_flags && (leaf_flags & X86_PTE_US))
		tflags |= X86_PTE_US;
	for (unsigned int level = ctx->levels; level > target; level--) {
		paddr_t ea = table + (paddr_t)x86_pt_index(va, level) * sizeof(uint64_t);
		uint64_t e = physmem_read64(ctx->pm, ea);

		if (!x86_pte_present(e)) {
			paddr_t fresh;
			int err = ctx->alloc->alloc_table(ctx->alloc->ctx, &fresh);

			if (err)
				return err;
			e = x86_pte_make(fresh, tflags | X86_PTE_P);
			physmem_write64(ctx->pm, ea, e);
		} else if (level <= X86_LEVEL_PDPTE && x86_pte_large(e)) {
			return -EEXIST;
		} else if ((tflags & ~e) & (X86_PTE_US | X86_PTE_RW)) {
			e |= tflags & (X86_PTE_US | X86_PTE_RW);
			physmem_write64(ctx->pm, ea, e);
		}
		table = x86_pte_addr(e, ctx->maxphyaddr);
	}
	{
		paddr_t ea = table + (paddr_t)x86_pt_index(va, target) * sizeof(uint64_t);
		uint64_t old = physmem_read64(ctx->pm, ea);
		uint64_t flags = leaf_flags | X86_PTE_P;

		if (x86_pte_present(old))
			return -EEXIST;
		if (target > X86_LEVEL_PTE)
			flags |= X86_PTE_PS;
		physmem_write64(ctx->pm, ea, x86_pte_make(pa, flags));
	}
	return 0;
}

int x86_pt_lookup(const struct x86_pt_ctx *ctx, vaddr_t va, paddr_t *entry_addr_out,
		  unsigned int *level_out)
{
	paddr_t table = ctx->root;

	for (unsigned int level = ctx->levels; level >= X86_LEVEL_PTE; level--) {
		paddr_t ea = table + (paddr_t)x86_pt_index(va, level) * sizeof(uint64_t);
		uint64_t e = physmem_read64(ctx->pm, ea);

		*level_out = level;
		*entry_addr_out = ea;
		if (!x86_pte_present(e))
			return -ENOENT;
		if (level == X86_LEVEL_PTE || (level <= X86_LEVEL_PDPTE && x86_pte_large(e)))
			return 0;
		table = x86_pte_addr(e, ctx->maxphyaddr);
	}
	return -ENOENT;
}

int x86_pt_unmap(const struct x86_pt_ctx *ctx, vaddr_t va, unsigned int *page_shift_out)
{
	paddr_t ea;
	unsigned int level;
	int err = x86_pt_lookup(ctx, va, &ea, &level);

	if (err)
		return err;
	physmem_write64(ctx->pm, ea, 0);
	if (page_shift_out)
		*page_shift_out = x86_level_shift(level);
	return 0;
}
