/*
 * tests/unit/script/test_run.c: running scenario scripts (script/run.c) through
 * the public API, mmsim/script.h, on real systems.
 *
 * What is tested here is the runner's side: what reaches the output callback and in which
 * order, the exact wording of failed expectations and run-time errors, counters read since
 * boot, names resolved to the right addresses, errors found at boot before anything runs.
 * The fault counts used are the plainest Linux facts (a fresh page written is one minor
 * fault); the kernel's own behaviour is tested in tests/unit/kernel and tests/scenarios.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mmsim/error.h"
#include "mmsim/script.h"

#define MAX_OUT 128

struct captured {
	int nr;
	enum mmsim_script_output_kind kind[MAX_OUT];
	unsigned long line[MAX_OUT];
	char title[MAX_OUT][96];
	char text[MAX_OUT][8192];
};

static void capture(void *ctx, const struct mmsim_script_output *o)
{
	struct captured *c = ctx;

	if (c->nr == MAX_OUT)
		return;
	c->kind[c->nr] = o->kind;
	c->line[c->nr] = o->line;
	snprintf(c->title[c->nr], sizeof(c->title[0]), "%s", o->title ? o->title : "");
	snprintf(c->text[c->nr], sizeof(c->text[0]), "%s", o->text);
	c->nr++;
}

/* Parses and runs text; returns mmsim_script_run()'s result. */
static int run(const char *text, bool explain, struct captured *out,
	       struct mmsim_script_result *res, struct mmsim_error *err)
{
	struct mmsim_script_run_opts opts = { .explain = explain, .output = capture, .ctx = out };
	struct mmsim_script *s = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = mmsim_script_parse(text, strlen(text), "t.mms", &s, err);
	cr_assert_eq(rc, 0, "parse: %s", err->msg);
	rc = mmsim_script_run(s, &opts, res, err);
	mmsim_script_destroy(s);
	return rc;
}

Test(script_run, silent_when_every_expectation_holds)
{
	struct mmsim_script_result res;
	struct mmsim_error err = { 0 };
	struct captured *out = malloc(sizeof(*out));
	int rc = run("spawn P\nP map A 4\nP write A 0-3\nexpect P minflt 4\nexpect P rss 16\n"
		     "expect P signal none\nexpect P majflt < 1\n",
		     false, out, &res, &err);

	cr_assert_eq(rc, 0, "%s", err.msg);
	cr_expect_eq(out->nr, 0);
	cr_expect_eq(res.nr_commands, 7);
	cr_expect_eq(res.nr_expects, 4);
	cr_expect_eq(res.nr_failed, 0);
	cr_expect_not(res.check_failed);
	free(out);
}

/* switch marks where the workload changes: expect switch and the result count from the last
 * one, as mmsim run does after a trace's last switch event. */
Test(script_run, switch_counts_from_the_last_mark)
{
	static struct captured out; /* big: not on the stack */
	struct mmsim_error err = { 0 };
	struct mmsim_script_result res;
	int rc;

	rc = run("spawn P\nP map A 8\nP write A 0-1\nswitch\nP write A 2-4\n"
		 "expect switch pgfault 3\nexpect sys pgfault 5\nswitch\nP write A 5\n"
		 "expect switch pgfault 1\nexpect switch pgfault 2\n",
		 false, &out, &res, &err);
	cr_assert_eq(rc, 0, "%s", err.msg);
	cr_expect_eq(res.nr_failed, 1);
	cr_assert_eq(out.nr, 1);
	cr_expect_str_eq(out.text[0],
			 "t.mms:11: expect switch pgfault == 2 failed: switch pgfault is 1");
	cr_expect_eq(res.switches, 2);
	cr_expect_eq(res.switch_line, 8);
	cr_expect_eq(res.switch_faults, 1);
	cr_expect_eq(res.switch_major_faults, 0);
	cr_expect_eq(res.switch_swap_ins, 0);
	/* No switch: nothing after one. */
	rc = run("spawn P\nP map A 8\nP write A 0\n", false, &out, &res, &err);
	cr_assert_eq(rc, 0, "%s", err.msg);
	cr_expect_eq(res.switches, 0);
	cr_expect_eq(res.switch_line, 0);
	cr_expect_eq(res.switch_faults, 0);
}

Test(script_run, failed_expectations_name_line_expression_and_value)
{
	struct mmsim_script_result res;
	struct mmsim_error err = { 0 };
	struct captured *out = malloc(sizeof(*out));
	int rc = run("spawn P\nP map A 4\nP write A 0-3\n"
		     "expect P minflt 5\n"
		     "expect P rss >= 20\n"
		     "expect P signal SEGV_ACCERR\n"
		     "expect sys pgfault != 4\n"
		     "expect P minflt 4\n",
		     false, out, &res, &err);

	cr_assert_eq(rc, 0, "%s", err.msg);
	cr_assert_eq(out->nr, 4);
	for (int i = 0; i < 4; i++)
		cr_expect_eq(out->kind[i], MMSIM_SCRIPT_OUT_EXPECT_FAILED);
	cr_expect_str_eq(out->text[0], "t.mms:4: expect P minflt == 5 failed: P minflt is 4");
	cr_expect_eq(out->line[0], 4);
	cr_expect_str_eq(out->text[1], "t.mms:5: expect P rss >= 20 failed: P rss is 16 kB");
	cr_expect_str_eq(out->text[2],
			 "t.mms:6: expect P signal == SEGV_ACCERR failed: P signal is none");
	cr_expect_str_eq(out->text[3], "t.mms:7: expect sys pgfault != 4 failed: sys pgfault is 4");
	cr_expect_eq(res.nr_commands, 8, "the run goes on after a failed expectation");
	cr_expect_eq(res.nr_expects, 5);
	cr_expect_eq(res.nr_failed, 4);
	free(out);
}

Test(script_run, signals_of_the_last_access)
{
	struct mmsim_script_result res;
	struct mmsim_error err = { 0 };
	struct captured *out = malloc(sizeof(*out));
	int rc = run("spawn P\nP map R 2 r\nP map H 3\nP unmap H 1\n"
		     "P write R 0\nexpect P signal SEGV_ACCERR\n"
		     "P write H 1\nexpect P signal SEGV_MAPERR\n"
		     "P write H 0-1\nexpect P signal SEGV_MAPERR\n"
		     "P write H 1-2\nexpect P signal none\n"
		     "P access 0x1000 r\nexpect P signal != none\n"
		     "P fork Q\nexpect Q signal none\n",
		     false, out, &res, &err);

	cr_assert_eq(rc, 0, "%s", err.msg);
	for (int i = 0; i < out->nr; i++)
		cr_expect_fail("%s", out->text[i]);
	cr_expect_eq(res.nr_expects, 6);
	free(out);
}

Test(script_run, sys_event_counters_count_since_boot)
{
	struct mmsim_script_result res;
	struct mmsim_error err = { 0 };
	struct captured *out = malloc(sizeof(*out));
	int rc = run("spawn P\nexpect sys pgfault 0\nP map A 3\nP write A 0-2\n"
		     "expect sys pgfault 3\nexpect sys nr_free_pages > 0\n",
		     false, out, &res, &err);

	cr_assert_eq(rc, 0, "%s", err.msg);
	for (int i = 0; i < out->nr; i++)
		cr_expect_fail("%s", out->text[i]);
	free(out);
}

Test(script_run, show_titles_and_region_addresses)
{
	struct mmsim_script_result res;
	struct mmsim_error err = { 0 };
	struct captured *out = malloc(sizeof(*out));
	int rc = run("spawn P\nP map A 2 at=0x7f0000000000\nP write A 1\nshow P maps\n"
		     "show P walk A 1\nshow P walk 0x1000\nshow sys vmstat\nP fork Q\n"
		     "show Q status\n",
		     false, out, &res, &err);

	cr_assert_eq(rc, 0, "%s", err.msg);
	cr_assert_eq(out->nr, 5);
	for (int i = 0; i < 5; i++)
		cr_expect_eq(out->kind[i], MMSIM_SCRIPT_OUT_SHOW);
	cr_expect_str_eq(out->title[0], "P maps (pid 1)");
	cr_expect(strstr(out->text[0], "7f0000000000-7f0000002000 rw-p") != NULL, "%s",
		  out->text[0]);
	cr_expect_str_eq(out->title[1], "P walk 0x7f0000001000 (pid 1)");
	cr_expect(strstr(out->text[1], "0x00007f0000001000") != NULL, "%s", out->text[1]);
	cr_expect_str_eq(out->title[2], "P walk 0x1000 (pid 1)");
	cr_expect_str_eq(out->title[3], "sys vmstat");
	cr_expect(strstr(out->text[3], "pgfault 1\n") != NULL, "%s", out->text[3]);
	cr_expect_str_eq(out->title[4], "Q status (pid 2)");
	cr_expect_eq(out->line[4], 9);
	free(out);
}

Test(script_run, explain_prints_each_command_then_its_events)
{
	struct mmsim_script_result res;
	struct mmsim_error err = { 0 };
	struct captured *out = malloc(sizeof(*out));
	int rc = run("config mem=64M\nspawn P\nP map A 1\nP write A 0\nexpect P minflt 1\n", true,
		     out, &res, &err);
	int write_at = -1, nr_events = 0, nr_faults = 0;

	cr_assert_eq(rc, 0, "%s", err.msg);
	cr_assert_gt(out->nr, 4);
	cr_expect_eq(out->kind[0], MMSIM_SCRIPT_OUT_COMMAND, "config lines do not run");
	cr_expect_str_eq(out->text[0], "spawn P");
	cr_expect_eq(out->line[0], 2);
	for (int i = 0; i < out->nr; i++) {
		if (out->kind[i] == MMSIM_SCRIPT_OUT_COMMAND &&
		    !strcmp(out->text[i], "P write A 0"))
			write_at = i;
		if (out->kind[i] == MMSIM_SCRIPT_OUT_EVENT && write_at >= 0) {
			cr_expect_eq(out->line[i], 4, "events carry their command's line");
			nr_events++;
			nr_faults += strstr(out->text[i], "page fault") != NULL;
		}
	}
	cr_assert_geq(write_at, 0);
	cr_expect_gt(nr_events, 0);
	cr_expect_eq(nr_faults, 1,
		     "the first write to a page faults, in mmsim_event_describe()'s "
		     "words");
	cr_expect_eq(out->kind[out->nr - 2], MMSIM_SCRIPT_OUT_COMMAND);
	cr_expect_str_eq(out->text[out->nr - 2], "expect P minflt 1");
	cr_expect_eq(out->kind[out->nr - 1], MMSIM_SCRIPT_OUT_EXPECT_VERDICT,
		     "explain gives each expect's verdict");
	cr_expect_str_eq(out->text[out->nr - 1], "PASS line 5: wanted P minflt == 1, got 1");
	free(out);
}

Test(script_run, event_classes_parse_and_refuse)
{
	struct mmsim_error err = { 0 };
	unsigned int c;

	cr_expect_eq(mmsim_script_event_classes("cow", &c, &err), 0);
	cr_expect_eq(c, MMSIM_SCRIPT_EV_COW);
	cr_expect_eq(mmsim_script_event_classes("tlb,swap,pte", &c, &err), 0);
	cr_expect_eq(c, MMSIM_SCRIPT_EV_TLB | MMSIM_SCRIPT_EV_SWAP | MMSIM_SCRIPT_EV_PTE);
	cr_expect_eq(mmsim_script_event_classes("tlb,", &c, &err), -EINVAL);
	cr_expect_eq(mmsim_script_event_classes("", &c, &err), -EINVAL);
	cr_expect_eq(mmsim_script_event_classes("faults", &c, &err), -EINVAL);
	cr_expect_str_eq(err.msg, "unknown event class 'faults' (want "
				  "fault|cow|reclaim|swap|tlb|frame|pte)");
}

Test(script_run, filter_by_process_class_and_address)
{
	static const char text[] = "spawn P\nP map A 2 at=0x10000000\nP write A 0-1\nP fork Q\n"
				   "Q write A 1\n";
	struct mmsim_script_filter f = { .proc = "Q",
					 .classes = MMSIM_SCRIPT_EV_COW,
					 .has_range = true,
					 .addr_start = 0x10001000,
					 .addr_end = 0x10002000 };
	struct captured *out = malloc(sizeof(*out));
	struct mmsim_script_run_opts opts = {
		.explain = true, .output = capture, .ctx = out, .filter = &f
	};
	struct mmsim_error err = { 0 };
	struct mmsim_script *s = NULL;

	memset(out, 0, sizeof(*out));
	cr_assert_eq(mmsim_script_parse(text, strlen(text), "t.mms", &s, &err), 0);
	cr_assert_eq(mmsim_script_run(s, &opts, NULL, &err), 0, "%s", err.msg);
	cr_assert_eq(out->nr, 3, "the command, the fault, the copy");
	cr_expect_str_eq(out->text[0], "Q write A 1");
	cr_expect(strstr(out->text[1], "page fault at 0x10001000") != NULL, "%s", out->text[1]);
	cr_expect(strstr(out->text[2], "copy-on-write") != NULL, "%s", out->text[2]);
	/* The same filter on P: P made no copy-on-write fault. */
	f.proc = "P";
	memset(out, 0, sizeof(*out));
	cr_assert_eq(mmsim_script_run(s, &opts, NULL, &err), 0, "%s", err.msg);
	cr_expect_eq(out->nr, 0);
	f.proc = "R";
	cr_expect_eq(mmsim_script_run(s, &opts, NULL, &err), -EINVAL);
	cr_expect_str_eq(err.msg, "t.mms: explain filter: no process 'R' in the script");
	mmsim_script_destroy(s);
	free(out);
}

Test(script_run, failing_system_call_stops_the_run)
{
	struct mmsim_script_result res;
	struct mmsim_error err = { 0 };
	struct captured *out = malloc(sizeof(*out));
	const char *want = "t.mms:3: P map B 4 at=0xffff800000000000: mmap failed: ";
	int rc = run("spawn P\nexpect P minflt 1\nP map B 4 at=0xffff800000000000\n"
		     "expect P minflt 2\n",
		     false, out, &res, &err);

	cr_expect_lt(rc, 0);
	cr_expect_eq(err.code, rc);
	cr_expect(!strncmp(err.msg, want, strlen(want)), "%s", err.msg);
	cr_expect_eq(res.nr_commands, 2, "nothing runs after the failure");
	cr_expect_eq(res.nr_failed, 1, "what failed before it is still counted");
	cr_expect_eq(out->nr, 1);
	free(out);
}

Test(script_run, unknown_counter_is_found_at_boot_before_anything_runs)
{
	struct mmsim_script_result res;
	struct mmsim_error err = { 0 };
	struct captured *out = malloc(sizeof(*out));
	int rc = run("spawn P\nshow sys vmstat\nexpect sys pgfualt 3\n", true, out, &res, &err);

	cr_expect_eq(rc, -EINVAL);
	cr_expect_str_eq(err.msg, "t.mms:3:12: unknown counter 'pgfualt' (want a /proc/vmstat name "
				  "or a TLB counter by perf name; see show sys vmstat)");
	cr_expect_eq(out->nr, 0, "not even the explain echo of the first command");
	cr_expect_eq(res.nr_commands, 0);
	free(out);
}

Test(script_run, bad_config_is_a_parse_error_at_its_column)
{
	static const char text[] = "# sizes\nconfig mem=64M  levels=7\nspawn P\n";
	struct mmsim_error err = { 0 };
	struct mmsim_script *s = NULL;

	cr_expect_eq(mmsim_script_parse(text, strlen(text), "t.mms", &s, &err), -EINVAL);
	cr_expect_null(s);
	cr_expect(!strncmp(err.msg, "t.mms:2:17: ", 12), "%s", err.msg);
	cr_expect(strstr(err.msg, "levels") != NULL, "%s", err.msg);
}

Test(script_run, config_only_script_boots_nothing)
{
	struct mmsim_script_result res;
	struct mmsim_error err = { 0 };
	struct captured *out = malloc(sizeof(*out));
	int rc = run("config mem=64M\n# nothing else\n", true, out, &res, &err);

	cr_expect_eq(rc, 0, "%s", err.msg);
	cr_expect_eq(out->nr, 0);
	cr_expect_eq(res.nr_commands, 0);
	free(out);
}

Test(script_run, paranoid_checks_after_every_command)
{
	static const char text[] = "spawn P\nP map A 8\nP write A 0-7\nP fork Q\nQ write A 0-3\n"
				   "Q exit\nP unmap A 2-5\nP exit\n";
	struct mmsim_script_run_opts opts = { .paranoid = true };
	struct mmsim_script_result res;
	struct mmsim_error err = { 0 };
	struct mmsim_script *s = NULL;

	cr_assert_eq(mmsim_script_parse(text, strlen(text), "t.mms", &s, &err), 0, "%s", err.msg);
	cr_expect_eq(mmsim_script_run(s, &opts, &res, &err), 0, "%s", err.msg);
	cr_expect_not(res.check_failed);
	cr_expect_eq(res.nr_commands, 8);
	mmsim_script_destroy(s);
}

Test(script_run, opts_and_result_may_be_null)
{
	static const char text[] = "spawn P\nP map A 1\nP write A 0\nexpect P minflt 2\n";
	struct mmsim_error err = { 0 };
	struct mmsim_script *s = NULL;

	cr_assert_eq(mmsim_script_parse(text, strlen(text), "t.mms", &s, &err), 0, "%s", err.msg);
	cr_expect_eq(mmsim_script_run(s, NULL, NULL, &err), 0, "%s", err.msg);
	mmsim_script_destroy(s);
	mmsim_script_destroy(NULL);
}

Test(script_run, a_script_runs_twice_the_same)
{
	static const char text[] = "spawn P\nP map A 4\nP read A 0-3\nP write A 0-3\n"
				   "expect P minflt 7\n";
	struct mmsim_script_result a, b;
	struct mmsim_error err = { 0 };
	struct mmsim_script *s = NULL;

	cr_assert_eq(mmsim_script_parse(text, strlen(text), "t.mms", &s, &err), 0, "%s", err.msg);
	cr_expect_eq(mmsim_script_run(s, NULL, &a, &err), 0, "%s", err.msg);
	cr_expect_eq(mmsim_script_run(s, NULL, &b, &err), 0, "%s", err.msg);
	cr_expect_eq(a.nr_failed, 1, "read then write of 4 pages is 8 faults, not 7");
	cr_expect_eq(b.nr_failed, 1);
	mmsim_script_destroy(s);
}

Test(script_run, load_reads_a_file)
{
	char path[] = "/tmp/mmsim-script-run-XXXXXX";
	int fd = mkstemp(path);
	struct mmsim_error err = { 0 };
	struct mmsim_script *s = NULL;
	FILE *f;

	cr_assert_geq(fd, 0);
	f = fdopen(fd, "w");
	fputs("spawn P\nP map A 4 q\n", f);
	fclose(f);
	cr_expect_eq(mmsim_script_load(path, &s, &err), -EINVAL);
	cr_expect(strstr(err.msg, ":2:11: unknown map option 'q'") != NULL, "%s", err.msg);
	cr_expect_eq(mmsim_script_load("/nonexistent.mms", &s, &err), -ENOENT);
	unlink(path);
}

Test(script_run, oom_killed_process_can_only_exit)
{
	struct mmsim_script_result res;
	struct mmsim_error err = { 0 };
	struct captured *out = malloc(sizeof(*out));
	/* No swap and twice the RAM in anonymous memory: the OOM killer takes P. */
	int rc = run("config mem=32M swap=0\nspawn P\nP map A 16384\nP write A 0-16383\n"
		     "expect P signal KILLED\nexpect sys oom_kill 1\nP read A 0\n"
		     "expect P signal KILLED\nshow P status\nP map B 1\n",
		     false, out, &res, &err);

	cr_expect_eq(rc, -ESRCH);
	cr_expect_str_eq(err.msg, "t.mms:10: P map B 1: process 'P' (pid 1) was killed by the OOM "
				  "killer; it can only exit");
	cr_expect_eq(res.nr_failed, 0);
	cr_expect_eq(res.nr_commands, 8);
	cr_expect_eq(out->nr, 1);
	free(out);
}

Test(script_run, opt_is_refused_for_scripts)
{
	struct mmsim_script_result res;
	struct mmsim_error err = { 0 };
	struct captured *out = malloc(sizeof(*out));
	int rc = run("config policy=opt frames=3 swap=1M reclaim=demand\nspawn P\n", false, out,
		     &res, &err);

	cr_assert_eq(rc, -EINVAL);
	cr_assert(strstr(err.msg, "t.mms:2: policy opt needs the future") != NULL, "%s", err.msg);
	free(out);
}

Test(script_run, show_sys_in_a_script_without_processes)
{
	struct mmsim_script_result res;
	struct mmsim_error err = { 0 };
	struct captured *out = malloc(sizeof(*out));
	int rc = run("config mem=256M\nshow sys buddyinfo\nexpect sys oom_kill == 0\n", false, out,
		     &res, &err);

	cr_assert_eq(rc, 0, "%s", err.msg);
	cr_assert_eq(out->nr, 1);
	cr_assert(strstr(out->text[0], "Node 0, zone    DMA32") != NULL, "%s", out->text[0]);
	free(out);
}
