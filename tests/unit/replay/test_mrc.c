/*
 * tests/unit/replay/test_mrc.c: one-pass miss-ratio curves (mmsim/mrc.h) through the API.
 *
 * Independent cases: the textbook reference string 1 2 3 4 1 2 5 1 2 3 4 5 (LRU misses 10
 * with 3 frames and 8 with 4, OPT 7 and 6, any textbook); a trace that only reads (the zero
 * page: nothing but first touches at any size). The equality with the machine is checked
 * against demand-reclaim replays of the same trace, one per size, through the library.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mmsim/error.h"
#include "mmsim/mmsim.h"
#include "mmsim/mrc.h"
#include "mmsim/replay.h"
#include "mmsim/trace.h"

struct text {
	char *buf;
	size_t len, cap;
};

static void put_line(struct text *t, const char *line)
{
	size_t n = strlen(line);

	if (t->len + n + 1 > t->cap) {
		t->cap = t->cap ? t->cap * 2 : 4096;
		t->buf = realloc(t->buf, t->cap);
		cr_assert_not_null(t->buf);
	}
	memcpy(t->buf + t->len, line, n + 1);
	t->len += n;
}

static void put(struct text *t, const char *kind, uint64_t addr, unsigned int size)
{
	char line[64];

	snprintf(line, sizeof(line), " %s %" PRIx64 ",%u\n", kind, addr, size);
	put_line(t, line);
}

static struct mmsim_trace_reader *reader(const struct text *t)
{
	struct mmsim_trace_reader *r;
	struct mmsim_error err = { 0 };

	cr_assert_eq(mmsim_trace_reader_create_memory(t->buf, t->len, "test", &r, &err), 0, "%s",
		     err.msg);
	return r;
}

static struct mmsim_mrc *curve(const struct text *t, bool lru, bool opt, double rate, uint64_t max)
{
	struct mmsim_trace_reader *r = reader(t);
	struct mmsim_replay_future *f = NULL;
	struct mmsim_mrc_opts o = { .sample_rate = rate, .sample_max = max };
	struct mmsim_error err = { 0 };
	struct mmsim_mrc *m;

	o.policy[MMSIM_MRC_LRU] = lru;
	o.policy[MMSIM_MRC_OPT] = opt;
	if (opt) {
		cr_assert_eq(mmsim_replay_future_build(r, &f, &err), 0, "%s", err.msg);
		cr_assert_eq(mmsim_trace_rewind(r, &err), 0, "%s", err.msg);
	}
	cr_assert_eq(mmsim_mrc_build(r, f, &o, &m, &err), 0, "%s", err.msg);
	mmsim_replay_future_destroy(f);
	mmsim_trace_reader_destroy(r);
	return m;
}

/* Misses of one demand-reclaim replay, counted as mmsim sweep counts them. */
static uint64_t replay_misses(const struct text *t, const char *policy, uint64_t frames)
{
	struct mmsim_trace_reader *r = reader(t);
	struct mmsim_replay_future *f = NULL;
	struct mmsim_replay_footprint fp;
	struct mmsim_error err = { 0 };
	struct mmsim_system *sys;
	struct mmsim_replay *rp;
	struct mmsim_config c;
	char buf[32];
	uint64_t major = 0;

	cr_assert_eq(mmsim_replay_future_build(r, &f, &err), 0, "%s", err.msg);
	mmsim_replay_future_footprint(f, &fp);
	cr_assert_eq(mmsim_trace_rewind(r, &err), 0, "%s", err.msg);
	mmsim_config_default(&c);
	snprintf(buf, sizeof(buf), "%" PRIu64, frames);
	cr_assert_eq(mmsim_config_set(&c, "frames", buf, &err), 0, "%s", err.msg);
	cr_assert_eq(mmsim_config_set(&c, "policy", policy, &err), 0, "%s", err.msg);
	cr_assert_eq(mmsim_config_set(&c, "swap", "64M", &err), 0, "%s", err.msg);
	cr_assert_eq(mmsim_system_create(&c, &sys, &err), 0, "%s", err.msg);
	cr_assert_eq(mmsim_replay_create(sys, &rp, &err), 0, "%s", err.msg);
	if (mmsim_needs_future(sys))
		mmsim_replay_set_future(rp, f);
	cr_assert_eq(mmsim_replay_trace(rp, r, NULL, &err), 0, "%s", err.msg);
	mmsim_counter(sys, "pgmajfault", &major);
	mmsim_replay_destroy(rp);
	mmsim_system_destroy(sys);
	mmsim_replay_future_destroy(f);
	mmsim_trace_reader_destroy(r);
	return fp.pages + major;
}

Test(mrc, textbook_reference_string)
{
	static const int ref[] = { 1, 2, 3, 4, 1, 2, 5, 1, 2, 3, 4, 5 };
	struct text t = { 0 };
	struct mmsim_mrc *m;

	for (size_t i = 0; i < sizeof(ref) / sizeof(ref[0]); i++)
		put(&t, "S", 0x10000000 + (uint64_t)ref[i] * 4096, 8);
	m = curve(&t, true, true, 0, 0);
	cr_expect_eq(mmsim_mrc_misses(m, MMSIM_MRC_LRU, 3), 10);
	cr_expect_eq(mmsim_mrc_misses(m, MMSIM_MRC_LRU, 4), 8);
	cr_expect_eq(mmsim_mrc_misses(m, MMSIM_MRC_OPT, 3), 7);
	cr_expect_eq(mmsim_mrc_misses(m, MMSIM_MRC_OPT, 4), 6);
	/* Five pages: from 5 frames on, first touches only. */
	cr_expect_eq(mmsim_mrc_misses(m, MMSIM_MRC_LRU, 5), 5);
	cr_expect_eq(mmsim_mrc_misses(m, MMSIM_MRC_LRU, 1000), 5);
	cr_expect_eq(mmsim_mrc_max_frames(m, MMSIM_MRC_LRU), 5);
	cr_expect_eq(mmsim_mrc_misses(m, MMSIM_MRC_LRU, 1), 12);
	cr_expect(fabs(mmsim_mrc_miss_ratio(m, MMSIM_MRC_OPT, 3) - 7.0 / 12) < 1e-12);
	mmsim_mrc_destroy(m);
	free(t.buf);
}

/* Reads map the zero page: no page ever takes a frame, so one frame is as good as any. */
Test(mrc, reads_hold_no_frame)
{
	struct text t = { 0 };
	struct mmsim_mrc_info info;
	struct mmsim_mrc *m;

	for (int rep = 0; rep < 5; rep++)
		for (int p = 0; p < 20; p++)
			put(&t, "L", 0x10000000 + (uint64_t)p * 4096, 8);
	m = curve(&t, true, true, 0, 0);
	mmsim_mrc_get_info(m, &info);
	cr_expect_eq(info.pages, 20);
	cr_expect_eq(info.framed_pages, 0);
	cr_expect_eq(mmsim_mrc_misses(m, MMSIM_MRC_LRU, 1), 20);
	cr_expect_eq(mmsim_mrc_misses(m, MMSIM_MRC_OPT, 1), 20);
	cr_expect_eq(replay_misses(&t, "lru", 1), 20);
	mmsim_mrc_destroy(m);
	free(t.buf);
}

/* A mixed trace: loads, stores, modifies across page boundaries, the stack's zone, an
 * address below 64 KiB (SIGSEGV) and one above the stack (SIGSEGV): every size of both
 * curves equals its own replay. */
Test(mrc, equals_replays_at_every_size)
{
	static const char *const kinds[] = { "L", "L", "S", "M" };
	struct text t = { 0 };
	struct mmsim_mrc_info info;
	struct mmsim_mrc *m;
	uint64_t x = 12345;

	for (int i = 0; i < 3000; i++) {
		uint64_t base, page, addr;

		x = x * 6364136223846793005u + 1442695040888963407u;
		page = (x >> 33) % 61;
		page = page * page % 61; /* some pages far more often than others */
		base = (x >> 20) % 5 == 0 ? UINT64_C(0x7ffffff00000) : UINT64_C(0x10000000);
		addr = base + page * 4096 + (x >> 40) % 4096;
		put(&t, kinds[(x >> 13) % 4], addr, 1 + (unsigned int)((x >> 7) % 16));
		if (i % 500 == 0)
			put(&t, "L", 0x1000, 8);
	}
	put(&t, "S", UINT64_C(0x7ffffffff000) + 4096 * 3, 8);
	m = curve(&t, true, true, 0, 0);
	mmsim_mrc_get_info(m, &info);
	cr_assert_eq(info.refused_framed, 0);
	cr_assert_gt(info.framed_pages, 40);
	for (uint64_t f = 1; f <= info.framed_pages + 1; f += f < 8 ? 1 : 7) {
		cr_expect_eq(mmsim_mrc_misses(m, MMSIM_MRC_LRU, f), replay_misses(&t, "lru", f),
			     "lru, %" PRIu64 " frames", f);
		cr_expect_eq(mmsim_mrc_misses(m, MMSIM_MRC_OPT, f), replay_misses(&t, "opt", f),
			     "opt, %" PRIu64 " frames", f);
	}
	mmsim_mrc_destroy(m);
	free(t.buf);
}

static struct text loop_trace(void)
{
	struct text t = { 0 };
	uint64_t x = 7;

	/* 4000 pages, a hot set of 400 visited often. */
	for (int i = 0; i < 60000; i++) {
		uint64_t page;

		x = x * 6364136223846793005u + 1442695040888963407u;
		page = (x >> 33) % 10 < 7 ? (x >> 40) % 400 : (x >> 40) % 4000;
		put(&t, (x >> 20) % 3 ? "S" : "L", 0x10000000 + page * 4096, 8);
	}
	return t;
}

Test(mrc, shards_fixed_rate_is_close)
{
	struct text t = loop_trace();
	struct mmsim_mrc *exact = curve(&t, true, false, 0, 0);
	struct mmsim_mrc *s = curve(&t, true, false, 0.1, 0);
	struct mmsim_mrc_info info;
	double err = 0;
	int n = 0;

	mmsim_mrc_get_info(s, &info);
	cr_expect(!info.exact);
	cr_expect(fabs(info.rate - 0.1) < 1e-6);
	cr_expect_lt(info.sampled, 60000 / 5, "about a tenth of the accesses");
	for (uint64_t f = 50; f <= 5000; f += 50, n++)
		err += fabs(mmsim_mrc_miss_ratio(s, MMSIM_MRC_LRU, f) -
			    mmsim_mrc_miss_ratio(exact, MMSIM_MRC_LRU, f));
	cr_expect_lt(err / n, 0.03, "mean absolute error %g", err / n);
	mmsim_mrc_destroy(exact);
	mmsim_mrc_destroy(s);
	free(t.buf);
}

/*
 * Groups of 20 pages, each walked twice in a row: every reuse is at LRU distance exactly 20.
 * The mean distance a curve implies is the area between it and its floor (the cold misses)
 * per reuse: sum over f >= 0 of (misses(f) - cold) / reuses. The exact curve gives 20. A
 * sampled distance d counts the page and d - 1 of the 19 others, each sampled at rate R:
 * 1 + (d - 1) / R is right on average; d / R would give about 1 / R - 1 = 9 frames more.
 */
Test(mrc, shards_scales_distances_without_bias)
{
	struct text t = { 0 };
	struct mmsim_mrc *s;
	struct mmsim_mrc_info info;
	double area = 0, cold, reuses;

	for (uint64_t g = 0; g < 5000; g++) {
		for (int round = 0; round < 2; round++)
			for (uint64_t i = 0; i < 20; i++)
				put(&t, "S", 0x10000000 + (g * 20 + i) * 4096, 8);
	}
	s = curve(&t, true, false, 0.1, 0);
	mmsim_mrc_get_info(s, &info);
	cold = mmsim_mrc_miss_ratio(s, MMSIM_MRC_LRU, 1000);
	cr_expect(fabs(cold - 0.5) < 0.05, "half the accesses are first touches: %g", cold);
	reuses = 1 - cold;
	for (uint64_t f = 0; f < 1000; f++)
		area += mmsim_mrc_miss_ratio(s, MMSIM_MRC_LRU, f) - cold;
	cr_expect(fabs(area / reuses - 20) < 1.5,
		  "mean distance %g, want 20 (%" PRIu64 " pages sampled)", area / reuses,
		  info.pages);
	mmsim_mrc_destroy(s);
	free(t.buf);
}

Test(mrc, shards_fixed_size_lowers_the_rate)
{
	struct text t = loop_trace();
	struct mmsim_mrc *exact = curve(&t, true, false, 0, 0);
	struct mmsim_mrc *s = curve(&t, true, false, 0, 256);
	struct mmsim_mrc_info info;
	double err = 0;
	int n = 0;

	mmsim_mrc_get_info(s, &info);
	cr_expect(!info.exact);
	cr_expect_lt(info.rate, 0.2, "256 of 4000 pages: the rate fell to about 0.064");
	for (uint64_t f = 50; f <= 5000; f += 50, n++)
		err += fabs(mmsim_mrc_miss_ratio(s, MMSIM_MRC_LRU, f) -
			    mmsim_mrc_miss_ratio(exact, MMSIM_MRC_LRU, f));
	cr_expect_lt(err / n, 0.05, "mean absolute error %g", err / n);
	mmsim_mrc_destroy(exact);
	mmsim_mrc_destroy(s);
	free(t.buf);
}

/*
 * A sampled pass without a future runs most records through a loop of its own (the records
 * the hash leaves out only count); with a future (OPT asked for too) each goes through the
 * general path. Both must give the same LRU curve and counts, on a trace with every access
 * kind, several pids, page-crossing records and records at the end of a page, at a fixed
 * rate and at a fixed size (the rate falls during the pass).
 */
static struct text mixed_trace(void)
{
	static const char *const kinds[] = { "L", "S", "M", "I" };
	static const unsigned int sizes[] = { 1, 4, 8, 16, 64 };
	struct text t = { 0 };
	uint64_t x = 16;

	for (int i = 0; i < 30000; i++) {
		uint64_t page, addr;
		unsigned int size;

		x = x * 6364136223846793005u + 1442695040888963407u;
		if (i % 3000 == 0) {
			char line[32];

			snprintf(line, sizeof(line), "# mmsim pid %d\n", (int)(x >> 61));
			put_line(&t, line);
		}
		page = (x >> 33) % 10 < 6 ? (x >> 40) % 300 : (x >> 40) % 3000;
		size = sizes[(x >> 24) % 5];
		/* A fifth at the end of a page: the larger sizes cross into the next. */
		addr = 0x10000000 + page * 4096 + ((x >> 8) % 5 ? (x >> 12) % 4032 : 4096 - 4);
		put(&t, kinds[(x >> 28) % 4], addr, size);
	}
	return t;
}

static void expect_same_lru(const struct mmsim_mrc *a, const struct mmsim_mrc *b)
{
	struct mmsim_mrc_info ia, ib;

	mmsim_mrc_get_info(a, &ia);
	mmsim_mrc_get_info(b, &ib);
	cr_expect_eq(ia.records, ib.records);
	cr_expect_eq(ia.accesses, ib.accesses);
	cr_expect_eq(ia.pages, ib.pages);
	cr_expect_eq(ia.framed_pages, ib.framed_pages);
	cr_expect_eq(ia.sampled, ib.sampled);
	cr_expect_eq(ia.references, ib.references);
	cr_expect_eq(ia.probe_accesses, ib.probe_accesses);
	cr_expect(ia.rate == ib.rate, "rate %g and %g", ia.rate, ib.rate);
	cr_expect_lt(ia.pages, 3000 * 4 / 2, "a sample, not every page");
	for (uint64_t f = 1; f <= 4000; f++)
		cr_expect_eq(mmsim_mrc_misses(a, MMSIM_MRC_LRU, f),
			     mmsim_mrc_misses(b, MMSIM_MRC_LRU, f), "%" PRIu64 " frames", f);
}

Test(mrc, shards_skipping_loop_equals_the_general_path)
{
	struct text t = mixed_trace();
	struct mmsim_mrc *a = curve(&t, true, false, 0.3, 0);
	struct mmsim_mrc *b = curve(&t, true, true, 0.3, 0);

	expect_same_lru(a, b);
	mmsim_mrc_destroy(a);
	mmsim_mrc_destroy(b);
	a = curve(&t, true, false, 0, 700);
	b = curve(&t, true, true, 0, 700);
	expect_same_lru(a, b);
	mmsim_mrc_destroy(a);
	mmsim_mrc_destroy(b);
	free(t.buf);
}

struct ticks {
	uint64_t at[4096];
	size_t n;
};

static bool note_tick(void *ctx, uint64_t accesses)
{
	struct ticks *tk = ctx;

	if (tk->n < sizeof(tk->at) / sizeof(tk->at[0]))
		tk->at[tk->n] = accesses;
	tk->n++;
	return true;
}

/* Ticks come after the first record that reaches each mark, whichever path it took. */
Test(mrc, shards_ticks_after_the_record_that_reaches_the_mark)
{
	struct text t = mixed_trace();
	struct mmsim_trace_reader *r = reader(&t);
	struct mmsim_trace_record rec;
	struct mmsim_mrc_opts o = { .sample_rate = 0.3, .tick_accesses = 37 };
	struct mmsim_error err = { 0 };
	struct ticks got = { 0 }, want = { 0 };
	uint64_t accesses = 0, next = 37;
	struct mmsim_mrc *m;

	while (mmsim_trace_next(r, &rec, &err) == 1) {
		uint64_t pages = ((rec.addr + rec.size - 1) >> 12) - (rec.addr >> 12) + 1;

		accesses += pages * (rec.kind == MMSIM_TRACE_MODIFY ? 2 : 1);
		if (accesses >= next) {
			note_tick(&want, accesses);
			next = accesses + 37;
		}
	}
	cr_assert_eq(mmsim_trace_rewind(r, &err), 0, "%s", err.msg);
	o.policy[MMSIM_MRC_LRU] = true;
	o.tick = note_tick;
	o.ctx = &got;
	cr_assert_eq(mmsim_mrc_build(r, NULL, &o, &m, &err), 0, "%s", err.msg);
	cr_assert_gt(want.n, 500);
	cr_assert_eq(got.n, want.n);
	for (size_t i = 0; i < want.n && i < sizeof(want.at) / sizeof(want.at[0]); i++)
		cr_assert_eq(got.at[i], want.at[i], "tick %zu", i);
	mmsim_mrc_destroy(m);
	mmsim_trace_reader_destroy(r);
	free(t.buf);
}

Test(mrc, bad_options)
{
	struct text t = { 0 };
	struct mmsim_trace_reader *r;
	struct mmsim_mrc_opts o = { 0 };
	struct mmsim_error err = { 0 };
	struct mmsim_mrc *m;

	put(&t, "S", 0x10000000, 8);
	r = reader(&t);
	cr_expect_eq(mmsim_mrc_build(r, NULL, &o, &m, &err), -EINVAL);
	cr_expect(strstr(err.msg, "no curve"), "%s", err.msg);
	o.policy[MMSIM_MRC_OPT] = true;
	cr_expect_eq(mmsim_mrc_build(r, NULL, &o, &m, &err), -EINVAL);
	cr_expect(strstr(err.msg, "future"), "%s", err.msg);
	o.policy[MMSIM_MRC_OPT] = false;
	o.policy[MMSIM_MRC_LRU] = true;
	o.sample_rate = 1.5;
	cr_expect_eq(mmsim_mrc_build(r, NULL, &o, &m, &err), -EINVAL);
	cr_expect_str_eq(mmsim_mrc_policy_name(MMSIM_MRC_OPT), "opt");
	cr_expect_null(mmsim_mrc_policy_name(MMSIM_MRC_NR_POLICIES));
	mmsim_trace_reader_destroy(r);
	free(t.buf);
}

/* OPT's future from a longer trace than the one the pass reads (the file changed between the
 * two reads): the pass would order pages by next uses that never come. An error, as a trace
 * longer than its future is. */
Test(mrc, a_trace_shorter_than_its_future_is_an_error)
{
	struct text longer = { 0 }, shorter = { 0 };
	struct mmsim_trace_reader *r;
	struct mmsim_replay_future *f = NULL;
	struct mmsim_mrc_opts o = { .policy = { [MMSIM_MRC_OPT] = true } };
	struct mmsim_error err = { 0 };
	struct mmsim_mrc *m = NULL;

	for (int i = 0; i < 3; i++)
		put(&longer, "S", 0x10000000 + (uint64_t)i * 4096, 8);
	put(&shorter, "S", 0x10000000, 8);
	r = reader(&longer);
	cr_assert_eq(mmsim_replay_future_build(r, &f, &err), 0, "%s", err.msg);
	mmsim_trace_reader_destroy(r);
	r = reader(&shorter);
	cr_expect_eq(mmsim_mrc_build(r, f, &o, &m, &err), -EINVAL);
	cr_expect(strstr(err.msg, "ends at page access 1, before the pre-pass's 3"), "%s", err.msg);
	cr_expect_null(m);
	mmsim_trace_reader_destroy(r);
	mmsim_replay_future_destroy(f);
	free(longer.buf);
	free(shorter.buf);
}
