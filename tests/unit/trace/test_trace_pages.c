/*
 * tests/unit/trace/test_trace_pages.c: text page lists. Page p is a 1-byte write at
 * MMSIM_TRACE_PAGE_BASE + p * 4096.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "trace/trace_pages.h"
#include "trace/trace_source.h"
#include "trace/trace_test_util.h"

#define PG(pd, pg)                                                                         \
	((struct mmsim_trace_record){ .kind = MMSIM_TRACE_STORE,                           \
				      .addr = MMSIM_TRACE_PAGE_BASE + (uint64_t)(pg)*4096, \
				      .size = 1,                                           \
				      .pid = (pd) })

Test(trace_pages, one_and_two_columns)
{
	const char *one = "# Belady\n1\n 2\n\n0x3 \r\n";
	const char *two = "7 0\n\t8\t17179869183\n";
	struct mmsim_trace_record w1[] = { PG(0, 1), PG(0, 2), PG(0, 3) };
	struct mmsim_trace_record w2[] = { PG(7, 0), PG(8, TRACE_PAGES_MAX) };
	struct tt_trace t = tt_read_as(one, strlen(one), MMSIM_TRACE_FORMAT_PAGES, 4096);

	tt_assert_read(&t, w1, 3);
	t = tt_read_as(two, strlen(two), MMSIM_TRACE_FORMAT_PAGES, 4096);
	tt_assert_read(&t, w2, 2);
}

Test(trace_pages, errors_name_line_and_column)
{
	static const struct {
		const char *text, *msg;
	} cases[] = {
		{ "1\n1 2\n", "t:2:1: 2 columns here, but line 1 had 1" },
		{ "1 2\n# c\n3\n", "t:3:1: 1 column here, but line 1 had 2" },
		{ "1 2 3\n", "t:1:5: unexpected text after the page" },
		{ "a\n", "t:1:1: expected a page number" },
		{ "12x\n", "t:1:1: expected a page number" },
		{ "17179869184\n", "t:1:1: page 17179869184 is above the largest" },
		{ "4294967296 1\n", "t:1:1: pid does not fit in 32 bits" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct tt_trace t = tt_read_as(cases[i].text, strlen(cases[i].text),
					       MMSIM_TRACE_FORMAT_PAGES, 4096);

		cr_assert_eq(t.ret, -EINVAL, "case %zu", i);
		cr_assert(strncmp(t.err.msg, cases[i].msg, strlen(cases[i].msg)) == 0,
			  "case %zu: %s", i, t.err.msg);
		free(t.recs);
	}
}

Test(trace_pages, format_refuses_addresses_below_the_base)
{
	char out[TRACE_PAGES_FORMAT_MAX];
	struct mmsim_trace_record low = PG(0, 0);

	cr_assert_eq(trace_pages_format(&PG(3, 5), out), 4);
	cr_assert_eq(memcmp(out, "3 5\n", 4), 0);
	low.addr = MMSIM_TRACE_PAGE_BASE - 1;
	cr_assert_eq(trace_pages_format(&low, out), 0);
}
