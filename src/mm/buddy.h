/*
 * mm/buddy.h: binary buddy allocator over the frames of one zone (Linux: mm/page_alloc.c,
 * __rmqueue_smallest(), expand(), __free_one_page()).
 *
 * A block is 2^order frames, aligned to its size; its buddy starts at pfn ^ (1 << order).
 * Orders 0..BUDDY_MAX_ORDER as in Linux 6.x (MAX_PAGE_ORDER 10, NR_PAGE_ORDERS 11). Each
 * zone keeps one free list per order; the head frame of a free block carries PG_BUDDY and
 * its order. Allocation takes the first block of the smallest order that fits and splits
 * it, keeping the lower half and freeing the upper halves (expand()); freeing merges with
 * the buddy while the buddy is free at the same order. Both are O(BUDDY_NR_ORDERS): no scan.
 *
 * mmsim: one free list per order, where Linux keeps one per migrate type (no mobility
 * grouping). The per-CPU page lists in front of the zone are pcp.c's; the helpers below
 * marked "pcp" are the parts of rmqueue_bulk() and free_pcppages_bulk() that touch the
 * free lists.
 *
 * Free blocks belong to the allocator; an allocated block belongs to the caller until
 * exactly the same (pfn, order) is handed back. Watermarks and zone fallback live in
 * zone.c and page_alloc.c.
 */
#ifndef MMSIM_MM_BUDDY_H
#define MMSIM_MM_BUDDY_H

#include <stdbool.h>

#include "arch/x86_64/types.h"
#include "util/list.h"

#define BUDDY_MAX_ORDER 10u /* Linux MAX_PAGE_ORDER: 4 MiB blocks */
#define BUDDY_NR_ORDERS 11u /* Linux NR_PAGE_ORDERS */

struct zone;
struct page;
struct check_report;

/*
 * Linux struct free_area, without the per-migratetype split.
 *
 * mmsim: lazy boot blocks. Boot queues every max-order block at the tail, in address order
 * (buddy_init_range()); writing each head (PG_BUDDY, order, list links) would touch one host
 * page per 4 MiB of simulated RAM. So free_area[BUDDY_MAX_ORDER] keeps the run of such blocks
 * that are still exactly as boot queued them as [lazy_start, lazy_end): blocks whose head
 * frames are still all-zero struct pages, standing in the list after its last entry. A
 * block of the top order never merges, so no lookup needs its head to say PG_BUDDY; the
 * allocator takes the first lazy block when the list proper is empty, as Linux would take
 * it off the list (same block, same order), and buddy_materialize() writes the heads of
 * the rest for the readers that walk the memmap (compaction's scanners, the frame views).
 * Other orders keep lazy_start == lazy_end == 0.
 */
struct buddy_free_area {
	struct list_head free_list; /* head pages (PG_BUDDY) of free blocks of this order */
	unsigned long nr_free;	    /* blocks on free_list, plus the lazy ones */
	pfn_t lazy_start;	    /* first lazy block (aligned to the order); top order only */
	pfn_t lazy_end;		    /* end of the lazy run: empty when equal to lazy_start */
};

/*
 * Takes a block of 2^order frames from z: 0 and *pfn_out, or -ENOMEM when no free block of
 * that order or above exists. The block comes back allocated: head refcount 1 (PG_HEAD when
 * order > 0), tails PG_TAIL. No watermark check here; page_alloc() does that.
 */
int buddy_alloc(struct zone *z, unsigned int order, pfn_t *pfn_out);

/*
 * Gives back the block of 2^order frames at pfn (as buddy_alloc returned it; the caller
 * has dropped every flag its use added) and merges it with free buddies.
 */
void buddy_free(struct zone *z, pfn_t pfn, unsigned int order);

/*
 * The checks and clearing buddy_free() starts with (Linux free_pages_prepare()): the block
 * at pfn leaves in free-able state (no flags, refcount 0) but on no list yet.
 */
void buddy_free_prepare(struct zone *z, pfn_t pfn, unsigned int order);

/*
 * pcp: Linux rmqueue_bulk() at order 0. Takes up to count pages from z's free lists, as
 * that many buddy_alloc(z, 0) calls would, marks them PG_PCP (refcount 0) and queues them
 * at the tail of list; they leave nr_free_pages. Returns how many it took.
 */
unsigned int buddy_rmqueue_bulk(struct zone *z, unsigned int count, struct list_head *list);

/* pcp: a PG_PCP page, off its list, becomes an allocated page (Linux prep_new_page()). */
void buddy_prep_pcp_page(struct zone *z, struct page *pg);

/* pcp: a PG_PCP page, off its list, goes back to the free lists (free_pcppages_bulk()
 * calling __free_one_page()). */
void buddy_free_pcp_page(struct zone *z, struct page *pg);

/*
 * Boot: hands the frames [start, end) of z, in clean state (no flags, refcount 0), to the
 * allocator as the largest aligned blocks, each queued at the tail of its list (Linux
 * memblock_free_all() frees with FPI_TO_TAIL).
 */
void buddy_init_range(struct zone *z, pfn_t start, pfn_t end);

/*
 * Compaction's free scanner (Linux __isolate_free_page() then split_page()): the free block
 * of this order at pfn leaves the free lists as 2^order allocated order-0 pages, each
 * refcount 1, to be given back one by one with buddy_free().
 */
void buddy_isolate_free(struct zone *z, pfn_t pfn, unsigned int order);

/*
 * Writes the heads of z's lazy boot blocks (see struct buddy_free_area) and queues them
 * where they stand, at the tail of free_area[BUDDY_MAX_ORDER] in address order: afterwards
 * every free block's head says PG_BUDDY and is on its list. Nothing changes in what the
 * allocator hands out. Cheap when nothing is lazy; callers that read PG_BUDDY or page
 * order of frames they did not allocate call it first (pgdat_memmap_materialize()).
 */
void buddy_materialize(struct zone *z);

/* Whether area holds lazy boot blocks (only free_area[BUDDY_MAX_ORDER] can). */
static inline bool buddy_has_lazy(const struct buddy_free_area *area)
{
	return area->lazy_start != area->lazy_end;
}

/* The largest order with a free block in z, or -1 when z has no free page. */
int buddy_max_free_order(const struct zone *z);

/*
 * Free lists well formed; every entry a PG_BUDDY head of the list's order, aligned, inside
 * the zone, with free tails; counts equal list lengths (plus the lazy boot blocks, whose
 * heads must still be blank); no two free buddies left unmerged.
 */
bool buddy_check(const struct zone *z, struct check_report *why);

#endif
