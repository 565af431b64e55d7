/*
 * mm/buddy.c: the binary buddy allocator of one zone (Linux: mm/page_alloc.c).
 *
 * Allocation is Linux's __rmqueue_smallest(): the first block on the free list of the
 * smallest order >= the request, split by expand() so that the lower 2^order frames are
 * returned and each upper half goes to the head of the free list of its order. Freeing is
 * __free_one_page(): merge with the buddy at pfn ^ (1 << order) while it is a free block of
 * the same order in the same zone, then queue the result; at the tail of its list when the
 * next merge looks likely (buddy_merge_likely()), so that it stays free longer, else at the
 * head. Boot frees go to the tail (FPI_TO_TAIL), so the lists start in address order.
 *
 * mmsim: the top-order blocks boot queues stay a lazy run [lazy_start, lazy_end) behind the
 * list of free_area[BUDDY_MAX_ORDER] until taken or materialized (buddy.h), so a boot costs
 * nothing per 4 MiB of RAM. After boot, top-order blocks only go to the head (the merge
 * heuristic never applies to them), so the run stays at the tail and is taken last, in
 * address order, exactly where Linux's list would hand them out.
 */
#include "mm/buddy.h"

#include <errno.h>
#include <stdint.h>

#include "mm/bug.h"
#include "mm/check.h"
#include "mm/page.h"
#include "mm/pgdat.h"
#include "mm/zone.h"

/* Flags a block must not carry when it is freed (Linux PAGE_FLAGS_CHECK_AT_FREE, roughly). */
#define BAD_FLAGS_AT_FREE                                                                   \
	(PAGE_FLAG_MASK(PG_RESERVED) | PAGE_FLAG_MASK(PG_BUDDY) | PAGE_FLAG_MASK(PG_SLAB) | \
	 PAGE_FLAG_MASK(PG_PGTABLE) | PAGE_FLAG_MASK(PG_LRU) | PAGE_FLAG_MASK(PG_ACTIVE) |  \
	 PAGE_FLAG_MASK(PG_SWAPCACHE) | PAGE_FLAG_MASK(PG_ZERO_PAGE) |                      \
	 PAGE_FLAG_MASK(PG_UNEVICTABLE) | PAGE_FLAG_MASK(PG_WRITEBACK) | PAGE_FLAG_MASK(PG_PCP))

static inline struct page *zone_pfn_page(const struct zone *z, pfn_t pfn)
{
	return memmap_pfn_to_page(&z->pgdat->memmap, pfn);
}

static inline pfn_t zone_end_pfn(const struct zone *z)
{
	return z->start_pfn + z->spanned_pages;
}

#define MAX_BLOCK_PAGES (UINT64_C(1) << BUDDY_MAX_ORDER)

/* Queues the head of a free block on its list (the list proper, never the lazy run). */
static void list_block(struct zone *z, struct page *pg, unsigned int order, bool tail)
{
	struct buddy_free_area *area = &z->free_area[order];

	page_flag_set(pg, PG_BUDDY);
	pg->order = (uint8_t)order;
	pg->zone_idx = (uint8_t)z->type; /* lazy memmap: maybe the frame's first use */
	if (tail)
		list_add_tail(&pg->lru, &area->free_list);
	else
		list_add(&pg->lru, &area->free_list);
}

/*
 * A top-order block queued at the tail joins the lazy run when it continues it (or starts
 * one): the run stands after the list's last entry, in address order, so this is the same
 * position. Anywhere else, the run is written out first. Returns whether it joined.
 */
static bool add_lazy(struct zone *z, pfn_t pfn)
{
	struct buddy_free_area *area = &z->free_area[BUDDY_MAX_ORDER];

	if (!buddy_has_lazy(area)) {
		area->lazy_start = pfn;
		area->lazy_end = pfn + MAX_BLOCK_PAGES;
		return true;
	}
	if (pfn == area->lazy_end) {
		area->lazy_end += MAX_BLOCK_PAGES;
		return true;
	}
	buddy_materialize(z);
	return false;
}

static void add_to_free_list(struct zone *z, pfn_t pfn, unsigned int order, bool tail)
{
	z->free_area[order].nr_free++;
	if (order == BUDDY_MAX_ORDER && tail && add_lazy(z, pfn))
		return;
	list_block(z, zone_pfn_page(z, pfn), order, tail);
}

void buddy_materialize(struct zone *z)
{
	struct buddy_free_area *area = &z->free_area[BUDDY_MAX_ORDER];

	for (pfn_t pfn = area->lazy_start; pfn < area->lazy_end; pfn += MAX_BLOCK_PAGES)
		list_block(z, zone_pfn_page(z, pfn), BUDDY_MAX_ORDER, true);
	area->lazy_start = area->lazy_end = 0;
}

/*
 * Takes the first lazy block: the list proper is empty, so it is the block Linux's
 * list_first_entry() would return. Its head is still blank, as del_from_free_list() leaves
 * a head, but for the zone, which the block's first use writes.
 */
static pfn_t take_lazy(struct zone *z)
{
	struct buddy_free_area *area = &z->free_area[BUDDY_MAX_ORDER];
	pfn_t pfn = area->lazy_start;

	area->lazy_start += MAX_BLOCK_PAGES;
	if (area->lazy_start == area->lazy_end)
		area->lazy_start = area->lazy_end = 0;
	area->nr_free--;
	zone_pfn_page(z, pfn)->zone_idx = (uint8_t)z->type;
	return pfn;
}

static void del_from_free_list(struct zone *z, struct page *pg, unsigned int order)
{
	list_del(&pg->lru);
	page_flag_clear(pg, PG_BUDDY);
	pg->order = 0;
	z->free_area[order].nr_free--;
}

/*
 * The free block of this order that is the buddy of the block at pfn, or NULL (Linux
 * find_buddy_page_pfn() and page_is_buddy()). The span test keeps the lookup inside the
 * memmap and the zone.
 */
static struct page *find_buddy(const struct zone *z, pfn_t pfn, unsigned int order)
{
	pfn_t buddy_pfn = pfn ^ (UINT64_C(1) << order);
	struct page *buddy;

	if (buddy_pfn < z->start_pfn || buddy_pfn >= zone_end_pfn(z))
		return NULL;
	buddy = zone_pfn_page(z, buddy_pfn);
	if (!page_flag_test(buddy, PG_BUDDY) || buddy->order != order)
		return NULL;
	return buddy;
}

/*
 * Linux buddy_merge_likely(): the block (pfn, order) could not merge because its buddy is
 * in use; if the buddy of the next larger block is free, freeing that buddy later would
 * merge twice, so keep this block at the tail where it is taken last.
 */
static bool merge_likely(const struct zone *z, pfn_t pfn, unsigned int order)
{
	pfn_t higher_pfn;

	if (order >= BUDDY_MAX_ORDER - 1)
		return false;
	higher_pfn = pfn & ~((UINT64_C(1) << (order + 1)) - 1);
	return find_buddy(z, higher_pfn, order + 1) != NULL;
}

/* Linux __free_one_page(): merge, then queue. */
static void free_one_block(struct zone *z, pfn_t pfn, unsigned int order, bool to_tail)
{
	unsigned long nr = 1ul << order;

	MM_BUG_ON(pfn & (nr - 1));
	z->nr_free_pages += nr;
	z->pgdat->vmstat[VMSTAT_NR_FREE_PAGES] += nr;
	while (order < BUDDY_MAX_ORDER) {
		struct page *buddy = find_buddy(z, pfn, order);

		if (!buddy)
			break;
		del_from_free_list(z, buddy, order);
		pfn &= ~(UINT64_C(1) << order);
		order++;
	}
	if (!to_tail)
		to_tail = merge_likely(z, pfn, order);
	add_to_free_list(z, pfn, order, to_tail);
}

/* Linux expand(): returns the upper halves of a block of order high, keeps 2^low frames. */
static void expand(struct zone *z, pfn_t pfn, unsigned int low, unsigned int high)
{
	while (high > low) {
		high--;
		add_to_free_list(z, pfn + (UINT64_C(1) << high), high, false);
	}
}

/* Linux prep_new_page()/prep_compound_page(): the block becomes allocated. */
static void prep_new_block(struct zone *z, pfn_t pfn, unsigned int order)
{
	struct page *head = zone_pfn_page(z, pfn);

	MM_BUG_ON(head->flags != 0 || head->refcount != 0);
	head->refcount = 1;
	head->mapcount = 0;
	head->order = (uint8_t)order;
	head->mapping = NULL;
	head->index = 0;
	head->private = 0;
	head->policy.raw = 0;
	if (order == 0)
		return;
	page_flag_set(head, PG_HEAD);
	for (pfn_t i = 1; i < (UINT64_C(1) << order); i++) {
		struct page *tail = head + i;

		MM_BUG_ON(tail->flags != 0 || tail->refcount != 0);
		page_flag_set(tail, PG_TAIL);
		tail->order = (uint8_t)order;
		tail->zone_idx = (uint8_t)z->type; /* lazy memmap: maybe the frame's first use */
	}
}

/* Linux __rmqueue_smallest(): the first block of the smallest order >= order, split. */
static bool rmqueue_smallest(struct zone *z, unsigned int order, pfn_t *pfn_out)
{
	for (unsigned int cur = order; cur < BUDDY_NR_ORDERS; cur++) {
		struct buddy_free_area *area = &z->free_area[cur];
		struct page *pg;

		if (list_empty(&area->free_list)) {
			if (!buddy_has_lazy(area))
				continue;
			*pfn_out = take_lazy(z);
		} else {
			pg = list_entry(area->free_list.next, struct page, lru);
			del_from_free_list(z, pg, cur);
			*pfn_out = memmap_page_to_pfn(&z->pgdat->memmap, pg);
		}
		expand(z, *pfn_out, order, cur);
		return true;
	}
	return false;
}

int buddy_alloc(struct zone *z, unsigned int order, pfn_t *pfn_out)
{
	pfn_t pfn;

	MM_BUG_ON(order > BUDDY_MAX_ORDER);
	if (!rmqueue_smallest(z, order, &pfn))
		return -ENOMEM;
	z->nr_free_pages -= 1ul << order;
	z->pgdat->vmstat[VMSTAT_NR_FREE_PAGES] -= 1ul << order;
	prep_new_block(z, pfn, order);
	*pfn_out = pfn;
	return 0;
}

void buddy_free_prepare(struct zone *z, pfn_t pfn, unsigned int order)
{
	struct page *head;

	MM_BUG_ON(order > BUDDY_MAX_ORDER);
	MM_BUG_ON(pfn < z->start_pfn || pfn + (UINT64_C(1) << order) > zone_end_pfn(z));
	head = zone_pfn_page(z, pfn);
	MM_BUG_ON(head->flags & BAD_FLAGS_AT_FREE);
	MM_BUG_ON(page_flag_test(head, PG_TAIL));
	MM_BUG_ON(head->mapcount != 0);
	MM_BUG_ON(order > 0 && (!page_flag_test(head, PG_HEAD) || head->order != order));
	MM_BUG_ON(order == 0 && page_flag_test(head, PG_HEAD));
	head->flags = 0;
	head->refcount = 0;
	head->order = 0;
	head->mapping = NULL;
	head->private = 0;
	for (pfn_t i = 1; i < (UINT64_C(1) << order); i++) {
		struct page *tail = head + i;

		MM_BUG_ON(!page_flag_test(tail, PG_TAIL) || tail->order != order ||
			  tail->refcount != 0);
		tail->flags = 0;
		tail->order = 0;
	}
}

void buddy_free(struct zone *z, pfn_t pfn, unsigned int order)
{
	buddy_free_prepare(z, pfn, order);
	free_one_block(z, pfn, order, false);
}

/*
 * Linux rmqueue_bulk(): count times __rmqueue() at order 0, each page to the tail of list,
 * so that the list hands them out in the order the free lists gave them; NR_FREE_PAGES
 * drops by the pages taken.
 */
unsigned int buddy_rmqueue_bulk(struct zone *z, unsigned int count, struct list_head *list)
{
	unsigned int i;

	for (i = 0; i < count; i++) {
		struct page *pg;
		pfn_t pfn;

		if (!rmqueue_smallest(z, 0, &pfn))
			break;
		pg = zone_pfn_page(z, pfn);
		page_flag_set(pg, PG_PCP);
		list_add_tail(&pg->lru, list);
	}
	z->nr_free_pages -= i;
	z->pgdat->vmstat[VMSTAT_NR_FREE_PAGES] -= i;
	return i;
}

void buddy_prep_pcp_page(struct zone *z, struct page *pg)
{
	MM_BUG_ON(pg->flags != PAGE_FLAG_MASK(PG_PCP) || pg->refcount != 0);
	pg->flags = 0;
	prep_new_block(z, memmap_page_to_pfn(&z->pgdat->memmap, pg), 0);
}

void buddy_free_pcp_page(struct zone *z, struct page *pg)
{
	MM_BUG_ON(pg->flags != PAGE_FLAG_MASK(PG_PCP) || pg->refcount != 0);
	pg->flags = 0;
	free_one_block(z, memmap_page_to_pfn(&z->pgdat->memmap, pg), 0, false);
}

void buddy_init_range(struct zone *z, pfn_t start, pfn_t end)
{
	MM_BUG_ON(start < z->start_pfn || end > zone_end_pfn(z));
	while (start < end) {
		unsigned int order = BUDDY_MAX_ORDER;

		if (start)
			order = (unsigned int)__builtin_ctzll(start);
		if (order > BUDDY_MAX_ORDER)
			order = BUDDY_MAX_ORDER;
		while (start + (UINT64_C(1) << order) > end)
			order--;
		free_one_block(z, start, order, true);
		z->pgdat->vmstat[VMSTAT_PGFREE] += 1ul << order;
		start += UINT64_C(1) << order;
	}
}

int buddy_max_free_order(const struct zone *z)
{
	for (int o = (int)BUDDY_MAX_ORDER; o >= 0; o--) {
		if (z->free_area[o].nr_free)
			return o;
	}
	return -1;
}

/* The struct page whose lru member is node, or NULL if node is not one of z's frames. */
static const struct page *free_list_page(const struct zone *z, const struct list_head *node)
{
	const struct memmap *map = &z->pgdat->memmap;
	uintptr_t lo = (uintptr_t)&map->pages[z->start_pfn].lru;
	uintptr_t hi = (uintptr_t)&map->pages[zone_end_pfn(z)].lru;
	uintptr_t p = (uintptr_t)node;

	if (p < lo || p >= hi || (p - lo) % sizeof(struct page))
		return NULL;
	return list_entry(node, struct page, lru);
}

/*
 * The lazy run of free_area[o]: only at the top order, aligned, inside the zone, each head
 * still blank (nothing wrote it since boot). Adds its blocks to *n.
 */
static bool check_lazy(const struct zone *z, unsigned int o, unsigned long *n,
		       struct check_report *why)
{
	const struct buddy_free_area *area = &z->free_area[o];

	if (!buddy_has_lazy(area))
		return true;
	if (o != BUDDY_MAX_ORDER || area->lazy_start > area->lazy_end ||
	    ((area->lazy_start | area->lazy_end) & (MAX_BLOCK_PAGES - 1)) ||
	    area->lazy_start < z->start_pfn || area->lazy_end > zone_end_pfn(z))
		return check_fail(why, "zone %s order %u: bad lazy run [%#llx, %#llx)", z->name, o,
				  (unsigned long long)area->lazy_start,
				  (unsigned long long)area->lazy_end);
	for (pfn_t pfn = area->lazy_start; pfn < area->lazy_end; pfn += MAX_BLOCK_PAGES) {
		const struct page *pg = zone_pfn_page(z, pfn);

		if (pg->flags || pg->refcount || pg->order)
			return check_fail(why,
					  "zone %s: lazy free block pfn %#llx has flags %#x "
					  "refcount %d",
					  z->name, (unsigned long long)pfn, (unsigned int)pg->flags,
					  (int)pg->refcount);
		++*n;
	}
	return true;
}

bool buddy_check(const struct zone *z, struct check_report *why)
{
	unsigned long pages = 0;

	for (unsigned int o = 0; o < BUDDY_NR_ORDERS; o++) {
		const struct buddy_free_area *area = &z->free_area[o];
		const struct list_head *node = area->free_list.next;
		const struct list_head *prev = &area->free_list;
		unsigned long n = 0;

		while (node != &area->free_list) {
			const struct page *pg = free_list_page(z, node);
			pfn_t pfn;

			if (!pg)
				return check_fail(why,
						  "zone %s order %u: list entry %lu is not a frame "
						  "of the zone",
						  z->name, o, n);
			if (node->prev != prev)
				return check_fail(why,
						  "zone %s order %u: entry %lu has a broken prev "
						  "link",
						  z->name, o, n);
			if (++n > area->nr_free)
				return check_fail(why,
						  "zone %s order %u: more blocks listed than "
						  "nr_free %lu",
						  z->name, o, area->nr_free);
			pfn = memmap_page_to_pfn(&z->pgdat->memmap, pg);
			if (!page_flag_test(pg, PG_BUDDY) || pg->order != o)
				return check_fail(why,
						  "zone %s order %u: pfn %#llx listed but not a "
						  "free block of that order",
						  z->name, o, (unsigned long long)pfn);
			if (pfn & ((UINT64_C(1) << o) - 1))
				return check_fail(why, "zone %s order %u: pfn %#llx misaligned",
						  z->name, o, (unsigned long long)pfn);
			if (pfn + (UINT64_C(1) << o) > zone_end_pfn(z))
				return check_fail(why,
						  "zone %s order %u: block at pfn %#llx crosses "
						  "the zone end",
						  z->name, o, (unsigned long long)pfn);
			if (pg->refcount != 0 || pg->zone_idx != z->type)
				return check_fail(why,
						  "zone %s: free block pfn %#llx has refcount %d "
						  "zone %u",
						  z->name, (unsigned long long)pfn,
						  (int)pg->refcount, (unsigned int)pg->zone_idx);
			if (o < BUDDY_MAX_ORDER && find_buddy(z, pfn, o))
				return check_fail(why,
						  "zone %s order %u: pfn %#llx and its buddy are "
						  "both free, unmerged",
						  z->name, o, (unsigned long long)pfn);
			pages += 1ul << o;
			prev = node;
			node = node->next;
		}
		if (area->free_list.prev != prev)
			return check_fail(why, "zone %s order %u: list head prev link broken",
					  z->name, o);
		if (!check_lazy(z, o, &n, why))
			return false;
		pages += (unsigned long)(area->lazy_end - area->lazy_start);
		if (n != area->nr_free)
			return check_fail(why,
					  "zone %s order %u: nr_free %lu but %lu blocks listed",
					  z->name, o, area->nr_free, n);
	}
	if (pages != z->nr_free_pages)
		return check_fail(why, "zone %s: nr_free_pages %lu but the lists hold %lu", z->name,
				  z->nr_free_pages, pages);
	return true;
}

void buddy_isolate_free(struct zone *z, pfn_t pfn, unsigned int order)
{
	struct page *pg = zone_pfn_page(z, pfn);

	buddy_materialize(z); /* the block leaves the list from where it stands */
	MM_BUG_ON(!page_flag_test(pg, PG_BUDDY) || pg->order != order);
	del_from_free_list(z, pg, order);
	z->nr_free_pages -= 1ul << order;
	z->pgdat->vmstat[VMSTAT_NR_FREE_PAGES] -= 1ul << order;
	for (pfn_t i = 0; i < (UINT64_C(1) << order); i++) {
		/* lazy memmap: a free block's other frames may never have been used */
		zone_pfn_page(z, pfn + i)->zone_idx = (uint8_t)z->type;
		prep_new_block(z, pfn + i, 0);
	}
}
