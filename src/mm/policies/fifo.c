/*
 * mm/policies/fifo.c: first in, first out. The page resident longest goes, whatever its use.
 * Sees: nothing but arrivals. Cost: O(1) per event. Shows Belady's anomaly.
 * The state is policy.c's one list, oldest first; FIFO never reorders it.
 */
#include "mm/policy.h"

const struct policy_ops policy_fifo = {
	.name = "fifo",
	.summary = "first in, first out (sees arrivals only)",
	.init = policy_list_state_init,
	.fini = policy_list_state_fini,
	.page_added = policy_list_page_added,
	.page_removed = policy_list_page_removed,
	.pick_victim = policy_list_pick_head,
	.check = policy_list_state_check,
};
