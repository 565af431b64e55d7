/*
 * bench/bench_util.h: timing helpers for the benchmarks (monotonic clock, a sink the
 * optimiser cannot remove, and the one-line report format every benchmark prints).
 */
#ifndef MMSIM_BENCH_UTIL_H
#define MMSIM_BENCH_UTIL_H

#include <stddef.h>
#include <stdint.h>

/* Seconds from an arbitrary origin, monotonic. */
double bench_now(void);

/* Seconds of CPU time the calling thread has used (CLOCK_THREAD_CPUTIME_ID): unlike
 * bench_now(), the time other jobs of a busy machine take from it does not count. */
double bench_cpu_now(void);

/* Keeps a value alive so the measured loop is not optimised away. */
void bench_sink(uint64_t v);

/* Prints "name: N ops in S s = R ops/s" and returns R. */
double bench_report(const char *name, uint64_t ops, double seconds);

/* Prints "name: ratio X (a / b)". */
void bench_ratio(const char *name, double a, double b);

/* malloc(n) (at least one byte); on failure prints "prog: out of memory" and exits 1. */
void *bench_xmalloc(const char *prog, size_t n);

/* Marsaglia's xorshift64 step on *state (never 0): the benchmarks' fixed-seed streams. */
static inline uint64_t bench_xorshift(uint64_t *state)
{
	*state ^= *state << 13, *state ^= *state >> 7, *state ^= *state << 17;
	return *state;
}

/*
 * count page numbers 0..n-1, Zipf(theta) by rank, ranks scattered by a fixed permutation,
 * drawn from *rng. With store_one_in > 0, each page then draws whether it is a store (one
 * in store_one_in), marked by bit 31. Returns a bench_xmalloc()ed array.
 */
uint32_t *bench_zipf_pages(const char *prog, uint64_t *rng, uint32_t n, double theta,
			   uint64_t count, unsigned int store_one_in);

#endif
