/*
 * cli/cmd_sweep.c: `mmsim sweep TRACE`: the trace replayed once for every policy and every
 * number of frames, each run on its own machine (the library has no globals, so runs go
 * in parallel threads), written as CSV and optionally drawn as miss-ratio curves with
 * gnuplot. docs/run.md ("Sweeps") defines every column.
 *
 * Misses are counted as textbooks count them: the first touch of each page (the trace's
 * footprint, the same for every run) plus every major fault (a page brought back from
 * swap). The kernel's own fault count (pgfault) is there too; it also counts faults
 * textbooks do not, such as a copy-on-write after a zero-page read.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "partial.h"
#include "mmsim/error.h"
#include "mmsim/mmsim.h"
#include "mmsim/replay.h"
#include "mmsim/trace.h"
#include "report_run.h"

#define DEFAULT_POLICIES "fifo,lru,clock,opt"
#define MAX_POLICIES 16
#define MAX_FRAMES CLI_MAX_FRAMES
#define MIB (UINT64_C(1) << 20)
/* The machine's own page: with a what-if page size each of its 4 KiB frames stands for one
 * page of that size (mmsim_replay_set_page_shift()), so its memory is sized in these. */
#define MODEL_PAGE_BYTES UINT64_C(4096)

#ifdef MMSIM_COVERAGE_BUILD
void __gcov_reset(void); /* libgcov: zero this process's coverage counters */
#endif

static const char sweep_usage[] =
	"usage: mmsim sweep [OPTIONS] TRACE\n"
	"\n"
	"Replays TRACE (a file: each run reads it again) once for every policy and number of\n"
	"frames, each run on its own machine, N at a time, and writes one CSV row per run:\n"
	"  policy,frames,bytes,accesses,misses,miss_ratio,mem_bytes,swap_bytes,records,\n"
	"  faults,major_faults,cold_misses,pswpin,pswpout,pgsteal,oom_kills,not_simulated,\n"
	"  complete\n"
	"(the first six are mmsim mrc's; bytes = frames x the page size, 4096 unless\n"
	"--page-size; a what-if page size adds page_bytes,page_size_note to every row)\n"
	"misses = cold_misses (first touches: the pages of the trace) + major_faults (pages\n"
	"brought back from swap); miss_ratio = misses / accesses (page accesses). A run whose\n"
	"process was OOM-killed has complete=no, the page accesses it did not simulate in\n"
	"not_simulated, and misses and miss_ratio empty (no plot point): they would mislead.\n"
	"\n"
	"Options:\n"
	"  --policies LIST      comma-separated (default " DEFAULT_POLICIES ")\n"
	"  --frames RANGE       frame caps (resident user pages) to try:\n"
	"                         START:END:xFACTOR  START, START*FACTOR, ... up to END\n"
	"                         START:END:+STEP    START, START+STEP, ... up to END\n"
	"                         N,N,...            these\n"
	"                       default: from the footprint / 256 (at least 16), doubling,\n"
	"                       up to the footprint (the trace's distinct pages)\n"

	"  -j, --jobs N         runs at a time (default: the number of CPUs)\n"
	"  -o, --output FILE    the CSV (default standard output)\n"
	"  --plot FILE          draw miss ratio against frames, one curve per policy, with\n"
	"                       gnuplot (Debian package gnuplot-nox): FILE.svg or FILE.png\n"
	"  -q, --quiet          no progress on standard error\n"
	"  --allow-kill         a killed run is a result: exit status 0, not 3\n"
	"  --skip N             read the first N records and do not simulate them\n"
	"  --warmup N           simulate the next N records, then count from zero: every\n"
	"                       column is of the records after them; cold_misses are the\n"
	"                       pages first touched after the warmup\n"
	"  --format NAME        read TRACE as NAME: binary, lackey, din, oracleGeneral,\n"
	"                       csv, champsim, pages (default: detect binary or "
	"lackey)\n" CLI_TRACE_PARAMS_HELP
	"  --allow-empty        accept a trace with no records (an error otherwise)\n"
	"  --shard K/N          run only the K-th of N slices of the runs (run i is in slice\n"
	"                       i mod N + 1) and write a partial result instead of the CSV;\n"
	"                       mmsim merge makes the CSV and plot of all N (docs/cluster.md)\n"
	"Machine options (--mem and --swap are sized for each run unless given: RAM for the\n"
	"frames plus 48 MiB, swap for the whole footprint):\n"
	"%s"
	"  -h, --help           this text\n"
	"\n"
	"Exit status: 0 done; 2 bad usage, a bad trace or gnuplot missing or failing; 3 a\n"
	"run's process was OOM-killed (its row says complete=no; --allow-kill: 0); 130\n"
	"interrupted (^C): runs stop at their next tick, standard error lists the runs that\n"
	"finished, and no CSV or plot is written.\n";

/* Set by SIGINT: runs stop at their next tick, no new run starts, nothing is written.
 * The one mutable global of the command: a signal handler has no other way in. */
static volatile sig_atomic_t interrupted;

static void on_sigint(int sig)
{
	(void)sig;
	interrupted = 1;
}

/* Accesses between a run's looks at the flag. */
#define SWEEP_TICK 65536

static bool job_tick(void *ctx, struct mmsim_replay *rp)
{
	(void)ctx;
	(void)rp;
	return !interrupted;
}

struct sweep_job {
	size_t cell;	     /* index among all policy x frames runs (policy-major) */
	unsigned int policy; /* index in the policy list */
	uint64_t frames;
	/* Results. */
	struct mmsim_config cfg;
	struct mmsim_replay_stats st;
	uint64_t faults, major, pswpin, pswpout, pgsteal, oom_kills;
	bool complete; /* no process was killed: every access was simulated */
	bool started;  /* a worker took it (so far as ^C allowed) */
	int rc;	       /* -EINTR: cut short by ^C */
	char msg[MMSIM_ERROR_MSG_SIZE];
};

struct sweep {
	const char *trace;
	struct cli_trace_input in; /* --format, -t, --allow-empty */
	struct cli_shard shard;	   /* --shard; n = 0 without */
	char hash[64];		   /* the trace's hash, for a partial result */
	char *policies[MAX_POLICIES];
	bool needs_future[MAX_POLICIES];
	unsigned int nr_policies;
	uint64_t frames[MAX_FRAMES];
	unsigned int nr_frames;
	bool log_x; /* the frames grow geometrically: plot them on a log scale */
	struct cli_settings settings;
	bool mem_given, swap_given;
	struct mmsim_replay_footprint fp;
	struct mmsim_replay_future *future; /* when a policy needs it */
	struct sweep_job *jobs;
	size_t nr_jobs;
	atomic_size_t next, done;
	const char *output, *plot;
	const char *cmd; /* "sweep", or "merge" when it merges parts: messages name it */
	unsigned int nr_threads;
	bool quiet;
	bool allow_kill;
	uint64_t skip, warmup; /* --skip, --warmup: records */
	uint64_t warm_pages;   /* distinct (pid, page) pairs of the warmup's records */
	char policy_buf[512];
};

/* ---- Options ------------------------------------------------------------------------- */

static int parse_policies(struct sweep *s, const char *list)
{
	char names[512], *save = NULL;

	mmsim_policy_names(names, sizeof(names));
	if (strlen(list) >= sizeof(s->policy_buf))
		return cli_usage_error("sweep", "--policies: list too long");
	snprintf(s->policy_buf, sizeof(s->policy_buf), "%s", list);
	s->nr_policies = 0;
	for (char *p = strtok_r(s->policy_buf, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
		char *save2 = NULL, copy[512];
		bool known = false;

		snprintf(copy, sizeof(copy), "%s", names);
		for (char *n = strtok_r(copy, ", ", &save2); n; n = strtok_r(NULL, ", ", &save2))
			known |= strlen(n) == strcspn(p, ":") && !strncmp(n, p, strlen(n));
		if (!known)
			return cli_usage_error("sweep", "--policies: unknown policy '%s' (want %s)",
					       p, names);
		if (s->nr_policies == MAX_POLICIES)
			return cli_usage_error("sweep", "--policies: at most %d", MAX_POLICIES);
		s->policies[s->nr_policies++] = p;
	}
	if (!s->nr_policies)
		return cli_usage_error("sweep", "--policies: empty list");
	return 0;
}

/* START:END:xFACTOR, START:END:+STEP or N,N,... (docs/run.md; frames.c). */
static int parse_frames(struct sweep *s, const char *range)
{
	struct cli_frames f;
	int rc = cli_parse_frames("sweep", "--frames", range, &f);

	if (rc)
		return rc;
	memcpy(s->frames, f.v, f.nr * sizeof(f.v[0]));
	s->nr_frames = f.nr;
	s->log_x = f.log_x;
	return 0;
}

static void default_frames(struct sweep *s)
{
	struct cli_frames f;

	cli_default_frames(s->fp.pages, &f);
	memcpy(s->frames, f.v, f.nr * sizeof(f.v[0]));
	s->nr_frames = f.nr;
	s->log_x = f.log_x;
}

/* ---- Runs ------------------------------------------------------------------------------ */

/* The machine of one run: settings.c's path (the user's options), then the run's own.
 * With frames given and no --reclaim, the machine reclaims on demand (mmsim.h). */
static int job_config(const struct sweep *s, const struct sweep_job *j, struct mmsim_config *c,
		      struct mmsim_error *err)
{
	char buf[64];
	int rc;

	rc = cli_settings_config(&s->settings, NULL, NULL, c, err);
	if (!rc)
		rc = mmsim_config_set(c, "policy", s->policies[j->policy], err);
	snprintf(buf, sizeof(buf), "%" PRIu64, j->frames);
	if (!rc)
		rc = mmsim_config_set(c, "frames", buf, err);
	if (!rc && !s->mem_given) {
		/* The frames, the page tables of the footprint and room for the kernel. */
		uint64_t mem = j->frames * MODEL_PAGE_BYTES + s->fp.pages * 16 + 48 * MIB;

		snprintf(buf, sizeof(buf), "%" PRIu64 "M", (mem + MIB - 1) / MIB);
		rc = mmsim_config_set(c, "mem", buf, err);
	}
	if (!rc && !s->swap_given) {
		snprintf(buf, sizeof(buf), "%" PRIu64 "M",
			 (s->fp.pages * MODEL_PAGE_BYTES + MIB - 1) / MIB + 16);
		rc = mmsim_config_set(c, "swap", buf, err);
	}
	if (!rc)
		rc = mmsim_config_set(c, "data", "off", err);
	return rc;
}

static uint64_t counter(const struct mmsim_system *sys, const char *name)
{
	uint64_t v = 0;

	mmsim_counter(sys, name, &v);
	return v;
}

static void run_job(const struct sweep *s, struct sweep_job *j)
{
	struct mmsim_trace_reader *r = NULL;
	struct mmsim_replay *rp = NULL;
	struct mmsim_system *sys = NULL;
	struct mmsim_error err = { 0 };
	struct mmsim_replay_stats warm = { 0 };
	uint64_t warm_major = 0, warm_faults = 0, warm_pswpin = 0, warm_pswpout = 0;
	uint64_t warm_pgsteal = 0;
	const struct mmsim_replay_trace_opts ro = { .tick_accesses = SWEEP_TICK, .tick = job_tick };

	j->rc = job_config(s, j, &j->cfg, &err);
	if (!j->rc)
		j->rc = mmsim_system_create(&j->cfg, &sys, &err);
	if (!j->rc)
		j->rc = cli_open_trace(s->trace, s->in.format, s->in.params, &r, &err);
	if (!j->rc)
		j->rc = cli_trace_skip(r, s->skip, &err);
	if (!j->rc)
		j->rc = mmsim_replay_create(sys, &rp, &err);
	if (!j->rc)
		j->rc = mmsim_replay_set_page_shift(rp, cli_settings_page_shift(&s->settings),
						    &err);
	if (!j->rc && mmsim_needs_future(sys))
		mmsim_replay_set_future(rp, s->future);
	if (!j->rc && s->warmup) {
		const struct mmsim_replay_trace_opts wo = { .max_records = s->warmup,
							    .tick_accesses = SWEEP_TICK,
							    .tick = job_tick };

		j->rc = mmsim_replay_trace(rp, r, &wo, &err);
		if (!j->rc) {
			mmsim_replay_get_stats(rp, &warm);
			warm_major = counter(sys, "pgmajfault");
			warm_faults = counter(sys, "pgfault");
			warm_pswpin = counter(sys, "pswpin");
			warm_pswpout = counter(sys, "pswpout");
			warm_pgsteal =
				counter(sys, "pgsteal_kswapd") + counter(sys, "pgsteal_direct");
		}
	}
	if (!j->rc)
		j->rc = mmsim_replay_trace(rp, r, &ro, &err);
	if (j->rc) {
		snprintf(j->msg, sizeof(j->msg), "%s", err.msg);
	} else {
		mmsim_replay_get_stats(rp, &j->st);
		/* --warmup: the counts of the records after it (kills are counted whenever). */
		j->st.records -= warm.records;
		j->st.accesses -= warm.accesses;
		j->faults = counter(sys, "pgfault") - warm_faults;
		j->major = counter(sys, "pgmajfault") - warm_major;
		j->pswpin = counter(sys, "pswpin") - warm_pswpin;
		j->pswpout = counter(sys, "pswpout") - warm_pswpout;
		j->pgsteal = counter(sys, "pgsteal_kswapd") + counter(sys, "pgsteal_direct") -
			     warm_pgsteal;
		j->oom_kills = counter(sys, "oom_kill");
		j->complete = !j->st.skipped && !j->st.killed && !j->oom_kills;
	}
	mmsim_replay_destroy(rp);
	mmsim_trace_reader_destroy(r);
	mmsim_system_destroy(sys);
}

static void *worker(void *arg)
{
	struct sweep *s = arg;

	for (;;) {
		size_t i;

		if (interrupted)
			return NULL;
		i = atomic_fetch_add(&s->next, 1);
		if (i >= s->nr_jobs)
			return NULL;
		s->jobs[i].started = true;
		run_job(s, &s->jobs[i]);
		atomic_fetch_add(&s->done, 1);
	}
}

static int run_all(struct sweep *s)
{
	pthread_t threads[64];
	unsigned int n = s->nr_threads, started = 0;
	bool tty = !s->quiet && isatty(STDERR_FILENO);
	const struct timespec pause = { .tv_nsec = 100 * 1000 * 1000 };

	if (n > 64)
		n = 64;
	if (n > s->nr_jobs)
		n = (unsigned int)s->nr_jobs;
	for (; started < n; started++) {
		if (pthread_create(&threads[started], NULL, worker, s))
			break;
	}
	if (!started)
		worker(s);
	while (tty && !interrupted && atomic_load(&s->done) < s->nr_jobs) {
		fprintf(stderr, "\rsweep: %zu of %zu runs done\033[K", atomic_load(&s->done),
			s->nr_jobs);
		nanosleep(&pause, NULL);
	}
	for (unsigned int i = 0; i < started; i++)
		pthread_join(threads[i], NULL);
#ifdef MMSIM_COVERAGE_BUILD
	/* A coverage build counts with plain counters, which two workers running the same code
	 * race on: this process's counts so far are dropped rather than written half-counted. */
	if (started > 1)
		__gcov_reset();
#endif
	if (tty)
		fprintf(stderr, "\r\033[K");
	return 0;
}

/* First touches after the warmup: pages the warmup touched were brought in by it. */
static uint64_t cold_misses(const struct sweep *s)
{
	return s->fp.pages - s->warm_pages;
}

static uint64_t job_misses(const struct sweep *s, const struct sweep_job *j)
{
	return cold_misses(s) + j->major;
}

static double job_ratio(const struct sweep *s, const struct sweep_job *j)
{
	return j->st.accesses ? (double)job_misses(s, j) / (double)j->st.accesses : 0;
}

static int write_csv(const struct sweep *s)
{
	struct cli_outfile out;
	unsigned int shift = cli_settings_page_shift(&s->settings);
	const char *note = cli_page_note(shift);
	bool bad;
	FILE *f;

	f = cli_outfile_start(&out, s->cmd, s->output);
	if (!f)
		return CLI_EXIT_USAGE;
	/* The first six columns are mmsim mrc's. A what-if page size adds two columns to every
	 * row, so that it cannot go unnoticed. */
	bad = fprintf(f,
		      "policy,frames,bytes,accesses,misses,miss_ratio,mem_bytes,swap_bytes,"
		      "records,faults,major_faults,cold_misses,pswpin,pswpout,pgsteal,"
		      "oom_kills,not_simulated,complete%s\n",
		      note ? ",page_bytes,page_size_note" : "") < 0;
	for (size_t i = 0; i < s->nr_jobs; i++) {
		const struct sweep_job *j = &s->jobs[i];
		char misses[32] = "", ratio[32] = "";

		/* A killed run's miss ratio would look valid and mean nothing: left empty. */
		if (j->complete) {
			snprintf(misses, sizeof(misses), "%" PRIu64, job_misses(s, j));
			snprintf(ratio, sizeof(ratio), "%.6f", job_ratio(s, j));
		}
		bad |= fprintf(f,
			       "%s,%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%s,%s,%" PRIu64 ",%" PRIu64
			       ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64
			       ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%s",
			       s->policies[j->policy], j->frames, j->frames << shift,
			       j->st.accesses, misses, ratio, j->cfg.mem_bytes, j->cfg.swap_bytes,
			       j->st.records, j->faults, j->major, cold_misses(s), j->pswpin,
			       j->pswpout, j->pgsteal, j->oom_kills, j->st.skipped,
			       j->complete ? "yes" : "no") < 0;
		if (note)
			fprintf(f, ",%u,%s", 1u << shift, note);
		bad |= fputc('\n', f) == EOF;
	}
	return cli_outfile_finish(&out, s->cmd, bad);
}

static int plot(const struct sweep *s, const char *gnuplot);

/* ---- Shards ------------------------------------------------------------------------------ */

/* The fields of a row of a partial result, in this order (partial.h). */
#define ROW_FIELDS "uuuuuuuuuuuu"

/* --shard: the settings and facts the CSV and plot need, then one row per run (partial.h). */
static int write_partial(const struct sweep *s)
{
	struct cli_outfile out;
	struct cli_partial_out po;
	bool bad;
	FILE *f, *o;

	o = cli_outfile_start(&out, "sweep", s->output);
	if (!o)
		return CLI_EXIT_USAGE;
	f = cli_partial_body(&po);
	if (!f) {
		cli_outfile_abort(&out);
		return cli_usage_error("sweep", "out of host memory");
	}
	bad = cli_partial_write_head(f, "sweep", s->trace, s->hash, &s->shard) != 0;
	fprintf(f, "policies ");
	for (unsigned int p = 0; p < s->nr_policies; p++)
		fprintf(f, "%s%s", p ? "," : "", s->policies[p]);
	fprintf(f, "\nframes ");
	for (unsigned int i = 0; i < s->nr_frames; i++)
		fprintf(f, "%s%" PRIu64, i ? "," : "", s->frames[i]);
	fprintf(f, "\nlog_x %d\nmachine", s->log_x);
	for (unsigned int i = 0; i < s->settings.nr; i++)
		fprintf(f, " %s=%s", s->settings.s[i].key, s->settings.s[i].value);
	fprintf(f,
		"%s\nformat %s%s%s\nskip %" PRIu64 "\nwarmup %" PRIu64
		"\nallow_empty %d\nfootprint %" PRIu64 "\nwarm_pages %" PRIu64 "\n",
		s->settings.nr ? "" : " default", s->in.format_name ? s->in.format_name : "auto",
		s->in.params ? " -t " : "", s->in.params ? s->in.params : "", s->skip, s->warmup,
		s->in.allow_empty, s->fp.pages, s->warm_pages);
	for (size_t i = 0; i < s->nr_jobs; i++) {
		const struct sweep_job *j = &s->jobs[i];

		fprintf(f,
			"row %zu %" PRIu64 " %" PRIu64 " %" PRIu64 " %" PRIu64 " %" PRIu64
			" %" PRIu64 " %" PRIu64 " %" PRIu64 " %" PRIu64 " %d %" PRIu64 " %" PRIu64
			"\n",
			j->cell, j->st.accesses, j->st.records, j->st.skipped, j->major, j->faults,
			j->pswpin, j->pswpout, j->pgsteal, j->oom_kills, j->complete,
			j->cfg.mem_bytes, j->cfg.swap_bytes);
	}
	bad |= cli_partial_finish(&po, o) != 0;
	return cli_outfile_finish(&out, "sweep", bad);
}

/* One row of a part back into its run. 0, or prints the reason and returns 2. */
static int read_row(struct sweep *s, const struct cli_partial *p, size_t r)
{
	struct sweep_job *j = &s->jobs[p->cell[r]];
	uint64_t v[12];

	if (cli_partial_fields(p->fields[r], ROW_FIELDS, v, NULL) || v[9] > 1)
		return cli_usage_error("merge", "%s: row %zu: want %zu numbers", p->path, r + 1,
				       strlen(ROW_FIELDS));
	j->st.accesses = v[0];
	j->st.records = v[1];
	j->st.skipped = v[2];
	j->major = v[3];
	j->faults = v[4];
	j->pswpin = v[5];
	j->pswpout = v[6];
	j->pgsteal = v[7];
	j->oom_kills = v[8];
	j->complete = v[9];
	j->cfg.mem_bytes = v[10];
	j->cfg.swap_bytes = v[11];
	return 0;
}

/* The parts' settings back into s (the first part's: cli_partial_check compares them). */
static int merge_settings(struct sweep *s, const struct cli_partial *p)
{
	const char *policies = cli_partial_get(p, "policies");
	const char *frames = cli_partial_get(p, "frames"), *log_x = cli_partial_get(p, "log_x");
	char msg[512], *save = NULL;
	struct cli_frames fr;
	int rc;

	if (!policies || !frames || !log_x || strlen(policies) >= sizeof(s->policy_buf))
		return cli_usage_error("merge", "%s: policies, frames or log_x missing or too long",
				       p->path);
	snprintf(s->policy_buf, sizeof(s->policy_buf), "%s", policies);
	for (char *t = strtok_r(s->policy_buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		if (s->nr_policies == MAX_POLICIES)
			return cli_usage_error("merge", "%s: more than %d policies", p->path,
					       MAX_POLICIES);
		s->policies[s->nr_policies++] = t;
	}
	rc = cli_parse_frames("merge", "frames", frames, &fr);
	if (rc)
		return rc;
	memcpy(s->frames, fr.v, fr.nr * sizeof(fr.v[0]));
	s->nr_frames = fr.nr;
	s->log_x = !strcmp(log_x, "1");
	if (cli_partial_u64(p, "footprint", &s->fp.pages, msg, sizeof(msg)) ||
	    cli_partial_u64(p, "warm_pages", &s->warm_pages, msg, sizeof(msg)) ||
	    s->warm_pages > s->fp.pages)
		return cli_usage_error("merge", "%s", msg);
	return 0;
}

int cli_sweep_merge(const struct cli_partial *parts, size_t nr, const struct cli_merge_opts *o)
{
	struct sweep *s = calloc(1, sizeof(*s));
	char gnuplot[4096], msg[1024];
	size_t killed = 0;
	int rc;

	if (!s) {
		fprintf(stderr, "mmsim merge: out of host memory\n");
		return CLI_EXIT_USAGE;
	}
	s->cmd = "merge";
	s->trace = parts[0].trace;
	s->output = o->csv;
	s->plot = o->plot;
	rc = merge_settings(s, &parts[0]);
	if (rc)
		goto out;
	if (o->json) {
		rc = cli_usage_error("merge",
				     "--json: mmsim sweep writes no JSON (%s is a part of "
				     "a sweep)",
				     parts[0].path);
		goto out;
	}
	s->nr_jobs = (size_t)s->nr_policies * s->nr_frames;
	if (cli_partial_check(parts, nr, s->nr_jobs, msg, sizeof(msg))) {
		rc = cli_usage_error("merge", "%s", msg);
		goto out;
	}
	s->jobs = calloc(s->nr_jobs ? s->nr_jobs : 1, sizeof(*s->jobs));
	if (!s->jobs) {
		rc = cli_usage_error("merge", "out of host memory");
		goto out;
	}
	for (size_t i = 0; i < s->nr_jobs; i++) {
		s->jobs[i].cell = i;
		s->jobs[i].policy = (unsigned int)(i / s->nr_frames);
		s->jobs[i].frames = s->frames[i % s->nr_frames];
	}
	for (size_t i = 0; i < nr && !rc; i++) {
		for (size_t r = 0; r < parts[i].nr_rows && !rc; r++)
			rc = read_row(s, &parts[i], r);
	}
	if (!rc && cli_partial_verify(parts, nr, msg, sizeof(msg)))
		rc = cli_usage_error("merge", "%s", msg);
	if (rc)
		goto out;
	rc = cli_need_gnuplot("merge", s->plot, gnuplot, sizeof(gnuplot));
	if (rc)
		goto out;
	rc = write_csv(s);
	if (!rc && s->plot)
		rc = plot(s, gnuplot);
	for (size_t i = 0; i < s->nr_jobs; i++)
		killed += !s->jobs[i].complete;
	if (!rc && killed && !o->allow_kill) {
		fprintf(stderr,
			"mmsim merge: %zu of %zu runs had a process OOM-killed (complete=no in "
			"the CSV); --allow-kill accepts that\n",
			killed, s->nr_jobs);
		rc = CLI_EXIT_KILLED;
	}
out:
	free(s->jobs);
	free(s);
	return rc;
}

/* ---- The plot ------------------------------------------------------------------------- */

static int plot(const struct sweep *s, const char *gnuplot)
{
	struct cli_curve curves[MAX_POLICIES];
	uint64_t *x = calloc(s->nr_jobs, sizeof(*x));
	double *y = calloc(s->nr_jobs, sizeof(*y));
	size_t n = 0;
	int rc;

	if (!x || !y) {
		free(x);
		free(y);
		fprintf(stderr, "mmsim sweep: out of host memory\n");
		return CLI_EXIT_USAGE;
	}
	for (unsigned int p = 0; p < s->nr_policies; p++) {
		curves[p] = (struct cli_curve){ .name = s->policies[p], .x = x + n, .y = y + n };
		for (size_t i = 0; i < s->nr_jobs; i++) {
			if (s->jobs[i].policy != p || !s->jobs[i].complete)
				continue;
			x[n] = s->jobs[i].frames;
			y[n++] = job_ratio(s, &s->jobs[i]);
			curves[p].nr++;
		}
	}
	rc = cli_plot_curves(s->cmd, gnuplot, s->plot, s->trace, s->log_x, curves, s->nr_policies);
	free(x);
	free(y);
	return rc;
}

/* ---- The command ---------------------------------------------------------------------- */

static int parse_options(int argc, char **argv, struct sweep *s, const char **policies,
			 const char **frames)
{
	enum {
		OPT_POLICIES = 256,
		OPT_FRAMES,
		OPT_PLOT,
		OPT_ALLOW_KILL,
		OPT_SKIP,
		OPT_WARMUP,
		OPT_SHARD
	};
	static const struct option opts[] = {
		{ "shard", required_argument, NULL, OPT_SHARD },
		{ "policies", required_argument, NULL, OPT_POLICIES },
		{ "frames", required_argument, NULL, OPT_FRAMES },
		{ "plot", required_argument, NULL, OPT_PLOT },
		{ "allow-kill", no_argument, NULL, OPT_ALLOW_KILL },
		{ "skip", required_argument, NULL, OPT_SKIP },
		{ "warmup", required_argument, NULL, OPT_WARMUP },
		{ "jobs", required_argument, NULL, 'j' },
		{ "output", required_argument, NULL, 'o' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		CLI_TRACE_LONG_OPTIONS,
		CLI_MACHINE_LONG_OPTIONS_BASE,
		{ NULL, 0, NULL, 0 },
	};
	uint64_t v;
	int c, rc;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":hqj:o:t:", opts, NULL)) != -1) {
		rc = cli_trace_input_opt(&s->in, "sweep", c, optarg);
		if (rc != 1) {
			if (rc)
				return rc;
			continue;
		}
		switch (c) {
		case OPT_POLICIES:
			*policies = optarg;
			break;
		case OPT_FRAMES:
			*frames = optarg;
			break;
		case OPT_PLOT:
			s->plot = optarg;
			break;
		case OPT_ALLOW_KILL:
			s->allow_kill = true;
			break;
		case OPT_SKIP:
			if (cli_parse_count(optarg, &s->skip))
				return cli_usage_error("sweep",
						       "--skip takes a number of records, not '%s'",
						       optarg);
			break;
		case OPT_WARMUP:
			if (cli_parse_count(optarg, &s->warmup))
				return cli_usage_error(
					"sweep", "--warmup takes a number of records, not '%s'",
					optarg);
			break;
		case OPT_SHARD:
			rc = cli_shard_parse("sweep", optarg, &s->shard);
			if (rc)
				return rc;
			break;
		case 'j':
			if (cli_parse_count(optarg, &v) || v < 1 || v > 64)
				return cli_usage_error("sweep", "-j takes 1 to 64, not '%s'",
						       optarg);
			s->nr_threads = (unsigned int)v;
			break;
		case 'o':
			s->output = optarg;
			break;
		case 'q':
			s->quiet = true;
			break;
		case 'h':
			printf(sweep_usage, cli_machine_help_base);
			return -1;
		case ':':
			return cli_usage_error("sweep", "option '%s' needs a value",
					       argv[optind - 1]);
		default:
			if (c >= CLI_OPT_MACHINE && c < CLI_OPT_MACHINE_END) {
				rc = cli_settings_add(&s->settings, "sweep", c, optarg);
				if (rc)
					return rc;
				break;
			}
			return cli_usage_error("sweep",
					       "unknown option '%s' (see mmsim sweep --help)",
					       argv[optind - 1]);
		}
	}
	if (optind == argc)
		return cli_usage_error("sweep", "missing TRACE (see mmsim sweep --help)");
	if (argc - optind > 1)
		return cli_usage_error("sweep", "one TRACE only, not '%s' too", argv[optind + 1]);
	s->trace = argv[optind];
	if (!strcmp(s->trace, "-"))
		return cli_usage_error("sweep", "every run reads the trace again: give a file, not "
						"standard input");
	{
		const char *const opts[] = { "-o", "--plot", "the TRACE" };
		const char *const paths[] = { s->output, s->plot, s->trace };
		int rc = cli_outfile_distinct("sweep", opts, paths, 3);

		if (rc)
			return rc;
	}
	if (cli_settings_has(&s->settings, "policy") || cli_settings_has(&s->settings, "frames"))
		return cli_usage_error("sweep", "policies and frames are swept: use --policies and "
						"--frames");
	if (cli_settings_has(&s->settings, "data"))
		return cli_usage_error("sweep", "a trace is replayed in metadata mode (data=off)");
	s->mem_given = cli_settings_has(&s->settings, "mem");
	s->swap_given = cli_settings_has(&s->settings, "swap");
	if (s->plot && !cli_plot_name_ok(s->plot))
		return cli_usage_error("sweep", "--plot %s: the file name must end in .svg or .png",
				       s->plot);
	if (s->plot && s->shard.n)
		return cli_usage_error("sweep", "--shard writes a partial result: give --plot to "
						"mmsim merge");
	if (s->shard.n && cli_settings_page_shift(&s->settings) != 12)
		return cli_usage_error("sweep", "--shard: at 4K pages only (a what-if page size is "
						"not carried by the partial results)");
	if (s->shard.n)
		return cli_partial_text_ok("sweep", s->trace, &s->in, &s->settings);
	return 0;
}

/* Each policy boots once, small (before the pre-pass the footprint is 0): a bad machine
 * option fails here, and we learn which policies need the future. */
static int probe_policies(struct sweep *s)
{
	for (unsigned int p = 0; p < s->nr_policies; p++) {
		struct sweep_job j = { .policy = p, .frames = 16 };
		struct mmsim_error err = { 0 };
		struct mmsim_system *sys;
		struct mmsim_config c;

		int rc;

		if (job_config(s, &j, &c, &err))
			return cli_usage_error("sweep", "%s", err.msg);
		rc = cli_settings_page_check(&s->settings, "sweep", &c);
		if (rc)
			return rc;
		if (mmsim_system_create(&c, &sys, &err))
			return cli_usage_error("sweep", "%s", err.msg);
		s->needs_future[p] = mmsim_needs_future(sys);
		mmsim_system_destroy(sys);
	}
	return 0;
}

/* The distinct (pid, page) pairs of the warmup's records, numbered as replay numbers pages
 * (every page of --page-size a record's bytes touch): an open-addressing set, grown at half full.
 */
static int warmup_pages(struct sweep *s, struct mmsim_trace_reader *r, struct mmsim_error *err)
{
	struct mmsim_trace_record recs[512];
	uint64_t *set = NULL, cap = 0, done = 0;
	int rc;

	s->warm_pages = 0;
	rc = cli_trace_skip(r, s->skip, err);
	while (!rc && done < s->warmup) {
		size_t want = s->warmup - done < 512 ? (size_t)(s->warmup - done) : 512, got = 0;

		rc = mmsim_trace_read(r, recs, want, &got, err);
		if (rc || !got)
			break;
		done += got;
		for (size_t i = 0; i < got && !rc; i++) {
			unsigned int shift = cli_settings_page_shift(&s->settings);
			uint64_t first = recs[i].addr >> shift;
			uint64_t last = (recs[i].addr + recs[i].size - 1) >> shift;

			/* Bounded by the record's size: at most size / 4096 + 1 pages. */
			for (uint64_t pg = first; pg <= last && !rc; pg++) {
				/* pid in the top bits above a 57-bit address's page number. */
				uint64_t key = ((uint64_t)recs[i].pid << 45 ^ pg) + 1, h;

				if (2 * (s->warm_pages + 1) > cap) {
					uint64_t ncap = cap ? cap * 2 : 1024, *n;

					n = calloc(ncap, sizeof(*n));
					if (!n) {
						rc = mmsim_error_set(err, -ENOMEM,
								     "out of host memory");
						break;
					}
					for (uint64_t k = 0; k < cap; k++) {
						if (!set[k])
							continue;
						for (h = set[k] * 0x9e3779b97f4a7c15u % ncap; n[h];
						     h = (h + 1) % ncap)
							;
						n[h] = set[k];
					}
					free(set);
					set = n;
					cap = ncap;
				}
				for (h = key * 0x9e3779b97f4a7c15u % cap; set[h] && set[h] != key;
				     h = (h + 1) % cap)
					;
				if (!set[h]) {
					set[h] = key;
					s->warm_pages++;
				}
			}
		}
	}
	free(set);
	if (!rc && s->warmup && done < s->warmup)
		rc = mmsim_error_set(err, -EINVAL,
				     "--warmup %" PRIu64 ": %s has only %" PRIu64
				     " records after --skip",
				     s->warmup, s->trace, done);
	return rc;
}

static int prepass(struct sweep *s)
{
	struct mmsim_trace_reader *r;
	struct mmsim_error err = { 0 };
	bool future = false;
	int rc;

	for (unsigned int p = 0; p < s->nr_policies; p++)
		future |= s->needs_future[p];
	if (cli_open_trace(s->trace, s->in.format, s->in.params, &r, &err)) {
		fprintf(stderr, "mmsim sweep: %s\n", err.msg);
		return CLI_EXIT_USAGE;
	}
	if (!mmsim_trace_rewindable(r)) {
		fprintf(stderr,
			"mmsim sweep: %s: every run reads the trace again: give a regular "
			"file\n",
			s->trace);
		mmsim_trace_reader_destroy(r);
		return CLI_EXIT_USAGE;
	}
	rc = warmup_pages(s, r, &err);
	if (!rc)
		rc = mmsim_trace_rewind(r, &err);
	if (!rc)
		rc = cli_trace_skip(r, s->skip, &err);
	if (rc) {
		/* the message is printed below */
	} else if (future) {
		rc = mmsim_replay_future_build_at(r, cli_settings_page_shift(&s->settings),
						  &s->future, &err);
		if (!rc)
			mmsim_replay_future_footprint(s->future, &s->fp);
	} else {
		rc = mmsim_replay_scan_at(r, cli_settings_page_shift(&s->settings), &s->fp, &err);
	}
	mmsim_trace_reader_destroy(r);
	if (rc) {
		fprintf(stderr, "mmsim sweep: %s\n", err.msg);
		return CLI_EXIT_USAGE;
	}
	if (s->fp.records == 0 && !s->in.allow_empty) {
		fprintf(stderr,
			"mmsim sweep: %s: the trace has no records (--allow-empty accepts that)\n",
			s->trace);
		return CLI_EXIT_USAGE;
	}
	/* A warmup of every record leaves rows of 0 accesses that read as measurements. */
	if (s->warmup && s->fp.records == s->warmup && !s->in.allow_empty) {
		fprintf(stderr,
			"mmsim sweep: --warmup %" PRIu64 ": %s has only %" PRIu64
			" records after --skip: none is left to count (--allow-empty accepts "
			"that)\n",
			s->warmup, s->trace, s->fp.records);
		return CLI_EXIT_USAGE;
	}
	return 0;
}

/*
 * ^C: what was done goes to standard error; no CSV and no plot are written, since a
 * partial table read later would look like the whole sweep.
 */
static int report_interrupted(const struct sweep *s)
{
	size_t finished = 0, cut = 0;

	for (size_t i = 0; i < s->nr_jobs; i++) {
		const struct sweep_job *j = &s->jobs[i];

		if (!j->started)
			continue;
		if (j->rc == -EINTR)
			cut++;
		else
			finished++;
	}
	fprintf(stderr,
		"mmsim sweep: interrupted: %zu of %zu runs finished, %zu cut short, %zu not "
		"started; no CSV or plot was written\n",
		finished, s->nr_jobs, cut, s->nr_jobs - finished - cut);
	for (size_t i = 0; i < s->nr_jobs; i++) {
		const struct sweep_job *j = &s->jobs[i];

		if (j->started && j->rc != -EINTR)
			fprintf(stderr, "  finished: policy %s, frames %" PRIu64 "\n",
				s->policies[j->policy], j->frames);
	}
	return CLI_EXIT_INTERRUPTED;
}

int cli_cmd_sweep(int argc, char **argv)
{
	struct sweep *s = calloc(1, sizeof(*s));
	const char *policies = DEFAULT_POLICIES, *frames = NULL;
	char gnuplot[4096], msg[512];
	size_t total;
	int rc;

	if (!s) {
		fprintf(stderr, "mmsim sweep: out of host memory\n");
		return CLI_EXIT_USAGE;
	}
	s->cmd = "sweep";
	cli_trace_input_init(&s->in);
	rc = parse_options(argc, argv, s, &policies, &frames);
	if (rc) {
		rc = rc < 0 ? CLI_EXIT_OK : rc;
		goto out;
	}
	rc = parse_policies(s, policies);
	if (!rc && frames)
		rc = parse_frames(s, frames);
	if (rc)
		goto out;
	rc = cli_need_gnuplot("sweep", s->plot, gnuplot, sizeof(gnuplot));
	if (rc)
		goto out;
	if (!s->nr_threads) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);

		s->nr_threads = n > 0 ? (unsigned int)n : 1;
	}
	if (s->shard.n && cli_trace_hash(s->trace, s->hash, sizeof(s->hash), msg, sizeof(msg))) {
		rc = cli_usage_error("sweep", "%s", msg);
		goto out;
	}
	rc = probe_policies(s);
	if (!rc && !s->quiet && cli_page_note(cli_settings_page_shift(&s->settings)))
		fprintf(stderr, "mmsim sweep: %s\n",
			cli_page_note(cli_settings_page_shift(&s->settings)));
	if (!rc)
		rc = prepass(s);

	if (rc)
		goto out;
	if (!frames)
		default_frames(s);
	total = (size_t)s->nr_policies * s->nr_frames;
	atomic_init(&s->next, 0);
	atomic_init(&s->done, 0);
	s->jobs = calloc(total ? total : 1, sizeof(*s->jobs));
	if (!s->jobs) {
		fprintf(stderr, "mmsim sweep: out of host memory\n");
		rc = CLI_EXIT_USAGE;
		goto out;
	}
	/* --shard K/N: the runs of slice K only (partial.h). */
	for (size_t i = 0; i < total; i++) {
		struct sweep_job *j = &s->jobs[s->nr_jobs];

		if (!cli_shard_has(&s->shard, i))
			continue;
		j->cell = i;
		j->policy = (unsigned int)(i / s->nr_frames);
		j->frames = s->frames[i % s->nr_frames];
		s->nr_jobs++;
	}
	{
		/* Until here ^C just ends the command: nothing is written yet. From now
		 * on it stops the runs; a second ^C kills at once (SA_RESETHAND). */
		struct sigaction sa = { .sa_handler = on_sigint,
					.sa_flags = SA_RESTART | SA_RESETHAND };

		sigemptyset(&sa.sa_mask);
		sigaction(SIGINT, &sa, NULL);
	}
	run_all(s);
	if (interrupted) {
		rc = report_interrupted(s);
		goto out;
	}
	for (size_t i = 0; i < s->nr_jobs; i++) {
		if (s->jobs[i].rc) {
			fprintf(stderr, "mmsim sweep: policy %s, frames %" PRIu64 ": %s\n",
				s->policies[s->jobs[i].policy], s->jobs[i].frames, s->jobs[i].msg);
			rc = CLI_EXIT_USAGE;
			goto out;
		}
	}
	rc = s->shard.n ? write_partial(s) : write_csv(s);
	if (!rc && s->plot)
		rc = plot(s, gnuplot);
	if (!rc) {
		size_t killed = 0;

		for (size_t i = 0; i < s->nr_jobs; i++)
			killed += !s->jobs[i].complete;
		if (killed && !s->allow_kill) {
			fprintf(stderr,
				"mmsim sweep: %zu of %zu runs had a process OOM-killed "
				"(complete=no "
				"in the CSV): give more --mem or --swap, or --allow-kill\n",
				killed, s->nr_jobs);
			rc = CLI_EXIT_KILLED;
		}
	}
out:
	mmsim_replay_future_destroy(s->future);
	free(s->jobs);
	free(s);
	return rc;
}
