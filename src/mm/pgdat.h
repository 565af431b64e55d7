/*
 * mm/pgdat.h: the memory node (Linux: struct pglist_data, mm/mm_init.c free_area_init(),
 * memblock_free_all(); arch/x86/kernel/setup.c, e820.c for the physical layout).
 *
 * mmsim has one node (node 0) holding all RAM. pgdat_create() lays out physical memory
 * the way a Linux x86-64 boot sees it, builds the memmap and the zones, frees every frame
 * that nothing reserved to the buddy allocator and derives the watermarks:
 *
 *   pfn 0                 firmware page, not RAM (Linux trim_bios_range())
 *   pfn 1 .. 0x9e         RAM, reserved: Linux >= 5.13 reserves the whole first MiB
 *   pfn 0x9f .. 0xff      not RAM: EBDA, VGA and BIOS (the ISA hole, 636 KiB .. 1 MiB)
 *   kernel image          reserved, at 16 MiB (CONFIG_PHYSICAL_START) when RAM is at least
 *                         64 MiB, else at 1 MiB; size mem/64 clamped to [512 KiB, 32 MiB]
 *   memmap                reserved, the top frames of RAM
 *   everything else       managed by the buddy allocator
 *
 * mmsim: RAM is one range above 1 MiB with no PCI hole below 4 GiB, so a machine of up to
 * 4 GiB has only DMA and DMA32 (a real board maps part of it above 4 GiB, into Normal).
 * The kernel image size is a mmsim choice standing for text, data, bss and early
 * allocations. The pgdat itself is host memory: it stands for kernel static data, which
 * the kernel image reservation already accounts.
 *
 * A pgdat borrows its physmem, which must outlive it.
 */
#ifndef MMSIM_MM_PGDAT_H
#define MMSIM_MM_PGDAT_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/x86_64/physmem.h"
#include "arch/x86_64/types.h"
#include "mm/memmap.h"
#include "mm/vmstat.h"
#include "mm/zone.h"
#include "util/list.h"

struct slab_cache;

#define PGDAT_MIN_MEM_BYTES (UINT64_C(4) << 20) /* 4 MiB */
#define PGDAT_MAX_MEM_BYTES (UINT64_C(1) << 40) /* 1 TiB */

#define PGDAT_LOW_RESERVED_END_PFN 0x100u /* first MiB: memblock-reserved (Linux >= 5.13) */
#define PGDAT_ISA_HOLE_START_PFN 0x9fu	  /* 636 KiB: EBDA, VGA, BIOS ROM up to 1 MiB */
#define PGDAT_ISA_HOLE_END_PFN 0x100u

/* A range of RAM as the firmware memory map (e820) reports it: [start, end). */
struct pgdat_ram_range {
	pfn_t start;
	pfn_t end;
};

#define PGDAT_MAX_RAM_RANGES 2u

struct pgdat {
	struct physmem *physmem; /* simulated RAM; borrowed */
	uint64_t mem_bytes;	 /* RAM size */
	pfn_t nr_pfns;		 /* frames of the physical address space, holes included */
	struct memmap memmap;	 /* one struct page per pfn */
	bool memmap_self_lazy;	 /* the memmap's own frames are reserved, but their struct
				  * pages are not written yet (pgdat_memmap_materialize()) */
	unsigned int nr_ram_ranges;
	struct pgdat_ram_range ram[PGDAT_MAX_RAM_RANGES]; /* usable RAM, sorted */
	pfn_t kernel_start_pfn;				  /* the kernel image: reserved */
	unsigned long kernel_pages;			  /* its size */
	struct zone zones[ZONE_NR_TYPES];
	unsigned long totalram_pages;	       /* sum of managed pages (Linux totalram_pages()) */
	unsigned long totalreserve_pages;      /* high watermarks plus lowmem reserves (zone.c) */
	unsigned long min_free_kbytes;	       /* vm.min_free_kbytes */
	bool min_free_kbytes_user;	       /* set by zone_set_min_free_kbytes; not re-derived */
	unsigned int watermark_scale_factor;   /* vm.watermark_scale_factor */
	unsigned long vmstat[VMSTAT_NR_ITEMS]; /* the node's counters (vmstat.h) */
	struct zone_reclaim_ops reclaim;       /* installed by reclaim; all NULL at boot */
	struct list_head slab_caches;	       /* struct slab_cache.list, newest first */
	struct slab_cache *kmem_cache;	       /* cache of caches; NULL before slab_init */
	unsigned long nr_alloc_warnings;       /* failed allocations without GFP_NOWARN
						* (Linux would print "page allocation failure") */
};

/*
 * Boots the memory of a machine with mem_bytes of RAM (0: all of pm) over pm. 0 and *out,
 * -EINVAL (mem_bytes not page-aligned, below PGDAT_MIN_MEM_BYTES, above pm's size or
 * PGDAT_MAX_MEM_BYTES) or -ENOMEM (host memory). The caller owns the pgdat.
 */
int pgdat_create(struct physmem *pm, uint64_t mem_bytes, struct pgdat **out);

/* Frees the host part of a pgdat (simulated memory stays with the physmem). NULL is fine. */
void pgdat_destroy(struct pgdat *pgdat);

static inline struct page *pgdat_page(const struct pgdat *pgdat, pfn_t pfn)
{
	return memmap_pfn_to_page(&pgdat->memmap, pfn);
}

static inline pfn_t pgdat_pfn(const struct pgdat *pgdat, const struct page *pg)
{
	return memmap_page_to_pfn(&pgdat->memmap, pg);
}

/* The zone a frame belongs to (Linux page_zone()). */
static inline struct zone *pgdat_page_zone(struct pgdat *pgdat, const struct page *pg)
{
	return &pgdat->zones[pg->zone_idx];
}

/* Host pointer to the bytes of frame pfn. */
static inline void *pgdat_frame(const struct pgdat *pgdat, pfn_t pfn)
{
	return physmem_frame(pgdat->physmem, pfn);
}

/*
 * Writes what boot left lazy (mmsim: the struct pages of the memmap's own frames, and the
 * heads of the buddy allocator's top-order boot blocks, buddy_materialize()), so that every
 * struct page says its state. For the code that reads frames it did not allocate: the
 * compaction scanners, the frame views, the kernel checker. Changes no result.
 */
void pgdat_memmap_materialize(struct pgdat *pgdat);

/* Whether pfn is one of the memmap's own frames whose struct page boot left unwritten. */
static inline bool pgdat_pfn_is_lazy_memmap(const struct pgdat *pgdat, pfn_t pfn)
{
	return pgdat->memmap_self_lazy && pfn >= pgdat->memmap.start_pfn &&
	       pfn - pgdat->memmap.start_pfn < pgdat->memmap.nr_frames;
}

/* Whether pfn is RAM in the firmware map (not a hole). */
bool pgdat_pfn_is_ram(const struct pgdat *pgdat, pfn_t pfn);

/* Sum of the free pages of every zone (Linux global NR_FREE_PAGES). */
static inline unsigned long pgdat_free_pages(const struct pgdat *pgdat)
{
	return pgdat->vmstat[VMSTAT_NR_FREE_PAGES];
}

#endif
