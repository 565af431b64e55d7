/*
 * tests/unit/experiments/test_switch.c: the workload-switch experiment through the API.
 * Properties that follow from what each preparation is, whatever the policy's details:
 * a phase's accesses are pages x passes x touches; a single pass over fresh memory makes
 * one minor fault a page and no major one; MADV_PAGEOUT over A frees all of A (A's pages
 * are private and idle), so A's return swaps every page back in; with nothing done, B's
 * arrival is what makes reclaim run. The model's time is the formula of mmsim/experiment.h.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>

#include "mmsim/error.h"
#include "mmsim/experiment.h"

#define MIB (UINT64_C(1) << 20)

static struct mmsim_switch_config small_config(void)
{
	struct mmsim_switch_config c;

	mmsim_switch_config_default(&c);
	c.mem_bytes = 16 * MIB;
	c.swap_bytes = 64 * MIB;
	c.a_bytes = 10 * MIB;
	c.b_bytes = 10 * MIB;
	c.a_rounds = 1;
	c.b_rounds = 1;
	c.touches = 2;
	return c;
}

Test(exp_switch, defaults_and_names)
{
	struct mmsim_switch_config c;

	mmsim_switch_config_default(&c);
	cr_expect_eq(c.mem_bytes, 64 * MIB);
	cr_expect_str_eq(c.policy, "linux");
	cr_expect_str_eq(mmsim_switch_prep_name(MMSIM_SWITCH_NONE), "none");
	cr_expect_str_eq(mmsim_switch_prep_name(MMSIM_SWITCH_MEMORY_RECLAIM), "memory.reclaim");
	cr_expect_null(mmsim_switch_prep_name(MMSIM_SWITCH_NR_PREPS));
}

Test(exp_switch, each_preparation_does_what_it_is)
{
	struct mmsim_switch_config c = small_config();
	struct mmsim_switch_result r;
	struct mmsim_error err = { 0 };
	uint64_t pages = 10 * MIB / 4096;
	const struct mmsim_switch_row *none = &r.rows[MMSIM_SWITCH_NONE];
	const struct mmsim_switch_row *po = &r.rows[MMSIM_SWITCH_PAGEOUT];

	cr_assert_eq(mmsim_experiment_switch(&c, &r, &err), 0, "%s", err.msg);
	for (int p = 0; p < MMSIM_SWITCH_NR_PREPS; p++) {
		const struct mmsim_switch_row *row = &r.rows[p];
		double ms;

		cr_expect_eq(row->prep, (enum mmsim_switch_prep)p);
		cr_expect_eq(row->a.accesses, pages * 2);
		cr_expect_eq(row->b.accesses, pages * 2);
		cr_expect_eq(row->a_back.accesses, pages * 2);
		cr_expect_eq(row->a.minflt, pages, "one first touch a page");
		cr_expect_eq(row->a.majflt, 0);
		cr_expect_eq(row->b.minflt, pages, "%s: B touches fresh memory once",
			     mmsim_switch_prep_name(row->prep));
		cr_expect_eq(row->b.majflt, 0);
		cr_expect_eq(row->a_back.minflt + row->a_back.majflt >= row->a_back.majflt, 1);
		ms = ((double)row->b.accesses * 1 + (double)row->b.minflt * 1000 +
		      (double)row->b.pgscan_direct * 50 + (double)row->b.pgsteal_direct * 5000) /
		     1e6;
		cr_expect(row->b.time_ms > ms - 1e-9 && row->b.time_ms < ms + 1e-9,
			  "the model's formula: %g, want %g", row->b.time_ms, ms);
		for (int i = 1; i < MMSIM_SWITCH_POINTS; i++)
			cr_expect(row->b_ms_at[i] >= row->b_ms_at[i - 1], "B's time only grows");
		cr_expect(row->b_ms_at[MMSIM_SWITCH_POINTS - 1] > row->b.time_ms - 1e-9 &&
			  row->b_ms_at[MMSIM_SWITCH_POINTS - 1] < row->b.time_ms + 1e-9);
	}
	/* Nothing done: A and B do not both fit in 16 MiB, so reclaim runs during B. */
	cr_expect_eq(none->reclaimed_bytes, 0);
	cr_expect_eq(none->prep_pswpout, 0);
	cr_expect_gt(none->b.pgsteal_direct + none->b.pgsteal_kswapd, 0);
	cr_expect_gt(none->b.pswpout, 0);
	/* MADV_PAGEOUT over A: every page of A goes, and comes back as a major fault. */
	cr_expect_eq(po->reclaimed_bytes, 10 * MIB);
	cr_expect_eq(po->prep_pswpout, pages);
	cr_expect_eq(po->a_back.majflt, pages);
	cr_expect_lt(po->b.pswpout, none->b.pswpout, "B's run writes less to swap");
	cr_expect_leq(po->b.time_ms, none->b.time_ms);
	cr_expect_geq(po->a_back.majflt, none->a_back.majflt);
}

Test(exp_switch, deterministic)
{
	struct mmsim_switch_config c = small_config();
	static struct mmsim_switch_result r1, r2;
	struct mmsim_error err = { 0 };

	c.a_bytes = c.b_bytes = 6 * MIB;
	cr_assert_eq(mmsim_experiment_switch(&c, &r1, &err), 0, "%s", err.msg);
	cr_assert_eq(mmsim_experiment_switch(&c, &r2, &err), 0, "%s", err.msg);
	cr_expect_eq(memcmp(&r1, &r2, sizeof(r1)), 0);
}

Test(exp_switch, bad_configs)
{
	struct mmsim_switch_config c = small_config();
	static struct mmsim_switch_result r;
	struct mmsim_error err = { 0 };

	c.touches = 3;
	cr_expect_eq(mmsim_experiment_switch(&c, &r, &err), -EINVAL);
	cr_expect(strstr(err.msg, "touches") != NULL, "%s", err.msg);
	c = small_config();
	c.a_bytes = 60 * MIB;
	c.b_bytes = 30 * MIB;
	cr_expect_eq(mmsim_experiment_switch(&c, &r, &err), -EINVAL);
	cr_expect(strstr(err.msg, "do not fit") != NULL, "%s", err.msg);
	c = small_config();
	strcpy(c.policy, "belady2");
	cr_expect_eq(mmsim_experiment_switch(&c, &r, &err), -EINVAL);
	c = small_config();
	c.b_rounds = 0;
	cr_expect_eq(mmsim_experiment_switch(&c, &r, &err), -EINVAL);
}
