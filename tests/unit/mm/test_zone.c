/*
 * tests/unit/mm/test_zone.c: watermarks, lowmem reserves and totalreserve_pages.
 *
 * Every expected number below is worked out by hand from Linux 6.x mm/page_alloc.c
 * (calculate_min_free_kbytes(), __setup_per_zone_wmarks(),
 * setup_per_zone_lowmem_reserve(), calculate_totalreserve_pages()) for the managed pages
 * of each machine, not copied from mmsim's output:
 *   min_free_kbytes = clamp(int_sqrt(4 * managed_total * 16), 128, 262144)
 *   pages_min = min_free_kbytes / 4; zone min = pages_min * managed / managed_total
 *   step = max(min / 4, managed * 10 / 10000); low = min + step; high = low + step
 *   lowmem_reserve[j] of DMA = (managed of DMA32..j) / 256
 */
#include <criterion/criterion.h>
#include <errno.h>

#include "mm/mm_test_machine.h"
#include "mm/zone.h"

static void assert_wmarks(const struct zone *z, unsigned long min, unsigned long low,
			  unsigned long high)
{
	cr_assert_eq(z->watermark[ZONE_WMARK_MIN], min, "%s min %lu want %lu", z->name,
		     z->watermark[ZONE_WMARK_MIN], min);
	cr_assert_eq(z->watermark[ZONE_WMARK_LOW], low, "%s low %lu want %lu", z->name,
		     z->watermark[ZONE_WMARK_LOW], low);
	cr_assert_eq(z->watermark[ZONE_WMARK_HIGH], high, "%s high %lu want %lu", z->name,
		     z->watermark[ZONE_WMARK_HIGH], high);
}

Test(zone, int_sqrt)
{
	cr_assert_eq(zone_int_sqrt(0), 0);
	cr_assert_eq(zone_int_sqrt(1), 1);
	cr_assert_eq(zone_int_sqrt(15), 3);
	cr_assert_eq(zone_int_sqrt(16), 4);
	cr_assert_eq(zone_int_sqrt(4046848), 2011); /* 2011^2 = 4044121 < 4046848 < 2012^2 */
	cr_assert_eq(zone_int_sqrt(65519616), 8094);
	cr_assert_eq(zone_int_sqrt(~0ul), 4294967295ul);
}

Test(zone, watermarks_256mib)
{
	struct test_machine m;
	const struct zone *dma, *dma32;

	test_boot(&m, 256 * MIB);
	dma = &m.pgdat->zones[ZONE_DMA];
	dma32 = &m.pgdat->zones[ZONE_DMA32];
	/* managed: DMA 3840, DMA32 59392, total 63232 pages = 252928 kB.
	 * min_free_kbytes = int_sqrt(252928 * 16 = 4046848) = 2011; pages_min = 502. */
	cr_assert_eq(m.pgdat->min_free_kbytes, 2011);
	/* DMA: 502 * 3840 / 63232 = 30; step max(7, 3) = 7. */
	assert_wmarks(dma, 30, 37, 44);
	/* DMA32: 502 * 59392 / 63232 = 471; step max(117, 59) = 117. */
	assert_wmarks(dma32, 471, 588, 705);
	cr_assert_eq(dma32->watermark[ZONE_WMARK_PROMO], 822);
	/* Empty zones: Normal 0; Movable's min is clamp(0 / 1024, 32, 128) = 32 (Linux 6.x). */
	assert_wmarks(&m.pgdat->zones[ZONE_NORMAL], 0, 0, 0);
	assert_wmarks(&m.pgdat->zones[ZONE_MOVABLE], 32, 32, 32);
	/* lowmem_reserve of DMA: 59392 / 256 = 232 against every higher zone. */
	cr_assert_eq(dma->lowmem_reserve[ZONE_DMA], 0);
	for (unsigned int j = ZONE_DMA32; j < ZONE_NR_TYPES; j++)
		cr_assert_eq(dma->lowmem_reserve[j], 232, "DMA protection[%u]", j);
	for (unsigned int j = 0; j < ZONE_NR_TYPES; j++)
		cr_assert_eq(dma32->lowmem_reserve[j], 0, "nothing above DMA32 is managed");
	/* totalreserve: DMA 232 + 44, DMA32 0 + 705, Movable min(32, 0 managed) = 0. */
	cr_assert_eq(m.pgdat->totalreserve_pages, 276 + 705);
	test_shutdown(&m);
}

Test(zone, watermarks_4gib)
{
	struct test_machine m;
	const struct zone *dma, *dma32;

	test_boot(&m, 4 * GIB);
	dma = &m.pgdat->zones[ZONE_DMA];
	dma32 = &m.pgdat->zones[ZONE_DMA32];
	/* managed: DMA 3840, DMA32 1044480 - 8192 (kernel) - 16384 (memmap) = 1019904;
	 * total 1023744 pages = 4094976 kB; int_sqrt(65519616) = 8094; pages_min = 2023. */
	cr_assert_eq(dma32->managed_pages, 1019904);
	cr_assert_eq(m.pgdat->min_free_kbytes, 8094);
	/* DMA: 2023 * 3840 / 1023744 = 7; step max(1, 3) = 3. */
	assert_wmarks(dma, 7, 10, 13);
	/* DMA32: 2023 * 1019904 / 1023744 = 2015; step max(503, 1010 + 9 = 1019) = 1019:
	 * here the watermark_scale_factor term wins, as on real machines of a few GiB. */
	assert_wmarks(dma32, 2015, 3034, 4053);
	/* lowmem_reserve of DMA: 1019904 / 256 = 3984. */
	cr_assert_eq(dma->lowmem_reserve[ZONE_NORMAL], 3984);
	/* totalreserve: DMA min(3840, 3984 + 13) = 3840, DMA32 4053. */
	cr_assert_eq(m.pgdat->totalreserve_pages, 3840 + 4053);
	test_shutdown(&m);
}

Test(zone, watermarks_32mib)
{
	struct test_machine m;

	test_boot(&m, 32 * MIB);
	/* managed DMA 3712, DMA32 3968, total 7680 = 30720 kB; int_sqrt(491520) = 701;
	 * pages_min 175; DMA 175 * 3712 / 7680 = 84, DMA32 175 * 3968 / 7680 = 90. */
	cr_assert_eq(m.pgdat->min_free_kbytes, 701);
	assert_wmarks(&m.pgdat->zones[ZONE_DMA], 84, 105, 126);
	assert_wmarks(&m.pgdat->zones[ZONE_DMA32], 90, 112, 134);
	cr_assert_eq(m.pgdat->zones[ZONE_DMA].lowmem_reserve[ZONE_NORMAL], 15); /* 3968/256 */
	test_shutdown(&m);
}

Test(zone, min_free_kbytes_lower_clamp)
{
	struct test_machine m;

	/* 4 MiB: 624 managed pages = 2496 kB; int_sqrt(39936) = 199 (above the 128 clamp). */
	test_boot(&m, 4 * MIB);
	cr_assert_eq(m.pgdat->min_free_kbytes, 199);
	test_shutdown(&m);
}

Test(zone, sysctls_recompute_watermarks)
{
	struct test_machine m;

	test_boot(&m, 256 * MIB);
	/* vm.min_free_kbytes = 4096: pages_min 1024; DMA32 1024 * 59392 / 63232 = 961,
	 * step max(240, 59) = 240. */
	zone_set_min_free_kbytes(m.pgdat, 4096);
	assert_wmarks(&m.pgdat->zones[ZONE_DMA32], 961, 1201, 1441);
	/* vm.watermark_scale_factor = 100: step max(240, 500 + 93 = 593) = 593. */
	cr_assert_eq(zone_set_watermark_scale_factor(m.pgdat, 100), 0);
	assert_wmarks(&m.pgdat->zones[ZONE_DMA32], 961, 1554, 2147);
	cr_assert_eq(zone_set_watermark_scale_factor(m.pgdat, 0), -EINVAL);
	cr_assert_eq(zone_set_watermark_scale_factor(m.pgdat, 3001), -EINVAL);
	test_shutdown(&m);
}

Test(zone, watermark_ok_counts_the_order_and_the_reserve)
{
	struct test_machine m;
	struct zone *dma;

	test_boot(&m, 32 * MIB);
	dma = &m.pgdat->zones[ZONE_DMA];
	/* 3712 free; against min 84: fine for DMA itself, and for Normal with reserve 15. */
	cr_assert(zone_watermark_ok(dma, 0, 84, ZONE_DMA));
	cr_assert(zone_watermark_ok(dma, 0, 3711 - 15, ZONE_DMA));
	cr_assert(!zone_watermark_ok(dma, 0, 3712 - 15, ZONE_NORMAL), "free <= mark + reserve");
	cr_assert(zone_watermark_ok(dma, 0, 3711 - 15 - 1, ZONE_NORMAL));
	/* Order 10 subtracts 1023 pages and needs an order-10 block (DMA has three). */
	cr_assert(zone_watermark_ok(dma, 10, 3712 - 1023 - 1, ZONE_DMA));
	cr_assert(!zone_watermark_ok(dma, 10, 3712 - 1023, ZONE_DMA));
	test_shutdown(&m);
}

Test(zone, names)
{
	cr_assert_str_eq(zone_name(ZONE_DMA), "DMA");
	cr_assert_str_eq(zone_name(ZONE_DMA32), "DMA32");
	cr_assert_str_eq(zone_name(ZONE_NORMAL), "Normal");
	cr_assert_str_eq(zone_name(ZONE_MOVABLE), "Movable");
	cr_assert_str_eq(zone_name(ZONE_DEVICE), "Device");
	cr_assert_str_eq(zone_name(ZONE_NR_TYPES), "?");
}
