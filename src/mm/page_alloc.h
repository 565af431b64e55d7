/*
 * mm/page_alloc.h: the zoned page allocator (Linux: mm/page_alloc.c __alloc_pages(),
 * get_page_from_freelist(), __alloc_pages_slowpath(), __free_pages()).
 *
 * page_alloc() picks the highest zone the gfp allows (gfp_zone()), walks the zones from it
 * down to ZONE_DMA and takes a block from the first zone that stays above its low
 * watermark plus the lowmem reserve for that highest zone. When none does, the slow path:
 * wake kswapd, retry against the min watermark, then, if the gfp allows direct reclaim,
 * call the direct-reclaim hook and retry while it makes progress, then the OOM hook
 * (struct zone_reclaim_ops in pgdat->reclaim). With no hooks, an allocation that cannot
 * be met above min fails with -ENOMEM: a simulated result, counted and reported, not an
 * error. GFP_MEMALLOC ignores the watermarks (Linux ALLOC_NO_WATERMARKS).
 *
 * mmsim: the reserves of GFP_ATOMIC / GFP_HIGH (ALLOC_HARDER, ALLOC_HIGHATOMIC) are not
 * modelled; such allocations are treated like the others. A costly order (> 3) that may
 * direct-reclaim compacts first (the direct_compact hook, mm/compaction.c), gets one round
 * of reclaim and never calls the OOM hook.
 *
 * Ownership: a block returned by page_alloc() belongs to the caller, refcount 1, until
 * page_free() of the same (pfn, order), or until page_put() drops the last reference.
 */
#ifndef MMSIM_MM_PAGE_ALLOC_H
#define MMSIM_MM_PAGE_ALLOC_H

#include "arch/x86_64/types.h"
#include "mm/gfp.h"
#include "mm/zone.h"

struct pgdat;
struct page;

/* Linux gfp_zone(): the highest zone gfp allows, or ZONE_NR_TYPES for a bad combination
 * (two zone modifiers at once). */
enum zone_type page_gfp_zone(gfp_t gfp);

/*
 * Allocates 2^order contiguous frames: 0 and *pfn_out, -EINVAL (order above
 * BUDDY_MAX_ORDER, or a bad zone combination in gfp), or -ENOMEM (no memory, after the
 * slow path). Counts pgalloc_<zone> and, when direct reclaim runs, allocstall_<zone>.
 */
int page_alloc(struct pgdat *pgdat, gfp_t gfp, unsigned int order, pfn_t *pfn_out);

/* Frees a block page_alloc() returned; its head must hold exactly one reference.
 * Counts pgfree. */
void page_free(struct pgdat *pgdat, pfn_t pfn, unsigned int order);

/* Drops one reference (Linux put_page()); the block is freed when none is left. */
void page_put(struct pgdat *pgdat, struct page *pg);

#endif
