/*
 * mm/memmap.c: the whole-memory checker over the memmap (see memmap.h).
 *
 * One pass in pfn order. Each frame is classified by the state page.h defines; free and
 * allocated blocks are stepped over as a whole, so a frame reached on its own can only be
 * a hole, a reserved frame, or the head of a block. A PG_TAIL frame reached on its own
 * belongs to no head; a PG_PCP frame is on its zone's per-CPU list (counted against the
 * list's count, and in neither the free nor the allocated pages); a frame with no flag and
 * refcount 0 reached on its own is on no free list and held by nobody: lost. Then the counts the
 * pass made are compared with the counts the zones and vmstat keep.
 */
#include "mm/memmap.h"

#include <stdint.h>

#include "mm/check.h"
#include "mm/pgdat.h"

/* Per-zone tallies of one pass. */
struct zone_tally {
	unsigned long free_pages;
	unsigned long free_blocks[BUDDY_NR_ORDERS];
	unsigned long pcp_pages;    /* PG_PCP frames: on the zone's per-CPU list */
	unsigned long allocated;    /* frames of allocated blocks */
	unsigned long reserved_ram; /* present frames that are PG_RESERVED */
};

/* The zone whose span holds pfn, or ZONE_NR_TYPES for none (pfn 0, beyond RAM). */
static unsigned int zone_of_pfn(const struct pgdat *pgdat, pfn_t pfn)
{
	for (unsigned int t = 0; t < ZONE_NR_TYPES; t++) {
		const struct zone *z = &pgdat->zones[t];

		if (z->spanned_pages && pfn >= z->start_pfn &&
		    pfn - z->start_pfn < z->spanned_pages)
			return t;
	}
	return ZONE_NR_TYPES;
}

/* Checks the frames after the head of a block of 2^order at pfn, in zone t. */
static bool check_block_rest(const struct pgdat *pgdat, pfn_t pfn, unsigned int order,
			     bool free_block, struct check_report *why)
{
	const struct page *head = pgdat_page(pgdat, pfn);

	for (pfn_t i = 1; i < (UINT64_C(1) << order); i++) {
		const struct page *pg = head + i;

		/* Lazy memmap (pgdat.c): a free frame never used keeps zone 0. */
		if (pg->zone_idx != head->zone_idx && !(free_block && pg->zone_idx == 0))
			return check_fail(why, "block at pfn %#llx order %u spans two zones",
					  (unsigned long long)pfn, order);
		if (pg->refcount != 0 || pg->mapcount != 0)
			return check_fail(
				why,
				"pfn %#llx inside the %s block at %#llx has refcount %d "
				"mapcount %d",
				(unsigned long long)(pfn + i), free_block ? "free" : "allocated",
				(unsigned long long)pfn, (int)pg->refcount, (int)pg->mapcount);
		if (free_block && pg->flags != 0)
			return check_fail(why,
					  "pfn %#llx inside the free block at %#llx has flags "
					  "%#x",
					  (unsigned long long)(pfn + i), (unsigned long long)pfn,
					  (unsigned int)pg->flags);
		if (!free_block && (pg->flags != PAGE_FLAG_MASK(PG_TAIL) || pg->order != order))
			return check_fail(why,
					  "pfn %#llx inside the allocated block at %#llx is not a "
					  "tail of order %u (flags %#x order %u)",
					  (unsigned long long)(pfn + i), (unsigned long long)pfn,
					  order, (unsigned int)pg->flags, (unsigned int)pg->order);
	}
	return true;
}

/* Checks one head frame of an allocated block and adds its pages to the owner tallies. */
static bool check_allocated(const struct pgdat *pgdat, pfn_t pfn, unsigned int *order_out,
			    unsigned long *slab_pages, unsigned long *pgtable_pages,
			    struct check_report *why)
{
	const struct page *pg = pgdat_page(pgdat, pfn);
	unsigned int order = 0;

	if (page_flag_test(pg, PG_TAIL))
		return check_fail(why, "pfn %#llx is a tail with refcount %d",
				  (unsigned long long)pfn, (int)pg->refcount);
	if (page_flag_test(pg, PG_HEAD)) {
		order = pg->order;
		if (order == 0 || order > BUDDY_MAX_ORDER || (pfn & ((UINT64_C(1) << order) - 1)))
			return check_fail(why, "pfn %#llx: head of a bad block order %u",
					  (unsigned long long)pfn, order);
		if (pfn + (UINT64_C(1) << order) > pgdat->nr_pfns)
			return check_fail(why, "pfn %#llx: block of order %u runs past RAM",
					  (unsigned long long)pfn, order);
		if (!check_block_rest(pgdat, pfn, order, false, why))
			return false;
	} else if (pg->order != 0) {
		return check_fail(why, "pfn %#llx: order %u without PG_HEAD",
				  (unsigned long long)pfn, (unsigned int)pg->order);
	}
	if (page_flag_test(pg, PG_SLAB)) {
		if (!pg->slab_cache || pg->inuse > pg->objects)
			return check_fail(why,
					  "slab at pfn %#llx: no cache or inuse %u > objects %u",
					  (unsigned long long)pfn, pg->inuse, pg->objects);
		*slab_pages += 1ul << order;
	}
	if (page_flag_test(pg, PG_PGTABLE))
		*pgtable_pages += 1ul << order;
	*order_out = order;
	return true;
}

/* Compares the tallies of one pass with what the zones and vmstat say. */
static bool check_totals(const struct pgdat *pgdat, const struct zone_tally *tally,
			 unsigned long slab_pages, unsigned long pgtable_pages,
			 struct check_report *why)
{
	unsigned long free_total = 0;
	unsigned long slab_counted = pgdat->vmstat[VMSTAT_NR_SLAB_RECLAIMABLE] +
				     pgdat->vmstat[VMSTAT_NR_SLAB_UNRECLAIMABLE];

	for (unsigned int t = 0; t < ZONE_NR_TYPES; t++) {
		const struct zone *z = &pgdat->zones[t];

		if (tally[t].free_pages != z->nr_free_pages)
			return check_fail(why,
					  "zone %s: %lu free pages in the memmap, nr_free_pages "
					  "%lu",
					  z->name, tally[t].free_pages, z->nr_free_pages);
		for (unsigned int o = 0; o < BUDDY_NR_ORDERS; o++) {
			if (tally[t].free_blocks[o] != z->free_area[o].nr_free)
				return check_fail(why,
						  "zone %s order %u: %lu free blocks in the "
						  "memmap, nr_free %lu",
						  z->name, o, tally[t].free_blocks[o],
						  z->free_area[o].nr_free);
		}
		/* Pages on a per-CPU list are neither free (NR_FREE_PAGES) nor allocated. */
		if (tally[t].pcp_pages != z->pcp.count)
			return check_fail(why,
					  "zone %s: %lu PG_PCP pages in the memmap, pcp count %u",
					  z->name, tally[t].pcp_pages, z->pcp.count);
		if (z->present_pages - tally[t].reserved_ram != z->managed_pages)
			return check_fail(why, "zone %s: present %lu - reserved %lu != managed %lu",
					  z->name, z->present_pages, tally[t].reserved_ram,
					  z->managed_pages);
		if (tally[t].free_pages + tally[t].pcp_pages + tally[t].allocated !=
		    z->managed_pages)
			return check_fail(
				why, "zone %s: free %lu + pcp %lu + allocated %lu != managed %lu",
				z->name, tally[t].free_pages, tally[t].pcp_pages,
				tally[t].allocated, z->managed_pages);
		free_total += tally[t].free_pages;
	}
	if (free_total != pgdat->vmstat[VMSTAT_NR_FREE_PAGES])
		return check_fail(why, "nr_free_pages %lu but %lu pages are free",
				  pgdat->vmstat[VMSTAT_NR_FREE_PAGES], free_total);
	if (slab_pages != slab_counted)
		return check_fail(why, "nr_slab_* count %lu pages but %lu are slab pages",
				  slab_counted, slab_pages);
	if (pgtable_pages != pgdat->vmstat[VMSTAT_NR_PAGETABLE])
		return check_fail(why, "nr_page_table_pages %lu but %lu frames are PG_PGTABLE",
				  pgdat->vmstat[VMSTAT_NR_PAGETABLE], pgtable_pages);
	return true;
}

/*
 * What boot left lazy (pgdat.c, buddy.h): a frame of the memmap itself not yet written
 * counts as reserved; the head of a lazy top-order boot block must still be blank, and its
 * block counts as free. Returns the frames stepped over (0: pfn is none of these).
 */
static pfn_t check_lazy(const struct pgdat *pgdat, pfn_t pfn, unsigned int t,
			struct zone_tally *tally, bool *ok, struct check_report *why)
{
	const struct buddy_free_area *area;
	const struct page *pg;

	if (pgdat_pfn_is_lazy_memmap(pgdat, pfn)) {
		if (t < ZONE_NR_TYPES)
			tally[t].reserved_ram++;
		return 1;
	}
	if (t == ZONE_NR_TYPES)
		return 0;
	area = &pgdat->zones[t].free_area[BUDDY_MAX_ORDER];
	if (!buddy_has_lazy(area) || pfn < area->lazy_start || pfn >= area->lazy_end)
		return 0;
	pg = pgdat_page(pgdat, pfn);
	if (pg->flags || pg->refcount || pg->mapcount || pg->order)
		*ok = check_fail(why, "lazy free block at pfn %#llx has flags %#x refcount %d",
				 (unsigned long long)pfn, (unsigned int)pg->flags,
				 (int)pg->refcount);
	else
		*ok = check_block_rest(pgdat, pfn, BUDDY_MAX_ORDER, true, why);
	tally[t].free_pages += 1ul << BUDDY_MAX_ORDER;
	tally[t].free_blocks[BUDDY_MAX_ORDER]++;
	return UINT64_C(1) << BUDDY_MAX_ORDER;
}

bool memmap_check(const struct pgdat *pgdat, struct check_report *why)
{
	struct zone_tally tally[ZONE_NR_TYPES] = { 0 };
	unsigned long slab_pages = 0, pgtable_pages = 0;
	pfn_t pfn = 0;

	while (pfn < pgdat->nr_pfns) {
		const struct page *pg = pgdat_page(pgdat, pfn);
		unsigned int t = zone_of_pfn(pgdat, pfn);
		unsigned int order = 0;
		bool ok = true;
		pfn_t lazy = check_lazy(pgdat, pfn, t, tally, &ok, why);

		if (!ok)
			return false;
		if (lazy) {
			pfn += lazy;
			continue;
		}
		if (t < ZONE_NR_TYPES && pg->zone_idx != t)
			return check_fail(why, "pfn %#llx is in zone %s but says zone %u",
					  (unsigned long long)pfn, zone_name(t),
					  (unsigned int)pg->zone_idx);
		if (pg->refcount < 0)
			return check_fail(why, "pfn %#llx: refcount %d", (unsigned long long)pfn,
					  (int)pg->refcount);
		if (page_flag_test(pg, PG_RESERVED)) {
			if (pg->flags != PAGE_FLAG_MASK(PG_RESERVED) || pg->refcount < 1)
				return check_fail(why,
						  "reserved pfn %#llx has flags %#x refcount %d",
						  (unsigned long long)pfn, (unsigned int)pg->flags,
						  (int)pg->refcount);
			if (t < ZONE_NR_TYPES && pgdat_pfn_is_ram(pgdat, pfn))
				tally[t].reserved_ram++;
		} else if (!pgdat_pfn_is_ram(pgdat, pfn) || t == ZONE_NR_TYPES) {
			return check_fail(why, "pfn %#llx is not managed RAM but not PG_RESERVED",
					  (unsigned long long)pfn);
		} else if (page_flag_test(pg, PG_BUDDY)) {
			order = pg->order;
			if (order > BUDDY_MAX_ORDER || (pfn & ((UINT64_C(1) << order) - 1)) ||
			    pg->flags != PAGE_FLAG_MASK(PG_BUDDY) || pg->refcount || pg->mapcount)
				return check_fail(why,
						  "free block at pfn %#llx: order %u flags %#x "
						  "refcount %d",
						  (unsigned long long)pfn, order,
						  (unsigned int)pg->flags, (int)pg->refcount);
			if (pfn + (UINT64_C(1) << order) > pgdat->nr_pfns)
				return check_fail(why, "free block at pfn %#llx runs past RAM",
						  (unsigned long long)pfn);
			if (!check_block_rest(pgdat, pfn, order, true, why))
				return false;
			tally[t].free_pages += 1ul << order;
			tally[t].free_blocks[order]++;
		} else if (page_flag_test(pg, PG_PCP)) {
			if (pg->flags != PAGE_FLAG_MASK(PG_PCP) || pg->refcount || pg->mapcount ||
			    pg->order)
				return check_fail(why,
						  "pcp page at pfn %#llx: flags %#x refcount %d "
						  "order %u",
						  (unsigned long long)pfn, (unsigned int)pg->flags,
						  (int)pg->refcount, (unsigned int)pg->order);
			tally[t].pcp_pages++;
		} else if (pg->refcount > 0) {
			if (!check_allocated(pgdat, pfn, &order, &slab_pages, &pgtable_pages, why))
				return false;
			tally[t].allocated += 1ul << order;
		} else if (page_flag_test(pg, PG_TAIL)) {
			return check_fail(why, "pfn %#llx is a tail outside any allocated block",
					  (unsigned long long)pfn);
		} else {
			return check_fail(why,
					  "pfn %#llx is lost: not free, not reserved, refcount 0 "
					  "(flags %#x)",
					  (unsigned long long)pfn, (unsigned int)pg->flags);
		}
		pfn += UINT64_C(1) << order;
	}
	return check_totals(pgdat, tally, slab_pages, pgtable_pages, why);
}
