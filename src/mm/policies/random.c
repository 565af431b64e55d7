/*
 * mm/policies/random.c: a uniformly random resident page, from a seeded generator
 * (config seed=), so runs repeat. Sees: nothing. Cost: O(1) per event (an array with each
 * page's index kept in its policy field).
 */
#include <errno.h>
#include <stdlib.h>

#include "mm/check.h"
#include "mm/page.h"
#include "mm/policy.h"
#include "mm/vmscan.h"

struct random_state {
	struct page **pages; /* resident pages, in no order */
	uint64_t cap;	     /* entries allocated */
	uint64_t rng;	     /* xorshift64 state */
};

static int random_init(struct policy *p)
{
	struct random_state *st = calloc(1, sizeof(*st));

	if (!st)
		return -ENOMEM;
	st->rng = p->seed * UINT64_C(0x9e3779b97f4a7c15) | 1;
	p->state = st;
	return 0;
}

static void random_fini(struct policy *p)
{
	struct random_state *st = p->state;

	free(st->pages);
	free(st);
}

static void random_added(struct policy *p, struct page *pg)
{
	struct random_state *st = p->state;

	if (p->nr_pages == st->cap) {
		uint64_t cap = st->cap ? st->cap * 2 : 1024;
		struct page **n = realloc(st->pages, cap * sizeof(*n));

		/* mmsim: host memory for policy bookkeeping; without it the page stays out. */
		if (!n)
			return;
		st->pages = n;
		st->cap = cap;
	}
	pg->policy.raw = p->nr_pages;
	st->pages[p->nr_pages++] = pg;
}

static void random_removed(struct policy *p, struct page *pg)
{
	struct random_state *st = p->state;
	uint64_t i = pg->policy.raw;

	if (i >= p->nr_pages || st->pages[i] != pg)
		return; /* never got in (no host memory) */
	st->pages[i] = st->pages[--p->nr_pages];
	st->pages[i]->policy.raw = i;
}

static struct page *random_pick(struct policy *p, struct vmscan_ctx *ctx)
{
	struct random_state *st = p->state;

	if (!p->nr_pages)
		return NULL;
	st->rng ^= st->rng << 13;
	st->rng ^= st->rng >> 7;
	st->rng ^= st->rng << 17;
	ctx->nr_scanned++;
	return st->pages[st->rng % p->nr_pages];
}

static bool random_check(const struct policy *p, struct check_report *why)
{
	const struct random_state *st = p->state;

	for (uint64_t i = 0; i < p->nr_pages; i++) {
		if (st->pages[i]->policy.raw != i)
			return check_fail(why, "random: slot %llu holds a page that says %llu",
					  (unsigned long long)i,
					  (unsigned long long)st->pages[i]->policy.raw);
	}
	return true;
}

const struct policy_ops policy_random = {
	.name = "random",
	.summary = "a uniformly random page (seeded)",
	.init = random_init,
	.fini = random_fini,
	.page_added = random_added,
	.page_removed = random_removed,
	.pick_victim = random_pick,
	.check = random_check,
};
