/*
 * tests/unit/trace/test_trace_din.c: Dinero IV din text, in and out.
 *
 * Expected records are read off the text by eye: label 0 read, 1 write, 2 fetch (Dinero
 * IV's din labels), hex address; 1 byte, pid 0.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "trace/trace_din.h"
#include "trace/trace_source.h"
#include "trace/trace_test_util.h"

#define REC(k, a) ((struct mmsim_trace_record){ .kind = MMSIM_TRACE_##k, .addr = (a), .size = 1 })

Test(trace_din, reads_labels_and_addresses_across_buffer_edges)
{
	char text[20000];
	struct mmsim_trace_record want[1000];
	size_t len = 0;

	for (unsigned int i = 0; i < 1000; i++) {
		static const enum mmsim_trace_kind k[3] = { MMSIM_TRACE_LOAD, MMSIM_TRACE_STORE,
							    MMSIM_TRACE_IFETCH };
		uint64_t a = 0x7f0000001000ULL + i * 0x123;

		len += (size_t)snprintf(text + len, sizeof(text) - len, "%s%u\t%llx%s\n",
					i % 7 ? "" : "  ", i % 3, (unsigned long long)a,
					i % 5 ? "" : " \r");
		want[i] = (struct mmsim_trace_record){ .kind = k[i % 3], .addr = a, .size = 1 };
	}
	struct tt_trace t = tt_read_as(text, len, MMSIM_TRACE_FORMAT_DIN, TRACE_SOURCE_BUF_MIN);

	tt_assert_read(&t, want, 1000);
}

Test(trace_din, errors_name_line_and_column)
{
	static const struct {
		const char *text, *msg;
	} cases[] = {
		{ "0 10\nx 10\n", "t:2:1: expected a din label" },
		{ "0 10\n5 10\n", "t:2:1: din label 5 is not an access" },
		{ "0 10\n0\n", "t:2:2: expected a hex address after the label" },
		{ "0 10\n0 10 4\n", "t:2:6: unexpected text after the address" },
		{ "0 10000000000000000\n", "t:1:3: address does not fit in 64 bits" },
		{ "0 10\n0 1\0\n", "t:2:4: NUL byte: this is not a din text trace" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t len = strlen(cases[i].text);
		struct tt_trace t;

		if (i == 5)
			len = 10;
		t = tt_read_as(cases[i].text, len, MMSIM_TRACE_FORMAT_DIN, 4096);
		cr_assert_eq(t.ret, -EINVAL, "case %zu", i);
		cr_assert(strncmp(t.err.msg, cases[i].msg, strlen(cases[i].msg)) == 0,
			  "case %zu: %s", i, t.err.msg);
		free(t.recs);
	}
}

Test(trace_din, format_writes_what_the_reader_reads)
{
	char out[TRACE_DIN_FORMAT_MAX];

	cr_assert_eq(trace_din_format(&REC(LOAD, 0x10), out), 5);
	cr_assert_eq(memcmp(out, "0 10\n", 5), 0);
	cr_assert_eq(trace_din_format(&REC(IFETCH, 0xffffffffffffffffULL), out), 19);
	cr_assert_eq(memcmp(out, "2 ffffffffffffffff\n", 19), 0);
	/* A modify has no label: a read then a write. */
	cr_assert_eq(trace_din_format(&REC(MODIFY, 0xab), out), 10);
	cr_assert_eq(memcmp(out, "0 ab\n1 ab\n", 10), 0);
}
