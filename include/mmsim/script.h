/*
 * mmsim/script.h: scenario scripts, the language tests, bug reports and lessons are written
 * in (DESIGN.md "Scenario scripts"; docs/scenario.md is the reference).
 *
 * A script is parsed whole before anything runs: every name is resolved and every number
 * checked, config lines included, so a malformed line stops everything before the first
 * command. Running boots a system from the config lines at the first other command, runs
 * the commands in order and hands what the script asks to see (show, a failed expect, and
 * with explain every command and the events it caused) to a callback: the library never
 * prints. Expectations that fail do not stop the run.
 *
 * Errors follow mmsim/error.h: "FILE:LINE:COL: reason" for a malformed line or a bad config
 * value or counter name, "FILE:LINE: COMMAND: reason" for a command that failed at run time
 * (a system call's error, by errno name). Scripts are host objects (malloc).
 */
#ifndef MMSIM_SCRIPT_H
#define MMSIM_SCRIPT_H

#include "mmsim/export.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct mmsim_error;
struct mmsim_script;

/*
 * Reads and parses the script at path ("-": standard input). On success *out is a new
 * script the caller destroys. -EINVAL for a malformed script (message "FILE:LINE:COL: ..."),
 * -EFBIG beyond 1 GiB, -ENOMEM, or the errno of a file that cannot be read.
 */
MMSIM_API int mmsim_script_load(const char *path, struct mmsim_script **out,
				struct mmsim_error *err);

/* As mmsim_script_load(), from len bytes at text; name is used in messages (copied). */
MMSIM_API int mmsim_script_parse(const char *text, size_t len, const char *name,
				 struct mmsim_script **out, struct mmsim_error *err);

/* Frees s. Accepts NULL. */
MMSIM_API void mmsim_script_destroy(struct mmsim_script *s);

/* What a run hands to its output callback. */
enum mmsim_script_output_kind {
	MMSIM_SCRIPT_OUT_COMMAND,	/* explain: a command about to run, as written */
	MMSIM_SCRIPT_OUT_EVENT,		/* explain: an event it caused, mmsim_event_describe() */
	MMSIM_SCRIPT_OUT_SHOW,		/* show: title "P maps (pid 2)", text the report */
	MMSIM_SCRIPT_OUT_EXPECT_FAILED, /* "FILE:LINE: expect P minflt == 64 failed: ..." */
	MMSIM_SCRIPT_OUT_CHECK_FAILED,	/* paranoid: "FILE:LINE: after 'COMMAND': why" */
	/* explain: every expect's verdict, after its command:
	 * "PASS line 7: wanted Q minflt == 1, got 1" or "FAIL line 8: wanted ..., got ..." */
	MMSIM_SCRIPT_OUT_EXPECT_VERDICT,
};

struct mmsim_script_output {
	enum mmsim_script_output_kind kind;
	unsigned long line; /* of the command */
	const char *title;  /* SHOW only, else NULL */
	const char *text;   /* one line without newline; for SHOW, the report (lines end in \n) */
};

/* Classes of explain events, for filters; an event may be in several. */
enum mmsim_script_event_class {
	MMSIM_SCRIPT_EV_FAULT = 1u << 0,   /* page faults, the handler's decisions, signals */
	MMSIM_SCRIPT_EV_COW = 1u << 1,	   /* copy-on-write decisions (copy or reuse) */
	MMSIM_SCRIPT_EV_RECLAIM = 1u << 2, /* reclaim passes, evictions, OOM kills */
	MMSIM_SCRIPT_EV_SWAP = 1u << 3,	   /* evictions to swap, swap-ins */
	MMSIM_SCRIPT_EV_TLB = 1u << 4,	   /* TLB hits and misses, walk steps, shootdowns */
	MMSIM_SCRIPT_EV_FRAME = 1u << 5,   /* frames allocated and freed */
	MMSIM_SCRIPT_EV_PTE = 1u << 6,	   /* page-table entry writes */
};

/*
 * Which explain events are handed over: those that match every filter set. An event
 * belongs to the process that was running when it happened. Its address is the virtual
 * address it names; an event that names none (a page-table page allocated, a PTE write
 * above the last level) takes the address of the access being made, or else the last
 * address an event of the same command named; with no such address it fails an address
 * filter. A handler's decision that passes brings the page fault it answers along, so a
 * cow filter shows the fault and its copy. With any filter set, a command is handed over
 * only before its first event that passes, except expect and show commands, which always
 * are (with their verdicts and reports).
 */
struct mmsim_script_filter {
	const char *proc;     /* a process named in the script; NULL: any (see pid) */
	int pid;	      /* with proc NULL: this pid only; 0: any */
	unsigned int classes; /* OR of MMSIM_SCRIPT_EV_*; 0: every class */
	bool has_range;	      /* addr_start..addr_end applies */
	uint64_t addr_start;  /* first virtual address of the range */
	uint64_t addr_end;    /* first address past it (addr_end > addr_start) */
};

/*
 * Parses a comma-separated list of class names (fault,cow,reclaim,swap,tlb,frame,pte) into
 * OR-ed MMSIM_SCRIPT_EV_* bits. 0, or -EINVAL with "unknown event class 'X' (want
 * fault|cow|...)" in err.
 */
MMSIM_API int mmsim_script_event_classes(const char *list, unsigned int *classes,
					 struct mmsim_error *err);

struct mmsim_script_run_opts {
	bool explain;  /* hand over every command and the events it causes, in order */
	bool paranoid; /* config paranoid=on, and mmsim_check() after every command */
	void (*output)(void *ctx, const struct mmsim_script_output *out); /* NULL: discard */
	void *ctx;
	/* explain: only the events that pass (borrowed for the run); NULL: every event.
	 * A proc name the script does not have makes the run fail with -EINVAL. */
	const struct mmsim_script_filter *filter;
};

struct mmsim_script_result {
	unsigned long nr_commands; /* commands run (config lines are not commands) */
	unsigned long nr_expects;  /* expect commands evaluated */
	unsigned long nr_failed;   /* expect commands that did not hold */
	bool check_failed; /* paranoid: mmsim_check() found a broken invariant; the run stopped */
	/* Workload switches (the command `switch`, as the trace event of mmsim/trace.h): how
	 * many ran, the last one's line (0: none), and what came after it, as /proc/vmstat
	 * counts it: page faults (pgfault), major faults (pgmajfault), swap-ins (pswpin). */
	unsigned long switches;
	unsigned long switch_line;
	uint64_t switch_faults, switch_major_faults, switch_swap_ins;
};

/*
 * Runs s on a new system, destroyed at the end. opts NULL: no explain, no paranoid, no
 * output. *res (if not NULL) is filled even on error, with what ran until then.
 * 0 when the script ran to its end (whatever the expectations said) or stopped at a broken
 * invariant (res->check_failed); -EINVAL for a config the system refuses or an unknown
 * counter name (checked at boot, before any command runs), or the negative errno of a
 * command that failed (a system call's error, or -ENOMEM booting), with the message in err.
 */
MMSIM_API int mmsim_script_run(const struct mmsim_script *s,
			       const struct mmsim_script_run_opts *opts,
			       struct mmsim_script_result *res, struct mmsim_error *err);

/*
 * A run one command at a time, for tools that show the machine between commands (the
 * browser explorer). mmsim_script_start() prepares a run as mmsim_script_run() would
 * (config applied, nothing booted); each mmsim_script_step() runs the next command (the
 * system boots before the first one) and returns 1, 0 when nothing is left (the end, an
 * earlier error, or a paranoid check that stopped the run), or the negative errno of a
 * command that failed, with the message in err, after which the session is stopped. The
 * session owns its system; the caller destroys the session, which accepts NULL.
 */
struct mmsim_script_session;
struct mmsim_system;
struct mmsim_task;

MMSIM_API int mmsim_script_start(const struct mmsim_script *s,
				 const struct mmsim_script_run_opts *opts,
				 struct mmsim_script_session **out, struct mmsim_error *err);
MMSIM_API int mmsim_script_step(struct mmsim_script_session *ss, struct mmsim_error *err);
/* The next command as written, and its line; NULL when the session has stopped. */
MMSIM_API const char *mmsim_script_session_next(const struct mmsim_script_session *ss,
						unsigned long *line);
/* What ran so far, as mmsim_script_run() reports it at the end. */
MMSIM_API void mmsim_script_session_result(const struct mmsim_script_session *ss,
					   struct mmsim_script_result *res);
/* The script's processes by index, as named in it; NULL past the last. */
MMSIM_API const char *mmsim_script_proc_name(const struct mmsim_script *s, unsigned int i);
/* The system (NULL before the first command) and the live task of the script's process
 * `name` (NULL before its spawn or fork, after its exit, or for an unknown name); both
 * borrowed from the session. */
MMSIM_API struct mmsim_system *mmsim_script_session_system(struct mmsim_script_session *ss);
MMSIM_API struct mmsim_task *mmsim_script_session_task(struct mmsim_script_session *ss,
						       const char *name);
MMSIM_API void mmsim_script_session_destroy(struct mmsim_script_session *ss);

#endif
