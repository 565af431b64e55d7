/*
 * mm/policies/clock.c: Clock (second chance) over the hardware Accessed bit. Pages sit on a
 * circle; the hand passes pages whose PTEs have A set, clearing it (a second chance), and
 * takes the first page found with A clear. Sees: A bits through rmap, nothing else. Because
 * clearing A does not flush the TLB (as on x86 Linux), a page whose translation stays
 * cached looks unused until its TLB entry goes: run with tlb=off for the textbook policy.
 * Cost: O(1) per arrival; per eviction, the pages the hand passes.
 */
#include <errno.h>
#include <stdlib.h>

#include "mm/page.h"
#include "mm/policy.h"
#include "mm/vmscan.h"

struct clock_state {
	struct list_head circle; /* through page->lru; the sentinel is skipped */
	struct list_head *hand;	 /* next page to look at (never the sentinel unless empty) */
};

static int clock_init(struct policy *p)
{
	struct clock_state *st = malloc(sizeof(*st));

	if (!st)
		return -ENOMEM;
	list_init(&st->circle);
	st->hand = &st->circle;
	p->state = st;
	return 0;
}

static void clock_fini(struct policy *p)
{
	free(p->state);
}

/* New pages go just behind the hand: the last place it reaches. */
static void clock_added(struct policy *p, struct page *pg)
{
	struct clock_state *st = p->state;

	list_add_tail(&pg->lru, st->hand);
	if (st->hand == &st->circle)
		st->hand = &pg->lru;
	p->nr_pages++;
}

static struct list_head *advance(struct clock_state *st, struct list_head *pos)
{
	pos = pos->next;
	return pos == &st->circle ? pos->next : pos;
}

static void clock_removed(struct policy *p, struct page *pg)
{
	struct clock_state *st = p->state;

	if (st->hand == &pg->lru)
		st->hand = advance(st, st->hand);
	list_del(&pg->lru);
	if (list_empty(&st->circle))
		st->hand = &st->circle;
	p->nr_pages--;
}

static struct page *clock_pick(struct policy *p, struct vmscan_ctx *ctx)
{
	struct clock_state *st = p->state;

	if (list_empty(&st->circle))
		return NULL;
	/* Two full turns at most: after one, every A bit the hand passed is clear. */
	for (uint64_t n = 0; n < 2 * p->nr_pages + 1; n++) {
		struct page *pg = list_entry(st->hand, struct page, lru);

		ctx->nr_scanned++;
		if (!vmscan_page_referenced(ctx, pg, true, NULL))
			return pg;
		st->hand = advance(st, st->hand);
	}
	return list_entry(st->hand, struct page, lru);
}

static bool clock_check(const struct policy *p, struct check_report *why)
{
	const struct clock_state *st = p->state;

	return policy_list_check(p, &st->circle, why);
}

const struct policy_ops policy_clock = {
	.name = "clock",
	.summary = "second chance over the hardware Accessed bit",
	.init = clock_init,
	.fini = clock_fini,
	.page_added = clock_added,
	.page_removed = clock_removed,
	.pick_victim = clock_pick,
	.check = clock_check,
};
