/*
 * tests/unit/experiments/test_fragmentation.c: the fragmentation experiment runs, is
 * deterministic for a seed, keeps its books, and rejects bad configurations. It asserts
 * properties that must hold whatever the workload does, not which side "wins".
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>

#include "mmsim/error.h"
#include "mmsim/experiment.h"

static struct mmsim_frag_config small_config(void)
{
	struct mmsim_frag_config cfg;

	mmsim_frag_config_default(&cfg);
	cfg.seed = 7;
	cfg.steps = 3000;
	cfg.mem_bytes = UINT64_C(16) << 20;
	cfg.min_bytes = UINT64_C(4) << 10;
	cfg.max_bytes = UINT64_C(512) << 10;
	return cfg;
}

static void assert_books(const struct mmsim_frag_result *r)
{
	const struct mmsim_frag_side *sides[] = { &r->segments, &r->paging };

	cr_assert_eq(r->allocs + r->frees, r->config.steps);
	cr_assert_gt(r->usable_pages, 0);
	for (int i = 0; i < 2; i++) {
		const struct mmsim_frag_side *s = sides[i];

		cr_assert_eq(s->requests, r->allocs, "both sides see every request");
		cr_assert_leq(s->failed, s->requests);
		cr_assert_leq(s->failed_enough_free, s->failed);
		cr_assert_leq(s->peak_used_pages, r->usable_pages);
		cr_assert(s->extfrag_mean >= 0.0 && s->extfrag_mean <= s->extfrag_max + 1e-12);
		cr_assert(s->extfrag_max < 1.0 + 1e-12);
		cr_assert(s->mean_used_fraction <= s->peak_used_fraction + 1e-12);
	}
	/* Order-0 frames need no contiguity: with enough frames free a request is served. */
	cr_assert_eq(r->paging.failed_enough_free, 0);
	cr_assert_eq(r->segments.peak_overhead_pages, 0, "segments need no page tables");
}

Test(exp_fragmentation, first_fit_runs_and_keeps_its_books)
{
	struct mmsim_frag_config cfg = small_config();
	struct mmsim_frag_result r;
	struct mmsim_error err = { 0 };

	cr_assert_eq(mmsim_experiment_fragmentation(&cfg, &r, &err), 0, "%s", err.msg);
	cr_assert_eq(r.min_pages, 1);
	cr_assert_eq(r.max_pages, 128);
	assert_books(&r);
	cr_assert_gt(r.paging.peak_overhead_pages, 0, "paging pays for its tables");
}

Test(exp_fragmentation, best_fit_runs)
{
	struct mmsim_frag_config cfg = small_config();
	struct mmsim_frag_result r;
	struct mmsim_error err = { 0 };

	cfg.fit = MMSIM_FRAG_BEST_FIT;
	cr_assert_eq(mmsim_experiment_fragmentation(&cfg, &r, &err), 0, "%s", err.msg);
	assert_books(&r);
}

Test(exp_fragmentation, same_seed_same_result)
{
	struct mmsim_frag_config cfg = small_config();
	struct mmsim_frag_result a, b;

	cr_assert_eq(mmsim_experiment_fragmentation(&cfg, &a, NULL), 0);
	cr_assert_eq(mmsim_experiment_fragmentation(&cfg, &b, NULL), 0);
	cr_assert_eq(memcmp(&a, &b, sizeof(a)), 0);
	cfg.seed = 8;
	cr_assert_eq(mmsim_experiment_fragmentation(&cfg, &b, NULL), 0);
	cr_assert_neq(memcmp(&a.segments, &b.segments, sizeof(a.segments)), 0,
		      "another seed, another workload");
}

Test(exp_fragmentation, presets)
{
	uint64_t lo, hi;

	cr_assert_eq(mmsim_frag_sizes_preset("small", &lo, &hi), 0);
	cr_assert_eq(lo, 4096);
	cr_assert_eq(hi, 65536);
	cr_assert_eq(mmsim_frag_sizes_preset("large", &lo, &hi), 0);
	cr_assert_eq(lo, UINT64_C(1) << 20);
	cr_assert_eq(mmsim_frag_sizes_preset("huge", &lo, &hi), -EINVAL);
}

Test(exp_fragmentation, rejects_bad_configs)
{
	struct mmsim_frag_config cfg = small_config();
	struct mmsim_frag_result r;
	struct mmsim_error err = { 0 };

	cfg.steps = 0;
	cr_assert_eq(mmsim_experiment_fragmentation(&cfg, &r, &err), -EINVAL);
	cr_assert(strstr(err.msg, "steps"), "%s", err.msg);
	cfg = small_config();
	cfg.mem_bytes = (UINT64_C(16) << 20) + 1;
	cr_assert_eq(mmsim_experiment_fragmentation(&cfg, &r, &err), -EINVAL);
	cfg = small_config();
	cfg.min_bytes = cfg.max_bytes + 1;
	cr_assert_eq(mmsim_experiment_fragmentation(&cfg, &r, &err), -EINVAL);
	cfg = small_config();
	cfg.max_bytes = cfg.mem_bytes * 2;
	cr_assert_eq(mmsim_experiment_fragmentation(&cfg, &r, &err), -EINVAL);
	cr_assert(strstr(err.msg, "bigger than memory"), "%s", err.msg);
}

/* The huge-page part: its books hold whatever the workload does. */
Test(exp_fragmentation, thp_part_keeps_its_books)
{
	struct mmsim_frag_config cfg = small_config();
	struct mmsim_frag_result r;
	struct mmsim_error err = { 0 };
	const struct mmsim_frag_thp *t = &r.thp;

	cfg.thp_fill_percent = 75;
	cr_assert_eq(mmsim_experiment_fragmentation(&cfg, &r, &err), 0, "%s", err.msg);
	cr_assert(t->ran);
	cr_assert_leq(t->failed, t->requests);
	cr_assert_eq(t->free_pages_after, t->free_pages_before, "compaction frees nothing");
	cr_assert_geq(t->order9_after, t->order9_before,
		      "compaction leaves free pageblocks whole (suitable_migration_target)");
	cr_assert_leq(t->order9_before * 512, t->free_pages_before);
	for (int i = 0; i < MMSIM_FRAG_THP_NR_ROWS; i++) {
		const struct mmsim_frag_thp_result *row = &t->rows[i];

		cr_assert_eq(row->attempts, t->free_pages_before / 512);
		cr_assert_eq(row->thp_fault_alloc + row->thp_fault_fallback, row->attempts,
			     "each attempt is one THP fault");
		cr_assert_leq(row->success_at[MMSIM_FRAG_THP_POINTS - 1], 1.0);
		cr_assert_float_eq(row->success_at[MMSIM_FRAG_THP_POINTS - 1],
				   row->success_fraction, 1e-12);
	}
	/* Without compaction a huge page needs a free 2 MiB block. */
	cr_assert_eq(t->rows[MMSIM_FRAG_THP_NEVER].compact_stall, 0);
	cr_assert_leq(t->rows[MMSIM_FRAG_THP_NEVER].thp_fault_alloc,
		      t->rows[MMSIM_FRAG_THP_NEVER].order9_blocks);
	cr_assert_eq(t->rows[MMSIM_FRAG_THP_COMPACTED].order9_blocks, t->order9_after);
	cr_assert_leq(t->rows[MMSIM_FRAG_THP_COMPACTED].thp_fault_alloc, t->order9_after);
	cr_assert_eq(t->rows[MMSIM_FRAG_THP_DIRECT].compact_stall,
		     t->rows[MMSIM_FRAG_THP_DIRECT].compact_success +
			     t->rows[MMSIM_FRAG_THP_DIRECT].compact_fail);
	cfg.thp_fill_percent = 0;
	cr_assert_eq(mmsim_experiment_fragmentation(&cfg, &r, &err), 0, "%s", err.msg);
	cr_assert_not(r.thp.ran);
	cfg.thp_fill_percent = 91;
	cr_assert_eq(mmsim_experiment_fragmentation(&cfg, &r, &err), -EINVAL);
	cr_assert(strstr(err.msg, "fill"), "%s", err.msg);
}

/*
 * The default 64 MiB machine has a DMA32 zone whose per-CPU page list holds freed frames
 * (mm/pcp.c): the paging side's last frees wait there until the final check drains them,
 * and the huge-page part runs with pcp=off, so that compaction's before and after compare.
 */
Test(exp_fragmentation, runs_on_a_machine_with_per_cpu_lists)
{
	struct mmsim_frag_config cfg = small_config();
	struct mmsim_frag_result r;
	struct mmsim_error err = { 0 };

	cfg.mem_bytes = UINT64_C(64) << 20;
	cfg.thp_fill_percent = 75;
	cr_assert_eq(mmsim_experiment_fragmentation(&cfg, &r, &err), 0, "%s", err.msg);
	assert_books(&r);
	cr_assert(r.thp.ran);
	cr_assert_eq(r.thp.free_pages_after, r.thp.free_pages_before);
}
