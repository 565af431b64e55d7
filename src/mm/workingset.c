/*
 * mm/workingset.c: shadow entries and refault distances (see workingset.h). Linux 6.12
 * mm/workingset.c: workingset_eviction(), workingset_refault(), workingset_test_recent(),
 * workingset_age_nonresident(); mm/swap.c lru_note_cost_refault().
 */
#include "mm/workingset.h"

#include "mm/core.h"
#include "mm/page.h"
#include "mm/pgdat.h"
#include "mm/policy.h"
#include "mm/swap.h"
#include "mm/vmscan.h"
#include "mm/vmstat.h"

bool workingset_enabled(const struct mm_core *core)
{
	return core->policy && core->policy->ops->workingset;
}

uint64_t workingset_eviction(struct mm_core *core, const struct page *pg)
{
	uint64_t eviction = core->nonresident_age & WORKINGSET_EVICTION_MASK;

	core->nonresident_age++;
	return WORKINGSET_SHADOW_VALID | eviction |
	       (page_flag_test(pg, PG_WORKINGSET) ? WORKINGSET_SHADOW_WS : 0);
}

/* Linux workingset_test_recent(): is the refault distance within the workingset size? */
static bool test_recent(const struct mm_core *core, uint64_t shadow, bool file)
{
	const unsigned long *vm = core->pgdat->vmstat;
	uint64_t distance = (core->nonresident_age - (shadow & WORKINGSET_EVICTION_MASK)) &
			    WORKINGSET_EVICTION_MASK;
	uint64_t size = vm[VMSTAT_NR_ACTIVE_FILE];

	if (!file)
		size += vm[VMSTAT_NR_INACTIVE_FILE];
	if (swap_free_pages(core) > 0) {
		size += vm[VMSTAT_NR_ACTIVE_ANON];
		if (file)
			size += vm[VMSTAT_NR_INACTIVE_ANON];
	}
	return distance <= size;
}

void workingset_refault(struct mm_core *core, struct page *pg, uint64_t shadow)
{
	bool file = !page_flag_test(pg, PG_SWAPBACKED);

	core_count(core, file ? VMSTAT_WORKINGSET_REFAULT_FILE : VMSTAT_WORKINGSET_REFAULT_ANON);
	if (!test_recent(core, shadow, file))
		return;
	page_flag_set(pg, PG_ACTIVE);
	core->nonresident_age++;
	core_count(core, file ? VMSTAT_WORKINGSET_ACTIVATE_FILE : VMSTAT_WORKINGSET_ACTIVATE_ANON);
	if (shadow & WORKINGSET_SHADOW_WS) {
		page_flag_set(pg, PG_WORKINGSET);
		vmscan_lru_note_cost(core, file, 1, 0);
		core_count(core,
			   file ? VMSTAT_WORKINGSET_RESTORE_FILE : VMSTAT_WORKINGSET_RESTORE_ANON);
	}
}
