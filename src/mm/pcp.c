/*
 * mm/pcp.c: per-CPU page lists (see pcp.h). Linux 6.1-6.6 mm/page_alloc.c; every rule below
 * was compared with the 6.1 and 6.6 sources (table in docs/kernel.md).
 *
 * Allocation (rmqueue_pcplist(), __rmqueue_pcplist()):
 *  1. free_factor halves: an allocation slows the doubling of bulk frees.
 *  2. An empty list is refilled with batch pages (rmqueue_bulk()); with none left in the
 *     free lists either, the allocation fails in this zone.
 *  3. The first page of the list is handed out.
 * Free (free_unref_page_commit()):
 *  1. The page goes to the head of the list (it is cache-hot).
 *  2. When count reaches high (nr_pcp_high(): at most 4 * batch while kswapd reclaims), the
 *     nr_pcp_free() pages at the tail, the coldest, go back to the buddy (free_pcppages_bulk()).
 */
#include "mm/pcp.h"

#include <errno.h>

#include "mm/buddy.h"
#include "mm/bug.h"
#include "mm/check.h"
#include "mm/page.h"
#include "mm/pgdat.h"
#include "mm/zone.h"

#define PCP_BOOT_HIGH 0u /* Linux's boot and disabled pagesets (zone_pcp_disable()) */
#define PCP_BOOT_BATCH 1u
#define PCP_BATCH_MAX_BYTES (UINT64_C(1) << 20) /* zone_batchsize(): at most 1 MiB */
#define PCP_NR_CPUS 1u				/* CPUs of the node: mmsim simulates one */

/* Linux rounddown_pow_of_two(); n >= 1. */
static unsigned long rounddown_pow2(unsigned long n)
{
	return 1ul << (63 - __builtin_clzl(n));
}

/*
 * Linux zone_batchsize() (6.1-6.6 mm/page_alloc.c, checked against the source): ~0.1 % of the
 * zone or 1 MiB, whichever is smaller, a quarter of it, then clamped to 2^n - 1 (a power of
 * two aliases badly in caches, says Linux). 0 for a zone below 8192 managed pages (32 MiB).
 */
static unsigned int zone_batchsize(const struct zone *z)
{
	unsigned long batch = z->managed_pages >> 10;

	if (batch > PCP_BATCH_MAX_BYTES / X86_PAGE_SIZE)
		batch = PCP_BATCH_MAX_BYTES / X86_PAGE_SIZE;
	batch /= 4;
	if (batch < 1)
		batch = 1;
	return (unsigned int)(rounddown_pow2(batch + batch / 2) - 1);
}

/*
 * Linux zone_highsize() without percpu_pagelist_high_fraction: the low watermark split over
 * the node's CPUs (one here), so that full pagesets do not wake kswapd early; at least
 * 4 * batch.
 */
static unsigned int zone_highsize(const struct zone *z, unsigned int batch)
{
	unsigned long high = zone_wmark_pages(z, ZONE_WMARK_LOW) / PCP_NR_CPUS;

	if (high < 4ul * batch)
		high = 4ul * batch;
	return (unsigned int)high;
}

void pcp_init(struct zone *z)
{
	z->pcp = (struct pcp_pages){ .high = PCP_BOOT_HIGH, .batch = PCP_BOOT_BATCH };
	list_init(&z->pcp.list);
}

/*
 * Linux zone_pcp_update() -> zone_set_pageset_high_and_batch() (6.1-6.6 mm/page_alloc.c):
 * batch = max(1, zone_batchsize()), high = zone_highsize(). A zone below 8192 pages (DMA)
 * has batch size 0 and so gets batch 1 and high = its low watermark (at least 4): its
 * pageset holds pages like any other. (Linux 6.7+ per_cpu_pages_init() leaves pcp->high 0
 * and sets only high_min/high_max; pcp->high is clamped into them on the first use of the
 * pageset, so a DMA pageset nobody used prints "high: 0" in 6.18's zoneinfo.) An empty zone
 * keeps the boot pageset, a disabled one zone_pcp_disable()'s values: high 0, batch 1.
 */
void pcp_update(struct zone *z)
{
	unsigned int batch = zone_batchsize(z);

	if (z->pcp.disabled || !zone_managed(z)) {
		z->pcp.high = PCP_BOOT_HIGH;
		z->pcp.batch = PCP_BOOT_BATCH;
		return;
	}
	if (batch < 1)
		batch = 1;
	z->pcp.batch = batch;
	z->pcp.high = zone_highsize(z, batch);
}

bool pcp_enabled(const struct pgdat *pgdat)
{
	return !pgdat->zones[0].pcp.disabled;
}

void pcp_set_enabled(struct pgdat *pgdat, bool on)
{
	for (unsigned int t = 0; t < ZONE_NR_TYPES; t++) {
		struct zone *z = &pgdat->zones[t];

		z->pcp.disabled = !on;
		if (!on)
			pcp_drain_zone(z);
		pcp_update(z);
	}
}

/*
 * Linux free_pcppages_bulk() with one list: count (at most pcp->count) pages from the tail,
 * the coldest, each to __free_one_page() as it leaves (list_last_entry(); 6.1 and 6.6).
 */
static void free_pcppages_bulk(struct zone *z, unsigned int count)
{
	struct pcp_pages *pcp = &z->pcp;

	while (count-- && pcp->count) {
		struct page *pg = list_entry(pcp->list.prev, struct page, lru);

		list_del(&pg->lru);
		pcp->count--;
		buddy_free_pcp_page(z, pg);
	}
}

int pcp_alloc(struct zone *z, pfn_t *pfn_out)
{
	struct pcp_pages *pcp = &z->pcp;
	struct page *pg;

	pcp->free_factor >>= 1; /* 1. */
	if (list_empty(&pcp->list)) {
		/* 2. __rmqueue_pcplist(): max(batch >> order, 2) when batch > 1; order 0. */
		pcp->count += buddy_rmqueue_bulk(z, pcp->batch, &pcp->list);
		if (list_empty(&pcp->list))
			return -ENOMEM;
	}
	/* 3. */
	pg = list_entry(pcp->list.next, struct page, lru);
	list_del(&pg->lru);
	pcp->count--;
	buddy_prep_pcp_page(z, pg);
	*pfn_out = pgdat_pfn(z->pgdat, pg);
	return 0;
}

/* Linux nr_pcp_high() for order 0 (free_high is false). */
static unsigned int nr_pcp_high(const struct zone *z)
{
	const struct pcp_pages *pcp = &z->pcp;

	if (!pcp->high || !z->reclaim_active)
		return pcp->high;
	return pcp->high < 4 * pcp->batch ? pcp->high : 4 * pcp->batch;
}

/*
 * Linux nr_pcp_free(): batch pages the first time, twice as many at each further bulk free
 * without an allocation in between, never fewer than batch nor more than high - batch (so
 * that batch pages stay on the list). One page when high < batch (a disabled pageset).
 * (Linux clamp() takes the upper bound last; the bounds never cross here, as high >= 4 *
 * batch. free_factor has no cap in 6.1-6.6.0; 6.7 caps it at CONFIG_PCP_BATCH_SCALE_MAX, 5 by
 * default, and the OpenHarmony 6.6 tree read has it as well: not modelled.)
 */
static unsigned int nr_pcp_free(struct pcp_pages *pcp, unsigned int high)
{
	unsigned int batch = pcp->batch, min_nr_free, max_nr_free;
	unsigned long nr;

	if (high < batch)
		return 1;
	min_nr_free = batch;
	max_nr_free = high - batch;
	nr = (unsigned long)batch << (pcp->free_factor < 32 ? pcp->free_factor : 31);
	if (nr < max_nr_free)
		pcp->free_factor++;
	if (nr > max_nr_free)
		nr = max_nr_free;
	if (nr < min_nr_free)
		nr = min_nr_free;
	return (unsigned int)nr;
}

void pcp_free(struct zone *z, struct page *pg)
{
	struct pcp_pages *pcp = &z->pcp;
	unsigned int high;

	MM_BUG_ON(pg->flags != 0 || pg->refcount != 0);
	/* 1. */
	page_flag_set(pg, PG_PCP);
	list_add(&pg->lru, &pcp->list);
	pcp->count++;
	/* 2. */
	high = nr_pcp_high(z);
	if (pcp->count >= high)
		free_pcppages_bulk(z, nr_pcp_free(pcp, high));
}

void pcp_drain_zone(struct zone *z)
{
	free_pcppages_bulk(z, z->pcp.count);
}

void pcp_drain_all(struct pgdat *pgdat)
{
	for (unsigned int t = 0; t < ZONE_NR_TYPES; t++)
		pcp_drain_zone(&pgdat->zones[t]);
}

/* Linux update_reclaim_active(). */
void pcp_set_reclaim_active(struct pgdat *pgdat, unsigned int highest_zoneidx, bool active)
{
	for (unsigned int t = 0; t <= highest_zoneidx && t < ZONE_NR_TYPES; t++) {
		struct zone *z = &pgdat->zones[t];

		z->reclaim_active = active && zone_managed(z);
	}
}

bool pcp_check(const struct zone *z, struct check_report *why)
{
	const struct pcp_pages *pcp = &z->pcp;
	const struct list_head *node = pcp->list.next, *prev = &pcp->list;
	unsigned int n = 0;

	while (node != &pcp->list) {
		const struct page *pg = list_entry(node, struct page, lru);
		pfn_t pfn = pgdat_pfn(z->pgdat, pg);

		if (++n > pcp->count)
			return check_fail(why, "zone %s: pcp list longer than count %u", z->name,
					  pcp->count);
		if (node->prev != prev)
			return check_fail(why, "zone %s: pcp entry %u has a broken prev link",
					  z->name, n);
		if (pfn < z->start_pfn || pfn - z->start_pfn >= z->spanned_pages ||
		    pg->flags != PAGE_FLAG_MASK(PG_PCP) || pg->refcount || pg->order ||
		    pg->zone_idx != z->type)
			return check_fail(why,
					  "zone %s: pcp pfn %#llx is not a PG_PCP order-0 page "
					  "of the zone (flags %#x refcount %d)",
					  z->name, (unsigned long long)pfn, (unsigned int)pg->flags,
					  (int)pg->refcount);
		prev = node;
		node = node->next;
	}
	if (pcp->list.prev != prev)
		return check_fail(why, "zone %s: pcp list head prev link broken", z->name);
	if (n != pcp->count)
		return check_fail(why, "zone %s: pcp count %u but %u pages listed", z->name,
				  pcp->count, n);
	return true;
}
