/*
 * tests/fuzz/fuzz_trace_pages.c: libFuzzer target for the pages reader (trace/trace_pages.c),
 * through the public reader with the format named. Properties: tests/fuzz/fuzz_format.h.
 * Seeds: tests/fuzz/corpus/trace_pages/.
 *
 * Build and run: tests/fuzz/run_fuzz.sh SECONDS trace_pages
 */
#define FUZZ_FORMAT MMSIM_TRACE_FORMAT_PAGES
#include "fuzz_format.h"
