/*
 * mm/workingset.h: workingset detection with shadow entries (Linux 6.12 mm/workingset.c),
 * for the policies with Linux's two-list LRUs (policy_ops.workingset: `linux`).
 *
 * One clock per machine, the non-resident age (lruvec->nonresident_age), advances by one
 * for each page evicted and each page activated. When reclaim evicts a page, the index
 * entry it leaves is a shadow: the clock's value at eviction and whether the page was
 * PG_workingset. When the page faults back in and the shadow is found, the refault
 * distance (clock now - clock at eviction) is compared with the workingset size: the
 * active file pages, plus the inactive file pages for an anon refault, plus (with free
 * swap) the active anon pages and, for a file refault, the inactive anon ones. A refault
 * within that distance is read in active (workingset_activate_*), ages the clock, and, if
 * it was PG_workingset at eviction, is PG_workingset again and charges one page of I/O
 * to its type's reclaim cost (workingset_restore_*, lru_note_cost_refault()).
 * Counters: workingset_refault_{anon,file}, workingset_activate_*, workingset_restore_*.
 *
 * Shadow entries are bounded as by Linux's shadow shrinker (count_shadow_nodes(), run by
 * shrink_slab() in every shrink_node()): workingset_shrink_shadows() runs after each
 * reclaim pass and deletes the oldest shadow-only index nodes when there are more than
 * node_present_pages / 8 of them (workingset_nodereclaim).
 */
#ifndef MMSIM_MM_WORKINGSET_H
#define MMSIM_MM_WORKINGSET_H

#include <stdbool.h>
#include <stdint.h>

struct mm_core;
struct page;

/* A shadow entry (0: none): the eviction clock in the low bits, PG_workingset above it. */
#define WORKINGSET_SHADOW_VALID (UINT64_C(1) << 63)
#define WORKINGSET_SHADOW_WS (UINT64_C(1) << 62)
#define WORKINGSET_EVICTION_MASK (WORKINGSET_SHADOW_WS - 1)

/* Does the running policy keep shadow entries? */
bool workingset_enabled(const struct mm_core *core);
/* Linux workingset_eviction(): reclaim is evicting pg; returns its shadow entry and ages
 * the clock by one page. */
uint64_t workingset_eviction(struct mm_core *core, const struct page *pg);
/* Linux workingset_refault(): pg (not yet on an LRU; PG_SWAPBACKED says its type) replaces
 * shadow. Counts the refault; sets PG_ACTIVE (and PG_WORKINGSET) when it is recent. */
void workingset_refault(struct mm_core *core, struct page *pg, uint64_t shadow);

/* Linux shrink_slab() for the shadow shrinker alone (mm/shrinker.c do_shrink_slab() with
 * count_shadow_nodes() and scan_shadow_nodes()), at reclaim priority DEF_PRIORITY. */
void workingset_shrink_shadows(struct mm_core *core);

#endif
