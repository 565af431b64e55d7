/*
 * experiments/fragmentation.c: contiguous segments versus paging on one workload
 * (mmsim/experiment.h).
 *
 * Setup: boot a machine of mem_bytes (mm/pgdat.c); the frames the buddy allocator then
 * holds are the usable memory of both sides. The segment allocator (experiments/segalloc.c) gets
 * the same frames as its initial holes, so both sides start from identical free memory
 * (a few separate ranges: the boot reservations split RAM).
 *
 * Workload (the same for both sides, drawn before either side is asked):
 *  1. a step allocates when nothing is live; otherwise it allocates with probability 2/3
 *     while the pages of the live requests are below the usable frames, and 1/3 once they
 *     are at or above them (so demand hovers around capacity, where placement matters);
 *  2. a request's size is drawn log-uniformly between the bounds: each power-of-two
 *     octave equally likely, uniform inside it;
 *  3. a free picks one live request uniformly (live in the workload, whether or not a side
 *     served it; a side frees only what it holds).
 * PRNG: splitmix64 from the seed; integer arithmetic only, so a seed gives the same
 * workload on every machine.
 *
 * Paging side: a request of n pages takes n order-0 frames plus the page-table pages a
 * 4-level x86-64 tree needs to map n contiguous virtual pages from an aligned address
 * (ceil(n/512) PTs, ceil(n/512^2) PDs, ceil(n/512^3) PDPTs, one PML4). Allocation uses
 * GFP_MEMALLOC so that neither side is held back by watermarks; a request that cannot get
 * every frame gives back the ones it got.
 *
 * Measures after every step: frames in use, and 1 - largest free run / free frames. For
 * the segments the largest free run is the largest hole; for paging it is the longest
 * run of free frames in physical memory (kept in a host bitmap), which paging does not
 * need but which is the same physical measure.
 */
#include "mmsim/experiment.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "arch/x86_64/physmem.h"
#include "mm/check.h"
#include "mm/page.h"
#include "mm/page_alloc.h"
#include "mm/pcp.h"
#include "mm/pgdat.h"
#include "experiments/frag_thp.h"
#include "experiments/frag_workload.h"
#include "experiments/segalloc.h"
#include "mmsim/error.h"
#include "util/macros.h"

#define FRAG_MAX_STEPS UINT64_C(100000000)
#define FRAG_MAX_MEM (UINT64_C(64) << 30)
#define PAGING_GFP (GFP_HIGHUSER_MOVABLE | GFP_MEMALLOC | GFP_NOWARN)

struct frag_request {
	uint64_t pages;	 /* size in pages */
	pfn_t seg_start; /* segments: where it was placed, if seg_ok */
	bool seg_ok;	 /* segments served it */
	pfn_t *frames;	 /* paging: its frames (data then page tables); NULL if not served */
	uint64_t nr_frames;
};

/* Running sums of one side's measures. */
struct frag_acc {
	double sum_used;
	double sum_frag;
	uint64_t overhead; /* page-table frames held now (paging) */
};

struct frag_run {
	const struct mmsim_frag_config *cfg;
	struct mmsim_frag_result *res;
	struct physmem pm;
	struct pgdat *pgdat;
	struct segalloc sa;
	uint64_t *free_bitmap; /* paging: bit set = frame free */
	uint64_t nr_words;
	struct frag_request *reqs;
	uint64_t nr_reqs;
	uint64_t *live; /* ids of live requests */
	uint64_t nr_live;
	uint64_t live_pages;
	uint64_t rng;
	struct frag_acc seg_acc, pg_acc;
};

void mmsim_frag_config_default(struct mmsim_frag_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->seed = 1;
	cfg->steps = 10000;
	cfg->mem_bytes = UINT64_C(64) << 20;
	mmsim_frag_sizes_preset("mixed", &cfg->min_bytes, &cfg->max_bytes);
	cfg->fit = MMSIM_FRAG_FIRST_FIT;
	cfg->thp_fill_percent = 50;
}

int mmsim_frag_sizes_preset(const char *name, uint64_t *min_bytes, uint64_t *max_bytes)
{
	static const struct {
		const char *name;
		uint64_t min, max;
	} presets[] = {
		{ "small", UINT64_C(4) << 10, UINT64_C(64) << 10 },
		{ "mixed", UINT64_C(4) << 10, UINT64_C(4) << 20 },
		{ "large", UINT64_C(1) << 20, UINT64_C(8) << 20 },
	};

	for (size_t i = 0; i < ARRAY_SIZE(presets); i++) {
		if (!strcmp(name, presets[i].name)) {
			*min_bytes = presets[i].min;
			*max_bytes = presets[i].max;
			return 0;
		}
	}
	return -EINVAL;
}

/* Page-table pages mapping n pages from an aligned address, 4-level x86-64. */
static uint64_t pgtable_pages(uint64_t n)
{
	const uint64_t e = X86_PT_ENTRIES;

	return (n + e - 1) / e + (n + e * e - 1) / (e * e) + (n + e * e * e - 1) / (e * e * e) + 1;
}

static int validate(const struct mmsim_frag_config *cfg, struct mmsim_error *err)
{
	if (!cfg->steps || cfg->steps > FRAG_MAX_STEPS)
		return mmsim_error_set(err, -EINVAL, "steps must be 1..%llu",
				       (unsigned long long)FRAG_MAX_STEPS);
	if (cfg->mem_bytes % X86_PAGE_SIZE || cfg->mem_bytes < PGDAT_MIN_MEM_BYTES ||
	    cfg->mem_bytes > FRAG_MAX_MEM)
		return mmsim_error_set(err, -EINVAL,
				       "memory size must be a multiple of 4 KiB "
				       "from 4 MiB to 64 GiB");
	if (!cfg->min_bytes || cfg->min_bytes > cfg->max_bytes)
		return mmsim_error_set(err, -EINVAL, "request sizes: want 0 < MIN <= MAX");
	if (cfg->max_bytes > cfg->mem_bytes)
		return mmsim_error_set(err, -EINVAL, "largest request is bigger than memory");
	if (cfg->fit != MMSIM_FRAG_FIRST_FIT && cfg->fit != MMSIM_FRAG_BEST_FIT)
		return mmsim_error_set(err, -EINVAL, "fit must be first or best");
	if (cfg->thp_fill_percent > FRAG_THP_MAX_FILL)
		return mmsim_error_set(err, -EINVAL, "fill must be 0..%u percent",
				       FRAG_THP_MAX_FILL);
	return 0;
}

static void bitmap_set(uint64_t *bm, pfn_t pfn, bool free)
{
	if (free)
		bm[pfn / 64] |= UINT64_C(1) << (pfn % 64);
	else
		bm[pfn / 64] &= ~(UINT64_C(1) << (pfn % 64));
}

/* Longest run of set bits inside one word (runs shorter than 64 bits only matter while
 * the best run found is shorter than that). */
static unsigned int word_longest_run(uint64_t w)
{
	unsigned int n = 0;

	while (w) {
		w &= w << 1;
		n++;
	}
	return n;
}

/*
 * Longest run of set bits over the bitmap: O(words). A run crossing words is carried in
 * cur: a word's low ones extend it, its high ones start the next one.
 */
static uint64_t bitmap_largest_run(const uint64_t *bm, uint64_t nr_words)
{
	uint64_t best = 0, cur = 0;

	for (uint64_t i = 0; i < nr_words; i++) {
		uint64_t w = bm[i];
		unsigned int low, high;

		if (w == ~UINT64_C(0)) {
			cur += 64;
			continue;
		}
		low = w ? (unsigned int)__builtin_ctzll(~w) : 0;
		high = w ? (unsigned int)__builtin_clzll(~w) : 0;
		cur += low;
		if (cur > best)
			best = cur;
		if (best < 64) {
			unsigned int inner = word_longest_run(w);

			if (inner > best)
				best = inner;
		}
		cur = high;
	}
	return cur > best ? cur : best;
}

/* Setup: the buddy allocator's free frames become the holes and the bitmap. */
static int setup(struct frag_run *run)
{
	struct pgdat *pgdat = run->pgdat;
	pfn_t pfn = 0;

	run->nr_words = (pgdat->nr_pfns + 63) / 64;
	run->free_bitmap = calloc(run->nr_words, sizeof(uint64_t));
	if (!run->free_bitmap)
		return -ENOMEM;
	pgdat_memmap_materialize(pgdat); /* every free block's head says PG_BUDDY */
	while (pfn < pgdat->nr_pfns) {
		const struct page *pg = pgdat_page(pgdat, pfn);
		uint64_t n = 1;

		if (page_flag_test(pg, PG_BUDDY)) {
			n = UINT64_C(1) << pg->order;
			if (segalloc_add_range(&run->sa, pfn, n))
				return -ENOMEM;
			for (uint64_t i = 0; i < n; i++)
				bitmap_set(run->free_bitmap, pfn + i, true);
		}
		pfn += n;
	}
	run->res->usable_pages = run->sa.free_pages;
	return 0;
}

/* Paging side of one request: 0 served, 1 not served, -ENOMEM host. */
static int paging_alloc(struct frag_run *run, struct frag_request *rq)
{
	uint64_t n = rq->pages + pgtable_pages(rq->pages);
	pfn_t *frames = malloc(n * sizeof(*frames));

	if (!frames)
		return -ENOMEM;
	for (uint64_t i = 0; i < n; i++) {
		if (page_alloc(run->pgdat, PAGING_GFP, 0, &frames[i])) {
			while (i--) {
				page_free(run->pgdat, frames[i], 0);
				bitmap_set(run->free_bitmap, frames[i], true);
			}
			free(frames);
			return 1;
		}
		bitmap_set(run->free_bitmap, frames[i], false);
	}
	rq->frames = frames;
	rq->nr_frames = n;
	run->pg_acc.overhead += n - rq->pages;
	return 0;
}

static void paging_free(struct frag_run *run, struct frag_request *rq)
{
	if (!rq->frames)
		return;
	for (uint64_t i = 0; i < rq->nr_frames; i++) {
		page_free(run->pgdat, rq->frames[i], 0);
		bitmap_set(run->free_bitmap, rq->frames[i], true);
	}
	run->pg_acc.overhead -= rq->nr_frames - rq->pages;
	free(rq->frames);
	rq->frames = NULL;
}

static int do_alloc(struct frag_run *run)
{
	struct mmsim_frag_result *res = run->res;
	struct frag_request *rq = &run->reqs[run->nr_reqs];
	uint64_t id = run->nr_reqs++;
	int rc;

	rq->pages = frag_draw_pages(&run->rng, res->min_pages, res->max_pages);
	run->live[run->nr_live++] = id;
	run->live_pages += rq->pages;
	res->allocs++;

	res->segments.requests++;
	if (!segalloc_alloc(&run->sa, rq->pages, &rq->seg_start)) {
		rq->seg_ok = true;
		res->segments.pages_granted += rq->pages;
	} else {
		res->segments.failed++;
		if (run->sa.free_pages >= rq->pages)
			res->segments.failed_enough_free++;
	}

	res->paging.requests++;
	rc = paging_alloc(run, rq);
	if (rc < 0)
		return rc;
	if (rc == 0) {
		res->paging.pages_granted += rq->pages;
	} else {
		res->paging.failed++;
		if (pgdat_free_pages(run->pgdat) >= rq->pages + pgtable_pages(rq->pages))
			res->paging.failed_enough_free++;
	}
	return 0;
}

static int do_free(struct frag_run *run)
{
	uint64_t slot = frag_rng_below(&run->rng, run->nr_live);
	struct frag_request *rq = &run->reqs[run->live[slot]];

	run->live[slot] = run->live[--run->nr_live];
	run->live_pages -= rq->pages;
	run->res->frees++;
	if (rq->seg_ok && segalloc_free(&run->sa, rq->seg_start, rq->pages))
		return -ENOMEM;
	rq->seg_ok = false;
	paging_free(run, rq);
	return 0;
}

/* One side's measures after a step. */
static void sample(struct mmsim_frag_side *s, struct frag_acc *acc, uint64_t usable,
		   uint64_t free_pages, uint64_t largest_run)
{
	uint64_t used = usable - free_pages;
	double frag = free_pages ? 1.0 - (double)largest_run / (double)free_pages : 0.0;

	acc->sum_used += (double)used / (double)usable;
	acc->sum_frag += frag;
	if (frag > s->extfrag_max)
		s->extfrag_max = frag;
	if (used > s->peak_used_pages) {
		s->peak_used_pages = used;
		s->peak_overhead_pages = acc->overhead;
		s->extfrag_at_peak = frag;
	}
}

static void finish_side(struct mmsim_frag_side *s, const struct frag_acc *acc, uint64_t usable,
			uint64_t steps)
{
	s->peak_used_fraction = (double)s->peak_used_pages / (double)usable;
	s->mean_used_fraction = acc->sum_used / (double)steps;
	s->extfrag_mean = acc->sum_frag / (double)steps;
}

/* Workload steps 1-3 over both sides. */
static int run_steps(struct frag_run *run)
{
	uint64_t usable = run->res->usable_pages;

	for (uint64_t step = 0; step < run->cfg->steps; step++) {
		bool alloc = frag_next_is_alloc(&run->rng, run->nr_live, run->live_pages, usable);
		int rc;

		rc = alloc ? do_alloc(run) : do_free(run);
		if (rc)
			return rc;
		sample(&run->res->segments, &run->seg_acc, usable, run->sa.free_pages,
		       segalloc_largest_hole(&run->sa));
		sample(&run->res->paging, &run->pg_acc, usable, pgdat_free_pages(run->pgdat),
		       bitmap_largest_run(run->free_bitmap, run->nr_words));
	}
	finish_side(&run->res->segments, &run->seg_acc, usable, run->cfg->steps);
	finish_side(&run->res->paging, &run->pg_acc, usable, run->cfg->steps);
	return 0;
}

/* The same as bitmap_largest_run(), bit by bit: the check of the fast one. */
static uint64_t bitmap_largest_run_slow(const uint64_t *bm, uint64_t nr_bits)
{
	uint64_t best = 0, cur = 0;

	for (uint64_t i = 0; i < nr_bits; i++) {
		cur = ((bm[i / 64] >> (i % 64)) & 1) ? cur + 1 : 0;
		if (cur > best)
			best = cur;
	}
	return best;
}

/* Whether the paging side's bitmap says exactly what the memmap says is free. */
static bool bitmap_matches_memmap(const struct frag_run *run)
{
	const struct pgdat *pgdat = run->pgdat;
	pfn_t pfn = 0;
	uint64_t set = 0;

	pgdat_memmap_materialize(run->pgdat);
	for (uint64_t i = 0; i < run->nr_words; i++)
		set += (uint64_t)__builtin_popcountll(run->free_bitmap[i]);
	while (pfn < pgdat->nr_pfns) {
		const struct page *pg = pgdat_page(pgdat, pfn);
		uint64_t n = page_flag_test(pg, PG_BUDDY) ? UINT64_C(1) << pg->order : 1;
		bool free_block = page_flag_test(pg, PG_BUDDY);

		for (uint64_t i = 0; i < n; i++) {
			bool bit = (run->free_bitmap[(pfn + i) / 64] >> ((pfn + i) % 64)) & 1;

			if (bit != free_block)
				return false;
		}
		pfn += n;
	}
	return set == pgdat_free_pages(pgdat);
}

/*
 * The books at the end: the fast largest-run scan agrees with a bit-by-bit one; after
 * freeing everything both sides hold all usable memory again, in runs of the same sizes,
 * and the bitmap says what the memmap says.
 */
static int final_check(struct frag_run *run, struct mmsim_error *err)
{
	struct check_report why;
	uint64_t frees = run->res->frees; /* the workload's; these frees are not */

	if (bitmap_largest_run(run->free_bitmap, run->nr_words) !=
	    bitmap_largest_run_slow(run->free_bitmap, run->nr_words * 64))
		return mmsim_error_set(err, -EFAULT, "internal check failed: largest free run");
	while (run->nr_live) {
		int rc = do_free(run);

		if (rc)
			return rc;
	}
	run->res->frees = frees;
	/* The frames freed last wait on the per-CPU lists (mm/pcp.c); drain_all_pages() gives
	 * them back to the free lists, so that the memmap shows every frame free. */
	pcp_drain_all(run->pgdat);
	if (!check_node(run->pgdat, &why) || !segalloc_check(&run->sa, &why))
		return mmsim_error_set(err, -EFAULT, "internal check failed: %s", why.reason);
	if (bitmap_largest_run(run->free_bitmap, run->nr_words) != segalloc_largest_hole(&run->sa))
		return mmsim_error_set(err, -EFAULT,
				       "internal check failed: the two sides' "
				       "largest free runs differ with everything free");
	if (!bitmap_matches_memmap(run))
		return mmsim_error_set(err, -EFAULT,
				       "internal check failed: the free-frame "
				       "bitmap disagrees with the memmap");
	if (run->sa.free_pages != run->res->usable_pages ||
	    pgdat_free_pages(run->pgdat) != run->res->usable_pages)
		return mmsim_error_set(err, -EFAULT,
				       "internal check failed: memory not all free "
				       "after the run");
	return 0;
}

static void cleanup(struct frag_run *run)
{
	for (uint64_t i = 0; i < run->nr_reqs; i++)
		free(run->reqs[i].frames);
	free(run->reqs);
	free(run->live);
	free(run->free_bitmap);
	segalloc_fini(&run->sa);
	pgdat_destroy(run->pgdat);
	physmem_fini(&run->pm);
}

int mmsim_experiment_fragmentation(const struct mmsim_frag_config *cfg,
				   struct mmsim_frag_result *out, struct mmsim_error *err)
{
	struct frag_run run = { 0 };
	int rc = validate(cfg, err);

	if (rc)
		return rc;
	memset(out, 0, sizeof(*out));
	out->config = *cfg;
	out->min_pages = (cfg->min_bytes + X86_PAGE_SIZE - 1) / X86_PAGE_SIZE;
	out->max_pages = (cfg->max_bytes + X86_PAGE_SIZE - 1) / X86_PAGE_SIZE;
	run.cfg = cfg;
	run.res = out;
	run.rng = cfg->seed;
	rc = physmem_init(&run.pm, cfg->mem_bytes, false);
	if (rc)
		return mmsim_error_set(err, rc, "cannot map %llu bytes of simulated memory",
				       (unsigned long long)cfg->mem_bytes);
	rc = pgdat_create(&run.pm, cfg->mem_bytes, &run.pgdat);
	if (!rc)
		rc = segalloc_init(&run.sa, cfg->fit == MMSIM_FRAG_BEST_FIT ? SEGALLOC_BEST_FIT
									    : SEGALLOC_FIRST_FIT);
	if (!rc)
		rc = setup(&run);
	if (!rc) {
		run.reqs = calloc(cfg->steps, sizeof(*run.reqs));
		run.live = calloc(cfg->steps, sizeof(*run.live));
		if (!run.reqs || !run.live)
			rc = -ENOMEM;
	}
	if (!rc)
		rc = run_steps(&run);
	if (!rc)
		rc = final_check(&run, err);
	else
		mmsim_error_set(err, rc, "out of host memory");
	cleanup(&run);
	if (!rc && cfg->thp_fill_percent)
		rc = frag_thp_run(cfg, &out->thp, err);
	return rc;
}
