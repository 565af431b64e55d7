/*
 * tests/unit/experiments/test_segalloc.c: first fit and best fit over holes, coalescing, and the
 * checker. Worked examples in the style of the textbook exercises.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>

#include "mm/check.h"
#include "experiments/segalloc.h"

static void check(const struct segalloc *sa)
{
	struct check_report why;

	check_report_clear(&why);
	cr_assert(segalloc_check(sa, &why), "%s", why.reason);
}

/* Holes of 100, 500, 200, 300 and 600 frames at 0, 1000, 2000, 3000, 4000. */
static void five_holes(struct segalloc *sa, enum segalloc_fit fit)
{
	static const uint64_t sizes[] = { 100, 500, 200, 300, 600 };

	cr_assert_eq(segalloc_init(sa, fit), 0);
	for (unsigned int i = 0; i < 5; i++)
		cr_assert_eq(segalloc_add_range(sa, 1000 * i, sizes[i]), 0);
	cr_assert_eq(sa->free_pages, 1700);
	check(sa);
}

Test(segalloc, first_fit_takes_the_lowest_hole)
{
	struct segalloc sa;
	pfn_t s;

	five_holes(&sa, SEGALLOC_FIRST_FIT);
	cr_assert_eq(segalloc_alloc(&sa, 212, &s), 0);
	cr_assert_eq(s, 1000, "the 500 hole is the first that fits");
	cr_assert_eq(segalloc_alloc(&sa, 417, &s), 0);
	cr_assert_eq(s, 4000);
	cr_assert_eq(segalloc_alloc(&sa, 112, &s), 0);
	cr_assert_eq(s, 1212, "what is left of the 500 hole");
	cr_assert_eq(segalloc_alloc(&sa, 426, &s), -ENOMEM, "no hole of 426 is left");
	cr_assert_eq(sa.free_pages, 1700 - 212 - 417 - 112);
	cr_assert_eq(segalloc_largest_hole(&sa), 300);
	check(&sa);
	segalloc_fini(&sa);
}

Test(segalloc, best_fit_takes_the_smallest_hole)
{
	struct segalloc sa;
	pfn_t s;

	five_holes(&sa, SEGALLOC_BEST_FIT);
	cr_assert_eq(segalloc_alloc(&sa, 212, &s), 0);
	cr_assert_eq(s, 3000, "300 is the smallest hole that fits");
	cr_assert_eq(segalloc_alloc(&sa, 417, &s), 0);
	cr_assert_eq(s, 1000);
	cr_assert_eq(segalloc_alloc(&sa, 112, &s), 0);
	cr_assert_eq(s, 2000);
	cr_assert_eq(segalloc_alloc(&sa, 426, &s), 0, "best fit still has the 600 hole");
	cr_assert_eq(s, 4000);
	check(&sa);
	segalloc_fini(&sa);
}

Test(segalloc, free_coalesces_with_both_neighbours)
{
	struct segalloc sa;
	pfn_t a, b, c;

	cr_assert_eq(segalloc_init(&sa, SEGALLOC_FIRST_FIT), 0);
	cr_assert_eq(segalloc_add_range(&sa, 0, 30), 0);
	cr_assert_eq(segalloc_alloc(&sa, 10, &a), 0);
	cr_assert_eq(segalloc_alloc(&sa, 10, &b), 0);
	cr_assert_eq(segalloc_alloc(&sa, 10, &c), 0);
	cr_assert_eq(sa.nr_holes, 0);
	cr_assert_eq(segalloc_free(&sa, a, 10), 0);
	cr_assert_eq(segalloc_free(&sa, c, 10), 0);
	cr_assert_eq(sa.nr_holes, 2, "two holes around b");
	cr_assert_eq(segalloc_largest_hole(&sa), 10);
	cr_assert_eq(segalloc_free(&sa, b, 10), 0);
	cr_assert_eq(sa.nr_holes, 1, "one hole again");
	cr_assert_eq(segalloc_largest_hole(&sa), 30);
	check(&sa);
	segalloc_fini(&sa);
}

Test(segalloc, rejects_overlaps)
{
	struct segalloc sa;
	pfn_t s;

	cr_assert_eq(segalloc_init(&sa, SEGALLOC_FIRST_FIT), 0);
	cr_assert_eq(segalloc_add_range(&sa, 100, 50), 0);
	cr_assert_eq(segalloc_add_range(&sa, 120, 10), -EINVAL, "inside a hole");
	cr_assert_eq(segalloc_add_range(&sa, 90, 20), -EINVAL, "overlaps the start");
	cr_assert_eq(segalloc_add_range(&sa, 0, 0), -EINVAL, "empty");
	cr_assert_eq(segalloc_alloc(&sa, 0, &s), -EINVAL);
	cr_assert_eq(segalloc_add_range(&sa, 150, 10), 0, "adjacent ranges merge");
	cr_assert_eq(sa.nr_holes, 1);
	check(&sa);
	segalloc_fini(&sa);
}

Test(segalloc, many_holes_grow_the_array)
{
	struct segalloc sa;

	cr_assert_eq(segalloc_init(&sa, SEGALLOC_BEST_FIT), 0);
	for (unsigned int i = 0; i < 1000; i++)
		cr_assert_eq(segalloc_add_range(&sa, 10 * (999 - i), 5), 0);
	cr_assert_eq(sa.nr_holes, 1000);
	check(&sa);
	segalloc_fini(&sa);
}

Test(segalloc, checker_sees_corruption)
{
	struct segalloc sa;
	struct check_report why;

	cr_assert_eq(segalloc_init(&sa, SEGALLOC_FIRST_FIT), 0);
	cr_assert_eq(segalloc_add_range(&sa, 0, 10), 0);
	cr_assert_eq(segalloc_add_range(&sa, 20, 10), 0);
	sa.holes[1].start = 5;
	cr_assert(!segalloc_check(&sa, &why));
	cr_assert(strstr(why.reason, "overlaps"), "%s", why.reason);
	sa.holes[1].start = 20;
	sa.free_pages++;
	cr_assert(!segalloc_check(&sa, &why));
	segalloc_fini(&sa);
}
