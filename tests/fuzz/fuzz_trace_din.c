/*
 * tests/fuzz/fuzz_trace_din.c: libFuzzer target for the din reader (trace/trace_din.c),
 * through the public reader with the format named. Properties: tests/fuzz/fuzz_format.h.
 * Seeds: tests/fuzz/corpus/trace_din/.
 *
 * Build and run: tests/fuzz/run_fuzz.sh SECONDS trace_din
 */
#define FUZZ_FORMAT MMSIM_TRACE_FORMAT_DIN
#include "fuzz_format.h"
