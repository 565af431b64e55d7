/*
 * tests/unit/kernel/test_kswapd.c: when kswapd stops (mm/vmscan.c balanced()).
 *
 * Linux pgdat_balanced() (mm/vmscan.c, 6.6): the node is balanced as soon as ONE managed
 * zone up to kswapd's highest_zoneidx passes zone_watermark_ok_safe(zone, order,
 * high_wmark_pages(zone), highest_zoneidx), so a lower zone counts only above its high
 * watermark plus its lowmem_reserve[highest_zoneidx]. wakeup_kswapd() records the waker's
 * highest_zoneidx and order and does not wake kswapd for a node balanced for them.
 *
 * The 64 MiB machine has DMA (16 MiB) and DMA32 (48 MiB). One process writes anonymous
 * pages until DMA32 is below its high watermark but above low: every user page comes from
 * DMA32 (no fallback while DMA32 is above low), DMA stays nearly free, and nothing has
 * woken kswapd yet. Then kswapd is woken by hand as an allocation would.
 */
#include <criterion/criterion.h>

#include "kernel/system.h"
#include "mm/core.h"
#include "mm/page_alloc.h"
#include "mm/pgdat.h"
#include "mm/vmscan.h"
#include "mm/zone.h"
#include "mmsim/mmsim.h"

#define PAGE 4096u

static struct mmsim_system *boot(void)
{
	struct mmsim_config c;
	struct mmsim_system *s;
	struct mmsim_error e = { 0 };

	mmsim_config_default(&c);
	cr_assert_eq(mmsim_config_set(&c, "mem", "64M", &e), 0, "%s", e.msg);
	cr_assert_eq(mmsim_config_set(&c, "swap", "256M", &e), 0, "%s", e.msg);
	cr_assert_eq(mmsim_config_set(&c, "reclaim", "linux", &e), 0, "%s", e.msg);
	cr_assert_eq(mmsim_system_create(&c, &s, &e), 0, "%s", e.msg);
	return s;
}

static uint64_t counter(struct mmsim_system *s, const char *name)
{
	uint64_t v = 0;

	cr_assert_eq(mmsim_counter(s, name, &v), 0, "%s", name);
	return v;
}

static unsigned long high(const struct zone *z)
{
	return zone_wmark_pages(z, ZONE_WMARK_HIGH);
}

/* Writes pages of a fresh mapping until DMA32 is below its high watermark (not low). */
static void fill_dma32_below_high(struct mmsim_system *s)
{
	const struct zone *dma32 = &s->pgdat->zones[ZONE_DMA32];
	struct mmsim_task *p;
	uint64_t a;
	const uint64_t pages = 16384; /* 64 MiB: more than DMA32 holds */

	cr_assert_eq(mmsim_task_spawn(s, &p), 0);
	cr_assert_eq(mmsim_mmap(p, 0, pages * PAGE, MMSIM_PROT_READ | MMSIM_PROT_WRITE,
				MMSIM_MAP_PRIVATE | MMSIM_MAP_ANONYMOUS, &a),
		     0);
	for (uint64_t i = 0; i < pages && dma32->nr_free_pages >= high(dma32); i++)
		cr_assert_eq(mmsim_access(p, a + i * PAGE, MMSIM_ACCESS_WRITE, true), 0);
	cr_assert_lt(dma32->nr_free_pages, high(dma32));
	cr_assert_gt(dma32->nr_free_pages, zone_wmark_pages(dma32, ZONE_WMARK_LOW));
	cr_assert_eq(counter(s, "pageoutrun"), 0, "nothing fell below low yet");
}

/* An allocation's wakeup_kswapd() for highest (the zone_reclaim_ops hook). */
static void wake(struct mmsim_system *s, enum zone_type highest)
{
	const struct zone_reclaim_ops *ops = &s->pgdat->reclaim;

	ops->wakeup_kswapd(ops->ctx, &s->pgdat->zones[ZONE_DMA32], 0, highest);
}

/* A user page's waker (GFP_HIGHUSER_MOVABLE: highest ZONE_MOVABLE). DMA is above its high
 * watermark plus its reserve, so the node is balanced though DMA32 is below high: Linux
 * does not wake kswapd, and a kswapd already awake reclaims nothing. The rule before
 * (every populated zone above high) reclaimed until DMA32 was above high. */
Test(kswapd, one_balanced_zone_is_enough)
{
	struct mmsim_system *s = boot();
	const struct zone *dma = &s->pgdat->zones[ZONE_DMA];

	fill_dma32_below_high(s);
	cr_assert_gt(dma->nr_free_pages, high(dma) + dma->lowmem_reserve[ZONE_MOVABLE]);
	wake(s, ZONE_MOVABLE);
	cr_assert_not(s->core.kswapd_pending, "wakeup_kswapd(): the node is balanced");
	s->core.kswapd_pending = true; /* as if woken earlier and still running */
	vmscan_run_kswapd(&s->core);
	cr_assert_eq(counter(s, "pageoutrun"), 1);
	cr_assert_eq(counter(s, "pgscan_kswapd"), 0, "balance_pgdat() found it balanced");
	cr_assert_eq(counter(s, "pgsteal_kswapd"), 0);
	mmsim_system_destroy(s);
}

/* DMA's free pages: above its high watermark, below high + lowmem_reserve. Kernel pages
 * taken from DMA (GFP_KERNEL | GFP_DMA) bring it there. */
static void take_dma_to_between(struct mmsim_system *s, pfn_t *taken, unsigned long *n)
{
	const struct zone *dma = &s->pgdat->zones[ZONE_DMA];
	unsigned long want = high(dma) + dma->lowmem_reserve[ZONE_MOVABLE] / 2;

	cr_assert_gt(dma->lowmem_reserve[ZONE_MOVABLE], 2);
	*n = 0;
	while (dma->nr_free_pages > want)
		cr_assert_eq(page_alloc(s->pgdat, GFP_KERNEL | GFP_DMA, 0, &taken[(*n)++]), 0);
	cr_assert_gt(dma->nr_free_pages, high(dma));
	cr_assert_leq(dma->nr_free_pages, high(dma) + dma->lowmem_reserve[ZONE_MOVABLE]);
}

static void give_back(struct mmsim_system *s, const pfn_t *taken, unsigned long n)
{
	for (unsigned long i = 0; i < n; i++)
		page_free(s->pgdat, taken[i], 0);
}

/* The same DMA free pages, two wakers. For a user page (highest ZONE_MOVABLE) DMA's
 * lowmem_reserve[ZONE_MOVABLE] counts against it, so DMA is not balanced and kswapd
 * reclaims until DMA32 is above its high watermark. */
Test(kswapd, lowmem_reserve_keeps_a_lower_zone_from_counting)
{
	struct mmsim_system *s = boot();
	const struct zone *dma32 = &s->pgdat->zones[ZONE_DMA32];
	static pfn_t taken[4096];
	unsigned long n;

	fill_dma32_below_high(s);
	take_dma_to_between(s, taken, &n);
	wake(s, ZONE_MOVABLE);
	cr_assert(s->core.kswapd_pending, "DMA is below high + lowmem_reserve[ZONE_MOVABLE]");
	vmscan_run_kswapd(&s->core);
	cr_assert_eq(counter(s, "pageoutrun"), 1);
	cr_assert_gt(counter(s, "pgsteal_kswapd"), 0);
	cr_assert_geq(dma32->nr_free_pages, high(dma32), "reclaimed until DMA32 is balanced");
	cr_assert_lt(dma32->nr_free_pages, high(dma32) + 2 * 32,
		     "and not much further: it stops at the first balanced check");
	give_back(s, taken, n);
	mmsim_system_destroy(s);
}

/* A GFP_DMA waker (highest ZONE_DMA): DMA's reserve against itself is 0, so DMA above its
 * high watermark balances the node; DMA32 is not eligible and is not looked at. */
Test(kswapd, a_dma_waker_sees_only_dma)
{
	struct mmsim_system *s = boot();
	static pfn_t taken[4096];
	unsigned long n;

	fill_dma32_below_high(s);
	take_dma_to_between(s, taken, &n);
	wake(s, ZONE_DMA);
	cr_assert_not(s->core.kswapd_pending);
	s->core.kswapd_pending = true;
	vmscan_run_kswapd(&s->core);
	cr_assert_eq(counter(s, "pgscan_kswapd"), 0);
	/* The same node is not balanced for a user page's waker. */
	wake(s, ZONE_MOVABLE);
	cr_assert(s->core.kswapd_pending);
	give_back(s, taken, n);
	mmsim_system_destroy(s);
}
