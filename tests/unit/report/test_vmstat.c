/*
 * tests/unit/report/test_vmstat.c: /proc/vmstat lines.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "mm/mm_test_machine.h"
#include "mm/page_alloc.h"
#include "report/report.h"
#include "util/strbuf.h"

Test(vmstat_report, name_value_lines)
{
	struct test_machine m;
	struct strbuf sb;
	pfn_t pfn;

	test_boot(&m, 32 * MIB);
	cr_assert_eq(page_alloc(m.pgdat, GFP_KERNEL, 1, &pfn), 0);
	strbuf_init(&sb);
	report_vmstat(&sb, m.pgdat);
	cr_assert(!strncmp(strbuf_str(&sb), "nr_free_pages 7678\n", 19), "%s", strbuf_str(&sb));
	cr_assert(strstr(strbuf_str(&sb), "\npgalloc_dma32 2\n"));
	cr_assert(strstr(strbuf_str(&sb), "\npgfree 7680\n"));
	cr_assert(strstr(strbuf_str(&sb), "\noom_kill 0\n"));
	strbuf_fini(&sb);
	test_shutdown(&m);
}
