/*
 * mm/policies/fifo.c: first in, first out. The page resident longest goes, whatever its use.
 * Sees: nothing but arrivals. Cost: O(1) per event. Shows Belady's anomaly.
 */
#include <errno.h>
#include <stdlib.h>

#include "mm/page.h"
#include "mm/policy.h"
#include "mm/vmscan.h"

struct fifo_state {
	struct list_head queue; /* oldest first, through page->lru */
};

static int fifo_init(struct policy *p)
{
	struct fifo_state *st = malloc(sizeof(*st));

	if (!st)
		return -ENOMEM;
	list_init(&st->queue);
	p->state = st;
	return 0;
}

static void fifo_fini(struct policy *p)
{
	free(p->state);
}

static void fifo_added(struct policy *p, struct page *pg)
{
	struct fifo_state *st = p->state;

	list_add_tail(&pg->lru, &st->queue);
	p->nr_pages++;
}

static void fifo_removed(struct policy *p, struct page *pg)
{
	list_del(&pg->lru);
	p->nr_pages--;
}

static struct page *fifo_pick(struct policy *p, struct vmscan_ctx *ctx)
{
	struct fifo_state *st = p->state;

	if (list_empty(&st->queue))
		return NULL;
	ctx->nr_scanned++;
	return list_entry(st->queue.next, struct page, lru);
}

static bool fifo_check(const struct policy *p, struct check_report *why)
{
	const struct fifo_state *st = p->state;

	return policy_list_check(p, &st->queue, why);
}

const struct policy_ops policy_fifo = {
	.name = "fifo",
	.summary = "first in, first out (sees arrivals only)",
	.init = fifo_init,
	.fini = fifo_fini,
	.page_added = fifo_added,
	.page_removed = fifo_removed,
	.pick_victim = fifo_pick,
	.check = fifo_check,
};
