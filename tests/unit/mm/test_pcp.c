/*
 * tests/unit/mm/test_pcp.c: the per-CPU page lists in front of the buddy (mm/pcp.c).
 *
 * The 2 GiB machine's DMA32 zone manages more than 256 Ki pages, so zone_batchsize() is
 * min(managed >> 10, 256) / 4 = 64, rounddown_pow_of_two(64 + 32) - 1 = 63, and its high is
 * the zone's low watermark (one CPU), far above 4 * 63. Its DMA zone manages fewer than
 * 8192 pages: batch size 0 (min(managed >> 10, 256) / 4 <= 1), which
 * zone_set_pageset_high_and_batch() (Linux 5.14-6.6) raises to 1, and high is still
 * zone_highsize(): the zone's low watermark, at least 4 * batch. Numbers derived by hand from
 * Linux's formulas, not taken from mmsim's output.
 */
#include <criterion/criterion.h>
#include <errno.h>

#include "mm/buddy.h"
#include "mm/mm_test_machine.h"
#include "mm/page.h"
#include "mm/page_alloc.h"
#include "mm/pcp.h"
#include "mm/zone.h"

#define DMA32_BATCH 63u

/* GFP_KERNEL limited to DMA32, so every page comes from the zone under test. */
#define GFP_TEST (GFP_KERNEL | GFP_DMA32)

static struct zone *boot_dma32(struct test_machine *m)
{
	test_boot(m, 2 * GIB);
	return &m->pgdat->zones[ZONE_DMA32];
}

Test(pcp, batch_and_high_from_the_zone)
{
	struct test_machine m;
	struct zone *z = boot_dma32(&m);
	const struct zone *dma = &m.pgdat->zones[ZONE_DMA];

	cr_assert_gt(z->managed_pages, 256ul << 10);
	cr_assert_eq(z->pcp.batch, DMA32_BATCH);
	cr_assert_eq(z->pcp.high, z->watermark[ZONE_WMARK_LOW]);
	cr_assert_gt(z->pcp.high, 4 * DMA32_BATCH);
	cr_assert_lt(dma->managed_pages, 4096ul);
	cr_assert_eq(dma->pcp.batch, 1, "max(1, zone_batchsize())");
	cr_assert_eq(dma->pcp.high, dma->watermark[ZONE_WMARK_LOW]);
	cr_assert_gt(dma->pcp.high, 4u);
	/* zone_pcp_update() after a watermark change: high follows the low watermark. */
	zone_set_min_free_kbytes(m.pgdat, 4 * 1024 * 16);
	cr_assert_eq(z->pcp.high, z->watermark[ZONE_WMARK_LOW]);
	test_shutdown(&m);
}

/*
 * The 32 MiB machine's DMA zone (3712 managed pages, low watermark 105: tests/unit/mm/
 * test_zone.c): zone_batchsize() = rounddown_pow_of_two(1) - 1 = 0, so batch = max(1, 0) = 1
 * and high = max(105 / 1 CPU, 1 << 2) = 105 (Linux 6.1-6.6 zone_set_pageset_high_and_batch(),
 * zone_highsize()). The pageset works: a freed DMA page waits on the list.
 */
Test(pcp, a_zone_below_8192_pages_gets_batch_1_and_its_high)
{
	struct test_machine m;
	struct zone *dma;
	unsigned long free0;
	pfn_t a, again;

	test_boot(&m, 32 * MIB);
	dma = &m.pgdat->zones[ZONE_DMA];
	cr_assert_eq(dma->managed_pages, 3712);
	cr_assert_eq(dma->pcp.batch, 1);
	cr_assert_eq(dma->pcp.high, 105);
	free0 = dma->nr_free_pages;
	cr_assert_eq(page_alloc(m.pgdat, GFP_KERNEL | GFP_DMA, 0, &a), 0);
	/* __rmqueue_pcplist(): batch 1 is not scaled; rmqueue_bulk() takes one page. */
	cr_assert_eq(dma->pcp.count, 0);
	cr_assert_eq(dma->nr_free_pages, free0 - 1);
	page_free(m.pgdat, a, 0);
	cr_assert_eq(dma->pcp.count, 1, "count 1 < high 105: the page stays on the list");
	cr_assert_eq(dma->nr_free_pages, free0 - 1);
	TEST_CHECK(m.pgdat);
	cr_assert_eq(page_alloc(m.pgdat, GFP_KERNEL | GFP_DMA, 0, &again), 0);
	cr_assert_eq(again, a);
	cr_assert_eq(dma->pcp.count, 0);
	page_free(m.pgdat, again, 0);
	test_shutdown(&m);
}

Test(pcp, first_allocation_refills_by_batch)
{
	struct test_machine m;
	struct zone *z = boot_dma32(&m);
	unsigned long free0 = z->nr_free_pages, vm0 = pgdat_free_pages(m.pgdat);
	pfn_t pfn, next;

	cr_assert_eq(z->pcp.count, 0);
	cr_assert_eq(page_alloc(m.pgdat, GFP_TEST, 0, &pfn), 0);
	/* rmqueue_bulk(): batch pages leave the free lists and NR_FREE_PAGES at once. */
	cr_assert_eq(z->pcp.count, DMA32_BATCH - 1);
	cr_assert_eq(z->nr_free_pages, free0 - DMA32_BATCH);
	cr_assert_eq(pgdat_free_pages(m.pgdat), vm0 - DMA32_BATCH);
	cr_assert_eq(pgdat_page(m.pgdat, pfn)->refcount, 1);
	TEST_CHECK(m.pgdat);
	/* The list hands the pages out in the order the free lists gave them: each split
	 * keeps the lower half, so consecutive pfns; no further refill until it is empty. */
	for (unsigned int i = 1; i < DMA32_BATCH; i++) {
		cr_assert_eq(page_alloc(m.pgdat, GFP_TEST, 0, &next), 0);
		cr_assert_eq(next, pfn + i, "page %u", i);
	}
	cr_assert_eq(z->pcp.count, 0);
	cr_assert_eq(z->nr_free_pages, free0 - DMA32_BATCH);
	cr_assert_eq(page_alloc(m.pgdat, GFP_TEST, 0, &next), 0);
	cr_assert_eq(z->pcp.count, DMA32_BATCH - 1, "an empty list refills by batch again");
	cr_assert_eq(z->nr_free_pages, free0 - 2 * DMA32_BATCH);
	TEST_CHECK(m.pgdat);
	test_shutdown(&m);
}

Test(pcp, a_freed_page_is_the_next_one_handed_out)
{
	struct test_machine m;
	struct zone *z = boot_dma32(&m);
	unsigned long free_before;
	pfn_t a, b, again;

	cr_assert_eq(page_alloc(m.pgdat, GFP_TEST, 0, &a), 0);
	cr_assert_eq(page_alloc(m.pgdat, GFP_TEST, 0, &b), 0);
	free_before = z->nr_free_pages;
	page_free(m.pgdat, a, 0);
	cr_assert_eq(z->nr_free_pages, free_before, "a page on the pcp list is not free");
	cr_assert(page_flag_test(pgdat_page(m.pgdat, a), PG_PCP));
	TEST_CHECK(m.pgdat);
	cr_assert_eq(page_alloc(m.pgdat, GFP_TEST, 0, &again), 0);
	cr_assert_eq(again, a, "free_unref_page_commit() adds to the head: hot page reused");
	page_free(m.pgdat, again, 0);
	page_free(m.pgdat, b, 0);
	test_shutdown(&m);
}

Test(pcp, free_to_high_then_bulk_free_doubling)
{
	struct test_machine m;
	struct zone *z = boot_dma32(&m);
	unsigned int high = z->pcp.high, n = 3 * high;
	pfn_t *pfns = calloc(n, sizeof(*pfns));
	unsigned long free_mark;

	cr_assert_not_null(pfns);
	for (unsigned int i = 0; i < n; i++)
		cr_assert_eq(page_alloc(m.pgdat, GFP_TEST, 0, &pfns[i]), 0);
	/* The last refill left count = (-n) mod batch on the list. */
	cr_assert_eq(z->pcp.count, (DMA32_BATCH - n % DMA32_BATCH) % DMA32_BATCH);
	/* Free until the list reaches high: nothing reaches the free lists before. */
	free_mark = z->nr_free_pages;
	for (unsigned int i = 0; z->pcp.count + 1 < high; i++)
		page_free(m.pgdat, pfns[--n], 0);
	cr_assert_eq(z->nr_free_pages, free_mark);
	page_free(m.pgdat, pfns[--n], 0);
	/* count reached high: nr_pcp_free() = batch << free_factor (0) pages go back. */
	cr_assert_eq(z->pcp.count, high - DMA32_BATCH);
	cr_assert_eq(z->nr_free_pages, free_mark + DMA32_BATCH);
	TEST_CHECK(m.pgdat);
	/* The next time without an allocation between, twice as many. */
	while (z->pcp.count < high - 1)
		page_free(m.pgdat, pfns[--n], 0);
	page_free(m.pgdat, pfns[--n], 0);
	cr_assert_eq(z->pcp.count, high - 2 * DMA32_BATCH);
	cr_assert_eq(z->nr_free_pages, free_mark + 3 * DMA32_BATCH);
	/* An allocation halves free_factor (2 -> 1): the next bulk free is 2 * batch. */
	cr_assert_eq(page_alloc(m.pgdat, GFP_TEST, 0, &pfns[n++]), 0);
	while (z->pcp.count < high - 1)
		page_free(m.pgdat, pfns[--n], 0);
	page_free(m.pgdat, pfns[--n], 0);
	cr_assert_eq(z->pcp.count, high - 2 * DMA32_BATCH);
	TEST_CHECK(m.pgdat);
	while (n)
		page_free(m.pgdat, pfns[--n], 0);
	free(pfns);
	test_shutdown(&m);
}

Test(pcp, bulk_free_stops_at_four_batches_while_kswapd_reclaims)
{
	struct test_machine m;
	struct zone *z = boot_dma32(&m);
	pfn_t pfns[4 * DMA32_BATCH];

	for (unsigned int i = 0; i < 4 * DMA32_BATCH; i++)
		cr_assert_eq(page_alloc(m.pgdat, GFP_TEST, 0, &pfns[i]), 0);
	pcp_set_reclaim_active(m.pgdat, ZONE_MOVABLE, true);
	for (unsigned int i = 0; i < 4 * DMA32_BATCH; i++)
		page_free(m.pgdat, pfns[i], 0);
	/* nr_pcp_high() = min(4 * batch, high): the list never holds 4 * batch pages. */
	cr_assert_lt(z->pcp.count, 4 * DMA32_BATCH);
	pcp_set_reclaim_active(m.pgdat, ZONE_MOVABLE, false);
	TEST_CHECK(m.pgdat);
	test_shutdown(&m);
}

Test(pcp, drain_gives_every_page_back_and_merges)
{
	struct test_machine m;
	struct zone *z = boot_dma32(&m);
	unsigned long free0 = z->nr_free_pages, blocks10 = z->free_area[10].nr_free;
	pfn_t pfns[100];

	for (unsigned int i = 0; i < 100; i++)
		cr_assert_eq(page_alloc(m.pgdat, GFP_TEST, 0, &pfns[i]), 0);
	for (unsigned int i = 0; i < 100; i++)
		page_free(m.pgdat, pfns[i], 0);
	cr_assert_gt(z->pcp.count, 0);
	cr_assert_lt(z->nr_free_pages, free0);
	pcp_drain_all(m.pgdat);
	cr_assert_eq(z->pcp.count, 0);
	cr_assert_eq(z->nr_free_pages, free0);
	cr_assert_eq(pgdat_free_pages(m.pgdat), free0 + m.pgdat->zones[ZONE_DMA].nr_free_pages +
							m.pgdat->zones[ZONE_NORMAL].nr_free_pages);
	cr_assert_eq(z->free_area[10].nr_free, blocks10, "the pages merged back whole");
	TEST_CHECK(m.pgdat);
	test_shutdown(&m);
}

/* A reclaimer that reports progress but frees nothing: the pages the test freed are on
 * the pcp list, so only __alloc_pages_direct_reclaim()'s drain can find them. */
static unsigned long fake_reclaim(void *ctx, unsigned int order, gfp_t gfp, enum zone_type highest)
{
	(void)ctx, (void)order, (void)gfp, (void)highest;
	return 1;
}

Test(pcp, direct_reclaim_drains_before_giving_up)
{
	struct test_machine m;
	struct pgdat *p;
	struct zone *z;
	pfn_t pfn, *pfns;
	unsigned long n = 0, first = 0, cap;

	test_boot(&m, 64 * MIB);
	p = m.pgdat;
	z = &p->zones[ZONE_DMA32];
	cr_assert_gt(z->pcp.high, 8u, "the 64 MiB DMA32 zone keeps pages on its pcp list");
	cap = p->totalram_pages;
	pfns = calloc(cap, sizeof(*pfns));
	cr_assert_not_null(pfns);
	/* No hooks: allocation stops at the min watermark. */
	while (page_alloc(p, GFP_TEST | GFP_NOWARN, 0, &pfn) == 0)
		pfns[n++] = pfn;
	cr_assert_eq(z->pcp.count, 0);
	/* The first pages came from DMA32 (the last ones from DMA, after the fallback). */
	for (unsigned int i = 0; i < 8; i++)
		page_free(p, pfns[first++], 0);
	cr_assert_eq(z->pcp.count, 8, "below high: the frees wait on the pcp list");
	cr_assert_eq(page_alloc(p, GFP_TEST | GFP_NOWARN, 0, &pfn), -ENOMEM,
		     "without reclaim, the pcp pages are out of reach");
	p->reclaim.direct_reclaim = fake_reclaim;
	cr_assert_eq(page_alloc(p, GFP_TEST, 0, &pfn), 0, "progress, failure, drain, retry");
	pfns[n++] = pfn;
	cr_assert_eq(z->pcp.count, 0);
	TEST_CHECK(p);
	p->reclaim.direct_reclaim = NULL;
	while (n > first)
		page_free(p, pfns[--n], 0);
	free(pfns);
	test_shutdown(&m);
}

Test(pcp, off_frees_straight_to_the_buddy)
{
	struct test_machine m;
	struct zone *z = boot_dma32(&m);
	unsigned long free0 = z->nr_free_pages;
	pfn_t a;

	cr_assert_eq(page_alloc(m.pgdat, GFP_TEST, 0, &a), 0);
	page_free(m.pgdat, a, 0);
	pcp_set_enabled(m.pgdat, false);
	cr_assert_eq(z->pcp.count, 0, "turning pcp off drains");
	cr_assert_eq(z->pcp.high, 0);
	cr_assert_eq(z->pcp.batch, 1);
	cr_assert_eq(z->nr_free_pages, free0);
	cr_assert_eq(page_alloc(m.pgdat, GFP_TEST, 0, &a), 0);
	cr_assert_eq(z->nr_free_pages, free0 - 1, "one page, no batch");
	page_free(m.pgdat, a, 0);
	cr_assert_eq(z->nr_free_pages, free0);
	cr_assert_eq(z->pcp.count, 0);
	TEST_CHECK(m.pgdat);
	test_shutdown(&m);
}

Test(pcp, checker_catches_a_wrong_count)
{
	struct test_machine m;
	struct zone *z = boot_dma32(&m);
	struct check_report why;
	pfn_t a;

	cr_assert_eq(page_alloc(m.pgdat, GFP_TEST, 0, &a), 0);
	z->pcp.count++;
	check_report_clear(&why);
	cr_assert_not(check_node(m.pgdat, &why));
	z->pcp.count--;
	/* A pcp page that lost its flag is lost to the memmap pass. */
	page_flag_clear(list_entry(z->pcp.list.next, struct page, lru), PG_PCP);
	check_report_clear(&why);
	cr_assert_not(check_node(m.pgdat, &why));
	test_shutdown(&m);
}
