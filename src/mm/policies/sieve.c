/*
 * mm/policies/sieve.c: SIEVE (Zhang, Yang, Yue, Vigfusson and Rashmi, "SIEVE is Simpler than
 * LRU", NSDI 2024, §3 and Algorithm 1). One FIFO queue and a hand. A hit sets the page's
 * visited bit and moves nothing. To evict, the hand walks from the oldest page towards the
 * newest, clearing visited bits, and takes the first page found unvisited; the hand stays
 * where it stopped (on the next newer page), wrapping to the oldest past the newest.
 * New pages enter unvisited at the newest end, so the hand reaches them last.
 *
 * Sees: every access (page_accessed), like lru. mmsim: the visited bit is not the
 * hardware A bit, because the access that faults a page in sets A when it is retried, so
 * with A bits every new page would look visited and SIEVE's quick demotion of pages used
 * once would be lost (docs/policies.md, "Hits and A bits").
 * sieve:abit=1 is SIEVE as hardware can run it: the visited bit is the Accessed bit of the
 * page's PTEs, read and cleared through rmap as the hand passes (no TLB flush, as x86 Linux
 * clears it), and the policy hears of no access. A page faulted in starts visited.
 * Cost: O(1) per access and arrival; per eviction, the pages the hand passes.
 */
#include <errno.h>
#include <stdlib.h>

#include "mm/check.h"
#include "mm/page.h"
#include "mm/policy.h"
#include "mm/vmscan.h"

enum { PARAM_ABIT };

struct sieve_state {
	struct list_head queue; /* head.next the newest, head.prev the oldest; through lru */
	struct page *hand;	/* the next page to examine; NULL: start at the oldest */
};

static int sieve_init(struct policy *p)
{
	struct sieve_state *st = calloc(1, sizeof(*st));

	if (!st)
		return -ENOMEM;
	list_init(&st->queue);
	p->state = st;
	if (p->param[PARAM_ABIT])
		p->sees_accesses = false;
	return 0;
}

static void sieve_fini(struct policy *p)
{
	free(p->state);
}

static void sieve_added(struct policy *p, struct page *pg)
{
	struct sieve_state *st = p->state;

	pg->policy.sieve = (struct page_policy_queue){ .fresh = 1 };
	list_add(&pg->lru, &st->queue);
	p->nr_pages++;
}

/* The page one step newer than pg, or NULL past the newest (Algorithm 1: o.prev). */
static struct page *newer(struct sieve_state *st, struct page *pg)
{
	return pg->lru.prev == &st->queue ? NULL : list_entry(pg->lru.prev, struct page, lru);
}

static void sieve_removed(struct policy *p, struct page *pg)
{
	struct sieve_state *st = p->state;

	if (st->hand == pg)
		st->hand = newer(st, pg);
	list_del(&pg->lru);
	p->nr_pages--;
}

static void sieve_accessed(struct policy *p, struct page *pg, uint64_t next_use)
{
	(void)next_use;
	if (policy_access_is_hit(p, &pg->policy.sieve.fresh))
		pg->policy.sieve.visited = 1;
}

/* Whether the hand finds o visited, clearing the bit: the oracle's bit, or (abit=1) the
 * Accessed bits of o's PTEs. */
static bool test_and_clear_visited(struct policy *p, struct vmscan_ctx *ctx, struct page *o)
{
	bool visited;

	if (p->param[PARAM_ABIT])
		return vmscan_page_referenced(ctx, o, true, NULL) > 0;
	visited = o->policy.sieve.visited;
	o->policy.sieve.visited = 0;
	return visited;
}

static struct page *sieve_pick(struct policy *p, struct vmscan_ctx *ctx)
{
	struct sieve_state *st = p->state;
	struct page *o;

	if (list_empty(&st->queue))
		return NULL;
	o = st->hand ? st->hand : list_entry(st->queue.prev, struct page, lru);
	/* At most one full turn clears every visited bit, so the loop ends within 2n steps. */
	for (uint64_t n = 0; n <= 2 * p->nr_pages && test_and_clear_visited(p, ctx, o); n++) {
		ctx->nr_scanned++;
		o = newer(st, o);
		if (!o)
			o = list_entry(st->queue.prev, struct page, lru);
	}
	ctx->nr_scanned++;
	st->hand = newer(st, o);
	return o;
}

static bool sieve_check(const struct policy *p, struct check_report *why)
{
	const struct sieve_state *st = p->state;

	if (st->hand && !page_flag_test(st->hand, PG_LRU))
		return check_fail(why, "sieve: the hand is on a page not in the policy");
	return policy_list_check(p, &st->queue, why);
}

static const struct policy_param sieve_params[] = {
	[PARAM_ABIT] = { "abit", 0, 0, 1,
			 "1: the visited bit is the PTEs' Accessed bit (hardware; not an oracle)" },
};

const struct policy_ops policy_sieve = {
	.name = "sieve",
	.params = sieve_params,
	.nr_params = 1,
	.summary = "SIEVE (NSDI 2024): FIFO with a visited bit and a lazy hand (sees every access)",
	.needs_accesses = true,
	.init = sieve_init,
	.fini = sieve_fini,
	.page_added = sieve_added,
	.page_removed = sieve_removed,
	.page_accessed = sieve_accessed,
	.pick_victim = sieve_pick,
	.check = sieve_check,
};
