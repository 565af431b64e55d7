/*
 * tests/unit/mm/test_vma_mt.c: the VMA lookup index against the plain answer. Random,
 * seeded links and unlinks of VMAs with gaps between them; after each step, for addresses
 * in, between and around every VMA, vma_mt_find_above() must give what a walk of the
 * sorted array does (the first VMA with end > addr), and vma_mt_last() the highest one.
 */
#include <criterion/criterion.h>
#include <stdlib.h>

#include "mm/vma.h"
#include "mm/vma_mt.h"
#include "util/macros.h"

#define SLOTS 200
#define SLOT_BYTES UINT64_C(0x400000)

static uint64_t rng_next(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* The first VMA in slot order with end > addr: the reference answer. */
static struct vma *reference(struct vma *slot[SLOTS], vaddr_t addr)
{
	for (int i = 0; i < SLOTS; i++)
		if (slot[i] && slot[i]->end > addr)
			return slot[i];
	return NULL;
}

Test(vma_mt, lookups_match_the_ordered_walk_through_random_links_and_unlinks)
{
	struct vma *slot[SLOTS] = { 0 };
	struct vma_mt *mt = vma_mt_create();
	uint64_t seed = 15;

	cr_assert_not_null(mt);
	for (int step = 0; step < 3000; step++) {
		int i = (int)(rng_next(&seed) % SLOTS);

		if (slot[i]) {
			vma_mt_erase(mt, slot[i]);
			free(slot[i]);
			slot[i] = NULL;
		} else {
			struct vma *v = calloc(1, sizeof(*v)), *prev = NULL;

			cr_assert_not_null(v);
			/* VMAs of 1..512 pages inside their slot, gaps between them */
			v->start = 0x10000000 + i * SLOT_BYTES + (rng_next(&seed) % 16) * 4096;
			v->end = v->start + (1 + rng_next(&seed) % 512) * 4096;
			for (int k = 0; k < i; k++)
				if (slot[k])
					prev = slot[k];
			cr_assert(vma_mt_insert_after(mt, prev, v));
			slot[i] = v;
		}
		for (int k = 0; k < SLOTS; k++) {
			vaddr_t base = 0x10000000 + k * SLOT_BYTES;
			vaddr_t probe[] = { base,
					    base + 4096 * 17,
					    base + SLOT_BYTES - 1,
					    slot[k] ? slot[k]->start : base,
					    slot[k] ? slot[k]->end - 1 : base,
					    slot[k] ? slot[k]->end : base };

			for (unsigned int j = 0; j < ARRAY_SIZE(probe); j++)
				cr_assert_eq(vma_mt_find_above(mt, probe[j]),
					     reference(slot, probe[j]), "step %d, address %#llx",
					     step, (unsigned long long)probe[j]);
		}
		{
			struct vma *last = NULL;

			for (int k = 0; k < SLOTS; k++)
				if (slot[k])
					last = slot[k];
			cr_assert_eq(vma_mt_last(mt), last, "step %d", step);
		}
	}
	cr_assert_null(vma_mt_find_above(mt, 0x10000000 + SLOTS * SLOT_BYTES));
	for (int i = 0; i < SLOTS; i++)
		free(slot[i]);
	vma_mt_destroy(mt);
}
