/*
 * cli/cmd_mrc.c: `mmsim mrc TRACE`: miss-ratio curves. LRU and OPT are stack algorithms:
 * their whole curve comes from one pass (mmsim/mrc.h), exact or sampled with SHARDS, and
 * equals `mmsim sweep --reclaim demand` at every size. Other policies are not: `mrc`
 * hands them to `mmsim sweep`'s replays, one per size, and says so. docs/mrc.md.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "outfile.h"
#include "partial.h"
#include "mmsim/error.h"
#include "mmsim/mmsim.h"
#include "mmsim/mrc.h"
#include "mmsim/replay.h"
#include "mmsim/trace.h"
#include "report_run.h"

#define MAX_POLICIES 16
/* Fewer sampled pages than this: the estimate's error is large (docs/mrc.md). */
#define SMALL_SAMPLE 100

static const char mrc_usage[] =
	"usage: mmsim mrc [OPTIONS] TRACE\n"
	"\n"
	"Miss-ratio curves of TRACE: misses against frames (resident 4 KiB pages, or pages of\n"
	"--page-size: a what-if, NOT x86), the same\n"
	"misses as `mmsim sweep --reclaim demand` counts (first touches + pages brought back\n"
	"from swap). LRU and OPT are stack algorithms: one pass gives every size, exactly\n"
	"(OPT also reads the trace once before, for the future). Other policies are replayed\n"
	"once per size (as mmsim sweep does), and the output says so. So are LRU and OPT,\n"
	"with a note, where one pass cannot give sweep's numbers: with --mem or --swap (a\n"
	"machine that may refuse a size or OOM-kill), with thp=always, and on a trace with\n"
	"events (fork, exit, ...) when other policies are replayed in the same output.\n"
	"CSV columns: policy,frames,bytes,accesses,misses,miss_ratio\n"
	"\n"
	"Options:\n"
	"  --policy LIST        comma-separated (default lru,opt)\n"
	"  --sizes LIST|all     frames: START:END:xFACTOR, START:END:+STEP, N,N,... or all\n"
	"                       (every count from 1 to where the curve is flat; LRU and OPT\n"
	"                       only); default: from the footprint / 256 (at least 16),\n"
	"                       doubling, up to the footprint\n"
	"  --sample R           SHARDS at rate R (0 < R < 1): an estimate from the pages\n"
	"                       whose hash falls below R (Waldspurger et al., FAST 2015)\n"
	"  --sample-max N       SHARDS with at most N pages tracked (the rate adjusts)\n"
	"  --compare-exact      with --sample: compute the exact curves too, and print the\n"
	"                       mean absolute error of the miss ratio over the sizes\n"
	"  --csv FILE, -o FILE  the CSV (default standard output; - is standard output)\n"
	"  --json FILE          the curves as JSON\n"
	"  --plot FILE          draw the curves with gnuplot: FILE.svg or FILE.png; log x\n"
	"                       when the sizes span more than two decades\n"
	"  -j, --jobs N         replays at a time for other policies (default: CPUs)\n"
	"  -q, --quiet          no progress on standard error\n"
	"  --format NAME        read TRACE as NAME: binary, lackey, din, oracleGeneral,\n"
	"                       csv, champsim, pages (default: detect binary or "
	"lackey)\n" CLI_TRACE_PARAMS_HELP
	"  --allow-empty        accept a trace with no records (an error otherwise)\n"
	"  --shard K/N          only the K-th of N slices of the sizes (size i is in slice\n"
	"                       i mod N + 1): a partial result instead of the CSV (to --csv);\n"
	"                       mmsim merge makes the CSV, JSON and plot of all N\n"
	"                       (docs/cluster.md)\n"
	"Machine options (they decide what the trace maps; see mmsim run --help; not\n"
	"--reclaim: the curves are those of demand reclaim):\n"
	"%s"
	"  -h, --help           this text\n"
	"\n"
	"Exit status: 0 done; 2 bad usage, a bad trace or gnuplot missing or failing; 130\n"
	"interrupted (^C): the pass or the replays stop, standard error says how far they got,\n"
	"and no CSV, JSON, plot or partial result is written.\n";

/* Set by SIGINT: the pass stops at its next tick and nothing is written. The handler
 * also passes the ^C on to a running `mmsim sweep` (sweep_pid), which stops its runs the
 * same way. The command's only mutable globals: a signal handler has no other way in. */
static volatile sig_atomic_t interrupted;
static volatile sig_atomic_t sweep_pid;

static void on_sigint(int sig)
{
	(void)sig;
	interrupted = 1;
	if (sweep_pid > 0)
		kill((pid_t)sweep_pid, SIGINT);
}

struct mrc_cli {
	const char *trace;
	struct cli_trace_input in; /* --format, -t, --allow-empty */
	struct cli_shard shard;	   /* --shard; n = 0 without */
	char hash[64];		   /* the trace's hash, for a partial result */
	char policy_buf[512];
	char *policies[MAX_POLICIES];
	unsigned int nr_policies;
	bool stack[MMSIM_MRC_NR_POLICIES]; /* stack policies asked for */
	bool others;			   /* some policy is not a stack policy */
	const char *sizes, *csv, *json, *plot;
	const char *cmd; /* "mrc", or "merge" when it merges parts: messages name it */
	bool all_sizes, compare, quiet;
	bool replay_stack; /* lru and opt replayed too: the one pass cannot be exact */
	double rate;
	uint64_t sample_max;
	unsigned int jobs;
	struct cli_settings settings;
	struct cli_frames frames;
	/* Results: misses and ratio by policy and size. */
	uint64_t records, accesses;
	double info_rate; /* the sampling rate the curves were made with (1: exact) */
	uint64_t *misses;
	double *ratio;
	uint64_t *x; /* the sizes */
	size_t nr_x;
	struct mmsim_mrc *mrc, *exact;
	struct cli_progress progress;
	struct mmsim_trace_reader *reader;
	uint64_t done_accesses; /* so far in the pass, for a ^C's message */
	uint64_t nr_events;	/* the trace's fork, exec, exit, ... events */
};

/* ---- Options --------------------------------------------------------------------------- */

static int parse_policies(struct mrc_cli *c, const char *list)
{
	char names[512], *save = NULL;

	mmsim_policy_names(names, sizeof(names));
	if (strlen(list) >= sizeof(c->policy_buf))
		return cli_usage_error("mrc", "--policy: list too long");
	snprintf(c->policy_buf, sizeof(c->policy_buf), "%s", list);
	for (char *p = strtok_r(c->policy_buf, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
		char *save2 = NULL, copy[512];
		bool known = false;

		snprintf(copy, sizeof(copy), "%s", names);
		for (char *n = strtok_r(copy, ", ", &save2); n; n = strtok_r(NULL, ", ", &save2))
			known |= !strcmp(n, p);
		if (!known)
			return cli_usage_error("mrc", "--policy: unknown policy '%s' (want %s)", p,
					       names);
		for (unsigned int i = 0; i < c->nr_policies; i++) {
			if (!strcmp(c->policies[i], p))
				return cli_usage_error("mrc", "--policy: '%s' twice", p);
		}
		if (c->nr_policies == MAX_POLICIES)
			return cli_usage_error("mrc", "--policy: at most %d", MAX_POLICIES);
		c->policies[c->nr_policies++] = p;
		if (!strcmp(p, "lru"))
			c->stack[MMSIM_MRC_LRU] = true;
		else if (!strcmp(p, "opt"))
			c->stack[MMSIM_MRC_OPT] = true;
		else
			c->others = true;
	}
	if (!c->nr_policies)
		return cli_usage_error("mrc", "--policy: empty list");
	return 0;
}

static int parse_rate(const char *arg, double *out)
{
	char *e;
	double v = strtod(arg, &e);

	if (e == arg || *e || !(v > 0 && v < 1))
		return cli_usage_error("mrc", "--sample takes a rate above 0 and below 1, not '%s'",
				       arg);
	*out = v;
	return 0;
}

/* The machine settings the one pass cannot model (mmsim/mrc.h counts every page of the trace
 * in 4 KiB frames, with memory and swap for all of them): with them lru and opt are replayed
 * once per size, as sweep runs them, so that the curves stay sweep's. The reason, or NULL. */
static const char *one_pass_cannot(const struct mrc_cli *c)
{
	struct mmsim_error err = { 0 };
	struct mmsim_config cfg;

	if (cli_settings_has(&c->settings, "mem") || cli_settings_has(&c->settings, "swap"))
		return "--mem and --swap: the one pass has memory and swap for every page, while a "
		       "smaller machine's replays refuse some sizes or OOM-kill";
	if (!cli_settings_config(&c->settings, NULL, "data=off", &cfg, &err) &&
	    !strcmp(cfg.thp, "always"))
		return "thp=always: a huge page takes 512 frames at once, which no stack "
		       "algorithm models";
	return NULL;
}

static int beyond_one_pass(struct mrc_cli *c)
{
	const char *why = one_pass_cannot(c);

	if (!why || (!c->stack[MMSIM_MRC_LRU] && !c->stack[MMSIM_MRC_OPT]))
		return 0;
	if (c->rate > 0 || c->sample_max)
		return cli_usage_error("mrc", "%s; sampling needs the one pass", why);
	if (c->sizes && !strcmp(c->sizes, "all"))
		return cli_usage_error("mrc",
				       "%s; --sizes all needs the one pass: give a list "
				       "of sizes",
				       why);
	/* Not quiet: the curves cost one replay per size, and the user should know why. */
	fprintf(stderr,
		"mmsim mrc: note: %s: lru and opt are replayed once per size (mmsim "
		"sweep), not computed in one pass\n",
		why);
	c->replay_stack = true;
	return 0;
}

static int parse_options(int argc, char **argv, struct mrc_cli *c)
{
	enum {
		OPT_POLICY = 256,
		OPT_SIZES,
		OPT_SAMPLE,
		OPT_SAMPLE_MAX,
		OPT_COMPARE,
		OPT_CSV,
		OPT_JSON,
		OPT_PLOT,
		OPT_SHARD
	};
	static const struct option opts[] = {
		{ "policy", required_argument, NULL, OPT_POLICY },
		{ "policies", required_argument, NULL, OPT_POLICY },
		{ "sizes", required_argument, NULL, OPT_SIZES },
		{ "sample", required_argument, NULL, OPT_SAMPLE },
		{ "sample-max", required_argument, NULL, OPT_SAMPLE_MAX },
		{ "compare-exact", no_argument, NULL, OPT_COMPARE },
		{ "csv", required_argument, NULL, OPT_CSV },
		{ "json", required_argument, NULL, OPT_JSON },
		{ "plot", required_argument, NULL, OPT_PLOT },
		{ "shard", required_argument, NULL, OPT_SHARD },
		{ "output", required_argument, NULL, 'o' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		CLI_TRACE_LONG_OPTIONS,
		CLI_MACHINE_LONG_OPTIONS_BASE,
		{ NULL, 0, NULL, 0 },
	};
	const char *policies = "lru,opt";
	uint64_t v;
	int ch, rc;

	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":hqj:o:t:", opts, NULL)) != -1) {
		rc = cli_trace_input_opt(&c->in, "mrc", ch, optarg);
		if (rc != 1) {
			if (rc)
				return rc;
			continue;
		}
		switch (ch) {
		case OPT_POLICY:
			policies = optarg;
			break;
		case OPT_SIZES:
			c->sizes = optarg;
			break;
		case OPT_SAMPLE:
			rc = parse_rate(optarg, &c->rate);
			if (rc)
				return rc;
			break;
		case OPT_SAMPLE_MAX:
			if (cli_parse_count(optarg, &v) || v < 1 || v > (UINT64_C(1) << 30))
				return cli_usage_error("mrc",
						       "--sample-max takes 1 to 2^30 pages, not "
						       "'%s'",
						       optarg);
			c->sample_max = v;
			break;
		case OPT_COMPARE:
			c->compare = true;
			break;
		case OPT_CSV:
		case 'o':
			c->csv = optarg;
			break;
		case OPT_SHARD:
			rc = cli_shard_parse("mrc", optarg, &c->shard);
			if (rc)
				return rc;
			break;
		case OPT_JSON:
			c->json = optarg;
			break;
		case OPT_PLOT:
			c->plot = optarg;
			break;
		case 'j':
			if (cli_parse_count(optarg, &v) || v < 1 || v > 64)
				return cli_usage_error("mrc", "-j takes 1 to 64, not '%s'", optarg);
			c->jobs = (unsigned int)v;
			break;
		case 'q':
			c->quiet = true;
			break;
		case 'h':
			printf(mrc_usage, cli_machine_help_base);
			return -1;
		case ':':
			return cli_usage_error("mrc", "option '%s' needs a value",
					       argv[optind - 1]);
		default:
			if (ch >= CLI_OPT_MACHINE && ch < CLI_OPT_MACHINE_END) {
				rc = cli_settings_add(&c->settings, "mrc", ch, optarg);
				if (rc)
					return rc;
				break;
			}
			return cli_usage_error("mrc", "unknown option '%s' (see mmsim mrc --help)",
					       argv[optind - 1]);
		}
	}
	if (optind == argc)
		return cli_usage_error("mrc", "missing TRACE (see mmsim mrc --help)");
	if (argc - optind > 1)
		return cli_usage_error("mrc", "one TRACE only, not '%s' too", argv[optind + 1]);
	c->trace = argv[optind];
	{
		const char *const opts[] = { "--csv", "--json", "--plot", "the TRACE" };
		const char *const paths[] = { c->csv, c->json, c->plot,
					      strcmp(c->trace, "-") ? c->trace : NULL };

		rc = cli_outfile_distinct("mrc", opts, paths, 4);
		if (rc)
			return rc;
	}
	rc = parse_policies(c, policies);
	if (rc)
		return rc;
	if (cli_settings_has(&c->settings, "policy") || cli_settings_has(&c->settings, "frames"))
		return cli_usage_error("mrc", "use --policy and --sizes, not --config policy= or "
					      "frames=");
	if (cli_settings_has(&c->settings, "data"))
		return cli_usage_error("mrc", "a trace is replayed in metadata mode (data=off)");
	if (cli_settings_has(&c->settings, "reclaim"))
		return cli_usage_error("mrc", "the curves are those of demand reclaim; --reclaim "
					      "linux sweeps need mmsim sweep");
	if (c->rate > 0 && c->sample_max)
		return cli_usage_error("mrc", "--sample and --sample-max: one or the other");
	if (c->compare && !c->rate && !c->sample_max)
		return cli_usage_error("mrc", "--compare-exact goes with --sample or --sample-max");
	if ((c->rate > 0 || c->sample_max) && c->others)
		return cli_usage_error("mrc", "sampling is for lru and opt only");
	if (c->sizes && !strcmp(c->sizes, "all")) {
		if (c->others)
			return cli_usage_error("mrc", "--sizes all is for lru and opt only (one "
						      "replay per size otherwise)");
		c->all_sizes = true;
	} else if (c->sizes) {
		rc = cli_parse_frames("mrc", "--sizes", c->sizes, &c->frames);
		if (rc)
			return rc;
	}
	if (c->plot && !cli_plot_name_ok(c->plot))
		return cli_usage_error("mrc", "--plot %s: the file name must end in .svg or .png",
				       c->plot);
	if (c->shard.n && (c->json || c->plot))
		return cli_usage_error("mrc", "--shard writes a partial result: give --json and "
					      "--plot to mmsim merge");
	if (c->shard.n && cli_settings_page_shift(&c->settings) != 12)
		return cli_usage_error("mrc", "--shard: at 4K pages only (a what-if page size is "
					      "not carried by the partial results)");
	if (c->shard.n && c->compare)
		return cli_usage_error("mrc", "--compare-exact needs every size: not with --shard");
	if (c->shard.n && cli_partial_text_ok("mrc", c->trace, &c->in, &c->settings))
		return CLI_EXIT_USAGE;
	return beyond_one_pass(c);
}

/* ---- The one-pass curves ------------------------------------------------------------- */

static bool tick(void *ctx, uint64_t accesses)
{
	struct mrc_cli *c = ctx;
	struct mmsim_trace_progress pr;

	mmsim_trace_get_progress(c->reader, &pr);
	cli_progress_update(&c->progress,
			    pr.total_bytes ? (double)pr.bytes_read / (double)pr.total_bytes : -1,
			    accesses);
	c->done_accesses = accesses;
	return !interrupted;
}

/* The machine: settings.c's path, as sweep's runs (the defaults of a trace). */
static int machine(const struct mrc_cli *c, struct mmsim_config *cfg)
{
	struct mmsim_error err = { 0 };

	if (cli_settings_config(&c->settings, NULL, "data=off", cfg, &err))
		return cli_usage_error("mrc", "%s", err.msg);
	return 0;
}

static int build(struct mrc_cli *c, bool sampled, struct mmsim_mrc **out)
{
	struct mmsim_replay_future *future = NULL;
	struct mmsim_error err = { 0 };
	struct mmsim_mrc_opts o = { 0 };
	struct mmsim_config cfg;
	int rc;

	rc = machine(c, &cfg);
	if (rc)
		return rc;
	o.machine = &cfg;
	for (int p = 0; p < MMSIM_MRC_NR_POLICIES; p++)
		o.policy[p] = c->stack[p];
	if (sampled) {
		o.sample_rate = c->rate;
		o.sample_max = c->sample_max;
	}
	o.tick_accesses = 1 << 20;
	o.tick = tick;
	o.ctx = c;
	o.page_shift = cli_settings_page_shift(&c->settings);
	rc = cli_open_trace(c->trace, c->in.format, c->in.params, &c->reader, &err);
	if (!rc && o.policy[MMSIM_MRC_OPT]) {
		if (!mmsim_trace_rewindable(c->reader))
			rc = mmsim_error_set(&err, -EINVAL,
					     "%s: OPT reads the trace twice: give a regular file",
					     c->trace);
		if (!rc)
			rc = mmsim_replay_future_build_at(c->reader, o.page_shift, &future, &err);
		if (!rc)
			rc = mmsim_trace_rewind(c->reader, &err);
	}
	cli_progress_start(&c->progress, !c->quiet && isatty(STDERR_FILENO), "mrc");
	if (!rc)
		rc = mmsim_mrc_build(c->reader, future, &o, out, &err);
	cli_progress_end(&c->progress);
	/* The curves model each pid's pages as its own: say so when the trace forks (once,
	 * and choose_sizes() decides what it means for the policies replayed). */
	if (!rc && !c->nr_events)
		c->nr_events = mmsim_trace_reader_nr_events(c->reader);
	mmsim_replay_future_destroy(future);
	mmsim_trace_reader_destroy(c->reader);
	c->reader = NULL;
	if (interrupted) {
		if (!rc) { /* the pass ended (the trace did) before its next tick */
			struct mmsim_mrc_info info;

			mmsim_mrc_get_info(*out, &info);
			c->done_accesses = info.accesses;
		}
		fprintf(stderr,
			"mmsim mrc: interrupted after %" PRIu64 " accesses of %s; no CSV, JSON, "
			"plot or partial result was written\n",
			c->done_accesses, c->trace);
		return CLI_EXIT_INTERRUPTED;
	}
	if (rc) {
		fprintf(stderr, "mmsim mrc: %s\n", err.msg);
		return CLI_EXIT_USAGE;
	}
	return 0;
}

/* ---- Sizes, and the other policies through sweep ---------------------------------------- */

static int choose_sizes(struct mrc_cli *c)
{
	struct mmsim_mrc_info info;

	mmsim_mrc_get_info(c->mrc, &info);
	c->records = info.records;
	c->accesses = info.accesses;
	c->info_rate = info.rate;
	if (!info.records && !c->in.allow_empty)
		return cli_usage_error("mrc",
				       "%s: the trace has no records (--allow-empty accepts that)",
				       c->trace);
	if (!info.exact && info.records && !info.pages)
		/* No estimate at all: 0 misses would pass for one. */
		return cli_usage_error("mrc",
				       "%s: the sample at rate %g holds none of the trace's pages, "
				       "so it estimates nothing; give a higher --sample or "
				       "--sample-max",
				       c->trace, info.rate);
	if (!info.exact && info.pages < SMALL_SAMPLE)
		fprintf(stderr,
			"mmsim mrc: note: the sample holds only %" PRIu64 " pages (rate %g): "
			"expect a large error (docs/mrc.md, \"Sampled curves\"; "
			"--compare-exact measures it)\n",
			info.pages, info.rate);
	if (c->nr_events && info.exact && c->others && !c->replay_stack) {
		/* The replays of the other policies model the events and the one pass does not:
		 * one output would compare curves of two different models. */
		c->replay_stack = true;
		fprintf(stderr,
			"mmsim mrc: note: the trace's %" PRIu64 " events (fork, exec, exit, "
			"reclaim, shrink-all, switch) are not modelled by the one-pass curves, and "
			"the other policies' replays model them: lru and opt are replayed once "
			"per size too, so that the curves compare\n",
			c->nr_events);
	} else if (c->nr_events) {
		fprintf(stderr,
			"mmsim mrc: note: the trace's %" PRIu64 " events (fork, exec, exit, "
			"reclaim, shrink-all, switch) are not modelled by the curves (each pid's "
			"pages count as its own), so they may differ from mmsim sweep's, which "
			"replays them (docs/mrc.md)\n",
			c->nr_events);
	}
	if (info.refused_framed && info.exact) {
		/* mmsim/mrc.h: such accesses swap the page in at some sizes only. */
		c->replay_stack = true;
		fprintf(stderr,
			"mmsim mrc: %" PRIu64 " accesses were refused by their VMA (fetches from "
			"the non-executable stack) on pages that hold a frame; a refused access "
			"to an evicted page swaps it in first, which no stack algorithm models: "
			"lru and opt are replayed once per size instead\n",
			info.refused_framed);
		if (c->all_sizes)
			return cli_usage_error("mrc", "--sizes all needs the one-pass curve; "
						      "give a list of sizes");
	}
	if (c->all_sizes) {
		uint64_t top = 1;

		for (int p = 0; p < MMSIM_MRC_NR_POLICIES; p++) {
			if (c->stack[p] && mmsim_mrc_max_frames(c->mrc, p) > top)
				top = mmsim_mrc_max_frames(c->mrc, p);
		}
		if (top > (UINT64_C(1) << 24))
			return cli_usage_error("mrc",
					       "--sizes all: %" PRIu64 " sizes is too many; "
					       "give a range",
					       top);
		c->nr_x = (size_t)top;
		c->x = calloc(c->nr_x, sizeof(*c->x));
		if (!c->x)
			return cli_usage_error("mrc", "out of host memory");
		for (size_t i = 0; i < c->nr_x; i++)
			c->x[i] = i + 1;
		c->frames.log_x = top > 100;
		return 0;
	}
	if (!c->sizes) {
		/* From the trace's footprint: the exact one when it was computed; a sample's
		 * pages are about R of it. */
		uint64_t footprint = info.pages;

		if (c->exact) {
			struct mmsim_mrc_info ex;

			mmsim_mrc_get_info(c->exact, &ex);
			footprint = ex.pages;
		} else if (!info.exact && info.rate > 0) {
			footprint = (uint64_t)llround((double)info.pages / info.rate);
		}
		cli_default_frames(footprint, &c->frames);
	}
	c->nr_x = c->frames.nr;
	c->x = calloc(c->nr_x, sizeof(*c->x));
	if (!c->x)
		return cli_usage_error("mrc", "out of host memory");
	memcpy(c->x, c->frames.v, c->nr_x * sizeof(*c->x));
	return 0;
}

/* Policies that are not stack algorithms: `mmsim sweep` with the same machine options,
 * its CSV read back (its first columns are ours: policy, frames, bytes, accesses, misses). */
static int run_sweep(struct mrc_cli *c, unsigned int pol)
{
	char prog[4096], out[] = "/tmp/mmsim-mrc-XXXXXX", frames[4096] = "", line[1024];
	char jobs[16], kv[CLI_MAX_SETTINGS][200], page[16];
	char *argv[24 + 2 * CLI_MAX_SETTINGS];
	int argc = 0, fd, status;
	size_t len = 0, row = 0, want = 0, *idx;
	FILE *f;
	pid_t pid, parent;
	ssize_t n = readlink("/proc/self/exe", prog, sizeof(prog) - 1);

	if (n <= 0)
		return cli_usage_error("mrc", "cannot find the mmsim program to run sweep");
	prog[n] = '\0';
	/* The sizes of this slice (all of them without --shard). */
	idx = calloc(c->nr_x ? c->nr_x : 1, sizeof(*idx));
	if (!idx)
		return cli_usage_error("mrc", "out of host memory");
	for (size_t i = 0; i < c->nr_x && len < sizeof(frames); i++) {
		if (!cli_shard_has(&c->shard, i))
			continue;
		len += (size_t)snprintf(frames + len, sizeof(frames) - len, "%s%" PRIu64,
					want ? "," : "", c->x[i]);
		idx[want++] = i;
	}
	if (!want) {
		free(idx);
		return 0;
	}
	if (len >= sizeof(frames)) {
		free(idx);
		return cli_usage_error("mrc", "too many sizes for %s", c->policies[pol]);
	}
	fd = mkstemp(out);
	if (fd < 0) {
		free(idx);
		return cli_usage_error("mrc", "cannot make a temporary file: %s", strerror(errno));
	}
	close(fd);
	snprintf(jobs, sizeof(jobs), "%u", c->jobs ? c->jobs : 0);
	argv[argc++] = prog;
	argv[argc++] = "sweep";
	argv[argc++] = "-q";
	argv[argc++] = "--policies";
	argv[argc++] = c->policies[pol];
	argv[argc++] = "--frames";
	argv[argc++] = frames;
	argv[argc++] = "-o";
	argv[argc++] = out;
	if (c->jobs) {
		argv[argc++] = "-j";
		argv[argc++] = jobs;
	}
	if (c->in.format_name) {
		argv[argc++] = "--format";
		argv[argc++] = (char *)c->in.format_name;
	}
	if (c->in.allow_empty)
		argv[argc++] = "--allow-empty";
	if (c->in.params) {
		argv[argc++] = "-t";
		argv[argc++] = (char *)c->in.params;
	}
	for (unsigned int i = 0; i < c->settings.nr; i++) {
		snprintf(kv[i], sizeof(kv[i]), "%s=%s", c->settings.s[i].key,
			 c->settings.s[i].value);
		argv[argc++] = "--config";
		argv[argc++] = kv[i];
	}
	if (cli_settings_page_shift(&c->settings) != 12) {
		snprintf(page, sizeof(page), "%uK",
			 (1u << cli_settings_page_shift(&c->settings)) >> 10);
		argv[argc++] = "--page-size";
		argv[argc++] = page;
	}
	argv[argc++] = (char *)c->trace;
	argv[argc] = NULL;
	parent = getpid();
	pid = fork();
	if (pid < 0) {
		unlink(out);
		free(idx);
		return cli_usage_error("mrc", "fork: %s", strerror(errno));
	}
	if (pid == 0) {
		/* The replays end with mrc: a SIGTERM or SIGKILL to it would leave them running
		 * to their end (Linux: prctl(2), PR_SET_PDEATHSIG). */
		if (prctl(PR_SET_PDEATHSIG, SIGTERM) || getppid() != parent)
			_exit(127);
		execv(prog, argv);
		_exit(127);
	}
	sweep_pid = pid;
	if (interrupted) /* a ^C between fork and here */
		kill(pid, SIGINT);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	sweep_pid = 0;
	if (interrupted) {
		unlink(out);
		free(idx);
		fprintf(stderr,
			"mmsim mrc: interrupted during the replays of %s; no CSV, JSON, plot or "
			"partial result was written\n",
			c->policies[pol]);
		return CLI_EXIT_INTERRUPTED;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		unlink(out);
		free(idx);
		return cli_usage_error("mrc", "the replays of %s failed (above)", c->policies[pol]);
	}
	f = fopen(out, "r");
	unlink(out);
	if (!f) {
		free(idx);
		return cli_usage_error("mrc", "cannot read the sweep's results");
	}
	while (fgets(line, sizeof(line), f)) {
		char *save = NULL, *tok = strtok_r(line, ",", &save);
		uint64_t vals[5] = { 0 };
		int col = 1;

		if (!tok || !strcmp(tok, "policy"))
			continue;
		while ((tok = strtok_r(NULL, ",", &save)) && col < 5)
			vals[col++] = strtoull(tok, NULL, 10);
		if (row < want) {
			c->misses[pol * c->nr_x + idx[row]] = vals[4];
			c->ratio[pol * c->nr_x + idx[row]] =
				vals[3] ? (double)vals[4] / (double)vals[3] : 0;
		}
		row++;
	}
	fclose(f);
	free(idx);
	if (row != want)
		return cli_usage_error("mrc", "the sweep of %s gave %zu rows, not %zu",
				       c->policies[pol], row, want);
	return 0;
}

static enum mmsim_mrc_policy stack_policy(const char *name)
{
	return !strcmp(name, "lru") ? MMSIM_MRC_LRU : MMSIM_MRC_OPT;
}

static bool is_stack(const char *name)
{
	return !strcmp(name, "lru") || !strcmp(name, "opt");
}

static int fill(struct mrc_cli *c)
{
	c->misses = calloc(c->nr_policies * c->nr_x, sizeof(*c->misses));
	c->ratio = calloc(c->nr_policies * c->nr_x, sizeof(*c->ratio));
	if (!c->misses || !c->ratio)
		return cli_usage_error("mrc", "out of host memory");
	for (unsigned int p = 0; p < c->nr_policies; p++) {
		if (!is_stack(c->policies[p]) || c->replay_stack) {
			int rc;

			if (!c->quiet)
				fprintf(stderr,
					"mmsim mrc: %s%s: %zu replays, one per size (mmsim "
					"sweep)\n",
					c->policies[p],
					is_stack(c->policies[p]) ? "" : " is not a stack algorithm",
					c->nr_x);
			rc = run_sweep(c, p);
			if (rc)
				return rc;
			continue;
		}
		for (size_t i = 0; i < c->nr_x; i++) {
			enum mmsim_mrc_policy sp = stack_policy(c->policies[p]);

			if (!cli_shard_has(&c->shard, i))
				continue;
			c->misses[p * c->nr_x + i] = mmsim_mrc_misses(c->mrc, sp, c->x[i]);
			c->ratio[p * c->nr_x + i] = mmsim_mrc_miss_ratio(c->mrc, sp, c->x[i]);
		}
	}
	return 0;
}

/* ---- Output ----------------------------------------------------------------------------- */

static const char *method(const struct mrc_cli *c, const char *policy)
{
	if (!is_stack(policy) || c->replay_stack)
		return "one replay per size";
	if (c->sample_max)
		return "SHARDS, fixed size";
	if (c->rate > 0)
		return "SHARDS, fixed rate";
	return "exact, one pass";
}

static int write_csv(const struct mrc_cli *c)
{
	struct cli_outfile out;
	FILE *f = cli_outfile_start(&out, c->cmd, c->csv);
	unsigned int shift = cli_settings_page_shift(&c->settings);
	const char *note = cli_page_note(shift);
	bool bad;

	if (!f)
		return CLI_EXIT_USAGE;
	/* A what-if page size adds two columns to every row: it cannot go unnoticed. */
	bad = fprintf(f, "policy,frames,bytes,accesses,misses,miss_ratio%s\n",
		      note ? ",page_bytes,page_size_note" : "") < 0;
	for (unsigned int p = 0; p < c->nr_policies; p++) {
		for (size_t i = 0; i < c->nr_x; i++) {
			bad |= fprintf(f, "%s,%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%.6f",
				       c->policies[p], c->x[i], c->x[i] << shift, c->accesses,
				       c->misses[p * c->nr_x + i], c->ratio[p * c->nr_x + i]) < 0;
			if (note)
				fprintf(f, ",%u,%s", 1u << shift, note);
			bad |= fputc('\n', f) == EOF;
		}
	}
	return cli_outfile_finish(&out, c->cmd, bad);
}

static void json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fprintf(f, "\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			fprintf(f, "\\u%04x", (unsigned char)*s);
		else
			fputc(*s, f);
	}
	fputc('"', f);
}

static int write_json(const struct mrc_cli *c, const double *mae)
{
	struct cli_outfile out;
	FILE *f = cli_outfile_start(&out, c->cmd, c->json);
	unsigned int shift = cli_settings_page_shift(&c->settings);
	bool bad = false;

	if (!f)
		return CLI_EXIT_USAGE;
	fprintf(f, "{\n  \"trace\": ");
	json_string(f, c->trace);
	if (cli_page_note(shift)) {
		fprintf(f, ",\n  \"page_size_note\": ");
		json_string(f, cli_page_note(shift));
	}
	fprintf(f,
		",\n  \"records\": %" PRIu64 ",\n  \"accesses\": %" PRIu64
		",\n  \"page_bytes\": %" PRIu64 ",\n  \"sample_rate\": %.6f,\n  \"curves\": [",
		c->records, c->accesses, UINT64_C(1) << shift, c->info_rate);
	for (unsigned int p = 0; p < c->nr_policies; p++) {
		fprintf(f, "%s\n    {\"policy\": ", p ? "," : "");
		json_string(f, c->policies[p]);
		fprintf(f, ", \"method\": \"%s\"", method(c, c->policies[p]));
		if (mae && is_stack(c->policies[p]))
			fprintf(f, ", \"mae_vs_exact\": %.6f", mae[p]);
		fprintf(f, ", \"points\": [");
		for (size_t i = 0; i < c->nr_x; i++)
			fprintf(f,
				"%s\n      {\"frames\": %" PRIu64 ", \"bytes\": %" PRIu64
				", \"misses\": %" PRIu64 ", \"miss_ratio\": %.6f}",
				i ? "," : "", c->x[i], c->x[i] << shift, c->misses[p * c->nr_x + i],
				c->ratio[p * c->nr_x + i]);
		fprintf(f, "\n    ]}");
	}
	bad = fprintf(f, "\n  ]\n}\n") < 0;
	return cli_outfile_finish(&out, c->cmd, bad);
}

static int draw(const struct mrc_cli *c, const char *gnuplot)
{
	struct cli_curve curves[MAX_POLICIES];
	bool log_x = c->frames.log_x;

	/* Log x when the sizes span more than two decades. */
	if (c->nr_x && c->x[c->nr_x - 1] > 100 * c->x[0])
		log_x = true;
	for (unsigned int p = 0; p < c->nr_policies; p++)
		curves[p] = (struct cli_curve){ .name = c->policies[p],
						.nr = c->nr_x,
						.x = c->x,
						.y = c->ratio + p * c->nr_x };
	return cli_plot_curves(c->cmd, gnuplot, c->plot, c->trace, log_x, curves, c->nr_policies);
}

/* ---- Shards ------------------------------------------------------------------------------ */

/* --shard: the settings and facts the outputs need, then one row per size of the slice:
 * row I FRAMES, then MISSES RATIO for each policy, the ratio in C99 hex (exact). */
static int write_partial(const struct mrc_cli *c)
{
	struct cli_outfile out;
	struct cli_partial_out po;
	FILE *o = cli_outfile_start(&out, "mrc", c->csv), *f;
	bool bad;

	if (!o)
		return CLI_EXIT_USAGE;
	f = cli_partial_body(&po);
	if (!f) {
		cli_outfile_abort(&out);
		return cli_usage_error("mrc", "out of host memory");
	}
	bad = cli_partial_write_head(f, "mrc", c->trace, c->hash, &c->shard) != 0;
	fprintf(f, "policies ");
	for (unsigned int p = 0; p < c->nr_policies; p++)
		fprintf(f, "%s%s", p ? "," : "", c->policies[p]);
	fprintf(f, "\nsizes %s\nnr_sizes %zu\nlog_x %d\nmachine", c->sizes ? c->sizes : "default",
		c->nr_x, c->frames.log_x);
	for (unsigned int i = 0; i < c->settings.nr; i++)
		fprintf(f, " %s=%s", c->settings.s[i].key, c->settings.s[i].value);
	fprintf(f,
		"%s\nformat %s%s%s\nallow_empty %d\nsample %a\nsample_max %" PRIu64
		"\nreplay_stack %d\nrecords %" PRIu64 "\naccesses %" PRIu64 "\nrate %a\n",
		c->settings.nr ? "" : " default", c->in.format_name ? c->in.format_name : "auto",
		c->in.params ? " -t " : "", c->in.params ? c->in.params : "", c->in.allow_empty,
		c->rate, c->sample_max, c->replay_stack, c->records, c->accesses, c->info_rate);
	for (size_t i = 0; i < c->nr_x; i++) {
		if (!cli_shard_has(&c->shard, i))
			continue;
		fprintf(f, "row %zu %" PRIu64, i, c->x[i]);
		for (unsigned int p = 0; p < c->nr_policies; p++)
			fprintf(f, " %" PRIu64 " %a", c->misses[p * c->nr_x + i],
				c->ratio[p * c->nr_x + i]);
		fprintf(f, "\n");
	}
	bad |= cli_partial_finish(&po, o) != 0;
	return cli_outfile_finish(&out, "mrc", bad);
}

/* The first part's settings back into c (cli_partial_check compares every part's). */
static int merge_settings(struct mrc_cli *c, const struct cli_partial *p)
{
	const char *policies = cli_partial_get(p, "policies"), *log_x = cli_partial_get(p, "log_x");
	const char *sample = cli_partial_get(p, "sample"), *rate = cli_partial_get(p, "rate");
	const char *replay = cli_partial_get(p, "replay_stack");
	char msg[512], *save = NULL;
	uint64_t nr_x;

	if (!policies || !log_x || !sample || !rate || !replay ||
	    strlen(policies) >= sizeof(c->policy_buf))
		return cli_usage_error("merge", "%s: a setting is missing or too long", p->path);
	snprintf(c->policy_buf, sizeof(c->policy_buf), "%s", policies);
	for (char *t = strtok_r(c->policy_buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		if (c->nr_policies == MAX_POLICIES)
			return cli_usage_error("merge", "%s: more than %d policies", p->path,
					       MAX_POLICIES);
		c->policies[c->nr_policies++] = t;
	}
	if (cli_partial_u64(p, "nr_sizes", &nr_x, msg, sizeof(msg)) ||
	    cli_partial_u64(p, "sample_max", &c->sample_max, msg, sizeof(msg)) ||
	    cli_partial_u64(p, "records", &c->records, msg, sizeof(msg)) ||
	    cli_partial_u64(p, "accesses", &c->accesses, msg, sizeof(msg)))
		return cli_usage_error("merge", "%s", msg);
	if (nr_x > (UINT64_C(1) << 24))
		return cli_usage_error("merge", "%s: %" PRIu64 " sizes is too many", p->path, nr_x);
	c->nr_x = (size_t)nr_x;
	c->frames.log_x = !strcmp(log_x, "1");
	c->replay_stack = !strcmp(replay, "1");
	c->rate = strtod(sample, NULL);
	c->info_rate = strtod(rate, NULL);
	return 0;
}

int cli_mrc_merge(const struct cli_partial *parts, size_t nr, const struct cli_merge_opts *o)
{
	struct mrc_cli *c = calloc(1, sizeof(*c));
	char gnuplot[4096], msg[1024], want[2 + 2 * MAX_POLICIES];
	uint64_t u[1 + 2 * MAX_POLICIES];
	double d[1 + 2 * MAX_POLICIES];
	int rc;

	if (!c) {
		fprintf(stderr, "mmsim merge: out of host memory\n");
		return CLI_EXIT_USAGE;
	}
	c->cmd = "merge";
	c->trace = parts[0].trace;
	c->csv = o->csv;
	c->json = o->json;
	c->plot = o->plot;
	rc = merge_settings(c, &parts[0]);
	if (rc)
		goto out;
	if (o->allow_kill) {
		rc = cli_usage_error("merge",
				     "--allow-kill is for parts of mmsim sweep (%s is a "
				     "part of mmsim mrc)",
				     parts[0].path);
		goto out;
	}
	if (cli_partial_check(parts, nr, c->nr_x, msg, sizeof(msg))) {
		rc = cli_usage_error("merge", "%s", msg);
		goto out;
	}
	c->x = calloc(c->nr_x ? c->nr_x : 1, sizeof(*c->x));
	c->misses = calloc(c->nr_policies * c->nr_x + 1, sizeof(*c->misses));
	c->ratio = calloc(c->nr_policies * c->nr_x + 1, sizeof(*c->ratio));
	if (!c->x || !c->misses || !c->ratio) {
		rc = cli_usage_error("merge", "out of host memory");
		goto out;
	}
	/* A row: the frames, then misses and ratio per policy. */
	want[0] = 'u';
	for (unsigned int p = 0; p < c->nr_policies; p++) {
		want[1 + 2 * p] = 'u';
		want[2 + 2 * p] = 'd';
	}
	want[1 + 2 * c->nr_policies] = '\0';
	for (size_t i = 0; i < nr && !rc; i++) {
		for (size_t r = 0; r < parts[i].nr_rows && !rc; r++) {
			size_t x = (size_t)parts[i].cell[r];

			if (cli_partial_fields(parts[i].fields[r], want, u, d)) {
				rc = cli_usage_error("merge", "%s: row %zu: want %zu numbers",
						     parts[i].path, r + 1, strlen(want));
				break;
			}
			c->x[x] = u[0];
			for (unsigned int p = 0; p < c->nr_policies; p++) {
				c->misses[p * c->nr_x + x] = u[1 + 2 * p];
				c->ratio[p * c->nr_x + x] = d[2 + 2 * p];
			}
		}
	}
	if (!rc && cli_partial_verify(parts, nr, msg, sizeof(msg)))
		rc = cli_usage_error("merge", "%s", msg);
	if (rc)
		goto out;
	rc = cli_need_gnuplot("merge", c->plot, gnuplot, sizeof(gnuplot));
	if (rc)
		goto out;
	rc = write_csv(c);
	if (!rc && c->json)
		rc = write_json(c, NULL);
	if (!rc && c->plot)
		rc = draw(c, gnuplot);
out:
	free(c->x);
	free(c->misses);
	free(c->ratio);
	free(c);
	return rc;
}

/* Mean absolute error of the sampled miss ratio against the exact one, over the sizes. */
static void compute_mae(const struct mrc_cli *c, double *mae)
{
	for (unsigned int p = 0; p < c->nr_policies; p++) {
		double sum = 0;

		mae[p] = 0;
		if (!is_stack(c->policies[p]) || !c->nr_x)
			continue;
		for (size_t i = 0; i < c->nr_x; i++) {
			enum mmsim_mrc_policy sp = stack_policy(c->policies[p]);

			sum += fabs(c->ratio[p * c->nr_x + i] -
				    mmsim_mrc_miss_ratio(c->exact, sp, c->x[i]));
		}
		mae[p] = sum / (double)c->nr_x;
		fprintf(stderr,
			"mmsim mrc: %s: %s, rate %.6f: mean absolute error %.6f against "
			"the exact curve over %zu sizes\n",
			c->policies[p], method(c, c->policies[p]), c->info_rate, mae[p], c->nr_x);
	}
}

int cli_cmd_mrc(int argc, char **argv)
{
	struct mrc_cli *c = calloc(1, sizeof(*c));
	double mae[MAX_POLICIES];
	char gnuplot[4096], msg[512];
	bool sampled;
	int rc;

	if (!c) {
		fprintf(stderr, "mmsim mrc: out of host memory\n");
		return CLI_EXIT_USAGE;
	}
	c->cmd = "mrc";
	cli_trace_input_init(&c->in);
	rc = parse_options(argc, argv, c);
	if (rc) {
		rc = rc < 0 ? CLI_EXIT_OK : rc;
		goto out;
	}
	rc = cli_need_gnuplot("mrc", c->plot, gnuplot, sizeof(gnuplot));
	if (rc)
		goto out;
	if (c->shard.n && cli_trace_hash(c->trace, c->hash, sizeof(c->hash), msg, sizeof(msg))) {
		rc = cli_usage_error("mrc", "%s", msg);
		goto out;
	}
	{
		/* From here ^C stops the work and nothing is written; a second ^C kills at
		 * once (SA_RESETHAND). */
		struct sigaction sa = { .sa_handler = on_sigint,
					.sa_flags = SA_RESTART | SA_RESETHAND };

		sigemptyset(&sa.sa_mask);
		sigaction(SIGINT, &sa, NULL);
	}
	if (!c->quiet && cli_page_note(cli_settings_page_shift(&c->settings)))
		fprintf(stderr, "mmsim mrc: %s\n",
			cli_page_note(cli_settings_page_shift(&c->settings)));
	sampled = c->rate > 0 || c->sample_max;
	if (!c->stack[MMSIM_MRC_LRU] && !c->stack[MMSIM_MRC_OPT])
		c->stack[MMSIM_MRC_LRU] = true; /* one cheap pass for the footprint */
	rc = build(c, sampled, &c->mrc);
	if (!rc && c->compare)
		rc = build(c, false, &c->exact);
	if (!rc)
		rc = choose_sizes(c);
	if (!rc)
		rc = fill(c);
	if (!rc && interrupted) {
		fprintf(stderr, "mmsim mrc: interrupted; no CSV, JSON, plot or partial result "
				"was written\n");
		rc = CLI_EXIT_INTERRUPTED;
	}
	if (rc)
		goto out;
	if (c->compare)
		compute_mae(c, mae);
	rc = c->shard.n ? write_partial(c) : write_csv(c);
	if (!rc && c->json)
		rc = write_json(c, c->compare ? mae : NULL);
	if (!rc && c->plot)
		rc = draw(c, gnuplot);
out:
	mmsim_mrc_destroy(c->mrc);
	mmsim_mrc_destroy(c->exact);
	free(c->x);
	free(c->misses);
	free(c->ratio);
	free(c);
	return rc;
}
