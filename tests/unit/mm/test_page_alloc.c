/*
 * tests/unit/mm/test_page_alloc.c: zone choice, fallback, watermarks, the reclaim hooks,
 * references, and a seeded stress run with every checker after every step.
 *
 * The 32 MiB machine's numbers (hand-derived, see test_zone.c): DMA manages 3712 pages,
 * min 84, low 105, lowmem_reserve[Normal] 15; DMA32 manages 3968, min 90, low 112.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mm/pcp.h"
#include "mm/buddy.h"
#include "mm/mm_test_machine.h"
#include "mm/page.h"
#include "mm/page_alloc.h"
#include "util/macros.h"

Test(page_alloc, gfp_zone)
{
	cr_assert_eq(page_gfp_zone(GFP_KERNEL), ZONE_NORMAL);
	cr_assert_eq(page_gfp_zone(GFP_USER), ZONE_NORMAL);
	cr_assert_eq(page_gfp_zone(GFP_HIGHUSER), ZONE_NORMAL, "no highmem on x86-64");
	cr_assert_eq(page_gfp_zone(GFP_HIGHUSER_MOVABLE), ZONE_MOVABLE);
	cr_assert_eq(page_gfp_zone(GFP_KERNEL | GFP_DMA32), ZONE_DMA32);
	cr_assert_eq(page_gfp_zone(GFP_KERNEL | GFP_DMA), ZONE_DMA);
	cr_assert_eq(page_gfp_zone(GFP_KERNEL | GFP_MOVABLE), ZONE_NORMAL);
	cr_assert_eq(page_gfp_zone(GFP_DMA | GFP_DMA32), ZONE_NR_TYPES, "bad combination");
}

Test(page_alloc, bad_arguments)
{
	struct test_machine m;
	pfn_t pfn;

	test_boot(&m, 32 * MIB);
	cr_assert_eq(page_alloc(m.pgdat, GFP_KERNEL, BUDDY_MAX_ORDER + 1, &pfn), -EINVAL);
	cr_assert_eq(page_alloc(m.pgdat, GFP_DMA | GFP_DMA32, 0, &pfn), -EINVAL);
	test_shutdown(&m);
}

Test(page_alloc, fallback_and_watermarks_without_reclaim)
{
	struct test_machine m;
	struct pgdat *p;
	unsigned long n = 0;
	pfn_t pfn;

	test_boot(&m, 32 * MIB);
	p = m.pgdat;
	/* 1. Fast path: DMA32 down to its low watermark (112), then DMA down to low 105 plus
	 *    the 15 pages it keeps from Normal-capable requests: 3856 + 3592 pages.
	 * 2. Slow path: DMA32 down to min (90), then DMA to 84 + 15: 22 + 21 more. */
	while (page_alloc(p, GFP_KERNEL, 0, &pfn) == 0) {
		n++;
		if (n == 3856)
			cr_assert_eq(p->zones[ZONE_DMA32].nr_free_pages, 112);
		if (n == 3856 + 3592)
			cr_assert_eq(p->zones[ZONE_DMA].nr_free_pages, 120);
	}
	cr_assert_eq(n, 7491, "allocated %lu", n);
	cr_assert_eq(p->zones[ZONE_DMA32].nr_free_pages, 90);
	cr_assert_eq(p->zones[ZONE_DMA].nr_free_pages, 99);
	cr_assert_eq(p->vmstat[VMSTAT_PGALLOC_DMA32], 3856 + 22);
	cr_assert_eq(p->vmstat[VMSTAT_PGALLOC_DMA], 3592 + 21);
	cr_assert_eq(p->nr_alloc_warnings, 1, "the failure would warn");
	cr_assert_eq(page_alloc(p, GFP_KERNEL | GFP_NOWARN, 0, &pfn), -ENOMEM);
	cr_assert_eq(p->nr_alloc_warnings, 1, "GFP_NOWARN does not");
	/* GFP_DMA may still use DMA's 15 reserved pages: its highest zone is DMA. */
	for (int i = 0; i < 15; i++)
		cr_assert_eq(page_alloc(p, GFP_KERNEL | GFP_DMA, 0, &pfn), 0, "DMA page %d", i);
	cr_assert_eq(page_alloc(p, GFP_KERNEL | GFP_DMA, 0, &pfn), -ENOMEM);
	/* GFP_MEMALLOC ignores the watermarks: the last 174 pages. */
	for (int i = 0; i < 174; i++)
		cr_assert_eq(page_alloc(p, GFP_KERNEL | GFP_MEMALLOC, 0, &pfn), 0, "page %d", i);
	cr_assert_eq(pgdat_free_pages(p), 0);
	cr_assert_eq(page_alloc(p, GFP_KERNEL | GFP_MEMALLOC, 0, &pfn), -ENOMEM);
	TEST_CHECK(p);
	test_shutdown(&m);
}

Test(page_alloc, zone_modifiers_place_pages)
{
	struct test_machine m;
	struct pgdat *p;
	pfn_t pfn;

	/* 4.25 GiB: Normal manages [4 GiB, 4.25 GiB) minus the memmap at its top. */
	test_boot(&m, 4 * GIB + 256 * MIB);
	p = m.pgdat;
	cr_assert_eq(page_alloc(p, GFP_KERNEL, 0, &pfn), 0);
	cr_assert_geq(pfn, ZONE_DMA32_END_PFN, "GFP_KERNEL prefers Normal");
	cr_assert_eq(page_alloc(p, GFP_HIGHUSER_MOVABLE, 0, &pfn), 0);
	cr_assert_geq(pfn, ZONE_DMA32_END_PFN, "so does user memory");
	cr_assert_eq(page_alloc(p, GFP_KERNEL | GFP_DMA32, 0, &pfn), 0);
	cr_assert(pfn >= ZONE_DMA_END_PFN && pfn < ZONE_DMA32_END_PFN, "GFP_DMA32: below 4 GiB");
	cr_assert_eq(page_alloc(p, GFP_KERNEL | GFP_DMA, 3, &pfn), 0);
	cr_assert_lt(pfn, ZONE_DMA_END_PFN, "GFP_DMA: below 16 MiB");
	cr_assert_eq(p->vmstat[VMSTAT_PGALLOC_NORMAL], 2);
	cr_assert_eq(p->vmstat[VMSTAT_PGALLOC_DMA32], 1);
	cr_assert_eq(p->vmstat[VMSTAT_PGALLOC_DMA], 8, "pgalloc counts pages, not calls");
	/* Use up Normal (48128 managed; its low watermark stops the fast path earlier) with
	 * 4 MiB blocks: the allocation then falls back to DMA32. */
	while (page_alloc(p, GFP_KERNEL, 10, &pfn) == 0 && pfn >= ZONE_DMA32_END_PFN)
		;
	cr_assert(pfn < ZONE_DMA32_END_PFN && pfn >= ZONE_DMA_END_PFN, "fell back to DMA32");
	cr_assert_leq(p->zones[ZONE_NORMAL].nr_free_pages, 1024, "Normal kept below 2 blocks");
	test_shutdown(&m);
}

/* A reclaimer for the hook tests: holds pages it may give back. */
struct fake_reclaim {
	struct pgdat *pgdat;
	pfn_t pool[8192];
	unsigned int nr_pool;
	pfn_t victims[64];
	unsigned int nr_victims;
	unsigned int kswapd_wakeups;
	enum zone_type kswapd_zone;
	unsigned int direct_calls;
	unsigned int oom_calls;
};

static void fake_wakeup(void *ctx, struct zone *zone, unsigned int order, enum zone_type highest)
{
	struct fake_reclaim *fr = ctx;

	(void)order;
	(void)highest;
	fr->kswapd_wakeups++;
	fr->kswapd_zone = zone->type;
}

static unsigned long fake_direct(void *ctx, unsigned int order, gfp_t gfp, enum zone_type highest)
{
	struct fake_reclaim *fr = ctx;
	unsigned long n = 0;

	(void)order;
	(void)gfp;
	(void)highest;
	fr->direct_calls++;
	while (fr->nr_pool && n < 32) { /* SWAP_CLUSTER_MAX */
		page_free(fr->pgdat, fr->pool[--fr->nr_pool], 0);
		n++;
	}
	return n;
}

static bool fake_oom(void *ctx, unsigned int order, gfp_t gfp)
{
	struct fake_reclaim *fr = ctx;

	(void)order;
	(void)gfp;
	fr->oom_calls++;
	if (!fr->nr_victims)
		return false;
	while (fr->nr_victims)
		page_free(fr->pgdat, fr->victims[--fr->nr_victims], 0);
	return true;
}

static void fill_memory(struct fake_reclaim *fr)
{
	pfn_t pfn;

	while (page_alloc(fr->pgdat, GFP_KERNEL | GFP_NOWARN, 0, &pfn) == 0) {
		if (fr->nr_victims < 64)
			fr->victims[fr->nr_victims++] = pfn;
		else
			fr->pool[fr->nr_pool++] = pfn;
	}
}

/* Boots a 32 MiB machine, fills its memory and installs the fake reclaim hooks. */
static struct fake_reclaim *fake_reclaim_boot(struct test_machine *m)
{
	struct fake_reclaim *fr = calloc(1, sizeof(*fr));

	cr_assert_not_null(fr);
	test_boot(m, 32 * MIB);
	/* pcp=off: the fake reclaimer's and OOM killer's frees reach the free lists at once,
	 * where the watermark checks these tests count on see them (the per-CPU lists and
	 * their drain on this path: test_pcp.c). */
	pcp_set_enabled(m->pgdat, false);
	fr->pgdat = m->pgdat;
	fill_memory(fr);
	m->pgdat->reclaim = (struct zone_reclaim_ops){ .wakeup_kswapd = fake_wakeup,
						       .direct_reclaim = fake_direct,
						       .out_of_memory = fake_oom,
						       .ctx = fr };
	return fr;
}

Test(page_alloc, slow_path_wakes_kswapd_then_reclaims)
{
	struct test_machine m;
	struct fake_reclaim *fr = fake_reclaim_boot(&m);
	pfn_t pfn;

	cr_assert_eq(page_alloc(m.pgdat, GFP_KERNEL, 0, &pfn), 0, "reclaim made room");
	cr_assert_eq(fr->kswapd_wakeups, 1);
	cr_assert_eq(fr->kswapd_zone, ZONE_DMA32, "the preferred zone with pages");
	cr_assert_eq(fr->direct_calls, 1);
	cr_assert_eq(fr->oom_calls, 0);
	cr_assert_eq(m.pgdat->vmstat[VMSTAT_ALLOCSTALL_NORMAL], 1, "highest zone of GFP_KERNEL");
	cr_assert_eq(page_alloc(m.pgdat, GFP_HIGHUSER_MOVABLE, 0, &pfn), 0);
	cr_assert_eq(m.pgdat->vmstat[VMSTAT_ALLOCSTALL_MOVABLE], 0, "31 pages were still free");
	TEST_CHECK(m.pgdat);
	free(fr);
	test_shutdown(&m);
}

Test(page_alloc, nowait_does_not_reclaim)
{
	struct test_machine m;
	struct fake_reclaim *fr = fake_reclaim_boot(&m);
	pfn_t pfn;

	cr_assert_eq(page_alloc(m.pgdat, GFP_NOWAIT, 0, &pfn), -ENOMEM);
	cr_assert_eq(fr->kswapd_wakeups, 1);
	cr_assert_eq(fr->direct_calls, 0);
	cr_assert_eq(page_alloc(m.pgdat, GFP_NOWAIT & ~GFP_KSWAPD_RECLAIM, 0, &pfn), -ENOMEM);
	cr_assert_eq(fr->kswapd_wakeups, 1, "no GFP_KSWAPD_RECLAIM, no wakeup");
	free(fr);
	test_shutdown(&m);
}

Test(page_alloc, oom_hook_when_reclaim_cannot_help)
{
	struct test_machine m;
	struct fake_reclaim *fr = fake_reclaim_boot(&m);
	pfn_t pfn;

	fr->nr_pool = 0; /* nothing reclaimable: those pages are simply kept */
	cr_assert_eq(page_alloc(m.pgdat, GFP_KERNEL, 0, &pfn), 0, "the OOM kill freed 64");
	cr_assert_eq(fr->oom_calls, 1);
	cr_assert_eq(fr->direct_calls, 1);
	while (page_alloc(m.pgdat, GFP_KERNEL | GFP_NOWARN, 0, &pfn) == 0)
		;
	cr_assert_eq(fr->oom_calls, 2, "second OOM found no victim");
	free(fr);
	test_shutdown(&m);
}

Test(page_alloc, references)
{
	struct test_machine m;
	unsigned long free0;
	pfn_t pfn;

	test_boot(&m, 32 * MIB);
	free0 = pgdat_free_pages(m.pgdat);
	cr_assert_eq(page_alloc(m.pgdat, GFP_KERNEL, 2, &pfn), 0);
	page_get(pgdat_page(m.pgdat, pfn));
	page_put(m.pgdat, pgdat_page(m.pgdat, pfn));
	cr_assert_eq(pgdat_free_pages(m.pgdat), free0 - 4, "one reference left");
	page_put(m.pgdat, pgdat_page(m.pgdat, pfn));
	cr_assert_eq(pgdat_free_pages(m.pgdat), free0, "the last reference freed the block");
	cr_assert_eq(m.pgdat->vmstat[VMSTAT_PGFREE], 7680 + 4);
	TEST_CHECK(m.pgdat);
	test_shutdown(&m);
}

Test(page_alloc, free_of_a_shared_page_is_a_bug, .signal = SIGABRT)
{
	struct test_machine m;
	pfn_t pfn;

	test_boot(&m, 32 * MIB);
	cr_assert_eq(page_alloc(m.pgdat, GFP_KERNEL, 0, &pfn), 0);
	page_get(pgdat_page(m.pgdat, pfn));
	page_free(m.pgdat, pfn, 0);
}

Test(page_alloc, gfp_zero)
{
	struct test_machine m;
	pfn_t pfn, again;
	const uint8_t *bytes;

	test_boot(&m, 32 * MIB);
	cr_assert_eq(page_alloc(m.pgdat, GFP_KERNEL, 1, &pfn), 0);
	memset(pgdat_frame(m.pgdat, pfn), 0xab, 2 * X86_PAGE_SIZE);
	page_free(m.pgdat, pfn, 1);
	cr_assert_eq(page_alloc(m.pgdat, GFP_KERNEL | GFP_ZERO, 1, &again), 0);
	cr_assert_eq(again, pfn, "the same block comes back (it merged and split again)");
	bytes = pgdat_frame(m.pgdat, again);
	for (size_t i = 0; i < 2 * X86_PAGE_SIZE; i++)
		cr_assert_eq(bytes[i], 0, "byte %zu", i);
	test_shutdown(&m);
}

/* Stress: random allocations, frees and extra references; every checker after each step. */
struct held {
	pfn_t pfn;
	unsigned int order;
	unsigned int refs;
};

Test(page_alloc, seeded_stress_with_checkers)
{
	const unsigned int seed = 20240501u, steps = 3000;
	static const gfp_t gfps[] = {
		GFP_KERNEL,	      GFP_KERNEL | GFP_DMA32, GFP_KERNEL | GFP_DMA,
		GFP_HIGHUSER_MOVABLE, GFP_KERNEL | GFP_ZERO,  GFP_HIGHUSER_MOVABLE | GFP_MEMALLOC
	};
	struct test_machine m;
	struct held *held = calloc(steps, sizeof(*held));
	unsigned int nr_held = 0, rng = seed;
	unsigned long free0;

	test_boot(&m, 32 * MIB);
	free0 = pgdat_free_pages(m.pgdat);
	for (unsigned int step = 0; step < steps; step++) {
		unsigned int r = (rng = rng * 1664525u + 1013904223u) >> 8;
		struct check_report why;

		if (nr_held == 0 || r % 8 < 4) {
			unsigned int order = r % 5 < 3 ? 0 : 1 + (r >> 4) % BUDDY_MAX_ORDER;
			gfp_t gfp = gfps[(r >> 10) % (ARRAY_SIZE(gfps))] | GFP_NOWARN;
			pfn_t pfn;

			if (page_alloc(m.pgdat, gfp, order, &pfn) == 0) {
				cr_assert_eq(pfn & ((UINT64_C(1) << order) - 1), 0,
					     "seed %u step %u: misaligned block", seed, step);
				if (gfp & GFP_DMA)
					cr_assert_lt(pfn, ZONE_DMA_END_PFN, "seed %u step %u", seed,
						     step);
				held[nr_held++] = (struct held){ pfn, order, 1 };
			}
		} else if (r % 8 == 4) {
			struct held *h = &held[(r >> 3) % nr_held];

			page_get(pgdat_page(m.pgdat, h->pfn));
			h->refs++;
		} else {
			unsigned int i = (r >> 3) % nr_held;
			struct held *h = &held[i];

			if (h->refs > 1 || r % 2)
				page_put(m.pgdat, pgdat_page(m.pgdat, h->pfn));
			else
				page_free(m.pgdat, h->pfn, h->order);
			if (--h->refs == 0)
				held[i] = held[--nr_held];
		}
		check_report_clear(&why);
		cr_assert(check_node(m.pgdat, &why), "seed %u step %u: %s", seed, step, why.reason);
	}
	while (nr_held) {
		struct held *h = &held[--nr_held];

		while (h->refs--)
			page_put(m.pgdat, pgdat_page(m.pgdat, h->pfn));
	}
	/* The pages freed last wait on the per-CPU lists: drain_all_pages() first. */
	pcp_drain_all(m.pgdat);
	cr_assert_eq(pgdat_free_pages(m.pgdat), free0, "seed %u: everything came back", seed);
	for (unsigned int t = 0; t < ZONE_NR_TYPES; t++)
		cr_assert_eq(buddy_max_free_order(&m.pgdat->zones[t]),
			     zone_managed(&m.pgdat->zones[t]) ? (int)BUDDY_MAX_ORDER : -1,
			     "seed %u: zone %u merged back", seed, t);
	TEST_CHECK(m.pgdat);
	free(held);
	test_shutdown(&m);
}
