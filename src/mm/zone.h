/*
 * mm/zone.h: memory zones and their watermarks (Linux: include/linux/mmzone.h,
 * mm/page_alloc.c __setup_per_zone_wmarks(), setup_per_zone_lowmem_reserve(),
 * calculate_min_free_kbytes(), __zone_watermark_ok()).
 *
 * x86-64 zones by physical address: ZONE_DMA below 16 MiB, ZONE_DMA32 below 4 GiB,
 * ZONE_NORMAL above; ZONE_MOVABLE and ZONE_DEVICE exist (as on distribution kernels) but
 * stay empty. A zone's numbers are in pages: spanned (pfn range), present (RAM in it),
 * managed (handed to the buddy allocator). Watermarks min/low/high/promo and the lowmem
 * reserves are derived from managed pages the way Linux 6.x derives them at boot; the
 * derivation and its sources are in zone.c.
 *
 * The hooks in struct zone_reclaim_ops are how reclaim (a later module) joins the
 * allocator's slow path without mm/page_alloc.c knowing about it.
 */
#ifndef MMSIM_MM_ZONE_H
#define MMSIM_MM_ZONE_H

#include <stdbool.h>

#include "arch/x86_64/types.h"
#include "mm/buddy.h"
#include "mm/gfp.h"
#include "mm/pcp.h"

struct pgdat;

enum zone_type {
	ZONE_DMA,     /* below 16 MiB (ISA DMA) */
	ZONE_DMA32,   /* 16 MiB .. 4 GiB (32-bit DMA) */
	ZONE_NORMAL,  /* above 4 GiB */
	ZONE_MOVABLE, /* always empty here (no movablecore= / kernelcore=) */
	ZONE_DEVICE,  /* always empty here (no device memory) */
	ZONE_NR_TYPES /* Linux MAX_NR_ZONES */
};

#define ZONE_DMA_END_PFN (UINT64_C(16) << (20 - X86_PAGE_SHIFT))  /* 16 MiB */
#define ZONE_DMA32_END_PFN (UINT64_C(4) << (30 - X86_PAGE_SHIFT)) /* 4 GiB */

enum zone_wmark {
	ZONE_WMARK_MIN,	  /* below it, allocation needs direct reclaim */
	ZONE_WMARK_LOW,	  /* below it, kswapd is woken */
	ZONE_WMARK_HIGH,  /* kswapd reclaims until free pages are above it */
	ZONE_WMARK_PROMO, /* NUMA promotion target (printed by zoneinfo; unused) */
	ZONE_NR_WMARKS
};

/* Linux defaults (mm/page_alloc.c). */
#define ZONE_WATERMARK_SCALE_FACTOR 10u /* vm.watermark_scale_factor, in 1/10000 */
#define ZONE_MIN_FREE_KBYTES_MIN 128ul	/* clamp of the derived min_free_kbytes (6.x) */
#define ZONE_MIN_FREE_KBYTES_MAX 262144ul

struct zone {
	struct pgdat *pgdat;	     /* the node the zone belongs to */
	const char *name;	     /* "DMA", "DMA32", "Normal", "Movable", "Device" */
	enum zone_type type;	     /* its index in pgdat->zones */
	pfn_t start_pfn;	     /* first pfn spanned (Linux zone_start_pfn) */
	unsigned long spanned_pages; /* pfns from start_pfn to the zone's end, holes included */
	unsigned long present_pages; /* RAM frames in the span */
	unsigned long managed_pages; /* present frames given to the buddy allocator */
	unsigned long watermark[ZONE_NR_WMARKS];     /* pages; see zone.c */
	unsigned long lowmem_reserve[ZONE_NR_TYPES]; /* pages kept back from allocations whose
						      * highest zone is the index */
	unsigned long nr_free_pages; /* pages in free_area (Linux zone NR_FREE_PAGES); not
				      * the pages on pcp */
	struct buddy_free_area free_area[BUDDY_NR_ORDERS];
	struct pcp_pages pcp; /* the simulated CPU's pageset (Linux zone->per_cpu_pageset) */
	bool reclaim_active;  /* Linux ZONE_RECLAIM_ACTIVE: kswapd is balancing the node */
};

/*
 * Hooks reclaim installs in the node (pgdat->reclaim). Each may be NULL: then the allocator
 * behaves as if that part of reclaim found nothing to do, and an allocation that cannot be
 * met above the min watermark fails with -ENOMEM.
 */
struct zone_reclaim_ops {
	/* The slow path found every eligible zone below low (Linux wake_all_kswapds()).
	 * zone is the preferred (highest eligible populated) zone. */
	void (*wakeup_kswapd)(void *ctx, struct zone *zone, unsigned int order,
			      enum zone_type highest_zoneidx);
	/* Free memory synchronously (Linux __perform_reclaim()); returns pages reclaimed. */
	unsigned long (*direct_reclaim)(void *ctx, unsigned int order, gfp_t gfp,
					enum zone_type highest_zoneidx);
	/* Nothing reclaimable is left: kill something (Linux out_of_memory()). True when
	 * memory was freed and the allocation should be retried. */
	bool (*out_of_memory)(void *ctx, unsigned int order, gfp_t gfp);
	void *ctx; /* passed back to every hook above; borrowed */
	/* Compaction (compaction.c, installed after the hooks above): compact for a costly
	 * order now (__alloc_pages_direct_compact()); wake kcompactd for it. */
	bool (*direct_compact)(void *ctx, unsigned int order, enum zone_type highest_zoneidx);
	void (*wakeup_kcompactd)(void *ctx, unsigned int order, enum zone_type highest_zoneidx);
	void *compact_ctx; /* passed back to the compaction hooks; borrowed */
};

static inline bool zone_populated(const struct zone *z)
{
	return z->present_pages != 0;
}

/* Whether the zone has pages for the buddy allocator (Linux managed_zone()). */
static inline bool zone_managed(const struct zone *z)
{
	return z->managed_pages != 0;
}

static inline unsigned long zone_wmark_pages(const struct zone *z, enum zone_wmark w)
{
	return z->watermark[w];
}

/* "DMA", "DMA32", ...; "?" for a bad index. */
const char *zone_name(enum zone_type t);

/*
 * Derives min_free_kbytes (unless set by zone_set_min_free_kbytes), the watermarks of
 * every zone, the lowmem reserves and totalreserve_pages, as Linux's
 * init_per_zone_wmark_min() does at boot.
 */
void zone_init_watermarks(struct pgdat *pgdat);

/* As a write to /proc/sys/vm/min_free_kbytes: recomputes every zone's watermarks. */
void zone_set_min_free_kbytes(struct pgdat *pgdat, unsigned long kbytes);

/* As a write to /proc/sys/vm/watermark_scale_factor (1..3000); 0 or -EINVAL. */
int zone_set_watermark_scale_factor(struct pgdat *pgdat, unsigned int factor);

/*
 * Linux __zone_watermark_ok() without reserves: would z stay above mark (plus the lowmem
 * reserve for highest_zoneidx) after taking 2^order pages, and does it hold a free block
 * of at least that order?
 */
bool zone_watermark_ok(const struct zone *z, unsigned int order, unsigned long mark,
		       enum zone_type highest_zoneidx);

/* Linux int_sqrt(): floor(sqrt(x)). */
unsigned long zone_int_sqrt(unsigned long x);

#endif
