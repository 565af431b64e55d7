/*
 * mm/policies/arc.c: ARC, the adaptive replacement cache (Megiddo and Modha, "ARC: a
 * self-tuning, low overhead replacement cache", FAST 2003, §III and Figure 4). Resident
 * pages are on T1 (seen once recently) and T2 (seen at least twice); B1 and B2 hold the ids
 * of pages evicted from T1 and T2. The target size p of T1 is a real number, 0 at first.
 *  Case I    hit in T1 or T2: move to T2's most recent end.
 *  Case II   miss on an id in B1: p = min(c, p + max(1, |B2|/|B1|)); REPLACE; into T2.
 *  Case III  miss on an id in B2: p = max(0, p - max(1, |B1|/|B2|)); REPLACE; into T2.
 *  Case IV   other miss: when |T1| + |B1| = c, drop B1's oldest id (or, when B1 is empty,
 *            evict T1's oldest page without keeping its id); else when all four lists hold
 *            2c, drop B2's oldest id; REPLACE when the cache is full; into T1.
 *  REPLACE   evict T1's oldest page into B1 when T1 is not empty and (|T1| > p, or the
 *            missed id is in B2 and |T1| = p); else T2's oldest into B2.
 * mmsim: reclaim runs before the missed page is added, so the fault tells the policy which
 * page is coming (core_lru_incoming) and the adaptation of p happens when the victim is
 * chosen; the list trimming of case IV is done when the page arrives, which gives the same
 * lists (REPLACE moves one entry between T and B of the same side). Reclaim that runs with
 * no fault in progress (kswapd) treats the incoming id as in neither B list.
 * Sees: every access (page_accessed). Cost: O(1) per access, arrival and eviction.
 *
 * arc:abit=1 is ARC as hardware can run it, which is CAR (Bansal and Modha, "CAR: Clock with
 * Adaptive Replacement", FAST 2004, Figure 2): T1 and T2 become clocks whose reference bit
 * is the Accessed bit of the page's PTEs, read and cleared through rmap (no TLB flush) as the
 * hands pass; the policy hears of no access. REPLACE: while |T1| >= max(1, p), T1's oldest
 * page is evicted into B1 when unreferenced, else (bit cleared) it moves to T2's newest end;
 * otherwise T2's oldest is evicted into B2 when unreferenced, else goes round (bit cleared).
 * Only when the cache is full, and after REPLACE: a missed id in neither B list drops B1's
 * oldest id when |T1| + |B1| = c, else B2's oldest when all four hold 2c. Then p adapts
 * (B1 hit: +max(1, |B2|/|B1|); B2 hit: -max(1, |B1|/|B2|)) and the page enters T2 (ghost
 * hit) or T1. The access that faults a page in sets A, so a page enters referenced (CAR
 * inserts it with the bit clear): its first pass by the T1 hand moves it to T2.
 */
#include <errno.h>
#include <stdlib.h>

#include "mm/check.h"
#include "mm/page.h"
#include "mm/policy.h"
#include "mm/vmscan.h"

enum arc_queue { ARC_T1, ARC_T2 };
enum { PARAM_ABIT };

struct arc_state {
	struct list_head t1, t2; /* head.next the most recent */
	uint64_t nr_t1, nr_t2;
	struct policy_ghost b1, b2; /* caps c and 2c: the lists' bounds in Figure 4 */
	double p;		    /* the target size of T1, 0 <= p <= c */
	bool prepared;		    /* the incoming page's case was settled (p adapted) */
	struct policy_key prepared_key;
	bool in_b1, in_b2; /* where prepared_key was */
};

static int arc_init(struct policy *p)
{
	struct arc_state *st = calloc(1, sizeof(*st));

	if (!st)
		return -ENOMEM;
	list_init(&st->t1);
	list_init(&st->t2);
	if (policy_ghost_init(&st->b1, p->capacity) ||
	    policy_ghost_init(&st->b2, 2 * p->capacity)) {
		policy_ghost_fini(&st->b1);
		free(st);
		return -ENOMEM;
	}
	p->state = st;
	if (p->param[PARAM_ABIT])
		p->sees_accesses = false;
	return 0;
}

static void arc_fini(struct policy *p)
{
	struct arc_state *st = p->state;

	policy_ghost_fini(&st->b1);
	policy_ghost_fini(&st->b2);
	free(st);
}

/* Cases II and III: adapt p once for the missed page x. */
static void prepare(struct policy *p, struct arc_state *st, struct policy_key x)
{
	double c = (double)p->capacity;
	double b1 = (double)st->b1.nr, b2 = (double)st->b2.nr;

	st->prepared = true;
	st->prepared_key = x;
	st->in_b1 = policy_ghost_contains(&st->b1, x);
	st->in_b2 = !st->in_b1 && policy_ghost_contains(&st->b2, x);
	if (st->in_b1) {
		double delta = b1 >= b2 ? 1.0 : b2 / b1;

		st->p = st->p + delta < c ? st->p + delta : c;
	} else if (st->in_b2) {
		double delta = b2 >= b1 ? 1.0 : b1 / b2;

		st->p = st->p - delta > 0.0 ? st->p - delta : 0.0;
	}
}

static void add_to(struct arc_state *st, struct page *pg, enum arc_queue q)
{
	pg->policy.arc.queue = q;
	list_add(&pg->lru, q == ARC_T1 ? &st->t1 : &st->t2);
	if (q == ARC_T1)
		st->nr_t1++;
	else
		st->nr_t2++;
}

/* CAR (Figure 2, lines 6-20): the directory replacement when REPLACE ran for x, then the
 * adaptation of p and the insertion. */
static void car_added(struct policy *p, struct arc_state *st, struct page *pg)
{
	struct policy_key x = policy_page_key(pg);
	bool replaced = st->prepared && policy_key_eq(st->prepared_key, x);
	bool in_b1 = policy_ghost_contains(&st->b1, x);
	bool in_b2 = !in_b1 && policy_ghost_contains(&st->b2, x);
	double c = (double)p->capacity;
	double b1 = (double)st->b1.nr, b2 = (double)st->b2.nr;

	st->prepared = false;
	if (replaced && !in_b1 && !in_b2) {
		if (st->nr_t1 + st->b1.nr >= p->capacity)
			policy_ghost_drop_oldest(&st->b1);
		else if (st->nr_t1 + st->nr_t2 + st->b1.nr + st->b2.nr >= 2 * p->capacity)
			policy_ghost_drop_oldest(&st->b2);
	}
	if (in_b1) {
		double delta = b1 >= b2 ? 1.0 : b2 / b1;

		st->p = st->p + delta < c ? st->p + delta : c;
		policy_ghost_remove(&st->b1, x);
	} else if (in_b2) {
		double delta = b2 >= b1 ? 1.0 : b1 / b2;

		st->p = st->p - delta > 0.0 ? st->p - delta : 0.0;
		policy_ghost_remove(&st->b2, x);
	}
	pg->policy.arc = (struct page_policy_queue){ 0 };
	add_to(st, pg, in_b1 || in_b2 ? ARC_T2 : ARC_T1);
	p->nr_pages++;
}

static void arc_added(struct policy *p, struct page *pg)
{
	struct arc_state *st = p->state;
	struct policy_key x = policy_page_key(pg);

	if (p->param[PARAM_ABIT]) {
		car_added(p, st, pg);
		return;
	}
	if (!st->prepared || !policy_key_eq(st->prepared_key, x))
		prepare(p, st, x);
	st->prepared = false;
	pg->policy.arc = (struct page_policy_queue){ .fresh = 1 };
	if (st->in_b1 || st->in_b2) {
		policy_ghost_remove(st->in_b1 ? &st->b1 : &st->b2, x);
		pg->policy.arc.queue = ARC_T2;
		list_add(&pg->lru, &st->t2);
		st->nr_t2++;
	} else {
		/* Case IV's trimming. */
		if (st->nr_t1 + st->b1.nr >= p->capacity)
			policy_ghost_drop_oldest(&st->b1);
		else if (st->nr_t1 + st->nr_t2 + st->b1.nr + st->b2.nr >= 2 * p->capacity)
			policy_ghost_drop_oldest(&st->b2);
		pg->policy.arc.queue = ARC_T1;
		list_add(&pg->lru, &st->t1);
		st->nr_t1++;
	}
	p->nr_pages++;
}

static void arc_removed(struct policy *p, struct page *pg)
{
	struct arc_state *st = p->state;
	bool evicted = p->evicting == pg;

	list_del(&pg->lru);
	if (pg->policy.arc.queue == ARC_T1) {
		st->nr_t1--;
		if (evicted)
			policy_ghost_push(&st->b1, policy_page_key(pg));
	} else {
		st->nr_t2--;
		if (evicted)
			policy_ghost_push(&st->b2, policy_page_key(pg));
	}
	p->nr_pages--;
}

static void arc_accessed(struct policy *p, struct page *pg, uint64_t next_use)
{
	struct arc_state *st = p->state;

	(void)next_use;
	if (!policy_access_is_hit(p, &pg->policy.arc.fresh))
		return;
	if (pg->policy.arc.queue == ARC_T1) {
		st->nr_t1--;
		st->nr_t2++;
		pg->policy.arc.queue = ARC_T2;
	}
	list_move(&pg->lru, &st->t2);
}

/* CAR's REPLACE (Figure 2, lines 22-39). Each step either finds the victim or clears a
 * reference bit, and no access runs meanwhile, so 2n + 2 steps always find one. */
static struct page *car_pick(struct policy *p, struct arc_state *st, struct vmscan_ctx *ctx)
{
	struct page *t = NULL;

	st->prepared = p->has_incoming;
	st->prepared_key = p->incoming;
	for (uint64_t n = 0; n <= 2 * p->nr_pages + 2; n++) {
		bool from_t1 = st->nr_t1 &&
			       ((double)st->nr_t1 >= (st->p > 1.0 ? st->p : 1.0) || !st->nr_t2);

		t = list_entry(from_t1 ? st->t1.prev : st->t2.prev, struct page, lru);
		ctx->nr_scanned++;
		if (!vmscan_page_referenced(ctx, t, true, NULL))
			return t;
		list_move(&t->lru, &st->t2);
		if (from_t1) {
			t->policy.arc.queue = ARC_T2;
			st->nr_t1--;
			st->nr_t2++;
		}
	}
	return t;
}

static struct page *arc_pick(struct policy *p, struct vmscan_ctx *ctx)
{
	struct arc_state *st = p->state;
	double t1 = (double)st->nr_t1;

	if (!p->nr_pages)
		return NULL;
	if (p->param[PARAM_ABIT])
		return car_pick(p, st, ctx);
	if (!st->prepared && p->has_incoming)
		prepare(p, st, p->incoming);
	else if (!st->prepared)
		st->in_b1 = st->in_b2 = false;
	ctx->nr_scanned++;
	if (st->nr_t1 && (t1 > st->p || (st->in_b2 && t1 == st->p) || !st->nr_t2))
		return list_entry(st->t1.prev, struct page, lru);
	return list_entry(st->t2.prev, struct page, lru);
}

static bool arc_check(const struct policy *p, struct check_report *why)
{
	const struct arc_state *st = p->state;

	if (st->nr_t1 + st->nr_t2 != p->nr_pages)
		return check_fail(why, "arc: %llu + %llu pages on T1 and T2, %llu counted",
				  (unsigned long long)st->nr_t1, (unsigned long long)st->nr_t2,
				  (unsigned long long)p->nr_pages);
	if (st->p < 0.0 || st->p > (double)p->capacity)
		return check_fail(why, "arc: p = %f outside [0, %llu]", st->p,
				  (unsigned long long)p->capacity);
	return true;
}

static const struct policy_param arc_params[] = {
	[PARAM_ABIT] = { "abit", 0, 0, 1,
			 "1: CAR (FAST 2004), clocks over the PTEs' Accessed bit (not an oracle)" },
};

const struct policy_ops policy_arc = {
	.name = "arc",
	.summary = "ARC (FAST 2003): T1/T2 with ghosts B1/B2, adaptive p (sees every access)",
	.params = arc_params,
	.nr_params = 1,
	.needs_accesses = true,
	.init = arc_init,
	.fini = arc_fini,
	.page_added = arc_added,
	.page_removed = arc_removed,
	.page_accessed = arc_accessed,
	.pick_victim = arc_pick,
	.check = arc_check,
};
