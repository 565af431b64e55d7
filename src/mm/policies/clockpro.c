/*
 * mm/policies/clockpro.c: CLOCK-Pro (Jiang, Chen and Zhang, "CLOCK-Pro: an effective
 * improvement of the CLOCK replacement", USENIX ATC 2005, §4). One clock holds hot pages,
 * resident cold pages and non-resident cold pages (history entries of evicted pages). A
 * cold page may be in its "test period": a reuse within it makes the page hot. A hit only
 * sets the page's reference bit. Three hands move the same way round the clock; the "list
 * head", where pages enter, is just behind HAND_hot (the place it reaches last; §4.1).
 *  HAND_cold (§4.2) looks for a victim among the resident cold pages: reference bit clear:
 *    evict it (it stays as a non-resident cold page while in its test period, else it
 *    leaves the clock); bit set and in test: the page turns hot (moved to the head);
 *    bit set, not in test: it starts a test period (moved to the head). The bit is cleared.
 *  HAND_hot (§4.2) turns the first hot page it finds with its bit clear into a cold page,
 *    clearing the bits of the hot pages it passes; on the cold pages it passes it ends the
 *    test period (a non-resident page leaves the clock).
 *  HAND_test (§4.2) runs while more than m (the memory size in pages) non-resident cold
 *    pages are kept: it ends the test periods of the cold pages it passes.
 *  A fault on a page with a non-resident entry makes it hot at the head (§4.2); any other
 *    faulted page enters at the head as a cold page in its test period.
 * §4.3 adapts m_c, the target number of resident cold pages: +1 when a cold page is reused
 * in its test period (found by HAND_cold or by a refault), -1 when a test period ends
 * without reuse. HAND_hot runs while there are more than m - m_c hot pages.
 *
 * Choices where the paper leaves room (docs/policies.md, "CLOCK-Pro"): m_c starts at
 * ⌊cold/100 · m⌋ (default 5%, the authors' own simulator's share) and stays within
 * [1, max(1, m - 1)]; a test period ended with the reference bit still set (a reuse
 * HAND_cold has not seen yet) does not lower m_c, and the bit stays for HAND_cold; a hand
 * standing on a page that moves to the head or leaves steps to the next entry first;
 * HAND_hot takes HAND_test along when it passes it (HAND_test never lags behind HAND_hot).
 *
 * mmsim: reclaim runs before the faulted page is added, so HAND_cold's search is the
 * victim choice (it may promote, demote and end tests on the way), the eviction is
 * page_removed, and the refault lookup happens in page_added, after the hands moved.
 * The reference bit is not the hardware A bit (this policy sees every access, like lru):
 * the faulting access sets A on the retry, so every new page would look reused.
 * clockpro:abit=1 is CLOCK-Pro as hardware runs it (the paper's own setting): the
 * reference bit is the PTEs' Accessed bit, read (and cleared) through rmap by the hands, and
 * the policy hears of no access; a page faulted in then starts referenced.
 * Entries are host memory. Cost: O(1) per access; the hands' moves per fault.
 */
#include <errno.h>
#include <stdlib.h>

#include "mm/bug.h"
#include "mm/check.h"
#include "mm/page.h"
#include "mm/policy.h"
#include "mm/vmscan.h"

enum clockpro_param { CLOCKPRO_COLD_PCT, CLOCKPRO_ABIT };

static const struct policy_param clockpro_params[] = {
	[CLOCKPRO_COLD_PCT] = { "cold", 5, 0, 100,
				"initial m_c, % of m (ATC'05 §4.3 adapts it; 5% as in the authors' "
				"simulator)" },
	[CLOCKPRO_ABIT] = { "abit", 0, 0, 1,
			    "1: the reference bit is the PTEs' Accessed bit (hardware; not an "
			    "oracle)" },
};

struct clockpro_node {
	struct policy_hnode h; /* key; indexed while non-resident */
	struct page *page;     /* NULL: a non-resident cold page (always in its test period) */
	struct list_head ring; /* the clock, through the state's sentinel */
	bool hot, test, ref;
	uint8_t fresh; /* policy_access_is_hit() */
};

struct clockpro_state {
	struct list_head ring; /* sentinel: the hands step over it */
	struct clockpro_node *hand_hot, *hand_cold, *hand_test; /* NULL iff the clock is empty */
	uint64_t nr_hot, nr_cold, nr_nonres;			/* cold: resident cold pages */
	uint64_t m, mc, mc_min, mc_max;
	struct policy_hash nonres;
	struct mm_core *core; /* abit: whose PTEs hold the reference bits */
	bool abit;	      /* the reference bit is the PTEs' A bit (clockpro:abit=1) */
};

/*
 * The reference bit of n, cleared when clear is set: the oracle's bit, or (abit=1) the
 * Accessed bits of the PTEs that map n's page, read through rmap (cleared without a TLB
 * flush, as x86 Linux does). A non-resident page has no PTE: no bit.
 */
static bool ref_test(struct clockpro_state *st, struct clockpro_node *n, bool clear)
{
	bool ref = n->ref;

	if (st->abit) {
		struct vmscan_ctx ctx = { .core = st->core };

		return n->page && vmscan_page_referenced(&ctx, n->page, clear, NULL) > 0;
	}
	if (clear)
		n->ref = false;
	return ref;
}

static int clockpro_init(struct policy *p)
{
	struct clockpro_state *st = calloc(1, sizeof(*st));

	if (!st)
		return -ENOMEM;
	list_init(&st->ring);
	st->m = p->capacity;
	st->mc_min = 1;
	st->mc_max = st->m > 1 ? st->m - 1 : 1;
	st->mc = st->m * p->param[CLOCKPRO_COLD_PCT] / 100;
	if (st->mc < st->mc_min)
		st->mc = st->mc_min;
	if (st->mc > st->mc_max)
		st->mc = st->mc_max;
	if (policy_hash_init(&st->nonres)) {
		free(st);
		return -ENOMEM;
	}
	st->core = p->core;
	st->abit = p->param[CLOCKPRO_ABIT] != 0;
	if (st->abit)
		p->sees_accesses = false;
	p->state = st;
	return 0;
}

static void clockpro_fini(struct policy *p)
{
	struct clockpro_state *st = p->state;
	struct list_head *pos, *tmp;

	list_for_each_safe(pos, tmp, &st->ring)
	{
		struct clockpro_node *n = list_entry(pos, struct clockpro_node, ring);

		if (n->page)
			n->page->policy.node = NULL;
		free(n);
	}
	policy_hash_fini(&st->nonres);
	free(st);
}

/* The entry after n in the hands' direction, stepping over the sentinel. */
static struct clockpro_node *next(struct clockpro_state *st, struct clockpro_node *n)
{
	struct list_head *x = n->ring.next;

	if (x == &st->ring)
		x = x->next;
	return list_entry(x, struct clockpro_node, ring);
}

/* Every hand standing on n steps to the next entry (NULL when n is the only one). */
static void hands_leave(struct clockpro_state *st, struct clockpro_node *n)
{
	struct clockpro_node *to = next(st, n) == n ? NULL : next(st, n);

	if (st->hand_hot == n)
		st->hand_hot = to;
	if (st->hand_cold == n)
		st->hand_cold = to;
	if (st->hand_test == n)
		st->hand_test = to;
}

/* Inserts n at the list head: just behind HAND_hot. */
static void insert_head(struct clockpro_state *st, struct clockpro_node *n)
{
	if (!st->hand_hot) {
		list_add(&n->ring, &st->ring);
		st->hand_hot = st->hand_cold = st->hand_test = n;
		return;
	}
	list_add_tail(&n->ring, &st->hand_hot->ring);
}

static void move_to_head(struct clockpro_state *st, struct clockpro_node *n)
{
	if (next(st, n) == n)
		return; /* alone in the clock */
	hands_leave(st, n);
	list_del(&n->ring);
	insert_head(st, n);
}

static void ring_remove(struct clockpro_state *st, struct clockpro_node *n)
{
	hands_leave(st, n);
	list_del(&n->ring);
}

static void mc_add(struct clockpro_state *st, int delta)
{
	if (delta > 0 && st->mc < st->mc_max)
		st->mc++;
	else if (delta < 0 && st->mc > st->mc_min)
		st->mc--;
}

/*
 * Ends n's test period (n cold and in test). Returns whether n left the clock (a
 * non-resident entry: freed, and every hand on it has stepped on).
 */
static bool end_test(struct clockpro_state *st, struct clockpro_node *n)
{
	n->test = false;
	if (!ref_test(st, n, false))
		mc_add(st, -1); /* §4.3: the test period passed without a reuse */
	if (n->page)
		return false;
	ring_remove(st, n);
	policy_hash_del(&st->nonres, &n->h);
	st->nr_nonres--;
	free(n);
	return true;
}

/* HAND_hot (§4.2): runs until it has turned one hot page cold. st->nr_hot > 0. */
static void run_hand_hot(struct clockpro_state *st, struct vmscan_ctx *ctx)
{
	/* Bounded: a lap clears every hot page's bit, the next lap finds one clear. */
	for (;;) {
		struct clockpro_node *n = st->hand_hot, *to = next(st, n);
		bool demoted = false;

		if (ctx)
			ctx->nr_scanned++;
		if (n->hot) {
			if (!ref_test(st, n, true)) {
				n->hot = false;
				st->nr_hot--;
				st->nr_cold++;
				demoted = true;
			}
		} else if (n->test && end_test(st, n)) {
			continue; /* n left the clock; the hands on it stepped on */
		}
		if (st->hand_test == n)
			st->hand_test = to;
		st->hand_hot = to;
		if (demoted)
			return;
	}
}

/* §4.3: the hot pages are kept to m - m_c. */
static void balance(struct clockpro_state *st, struct vmscan_ctx *ctx)
{
	while (st->nr_hot && st->nr_hot + st->mc > st->m)
		run_hand_hot(st, ctx);
}

/* HAND_test (§4.2): at most m non-resident cold pages. */
static void run_hand_test(struct clockpro_state *st)
{
	/* Bounded: a lap ends every test period, and with it every non-resident entry. */
	while (st->nr_nonres > st->m) {
		struct clockpro_node *n = st->hand_test;

		if (!n->hot && n->test && end_test(st, n))
			continue;
		st->hand_test = next(st, n);
	}
}

static void clockpro_added(struct policy *p, struct page *pg)
{
	struct clockpro_state *st = p->state;
	struct policy_key k = policy_page_key(pg);
	struct policy_hnode *h = policy_hash_find(&st->nonres, k);
	struct clockpro_node *n;

	if (h) {
		/* A refault in the test period: hot at the head, and m_c grows (§4.2, §4.3). */
		n = list_entry(h, struct clockpro_node, h);
		policy_hash_del(&st->nonres, h);
		st->nr_nonres--;
		n->page = pg;
		n->hot = true;
		n->test = false;
		n->ref = false;
		st->nr_hot++;
		mc_add(st, +1);
		move_to_head(st, n);
		n->fresh = 1;
		pg->policy.node = n;
		p->nr_pages++;
		balance(st, NULL);
		return;
	}
	n = calloc(1, sizeof(*n));
	/* mmsim: an entry is a few dozen bytes of host memory; page_added cannot fail. */
	MM_BUG_ON(!n);
	n->h.key = k;
	n->page = pg;
	n->test = true;
	n->fresh = 1;
	st->nr_cold++;
	insert_head(st, n);
	pg->policy.node = n;
	p->nr_pages++;
}

static void clockpro_removed(struct policy *p, struct page *pg)
{
	struct clockpro_state *st = p->state;
	struct clockpro_node *n = pg->policy.node;

	pg->policy.node = NULL;
	p->nr_pages--;
	if (n->hot)
		st->nr_hot--;
	else
		st->nr_cold--;
	if (p->evicting == pg && !n->hot && n->test) {
		/* Evicted in its test period: kept as a non-resident cold page. */
		n->page = NULL;
		n->ref = false;
		policy_hash_add(&st->nonres, &n->h);
		st->nr_nonres++;
		if (st->hand_cold == n)
			st->hand_cold = next(st, n);
		run_hand_test(st);
		return;
	}
	ring_remove(st, n);
	free(n);
}

static void clockpro_accessed(struct policy *p, struct page *pg, uint64_t next_use)
{
	struct clockpro_node *n = pg->policy.node;

	(void)next_use;
	if (policy_access_is_hit(p, &n->fresh))
		n->ref = true;
}

/* HAND_cold (§4.2): the resident cold page to evict; the hand stays on it. */
static struct page *clockpro_pick(struct policy *p, struct vmscan_ctx *ctx)
{
	struct clockpro_state *st = p->state;

	if (!p->nr_pages)
		return NULL;
	/*
	 * Bounded: each step either returns, steps over an entry that is not a resident cold
	 * page, or clears a reference bit of a resident cold page (bits are set only by
	 * accesses, none of which happen here).
	 */
	for (;;) {
		struct clockpro_node *n;

		if (!st->nr_cold) {
			run_hand_hot(st, ctx); /* only after frees: make a cold page */
			continue;
		}
		n = st->hand_cold;
		if (n->hot || !n->page) {
			st->hand_cold = next(st, n);
			continue;
		}
		ctx->nr_scanned++;
		if (!ref_test(st, n, true))
			return n->page;
		if (n->test) {
			/* Reused in its test period: hot, and m_c grows (§4.3). */
			n->test = false;
			n->hot = true;
			st->nr_cold--;
			st->nr_hot++;
			mc_add(st, +1);
			move_to_head(st, n);
			balance(st, ctx);
		} else {
			n->test = true;
			move_to_head(st, n);
		}
	}
}

static bool clockpro_check(const struct policy *p, struct check_report *why)
{
	const struct clockpro_state *st = p->state;
	uint64_t hot = 0, cold = 0, nonres = 0;
	const struct list_head *pos;

	list_for_each(pos, &st->ring)
	{
		const struct clockpro_node *n = list_entry(pos, struct clockpro_node, ring);

		if (!n->page) {
			nonres++;
			if (n->hot || !n->test)
				return check_fail(why, "clockpro: a non-resident entry is %s",
						  n->hot ? "hot" : "out of its test period");
		} else if (n->page->policy.node != n) {
			return check_fail(why, "clockpro: a page does not point at its entry");
		} else if (n->hot) {
			hot++;
		} else {
			cold++;
		}
	}
	if (hot != st->nr_hot || cold != st->nr_cold || nonres != st->nr_nonres ||
	    nonres != st->nonres.nr || hot + cold != p->nr_pages)
		return check_fail(why,
				  "clockpro: %llu hot, %llu cold, %llu non-resident in the "
				  "clock; counted %llu, %llu, %llu",
				  (unsigned long long)hot, (unsigned long long)cold,
				  (unsigned long long)nonres, (unsigned long long)st->nr_hot,
				  (unsigned long long)st->nr_cold,
				  (unsigned long long)st->nr_nonres);
	if (st->nr_nonres > st->m)
		return check_fail(why, "clockpro: %llu non-resident pages, more than m = %llu",
				  (unsigned long long)st->nr_nonres, (unsigned long long)st->m);
	if (st->mc < st->mc_min || st->mc > st->mc_max)
		return check_fail(why, "clockpro: m_c = %llu outside [%llu, %llu]",
				  (unsigned long long)st->mc, (unsigned long long)st->mc_min,
				  (unsigned long long)st->mc_max);
	if (!st->hand_hot != list_empty(&st->ring))
		return check_fail(why, "clockpro: hands and clock disagree on emptiness");
	return true;
}

const struct policy_ops policy_clockpro = {
	.name = "clockpro",
	.summary = "CLOCK-Pro (USENIX ATC 2005): hot/cold clock, test periods, adaptive m_c "
		   "(sees every access)",
	.params = clockpro_params,
	.nr_params = 2,
	.needs_accesses = true,
	.init = clockpro_init,
	.fini = clockpro_fini,
	.page_added = clockpro_added,
	.page_removed = clockpro_removed,
	.page_accessed = clockpro_accessed,
	.pick_victim = clockpro_pick,
	.check = clockpro_check,
};
