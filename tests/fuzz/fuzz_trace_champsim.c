/*
 * tests/fuzz/fuzz_trace_champsim.c: libFuzzer target for the champsim reader
 * (trace/trace_champsim.c), through the public reader with the format named. Properties:
 * tests/fuzz/fuzz_format.h. Seeds: tests/fuzz/corpus/trace_champsim/.
 *
 * Build and run: tests/fuzz/run_fuzz.sh SECONDS trace_champsim
 */
#define FUZZ_FORMAT MMSIM_TRACE_FORMAT_CHAMPSIM
#include "fuzz_format.h"
