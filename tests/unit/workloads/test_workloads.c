/*
 * tests/unit/workloads/test_workloads.c: the built-in workloads (mmsim/workloads.h): the
 * registry, that each computes and checks its result (shrunk, so that tests stay quick),
 * that its self-check catches memory that changed under it, the ticks and task events a
 * runner relies on, and the trace a run can save.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mmsim/error.h"
#include "mmsim/mmsim.h"
#include "mmsim/replay.h"
#include "mmsim/trace.h"
#include "mmsim/workloads.h"

#define SHRINK 4

static struct mmsim_system *boot(const struct mmsim_workload_info *w)
{
	struct mmsim_system *sys;
	struct mmsim_config c;
	struct mmsim_error err = { 0 };

	mmsim_config_default(&c);
	cr_assert_eq(mmsim_workload_configure(w, &c, &err), 0, "%s", err.msg);
	cr_assert(c.data_mode, "a workload needs data mode");
	cr_assert_eq(mmsim_system_create(&c, &sys, &err), 0, "%s", err.msg);
	return sys;
}

Test(workloads, the_registry_lists_the_five_and_finds_each)
{
	static const char *const names[] = { "server", "sort", "matmul", "kv", "grow" };

	cr_assert_eq(mmsim_workload_count(), 5);
	for (size_t i = 0; i < 5; i++) {
		const struct mmsim_workload_info *w = mmsim_workload_at(i);

		cr_assert_str_eq(w->name, names[i]);
		cr_assert_eq(mmsim_workload_find(names[i]), w);
		cr_assert(strlen(w->summary) > 10);
		cr_assert(strstr(w->config, "mem="), "%s says which machine it wants", w->name);
	}
	cr_assert_null(mmsim_workload_at(5));
	cr_assert_null(mmsim_workload_find("nope"));
	cr_assert_eq(mmsim_workload_default(), mmsim_workload_at(0));
}

Test(workloads, configure_sets_data_mode_and_the_machine_size)
{
	struct mmsim_config c;
	struct mmsim_error err = { 0 };

	mmsim_config_default(&c);
	cr_assert_eq(mmsim_workload_configure(mmsim_workload_find("server"), &c, &err), 0);
	cr_assert(c.data_mode);
	cr_assert_eq(c.mem_bytes, UINT64_C(16) << 20);
	cr_assert_eq(c.swap_bytes, UINT64_C(64) << 20);
}

static struct mmsim_workload_result run(const char *name, const struct mmsim_workload_opts *o)
{
	const struct mmsim_workload_info *w = mmsim_workload_find(name);
	struct mmsim_system *sys = boot(w);
	struct mmsim_workload_result res;
	struct mmsim_error err = { 0 };

	cr_assert_eq(mmsim_workload_run(sys, w, o, &res, &err), 0, "%s", err.msg);
	cr_assert_eq(mmsim_check(sys, &err), 0, "%s: %s", name, err.msg);
	mmsim_system_destroy(sys);
	return res;
}

static void passes(const char *name)
{
	struct mmsim_workload_opts o = { .seed = 1, .shrink = SHRINK };
	struct mmsim_workload_result res = run(name, &o);

	cr_assert(res.passed, "%s: %s", name, res.verdict);
	cr_assert_gt(res.accesses, 1000);
	cr_assert_eq(res.accesses, res.loads + res.stores);
	cr_assert_gt(res.planned, 0);
}

Test(workloads, server_computes_and_checks)
{
	passes("server");
}

Test(workloads, sort_computes_and_checks)
{
	passes("sort");
}

Test(workloads, matmul_computes_and_checks)
{
	passes("matmul");
}

Test(workloads, kv_computes_and_checks)
{
	passes("kv");
}

Test(workloads, grow_computes_and_checks)
{
	passes("grow");
}

/* ---- The self-checks catch memory that changed under the computation --------------------- */

struct corrupter {
	struct mmsim_system *sys;
	struct mmsim_task *tasks[16];
	size_t nr;
	bool done;
};

static void track(void *ctx, struct mmsim_task *t, enum mmsim_workload_task_event ev)
{
	struct corrupter *c = ctx;

	if (ev == MMSIM_WORKLOAD_TASK_STARTED) {
		cr_assert_lt(c->nr, 16);
		c->tasks[c->nr++] = t;
		return;
	}
	for (size_t i = 0; i < c->nr; i++) {
		if (c->tasks[i] == t)
			c->tasks[i] = NULL;
	}
}

/* Writes a word into the first bytes of every page of every writable VMA of every task:
 * what a stray pointer or a broken copy-on-write would do. */
static void strike(void *ctx, uint64_t accesses, uint64_t planned)
{
	struct corrupter *c = ctx;
	const uint64_t bad = UINT64_C(0xbad0bad0bad0bad1);

	if (c->done || accesses < planned / 2)
		return; /* strike halfway through the planned work */
	c->done = true;
	for (size_t i = 0; i < c->nr; i++) {
		struct mmsim_error err = { 0 };
		char *maps, *line;

		if (!c->tasks[i])
			continue;
		cr_assert_eq(mmsim_report(c->sys, c->tasks[i], "maps", &maps, &err), 0);
		for (line = maps; *line; line = strchr(line, '\n') + 1) {
			unsigned long long s, e;
			char perms[5];

			if (sscanf(line, "%llx-%llx %4s", &s, &e, perms) == 3 && perms[1] == 'w') {
				for (uint64_t va = s; va < e; va += 4096)
					mmsim_write(c->tasks[i], va, &bad, sizeof(bad));
			}
			if (!strchr(line, '\n'))
				break;
		}
		free(maps);
	}
}

static void fails_when_corrupted(const char *name)
{
	const struct mmsim_workload_info *w = mmsim_workload_find(name);
	struct corrupter c = { .sys = boot(w) };
	struct mmsim_workload_opts o = { .seed = 1,
					 .shrink = SHRINK,
					 .tick_accesses = 256,
					 .tick = strike,
					 .task_event = track,
					 .ctx = &c };
	struct mmsim_workload_result res;
	struct mmsim_error err = { 0 };

	cr_assert_eq(mmsim_workload_run(c.sys, w, &o, &res, &err), 0, "%s", err.msg);
	cr_assert(c.done, "%s: the strike never came", name);
	cr_assert_not(res.passed, "%s did not notice its memory changed", name);
	cr_assert(res.verdict[0]);
	cr_log_info("%s caught it: %s", name, res.verdict);
	mmsim_system_destroy(c.sys);
}

Test(workloads, server_notices_corruption)
{
	fails_when_corrupted("server");
}

Test(workloads, sort_notices_corruption)
{
	fails_when_corrupted("sort");
}

Test(workloads, matmul_notices_corruption)
{
	fails_when_corrupted("matmul");
}

Test(workloads, kv_notices_corruption)
{
	fails_when_corrupted("kv");
}

Test(workloads, grow_notices_corruption)
{
	fails_when_corrupted("grow");
}

/* ---- What runners rely on ----------------------------------------------------------------- */

struct tally {
	uint64_t ticks, last;
	int started, exiting;
};

static void tally_tick(void *ctx, uint64_t accesses, uint64_t planned)
{
	struct tally *t = ctx;

	cr_assert_gt(accesses, t->last);
	cr_assert_gt(planned, 0);
	t->last = accesses;
	t->ticks++;
}

static void tally_task(void *ctx, struct mmsim_task *task, enum mmsim_workload_task_event ev)
{
	struct tally *t = ctx;

	cr_assert(mmsim_task_alive(task));
	if (ev == MMSIM_WORKLOAD_TASK_STARTED)
		t->started++;
	else
		t->exiting++;
}

Test(workloads, ticks_and_task_events_come)
{
	struct tally t = { 0 };
	struct mmsim_workload_opts o = { .seed = 1,
					 .shrink = SHRINK,
					 .tick_accesses = 1000,
					 .tick = tally_tick,
					 .task_event = tally_task,
					 .ctx = &t };
	struct mmsim_workload_result res = run("server", &o);

	cr_assert(res.passed, "%s", res.verdict);
	cr_assert_geq(t.ticks, res.accesses / 1000 - 1);
	cr_assert_eq(t.started, 5, "the parent and 4 workers");
	cr_assert_eq(t.exiting, 4, "the workers exit; the parent stays for the report");
}

/* Says stop at its third question. */
static bool stop_third(void *ctx)
{
	int *asked = ctx;

	return ++*asked == 3;
}

Test(workloads, stop_ends_every_workload_at_a_tick_with_no_verdict)
{
	static const char *const names[] = { "server", "sort", "matmul", "kv", "grow" };

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		const struct mmsim_workload_info *w = mmsim_workload_find(names[i]);
		struct mmsim_system *sys = boot(w);
		int asked = 0;
		struct mmsim_workload_opts o = { .seed = 1,
						 .shrink = SHRINK,
						 .tick_accesses = 100,
						 .stop = stop_third,
						 .ctx = &asked };
		struct mmsim_workload_result res;
		struct mmsim_error err = { 0 };
		char want[96];

		cr_assert_eq(mmsim_workload_run(sys, w, &o, &res, &err), -EINTR, "%s", names[i]);
		cr_expect_eq(asked, 3, "%s: stopped when told, not asked again", names[i]);
		cr_expect(!res.passed, "%s", names[i]);
		/* The body stops within the step it was in: less than one more tick. */
		cr_expect(res.accesses >= 300 && res.accesses < 400, "%s: %" PRIu64, names[i],
			  res.accesses);
		snprintf(want, sizeof(want), "interrupted after %" PRIu64 " of about",
			 res.accesses);
		cr_expect(strstr(res.verdict, want) != NULL, "%s: %s", names[i], res.verdict);
		snprintf(want, sizeof(want), "interrupted after %" PRIu64 " accesses",
			 res.accesses);
		cr_expect_str_eq(err.msg, want);
		cr_assert_eq(mmsim_check(sys, &err), 0, "%s: %s", names[i], err.msg);
		mmsim_system_destroy(sys);
	}
}

Test(workloads, the_same_seed_gives_the_same_run)
{
	struct mmsim_workload_opts o = { .seed = 7, .shrink = SHRINK };
	struct mmsim_workload_result a = run("kv", &o), b = run("kv", &o);

	cr_assert_eq(a.accesses, b.accesses);
	cr_assert_str_eq(a.notes, b.notes);
}

Test(workloads, a_saved_trace_replays_the_same_accesses)
{
	char path[] = "/tmp/mmsim-wl-trace-XXXXXX";
	int fd = mkstemp(path);
	struct mmsim_trace_writer *w;
	struct mmsim_trace_reader *r;
	struct mmsim_replay_footprint fp;
	struct mmsim_error err = { 0 };
	struct mmsim_workload_opts o = { .seed = 1, .shrink = SHRINK };
	struct mmsim_workload_result res;

	cr_assert_geq(fd, 0);
	close(fd);
	cr_assert_eq(mmsim_trace_writer_create(path, NULL, &w, &err), 0, "%s", err.msg);
	o.trace = w;
	res = run("sort", &o);
	cr_assert(res.passed, "%s", res.verdict);
	cr_assert_eq(mmsim_trace_writer_finish(w, &err), 0, "%s", err.msg);
	mmsim_trace_writer_destroy(w);
	cr_assert_eq(mmsim_trace_reader_create(path, &r, &err), 0, "%s", err.msg);
	cr_assert_eq(mmsim_replay_scan(r, &fp, &err), 0, "%s", err.msg);
	cr_assert_eq(fp.records, res.accesses);
	cr_assert_eq(fp.pids, 1);
	mmsim_trace_reader_destroy(r);
	unlink(path);
}

Test(workloads, bad_options_are_refused)
{
	const struct mmsim_workload_info *w = mmsim_workload_find("grow");
	struct mmsim_system *sys = boot(w);
	struct mmsim_workload_opts o = { .shrink = 9 };
	struct mmsim_workload_result res;
	struct mmsim_error err = { 0 };

	cr_assert_eq(mmsim_workload_run(sys, w, &o, &res, &err), -EINVAL);
	cr_assert_eq(mmsim_workload_run(sys, NULL, &o, &res, &err), -EINVAL);
	mmsim_system_destroy(sys);
}

Test(workloads, a_machine_without_data_mode_is_refused)
{
	const struct mmsim_workload_info *w = mmsim_workload_default();
	struct mmsim_workload_opts opts = { .shrink = SHRINK, .seed = 1 };
	struct mmsim_workload_result res;
	struct mmsim_error err = { 0 };
	struct mmsim_system *sys;
	struct mmsim_config c;

	mmsim_config_default(&c);
	cr_assert_eq(mmsim_system_create(&c, &sys, &err), 0, "%s", err.msg);
	cr_assert_eq(mmsim_workload_run(sys, w, &opts, &res, &err), -EINVAL);
	cr_assert(strstr(err.msg, "needs data mode") != NULL, "%s", err.msg);
	mmsim_system_destroy(sys);
}
