/*
 * arch/x86_64/radix.c: the "what if" radix walk of radix.h (NOT x86; docs/page-size.md).
 */
#include "arch/x86_64/radix.h"

#include <errno.h>

#include "arch/x86_64/physmem.h"
#include "arch/x86_64/pte.h"

/* A table entry is 8 bytes; a table fills one page. */
#define RADIX_ENTRY_SHIFT 3u

int radix_geometry_init(struct radix_geometry *g, unsigned int page_shift, unsigned int va_bits)
{
	unsigned int above;

	if ((page_shift != 12 && page_shift != 13 && page_shift != 14 && page_shift != 16) ||
	    va_bits < 32 || va_bits > 57)
		return -EINVAL;
	g->page_shift = page_shift;
	g->va_bits = va_bits;
	g->index_bits = page_shift - RADIX_ENTRY_SHIFT;
	g->entries_per_table = UINT64_C(1) << g->index_bits;
	above = va_bits - page_shift;
	g->levels = (above + g->index_bits - 1) / g->index_bits;
	g->top_bits = above - (g->levels - 1) * g->index_bits;
	return g->levels <= RADIX_MAX_LEVELS ? 0 : -EINVAL;
}

unsigned int radix_index(const struct radix_geometry *g, vaddr_t va, unsigned int level)
{
	unsigned int shift = g->page_shift + g->index_bits * (level - 1);
	unsigned int bits = level == g->levels ? g->top_bits : g->index_bits;

	return (unsigned int)((va >> shift) & ((UINT64_C(1) << bits) - 1));
}

static paddr_t entry_addr(const struct radix_geometry *g, paddr_t table, vaddr_t va,
			  unsigned int level)
{
	return table + ((paddr_t)radix_index(g, va, level) << RADIX_ENTRY_SHIFT);
}

/* The page-aligned address an entry names (the x86 address field, 52 bits at most). */
static paddr_t entry_target(const struct radix_geometry *g, uint64_t e)
{
	return e & X86_PTE_ADDR_MAX_MASK & ~((UINT64_C(1) << g->page_shift) - 1);
}

int radix_map(const struct radix_geometry *g, struct physmem *pm, paddr_t root,
	      const struct radix_alloc *alloc, vaddr_t va, paddr_t pa, uint64_t flags)
{
	uint64_t page_mask = (UINT64_C(1) << g->page_shift) - 1;
	paddr_t table = root;

	if ((va & page_mask) || (pa & page_mask) || (va >> g->va_bits))
		return -EINVAL;
	for (unsigned int level = g->levels; level > 1; level--) {
		paddr_t ea = entry_addr(g, table, va, level);
		uint64_t e = physmem_read64(pm, ea);

		if (!x86_pte_present(e)) {
			paddr_t fresh;
			int err = alloc->alloc_table(alloc->ctx, &fresh);

			if (err)
				return err;
			e = fresh | X86_PTE_P | X86_PTE_RW | X86_PTE_US;
			physmem_write64(pm, ea, e);
		}
		table = entry_target(g, e);
	}
	{
		paddr_t ea = entry_addr(g, table, va, 1);

		if (x86_pte_present(physmem_read64(pm, ea)))
			return -EEXIST;
		physmem_write64(pm, ea, pa | flags | X86_PTE_P);
	}
	return 0;
}

void radix_walk(const struct radix_geometry *g, struct physmem *pm, paddr_t root, vaddr_t va,
		struct radix_walk_result *res)
{
	paddr_t table = root;

	res->ok = false;
	res->pa = 0;
	res->nr_steps = 0;
	if (va >> g->va_bits)
		return;
	for (unsigned int level = g->levels; level >= 1; level--) {
		paddr_t ea = entry_addr(g, table, va, level);
		uint64_t e = physmem_read64(pm, ea);

		res->nr_steps++;
		if (!x86_pte_present(e))
			return;
		if (!x86_pte_accessed(e))
			physmem_write64(pm, ea, e | X86_PTE_A);
		table = entry_target(g, e);
	}
	res->ok = true;
	res->pa = table | (va & ((UINT64_C(1) << g->page_shift) - 1));
}
