/*
 * mm/policies/s3fifo.c: S3-FIFO (Yang, Zhang, Qiu, Yue and Rashmi, "FIFO queues are all you
 * need for cache eviction", SOSP 2023, §4 and Algorithm 1), as the authors' own
 * implementation (libCacheSim, S3FIFO) runs it:
 *  - three FIFO queues: small S (⌊small/100 · c⌋ pages), main M (the rest of c), and a
 *    ghost G of the ids of pages evicted from S (⌊ghost/100 · c⌋ ids);
 *  - a hit adds one to the page's 2-bit counter (it saturates at 3) and moves nothing;
 *  - a miss inserts into M when the page's id is in G (and takes it out of G), else into S;
 *    until the first eviction, a new page also goes to M once S is full (the authors' code
 *    does this while the cache warms up);
 *  - to evict: from M when M holds more than its share or S is empty, else from S;
 *  - from S: the oldest page moves to M (counter 0) when it was hit at least `move` times
 *    while in S, else it is evicted and its id goes to G; repeated until one is evicted;
 *  - from M: the oldest page with a counter above 0 goes back to M's newest end with the
 *    counter lowered by one; the first with 0 is evicted.
 * The paper's prose speaks of one hit; its Algorithm 1 and the authors' code move at
 * freq > 1, so `move` defaults to 2 (issue 19). When ⌊0.1c⌋ rounds to 0 (c < 10), S's share
 * is 0: every eviction takes from S while it holds a page, so new pages must be hit
 * `move` times before the next miss to reach M (docs/policies.md).
 * Sees: every access (page_accessed): the counter needs hit counts, which one A bit per
 * scan cannot give. Cost: O(1) per access and arrival; per eviction, the pages moved.
 * s3fifo:abit=1 is S3-FIFO as hardware can run it: the policy hears of no access; each time
 * the eviction scan examines a page (at S's or M's oldest end) it reads and clears the
 * Accessed bits of the page's PTEs through rmap (no TLB flush, as x86 Linux clears them) and
 * adds one to the counter when one was set. The access that faults a page in sets A, so a
 * page reaches S's oldest end with a counter of 1 at most: with move=2 only a ghost hit
 * brings a page to M, with move=1 every page moves (docs/policies.md, "Hits and A bits").
 */
#include <errno.h>
#include <stdlib.h>

#include "mm/check.h"
#include "mm/page.h"
#include "mm/policy.h"
#include "mm/vmscan.h"

enum s3_queue { S3_SMALL, S3_MAIN };
enum s3_param { S3_MOVE, S3_SMALL_PCT, S3_GHOST_PCT, S3_ABIT };

static const struct policy_param s3fifo_params[] = {
	[S3_MOVE] = { "move", 2, 1, 3, "hits in the small queue to move to main (SOSP'23 Alg. 1)" },
	[S3_SMALL_PCT] = { "small", 10, 0, 100, "small queue, % of c (SOSP'23 §4: 10%)" },
	[S3_GHOST_PCT] = { "ghost", 90, 0, 1000, "ghost ids, % of c (SOSP'23 §4: as main)" },
	[S3_ABIT] = { "abit", 0, 0, 1,
		      "1: the counter counts the scans that find the PTEs' Accessed bit set" },
};

struct s3fifo_state {
	struct list_head small, main; /* head.next the newest, head.prev the oldest */
	uint64_t nr_small, nr_main;
	uint64_t small_cap, main_cap; /* ⌊small% · c⌋ and c minus it */
	bool has_evicted;	      /* a victim has been picked since init */
	bool taken;		      /* reclaim took taken_key out of G for the page coming in */
	struct policy_key taken_key;
	struct policy_ghost ghost;
};

static int s3fifo_init(struct policy *p)
{
	struct s3fifo_state *st = calloc(1, sizeof(*st));

	if (!st)
		return -ENOMEM;
	list_init(&st->small);
	list_init(&st->main);
	st->small_cap = p->capacity * p->param[S3_SMALL_PCT] / 100;
	st->main_cap = p->capacity - st->small_cap;
	if (policy_ghost_init(&st->ghost, p->capacity * p->param[S3_GHOST_PCT] / 100)) {
		free(st);
		return -ENOMEM;
	}
	p->state = st;
	if (p->param[S3_ABIT])
		p->sees_accesses = false;
	return 0;
}

static void s3fifo_fini(struct policy *p)
{
	struct s3fifo_state *st = p->state;

	policy_ghost_fini(&st->ghost);
	free(st);
}

static void s3fifo_added(struct policy *p, struct page *pg)
{
	struct s3fifo_state *st = p->state;

	struct policy_key x = policy_page_key(pg);
	bool was_ghost = (st->taken && policy_key_eq(st->taken_key, x)) ||
			 policy_ghost_remove(&st->ghost, x);

	st->taken = false;
	pg->policy.s3fifo = (struct page_policy_queue){ .fresh = 1 };
	if (was_ghost) {
		pg->policy.s3fifo.queue = S3_MAIN;
		list_add(&pg->lru, &st->main);
		st->nr_main++;
	} else if (!st->has_evicted && st->nr_small >= st->small_cap) {
		pg->policy.s3fifo.queue = S3_MAIN;
		list_add(&pg->lru, &st->main);
		st->nr_main++;
	} else {
		pg->policy.s3fifo.queue = S3_SMALL;
		list_add(&pg->lru, &st->small);
		st->nr_small++;
	}
	p->nr_pages++;
}

static void s3fifo_removed(struct policy *p, struct page *pg)
{
	struct s3fifo_state *st = p->state;

	list_del(&pg->lru);
	if (pg->policy.s3fifo.queue == S3_SMALL) {
		st->nr_small--;
		/* Evicted from S: remember its id. */
		if (p->evicting == pg)
			policy_ghost_push(&st->ghost, policy_page_key(pg));
	} else {
		st->nr_main--;
	}
	p->nr_pages--;
}

static void s3fifo_accessed(struct policy *p, struct page *pg, uint64_t next_use)
{
	(void)next_use;
	if (policy_access_is_hit(p, &pg->policy.s3fifo.fresh) && pg->policy.s3fifo.freq < 3)
		pg->policy.s3fifo.freq++;
}

static struct page *oldest(struct list_head *q)
{
	return list_entry(q->prev, struct page, lru);
}

/* The scan examines t: with abit=1, a set Accessed bit (read and cleared) counts one hit. */
static void examine(struct policy *p, struct vmscan_ctx *ctx, struct page *t)
{
	ctx->nr_scanned++;
	if (p->param[S3_ABIT] && vmscan_page_referenced(ctx, t, true, NULL) > 0 &&
	    t->policy.s3fifo.freq < 3)
		t->policy.s3fifo.freq++;
}

/* From M: pages with a count go round again, one lower; the first at 0 goes. */
static struct page *evict_main(struct policy *p, struct s3fifo_state *st, struct vmscan_ctx *ctx)
{
	/* Each turn lowers a counter (at most 3 each), so 4 turns of M always end; with abit=1
	 * the A bits read in the first turn are clear in the later ones (no access runs). */
	for (uint64_t n = 0; n <= 4 * st->nr_main; n++) {
		struct page *t = oldest(&st->main);

		examine(p, ctx, t);
		if (!t->policy.s3fifo.freq)
			return t;
		t->policy.s3fifo.freq--;
		list_move(&t->lru, &st->main);
	}
	return oldest(&st->main);
}

static struct page *s3fifo_pick(struct policy *p, struct vmscan_ctx *ctx)
{
	struct s3fifo_state *st = p->state;

	if (!p->nr_pages)
		return NULL;
	st->has_evicted = true;
	/* The authors' code looks the missed id up in G (and takes it out) before evicting,
	 * so its own eviction cannot push it out of a full G. */
	if (p->has_incoming && !st->taken && policy_ghost_remove(&st->ghost, p->incoming)) {
		st->taken = true;
		st->taken_key = p->incoming;
	}
	if (st->nr_main > st->main_cap || !st->nr_small)
		return evict_main(p, st, ctx);
	/* From S: each page either moves to M or is the victim, so at most |S| steps. */
	while (st->nr_small) {
		struct page *t = oldest(&st->small);

		examine(p, ctx, t);
		if (t->policy.s3fifo.freq < p->param[S3_MOVE])
			return t;
		list_move(&t->lru, &st->main);
		st->nr_small--;
		st->nr_main++;
		t->policy.s3fifo.queue = S3_MAIN;
		t->policy.s3fifo.freq = 0;
	}
	return evict_main(p, st, ctx);
}

static bool s3fifo_check(const struct policy *p, struct check_report *why)
{
	const struct s3fifo_state *st = p->state;
	uint64_t n = 0;
	const struct list_head *pos;

	for (pos = st->small.next; pos != &st->small && n <= p->nr_pages; pos = pos->next)
		n++;
	if (n != st->nr_small || st->nr_small + st->nr_main != p->nr_pages)
		return check_fail(why, "s3fifo: %llu pages on S, %llu counted, %llu in all",
				  (unsigned long long)n, (unsigned long long)st->nr_small,
				  (unsigned long long)p->nr_pages);
	return st->ghost.nr <= st->ghost.cap ||
	       check_fail(why, "s3fifo: ghost holds %llu of %llu", (unsigned long long)st->ghost.nr,
			  (unsigned long long)st->ghost.cap);
}

const struct policy_ops policy_s3fifo = {
	.name = "s3fifo",
	.summary = "S3-FIFO (SOSP 2023): small, main and ghost FIFOs (sees every access)",
	.params = s3fifo_params,
	.nr_params = 4,
	.needs_accesses = true,
	.init = s3fifo_init,
	.fini = s3fifo_fini,
	.page_added = s3fifo_added,
	.page_removed = s3fifo_removed,
	.page_accessed = s3fifo_accessed,
	.pick_victim = s3fifo_pick,
	.check = s3fifo_check,
};
