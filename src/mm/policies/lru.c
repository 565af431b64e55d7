/*
 * mm/policies/lru.c: exact least-recently-used. An oracle: it sees every access (hardware
 * gives no such thing; Linux approximates it with the two-list policy). The page untouched
 * longest goes. Cost: O(1) per access (a list move) and per eviction.
 */
#include <errno.h>
#include <stdlib.h>

#include "mm/page.h"
#include "mm/policy.h"
#include "mm/vmscan.h"

struct lru_state {
	struct list_head list; /* least recently used first, through page->lru */
};

static int lru_init(struct policy *p)
{
	struct lru_state *st = malloc(sizeof(*st));

	if (!st)
		return -ENOMEM;
	list_init(&st->list);
	p->state = st;
	return 0;
}

static void lru_fini(struct policy *p)
{
	free(p->state);
}

static void lru_added(struct policy *p, struct page *pg)
{
	struct lru_state *st = p->state;

	list_add_tail(&pg->lru, &st->list);
	p->nr_pages++;
}

static void lru_removed(struct policy *p, struct page *pg)
{
	list_del(&pg->lru);
	p->nr_pages--;
}

static void lru_accessed(struct policy *p, struct page *pg, uint64_t next_use)
{
	struct lru_state *st = p->state;

	(void)next_use;
	list_move_tail(&pg->lru, &st->list);
}

static struct page *lru_pick(struct policy *p, struct vmscan_ctx *ctx)
{
	struct lru_state *st = p->state;

	if (list_empty(&st->list))
		return NULL;
	ctx->nr_scanned++;
	return list_entry(st->list.next, struct page, lru);
}

static bool lru_check(const struct policy *p, struct check_report *why)
{
	const struct lru_state *st = p->state;

	return policy_list_check(p, &st->list, why);
}

const struct policy_ops policy_lru = {
	.name = "lru",
	.summary = "exact least-recently-used (oracle: sees every access)",
	.needs_accesses = true,
	.init = lru_init,
	.fini = lru_fini,
	.page_added = lru_added,
	.page_removed = lru_removed,
	.page_accessed = lru_accessed,
	.pick_victim = lru_pick,
	.check = lru_check,
};
