/*
 * mmsim/mrc.h: miss-ratio curves of a trace in one pass, for the stack policies LRU and OPT,
 * exact or sampled (SHARDS), as `mmsim mrc` draws them.
 *
 * What is counted. The curve gives, for every frames cap C, the misses that
 * `mmsim sweep --policies lru|opt --frames C` (demand reclaim) counts on the same machine:
 *     misses(C) = pages + evictions(C)
 * where pages is the trace's footprint (distinct (pid, page) pairs, first touches: the
 * sweep's cold_misses) and evictions(C) the references to a page that was evicted before
 * (each one a major fault: it comes back from swap). The replay maps only what the VMA rule
 * maps (mmsim/replay.h), and a read of a page never written maps the shared zero page,
 * which holds no frame (Linux: mm/memory.c, do_anonymous_page()). So the reference string
 * the frames see is the trace's page accesses from each page's first successful write on;
 * accesses before it, and accesses that end in SIGSEGV, never miss after the first touch.
 * On that string LRU and OPT are stack algorithms (Mattson, Gecsei, Slutz and Traiger,
 * "Evaluation techniques for storage hierarchies", IBM Systems Journal 9(2), 1970): a
 * reference hits with C frames iff its stack distance is at most C, so one pass gives every
 * C. Whether an access succeeds is learned from a machine of the given configuration,
 * which replays the first touches of each page (and retries pages that faulted) only.
 * TLB settings change nothing here: LRU and OPT see every access (docs/mrc.md).
 * One case is not a stack algorithm: an access the VMA refuses (a fetch from the
 * non-executable stack) on a page that was evicted is a major fault first, then SIGSEGV
 * (Linux's access_error() does not check VM_EXEC on a not-present page), and the page
 * comes back at some sizes only. The curve counts such accesses as no reference, and
 * info.refused_framed says how many there were: when it is not 0, the curves may differ
 * from replays (`mmsim mrc` then replays each size).
 *
 * LRU: the stack distance of a reference is the number of distinct pages referenced since
 * the previous reference to its page, counted with a Fenwick tree over last-reference
 * times (O(log n) per reference; times are compacted when the tree fills, so host memory
 * is O(distinct pages), not O(accesses)).
 * OPT: Mattson's OPT stack, priority by next use (sooner first), from the future of a
 * pre-pass (struct mmsim_replay_future): exact for every C in one pass, but each update
 * walks the stack down to the referenced page, O(stack distance) per reference.
 *
 * Sampling (Waldspurger, Park, Garthwaite and Ahmad, "Efficient MRC construction with
 * SHARDS", FAST 2015): a page takes part iff hash(pid, page) mod P < T, rate R = T / P
 * (P = 2^24). A distance d among sampled pages becomes 1 + (d - 1)/R, and the miss ratio is
 * the sample's misses over R times the trace's accesses (SHARDS_adj). Fixed rate: R given. Fixed
 * size: at most sample_max pages tracked; when one more would be tracked, T drops to the largest
 * hash tracked, whose pages leave, and counts so far are rescaled by R_new / R_old (the paper's
 * SHARDS_max). A sampled curve is an estimate: misses are the estimated ratio times the
 * trace's accesses, rounded.
 *
 * Ownership: a curve owns its memory; the reader and the future are borrowed for
 * mmsim_mrc_build() only.
 */
#ifndef MMSIM_MRC_H
#define MMSIM_MRC_H

#include "mmsim/export.h"

#include <stdbool.h>
#include <stdint.h>

struct mmsim_config;
struct mmsim_error;
struct mmsim_trace_reader;
struct mmsim_replay_future;

struct mmsim_mrc;

enum mmsim_mrc_policy {
	MMSIM_MRC_LRU = 0,
	MMSIM_MRC_OPT = 1,
	MMSIM_MRC_NR_POLICIES,
};

struct mmsim_mrc_opts {
	bool policy[MMSIM_MRC_NR_POLICIES]; /* which curves to compute; at least one */
	double sample_rate;		    /* 0 or 1: every page (exact); in (0, 1): SHARDS */
	uint64_t sample_max;		    /* 0: none; else SHARDS fixed size, this many pages */
	const struct mmsim_config *machine; /* NULL: mmsim_config_default() with data=off;
					       policy, frames and reclaim are ignored */
	/* Called about every tick_accesses page accesses (between records) with the accesses
	 * so far; returning false stops the pass (mmsim_mrc_build() returns -EINTR). */
	uint64_t tick_accesses; /* 0: no ticks */
	bool (*tick)(void *ctx, uint64_t accesses);
	void *ctx;
	/* The base page: 2^page_shift bytes. 0 or 12: x86's 4 KiB; 13, 14, 16: the what-if
	 * sizes that are NOT x86 (mmsim_replay_set_page_shift(); docs/page-size.md). The
	 * future must be built at the same size (mmsim_replay_future_build_at()). */
	unsigned int page_shift;
};

/* What the pass saw. */
struct mmsim_mrc_info {
	uint64_t records;	 /* trace records */
	uint64_t accesses;	 /* page accesses, numbered as replay numbers them */
	uint64_t pages;		 /* distinct (pid, page) pairs seen; sampled: of the sample */
	uint64_t framed_pages;	 /* of those, pages that took a frame (written, mapped) */
	uint64_t sampled;	 /* page accesses of sampled pages (all of them when exact) */
	uint64_t references;	 /* of those, references to framed pages (the stack's input) */
	double rate;		 /* the final sampling rate; 1 when exact */
	bool exact;		 /* no sampling */
	uint64_t probe_accesses; /* accesses the probing machine made */
	uint64_t refused_framed; /* accesses its VMA refused on a page holding a frame */
};

/*
 * Reads r to its end and computes the curves asked for in opts. OPT needs future, built
 * by mmsim_replay_future_build() from the same trace (r rewound after it); LRU alone
 * takes NULL. 0; -EINTR when the tick said stop; -EINVAL for bad opts (message says which) or a
 * trace longer or shorter than the future; -ENOMEM; or the reader's error (its message names the
 * file and the place).
 */
MMSIM_API int mmsim_mrc_build(struct mmsim_trace_reader *r,
			      const struct mmsim_replay_future *future,
			      const struct mmsim_mrc_opts *opts, struct mmsim_mrc **out,
			      struct mmsim_error *err);

MMSIM_API void mmsim_mrc_destroy(struct mmsim_mrc *m);

MMSIM_API void mmsim_mrc_get_info(const struct mmsim_mrc *m, struct mmsim_mrc_info *out);

/* Whether curve p was computed. */
MMSIM_API bool mmsim_mrc_has(const struct mmsim_mrc *m, enum mmsim_mrc_policy p);

/*
 * Misses of policy p with a cap of frames frames (>= 1), as the sweep counts them (above).
 * Exact, or the rounded estimate when sampled. 0 when p was not computed.
 */
MMSIM_API uint64_t mmsim_mrc_misses(const struct mmsim_mrc *m, enum mmsim_mrc_policy p,
				    uint64_t frames);

/* Miss ratio: misses / accesses (sampled: the estimate itself, before rounding). */
MMSIM_API double mmsim_mrc_miss_ratio(const struct mmsim_mrc *m, enum mmsim_mrc_policy p,
				      uint64_t frames);

/* The smallest frames cap at which the curve reaches its floor (no reference misses but
 * first touches): every size from it on gives the same misses. Estimated when sampled. */
MMSIM_API uint64_t mmsim_mrc_max_frames(const struct mmsim_mrc *m, enum mmsim_mrc_policy p);

/* "lru", "opt"; NULL out of range. */
MMSIM_API const char *mmsim_mrc_policy_name(enum mmsim_mrc_policy p);

#endif
