/*
 * tests/unit/trace/test_trace_text.c: whole lines and numbers for the strict text formats.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>

#include "mmsim/error.h"
#include "trace/trace_source.h"
#include "trace/trace_text.h"

Test(trace_text, lines_without_newline_or_carriage_return)
{
	const char *text = "ab\r\n\ncd";
	struct trace_source src = { 0 };
	struct trace_text t = { 0 };
	struct mmsim_error err;
	const uint8_t *p;
	size_t len;

	cr_assert_eq(trace_source_init_memory(&src, text, strlen(text), "t", 1024, &err), 0);
	cr_assert_eq(trace_source_start(&src, &err), 0);
	cr_assert_eq(trace_text_next(&t, &src, "x", &p, &len, &err), 1);
	cr_assert_eq(len, 2);
	cr_assert_eq(memcmp(p, "ab", 2), 0);
	cr_assert_eq(trace_text_next(&t, &src, "x", &p, &len, &err), 1);
	cr_assert_eq(len, 0);
	cr_assert_eq(trace_text_next(&t, &src, "x", &p, &len, &err), 1);
	cr_assert_eq(memcmp(p, "cd", 2), 0);
	cr_assert_eq(t.line, 3);
	cr_assert_eq(trace_text_next(&t, &src, "x", &p, &len, &err), 0);
	trace_source_fini(&src);
}

Test(trace_text, a_long_line_is_an_error)
{
	char text[TRACE_TEXT_LINE_MAX + 10];
	struct trace_source src = { 0 };
	struct trace_text t = { 0 };
	struct mmsim_error err;
	const uint8_t *p;
	size_t len;

	memset(text, '1', sizeof(text));
	cr_assert_eq(trace_source_init_memory(&src, text, sizeof(text), "t", 1024, &err), 0);
	cr_assert_eq(trace_source_start(&src, &err), 0);
	cr_assert_eq(trace_text_next(&t, &src, "x", &p, &len, &err), -EINVAL);
	cr_assert_str_eq(err.msg, "t:1:257: line is longer than 256 bytes");
	trace_source_fini(&src);
}

Test(trace_text, numbers)
{
	const uint8_t *s = (const uint8_t *)"12 0x1F ffffffffffffffff 18446744073709551616";
	size_t len = strlen((const char *)s), i = 0;
	uint64_t v;

	cr_assert_eq(trace_text_number(s, len, &i, 0, &v), 0);
	cr_assert_eq(v, 12);
	i++;
	cr_assert_eq(trace_text_number(s, len, &i, 0, &v), 0);
	cr_assert_eq(v, 0x1f);
	i++;
	cr_assert_eq(trace_text_number(s, len, &i, 1, &v), 0);
	cr_assert_eq(v, UINT64_MAX);
	i++;
	cr_assert_eq(trace_text_number(s, len, &i, 0, &v), -ERANGE);
	i = 2;
	cr_assert_eq(trace_text_number(s, len, &i, 0, &v), -EINVAL);
}
