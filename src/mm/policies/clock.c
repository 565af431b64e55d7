/*
 * mm/policies/clock.c: Clock (second chance) over the hardware Accessed bit. Pages sit on a
 * circle; the hand passes pages whose PTEs have A set, clearing it (a second chance), and
 * takes the first page found with A clear. Sees: A bits through rmap, nothing else. Because
 * clearing A does not flush the TLB (as on x86 Linux), a page whose translation stays
 * cached looks unused until its TLB entry goes: run with tlb=off for the textbook policy.
 * Cost: O(1) per arrival; per eviction, the pages the hand passes.
 */
#include "mm/page.h"
#include "mm/policy.h"
#include "mm/vmscan.h"

static struct page *clock_pick(struct policy *p, struct vmscan_ctx *ctx)
{
	struct policy_circle *c = p->state;

	/* Two full turns at most: after one, every A bit the hand passed is clear. */
	for (uint64_t n = 0; n < 2 * p->nr_pages + 1; n++) {
		struct page *pg = policy_circle_hand(c);

		if (!pg)
			return NULL;
		ctx->nr_scanned++;
		if (!vmscan_page_referenced(ctx, pg, true, NULL))
			return pg;
		policy_circle_advance(c);
	}
	return policy_circle_hand(c);
}

const struct policy_ops policy_clock = {
	.name = "clock",
	.summary = "second chance over the hardware Accessed bit",
	.init = policy_circle_state_init,
	.fini = policy_circle_state_fini,
	.page_added = policy_circle_page_added,
	.page_removed = policy_circle_page_removed,
	.pick_victim = clock_pick,
	.check = policy_circle_check,
};
