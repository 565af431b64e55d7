/*
 * experiments/frag_thp.c: the fragmentation experiment's huge-page part (frag_thp.h,
 * struct mmsim_frag_thp in mmsim/experiment.h).
 *
 * Every row gets a fresh machine booted from the same config (RAM as the experiment's, no
 * swap so nothing is reclaimed, thp=madvise so the workload's own mappings stay 4 KiB,
 * khugepaged kept out with max_ptes_none=0), so the rows differ only in the defrag setting
 * and in whether compact_memory ran before the huge-page faults:
 *  1. one process serves the workload: a request is an anonymous private mapping with
 *     MAP_POPULATE (its pages are on the LRU, mapped once: movable for compaction,
 *     Linux mm/compaction.c isolate_migratepages_block()); a free is munmap. Requests
 *     are drawn as the paging/segments part draws them (frag_workload.h), demand
 *     hovering around thp_fill_percent of the frames free once the process exists; a
 *     request is refused when it would leave less than 1/16 of those frames free;
 *  2. free memory is read from /proc/buddyinfo (mmsim_report(), as a user would);
 *  3. COMPACTED row only: compact_memory, then buddyinfo again;
 *  4. attempts = free frames / 1024 regions of 2 MiB are mapped (a multiple of 2 MiB, so
 *     placed on a 2 MiB boundary: __thp_get_unmapped_area()), given MADV_HUGEPAGE and
 *     written once each: each write is one THP fault (do_huge_pmd_anonymous_page()),
 *     which gets a huge page or falls back (thp_fault_alloc / thp_fault_fallback).
 * Every machine's checkers run at the end (mmsim_check()).
 */
#include "experiments/frag_thp.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "experiments/frag_workload.h"
#include "mmsim/error.h"
#include "mmsim/experiment.h"
#include "mmsim/mmsim.h"

#define PAGE_BYTES UINT64_C(4096)
#define HUGE_PAGES UINT64_C(512)   /* 4 KiB pages in 2 MiB */
#define ORDER_HUGE 9u		   /* HPAGE_PMD_ORDER */
#define BUDDY_ORDERS 11u	   /* /proc/buddyinfo columns: orders 0..10 */
#define ATTEMPT_DIVISOR HUGE_PAGES /* free frames per attempt */
#define NR_NAMES 6u		   /* the counters an attempt phase reads */

static const char *const row_names[MMSIM_FRAG_THP_NR_ROWS] = {
	[MMSIM_FRAG_THP_NEVER] = "never",
	[MMSIM_FRAG_THP_DIRECT] = "direct",
	[MMSIM_FRAG_THP_COMPACTED] = "compacted",
};

const char *mmsim_frag_thp_row_name(enum mmsim_frag_thp_row row)
{
	return (unsigned int)row < MMSIM_FRAG_THP_NR_ROWS ? row_names[row] : NULL;
}

struct request {
	uint64_t pages;
	uint64_t addr; /* 0: not served (refused, or freed) */
};

/* Free memory as /proc/buddyinfo shows it, summed over the zones. */
struct free_info {
	uint64_t free_pages;
	uint64_t order9_blocks; /* blocks of order >= 9, in 2 MiB units */
	double unusable9;	/* unusable_free_index(9) over the node */
};

static uint64_t counter(const struct mmsim_system *sys, const char *name)
{
	uint64_t v = 0;

	mmsim_counter(sys, name, &v); /* names the kernel has: never -ENOENT */
	return v;
}

/* Step 2: parses "Node 0, zone   Normal  n0 n1 ... n10" lines. */
static int read_buddyinfo(struct mmsim_system *sys, struct free_info *fi, struct mmsim_error *err)
{
	char *text = NULL, *p;
	int rc = mmsim_report(sys, NULL, "buddyinfo", &text, err);

	if (rc)
		return rc;
	memset(fi, 0, sizeof(*fi));
	for (p = text; (p = strstr(p, "zone")) != NULL;) {
		p += 4;
		while (*p == ' ')
			p++;
		while (*p && *p != ' ')
			p++; /* the zone's name */
		for (unsigned int o = 0; o < BUDDY_ORDERS; o++) {
			uint64_t n = strtoull(p, &p, 10);

			fi->free_pages += n << o;
			if (o >= ORDER_HUGE)
				fi->order9_blocks += n << (o - ORDER_HUGE);
		}
	}
	free(text);
	/* Linux mm/vmstat.c unusable_free_index(): 1 when nothing is free. */
	fi->unusable9 = fi->free_pages ? (double)(fi->free_pages - fi->order9_blocks * HUGE_PAGES) /
						 (double)fi->free_pages
				       : 1.0;
	return 0;
}

static int boot(enum mmsim_frag_thp_row row, uint64_t mem_bytes, struct mmsim_system **sys,
		struct mmsim_error *err)
{
	struct mmsim_config c;

	mmsim_config_default(&c);
	c.mem_bytes = mem_bytes;
	c.swap_bytes = 0;
	strcpy(c.thp, "madvise");
	strcpy(c.defrag, row == MMSIM_FRAG_THP_DIRECT ? "madvise" : "never");
	c.khugepaged_max_ptes_none = 0;
	/* No per-CPU page lists: /proc/buddyinfo then holds every free frame, so that the
	 * counts before and after compact_memory compare like with like (with them, the pages
	 * migration frees wait on a list, outside buddyinfo, as on Linux). */
	c.pcp = false;
	return mmsim_system_create(&c, sys, err);
}

struct workload {
	const struct mmsim_frag_config *cfg;
	struct mmsim_system *sys;
	struct mmsim_task *task;
	struct request *reqs;
	uint64_t nr_reqs;
	uint64_t *live; /* ids of live requests (live in the workload, served or not) */
	uint64_t nr_live, live_pages;
	uint64_t rng;
	uint64_t usable, target, reserve;
	uint64_t min_pages, max_pages;
	struct mmsim_frag_thp *out;
};

static int do_alloc(struct workload *w)
{
	struct request *rq = &w->reqs[w->nr_reqs];
	uint64_t id = w->nr_reqs++, free_pages = counter(w->sys, "nr_free_pages");

	rq->pages = frag_draw_pages(&w->rng, w->min_pages, w->max_pages);
	rq->addr = 0;
	w->live[w->nr_live++] = id;
	w->live_pages += rq->pages;
	w->out->requests++;
	/* The page tables a mapping may need: one PT per 2 MiB it spans, and a PMD page. */
	if (free_pages < rq->pages + rq->pages / HUGE_PAGES + 3 + w->reserve) {
		w->out->failed++;
		return 0;
	}
	if (mmsim_mmap(w->task, 0, rq->pages * PAGE_BYTES, MMSIM_PROT_READ | MMSIM_PROT_WRITE,
		       MMSIM_MAP_PRIVATE | MMSIM_MAP_ANONYMOUS | MMSIM_MAP_POPULATE, &rq->addr)) {
		rq->addr = 0;
		w->out->failed++;
	}
	return mmsim_task_alive(w->task) ? 0 : -EFAULT;
}

static int do_free(struct workload *w)
{
	uint64_t slot = frag_rng_below(&w->rng, w->nr_live);
	struct request *rq = &w->reqs[w->live[slot]];

	w->live[slot] = w->live[--w->nr_live];
	w->live_pages -= rq->pages;
	if (rq->addr && mmsim_munmap(w->task, rq->addr, rq->pages * PAGE_BYTES))
		return -EFAULT;
	rq->addr = 0;
	return 0;
}

/* Step 1. */
static int run_workload(struct workload *w)
{
	for (uint64_t step = 0; step < w->cfg->steps; step++) {
		int rc = frag_next_is_alloc(&w->rng, w->nr_live, w->live_pages, w->target)
				 ? do_alloc(w)
				 : do_free(w);

		if (rc)
			return rc;
	}
	w->out->live_pages = 0;
	for (uint64_t i = 0; i < w->nr_live; i++)
		if (w->reqs[w->live[i]].addr)
			w->out->live_pages += w->reqs[w->live[i]].pages;
	return 0;
}

/* Step 4. */
static int thp_attempts(struct workload *w, struct mmsim_frag_thp_result *r,
			const struct free_info *fi)
{
	static const char *const names[] = { "thp_fault_alloc", "thp_fault_fallback",
					     "compact_stall",	"compact_success",
					     "compact_fail",	"pgmigrate_success" };
	uint64_t before[NR_NAMES], after[NR_NAMES];

	r->order9_blocks = fi->order9_blocks;
	r->attempts = fi->free_pages / ATTEMPT_DIVISOR;
	for (size_t i = 0; i < NR_NAMES; i++)
		before[i] = counter(w->sys, names[i]);
	for (uint64_t i = 0; i < r->attempts; i++) {
		uint64_t addr;

		if (mmsim_mmap(w->task, 0, HUGE_PAGES * PAGE_BYTES,
			       MMSIM_PROT_READ | MMSIM_PROT_WRITE,
			       MMSIM_MAP_PRIVATE | MMSIM_MAP_ANONYMOUS, &addr) ||
		    mmsim_madvise(w->task, addr, HUGE_PAGES * PAGE_BYTES, MMSIM_MADV_HUGEPAGE) ||
		    mmsim_access(w->task, addr, MMSIM_ACCESS_WRITE, true) != MMSIM_SIG_NONE)
			return -EFAULT;
		for (unsigned int k = 0; k < MMSIM_FRAG_THP_POINTS; k++) {
			/* The point k covers the first ceil((k + 1) * attempts / POINTS). */
			uint64_t upto = ((k + 1) * r->attempts + MMSIM_FRAG_THP_POINTS - 1) /
					MMSIM_FRAG_THP_POINTS;

			if (upto == i + 1)
				r->success_at[k] = (double)(counter(w->sys, names[0]) - before[0]) /
						   (double)(i + 1);
		}
	}
	for (size_t i = 0; i < NR_NAMES; i++)
		after[i] = counter(w->sys, names[i]) - before[i];
	r->thp_fault_alloc = after[0];
	r->thp_fault_fallback = after[1];
	r->compact_stall = after[2];
	r->compact_success = after[3];
	r->compact_fail = after[4];
	r->pgmigrate_success = after[5];
	r->success_fraction = r->attempts ? (double)r->thp_fault_alloc / (double)r->attempts : 0.0;
	return 0;
}

/* One row on its own machine: steps 1-4. */
static int run_row(const struct mmsim_frag_config *cfg, enum mmsim_frag_thp_row row,
		   struct workload *w, struct mmsim_error *err)
{
	struct mmsim_frag_thp *out = w->out;
	struct free_info fi;
	int rc = boot(row, cfg->mem_bytes, &w->sys, err);

	if (rc)
		return rc;
	rc = mmsim_task_spawn(w->sys, &w->task);
	if (rc) {
		mmsim_error_set(err, rc, "cannot spawn the experiment's process");
		goto out_destroy;
	}
	w->usable = counter(w->sys, "nr_free_pages");
	w->target = w->usable * cfg->thp_fill_percent / 100;
	w->reserve = w->usable / 16;
	w->rng = cfg->seed;
	w->nr_reqs = w->nr_live = w->live_pages = 0;
	out->usable_pages = w->usable;
	out->target_pages = w->target;
	out->requests = out->failed = 0;
	rc = run_workload(w);
	if (rc) {
		mmsim_error_set(err, rc, "internal check failed: the workload's process %s",
				mmsim_task_alive(w->task) ? "could not unmap a request"
							  : "was killed");
		goto out_destroy;
	}
	rc = read_buddyinfo(w->sys, &fi, err);
	if (rc)
		goto out_destroy;
	out->free_pages_before = fi.free_pages;
	out->order9_before = fi.order9_blocks;
	out->unusable9_before = fi.unusable9;
	if (row == MMSIM_FRAG_THP_COMPACTED) {
		out->compact_migrated = mmsim_compact_memory(w->sys);
		rc = read_buddyinfo(w->sys, &fi, err);
		if (rc)
			goto out_destroy;
		out->free_pages_after = fi.free_pages;
		out->order9_after = fi.order9_blocks;
		out->unusable9_after = fi.unusable9;
	}
	rc = thp_attempts(w, &out->rows[row], &fi);
	if (rc) {
		mmsim_error_set(err, rc, "internal check failed: a huge-page attempt failed");
		goto out_destroy;
	}
	rc = mmsim_check(w->sys, err);
out_destroy:
	mmsim_system_destroy(w->sys);
	w->sys = NULL;
	return rc;
}

int frag_thp_run(const struct mmsim_frag_config *cfg, struct mmsim_frag_thp *out,
		 struct mmsim_error *err)
{
	struct workload w = {
		.cfg = cfg,
		.out = out,
		.min_pages = (cfg->min_bytes + PAGE_BYTES - 1) / PAGE_BYTES,
		.max_pages = (cfg->max_bytes + PAGE_BYTES - 1) / PAGE_BYTES,
	};
	int rc = 0;

	w.reqs = calloc(cfg->steps, sizeof(*w.reqs));
	w.live = calloc(cfg->steps, sizeof(*w.live));
	if (!w.reqs || !w.live) {
		rc = mmsim_error_set(err, -ENOMEM, "out of host memory");
		goto out_free;
	}
	for (unsigned int row = 0; row < MMSIM_FRAG_THP_NR_ROWS && !rc; row++)
		rc = run_row(cfg, (enum mmsim_frag_thp_row)row, &w, err);
	out->ran = !rc;
out_free:
	free(w.reqs);
	free(w.live);
	return rc;
}
