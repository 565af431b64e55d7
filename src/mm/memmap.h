/*
 * mm/memmap.h: the memmap, the array of struct page with one entry per frame (Linux: the
 * flat mem_map / vmemmap, include/asm-generic/memory_model.h pfn_to_page()).
 *
 * The array covers pfn 0 .. nr_pfns-1, holes included, and lives in simulated physical
 * memory: a range of frames at the top of RAM (where Linux's memblock, allocating top
 * down, puts it), reserved so the allocator never hands them out. Its host address is
 * physmem_frame(start_pfn), so pfn <-> struct page is one addition or subtraction. The
 * memmap belongs to its pgdat; the struct pages in it are shared by every module, each
 * touching only the fields of the state it owns (page.h).
 */
#ifndef MMSIM_MM_MEMMAP_H
#define MMSIM_MM_MEMMAP_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/x86_64/types.h"
#include "mm/page.h"

struct pgdat;
struct check_report;

struct memmap {
	struct page *pages; /* host pointer to the entry of pfn 0 (inside simulated RAM) */
	pfn_t nr_pfns;	    /* entries: one per frame of the physical address space */
	pfn_t start_pfn;    /* first frame holding the array */
	pfn_t nr_frames;    /* frames holding the array (reserved) */
};

/* Frames needed to hold the memmap of nr_pfns frames. */
static inline pfn_t memmap_frames_needed(pfn_t nr_pfns)
{
	return (nr_pfns * MEMMAP_LP64_PAGE_BYTES + X86_PAGE_SIZE - 1) >> X86_PAGE_SHIFT;
}

/* Linux pfn_to_page(): pfn must be below map->nr_pfns. */
static inline struct page *memmap_pfn_to_page(const struct memmap *map, pfn_t pfn)
{
	return map->pages + pfn;
}

/* Linux page_to_pfn(): pg must be an entry of map. */
static inline pfn_t memmap_page_to_pfn(const struct memmap *map, const struct page *pg)
{
	return (pfn_t)(pg - map->pages);
}

/*
 * The head frame of the allocated block pfn belongs to (Linux compound_head()): pfn itself
 * unless the frame is PG_TAIL, whose order gives the alignment of its head.
 */
static inline pfn_t memmap_head_pfn(const struct memmap *map, pfn_t pfn)
{
	const struct page *pg = memmap_pfn_to_page(map, pfn);

	if (!page_flag_test(pg, PG_TAIL))
		return pfn;
	return pfn & ~((UINT64_C(1) << pg->order) - 1);
}

/*
 * Whole-memory accounting, O(frames): every frame is in exactly one state (hole or
 * reserved; inside exactly one free block; head or tail of one allocated block), frames
 * sit in the zone that spans them, refcounts fit the state, and the per-zone free counts,
 * per-order block counts, present/managed split and the vmstat gauges nr_free_pages,
 * nr_slab_* and nr_page_table_pages equal what the frames say.
 */
bool memmap_check(const struct pgdat *pgdat, struct check_report *why);

#endif
