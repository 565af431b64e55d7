/*
 * experiments/segalloc.c: first-fit / best-fit segment allocator (see segalloc.h).
 *
 * Holes sit in an array sorted by start address. Allocation scans it (O(holes)), as the
 * textbook allocators do; freeing finds the place by binary search and merges with the
 * neighbours, shifting the array when a hole appears or disappears.
 */
#include "experiments/segalloc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "mm/check.h"

int segalloc_init(struct segalloc *sa, enum segalloc_fit fit)
{
	memset(sa, 0, sizeof(*sa));
	sa->fit = fit;
	sa->cap_holes = 64;
	sa->holes = calloc(sa->cap_holes, sizeof(*sa->holes));
	return sa->holes ? 0 : -ENOMEM;
}

void segalloc_fini(struct segalloc *sa)
{
	free(sa->holes);
	memset(sa, 0, sizeof(*sa));
}

/* Index of the first hole with start > pfn (where a hole at pfn would be inserted). */
static uint64_t upper_bound(const struct segalloc *sa, pfn_t pfn)
{
	uint64_t lo = 0, hi = sa->nr_holes;

	while (lo < hi) {
		uint64_t mid = lo + (hi - lo) / 2;

		if (sa->holes[mid].start <= pfn)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int insert_hole(struct segalloc *sa, uint64_t at, pfn_t start, uint64_t nr_pages)
{
	if (sa->nr_holes == sa->cap_holes) {
		struct segalloc_hole *h = realloc(sa->holes, 2 * sa->cap_holes * sizeof(*h));

		if (!h)
			return -ENOMEM;
		sa->holes = h;
		sa->cap_holes *= 2;
	}
	memmove(&sa->holes[at + 1], &sa->holes[at], (sa->nr_holes - at) * sizeof(*sa->holes));
	sa->holes[at] = (struct segalloc_hole){ start, nr_pages };
	sa->nr_holes++;
	return 0;
}

static void remove_hole(struct segalloc *sa, uint64_t at)
{
	memmove(&sa->holes[at], &sa->holes[at + 1], (sa->nr_holes - at - 1) * sizeof(*sa->holes));
	sa->nr_holes--;
}

/* Returns [start, start + nr_pages) to the free set, merging with neighbours. */
static int give_back(struct segalloc *sa, pfn_t start, uint64_t nr_pages)
{
	uint64_t at = upper_bound(sa, start);
	struct segalloc_hole *prev = at ? &sa->holes[at - 1] : NULL;
	struct segalloc_hole *next = at < sa->nr_holes ? &sa->holes[at] : NULL;
	pfn_t end = start + nr_pages;

	if (!nr_pages || (prev && prev->start + prev->nr_pages > start) ||
	    (next && next->start < end))
		return -EINVAL;
	if (prev && prev->start + prev->nr_pages == start) {
		prev->nr_pages += nr_pages;
		if (next && next->start == end) {
			prev->nr_pages += next->nr_pages;
			remove_hole(sa, at);
		}
	} else if (next && next->start == end) {
		next->start = start;
		next->nr_pages += nr_pages;
	} else if (insert_hole(sa, at, start, nr_pages)) {
		return -ENOMEM;
	}
	sa->free_pages += nr_pages;
	return 0;
}

int segalloc_add_range(struct segalloc *sa, pfn_t start, uint64_t nr_pages)
{
	return give_back(sa, start, nr_pages);
}

int segalloc_free(struct segalloc *sa, pfn_t start, uint64_t nr_pages)
{
	return give_back(sa, start, nr_pages);
}

int segalloc_alloc(struct segalloc *sa, uint64_t nr_pages, pfn_t *start_out)
{
	uint64_t pick = sa->nr_holes;

	if (!nr_pages)
		return -EINVAL;
	for (uint64_t i = 0; i < sa->nr_holes; i++) {
		if (sa->holes[i].nr_pages < nr_pages)
			continue;
		if (sa->fit == SEGALLOC_FIRST_FIT) {
			pick = i;
			break;
		}
		if (pick == sa->nr_holes || sa->holes[i].nr_pages < sa->holes[pick].nr_pages)
			pick = i;
	}
	if (pick == sa->nr_holes)
		return -ENOMEM;
	*start_out = sa->holes[pick].start;
	sa->holes[pick].start += nr_pages;
	sa->holes[pick].nr_pages -= nr_pages;
	if (!sa->holes[pick].nr_pages)
		remove_hole(sa, pick);
	sa->free_pages -= nr_pages;
	return 0;
}

uint64_t segalloc_largest_hole(const struct segalloc *sa)
{
	uint64_t best = 0;

	for (uint64_t i = 0; i < sa->nr_holes; i++) {
		if (sa->holes[i].nr_pages > best)
			best = sa->holes[i].nr_pages;
	}
	return best;
}

bool segalloc_check(const struct segalloc *sa, struct check_report *why)
{
	uint64_t sum = 0;

	for (uint64_t i = 0; i < sa->nr_holes; i++) {
		const struct segalloc_hole *h = &sa->holes[i];

		if (!h->nr_pages)
			return check_fail(why, "segalloc: hole %llu is empty",
					  (unsigned long long)i);
		if (i && sa->holes[i - 1].start + sa->holes[i - 1].nr_pages >= h->start)
			return check_fail(why,
					  "segalloc: hole %llu at %#llx overlaps or touches the "
					  "one before",
					  (unsigned long long)i, (unsigned long long)h->start);
		sum += h->nr_pages;
	}
	if (sum != sa->free_pages)
		return check_fail(why, "segalloc: free_pages %llu but holes hold %llu",
				  (unsigned long long)sa->free_pages, (unsigned long long)sum);
	return true;
}
