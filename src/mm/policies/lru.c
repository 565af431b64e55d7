/*
 * mm/policies/lru.c: exact least-recently-used. An oracle: it sees every access (hardware
 * gives no such thing; Linux approximates it with the two-list policy). The page untouched
 * longest goes. Cost: O(1) per access (a list move) and per eviction.
 * The state is policy.c's one list, least recently used first.
 */
#include "mm/page.h"
#include "mm/policy.h"

static void lru_accessed(struct policy *p, struct page *pg, uint64_t next_use)
{
	(void)next_use;
	list_move_tail(&pg->lru, policy_list_head(p));
}

const struct policy_ops policy_lru = {
	.name = "lru",
	.summary = "exact least-recently-used (oracle: sees every access)",
	.needs_accesses = true,
	.init = policy_list_state_init,
	.fini = policy_list_state_fini,
	.page_added = policy_list_page_added,
	.page_removed = policy_list_page_removed,
	.page_accessed = lru_accessed,
	.pick_victim = policy_list_pick_head,
	.check = policy_list_state_check,
};
