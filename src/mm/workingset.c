/*
 * mm/workingset.c: shadow entries and refault distances (see workingset.h). Linux 6.12
 * mm/workingset.c: workingset_eviction(), workingset_refault(), workingset_test_recent(),
 * workingset_age_nonresident(), count_shadow_nodes(); mm/swap.c lru_note_cost_refault();
 * mm/shrinker.c do_shrink_slab().
 */
#include "mm/workingset.h"

#include "mm/filemap.h"
#include "mm/zone.h"

#include "mm/core.h"
#include "mm/page.h"
#include "mm/pgdat.h"
#include "mm/policy.h"
#include "mm/swap.h"
#include "mm/vmscan.h"
#include "mm/vmstat.h"

bool workingset_enabled(const struct mm_core *core)
{
	return core->policy && core->policy->workingset;
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

/* Linux XA_CHUNK_SHIFT (64 entries a node), SHRINK_BATCH, DEF_PRIORITY. */
#define WORKINGSET_XA_CHUNK_SHIFT 6u
#define WORKINGSET_SHRINK_BATCH 128u
#define WORKINGSET_DEF_PRIORITY 12u

/*
 * Linux count_shadow_nodes(): the shadow-only nodes beyond max_nodes, one node per 8
 * possible pages (a worst-case density of 1/8: node_present_pages >> (XA_CHUNK_SHIFT - 3)).
 * mmsim has no memory cgroups: the rule of reclaim without one (sc->memcg NULL), which
 * counts the node's present pages rather than a cgroup's LRU and slab pages.
 */
static uint64_t count_shadow_nodes(const struct mm_core *core, uint64_t nodes)
{
	uint64_t pages = 0, max_nodes;

	for (unsigned int i = 0; i < ZONE_NR_TYPES; i++)
		pages += core->pgdat->zones[i].present_pages;
	max_nodes = pages >> (WORKINGSET_XA_CHUNK_SHIFT - 3);
	return nodes <= max_nodes ? 0 : nodes - max_nodes;
}

/*
 * Linux do_shrink_slab() for a shrinker with seeks 0 (workingset_init()): half of what is
 * freeable plus the deferred work >> priority, at most twice the freeable, is scanned in
 * batches of SHRINK_BATCH while a whole batch is left or the scan covers all that is
 * freeable; what was not scanned is deferred to the next call (at most twice the freeable).
 * So at DEF_PRIORITY nothing goes until 256 nodes are freeable, then 128 at a time.
 * Each node scanned from the list's head is deleted (shadow_lru_isolate()).
 */
void workingset_shrink_shadows(struct mm_core *core)
{
	uint64_t nodes = filemap_shadow_nodes(core), freeable, nr, delta, total_scan;
	uint64_t scanned = 0, next;

	if (!nodes)
		return; /* SHRINK_EMPTY */
	freeable = count_shadow_nodes(core, nodes);
	if (!freeable)
		return;
	nr = core->shadow_nr_deferred;
	core->shadow_nr_deferred = 0;
	delta = freeable / 2;
	total_scan = (nr >> WORKINGSET_DEF_PRIORITY) + delta;
	if (total_scan > 2 * freeable)
		total_scan = 2 * freeable;
	while (total_scan >= WORKINGSET_SHRINK_BATCH || total_scan >= freeable) {
		uint64_t nr_to_scan =
			total_scan < WORKINGSET_SHRINK_BATCH ? total_scan : WORKINGSET_SHRINK_BATCH;

		filemap_shadow_reclaim(core, nr_to_scan);
		total_scan -= nr_to_scan;
		scanned += nr_to_scan;
	}
	next = nr + delta > scanned ? nr + delta - scanned : 0;
	core->shadow_nr_deferred = next < 2 * freeable ? next : 2 * freeable;
}
