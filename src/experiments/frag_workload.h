/*
 * experiments/frag_workload.h: the fragmentation experiment's request generator, shared by
 * its paging/segments part (fragmentation.c) and its huge-page part (frag_thp.c), so that
 * both draw requests by the same rules (mmsim/experiment.h, fragmentation.c steps 1-3).
 * PRNG: splitmix64; integer arithmetic only, so a seed gives the same requests everywhere.
 */
#ifndef MMSIM_EXPERIMENTS_FRAG_WORKLOAD_H
#define MMSIM_EXPERIMENTS_FRAG_WORKLOAD_H

#include <stdint.h>

#include "util/splitmix.h"

/* Uniform in [0, n), n >= 1 (Lemire's multiply-shift; bias below 2^-32 for our n). */
static inline uint64_t frag_rng_below(uint64_t *state, uint64_t n)
{
	return (uint64_t)(((unsigned __int128)splitmix64_next(state) * n) >> 64);
}

static inline unsigned int frag_floor_log2(uint64_t v)
{
	return 63u - (unsigned int)__builtin_clzll(v);
}

/* Step 2: log-uniform by octave in [lo, hi]: each power-of-two octave equally likely,
 * uniform inside it. */
static inline uint64_t frag_draw_pages(uint64_t *rng, uint64_t lo, uint64_t hi)
{
	unsigned int klo = frag_floor_log2(lo), khi = frag_floor_log2(hi);
	unsigned int k = klo + (unsigned int)frag_rng_below(rng, khi - klo + 1);
	uint64_t a = UINT64_C(1) << k, b = (UINT64_C(2) << k) - 1;

	if (a < lo)
		a = lo;
	if (b > hi)
		b = hi;
	return a + frag_rng_below(rng, b - a + 1);
}

/* Step 1: whether the next event allocates, given the live pages and the level demand
 * hovers around (2/3 below it, 1/3 at or above it, always when nothing is live). */
static inline int frag_next_is_alloc(uint64_t *rng, uint64_t nr_live, uint64_t live_pages,
				     uint64_t target)
{
	if (!nr_live)
		return 1;
	if (live_pages < target)
		return frag_rng_below(rng, 3) < 2;
	return frag_rng_below(rng, 3) == 0;
}

#endif
