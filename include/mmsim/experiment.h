/*
 * mmsim/experiment.h: experiments that run a simulated machine and measure something.
 *
 * Fragmentation: one seeded random workload of allocations and frees of mixed sizes is
 * served twice over the same physical memory (the frames the buddy allocator manages
 * after boot): (a) each request as one contiguous segment, by a first-fit or best-fit
 * allocator; (b) each request as order-0 frames from the buddy allocator plus the x86-64
 * page-table pages that map them, as paging needs. Both sides see exactly the same
 * sequence of requests and frees; a request one side could not serve is skipped by that
 * side only. The measures are what each side did; nothing is tuned toward an outcome.
 */
#ifndef MMSIM_EXPERIMENT_H
#define MMSIM_EXPERIMENT_H

#include "mmsim/export.h"

#include <stdint.h>

struct mmsim_error;

enum mmsim_frag_fit {
	MMSIM_FRAG_FIRST_FIT, /* the lowest hole that is large enough */
	MMSIM_FRAG_BEST_FIT,  /* the smallest hole that is large enough */
};

struct mmsim_frag_config {
	uint64_t seed;	    /* seed of the workload's PRNG */
	uint64_t steps;	    /* workload events (allocations + frees), 1 .. 10^8 */
	uint64_t mem_bytes; /* RAM of the simulated machine, page-aligned, 4 MiB .. 64 GiB */
	uint64_t min_bytes; /* smallest request, rounded up to whole pages */
	uint64_t max_bytes; /* largest request, at most mem_bytes */
	enum mmsim_frag_fit fit;
};

/* What one side measured. Fractions are of the usable frames; "ext. fragmentation" at a
 * step is 1 - (largest run of free frames) / (free frames), 0 when nothing is free. */
struct mmsim_frag_side {
	uint64_t requests;	      /* allocation requests */
	uint64_t failed;	      /* requests this side could not serve */
	uint64_t failed_enough_free;  /* of which: enough frames were free in total */
	uint64_t pages_granted;	      /* pages of the requests served (data only) */
	uint64_t peak_used_pages;     /* most frames in use at once (data + overhead) */
	uint64_t peak_overhead_pages; /* page-table frames at that moment (paging only) */
	double peak_used_fraction;    /* peak_used_pages / usable frames */
	double mean_used_fraction;    /* frames in use, averaged over steps */
	double extfrag_mean;	      /* averaged over steps */
	double extfrag_max;	      /* the largest value seen */
	double extfrag_at_peak;	      /* the value at the step of peak use */
};

struct mmsim_frag_result {
	struct mmsim_frag_config config; /* as run */
	uint64_t usable_pages;		 /* frames both sides could use */
	uint64_t min_pages, max_pages;	 /* request sizes in pages */
	uint64_t allocs, frees;		 /* workload events of each kind */
	struct mmsim_frag_side segments; /* contiguous segments, first or best fit */
	struct mmsim_frag_side paging;	 /* order-0 frames from the buddy allocator */
};

/* Defaults: seed 1, 10000 steps, 64 MiB, sizes "mixed", first fit. */
MMSIM_API void mmsim_frag_config_default(struct mmsim_frag_config *cfg);

/*
 * Request-size presets, log-uniform between the bounds: "small" 4 KiB..64 KiB, "mixed"
 * 4 KiB..4 MiB, "large" 1 MiB..8 MiB. 0, or -EINVAL for another name.
 */
MMSIM_API int mmsim_frag_sizes_preset(const char *name, uint64_t *min_bytes, uint64_t *max_bytes);

/*
 * Runs the fragmentation experiment. 0 and *out filled; -EINVAL (a bad config, described
 * in err), -ENOMEM (host memory), -EFAULT (an internal consistency check failed after the
 * run: a bug, described in err).
 */
MMSIM_API int mmsim_experiment_fragmentation(const struct mmsim_frag_config *cfg,
					     struct mmsim_frag_result *out,
					     struct mmsim_error *err);

#endif
