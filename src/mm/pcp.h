/*
 * mm/pcp.h: per-CPU page lists in front of the buddy allocator (Linux 6.1-6.6
 * mm/page_alloc.c: struct per_cpu_pages, rmqueue_pcplist(), __rmqueue_pcplist(),
 * rmqueue_bulk(), free_unref_page_commit(), free_pcppages_bulk(), nr_pcp_free(),
 * nr_pcp_high(), zone_batchsize(), zone_highsize(), drain_pages_zone(),
 * drain_all_pages()).
 *
 * Each zone has one pageset for each CPU; mmsim simulates one CPU, so one pageset. An
 * order-0 allocation takes the first page of the pageset's list; an empty list is
 * refilled with `batch` pages taken from the buddy free lists at once (rmqueue_bulk()).
 * An order-0 free puts the page at the head of the list; once the list holds `high`
 * pages, the pages at its tail go back to the buddy (free_pcppages_bulk()), `batch` of
 * them the first time and twice as many each further time until an allocation comes
 * (nr_pcp_free()'s free_factor). Pages on the list are not free pages: rmqueue_bulk()
 * takes them out of NR_FREE_PAGES and zone->nr_free_pages, so watermarks do not see them.
 *
 * high and batch are the static values of Linux 5.14-6.6 (zone_set_pageset_high_and_batch()
 * at boot and after every watermark change): batch = max(1, zone_batchsize()), about a
 * quarter of 0.1 % of the zone, at most 63, and 1 for a zone below 8192 pages; high =
 * zone_highsize(): the zone's low watermark split over the node's CPUs (here one), at least
 * 4 * batch. While kswapd reclaims (ZONE_RECLAIM_ACTIVE) high is at most 4 * batch
 * (nr_pcp_high()). These rules were checked against the 6.1 and 6.6 sources (docs/kernel.md,
 * "per-CPU page lists: checked against the source").
 *
 * mmsim: order 0 only. Linux 5.13+ keeps orders 1..PAGE_ALLOC_COSTLY_ORDER and the THP order
 * on pagesets too (pcp_allowed_order()); here those go straight to the buddy. One list, where
 * Linux keeps one per migrate type (mmsim has no mobility grouping). The adaptive high of
 * Linux 6.7+ (high_min/high_max, decay_pcp_high(), free_count) is not modelled: its high
 * follows the allocation pattern over time. pcp=off gives every pageset Linux's disabled
 * values (high 0, batch 1, as zone_pcp_disable()), which frees and allocates through the
 * buddy at once.
 *
 * Ownership: pages on a pageset belong to the pageset (PG_PCP, refcount 0) until an
 * allocation takes them or a drain gives them back to the buddy.
 */
#ifndef MMSIM_MM_PCP_H
#define MMSIM_MM_PCP_H

#include <stdbool.h>

#include "arch/x86_64/types.h"
#include "util/list.h"

struct zone;
struct pgdat;
struct page;
struct check_report;

/* Linux struct per_cpu_pages, for the one simulated CPU, order 0 only. */
struct pcp_pages {
	unsigned int count;	  /* pages on list */
	unsigned int high;	  /* list length that starts a bulk free; 0: disabled */
	unsigned int batch;	  /* pages a refill takes, and the base of a bulk free */
	unsigned int free_factor; /* bulk frees since the last allocation, doubling each */
	bool disabled;		  /* pcp=off: high 0 and batch 1 whatever the zone's size */
	struct list_head list;	  /* PG_PCP pages through lru; the hottest first */
};

/* Boot: an empty, enabled pageset (high and batch come with the watermarks). */
void pcp_init(struct zone *z);

/* Linux zone_pcp_update(): high and batch from the zone's size and low watermark. */
void pcp_update(struct zone *z);

/*
 * pcp=on|off for every zone of the node. Off drains each pageset and gives it the
 * disabled values (Linux zone_pcp_disable()); on recomputes them.
 */
void pcp_set_enabled(struct pgdat *pgdat, bool on);

/* Whether order-0 pages go through the pagesets (pcp=on). */
bool pcp_enabled(const struct pgdat *pgdat);

/*
 * Linux rmqueue_pcplist(): an order-0 page from z's pageset, refilled from z's free lists
 * when empty. 0 and *pfn_out (the page comes back allocated: refcount 1), or -ENOMEM when
 * the list is empty and the free lists have no page. No watermark test here.
 */
int pcp_alloc(struct zone *z, pfn_t *pfn_out);

/*
 * Linux free_unref_page_commit(): pg (order 0, prepared for freeing: no flags, refcount 0)
 * goes on z's pageset; a bulk free follows when the list reaches high.
 */
void pcp_free(struct zone *z, struct page *pg);

/* Linux drain_pages_zone(): every page of z's pageset back to the free lists. */
void pcp_drain_zone(struct zone *z);

/* Linux drain_all_pages(NULL): every zone's pagesets. */
void pcp_drain_all(struct pgdat *pgdat);

/*
 * Linux ZONE_RECLAIM_ACTIVE (set_reclaim_active()/clear_reclaim_active() around kswapd's
 * balance_pgdat()) on the managed zones up to highest_zoneidx: while set, a pageset keeps
 * at most 4 * batch pages.
 */
void pcp_set_reclaim_active(struct pgdat *pgdat, unsigned int highest_zoneidx, bool active);

/* The pageset's list well formed: PG_PCP order-0 pages of z, as many as count. */
bool pcp_check(const struct zone *z, struct check_report *why);

#endif
