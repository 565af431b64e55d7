/*
 * mm/policies/nru.c: not recently used, as the enhanced second-chance clock: pages are
 * ranked by (Accessed, Dirty) from their PTEs — (0,0) best, then (0,1), (1,0), (1,1) — so a
 * clean unused page goes before a dirty one, which would cost a write to swap.
 * Passes over the circle from the hand: 1. look for (0,0) without touching bits; 2. look
 * for (0,1), clearing A on the pages passed; repeat 1 and 2 (all A are clear by then).
 * Sees: A and D bits through rmap. Cost: up to four turns of the circle per eviction.
 */
#include "mm/page.h"
#include "mm/policy.h"
#include "mm/vmscan.h"

static struct page *nru_pick(struct policy *p, struct vmscan_ctx *ctx)
{
	struct policy_circle *c = p->state;

	for (unsigned int pass = 0; pass < 4; pass++) {
		bool want_dirty = pass % 2 == 1; /* passes 2 and 4 take (0,1) and clear A */

		for (uint64_t n = 0; n < p->nr_pages; n++) {
			struct page *pg = policy_circle_hand(c);
			bool dirty;
			unsigned int young = vmscan_page_referenced(ctx, pg, want_dirty, &dirty);

			ctx->nr_scanned++;
			if (!young && dirty == want_dirty)
				return pg;
			policy_circle_advance(c);
		}
	}
	return policy_circle_hand(c);
}

const struct policy_ops policy_nru = {
	.name = "nru",
	.summary = "enhanced second chance over the Accessed and Dirty bits",
	.init = policy_circle_state_init,
	.fini = policy_circle_state_fini,
	.page_added = policy_circle_page_added,
	.page_removed = policy_circle_page_removed,
	.pick_victim = nru_pick,
	.check = policy_circle_check,
};
