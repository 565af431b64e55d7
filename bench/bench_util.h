/*
 * bench/bench_util.h: timing helpers for the benchmarks (monotonic clock, a sink the
 * optimiser cannot remove, and the one-line report format every benchmark prints).
 */
#ifndef MMSIM_BENCH_UTIL_H
#define MMSIM_BENCH_UTIL_H

#include <stdint.h>

/* Seconds from an arbitrary origin, monotonic. */
double bench_now(void);

/* Keeps a value alive so the measured loop is not optimised away. */
void bench_sink(uint64_t v);

/* Prints "name: N ops in S s = R ops/s" and returns R. */
double bench_report(const char *name, uint64_t ops, double seconds);

/* Prints "name: ratio X (a / b)". */
void bench_ratio(const char *name, double a, double b);

#endif
