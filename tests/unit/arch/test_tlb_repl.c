/*
 * tests/unit/arch/test_tlb_repl.c: LRU and tree-PLRU replacement, on hand-worked sequences.
 */
#include <criterion/criterion.h>

#include "arch/x86_64/tlb_repl.h"

Test(tlb_repl, lru_replaces_the_oldest_way)
{
	struct tlb_repl r;
	const unsigned int order[] = { 0, 1, 2, 3, 1, 0 };

	cr_assert_eq(tlb_repl_init(&r, TLB_REPL_LRU, 2, 4), 0);
	for (unsigned int i = 0; i < 6; i++)
		tlb_repl_touch(&r, 1, order[i]);
	cr_assert_eq(tlb_repl_victim(&r, 1), 2); /* uses: 2 at t3, 3 at t4, 1 at t5, 0 at t6 */
	tlb_repl_touch(&r, 1, 2);
	cr_assert_eq(tlb_repl_victim(&r, 1), 3);
	cr_assert_eq(tlb_repl_victim(&r, 0), 0, "an untouched set: way 0");
	tlb_repl_fini(&r);
}

Test(tlb_repl, plru_follows_the_tree)
{
	struct tlb_repl r;

	/*
	 * Eight ways. Touch 0..7 in order: every node points away from the last touch on its
	 * side, so the root points left, then to the pair 0-1 (2-3 was touched later), then to
	 * way 0 (1 was touched later).
	 */
	cr_assert_eq(tlb_repl_init(&r, TLB_REPL_PLRU, 1, 8), 0);
	for (unsigned int w = 0; w < 8; w++)
		tlb_repl_touch(&r, 0, w);
	cr_assert_eq(tlb_repl_victim(&r, 0), 0);
	tlb_repl_touch(&r, 0, 0); /* root right; right subtree points at 4-5 then 4 */
	cr_assert_eq(tlb_repl_victim(&r, 0), 4);
	tlb_repl_touch(&r, 0, 4); /* root left; left subtree points at 2-3 then 2 */
	cr_assert_eq(tlb_repl_victim(&r, 0), 2);
	tlb_repl_fini(&r);
}

Test(tlb_repl, touching_the_most_recent_way_again_changes_nothing)
{
	struct tlb_repl r;

	for (unsigned int kind = TLB_REPL_LRU; kind <= TLB_REPL_PLRU; kind++) {
		cr_assert_eq(tlb_repl_init(&r, (enum tlb_repl_kind)kind, 1, 4), 0);
		tlb_repl_touch(&r, 0, 2);
		tlb_repl_touch(&r, 0, 0);
		tlb_repl_touch(&r, 0, 3);
		tlb_repl_touch(&r, 0, 1);
		unsigned int before = tlb_repl_victim(&r, 0);

		tlb_repl_touch(&r, 0, 1);
		cr_assert_eq(tlb_repl_victim(&r, 0), before);
		tlb_repl_fini(&r);
	}
}

Test(tlb_repl, plru_needs_a_power_of_two_up_to_64)
{
	cr_assert(tlb_repl_supports(TLB_REPL_LRU, 12));
	cr_assert(tlb_repl_supports(TLB_REPL_PLRU, 1));
	cr_assert(tlb_repl_supports(TLB_REPL_PLRU, 64));
	cr_assert_not(tlb_repl_supports(TLB_REPL_PLRU, 12));
	cr_assert_not(tlb_repl_supports(TLB_REPL_PLRU, 128));
	cr_assert_not(tlb_repl_supports(TLB_REPL_LRU, 0));
}

/*
 * The packed recency order (up to 16 ways) against a plain model written here: a stamp per
 * way, 0 when forgotten, victim = the smallest stamp, ties to the lowest way. Random touches,
 * forgets and victim fills, from a fixed seed; the stamp form (more ways) is checked too.
 * A touch of a way the model has used since it was last forgotten goes through
 * tlb_repl_touch_used() (a TLB hit's touch), and tlb_repl_forgotten() must name exactly the
 * ways the model holds at 0 (order and list forms, up to 255 ways).
 */
Test(tlb_repl, lru_forms_agree_with_a_stamp_model)
{
	static const unsigned int shapes[] = { 1,  2,  3,  4,  8,   12,	 15, 16,
					       17, 20, 32, 64, 255, 256, 300 };
	uint64_t seed = 12345;

	for (unsigned int s = 0; s < sizeof(shapes) / sizeof(shapes[0]); s++) {
		unsigned int ways = shapes[s], nr_sets = 4;
		uint64_t stamp[4][300] = { { 0 } }, clock = 0;
		struct tlb_repl r;

		cr_assert_eq(tlb_repl_init(&r, TLB_REPL_LRU, nr_sets, ways), 0);
		for (unsigned int step = 0; step < 20000; step++) {
			unsigned int set, way, op, want = 0;

			seed = seed * 6364136223846793005ull + 1442695040888963407ull;
			set = (unsigned int)(seed >> 33) % nr_sets;
			way = (unsigned int)(seed >> 40) % ways;
			op = (unsigned int)(seed >> 50) % 8;
			for (unsigned int w = 1; w < ways; w++) {
				if (stamp[set][w] < stamp[set][want])
					want = w;
			}
			cr_assert_eq(tlb_repl_victim(&r, set), want, "ways %u step %u", ways, step);
			if (op == 0) {
				tlb_repl_forget(&r, set, way);
				stamp[set][way] = 0;
			} else if (op < 3) {
				tlb_repl_touch(&r, set, want); /* a fill of the victim */
				stamp[set][want] = ++clock;
			} else if (stamp[set][way] && op < 6) {
				tlb_repl_touch_used(&r, set, way);
				stamp[set][way] = ++clock;
			} else {
				tlb_repl_touch(&r, set, way);
				stamp[set][way] = ++clock;
			}
			for (unsigned int w = 0; ways <= TLB_REPL_LIST_MAX_WAYS && w < ways; w++)
				cr_assert_eq(tlb_repl_forgotten(&r, set, w), stamp[set][w] == 0,
					     "ways %u step %u way %u", ways, step, w);
		}
		tlb_repl_fini(&r);
	}
}
