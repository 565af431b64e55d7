/*
 * mm/policies/lirs.c: LIRS, the low inter-reference recency set (Jiang and Zhang, "LIRS: an
 * efficient low inter-reference recency set replacement policy to improve buffer cache
 * performance", SIGMETRICS 2002, §3). Pages are LIR (small reuse distance, never evicted
 * while LIR) or HIR. The cache is split into Llirs frames for LIR pages and Lhirs for
 * resident HIR pages (§3: Lhirs can be as small as 1% of the cache; here
 * max(1, ⌊hir/100 · c⌋)).
 * Two lists:
 *  S  the LIRS stack: LIR pages and HIR pages (resident or not) more recent than the least
 *     recent LIR page, most recent on top; its bottom is always a LIR page (§3: "stack
 *     pruning" drops HIR entries from the bottom until a LIR one is there);
 *  Q  the resident HIR pages in FIFO order; the victim is Q's front.
 * An access to (§3):
 *  1. a LIR page: move it to the top of S; prune when it was the bottom;
 *  2. a resident HIR page in S: it becomes LIR (top of S, out of Q) and the LIR page at the
 *     bottom of S becomes a resident HIR page at Q's end; prune;
 *     a resident HIR page not in S: top of S and Q's end, still HIR;
 *  3. a non-resident page (a miss): Q's front is evicted (its entry stays in S as a
 *     non-resident HIR page when it is in S); then as 2 when the page had an entry in S,
 *     else it enters S's top and Q's end as a resident HIR page.
 * Until Llirs pages are LIR, every missed page becomes LIR (§3, the cache's warm-up).
 *
 * Choices where the paper leaves room (docs/policies.md, "LIRS"): the demotion of case 2
 * and 3 is "while more than Llirs pages are LIR", which is the paper's one demotion once
 * the LIR set is full and keeps a LIR set that pages freed (not evicted) left short.
 * S is bounded (issue 19 asks for it; the bound's size is mmsim's choice, not the paper's):
 * with more than stack/100 · c entries, the non-resident entry nearest the bottom of S
 * (the oldest history, the one pruning would drop first) is dropped. When Q is empty at
 * eviction (only possible after pages were freed), the LIR page at the bottom of S goes.
 * S is pruned after every access, so its bottom is always a LIR page and S is empty when
 * no page is LIR: Llirs = 0 (c = 1, or hir=100) makes LIRS an LRU over Q (a hit moves a
 * page to Q's end).
 *
 * mmsim: reclaim runs before the missed page is added, so step 3's eviction is the victim
 * choice and the rest happens in page_added; a refault finds its entry by (mapping, index)
 * in a hash index. Entries are host memory, one per page in S or Q.
 * Sees: every access (page_accessed). Cost: O(1) per access, arrival and eviction, except
 * pruning (amortised O(1): each entry is pruned once) and the bound's search from S's bottom.
 */
#include <errno.h>
#include <stdlib.h>

#include "mm/bug.h"
#include "mm/check.h"
#include "mm/page.h"
#include "mm/policy.h"
#include "mm/vmscan.h"

enum lirs_param { LIRS_HIR_PCT, LIRS_STACK_PCT };

static const struct policy_param lirs_params[] = {
	[LIRS_HIR_PCT] = { "hir", 1, 0, 100,
			   "resident HIR share, % of c, at least 1 page (SIGMETRICS'02 §3: 1%)" },
	[LIRS_STACK_PCT] = { "stack", 300, 100, 100000,
			     "bound on stack S, % of c (mmsim's choice; docs/policies.md)" },
};

struct lirs_node {
	struct policy_hnode h; /* key; indexed while non-resident */
	struct page *page;     /* NULL: a non-resident HIR entry (then in S only) */
	struct list_head s, q; /* links in S and Q, valid when in_s / in_q */
	bool lir, in_s, in_q;
	uint8_t fresh; /* policy_access_is_hit() */
};

struct lirs_state {
	struct list_head s; /* s.next the top (most recent), s.prev the bottom */
	struct list_head q; /* q.next the front (next victim) */
	uint64_t nr_s, nr_q, nr_lir, nr_nonres;
	uint64_t llirs, stack_max;
	struct policy_hash nonres; /* non-resident entries by key */
};

static int lirs_init(struct policy *p)
{
	struct lirs_state *st = calloc(1, sizeof(*st));
	uint64_t c = p->capacity, lhirs = c * p->param[LIRS_HIR_PCT] / 100;

	if (!st)
		return -ENOMEM;
	if (lhirs < 1)
		lhirs = 1;
	st->llirs = c > lhirs ? c - lhirs : 0;
	st->stack_max = c * p->param[LIRS_STACK_PCT] / 100;
	list_init(&st->s);
	list_init(&st->q);
	if (policy_hash_init(&st->nonres)) {
		free(st);
		return -ENOMEM;
	}
	p->state = st;
	return 0;
}

static void lirs_fini(struct policy *p)
{
	struct lirs_state *st = p->state;
	struct list_head *pos, *tmp;

	/* Every entry left: resident HIR pages out of S first (Q), then all of S. */
	list_for_each_safe(pos, tmp, &st->q)
	{
		struct lirs_node *n = list_entry(pos, struct lirs_node, q);

		if (!n->in_s) {
			n->page->policy.node = NULL;
			free(n);
		}
	}
	list_for_each_safe(pos, tmp, &st->s)
	{
		struct lirs_node *n = list_entry(pos, struct lirs_node, s);

		if (n->page)
			n->page->policy.node = NULL;
		free(n);
	}
	policy_hash_fini(&st->nonres);
	free(st);
}

static struct lirs_node *node_of(const struct page *pg)
{
	return pg->policy.node;
}

static void s_push(struct lirs_state *st, struct lirs_node *n)
{
	if (n->in_s)
		list_del(&n->s);
	else
		st->nr_s++;
	list_add(&n->s, &st->s);
	n->in_s = true;
}

static void s_del(struct lirs_state *st, struct lirs_node *n)
{
	list_del(&n->s);
	n->in_s = false;
	st->nr_s--;
}

static void q_push(struct lirs_state *st, struct lirs_node *n)
{
	if (n->in_q)
		list_del(&n->q);
	else
		st->nr_q++;
	list_add_tail(&n->q, &st->q);
	n->in_q = true;
}

static void q_del(struct lirs_state *st, struct lirs_node *n)
{
	list_del(&n->q);
	n->in_q = false;
	st->nr_q--;
}

/* A non-resident entry leaves S: the history of its page is forgotten. */
static void forget(struct lirs_state *st, struct lirs_node *n)
{
	s_del(st, n);
	policy_hash_del(&st->nonres, &n->h);
	st->nr_nonres--;
	free(n);
}

/* §3 stack pruning: HIR entries leave the bottom of S until a LIR page is there. */
static void prune(struct lirs_state *st)
{
	while (!list_empty(&st->s)) {
		struct lirs_node *b = list_entry(st->s.prev, struct lirs_node, s);

		if (b->lir)
			return;
		if (b->page)
			s_del(st, b); /* a resident HIR page stays in Q */
		else
			forget(st, b);
	}
}

/* Cases 2 and 3: LIR pages beyond Llirs leave S's bottom for Q's end, as HIR. */
static void demote_excess(struct lirs_state *st)
{
	while (st->nr_lir > st->llirs) {
		struct lirs_node *b;

		prune(st); /* a LIR page is at the bottom now: there is one (nr_lir > 0) */
		b = list_entry(st->s.prev, struct lirs_node, s);
		s_del(st, b);
		b->lir = false;
		st->nr_lir--;
		q_push(st, b);
	}
}

/* The bound on S: drop the non-resident entry nearest the bottom while S is too big. */
static void bound_stack(struct lirs_state *st)
{
	while (st->nr_s > st->stack_max && st->nr_nonres) {
		struct list_head *pos = st->s.prev;

		/* Bounded by |S|: a non-resident entry is in S (nr_nonres > 0). */
		while (list_entry(pos, struct lirs_node, s)->page)
			pos = pos->prev;
		forget(st, list_entry(pos, struct lirs_node, s));
	}
}

static void make_lir(struct lirs_state *st, struct lirs_node *n)
{
	if (n->in_q)
		q_del(st, n);
	n->lir = true;
	st->nr_lir++;
	s_push(st, n);
	demote_excess(st);
}

static void lirs_added(struct policy *p, struct page *pg)
{
	struct lirs_state *st = p->state;
	struct policy_key k = policy_page_key(pg);
	struct policy_hnode *h = policy_hash_find(&st->nonres, k);
	struct lirs_node *n;

	if (h) {
		/* Case 3 with an entry in S: the refaulted page becomes LIR. */
		n = list_entry(h, struct lirs_node, h);
		policy_hash_del(&st->nonres, h);
		st->nr_nonres--;
		n->page = pg;
		make_lir(st, n);
	} else {
		n = calloc(1, sizeof(*n));
		/* mmsim: an entry is a few dozen bytes of host memory; page_added cannot fail. */
		MM_BUG_ON(!n);
		n->h.key = k;
		n->page = pg;
		if (st->nr_lir < st->llirs) {
			n->lir = true; /* warm-up: the LIR set is not full yet */
			st->nr_lir++;
			s_push(st, n);
		} else {
			s_push(st, n);
			q_push(st, n);
		}
	}
	n->fresh = 1;
	pg->policy.node = n;
	p->nr_pages++;
	prune(st);
	bound_stack(st);
}

static void lirs_removed(struct policy *p, struct page *pg)
{
	struct lirs_state *st = p->state;
	struct lirs_node *n = node_of(pg);
	bool was_bottom = n->in_s && st->s.prev == &n->s;

	pg->policy.node = NULL;
	p->nr_pages--;
	if (n->in_q)
		q_del(st, n);
	if (p->evicting == pg && !n->lir && n->in_s) {
		/* Case 3: the evicted HIR page keeps its place in S, non-resident. */
		n->page = NULL;
		policy_hash_add(&st->nonres, &n->h);
		st->nr_nonres++;
		return;
	}
	if (n->lir)
		st->nr_lir--;
	if (n->in_s)
		s_del(st, n);
	free(n);
	if (was_bottom)
		prune(st);
}

static void lirs_accessed(struct policy *p, struct page *pg, uint64_t next_use)
{
	struct lirs_state *st = p->state;
	struct lirs_node *n = node_of(pg);

	(void)next_use;
	if (!policy_access_is_hit(p, &n->fresh))
		return;
	if (n->lir) {
		/* Case 1. */
		s_push(st, n);
		prune(st);
	} else if (n->in_s) {
		/* Case 2, in S: a reuse distance below the LIR pages' recency. */
		make_lir(st, n);
	} else {
		/* Case 2, not in S. */
		s_push(st, n);
		q_push(st, n);
	}
	prune(st);
	bound_stack(st);
}

static struct page *lirs_pick(struct policy *p, struct vmscan_ctx *ctx)
{
	struct lirs_state *st = p->state;

	if (!p->nr_pages)
		return NULL;
	ctx->nr_scanned++;
	if (st->nr_q)
		return list_entry(st->q.next, struct lirs_node, q)->page;
	/* Only after frees: no resident HIR page, so the least recent LIR page goes. */
	return list_entry(st->s.prev, struct lirs_node, s)->page;
}

static bool lirs_check(const struct policy *p, struct check_report *why)
{
	const struct lirs_state *st = p->state;
	uint64_t res = 0, lir = 0, nonres = 0, s = 0;
	const struct list_head *pos;

	list_for_each(pos, &st->s)
	{
		const struct lirs_node *n = list_entry(pos, struct lirs_node, s);

		s++;
		if (n->page) {
			res++;
			if (n->page->policy.node != n)
				return check_fail(why,
						  "lirs: a page in S does not point at its entry");
		} else {
			nonres++;
		}
		lir += n->lir;
	}
	if (s != st->nr_s || lir != st->nr_lir || nonres != st->nr_nonres ||
	    nonres != st->nonres.nr)
		return check_fail(why,
				  "lirs: S holds %llu entries (%llu LIR, %llu non-resident), "
				  "counted %llu (%llu, %llu)",
				  (unsigned long long)s, (unsigned long long)lir,
				  (unsigned long long)nonres, (unsigned long long)st->nr_s,
				  (unsigned long long)st->nr_lir,
				  (unsigned long long)st->nr_nonres);
	if (!list_empty(&st->s) && !list_entry(st->s.prev, struct lirs_node, s)->lir)
		return check_fail(why, "lirs: the bottom of S is not a LIR page");
	if (!st->nr_lir && st->nr_s)
		return check_fail(why, "lirs: S holds entries but no LIR page");
	if (st->nr_lir + st->nr_q != p->nr_pages)
		return check_fail(why, "lirs: %llu LIR + %llu in Q, %llu pages counted",
				  (unsigned long long)st->nr_lir, (unsigned long long)st->nr_q,
				  (unsigned long long)p->nr_pages);
	if (st->nr_s > st->stack_max && st->nr_nonres)
		return check_fail(why, "lirs: S holds %llu entries, bound %llu",
				  (unsigned long long)st->nr_s, (unsigned long long)st->stack_max);
	(void)res;
	return true;
}

const struct policy_ops policy_lirs = {
	.name = "lirs",
	.summary = "LIRS (SIGMETRICS 2002): LIR set, stack S, resident HIR queue Q (sees every "
		   "access)",
	.params = lirs_params,
	.nr_params = 2,
	.needs_accesses = true,
	.init = lirs_init,
	.fini = lirs_fini,
	.page_added = lirs_added,
	.page_removed = lirs_removed,
	.page_accessed = lirs_accessed,
	.pick_victim = lirs_pick,
	.check = lirs_check,
};
