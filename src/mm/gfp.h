/*
 * mm/gfp.h: allocation flags (Linux: include/linux/gfp_types.h, include/linux/gfp.h).
 *
 * A subset of Linux's GFP bits with Linux's meaning. Linux spells the modifiers with two
 * leading underscores (__GFP_ZERO); mmsim drops them (GFP_ZERO), as STYLE.md §2 forbids
 * identifiers that start with an underscore. The composite masks keep their Linux names
 * (GFP_KERNEL, GFP_USER, GFP_HIGHUSER_MOVABLE ...).
 *
 * Zone modifiers pick the highest zone an allocation may use (gfp_zone()); the zonelist is
 * then walked from that zone down to ZONE_DMA. The reclaim bits decide how far the
 * allocator's slow path may go (page_alloc.c).
 */
#ifndef MMSIM_MM_GFP_H
#define MMSIM_MM_GFP_H

#include <stdint.h>

typedef uint32_t gfp_t;

enum gfp_bit {
	GFP_BIT_DMA = 0,	     /* Linux __GFP_DMA: ZONE_DMA only (below 16 MiB) */
	GFP_BIT_HIGHMEM = 1,	     /* Linux __GFP_HIGHMEM: no highmem on x86-64; with MOVABLE
				      * it selects ZONE_MOVABLE */
	GFP_BIT_DMA32 = 2,	     /* Linux __GFP_DMA32: below 4 GiB */
	GFP_BIT_MOVABLE = 3,	     /* Linux __GFP_MOVABLE: the page can be migrated */
	GFP_BIT_RECLAIMABLE = 4,     /* Linux __GFP_RECLAIMABLE: slab of a reclaimable cache */
	GFP_BIT_HIGH = 5,	     /* Linux __GFP_HIGH: may dip into reserves (mmsim: ignored) */
	GFP_BIT_IO = 6,		     /* Linux __GFP_IO: reclaim may start physical I/O */
	GFP_BIT_FS = 7,		     /* Linux __GFP_FS: reclaim may call into filesystems */
	GFP_BIT_ZERO = 8,	     /* Linux __GFP_ZERO: return zeroed memory */
	GFP_BIT_DIRECT_RECLAIM = 10, /* Linux __GFP_DIRECT_RECLAIM: the caller may reclaim */
	GFP_BIT_KSWAPD_RECLAIM = 11, /* Linux __GFP_KSWAPD_RECLAIM: may wake kswapd */
	GFP_BIT_NOWARN = 13,	     /* Linux __GFP_NOWARN: a failure is expected; no warning */
	GFP_BIT_HARDWALL = 20,	     /* Linux __GFP_HARDWALL: cpuset wall (no effect here) */
	GFP_BIT_MEMALLOC = 17,	     /* Linux __GFP_MEMALLOC: ignore the watermarks */
};

#define GFP_DMA ((gfp_t)1 << GFP_BIT_DMA)
#define GFP_HIGHMEM ((gfp_t)1 << GFP_BIT_HIGHMEM)
#define GFP_DMA32 ((gfp_t)1 << GFP_BIT_DMA32)
#define GFP_MOVABLE ((gfp_t)1 << GFP_BIT_MOVABLE)
#define GFP_RECLAIMABLE ((gfp_t)1 << GFP_BIT_RECLAIMABLE)
#define GFP_HIGH ((gfp_t)1 << GFP_BIT_HIGH)
#define GFP_IO ((gfp_t)1 << GFP_BIT_IO)
#define GFP_FS ((gfp_t)1 << GFP_BIT_FS)
#define GFP_ZERO ((gfp_t)1 << GFP_BIT_ZERO)
#define GFP_DIRECT_RECLAIM ((gfp_t)1 << GFP_BIT_DIRECT_RECLAIM)
#define GFP_KSWAPD_RECLAIM ((gfp_t)1 << GFP_BIT_KSWAPD_RECLAIM)
#define GFP_NOWARN ((gfp_t)1 << GFP_BIT_NOWARN)
#define GFP_HARDWALL ((gfp_t)1 << GFP_BIT_HARDWALL)
#define GFP_MEMALLOC ((gfp_t)1 << GFP_BIT_MEMALLOC)

#define GFP_ZONEMASK (GFP_DMA | GFP_HIGHMEM | GFP_DMA32 | GFP_MOVABLE)
#define GFP_RECLAIM (GFP_DIRECT_RECLAIM | GFP_KSWAPD_RECLAIM) /* Linux __GFP_RECLAIM */

/* The composites, as Linux defines them. */
#define GFP_ATOMIC (GFP_HIGH | GFP_KSWAPD_RECLAIM) /* mmsim: no access to atomic reserves */
#define GFP_NOWAIT (GFP_KSWAPD_RECLAIM)
#define GFP_KERNEL (GFP_RECLAIM | GFP_IO | GFP_FS)
#define GFP_USER (GFP_RECLAIM | GFP_IO | GFP_FS | GFP_HARDWALL)
#define GFP_HIGHUSER (GFP_USER | GFP_HIGHMEM)
#define GFP_HIGHUSER_MOVABLE (GFP_HIGHUSER | GFP_MOVABLE)

#endif
