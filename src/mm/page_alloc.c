/*
 * mm/page_alloc.c: the zoned page allocator (see page_alloc.h).
 *
 * The path of one allocation, numbered as in the code:
 *  1. gfp_zone(): the highest eligible zone; the zonelist is that zone and every lower one
 *     that manages pages (Linux build_zonelists() for one node: Normal, DMA32, DMA).
 *  2. Fast path (get_page_from_freelist() with ALLOC_WMARK_LOW): the first zone passing
 *     zone_watermark_ok(low + lowmem_reserve[highest]) gives the block.
 *  3. Slow path (__alloc_pages_slowpath()): wake kswapd if GFP_KSWAPD_RECLAIM, then try
 *     again against the min watermark.
 *  4. Without GFP_DIRECT_RECLAIM, fail. Otherwise direct reclaim (allocstall_<zone>
 *     counted with the highest zone, as Linux's do_try_to_free_pages() does) and a retry
 *     against min (after progress and a failure, once more after draining the per-CPU
 *     page lists), as long as reclaim makes progress (Linux gives up after
 *     MAX_RECLAIM_RETRIES rounds without progress; a deterministic reclaimer that made
 *     none once makes none again, so one such round ends it here).
 *  5. Out of memory: the OOM hook; retry from 4 while it frees something.
 * Every round is bounded by PAGE_ALLOC_MAX_ROUNDS.
 */
#include "mm/page_alloc.h"

#include <errno.h>
#include <string.h>

#include "mm/buddy.h"
#include "mm/bug.h"
#include "mm/page.h"
#include "mm/pcp.h"
#include "mm/pgdat.h"

#define PAGE_ALLOC_MAX_ROUNDS 1024u /* reclaim / OOM rounds of one allocation */
#define PAGE_ALLOC_COSTLY_ORDER 3u  /* Linux PAGE_ALLOC_COSTLY_ORDER */

/* No watermark test at all (Linux ALLOC_NO_WATERMARKS). */
#define WMARK_NONE ZONE_NR_WMARKS

enum zone_type page_gfp_zone(gfp_t gfp)
{
	/* Linux GFP_ZONE_TABLE for a 64-bit kernel with ZONE_DMA and ZONE_DMA32. */
	switch (gfp & GFP_ZONEMASK) {
	case 0:
	case GFP_HIGHMEM:
	case GFP_MOVABLE:
		return ZONE_NORMAL;
	case GFP_DMA:
	case GFP_DMA | GFP_MOVABLE:
		return ZONE_DMA;
	case GFP_DMA32:
	case GFP_DMA32 | GFP_MOVABLE:
		return ZONE_DMA32;
	case GFP_HIGHMEM | GFP_MOVABLE:
		return ZONE_MOVABLE;
	default:
		return ZONE_NR_TYPES;
	}
}

/* Steps 1-2: one pass down the zonelist against watermark wm. */
static int get_page_from_freelist(struct pgdat *pgdat, gfp_t gfp, unsigned int order,
				  enum zone_type highest, unsigned int wm, pfn_t *pfn_out)
{
	for (int t = (int)highest; t >= 0; t--) {
		struct zone *z = &pgdat->zones[t];

		if (!zone_managed(z))
			continue;
		if (wm != WMARK_NONE && !zone_watermark_ok(z, order, z->watermark[wm], highest))
			continue;
		/* rmqueue(): order 0 through the pageset (rmqueue_pcplist()), else the buddy. */
		if (order == 0 && !z->pcp.disabled ? pcp_alloc(z, pfn_out)
						   : buddy_alloc(z, order, pfn_out))
			continue;
		pgdat->vmstat[VMSTAT_PGALLOC_DMA + t] += 1ul << order;
		if (gfp & GFP_ZERO)
			memset(pgdat_frame(pgdat, *pfn_out), 0, X86_PAGE_SIZE << order);
		return 0;
	}
	return -ENOMEM;
}

/* The zone the slow path names to kswapd: the highest eligible zone with pages. */
static struct zone *preferred_zone(struct pgdat *pgdat, enum zone_type highest)
{
	for (int t = (int)highest; t >= 0; t--) {
		if (zone_managed(&pgdat->zones[t]))
			return &pgdat->zones[t];
	}
	return NULL;
}

/* Steps 3-5. */
static int alloc_slowpath(struct pgdat *pgdat, gfp_t gfp, unsigned int order,
			  enum zone_type highest, pfn_t *pfn_out)
{
	const struct zone_reclaim_ops *ops = &pgdat->reclaim;
	struct zone *pref = preferred_zone(pgdat, highest);

	if (!pref)
		return -ENOMEM;
	/* 3. */
	if ((gfp & GFP_KSWAPD_RECLAIM) && ops->wakeup_kswapd)
		ops->wakeup_kswapd(ops->ctx, pref, order, highest);
	/* kswapd wakes kcompactd for a high order after its reclaim (wakeup_kcompactd()).
	 * mmsim: for costly orders only. */
	if ((gfp & GFP_KSWAPD_RECLAIM) && order > PAGE_ALLOC_COSTLY_ORDER && ops->wakeup_kcompactd)
		ops->wakeup_kcompactd(ops->compact_ctx, order, highest);
	if (!get_page_from_freelist(pgdat, gfp, order, highest, ZONE_WMARK_MIN, pfn_out))
		return 0;
	/* 4. */
	if (!(gfp & GFP_DIRECT_RECLAIM))
		return -ENOMEM;
	/* Direct compaction before reclaim for a costly order (__alloc_pages_direct_compact();
	 * mmsim: costly orders only, so small allocations behave as before compaction). */
	if (order > PAGE_ALLOC_COSTLY_ORDER && ops->direct_compact) {
		ops->direct_compact(ops->compact_ctx, order, highest);
		if (!get_page_from_freelist(pgdat, gfp, order, highest, ZONE_WMARK_MIN, pfn_out)) {
			pgdat->vmstat[VMSTAT_COMPACT_SUCCESS]++;
			return 0;
		}
		pgdat->vmstat[VMSTAT_COMPACT_FAIL]++;
	}
	for (unsigned int round = 0; round < PAGE_ALLOC_MAX_ROUNDS; round++) {
		unsigned long progress = 0;

		if (ops->direct_reclaim) {
			pgdat->vmstat[VMSTAT_ALLOCSTALL_DMA + highest]++;
			progress = ops->direct_reclaim(ops->ctx, order, gfp, highest);
		}
		if (!get_page_from_freelist(pgdat, gfp, order, highest, ZONE_WMARK_MIN, pfn_out))
			return 0;
		/* __alloc_pages_direct_reclaim(): reclaim made progress yet the allocation
		 * failed: "pages are pinned on the per-cpu lists"; drain_all_pages() and retry
		 * once (`drained`). */
		if (progress && pcp_enabled(pgdat)) {
			pcp_drain_all(pgdat);
			if (!get_page_from_freelist(pgdat, gfp, order, highest, ZONE_WMARK_MIN,
						    pfn_out))
				return 0;
		}
		/* Linux should_reclaim_retry() and __alloc_pages_may_oom(): a costly order
		 * (a THP) gets one round and never calls the OOM killer. */
		if (order > PAGE_ALLOC_COSTLY_ORDER)
			return -ENOMEM;
		if (progress)
			continue;
		/* 5. */
		if (!ops->out_of_memory || !ops->out_of_memory(ops->ctx, order, gfp))
			return -ENOMEM;
		if (!get_page_from_freelist(pgdat, gfp, order, highest, ZONE_WMARK_MIN, pfn_out))
			return 0;
	}
	return -ENOMEM;
}

int page_alloc(struct pgdat *pgdat, gfp_t gfp, unsigned int order, pfn_t *pfn_out)
{
	enum zone_type highest = page_gfp_zone(gfp);
	int rc;

	if (order > BUDDY_MAX_ORDER || highest == ZONE_NR_TYPES)
		return -EINVAL;
	if (gfp & GFP_MEMALLOC)
		rc = get_page_from_freelist(pgdat, gfp, order, highest, WMARK_NONE, pfn_out);
	else
		rc = get_page_from_freelist(pgdat, gfp, order, highest, ZONE_WMARK_LOW, pfn_out);
	if (rc && !(gfp & GFP_MEMALLOC))
		rc = alloc_slowpath(pgdat, gfp, order, highest, pfn_out);
	if (rc && !(gfp & GFP_NOWARN))
		pgdat->nr_alloc_warnings++;
	return rc;
}

/*
 * Linux __free_pages() -> free_unref_page(): an order-0 page goes to its zone's pageset
 * (free_unref_page_commit()), a larger block straight to the buddy (__free_pages_ok(); mmsim:
 * Linux 5.13+ puts orders up to 3 and the THP order on pagesets too). pgfree counts the
 * pages when they are freed, not when a pageset gives them back.
 */
static void free_block(struct pgdat *pgdat, pfn_t pfn, unsigned int order)
{
	struct page *pg = pgdat_page(pgdat, pfn);
	struct zone *z = pgdat_page_zone(pgdat, pg);

	if (order == 0 && !z->pcp.disabled) {
		buddy_free_prepare(z, pfn, 0);
		pcp_free(z, pg);
	} else {
		buddy_free(z, pfn, order);
	}
	pgdat->vmstat[VMSTAT_PGFREE] += 1ul << order;
}

void page_free(struct pgdat *pgdat, pfn_t pfn, unsigned int order)
{
	struct page *pg;

	MM_BUG_ON(pfn >= pgdat->nr_pfns);
	pg = pgdat_page(pgdat, pfn);
	MM_BUG_ON(pg->refcount != 1);
	pg->refcount = 0;
	free_block(pgdat, pfn, order);
}

void page_put(struct pgdat *pgdat, struct page *pg)
{
	MM_BUG_ON(pg->refcount <= 0 || page_flag_test(pg, PG_TAIL));
	if (--pg->refcount)
		return;
	free_block(pgdat, pgdat_pfn(pgdat, pg), page_flag_test(pg, PG_HEAD) ? pg->order : 0);
}
