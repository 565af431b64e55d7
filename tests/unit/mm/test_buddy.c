/*
 * tests/unit/mm/test_buddy.c: split and merge at every order and alignment edge.
 *
 * The 32 MiB machine's DMA32 zone manages pfns 4096..8063 (the memmap takes 8064..8191),
 * which boot frees as the largest aligned blocks: order 10 at 4096, 5120, 6144, order 9 at
 * 7168, order 8 at 7680, order 7 at 7936. Those positions follow from the alignment rule
 * alone (derived by hand), so the tests know exactly which block each step must touch.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "mm/buddy.h"
#include "mm/mm_test_machine.h"
#include "mm/page.h"
#include "mm/zone.h"

static const unsigned long dma32_boot_free[BUDDY_NR_ORDERS] = { 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 3 };

static void assert_free_counts(const struct zone *z, const unsigned long *want, const char *when)
{
	struct check_report why;

	for (unsigned int o = 0; o < BUDDY_NR_ORDERS; o++)
		cr_assert_eq(z->free_area[o].nr_free, want[o],
			     "%s: order %u has %lu blocks, want %lu", when, o,
			     z->free_area[o].nr_free, want[o]);
	cr_assert(buddy_check(z, &why), "%s: %s", when, why.reason);
}

static pfn_t first_free(const struct zone *z, unsigned int order)
{
	const struct list_head *n = z->free_area[order].free_list.next;

	return memmap_page_to_pfn(&z->pgdat->memmap, list_entry(n, struct page, lru));
}

Test(buddy, boot_blocks_are_largest_aligned)
{
	struct test_machine m;
	struct zone *z;

	test_boot(&m, 32 * MIB);
	z = &m.pgdat->zones[ZONE_DMA32];
	assert_free_counts(z, dma32_boot_free, "boot");
	/* The order-10 blocks wait as the lazy run behind an empty list (buddy.h)... */
	cr_assert(list_empty(&z->free_area[10].free_list));
	cr_assert_eq(z->free_area[10].lazy_start, 4096);
	cr_assert_eq(z->free_area[10].lazy_end, 7168);
	cr_assert_eq(pgdat_page(m.pgdat, 5120)->flags, 0, "a lazy head is not written");
	/* ... and stand where boot queued them: at the tail, in address order. */
	buddy_materialize(z);
	cr_assert(!buddy_has_lazy(&z->free_area[10]));
	cr_assert_eq(first_free(z, 10), 4096, "boot frees to the tail: address order");
	cr_assert_eq(
		memmap_page_to_pfn(&m.pgdat->memmap,
				   list_entry(z->free_area[10].free_list.prev, struct page, lru)),
		6144);
	assert_free_counts(z, dma32_boot_free, "materialized");
	TEST_CHECK(m.pgdat);
	cr_assert_eq(first_free(z, 9), 7168);
	cr_assert_eq(first_free(z, 8), 7680);
	cr_assert_eq(first_free(z, 7), 7936);
	test_shutdown(&m);
}

Test(buddy, split_keeps_the_lower_half)
{
	struct test_machine m;
	struct zone *z;
	const unsigned long after[BUDDY_NR_ORDERS] = { 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 3 };
	pfn_t pfn;

	test_boot(&m, 32 * MIB);
	z = &m.pgdat->zones[ZONE_DMA32];
	cr_assert_eq(buddy_alloc(z, 0, &pfn), 0);
	cr_assert_eq(pfn, 7936, "the smallest block that fits (order 7) is split");
	assert_free_counts(z, after, "after the split");
	/* expand(): the upper half of each split is left free, at order 6, 5, ... 0. */
	for (unsigned int o = 0; o < 7; o++)
		cr_assert_eq(first_free(z, o), 7936 + (UINT64_C(1) << o), "order %u", o);
	cr_assert_eq(pgdat_page(m.pgdat, pfn)->refcount, 1);
	cr_assert_eq(z->nr_free_pages, 3968 - 1);
	buddy_free(z, pfn, 0);
	assert_free_counts(z, dma32_boot_free, "after the free: merged back to order 7");
	cr_assert_eq(z->nr_free_pages, 3968);
	test_shutdown(&m);
}

Test(buddy, alloc_and_free_at_every_order)
{
	struct test_machine m;
	struct zone *z;
	/* Where each order comes from: orders 0..7 split the order-7 block at 7936, 8 and 9
	 * take their own blocks, 10 takes the first order-10 block. */
	const pfn_t where[BUDDY_NR_ORDERS] = { 7936, 7936, 7936, 7936, 7936, 7936,
					       7936, 7936, 7680, 7168, 4096 };

	test_boot(&m, 32 * MIB);
	z = &m.pgdat->zones[ZONE_DMA32];
	for (unsigned int o = 0; o < BUDDY_NR_ORDERS; o++) {
		pfn_t pfn;
		struct page *head;

		cr_assert_eq(buddy_alloc(z, o, &pfn), 0, "order %u", o);
		cr_assert_eq(pfn, where[o], "order %u at %llu", o, (unsigned long long)pfn);
		cr_assert_eq(pfn & ((UINT64_C(1) << o) - 1), 0, "aligned to its size");
		head = pgdat_page(m.pgdat, pfn);
		cr_assert_eq(page_flag_test(head, PG_HEAD), o > 0);
		for (pfn_t i = 1; i < (UINT64_C(1) << o); i++)
			cr_assert(page_flag_test(head + i, PG_TAIL) && head[i].order == o);
		cr_assert_eq(memmap_head_pfn(&m.pgdat->memmap, pfn + (UINT64_C(1) << o) - 1), pfn);
		TEST_CHECK(m.pgdat);
		buddy_free(z, pfn, o);
		assert_free_counts(z, dma32_boot_free, "freed");
		TEST_CHECK(m.pgdat);
	}
	test_shutdown(&m);
}

/* Allocates the 128 order-0 frames of the order-7 block; they come in address order. */
static void take_order7_block(struct zone *z, pfn_t *pfns)
{
	for (unsigned int i = 0; i < 128; i++) {
		cr_assert_eq(buddy_alloc(z, 0, &pfns[i]), 0);
		cr_assert_eq(pfns[i], 7936 + i, "frame %u", i);
	}
}

Test(buddy, merge_in_any_free_order)
{
	struct test_machine m;
	struct zone *z;
	pfn_t pfns[128];
	const unsigned long block_gone[BUDDY_NR_ORDERS] = { 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 3 };

	test_boot(&m, 32 * MIB);
	z = &m.pgdat->zones[ZONE_DMA32];
	for (unsigned int pattern = 0; pattern < 4; pattern++) {
		unsigned int order_of_free[128];
		unsigned int seed = 12345;

		take_order7_block(z, pfns);
		assert_free_counts(z, block_gone, "all 128 frames taken");
		for (unsigned int i = 0; i < 128; i++)
			order_of_free[i] = i;
		if (pattern == 1) /* descending */
			for (unsigned int i = 0; i < 128; i++)
				order_of_free[i] = 127 - i;
		if (pattern == 2) /* evens then odds: nothing merges until the odd half */
			for (unsigned int i = 0; i < 128; i++)
				order_of_free[i] = i < 64 ? 2 * i : 2 * (i - 64) + 1;
		if (pattern == 3) /* a fixed shuffle */
			for (unsigned int i = 127; i > 0; i--) {
				unsigned int j = (seed = seed * 1103515245u + 12345u) % (i + 1);
				unsigned int t = order_of_free[i];

				order_of_free[i] = order_of_free[j];
				order_of_free[j] = t;
			}
		for (unsigned int i = 0; i < 128; i++) {
			buddy_free(z, pfns[order_of_free[i]], 0);
			TEST_CHECK(m.pgdat);
			if (pattern == 2 && i == 63)
				cr_assert_eq(z->free_area[0].nr_free, 64,
					     "64 lone frames, no merge");
		}
		assert_free_counts(z, dma32_boot_free, "merged back to one order-7 block");
	}
	test_shutdown(&m);
}

Test(buddy, merge_stops_at_max_order)
{
	struct test_machine m;
	struct zone *z;
	pfn_t *pfns;
	unsigned int seed = 7;

	test_boot(&m, 32 * MIB);
	z = &m.pgdat->zones[ZONE_DMA32];
	pfns = calloc(3968, sizeof(*pfns));
	cr_assert(pfns);
	for (unsigned int i = 0; i < 3968; i++)
		cr_assert_eq(buddy_alloc(z, 0, &pfns[i]), 0, "frame %u", i);
	cr_assert_eq(buddy_alloc(z, 0, &pfns[0]), -ENOMEM, "the zone is empty");
	cr_assert_eq(z->nr_free_pages, 0);
	for (unsigned int i = 3967; i > 0; i--) {
		unsigned int j = (seed = seed * 1103515245u + 12345u) % (i + 1);
		pfn_t t = pfns[i];

		pfns[i] = pfns[j];
		pfns[j] = t;
	}
	for (unsigned int i = 0; i < 3968; i++)
		buddy_free(z, pfns[i], 0);
	/* 4096 and 5120 are buddies at order 10 but must not merge into order 11. */
	assert_free_counts(z, dma32_boot_free, "everything merged, up to order 10 only");
	TEST_CHECK(m.pgdat);
	free(pfns);
	test_shutdown(&m);
}

Test(buddy, buddies_merge_pairwise)
{
	struct test_machine m;
	struct zone *z;
	pfn_t a, b;

	test_boot(&m, 32 * MIB);
	z = &m.pgdat->zones[ZONE_DMA32];
	/* Two order-3 blocks from the order-7 block: 7936 and its buddy 7944. */
	cr_assert_eq(buddy_alloc(z, 3, &a), 0);
	cr_assert_eq(buddy_alloc(z, 3, &b), 0);
	cr_assert_eq(a, 7936);
	cr_assert_eq(b, a ^ 8, "the second is the first one's buddy");
	buddy_free(z, a, 3);
	cr_assert_eq(z->free_area[3].nr_free, 1, "a waits for its buddy");
	buddy_free(z, b, 3);
	assert_free_counts(z, dma32_boot_free, "pair merged and carried up to order 7");
	test_shutdown(&m);
}

Test(buddy, enomem_when_no_block_is_large_enough)
{
	struct test_machine m;
	struct zone *z;
	pfn_t pfn;

	test_boot(&m, 32 * MIB);
	z = &m.pgdat->zones[ZONE_DMA32];
	for (int i = 0; i < 3; i++)
		cr_assert_eq(buddy_alloc(z, 10, &pfn), 0);
	cr_assert_eq(buddy_alloc(z, 10, &pfn), -ENOMEM, "896 pages free, but no 4 MiB block");
	cr_assert_eq(buddy_max_free_order(z), 9);
	cr_assert_eq(buddy_alloc(z, 9, &pfn), 0);
	cr_assert_eq(buddy_max_free_order(z), 8);
	test_shutdown(&m);
}

Test(buddy, checker_sees_a_wrong_count)
{
	struct test_machine m;
	struct zone *z;
	struct check_report why;

	test_boot(&m, 32 * MIB);
	z = &m.pgdat->zones[ZONE_DMA32];
	z->free_area[10].nr_free++;
	cr_assert(!buddy_check(z, &why));
	cr_assert(strstr(why.reason, "nr_free"), "%s", why.reason);
	test_shutdown(&m);
}

Test(buddy, checker_sees_a_wrong_order)
{
	struct test_machine m;
	struct zone *z;
	struct check_report why;

	test_boot(&m, 32 * MIB);
	z = &m.pgdat->zones[ZONE_DMA32];
	pgdat_page(m.pgdat, 7936)->order = 6; /* on the order-7 list, claims order 6 */
	cr_assert(!buddy_check(z, &why));
	cr_assert(strstr(why.reason, "not a free block of that order"), "%s", why.reason);
	test_shutdown(&m);
}

Test(buddy, checker_sees_unmerged_buddies)
{
	struct test_machine m;
	struct zone *z;
	struct check_report why;
	struct page *head, *upper;
	pfn_t pfn;

	test_boot(&m, 32 * MIB);
	z = &m.pgdat->zones[ZONE_DMA32];
	cr_assert_eq(buddy_alloc(z, 7, &pfn), 0);
	cr_assert_eq(pfn, 7936);
	/* Forge the allocated order-7 block into two free order-6 halves, 7936 and its
	 * buddy 8000, put on the list without merging (as a broken free path would). */
	head = pgdat_page(m.pgdat, 7936);
	upper = pgdat_page(m.pgdat, 8000);
	for (int i = 1; i < 128; i++) {
		head[i].flags = 0;
		head[i].order = 0;
	}
	head->flags = 0;
	head->refcount = 0;
	head->order = 6;
	page_flag_set(head, PG_BUDDY);
	upper->order = 6;
	page_flag_set(upper, PG_BUDDY);
	list_add(&head->lru, &z->free_area[6].free_list);
	list_add(&upper->lru, &z->free_area[6].free_list);
	z->free_area[6].nr_free += 2;
	z->nr_free_pages += 128;
	cr_assert(!buddy_check(z, &why));
	cr_assert(strstr(why.reason, "unmerged"), "%s", why.reason);
	test_shutdown(&m);
}

Test(buddy, double_free_is_a_bug, .signal = SIGABRT)
{
	struct test_machine m;
	struct zone *z;
	pfn_t pfn;

	test_boot(&m, 32 * MIB);
	z = &m.pgdat->zones[ZONE_DMA32];
	cr_assert_eq(buddy_alloc(z, 0, &pfn), 0);
	buddy_free(z, pfn, 0);
	buddy_free(z, pfn, 0); /* MM_BUG_ON: the head is already free */
}

/*
 * buddy_isolate_free() (compaction's free scanner) hands out every frame of a free block
 * as an order-0 page of this zone: frames inside a boot block were never touched (lazy
 * memmap, zone_idx 0 = DMA), and a page freed later must go back to DMA32, not DMA.
 */
Test(buddy, isolated_free_pages_belong_to_their_zone)
{
	struct test_machine m;
	struct zone *z;

	test_boot(&m, 32 * MIB);
	z = &m.pgdat->zones[ZONE_DMA32];
	buddy_isolate_free(z, 7936, 7);
	for (pfn_t pfn = 7936; pfn < 7936 + 128; pfn++)
		cr_assert_eq(pgdat_page(m.pgdat, pfn)->zone_idx, ZONE_DMA32, "pfn %lu",
			     (unsigned long)pfn);
	for (pfn_t pfn = 7936; pfn < 7936 + 128; pfn++)
		buddy_free(z, pfn, 0);
	assert_free_counts(z, dma32_boot_free, "after freeing the isolated pages");
	test_shutdown(&m);
}

/*
 * The lazy run against the list it stands for: one machine keeps its boot blocks lazy, the
 * other writes them out at once (pgdat_memmap_materialize()); a seeded mix of allocations
 * and frees at every order, across the run's edge and past its end, must hand out the same
 * pfns in the same order and leave the same counts per order (buddyinfo), with every
 * checker holding on both. Halfway, the lazy one is materialized with blocks both on its
 * list (freed back to the head) and still lazy.
 */
#define MIX_STEPS 600
#define MIX_HELD 96

struct held_block {
	pfn_t pfn;
	unsigned int order;
};

static uint64_t mix_rand(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static void assert_same_buddy(const struct zone *a, const struct zone *b, int step)
{
	for (unsigned int o = 0; o < BUDDY_NR_ORDERS; o++)
		cr_assert_eq(a->free_area[o].nr_free, b->free_area[o].nr_free,
			     "step %d order %u: %lu blocks lazy, %lu written", step, o,
			     a->free_area[o].nr_free, b->free_area[o].nr_free);
	cr_assert_eq(a->nr_free_pages, b->nr_free_pages, "step %d", step);
}

Test(buddy, lazy_boot_blocks_hand_out_what_the_list_would)
{
	struct test_machine lazy, full;
	struct held_block held[MIX_HELD];
	unsigned int nr_held = 0;
	uint64_t seed = 0x9e3779b97f4a7c15ull;
	struct zone *zl, *zf;

	test_boot(&lazy, 256 * MIB);
	test_boot(&full, 256 * MIB);
	pgdat_memmap_materialize(full.pgdat);
	zl = &lazy.pgdat->zones[ZONE_DMA32];
	zf = &full.pgdat->zones[ZONE_DMA32];
	cr_assert(buddy_has_lazy(&zl->free_area[10]));
	cr_assert(!buddy_has_lazy(&zf->free_area[10]));
	for (int step = 0; step < MIX_STEPS; step++) {
		uint64_t r = mix_rand(&seed);
		bool take = nr_held == 0 || (nr_held < MIX_HELD && r % 8 < 5);

		if (step == MIX_STEPS / 2) {
			cr_assert(buddy_has_lazy(&zl->free_area[10]), "still lazy at half time");
			pgdat_memmap_materialize(lazy.pgdat);
		}
		if (take) {
			/* Mostly order 10 and 9, so the run drains; some small ones split. */
			static const unsigned int orders[8] = { 10, 10, 10, 9, 9, 3, 0, 0 };
			unsigned int order = orders[(r >> 8) % 8];
			pfn_t pl, pf;
			int rl = buddy_alloc(zl, order, &pl), rf = buddy_alloc(zf, order, &pf);

			cr_assert_eq(rl, rf, "step %d order %u", step, order);
			if (rl == 0) {
				cr_assert_eq(pl, pf,
					     "step %d order %u: pfn %#llx lazy, %#llx written",
					     step, order, (unsigned long long)pl,
					     (unsigned long long)pf);
				held[nr_held++] = (struct held_block){ pl, order };
			}
		} else {
			unsigned int i = (unsigned int)((r >> 8) % nr_held);

			buddy_free(zl, held[i].pfn, held[i].order);
			buddy_free(zf, held[i].pfn, held[i].order);
			held[i] = held[--nr_held];
		}
		assert_same_buddy(zl, zf, step);
		if (step % 50 == 0) {
			TEST_CHECK(lazy.pgdat);
			TEST_CHECK(full.pgdat);
		}
	}
	TEST_CHECK(lazy.pgdat);
	TEST_CHECK(full.pgdat);
	test_shutdown(&lazy);
	test_shutdown(&full);
}

/* The checker sees a lazy block whose head something wrote behind the allocator's back. */
Test(buddy, checker_sees_a_written_lazy_head)
{
	struct test_machine m;
	struct zone *z;
	struct check_report why;

	test_boot(&m, 32 * MIB);
	z = &m.pgdat->zones[ZONE_DMA32];
	pgdat_page(m.pgdat, 5120)->refcount = 1;
	cr_assert(!buddy_check(z, &why));
	cr_assert(strstr(why.reason, "lazy free block"), "%s", why.reason);
	test_shutdown(&m);
}
