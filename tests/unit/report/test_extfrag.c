/*
 * tests/unit/report/test_extfrag.c: Linux's unusable free space index and fragmentation
 * index, computed by hand for the 32 MiB machine's DMA32 zone (3968 free pages: one block
 * each of order 7, 8, 9 and three of order 10).
 */
#include <criterion/criterion.h>
#include <string.h>

#include "mm/buddy.h"
#include "mm/mm_test_machine.h"
#include "report/report.h"
#include "util/strbuf.h"

Test(extfrag, unusable_index_at_boot)
{
	struct test_machine m;
	const struct zone *z;

	test_boot(&m, 32 * MIB);
	z = &m.pgdat->zones[ZONE_DMA32];
	cr_assert_eq(report_unusable_free_index(z, 0), 0);
	/* Order 8: suitable = 1 + 2 + 12 blocks of 256 = 3840 pages; (3968 - 3840) / 3968. */
	cr_assert_eq(report_unusable_free_index(z, 8), 32);
	/* Order 10: 3 * 1024 usable; 896 / 3968 = 0.2258. */
	cr_assert_eq(report_unusable_free_index(z, 10), 225);
	cr_assert_eq(report_fragmentation_index(z, 10), -1000, "the request would succeed");
	test_shutdown(&m);
}

Test(extfrag, fragmentation_index_when_a_request_would_fail)
{
	struct test_machine m;
	struct zone *z;
	pfn_t pfn;

	test_boot(&m, 32 * MIB);
	z = &m.pgdat->zones[ZONE_DMA32];
	for (int i = 0; i < 3; i++)
		cr_assert_eq(buddy_alloc(z, 10, &pfn), 0);
	/* Left: 896 pages in 3 blocks. 1000 - (1000 + 896 * 1000 / 1024) / 3 = 375. */
	cr_assert_eq(report_fragmentation_index(z, 10), 375);
	cr_assert_eq(report_unusable_free_index(z, 10), 1000);
	test_shutdown(&m);
}

Test(extfrag, empty_zone_values)
{
	struct zone z;

	memset(&z, 0, sizeof(z));
	cr_assert_eq(report_unusable_free_index(&z, 3), 1000, "nothing free: all unusable");
	cr_assert_eq(report_fragmentation_index(&z, 3), 0, "nothing free: lack of memory");
}

Test(extfrag, printed_like_debugfs)
{
	struct test_machine m;
	struct strbuf sb;

	test_boot(&m, 32 * MIB);
	strbuf_init(&sb);
	report_extfrag_unusable(&sb, m.pgdat);
	cr_assert(strstr(strbuf_str(&sb), "Node 0, zone    DMA32 0.000 0.000 0.000 0.000 0.000 "
					  "0.000 0.000 0.000 0.032 0.096 0.225 \n"),
		  "%s", strbuf_str(&sb));
	strbuf_reset(&sb);
	report_extfrag_index(&sb, m.pgdat);
	cr_assert(strstr(strbuf_str(&sb), "Node 0, zone    DMA32 -1.000 -1.000 -1.000 -1.000 "
					  "-1.000 -1.000 -1.000 -1.000 -1.000 -1.000 -1.000 \n"),
		  "%s", strbuf_str(&sb));
	strbuf_fini(&sb);
	test_shutdown(&m);
}
