/*
 * tests/unit/trace/test_trace_names.c: names of kinds, formats and compressions.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>

#include "mmsim/trace.h"

Test(trace_names, every_value_has_its_name)
{
	cr_assert_str_eq(mmsim_trace_kind_name(MMSIM_TRACE_LOAD), "load");
	cr_assert_str_eq(mmsim_trace_kind_name(MMSIM_TRACE_STORE), "store");
	cr_assert_str_eq(mmsim_trace_kind_name(MMSIM_TRACE_MODIFY), "modify");
	cr_assert_str_eq(mmsim_trace_kind_name(MMSIM_TRACE_IFETCH), "ifetch");
	cr_assert_str_eq(mmsim_trace_format_name(MMSIM_TRACE_FORMAT_BINARY), "binary");
	cr_assert_str_eq(mmsim_trace_format_name(MMSIM_TRACE_FORMAT_LACKEY), "lackey");
	cr_assert_str_eq(mmsim_trace_compression_name(MMSIM_TRACE_COMPRESSION_NONE), "none");
	cr_assert_str_eq(mmsim_trace_compression_name(MMSIM_TRACE_COMPRESSION_ZSTD), "zstd");
	cr_assert_str_eq(mmsim_trace_compression_name(MMSIM_TRACE_COMPRESSION_GZIP), "gzip");
}

Test(trace_names, bad_values_are_a_question_mark)
{
	cr_assert_str_eq(mmsim_trace_kind_name(MMSIM_TRACE_FORK), "fork");
	cr_assert_str_eq(mmsim_trace_kind_name(MMSIM_TRACE_SHRINK_ALL), "shrink-all");
	cr_assert_str_eq(mmsim_trace_kind_name(MMSIM_TRACE_SWITCH), "switch");
	cr_assert_str_eq(mmsim_trace_kind_name((enum mmsim_trace_kind)MMSIM_TRACE_NR_ALL_KINDS),
			 "?");
	cr_assert_str_eq(mmsim_trace_kind_name((enum mmsim_trace_kind) - 1), "?");
	cr_assert_str_eq(mmsim_trace_format_name((enum mmsim_trace_format)MMSIM_TRACE_NR_FORMATS),
			 "?");
	cr_assert_str_eq(mmsim_trace_format_name(MMSIM_TRACE_FORMAT_AUTO), "?");
	cr_assert_str_eq(mmsim_trace_compression_name((enum mmsim_trace_compression)4), "?");
}

Test(trace_names, format_names_round_trip)
{
	enum mmsim_trace_format f;

	for (int i = 0; i < MMSIM_TRACE_NR_FORMATS; i++) {
		cr_assert_eq(mmsim_trace_format_from_name(
				     mmsim_trace_format_name((enum mmsim_trace_format)i), &f),
			     0);
		cr_assert_eq((int)f, i);
		cr_assert(strstr(mmsim_trace_formats_help(),
				 mmsim_trace_format_name((enum mmsim_trace_format)i)));
	}
	cr_assert_eq(mmsim_trace_format_from_name("bin", &f), 0);
	cr_assert_eq(f, MMSIM_TRACE_FORMAT_BINARY);
	cr_assert_eq(mmsim_trace_format_from_name("auto", &f), 0);
	cr_assert_eq(f, MMSIM_TRACE_FORMAT_AUTO);
	cr_assert_eq(mmsim_trace_format_from_name("Din", &f), -EINVAL);
}
