/*
 * tests/unit/report/test_buddyinfo.c: /proc/buddyinfo, column for column.
 * The free blocks of the 32 MiB machine at boot are derived in tests/unit/mm/test_buddy.c.
 */
#include <criterion/criterion.h>

#include "mm/mm_test_machine.h"
#include "mm/page_alloc.h"
#include "report/report.h"
#include "util/strbuf.h"

Test(buddyinfo, boot_layout_32mib)
{
	struct test_machine m;
	struct strbuf sb;

	test_boot(&m, 32 * MIB);
	strbuf_init(&sb);
	report_buddyinfo(&sb, m.pgdat);
	/* DMA: 384 order 7, 512 order 9, 1024/2048/3072 order 10. Populated zones only. */
	cr_assert_str_eq(strbuf_str(&sb),
			 "Node 0, zone      DMA      0      0      0      0      0      0      0"
			 "      1      0      1      3 \n"
			 "Node 0, zone    DMA32      0      0      0      0      0      0      0"
			 "      1      1      1      3 \n");
	strbuf_fini(&sb);
	test_shutdown(&m);
}

Test(buddyinfo, after_a_split)
{
	struct test_machine m;
	struct strbuf sb;
	pfn_t pfn;

	test_boot(&m, 32 * MIB);
	cr_assert_eq(page_alloc(m.pgdat, GFP_KERNEL, 0, &pfn), 0);
	strbuf_init(&sb);
	report_buddyinfo(&sb, m.pgdat);
	cr_assert(strstr(strbuf_str(&sb), "Node 0, zone    DMA32      1      1      1      1      1"
					  "      1      1      0      1      1      3 \n"),
		  "%s", strbuf_str(&sb));
	strbuf_fini(&sb);
	test_shutdown(&m);
}
