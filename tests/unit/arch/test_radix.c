/*
 * tests/unit/arch/test_radix.c: the "what if" radix walk for 4, 8, 16 and 64 KiB pages
 * (arch/x86_64/radix.h; NOT x86). Geometries are worked out by hand from "a table fills
 * a page of 8-byte entries" and checked against arm64's published ones (48-bit VA: 4 KiB
 * granule 4 levels, 16 KiB 4 levels with a 2-entry top table, 64 KiB 3 levels with a
 * 64-entry top table: Arm ARM D8.2 / Linux Documentation/arch/arm64/memory.rst).
 */
#include <criterion/criterion.h>
#include <errno.h>

#include "arch/x86_64/physmem.h"
#include "arch/x86_64/pte.h"
#include "arch/x86_64/radix.h"

struct bump {
	struct physmem *pm;
	paddr_t next;
	uint64_t size;
	unsigned int nr;
};

static int bump_alloc(void *ctx, paddr_t *pa_out)
{
	struct bump *b = ctx;

	*pa_out = b->next;
	b->next += b->size;
	b->nr++;
	return 0;
}

Test(radix, geometries_for_48_bit_addresses)
{
	static const struct {
		unsigned int shift, index_bits, levels, top_bits;
	} want[] = {
		{ 12, 9, 4, 9 },  /* x86-64 / arm64 4K: 9+9+9+9+12 = 48 */
		{ 13, 10, 4, 5 }, /* 8K: 5+10+10+10+13 = 48 */
		{ 14, 11, 4, 1 }, /* arm64 16K: 1+11+11+11+14 = 48 */
		{ 16, 13, 3, 6 }, /* arm64 64K: 6+13+13+16 = 48 */
	};

	for (unsigned int i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		struct radix_geometry g;

		cr_assert_eq(radix_geometry_init(&g, want[i].shift, 48), 0);
		cr_assert_eq(g.index_bits, want[i].index_bits, "shift %u", want[i].shift);
		cr_assert_eq(g.levels, want[i].levels, "shift %u", want[i].shift);
		cr_assert_eq(g.top_bits, want[i].top_bits, "shift %u", want[i].shift);
		cr_assert_eq(g.page_shift + g.index_bits * (g.levels - 1) + g.top_bits, 48);
	}
	cr_assert_eq(radix_geometry_init(&(struct radix_geometry){ 0 }, 15, 48), -EINVAL);
}

Test(radix, the_4k_geometry_indexes_like_x86)
{
	struct radix_geometry g;
	vaddr_t va = UINT64_C(0x00007f1234567abc);

	cr_assert_eq(radix_geometry_init(&g, 12, 48), 0);
	for (unsigned int level = 1; level <= 4; level++)
		cr_assert_eq(radix_index(&g, va, level), x86_pt_index(va, level));
}

Test(radix, map_then_walk_at_every_page_size)
{
	static const unsigned int shifts[] = { 12, 13, 14, 16 };

	for (unsigned int i = 0; i < 4; i++) {
		struct physmem pm;
		struct radix_geometry g;
		struct radix_walk_result r;
		uint64_t size = UINT64_C(1) << shifts[i];
		struct bump b = { .pm = &pm, .next = 16 * size, .size = size };
		struct radix_alloc alloc = { .alloc_table = bump_alloc, .ctx = &b };
		paddr_t root = 0;
		vaddr_t va = UINT64_C(0x00007f0000000000) + 5 * size;

		cr_assert_eq(physmem_init(&pm, 0, true), 0);
		cr_assert_eq(radix_geometry_init(&g, shifts[i], 48), 0);
		cr_assert_eq(radix_map(&g, &pm, root, &alloc, va, 7 * size, X86_PTE_RW), 0);
		/* One table per level below the root. */
		cr_assert_eq(b.nr, g.levels - 1, "shift %u", shifts[i]);
		radix_walk(&g, &pm, root, va + 0x123, &r);
		cr_assert(r.ok);
		cr_assert_eq(r.pa, 7 * size + 0x123);
		cr_assert_eq(r.nr_steps, g.levels);
		/* The next page shares every table: mapping it allocates nothing. */
		cr_assert_eq(radix_map(&g, &pm, root, &alloc, va + size, 9 * size, 0), 0);
		cr_assert_eq(b.nr, g.levels - 1);
		cr_assert_eq(radix_map(&g, &pm, root, &alloc, va, 8 * size, 0), -EEXIST);
		cr_assert_eq(radix_map(&g, &pm, root, &alloc, va + 1, 8 * size, 0), -EINVAL);
		radix_walk(&g, &pm, root, va + 2 * size, &r);
		cr_assert_not(r.ok, "not mapped");
		cr_assert_eq(r.nr_steps, g.levels, "the leaf entry was read and is not present");
		radix_walk(&g, &pm, root, UINT64_C(1) << 48, &r);
		cr_assert_not(r.ok, "beyond 48 bits");
		cr_assert_eq(r.nr_steps, 0);
		physmem_fini(&pm);
	}
}
