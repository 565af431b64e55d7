/*
 * tests/fuzz/fuzz_trace_csv.c: libFuzzer target for the CSV reader (trace/trace_csv.c),
 * through the public reader with the format named. Properties: tests/fuzz/fuzz_format.h.
 * Seeds: tests/fuzz/corpus/trace_csv/.
 *
 * Build and run: tests/fuzz/run_fuzz.sh SECONDS trace_csv
 */
#define FUZZ_FORMAT MMSIM_TRACE_FORMAT_CSV
#include "fuzz_format.h"
