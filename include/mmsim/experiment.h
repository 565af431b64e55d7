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

#include <stdbool.h>
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
	/* The huge-page part (struct mmsim_frag_thp): the share of the usable frames the
	 * processes' live requests hover around, 1..90; 0 skips the part. Default 50. */
	unsigned int thp_fill_percent;
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

/*
 * The huge-page part: the same kind of workload (same seed and sizes, demand hovering
 * around thp_fill_percent of the usable frames) served by a process of a full machine
 * (no swap, thp=madvise): each request is an anonymous private mapping, populated, so its
 * pages are movable and compaction can migrate them; a free unmaps it. Then
 * attempts = free frames / 1024 regions of 2 MiB (each could get a huge page with half of
 * the free memory left) are mapped with MADV_HUGEPAGE and written once each: one THP fault
 * each. One fresh machine per row, identical up to that point:
 *   NEVER     defrag=never: a huge page only from a free order-9 block;
 *   DIRECT    defrag=madvise: the fault may compact directly (and reclaim: nothing, no swap);
 *   COMPACTED compact_memory first (/proc/sys/vm/compact_memory), then defrag=never.
 * Order-9 figures are summed over the zones as /proc/buddyinfo gives them: blocks of order
 * >= 9 counted in 2 MiB units; the unusable index for order 9 is Linux's
 * unusable_free_index() over the node: (free - free in order-9 units) / free.
 */
enum mmsim_frag_thp_row {
	MMSIM_FRAG_THP_NEVER,
	MMSIM_FRAG_THP_DIRECT,
	MMSIM_FRAG_THP_COMPACTED,
	MMSIM_FRAG_THP_NR_ROWS,
};

#define MMSIM_FRAG_THP_POINTS 32

struct mmsim_frag_thp_result {
	uint64_t attempts;			  /* THP faults tried (2 MiB regions written) */
	uint64_t thp_fault_alloc;		  /* faults that got a huge page */
	uint64_t thp_fault_fallback;		  /* faults that fell back to 4 KiB pages */
	uint64_t compact_stall;			  /* direct compactions during the attempts */
	uint64_t compact_success, compact_fail;	  /* their outcomes */
	uint64_t pgmigrate_success;		  /* pages migrated during the attempts */
	uint64_t order9_blocks;			  /* free 2 MiB blocks when the attempts began */
	double success_fraction;		  /* thp_fault_alloc / attempts */
	double success_at[MMSIM_FRAG_THP_POINTS]; /* the same after each 1/POINTS of them */
};

struct mmsim_frag_thp {
	bool ran;		    /* false when thp_fill_percent was 0 */
	uint64_t usable_pages;	    /* free frames once the process exists */
	uint64_t target_pages;	    /* what live requests hover around */
	uint64_t requests, failed;  /* requests; refused ones (too little free memory) */
	uint64_t live_pages;	    /* pages of the process's live requests at the end */
	uint64_t free_pages_before; /* after the workload */
	uint64_t order9_before;	    /* free 2 MiB blocks then */
	double unusable9_before;    /* unusable free index for order 9 then */
	uint64_t compact_migrated;  /* pages compact_memory moved (COMPACTED row) */
	uint64_t free_pages_after;  /* after compact_memory */
	uint64_t order9_after;	    /* free 2 MiB blocks then */
	double unusable9_after;	    /* unusable free index then */
	struct mmsim_frag_thp_result rows[MMSIM_FRAG_THP_NR_ROWS];
};

/* "never", "direct", "compacted"; NULL past the end. */
MMSIM_API const char *mmsim_frag_thp_row_name(enum mmsim_frag_thp_row row);

struct mmsim_frag_result {
	struct mmsim_frag_config config; /* as run */
	uint64_t usable_pages;		 /* frames both sides could use */
	uint64_t min_pages, max_pages;	 /* request sizes in pages */
	uint64_t allocs, frees;		 /* workload events of each kind */
	struct mmsim_frag_side segments; /* contiguous segments, first or best fit */
	struct mmsim_frag_side paging;	 /* order-0 frames from the buddy allocator */
	struct mmsim_frag_thp thp;	 /* the huge-page part */
};

/* Defaults: seed 1, 10000 steps, 64 MiB, sizes "mixed", first fit, fill 50%. */
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

/*
 * Workload switch: does proactive reclaim before a switch pay? (The seed: "reclaim
 * proactively when a workload switches or the machine suspends".) Process A writes its
 * working set (a_rounds passes) and goes idle; then, for each way of preparing the switch,
 * on a fresh machine with the same seed: nothing; MADV_PAGEOUT over A (process_madvise,
 * mmsim_reclaim(sys, A, ...)); cgroup v2 memory.reclaim of B's size on the whole machine
 * (mmsim_reclaim(sys, NULL, b_bytes)); or hibernation's shrink_all_memory(). Then
 * process B writes its working set (b_rounds passes), and A comes back for one pass.
 * Each pass touches every page `touches` times (evenly spaced 8-byte stores), in address
 * order. Measured per phase: faults, direct-reclaim stalls, pages scanned and reclaimed
 * directly and by kswapd, swap traffic, and a modelled time.
 *
 * The time is a model, not a measurement: mmsim counts events, it does not time them.
 * time = accesses x access_ns + minor faults x minor_ns + major faults x major_ns
 *      + pages scanned by direct reclaim x scan_ns + pages direct reclaim frees x
 *        pageout_ns.
 * kswapd's and the proactive step's work is off the faulting task's path and not in its
 * time; each is given apart in the same model (kswapd_ms, prep_ms). mmsim's kswapd runs
 * after each access until the high watermark is met, so it keeps up with a task that
 * faults one page at a time: what a preparation changes is mostly where that work goes.
 */
enum mmsim_switch_prep {
	MMSIM_SWITCH_NONE,	     /* B starts into whatever memory is free */
	MMSIM_SWITCH_PAGEOUT,	     /* MADV_PAGEOUT over all of A first */
	MMSIM_SWITCH_MEMORY_RECLAIM, /* memory.reclaim of b_bytes first */
	MMSIM_SWITCH_SHRINK_ALL,     /* shrink_all_memory() first */
	MMSIM_SWITCH_NR_PREPS,
};

struct mmsim_switch_config {
	uint64_t seed;	       /* the machine's seed (policy randomness) */
	uint64_t mem_bytes;    /* RAM, default 64 MiB */
	uint64_t swap_bytes;   /* swap, default 256 MiB */
	char policy[48];       /* page replacement, default "linux" (mmsim run --policy) */
	uint64_t a_bytes;      /* A's working set, default 40 MiB */
	uint64_t b_bytes;      /* B's working set, default 40 MiB */
	unsigned int a_rounds; /* A's passes before the switch, default 2 */
	unsigned int b_rounds; /* B's passes after it, default 2 */
	unsigned int touches;  /* stores per page per pass, 1 to 512, default 8 */
	/* The time model (nanoseconds), defaults in docs/kernel.md's experiment section:
	 * access 1, minor fault 1000, major fault 25000, scan 50, pageout 5000. */
	uint64_t access_ns, minor_ns, major_ns, scan_ns, pageout_ns;
};

/* What one process did in one phase (counters are the system's, over the phase). */
struct mmsim_switch_phase {
	uint64_t accesses;
	uint64_t minflt, majflt;		/* the process's own (getrusage) */
	uint64_t allocstall;			/* direct reclaim entries, all zones */
	uint64_t pgscan_direct, pgsteal_direct; /* pages scanned/freed by direct reclaim */
	uint64_t pgscan_kswapd, pgsteal_kswapd; /* and by kswapd (not in the time) */
	uint64_t pswpin, pswpout;		/* pages read from and written to swap */
	double time_ms;				/* the model's time of the phase */
	double kswapd_ms; /* kswapd's work meanwhile, same model (scan_ns, pageout_ns a page) */
};

#define MMSIM_SWITCH_POINTS 32

struct mmsim_switch_row {
	enum mmsim_switch_prep prep;
	uint64_t reclaimed_bytes;	  /* what the proactive step freed (0 for none) */
	uint64_t prep_pswpout;		  /* pages it wrote to swap */
	double prep_ms;			  /* its cost in the model (pageout_ns per page freed) */
	struct mmsim_switch_phase a;	  /* A before the switch */
	struct mmsim_switch_phase b;	  /* B after the switch */
	struct mmsim_switch_phase a_back; /* A's pass when it comes back */
	/* B's modelled time (ms) after each 1/POINTS of its accesses, for a plot. */
	double b_ms_at[MMSIM_SWITCH_POINTS];
};

struct mmsim_switch_result {
	struct mmsim_switch_config config; /* as run */
	struct mmsim_switch_row rows[MMSIM_SWITCH_NR_PREPS];
};

/* The defaults above. */
MMSIM_API void mmsim_switch_config_default(struct mmsim_switch_config *cfg);

/* "none", "pageout", "memory.reclaim", "shrink-all"; NULL past the end. */
MMSIM_API const char *mmsim_switch_prep_name(enum mmsim_switch_prep p);

/*
 * Runs the switch experiment, one fresh machine per preparation. 0 and *out filled;
 * -EINVAL (a bad config, described in err: working sets that do not fit in RAM plus swap,
 * an unknown policy, ...), -ENOMEM (host memory), -EFAULT (a machine's invariants broke
 * or a process was OOM-killed: described in err; no result is given for a partial run).
 */
MMSIM_API int mmsim_experiment_switch(const struct mmsim_switch_config *cfg,
				      struct mmsim_switch_result *out, struct mmsim_error *err);

/*
 * Page-size "what if" (NOT x86; docs/page-size.md): a trace's accesses translated through
 * per-process radix tables with a base page of 4, 8, 16 or 64 KiB (arm64-style granules,
 * 48-bit addresses), each first touch of a page a fault that maps it (no memory limit, no
 * reclaim), two Skylake-sized TLBs in front (64 entries 4-way and 1,536 entries 12-way,
 * LRU, one page size), and the 64-byte lines touched in each page.
 */
struct mmsim_pagesize;

struct mmsim_pagesize_result {
	unsigned int page_shift; /* 12, 13, 14 or 16 */
	unsigned int levels;	 /* tables on a walk */
	uint64_t accesses;	 /* accesses fed (an access over a page boundary: each page) */
	uint64_t faults;	 /* first touches: pages mapped */
	uint64_t table_pages;	 /* table pages, every process's root included */
	uint64_t table_bytes;	 /* table_pages * page size */
	uint64_t l1_misses, l2_misses; /* misses of the 64-entry and the 1,536-entry TLB */
	uint64_t walks_steps;	       /* entries read by the walks of L2 misses */
	uint64_t touched_bytes;	       /* distinct 64-byte lines touched * 64 */
	uint64_t mapped_bytes;	       /* faults * page size */
};

/* 0, -EINVAL (page_shift not 12, 13, 14 or 16) or -ENOMEM. */
MMSIM_API int mmsim_pagesize_create(unsigned int page_shift, struct mmsim_pagesize **out);
MMSIM_API void mmsim_pagesize_destroy(struct mmsim_pagesize *ps);
/* One access of size bytes at addr by process pid. 0, or -ENOMEM (host memory), -EINVAL
 * (an address beyond 48 bits). */
MMSIM_API int mmsim_pagesize_access(struct mmsim_pagesize *ps, uint32_t pid, uint64_t addr,
				    uint32_t size);
MMSIM_API void mmsim_pagesize_result(const struct mmsim_pagesize *ps,
				     struct mmsim_pagesize_result *out);

#endif
