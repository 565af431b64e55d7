/*
 * tests/fuzz/fuzz_trace_oracle.c: libFuzzer target for the oracle reader (trace/trace_oracle.c),
 * through the public reader with the format named. Properties: tests/fuzz/fuzz_format.h.
 * Seeds: tests/fuzz/corpus/trace_oracle/.
 *
 * Build and run: tests/fuzz/run_fuzz.sh SECONDS trace_oracle
 */
#define FUZZ_FORMAT MMSIM_TRACE_FORMAT_ORACLE_GENERAL
#include "fuzz_format.h"
