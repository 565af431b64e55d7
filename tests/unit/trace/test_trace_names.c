/*
 * tests/unit/trace/test_trace_names.c: names of kinds, formats and compressions.
 */
#include <criterion/criterion.h>

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
	cr_assert_str_eq(mmsim_trace_kind_name((enum mmsim_trace_kind)4), "?");
	cr_assert_str_eq(mmsim_trace_kind_name((enum mmsim_trace_kind) - 1), "?");
	cr_assert_str_eq(mmsim_trace_format_name((enum mmsim_trace_format)2), "?");
	cr_assert_str_eq(mmsim_trace_compression_name((enum mmsim_trace_compression)3), "?");
}
