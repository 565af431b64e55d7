/*
 * tests/unit/mm/test_swap.c: the swap area's free-slot map against the linear next-fit scan
 * it replaced. Random, seeded takes and puts of slots on areas of several sizes (one map
 * level up to four); every take must give the slot the scan gives (the first free slot at
 * or after the cursor, wrapping to slot 1), and swap_check()'s map invariants must hold.
 */
#include <criterion/criterion.h>
#include <stdlib.h>

#include "mm/swap.h"

static uint64_t rng_next(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* The reference: the scan swap.c did before the map (a cursor over a free flag per slot). */
struct ref {
	uint64_t nr_slots;
	uint64_t next;
	uint64_t nr_free;
	bool *free;
};

static uint64_t ref_get(struct ref *r)
{
	if (r->nr_free == 0)
		return 0;
	for (uint64_t n = 0; n < r->nr_slots; n++) {
		uint64_t slot = r->next;

		r->next = r->next + 1 >= r->nr_slots ? 1 : r->next + 1;
		if (r->free[slot]) {
			r->free[slot] = false;
			r->nr_free--;
			return slot;
		}
	}
	cr_assert_fail("reference: nr_free said there was a free slot");
	return 0;
}

/* Every level's bit says whether the word below it is not 0; level 0 matches ref. */
static void check_map(const struct swap_area *sa, const struct ref *r)
{
	for (uint64_t s = 0; s < sa->nr_slots; s++)
		cr_assert_eq((sa->map[0][s >> 6] >> (s & 63)) & 1, (uint64_t)r->free[s],
			     "slot %llu", (unsigned long long)s);
	for (unsigned int l = 1; l < sa->nr_map_levels; l++)
		for (uint64_t w = 0; w < sa->map_bits[l]; w++)
			cr_assert_eq((sa->map[l][w >> 6] >> (w & 63)) & 1,
				     (uint64_t)(sa->map[l - 1][w] != 0), "level %u bit %llu", l,
				     (unsigned long long)w);
	cr_assert_eq(sa->nr_free, r->nr_free);
}

static void run(uint64_t nr_slots, unsigned int min_levels, uint64_t steps, uint64_t seed)
{
	struct swap_area *sa;
	struct ref r = { .nr_slots = nr_slots, .next = 1, .nr_free = nr_slots - 1 };
	uint64_t *held = malloc(nr_slots * sizeof(*held));
	uint64_t nr_held = 0;

	cr_assert_eq(swap_area_create(nr_slots * 4096, false, &sa), 0);
	cr_assert_geq(sa->nr_map_levels, min_levels);
	r.free = calloc(nr_slots, sizeof(*r.free));
	cr_assert(held && r.free);
	for (uint64_t s = 1; s < nr_slots; s++)
		r.free[s] = true;
	check_map(sa, &r);
	for (uint64_t i = 0; i < steps; i++) {
		/* Take more than put in the first half, then the other way round: the area
		 * fills up, runs full, and empties again. */
		bool take = rng_next(&seed) % 100 < (i < steps / 2 ? 70u : 30u);

		if (take) {
			uint64_t want = ref_get(&r);
			uint64_t got = swap_area_get_slot(sa);

			cr_assert_eq(got, want, "step %llu: got slot %llu, the scan gives %llu",
				     (unsigned long long)i, (unsigned long long)got,
				     (unsigned long long)want);
			if (got)
				held[nr_held++] = got;
		} else if (nr_held) {
			uint64_t k = rng_next(&seed) % nr_held;
			uint64_t slot = held[k];

			held[k] = held[--nr_held];
			r.free[slot] = true;
			r.nr_free++;
			swap_area_put_slot(sa, slot);
		}
		cr_assert_eq(sa->next, r.next);
		if (i % 997 == 0)
			check_map(sa, &r);
	}
	check_map(sa, &r);
	swap_area_destroy(sa);
	free(r.free);
	free(held);
}

Test(swap, two_slots_one_usable)
{
	run(2, 1, 200, 1);
}

Test(swap, one_map_level)
{
	run(64, 1, 5000, 2);
}

Test(swap, two_map_levels)
{
	run(65, 2, 5000, 3);
	run(3000, 2, 20000, 4);
}

Test(swap, three_and_four_map_levels)
{
	run(4097, 2, 30000, 5);
	run(300000, 4, 40000, 6);
	run(262145, 4, 40000, 7);
}
