/*
 * cli/report_run.h: the outcome of one `mmsim run` and the ways the command shows it: the
 * summary a person reads (report_summary.c), JSON for machines (report_json.c), a CSV
 * timeline sampled while it runs (report_timeline.c), and a progress bar on a terminal
 * (report_progress.c). Everything here is read through the public API; nothing prints
 * from the library.
 */
#ifndef MMSIM_CLI_REPORT_RUN_H
#define MMSIM_CLI_REPORT_RUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "mmsim/mmsim.h"
#include "mmsim/replay.h"
#include "mmsim/trace.h"
#include "mmsim/workloads.h"
#include "outfile.h"

/* ---- Counters ------------------------------------------------------------------------ */

#define CLI_MAX_COUNTERS 256
#define CLI_COUNTER_NAME 48

/* Every counter of a system at one moment, in the library's report order. */
struct cli_counters {
	size_t nr;
	struct {
		char name[CLI_COUNTER_NAME];
		uint64_t value;
	} c[CLI_MAX_COUNTERS];
};

void cli_counters_read(const struct mmsim_system *sys, struct cli_counters *out);
/* The value of name, 0 when the system has no such counter. */
uint64_t cli_counter(const struct cli_counters *c, const char *name);
/* The sum of every counter whose name starts with prefix (allocstall_dma + ...). */
uint64_t cli_counter_sum(const struct cli_counters *c, const char *prefix);

/* ---- Processes ----------------------------------------------------------------------- */

enum cli_proc_state {
	CLI_PROC_RUNNING,
	CLI_PROC_EXITED, /* exited during the run: stats as they were just before */
	CLI_PROC_KILLED, /* killed by the OOM killer */
};

struct cli_proc {
	int pid;		    /* the simulated machine's pid */
	int64_t trace_pid;	    /* the pid the trace gave it, -1 for a workload's */
	struct mmsim_task *task;    /* NULL once exited */
	struct mmsim_task_stats st; /* now (running, killed) or at exit; without the walked
				       figures (mmsim_task_stats_nowalk: no pss_kb) */
	enum cli_proc_state state;
	struct mmsim_replay_task_stats rs; /* a trace's process: accesses made and not made */
	uint64_t warm_minflt, warm_majflt; /* --warmup: its counts when the warmup ended */
};

struct cli_procs {
	struct cli_proc *p;
	size_t nr, cap;
};

/* Adds a task. 0 or -ENOMEM. */
int cli_procs_add(struct cli_procs *ps, struct mmsim_task *t, int64_t trace_pid);
/* Marks t exited, keeping its last stats. */
void cli_procs_exiting(struct cli_procs *ps, struct mmsim_task *t);
/* Reads the stats of every task still there, and notices OOM kills. */
void cli_procs_refresh(struct cli_procs *ps);
void cli_procs_fini(struct cli_procs *ps);
const char *cli_proc_state_name(enum cli_proc_state s);

/* ---- The run ------------------------------------------------------------------------- */

struct cli_run {
	/* What ran. */
	const char *trace_path; /* NULL for a workload */
	enum mmsim_trace_format trace_format;
	enum mmsim_trace_compression trace_compression;
	uint64_t trace_skipped; /* valgrind's own lines skipped in a lackey trace */
	const struct mmsim_workload_info *workload; /* NULL for a trace */
	unsigned int scale;
	struct mmsim_config cfg;
	bool future; /* the policy was given next-use positions (opt) */
	/* --page-size: 12 (x86's 4 KiB) or a what-if 13, 14, 16 (NOT x86; a trace's pages are
	 * of that size, each standing on one 4 KiB frame of the machine: docs/page-size.md). */
	unsigned int page_shift;
	/* What happened. */
	double seconds;			  /* wall-clock time of the run itself (not the pre-pass) */
	struct mmsim_replay_stats replay; /* a trace's */
	struct mmsim_workload_result wl;  /* a workload's */
	struct cli_counters counters;	  /* at the end */
	struct cli_procs procs;
	char check_error[MMSIM_ERROR_MSG_SIZE]; /* --paranoid: mmsim_check() at the end */
	uint64_t skip_records;			/* --skip: records read and not simulated */
	uint64_t warmup_records;		/* --warmup: records simulated, not counted */
	struct mmsim_replay_stats warm;		/* the replay's stats when the warmup ended */
	struct cli_counters warm_counters;	/* the counters then */
	uint64_t swap_used_kb, swap_total_kb;	/* meminfo at the end: SwapTotal - SwapFree */
	uint64_t cached_kb, anon_huge_kb;	/* meminfo at the end: Cached, AnonHugePages */
	uint64_t footprint_pages; /* a trace's distinct pages; 0: not measured (no kill) */
	bool allow_kill;	  /* --allow-kill: a kill is not exit status 3 */
	int exit_status;
	/* ^C: the run stopped early; every figure is of the part that ran. */
	bool interrupted;
	const char *interrupted_by; /* "^C" or "SIGTERM" */
	double input_fraction;	    /* interrupted trace: share of its bytes read; < 0 unknown */
};

/* Processes the OOM killer took. */
size_t cli_run_nr_killed(const struct cli_run *run);
/* What --mem or --swap would have held the trace's footprint (0 when unknown). */
uint64_t cli_run_fit_swap_bytes(const struct cli_run *run);
uint64_t cli_run_fit_mem_bytes(const struct cli_run *run);

/* A trace's cost after its last workload-switch mark: pgfault, pgmajfault and pswpin from
 * the mark to the end (all 0 without a mark). */
struct cli_after_switch {
	uint64_t records_before; /* records replayed before the mark (warmup included) */
	uint64_t faults, major_faults, swap_ins;
};
void cli_run_after_switch(const struct cli_run *run, struct cli_after_switch *out);

/* The accesses the run made (page accesses of a trace, 8-byte accesses of a workload). */
uint64_t cli_run_accesses(const struct cli_run *run);

/* The summary and the per-process table. */
void cli_report_summary(FILE *out, const struct cli_run *run);

/* A view to show at the end: a system view (task NULL) or one process's. */
struct cli_view {
	const char *name;
	int pid;    /* for a process view, else 0 */
	char *text; /* malloc'd */
};

/*
 * Writes the whole result as JSON to path ("-": standard output). 0, or -errno with a
 * message in msg.
 */
int cli_report_json(const char *path, const struct cli_run *run, const struct cli_view *views,
		    size_t nr_views, char *msg, size_t msg_size);

/* ---- The timeline --------------------------------------------------------------------- */

struct cli_timeline {
	struct cli_outfile out; /* renamed into place by cli_timeline_close() */
	FILE *f;		/* NULL: no timeline */
	const char *path;
	uint64_t interval; /* accesses between rows */
	uint64_t next;	   /* accesses at which the next row is due */
	uint64_t rows;	   /* rows written */
	uint64_t last;	   /* accesses of the last row */
	bool failed;	   /* a write failed (reported at the end) */
};

/* Opens path for a CSV timeline and writes its header. 0 or -errno. */
int cli_timeline_open(struct cli_timeline *tl, const char *path, uint64_t interval);
/* Writes a row when accesses reached tl->next (or always when force). */
void cli_timeline_sample(struct cli_timeline *tl, const struct mmsim_system *sys,
			 const struct cli_procs *ps, uint64_t accesses, bool force);
/* Closes the file. 0, or -EIO when any write failed. */
int cli_timeline_close(struct cli_timeline *tl);

/* ---- The progress bar ----------------------------------------------------------------- */

struct cli_progress {
	bool on;	    /* standard error is a terminal and not --quiet */
	const char *what;   /* "pre-pass", "run" */
	double start, last; /* monotonic seconds */
	bool drawn;	    /* a line is on the screen */
};

/* Monotonic time in seconds. */
double cli_now(void);

void cli_progress_start(struct cli_progress *p, bool on, const char *what);
/* fraction in [0, 1], or negative when unknown (a pipe); done counts accesses. */
void cli_progress_update(struct cli_progress *p, double fraction, uint64_t done);
/* Erases the bar. */
void cli_progress_end(struct cli_progress *p);

/* ---- Numbers for people --------------------------------------------------------------- */

/* 1234567 as "1,234,567" into buf (at least 32 bytes); returns buf. */
const char *cli_fmt_count(uint64_t v, char *buf, size_t size);
/* A byte count as "512 KiB", "14.2 MiB", "1.50 GiB". */
const char *cli_fmt_bytes(uint64_t bytes, char *buf, size_t size);

#endif
