/*
 * mm/policies/2q.c: 2Q, the full version (Johnson and Shasha, "2Q: a low overhead high
 * performance buffer management replacement algorithm", VLDB 1994, §2, Figure "2Q, full
 * version"). Three lists: A1in, a FIFO of pages seen once (at most Kin = ⌊kin/100 · c⌋
 * before it gives up pages); A1out, a FIFO of the ids of pages evicted from A1in (at most
 * Kout = ⌊kout/100 · c⌋ ids); Am, an LRU list of pages seen again.
 *  - hit in Am: move to Am's most recent end; hit in A1in: nothing (correlated references);
 *  - miss on an id in A1out: the page enters Am (and leaves A1out); any other miss enters A1in;
 *  - reclaimfor: when |A1in| > Kin, A1in's oldest page goes and its id enters A1out
 *    (dropping A1out's oldest beyond Kout); otherwise Am's least recent page goes, and no id
 *    is kept. The paper's defaults are Kin = 25% and Kout = 50% of the buffer (§2).
 * When Kin rounds to 0 (c < 4) A1in gives up its pages first whenever it holds any; when
 * Am is empty and A1in is within Kin, A1in's oldest page goes anyway (the paper's lists
 * cannot both be short when the buffer is full, except at such tiny sizes). Kout = 0
 * keeps no ids (c < 2): every refault then enters A1in.
 * Sees: every access (page_accessed). Cost: O(1) per access, arrival and eviction.
 */
#include <errno.h>
#include <stdlib.h>

#include "mm/check.h"
#include "mm/page.h"
#include "mm/policy.h"
#include "mm/vmscan.h"

enum twoq_queue { TWOQ_A1IN, TWOQ_AM };
enum twoq_param { TWOQ_KIN_PCT, TWOQ_KOUT_PCT };

static const struct policy_param twoq_params[] = {
	[TWOQ_KIN_PCT] = { "kin", 25, 0, 100, "A1in, % of c (VLDB'94 §2: 25%)" },
	[TWOQ_KOUT_PCT] = { "kout", 50, 0, 1000, "A1out ids, % of c (VLDB'94 §2: 50%)" },
};

struct twoq_state {
	struct list_head a1in, am; /* head.next the newest / most recent */
	uint64_t nr_a1in, nr_am;
	uint64_t kin;
	struct policy_ghost a1out; /* cap Kout */
	bool taken;		   /* reclaim took taken_key out of A1out for the page coming in */
	struct policy_key taken_key;
};

static int twoq_init(struct policy *p)
{
	struct twoq_state *st = calloc(1, sizeof(*st));

	if (!st)
		return -ENOMEM;
	list_init(&st->a1in);
	list_init(&st->am);
	st->kin = p->capacity * p->param[TWOQ_KIN_PCT] / 100;
	if (policy_ghost_init(&st->a1out, p->capacity * p->param[TWOQ_KOUT_PCT] / 100)) {
		free(st);
		return -ENOMEM;
	}
	p->state = st;
	return 0;
}

static void twoq_fini(struct policy *p)
{
	struct twoq_state *st = p->state;

	policy_ghost_fini(&st->a1out);
	free(st);
}

static void twoq_added(struct policy *p, struct page *pg)
{
	struct twoq_state *st = p->state;

	struct policy_key x = policy_page_key(pg);
	bool was_out = (st->taken && policy_key_eq(st->taken_key, x)) ||
		       policy_ghost_remove(&st->a1out, x);

	st->taken = false;
	pg->policy.twoq = (struct page_policy_queue){ .fresh = 1 };
	if (was_out) {
		pg->policy.twoq.queue = TWOQ_AM;
		list_add(&pg->lru, &st->am);
		st->nr_am++;
	} else {
		pg->policy.twoq.queue = TWOQ_A1IN;
		list_add(&pg->lru, &st->a1in);
		st->nr_a1in++;
	}
	p->nr_pages++;
}

static void twoq_removed(struct policy *p, struct page *pg)
{
	struct twoq_state *st = p->state;

	list_del(&pg->lru);
	if (pg->policy.twoq.queue == TWOQ_A1IN) {
		st->nr_a1in--;
		if (p->evicting == pg)
			policy_ghost_push(&st->a1out, policy_page_key(pg));
	} else {
		st->nr_am--;
	}
	p->nr_pages--;
}

static void twoq_accessed(struct policy *p, struct page *pg, uint64_t next_use)
{
	struct twoq_state *st = p->state;

	(void)next_use;
	if (policy_access_is_hit(p, &pg->policy.twoq.fresh) && pg->policy.twoq.queue == TWOQ_AM)
		list_move(&pg->lru, &st->am);
}

static struct page *twoq_pick(struct policy *p, struct vmscan_ctx *ctx)
{
	struct twoq_state *st = p->state;

	if (!p->nr_pages)
		return NULL;
	/* The missed page's id leaves A1out before reclaimfor adds one (our reading of §2:
	 * a page is never both resident and in A1out), so it does not push an id out. */
	if (p->has_incoming && !st->taken && policy_ghost_remove(&st->a1out, p->incoming)) {
		st->taken = true;
		st->taken_key = p->incoming;
	}
	ctx->nr_scanned++;
	if (st->nr_a1in > st->kin || !st->nr_am)
		return list_entry(st->a1in.prev, struct page, lru);
	return list_entry(st->am.prev, struct page, lru);
}

static bool twoq_check(const struct policy *p, struct check_report *why)
{
	const struct twoq_state *st = p->state;

	if (st->nr_a1in + st->nr_am != p->nr_pages)
		return check_fail(why, "2q: %llu + %llu pages on the lists, %llu counted",
				  (unsigned long long)st->nr_a1in, (unsigned long long)st->nr_am,
				  (unsigned long long)p->nr_pages);
	return true;
}

const struct policy_ops policy_2q = {
	.name = "2q",
	.summary = "2Q (VLDB 1994): A1in FIFO, A1out ids, Am LRU (oracle: sees every access)",
	.params = twoq_params,
	.nr_params = 2,
	.needs_accesses = true,
	.init = twoq_init,
	.fini = twoq_fini,
	.page_added = twoq_added,
	.page_removed = twoq_removed,
	.page_accessed = twoq_accessed,
	.pick_victim = twoq_pick,
	.check = twoq_check,
};
