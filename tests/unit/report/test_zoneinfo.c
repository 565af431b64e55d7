/*
 * tests/unit/report/test_zoneinfo.c: /proc/zoneinfo blocks, Linux 6.x layout. The
 * watermarks of the 32 MiB machine are derived by hand in tests/unit/mm/test_zone.c. Its
 * DMA zone (3712 pages) has a batch size of 0 (zone_batchsize(): 3712 >> 10 = 3, / 4 = 0,
 * raised to 1, rounddown_pow_of_two(1) - 1 = 0), so its pageset gets batch max(1, 0) = 1
 * and high = zone_highsize() = max(low 105 / 1 CPU, 4 * 1) = 105 (Linux 6.1-6.6);
 * vm stats threshold = 2 * fls(1 CPU) * (1 + fls(3712 >> 15 = 0)) = 2.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "mm/mm_test_machine.h"
#include "report/report.h"
#include "util/strbuf.h"

Test(zoneinfo, dma_block_32mib)
{
	struct test_machine m;
	struct strbuf sb;

	test_boot(&m, 32 * MIB);
	strbuf_init(&sb);
	report_zoneinfo(&sb, m.pgdat);
	cr_assert(!strncmp(strbuf_str(&sb),
			   "Node 0, zone      DMA\n"
			   "  pages free     3712\n"
			   "        boost    0\n"
			   "        min      84\n"
			   "        low      105\n"
			   "        high     126\n"
			   "        promo    147\n"
			   "        spanned  4095\n"
			   "        present  3998\n"
			   "        managed  3712\n"
			   "        cma      0\n"
			   "        protection: (0, 15, 15, 15, 15)\n"
			   "      nr_free_pages 3712\n"
			   "  pagesets\n"
			   "    cpu: 0\n"
			   "              count: 0\n"
			   "              high:  105\n"
			   "              batch: 1\n"
			   "  vm stats threshold: 2\n"
			   "  node_unreclaimable:  0\n"
			   "  start_pfn:           1\n"
			   "Node 0, zone    DMA32\n",
			   strlen("Node 0, zone      DMA\n  pages free     3712\n")),
		  "%s", strbuf_str(&sb));
	cr_assert(strstr(strbuf_str(&sb), "        min      84\n        low      105\n"
					  "        high     126\n        promo    147\n"
					  "        spanned  4095\n        present  3998\n"
					  "        managed  3712\n        cma      0\n"
					  "        protection: (0, 15, 15, 15, 15)\n"
					  "      nr_free_pages 3712\n"
					  "  pagesets\n    cpu: 0\n              count: 0\n"
					  "              high:  105\n              batch: 1\n"
					  "  vm stats threshold: 2\n"
					  "  node_unreclaimable:  0\n  start_pfn:           1\n"
					  "Node 0, zone    DMA32\n"),
		  "%s", strbuf_str(&sb));
	strbuf_fini(&sb);
	test_shutdown(&m);
}

Test(zoneinfo, empty_zones_stop_after_protection)
{
	struct test_machine m;
	struct strbuf sb;

	test_boot(&m, 32 * MIB);
	strbuf_init(&sb);
	report_zoneinfo(&sb, m.pgdat);
	cr_assert(strstr(strbuf_str(&sb), "Node 0, zone   Normal\n"
					  "  pages free     0\n"
					  "        boost    0\n"
					  "        min      0\n"
					  "        low      0\n"
					  "        high     0\n"
					  "        promo    0\n"
					  "        spanned  0\n"
					  "        present  0\n"
					  "        managed  0\n"
					  "        cma      0\n"
					  "        protection: (0, 0, 0, 0, 0)\n"
					  "Node 0, zone  Movable\n"),
		  "%s", strbuf_str(&sb));
	cr_assert(strstr(strbuf_str(&sb), "Node 0, zone   Device\n"));
	strbuf_fini(&sb);
	test_shutdown(&m);
}

/* A 2 GiB machine's DMA32 pageset: batch 63 (min(managed >> 10, 256) / 4 = 64,
 * rounddown_pow_of_two(96) - 1), high = the low watermark (one CPU), and the threshold from
 * calculate_normal_threshold() with the zone's size in 128 MiB units. */
Test(zoneinfo, dma32_pageset_2gib)
{
	struct test_machine m;
	struct strbuf sb;
	char want[256];
	const struct zone *z;
	unsigned long units;
	int fls = 0;

	test_boot(&m, 2 * GIB);
	z = &m.pgdat->zones[ZONE_DMA32];
	units = z->managed_pages >> 15;
	while (units >> fls)
		fls++;
	snprintf(want, sizeof(want),
		 "  pagesets\n    cpu: 0\n              count: 0\n              high:  %lu\n"
		 "              batch: 63\n  vm stats threshold: %d\n  node_unreclaimable:  0\n"
		 "  start_pfn:           4096\n",
		 z->watermark[ZONE_WMARK_LOW], 2 * (1 + fls));
	strbuf_init(&sb);
	report_zoneinfo(&sb, m.pgdat);
	cr_assert(strstr(strbuf_str(&sb), want), "want\n%s\nin\n%s", want, strbuf_str(&sb));
	strbuf_fini(&sb);
	test_shutdown(&m);
}
