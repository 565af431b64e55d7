/*
 * cli/cmd_run.c: `mmsim run`: the main job. Replays a memory trace through the whole
 * machine (mmsim/replay.h), or runs a built-in workload (mmsim/workloads.h), then reports
 * (report_run.h). The machine options are settings.c's, shared with sweep.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "mmsim/error.h"
#include "mmsim/mmsim.h"
#include "mmsim/replay.h"
#include "mmsim/trace.h"
#include "mmsim/workloads.h"
#include "report_run.h"

/* Set by SIGINT or SIGTERM, to the signal: the replay stops at its next tick and the run
 * reports how far it got. The one mutable global of the command: a signal handler has no
 * other way in. */
static volatile sig_atomic_t interrupted;

static void on_sigint(int sig)
{
	interrupted = sig;
}

/* mmsim_workload_opts.stop: a workload stops at its next tick after ^C. */
static bool workload_stop(void *ctx)
{
	(void)ctx;
	return interrupted != 0;
}

/* Accesses between ticks of the progress bar (timeline rows may ask for more). */
#define PROGRESS_TICK 65536
#define DEFAULT_INTERVAL 100000

static const char run_usage[] =
	"usage: mmsim run [OPTIONS] [TRACE]\n"
	"\n"
	"Runs the simulated machine and reports what its memory system did.\n"
	"  mmsim run                      the default built-in workload (see mmsim workloads)\n"
	"  mmsim run --workload NAME      another built-in workload\n"
	"  mmsim run TRACE                replay a memory trace: valgrind lackey text or mmsim\n"
	"                                 binary (detected), or --format NAME; plain, zstd,\n"
	"                                 gzip or xz; '-' for standard input\n"
	"\n"
	"A trace's addresses are user addresses of one process per pid, spawned at its first\n"
	"record; the 2 MiB-aligned region around an address is mapped (anonymous, rwx) when it\n"
	"is first touched, and the 8 MiB below the stack's top are left to the stack, which\n"
	"grows (docs/run.md, \"The VMA rule\"). Traces run in metadata mode on the\n"
	"library's default machine (mem=64M swap=256M policy=linux ...; docs/run.md) unless\n"
	"told otherwise. Workloads run in data mode and compute real results, which they\n"
	"check; each picks its machine size (mmsim workloads).\n"
	"\n"
	"Input:\n"
	"  --workload NAME      run the built-in workload NAME\n"
	"  --scale N            workloads: N times the work (default 1)\n"
	"  --save-trace FILE    workloads: also write every access to FILE (mmsim binary,\n"
	"                       zstd), to replay it later, e.g. with --policy opt\n"
	"  --max-records N      traces: stop after N records (--warmup's included, --skip's\n"
	"                       not)\n"
	"  --skip N             traces: read the first N records and do not simulate them\n"
	"  --warmup N           traces: simulate the next N records, then count from zero:\n"
	"                       the report is of the records after them (docs/run.md)\n"
	"  --allow-kill         an OOM kill is a result, exit status 0 (for experiments on\n"
	"                       the OOM killer); without it a kill is exit status 3\n"
	"  --format NAME        traces: read TRACE as NAME: binary, lackey, din,\n"
	"                       oracleGeneral, csv, champsim, pages (mmsim convert "
	"--help)\n" CLI_TRACE_PARAMS_HELP
	"  --allow-empty        traces: accept a trace with no records (an error otherwise)\n"
	"\n"
	"Machine:\n"
	"  --policy NAME        page replacement (the names are below)\n"
	"  --frames N           cap on resident user pages (0: none)\n"
	"%s"
	"\n"
	"Output:\n"
	"  --show VIEWS         print these views at the end, comma-separated (Views, below)\n"
	"  --json FILE          write the whole result as JSON to FILE ('-': standard output,\n"
	"                       instead of the summary)\n"
	"  --timeline FILE      write a CSV row every --interval accesses: free memory, RSS,\n"
	"                       swap, faults, reclaim, TLB misses (docs/run.md)\n"
	"  --interval N         accesses between timeline rows (default 100000)\n"
	"  -q, --quiet          no progress bar (it is drawn only on a terminal anyway)\n"
	"  -h, --help           this text\n"
	"\n"
	"Exit status: 0 done; 1 a workload's result was wrong, or --paranoid found a broken\n"
	"invariant; 2 bad usage or bad input (the message names the file, the place and the\n"
	"reason); 3 a process was OOM-killed, so part of the input was not simulated (the\n"
	"report's first and last lines say so; --allow-kill: 0); 130 interrupted (^C), 143\n"
	"terminated (SIGTERM): the run stops at its next tick, the summary says so and\n"
	"covers the part that ran, and no --json, --timeline or --save-trace file is\n"
	"written. docs/run.md explains every line of the report.\n";

/* ---- The run ----------------------------------------------------------------------------- */

struct run_opts {
	const char *trace;
	const char *workload;
	const char *save_trace;
	const char *show;
	const char *json;
	const char *timeline;
	uint64_t interval;
	uint64_t max_records;
	uint64_t skip, warmup;
	struct cli_trace_input in; /* --format, -t, --allow-empty */
	unsigned int scale;
	bool quiet;
	bool allow_kill;
	struct cli_settings settings;
};

struct run_ctx {
	struct cli_run run;
	struct mmsim_system *sys;
	struct mmsim_trace_reader *reader;
	struct cli_progress progress;
	struct cli_timeline timeline;
	struct cli_view *views;
	size_t nr_views;
};

static bool is_task_view(const char *name)
{
	const char *v;

	for (unsigned int i = 0; (v = mmsim_name(MMSIM_NAMES_TASK_VIEWS, i)); i++)
		if (!strcmp(name, v))
			return true;
	return false;
}

/* --show: every name must be a view; system views are checked by asking the machine. */
static int check_views(struct run_ctx *rc, const char *list)
{
	char buf[512], task_list[128], *save = NULL;
	struct mmsim_error err = { 0 };

	if (strlen(list) >= sizeof(buf))
		return cli_usage_error("run", "--show: list too long");
	mmsim_names(MMSIM_NAMES_TASK_VIEWS, ", ", task_list, sizeof(task_list));
	snprintf(buf, sizeof(buf), "%s", list);
	for (char *v = strtok_r(buf, ",", &save); v; v = strtok_r(NULL, ",", &save)) {
		char *text;

		if (is_task_view(v))
			continue;
		if (mmsim_report(rc->sys, NULL, v, &text, &err))
			return cli_usage_error("run", "--show %s: %s; process views: %s", v,
					       err.msg, task_list);
		free(text);
	}
	return 0;
}

static int add_view(struct run_ctx *rc, const char *name, int pid, char *text)
{
	struct cli_view *v = realloc(rc->views, (rc->nr_views + 1) * sizeof(*v));

	if (!v) {
		free(text);
		return -ENOMEM;
	}
	rc->views = v;
	v[rc->nr_views++] = (struct cli_view){ .name = name, .pid = pid, .text = text };
	return 0;
}

/* Collects the views at the end; the names point into list, which outlives them. */
static int collect_views(struct run_ctx *rc, char *list)
{
	char *save = NULL;

	for (char *v = strtok_r(list, ",", &save); v; v = strtok_r(NULL, ",", &save)) {
		struct mmsim_error err = { 0 };
		char *text;

		if (!is_task_view(v)) {
			if (mmsim_report(rc->sys, NULL, v, &text, &err) || add_view(rc, v, 0, text))
				return -ENOMEM;
			continue;
		}
		for (size_t i = 0; i < rc->run.procs.nr; i++) {
			const struct cli_proc *p = &rc->run.procs.p[i];

			if (p->state != CLI_PROC_RUNNING)
				continue;
			if (mmsim_report(rc->sys, p->task, v, &text, &err) ||
			    add_view(rc, v, p->pid, text))
				return -ENOMEM;
		}
	}
	return 0;
}

static void print_views(const struct run_ctx *rc)
{
	for (size_t i = 0; i < rc->nr_views; i++) {
		const struct cli_view *v = &rc->views[i];
		size_t len = strlen(v->text);

		if (v->pid)
			printf("\n== pid %d %s ==\n", v->pid, v->name);
		else
			printf("\n== %s ==\n", v->name);
		fputs(v->text, stdout);
		if (len && v->text[len - 1] != '\n')
			putchar('\n');
	}
}

/* ---- Trace replay ---------------------------------------------------------------------- */

static void sync_replay_procs(struct run_ctx *rc, struct mmsim_replay *rp)
{
	struct mmsim_replay_stats st;

	mmsim_replay_get_stats(rp, &st);
	for (size_t i = rc->run.procs.nr; i < st.nr_tasks; i++) {
		uint32_t tpid;
		struct mmsim_task *t = mmsim_replay_task(rp, i, &tpid);

		if (cli_procs_add(&rc->run.procs, t, tpid))
			return;
	}
}

static bool replay_tick(void *ctx, struct mmsim_replay *rp)
{
	struct run_ctx *rc = ctx;
	struct mmsim_trace_progress pr;
	struct mmsim_replay_stats st;
	uint64_t accesses;

	mmsim_replay_get_stats(rp, &st);
	accesses = st.loads + st.stores + st.fetches;
	sync_replay_procs(rc, rp);
	mmsim_trace_get_progress(rc->reader, &pr);
	cli_progress_update(&rc->progress,
			    pr.total_bytes ? (double)pr.bytes_read / (double)pr.total_bytes : -1,
			    accesses);
	cli_timeline_sample(&rc->timeline, rc->sys, &rc->run.procs, accesses, false);
	return !interrupted;
}

/*
 * Accesses between ticks. With a timeline every row must fall on a multiple of its
 * interval, whatever the interval: the tick is the interval's largest divisor up to
 * PROGRESS_TICK when that is at least 4096 (so the progress bar still moves), else the
 * interval itself. The loop is bounded by PROGRESS_TICK.
 */
static uint64_t tick_every(const struct run_ctx *rc)
{
	uint64_t n = rc->timeline.interval;

	if (!rc->timeline.f)
		return PROGRESS_TICK;
	if (n <= PROGRESS_TICK)
		return n;
	for (uint64_t d = PROGRESS_TICK; d >= 4096; d--) {
		if (n % d == 0)
			return d;
	}
	return n;
}

/* The end of --warmup: what everything counted so far, to be taken off at the end. */
static void warmup_done(struct run_ctx *rc, struct mmsim_replay *rp)
{
	mmsim_replay_get_stats(rp, &rc->run.warm);
	rc->run.warmup_records = rc->run.warm.records;
	sync_replay_procs(rc, rp);
	cli_procs_refresh(&rc->run.procs);
	for (size_t i = 0; i < rc->run.procs.nr; i++) {
		rc->run.procs.p[i].warm_minflt = rc->run.procs.p[i].st.minflt;
		rc->run.procs.p[i].warm_majflt = rc->run.procs.p[i].st.majflt;
	}
	cli_counters_read(rc->sys, &rc->run.warm_counters);
}

/* Takes the warmup's counts off: event counters only (Linux's nr_* are levels, kept). */
static void warmup_subtract(struct cli_run *run)
{
	struct mmsim_replay_stats *r = &run->replay;
	const struct mmsim_replay_stats *w = &run->warm;

	if (!run->warmup_records)
		return;
	for (size_t i = 0; i < run->counters.nr; i++) {
		if (strncmp(run->counters.c[i].name, "nr_", 3))
			run->counters.c[i].value -=
				cli_counter(&run->warm_counters, run->counters.c[i].name);
	}
	r->records -= w->records;
	r->accesses -= w->accesses;
	r->loads -= w->loads;
	r->stores -= w->stores;
	r->fetches -= w->fetches;
	r->skipped -= w->skipped;
	r->segv_maperr -= w->segv_maperr;
	r->segv_accerr -= w->segv_accerr;
	r->killed -= w->killed;
	r->regions_mapped -= w->regions_mapped;
	r->forks -= w->forks;
	r->execs -= w->execs;
	r->exits -= w->exits;
	r->reclaims -= w->reclaims;
	r->switches -= w->switches;
	r->map_failures -= w->map_failures;
	for (size_t i = 0; i < run->procs.nr; i++) {
		struct cli_proc *p = &run->procs.p[i];

		p->st.minflt -= p->warm_minflt;
		p->st.majflt -= p->warm_majflt;
	}
}

/* After a kill, the trace's whole footprint says what machine would have held it: from the
 * pre-pass when there was one, else one more pass (a file only; a pipe is gone). */
static void measure_footprint(struct run_ctx *rc, const struct mmsim_replay_future *future)
{
	struct mmsim_replay_footprint fp = { 0 };
	struct mmsim_error err = { 0 };
	bool killed = false;

	for (size_t i = 0; i < rc->run.procs.nr; i++)
		killed |= !mmsim_task_alive(rc->run.procs.p[i].task);
	if (!killed)
		return;
	if (future)
		mmsim_replay_future_footprint(future, &fp);
	else if (mmsim_trace_rewindable(rc->reader) && !mmsim_trace_rewind(rc->reader, &err) &&
		 !cli_trace_skip(rc->reader, rc->run.skip_records, &err))
		mmsim_replay_scan_at(rc->reader, rc->run.page_shift, &fp, &err);
	rc->run.footprint_pages = fp.pages;
}

/*
 * The trace ended before a record was counted: empty, or --skip and --warmup took every
 * record. Either is refused (unless --allow-empty), as sweep refuses it: a report of zeros
 * would read as a measurement.
 */
static void report_nothing_counted(const struct run_ctx *rc, const struct run_opts *o)
{
	const char *name = mmsim_trace_reader_name(rc->reader);
	uint64_t total = o->skip + rc->run.replay.records;

	if (!o->skip && !o->warmup) {
		fprintf(stderr,
			"mmsim run: %s: the trace has no records (--allow-empty accepts that)\n",
			name);
		return;
	}
	if (o->warmup)
		fprintf(stderr, "mmsim run: --warmup %" PRIu64, o->warmup);
	else
		fprintf(stderr, "mmsim run: --skip %" PRIu64, o->skip);
	fprintf(stderr, ": %s has only %" PRIu64 " records", name, total);
	if (o->warmup && o->skip)
		fprintf(stderr, ", %" PRIu64 " after --skip %" PRIu64, rc->run.replay.records,
			o->skip);
	fprintf(stderr, ": none is left to count (--allow-empty accepts that)\n");
}

static int run_trace(struct run_ctx *rc, const struct run_opts *o)
{
	struct mmsim_replay_trace_opts ro = { .tick = replay_tick,
					      .ctx = rc,
					      .max_records = o->max_records };
	struct mmsim_replay_future *future = NULL;
	struct mmsim_error err = { 0 };
	struct mmsim_replay *rp = NULL;
	struct mmsim_trace_progress pr;
	double start;
	int rc2 = CLI_EXIT_USAGE;

	rc->run.skip_records = o->skip;
	if (o->skip && cli_trace_skip(rc->reader, o->skip, &err)) {
		fprintf(stderr, "mmsim run: %s\n", err.msg);
		return CLI_EXIT_USAGE;
	}
	if (mmsim_needs_future(rc->sys)) {
		if (!mmsim_trace_rewindable(rc->reader)) {
			fprintf(stderr,
				"mmsim run: policy %s needs the future, from a first pass over "
				"the trace; %s can be read only once: give a trace file\n",
				rc->run.cfg.policy, mmsim_trace_reader_name(rc->reader));
			return CLI_EXIT_USAGE;
		}
		if (!o->quiet && isatty(STDERR_FILENO))
			fprintf(stderr, "pre-pass over %s for policy %s...",
				mmsim_trace_reader_name(rc->reader), rc->run.cfg.policy);
		if (mmsim_replay_future_build_at(rc->reader, rc->run.page_shift, &future, &err) ||
		    mmsim_trace_rewind(rc->reader, &err) ||
		    cli_trace_skip(rc->reader, o->skip, &err)) {
			fprintf(stderr, "%smmsim run: %s\n",
				!o->quiet && isatty(STDERR_FILENO) ? "\n" : "", err.msg);
			goto out;
		}
		if (!o->quiet && isatty(STDERR_FILENO))
			fprintf(stderr, "\r\033[K");
		rc->run.future = true;
	}
	if (mmsim_replay_create(rc->sys, &rp, &err) ||
	    mmsim_replay_set_page_shift(rp, rc->run.page_shift, &err)) {
		fprintf(stderr, "mmsim run: %s\n", err.msg);
		goto out;
	}
	mmsim_replay_set_future(rp, future);
	ro.tick_accesses = tick_every(rc);
	cli_progress_start(&rc->progress, !o->quiet && isatty(STDERR_FILENO), "run");
	start = cli_now();
	if (o->warmup) {
		/* --warmup: simulated, then the counters are taken as the zero point. */
		ro.max_records = o->warmup;
		rc2 = mmsim_replay_trace(rp, rc->reader, &ro, &err);
		if (!rc2)
			warmup_done(rc, rp);
		ro.max_records = o->max_records ? o->max_records - o->warmup : 0;
	}
	if (!o->warmup || !rc2)
		rc2 = mmsim_replay_trace(rp, rc->reader, &ro, &err);
	rc->run.seconds = cli_now() - start;
	cli_progress_end(&rc->progress);
	if (interrupted && (rc2 == 0 || rc2 == -EINTR)) {
		sync_replay_procs(rc, rp);
		mmsim_replay_get_stats(rp, &rc->run.replay);
		rc2 = CLI_EXIT_INTERRUPTED;
		goto out;
	}
	if (rc2) {
		fprintf(stderr, "mmsim run: %s\n", err.msg);
		rc2 = CLI_EXIT_USAGE;
		goto out;
	}
	sync_replay_procs(rc, rp);
	mmsim_replay_get_stats(rp, &rc->run.replay);
	for (size_t i = 0; i < rc->run.procs.nr; i++)
		mmsim_replay_task_stats(rp, i, &rc->run.procs.p[i].rs);
	measure_footprint(rc, future);
	mmsim_trace_get_progress(rc->reader, &pr);
	rc->run.trace_skipped = pr.nr_skipped;
	/* replay.records still holds the warmup's: nothing after it is nothing to count. */
	if (rc->run.replay.records == rc->run.warmup_records && !o->in.allow_empty) {
		report_nothing_counted(rc, o);
		rc2 = CLI_EXIT_USAGE;
		goto out;
	}
	cli_timeline_sample(&rc->timeline, rc->sys, &rc->run.procs, cli_run_accesses(&rc->run),
			    true);
	rc2 = CLI_EXIT_OK;
out:
	mmsim_replay_destroy(rp);
	mmsim_replay_future_destroy(future);
	return rc2;
}

/* ---- Workloads ------------------------------------------------------------------------- */

static void workload_tick(void *ctx, uint64_t accesses, uint64_t planned)
{
	struct run_ctx *rc = ctx;
	double f = planned ? (double)accesses / (double)planned : -1;

	cli_progress_update(&rc->progress, f > 0.99 ? 0.99 : f, accesses);
	cli_timeline_sample(&rc->timeline, rc->sys, &rc->run.procs, accesses, false);
}

static void workload_task(void *ctx, struct mmsim_task *t, enum mmsim_workload_task_event ev)
{
	struct run_ctx *rc = ctx;

	if (ev == MMSIM_WORKLOAD_TASK_STARTED)
		cli_procs_add(&rc->run.procs, t, -1);
	else
		cli_procs_exiting(&rc->run.procs, t);
}

static int run_workload(struct run_ctx *rc, const struct run_opts *o)
{
	struct mmsim_workload_opts wo = {
		.scale = o->scale,
		.seed = rc->run.cfg.seed,
		.tick = workload_tick,
		.task_event = workload_task,
		.ctx = rc,
		.stop = workload_stop,
	};
	struct mmsim_trace_writer *w = NULL;
	struct mmsim_error err = { 0 };
	double start;
	int rc2;

	if (mmsim_needs_future(rc->sys)) {
		fprintf(stderr,
			"mmsim run: policy %s needs the future, which only a trace has: "
			"save the workload's accesses with --save-trace FILE, then run FILE\n",
			rc->run.cfg.policy);
		return CLI_EXIT_USAGE;
	}
	if (o->save_trace && mmsim_trace_writer_create(o->save_trace, NULL, &w, &err)) {
		fprintf(stderr, "mmsim run: %s\n", err.msg);
		return CLI_EXIT_USAGE;
	}
	wo.trace = w;
	wo.tick_accesses = tick_every(rc);
	cli_progress_start(&rc->progress, !o->quiet && isatty(STDERR_FILENO),
			   rc->run.workload->name);
	start = cli_now();
	rc2 = mmsim_workload_run(rc->sys, rc->run.workload, &wo, &rc->run.wl, &err);
	rc->run.seconds = cli_now() - start;
	cli_progress_end(&rc->progress);
	if (rc2 == -EINTR && interrupted) {
		/* Destroyed unfinished, the --save-trace file is not written (trace_sink.h). */
		mmsim_trace_writer_destroy(w);
		return CLI_EXIT_INTERRUPTED;
	}
	if (!rc2 && w)
		rc2 = mmsim_trace_writer_finish(w, &err);
	mmsim_trace_writer_destroy(w);
	if (rc2) {
		fprintf(stderr, "mmsim run: %s\n", err.msg);
		return CLI_EXIT_USAGE;
	}
	cli_timeline_sample(&rc->timeline, rc->sys, &rc->run.procs, rc->run.wl.accesses, true);
	return CLI_EXIT_OK;
}

/* ---- Options and the whole command -------------------------------------------------------- */

static int parse_options(int argc, char **argv, struct run_opts *o)
{
	enum {
		OPT_WORKLOAD = 256,
		OPT_SCALE,
		OPT_SAVE,
		OPT_MAXREC,
		OPT_SHOW,
		OPT_JSON,
		OPT_TIMELINE,
		OPT_INTERVAL,
		OPT_ALLOW_KILL,
		OPT_SKIP,
		OPT_WARMUP,
	};
	static const struct option opts[] = {
		{ "workload", required_argument, NULL, OPT_WORKLOAD },
		{ "scale", required_argument, NULL, OPT_SCALE },
		{ "save-trace", required_argument, NULL, OPT_SAVE },
		{ "max-records", required_argument, NULL, OPT_MAXREC },
		{ "show", required_argument, NULL, OPT_SHOW },
		{ "json", required_argument, NULL, OPT_JSON },
		{ "timeline", required_argument, NULL, OPT_TIMELINE },
		{ "interval", required_argument, NULL, OPT_INTERVAL },
		{ "allow-kill", no_argument, NULL, OPT_ALLOW_KILL },
		{ "skip", required_argument, NULL, OPT_SKIP },
		{ "warmup", required_argument, NULL, OPT_WARMUP },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		CLI_TRACE_LONG_OPTIONS,
		CLI_MACHINE_LONG_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	uint64_t v;
	int c, rc;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":hqt:", opts, NULL)) != -1) {
		rc = cli_trace_input_opt(&o->in, "run", c, optarg);
		if (rc != 1) {
			if (rc)
				return rc;
			continue;
		}
		switch (c) {
		case OPT_WORKLOAD:
			o->workload = optarg;
			break;
		case OPT_SCALE:
			if (cli_parse_count(optarg, &v) || v < 1 || v > 1000)
				return cli_usage_error("run", "--scale takes 1 to 1000, not '%s'",
						       optarg);
			o->scale = (unsigned int)v;
			break;
		case OPT_SAVE:
			o->save_trace = optarg;
			break;
		case OPT_MAXREC:
			if (cli_parse_count(optarg, &o->max_records) || !o->max_records)
				return cli_usage_error("run",
						       "--max-records takes a number above 0, "
						       "not '%s'",
						       optarg);
			break;
		case OPT_SHOW:
			o->show = optarg;
			break;
		case OPT_JSON:
			o->json = optarg;
			break;
		case OPT_TIMELINE:
			o->timeline = optarg;
			break;
		case OPT_INTERVAL:
			if (cli_parse_count(optarg, &o->interval) || !o->interval)
				return cli_usage_error("run",
						       "--interval takes a number of accesses "
						       "above 0, not '%s'",
						       optarg);
			break;
		case OPT_SKIP:
			if (cli_parse_count(optarg, &o->skip))
				return cli_usage_error("run",
						       "--skip takes a number of records, not '%s'",
						       optarg);
			break;
		case OPT_WARMUP:
			if (cli_parse_count(optarg, &o->warmup))
				return cli_usage_error(
					"run", "--warmup takes a number of records, not '%s'",
					optarg);
			break;
		case OPT_ALLOW_KILL:
			o->allow_kill = true;
			break;
		case 'q':
			o->quiet = true;
			break;
		case 'h': {
			char names[256], params[2048], sys_views[256], task_views[128];

			mmsim_policy_names(names, sizeof(names));
			mmsim_policy_params(params, sizeof(params));
			mmsim_names(MMSIM_NAMES_SYSTEM_VIEWS, ", ", sys_views, sizeof(sys_views));
			mmsim_names(MMSIM_NAMES_TASK_VIEWS, ", ", task_views, sizeof(task_views));
			printf(run_usage, cli_machine_help_base);
			printf("\nViews (--show):\n  the system: %s\n  every process: %s\n",
			       sys_views, task_views);
			printf("\nPolicies: %s.\nPolicy parameters (--policy "
			       "NAME:KEY=VALUE[:KEY=VALUE], "
			       "docs/policies.md):\n%s",
			       names, params);
			return -1;
		}
		case ':':
			return cli_usage_error("run", "option '%s' needs a value",
					       argv[optind - 1]);
		default:
			if (c >= CLI_OPT_MACHINE && c < CLI_OPT_MACHINE_END) {
				rc = cli_settings_add(&o->settings, "run", c, optarg);
				if (rc)
					return rc;
				break;
			}
			return cli_usage_error("run", "unknown option '%s' (see mmsim run --help)",
					       argv[optind - 1]);
		}
	}
	if (argc - optind > 1)
		return cli_usage_error("run", "one TRACE only, not '%s' too", argv[optind + 1]);
	if (optind < argc)
		o->trace = argv[optind];
	if (o->trace && o->workload)
		return cli_usage_error("run", "give a TRACE or --workload, not both");
	if (o->trace && (o->save_trace || o->scale))
		return cli_usage_error("run", "--save-trace and --scale are for workloads");
	if (!o->trace && (o->max_records || o->skip || o->warmup || o->in.format_name ||
			  o->in.allow_empty || o->in.params))
		return cli_usage_error("run", "--max-records, --skip, --warmup, --format, -t and "
					      "--allow-empty are for traces");
	if (o->warmup && o->max_records && o->max_records <= o->warmup)
		return cli_usage_error("run",
				       "--max-records %" PRIu64 " counts the warmup's records too: "
				       "give more than --warmup %" PRIu64,
				       o->max_records, o->warmup);
	if (o->interval && !o->timeline)
		return cli_usage_error("run", "--interval goes with --timeline");
	if (!o->interval)
		o->interval = DEFAULT_INTERVAL;
	return 0;
}

/* The machine: settings.c's one path, then what a workload or a trace needs. */
static int configure(struct run_ctx *rc, const struct run_opts *o)
{
	struct mmsim_config *c = &rc->run.cfg;
	struct mmsim_error err = { 0 };

	if (cli_settings_config(&o->settings, rc->run.workload, NULL, c, &err))
		return cli_usage_error("run", "%s", err.msg);
	if (rc->run.workload && !c->data_mode)
		return cli_usage_error("run",
				       "data=off: a workload computes real data, so it needs "
				       "data mode");
	if (!rc->run.workload && c->data_mode)
		return cli_usage_error("run", "data=on: a trace has no data; it is replayed in "
					      "metadata mode");
	rc->run.page_shift = cli_settings_page_shift(&o->settings);
	if (rc->run.page_shift != 12 && rc->run.workload)
		return cli_usage_error("run",
				       "--page-size %uK (a what-if, NOT x86) is for traces: a "
				       "workload runs on the 4 KiB machine itself",
				       (1u << rc->run.page_shift) >> 10);
	if (rc->run.page_shift != 12 && o->timeline)
		return cli_usage_error(
			"run",
			"--timeline: at 4K pages only (its kB columns are the 4 KiB "
			"machine's; with --page-size %uK, a what-if that is NOT x86, "
			"they would mislead)",
			(1u << rc->run.page_shift) >> 10);
	return cli_settings_page_check(&o->settings, "run", c);
}

static int open_input(struct run_ctx *rc, struct run_opts *o)
{
	struct mmsim_error err = { 0 };

	if (o->trace) {
		if (cli_open_trace(o->trace, o->in.format, o->in.params, &rc->reader, &err)) {
			fprintf(stderr, "mmsim run: %s\n", err.msg);
			return CLI_EXIT_USAGE;
		}
		rc->run.trace_path = mmsim_trace_reader_name(rc->reader);
		rc->run.trace_format = mmsim_trace_reader_format(rc->reader);
		rc->run.trace_compression = mmsim_trace_reader_compression(rc->reader);
		return 0;
	}
	rc->run.workload =
		o->workload ? mmsim_workload_find(o->workload) : mmsim_workload_default();
	if (!rc->run.workload) {
		fprintf(stderr, "mmsim run: unknown workload '%s'; valid workloads:", o->workload);
		for (size_t i = 0; i < mmsim_workload_count(); i++)
			fprintf(stderr, " %s", mmsim_workload_at(i)->name);
		fputc('\n', stderr);
		return CLI_EXIT_USAGE;
	}
	rc->run.scale = o->scale ? o->scale : 1;
	return 0;
}

/* The kB of a "Name:  N kB" line of meminfo text, 0 when absent. */
static uint64_t meminfo_kb(const char *text, const char *name)
{
	const char *p = strstr(text, name);
	unsigned long long v = 0;

	if (p)
		sscanf(p + strlen(name), ": %llu", &v);
	return v;
}

/* SwapTotal, SwapFree, Cached and AnonHugePages, read from the machine's /proc/meminfo as
 * a user would. */
static void read_meminfo(struct run_ctx *rc)
{
	struct mmsim_error err = { 0 };
	uint64_t total, free_kb;
	char *text;

	if (mmsim_report(rc->sys, NULL, "meminfo", &text, &err))
		return;
	total = meminfo_kb(text, "\nSwapTotal");
	free_kb = meminfo_kb(text, "\nSwapFree");
	rc->run.cached_kb = meminfo_kb(text, "\nCached");
	rc->run.anon_huge_kb = meminfo_kb(text, "\nAnonHugePages");
	free(text);
	rc->run.swap_total_kb = total;
	rc->run.swap_used_kb = total > free_kb ? total - free_kb : 0;
}

static int finish(struct run_ctx *rc, const struct run_opts *o, char *show)
{
	struct mmsim_error err = { 0 };
	bool failed;
	char msg[512];

	cli_procs_refresh(&rc->run.procs);
	cli_counters_read(rc->sys, &rc->run.counters);
	warmup_subtract(&rc->run);
	read_meminfo(rc);
	if (rc->run.cfg.paranoid && mmsim_check(rc->sys, &err))
		snprintf(rc->run.check_error, sizeof(rc->run.check_error), "%s", err.msg);
	failed = (rc->run.workload && !rc->run.wl.passed) || rc->run.check_error[0];
	rc->run.exit_status = failed ? CLI_EXIT_FAILED : CLI_EXIT_OK;
	rc->run.allow_kill = o->allow_kill;
	/* A kill explains a workload's wrong result; a broken invariant stays exit 1. */
	if (cli_run_nr_killed(&rc->run) && !o->allow_kill && !rc->run.check_error[0])
		rc->run.exit_status = CLI_EXIT_KILLED;
	if (show && collect_views(rc, show)) {
		fprintf(stderr, "mmsim run: out of host memory collecting the views\n");
		return CLI_EXIT_USAGE;
	}
	if (!o->json || strcmp(o->json, "-")) {
		cli_report_summary(stdout, &rc->run);
		print_views(rc);
	}
	fflush(stdout);
	if (o->json &&
	    cli_report_json(o->json, &rc->run, rc->views, rc->nr_views, msg, sizeof(msg))) {
		fprintf(stderr, "mmsim run: %s\n", msg);
		return CLI_EXIT_USAGE;
	}
	if (cli_timeline_close(&rc->timeline)) {
		fprintf(stderr, "mmsim run: %s: writing the timeline failed\n", o->timeline);
		return CLI_EXIT_USAGE;
	}
	return rc->run.exit_status;
}

/*
 * ^C during a replay: the summary of the part that ran, on standard output, and on
 * standard error how far it got. --json and --timeline files are not written (their
 * temporaries are removed): a file is the result of a whole run or nothing.
 */
static const char *interrupted_how(void)
{
	return interrupted == SIGTERM ? "terminated (SIGTERM)" : "interrupted";
}

static void report_interrupted(struct run_ctx *rc, const struct run_opts *o)
{
	struct mmsim_trace_progress pr = { 0 };

	if (rc->reader)
		mmsim_trace_get_progress(rc->reader, &pr);
	rc->run.interrupted = true;
	rc->run.interrupted_by = interrupted == SIGTERM ? "SIGTERM" : "^C";
	rc->run.input_fraction =
		pr.total_bytes ? (double)pr.bytes_read / (double)pr.total_bytes : -1;
	cli_procs_refresh(&rc->run.procs);
	cli_counters_read(rc->sys, &rc->run.counters);
	warmup_subtract(&rc->run);
	read_meminfo(rc);
	cli_outfile_abort(&rc->timeline.out);
	rc->timeline.f = NULL;
	if (rc->run.workload) {
		fprintf(stderr,
			"mmsim run: %s after %" PRIu64 " of about %" PRIu64
			" accesses of workload %s; the summary covers only that part%s\n",
			interrupted_how(), rc->run.wl.accesses, rc->run.wl.planned,
			rc->run.workload->name,
			o->json || o->timeline || o->save_trace
				? "; no --json, --timeline or --save-trace file was written"
				: "");
	} else {
		fprintf(stderr,
			"mmsim run: %s after %" PRIu64 " records (%" PRIu64 " page accesses) of %s",
			interrupted_how(),
			rc->run.skip_records + rc->run.warmup_records + rc->run.replay.records,
			rc->run.replay.accesses, mmsim_trace_reader_name(rc->reader));
		if (pr.total_bytes)
			fprintf(stderr, ", %.1f%% of its bytes", 100.0 * rc->run.input_fraction);
		fprintf(stderr, "; the summary covers only that part%s\n",
			o->json || o->timeline ? "; no --json or --timeline file was written" : "");
	}
	if (!o->json || strcmp(o->json, "-"))
		cli_report_summary(stdout, &rc->run);
	fflush(stdout);
}

int cli_cmd_run(int argc, char **argv)
{
	struct run_opts o = { 0 };
	struct run_ctx rc = { 0 };
	struct mmsim_error err = { 0 };
	char *show = NULL;
	int status;

	cli_trace_input_init(&o.in);
	status = parse_options(argc, argv, &o);
	if (status)
		return status < 0 ? CLI_EXIT_OK : status;
	status = open_input(&rc, &o);
	if (status)
		goto out;
	status = configure(&rc, &o);
	if (status)
		goto out;
	if (mmsim_system_create(&rc.run.cfg, &rc.sys, &err)) {
		fprintf(stderr, "mmsim run: %s\n", err.msg);
		status = CLI_EXIT_USAGE;
		goto out;
	}
	mmsim_system_config(rc.sys, &rc.run.cfg); /* reclaim as the machine chose it */
	if (o.show) {
		status = check_views(&rc, o.show);
		if (status)
			goto out;
		show = strdup(o.show);
		if (!show) {
			status = CLI_EXIT_USAGE;
			goto out;
		}
	}
	if (o.timeline && cli_timeline_open(&rc.timeline, o.timeline, o.interval)) {
		fprintf(stderr, "mmsim run: %s: cannot write: %s\n", o.timeline, strerror(errno));
		status = CLI_EXIT_USAGE;
		goto out;
	}
	cli_timeline_sample(&rc.timeline, rc.sys, &rc.run.procs, 0, true); /* the start */
	{
		struct sigaction sa = { .sa_handler = on_sigint,
					.sa_flags = SA_RESTART | SA_RESETHAND };

		/* A second ^C kills at once (SA_RESETHAND). SIGTERM, what kill and timeout(1)
		 * send, stops the run as ^C does: the temporaries go, the report says so. */
		sigemptyset(&sa.sa_mask);
		sigaction(SIGINT, &sa, NULL);
		sigaction(SIGTERM, &sa, NULL);
	}
	status = rc.run.workload ? run_workload(&rc, &o) : run_trace(&rc, &o);
	if (status == CLI_EXIT_INTERRUPTED) {
		report_interrupted(&rc, &o);
		status = 128 + (interrupted ? interrupted : SIGINT);
	}
	if (status == CLI_EXIT_OK)
		status = finish(&rc, &o, show);
out:
	cli_timeline_close(&rc.timeline);
	for (size_t i = 0; i < rc.nr_views; i++)
		free(rc.views[i].text);
	free(rc.views);
	free(show);
	cli_procs_fini(&rc.run.procs);
	mmsim_system_destroy(rc.sys);
	mmsim_trace_reader_destroy(rc.reader);
	return status;
}
