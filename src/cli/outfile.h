/*
 * cli/outfile.h: output files that are never half-written.
 *
 * A CSV, JSON or trace output is written through util/atomic_file.h: to a temporary file in
 * the same directory (PATH.tmp-XXXXXX), renamed over PATH only when every byte reached the
 * disk, so an interrupted run (SIGINT, a full disk, a crash) leaves the old file or none,
 * never a truncated one. This adds the command's side: "-" means stdout, written directly;
 * messages for the user; and a table of pending temporaries for signal handlers. Until the file
 * is committed, SIGINT/SIGTERM handlers may call cli_outfile_unlink_all() to remove the
 * temporaries (async-signal-safe).
 */
#ifndef MMSIM_CLI_OUTFILE_H
#define MMSIM_CLI_OUTFILE_H

#include <stdbool.h>
#include <stdio.h>

#include "util/atomic_file.h"

struct cli_outfile {
	FILE *f;	       /* where to write: the temporary file, or stdout */
	const char *path;      /* the final name (borrowed); "-" for stdout */
	struct atomic_file af; /* the temporary file (util/atomic_file.h); af.tmp NULL: none */
	int slot;	       /* index in the table cli_outfile_unlink_all() walks; -1 if none */
};

/* Opens an output: 0, or a negative errno value (a message naming path goes to msg). */
int cli_outfile_open(struct cli_outfile *o, const char *path, char *msg, size_t msg_size);

/*
 * Flushes, syncs and closes the temporary file and renames it to its final name; for
 * stdout, flushes it. 0, or a negative errno value with a message; on failure the
 * temporary file is removed and an older file at path is left as it was.
 */
int cli_outfile_commit(struct cli_outfile *o, char *msg, size_t msg_size);

/* Gives up: closes and removes the temporary file. Accepts an output never opened. */
void cli_outfile_abort(struct cli_outfile *o);

/*
 * A command's whole-file output in two calls: cli_outfile_start() opens path (NULL for
 * stdout), or prints "mmsim CMD: reason" and returns NULL. cli_outfile_finish() commits
 * it; when bad is true or the stream saw an error it gives up instead ("CMD: PATH: write
 * failed"). 0, or 2 (CLI_EXIT_USAGE) with the reason printed; an older file stays as it was.
 */
FILE *cli_outfile_start(struct cli_outfile *o, const char *cmd, const char *path);
int cli_outfile_finish(struct cli_outfile *o, const char *cmd, bool bad);

/*
 * A command's outputs must be n different files: two given the same path (or two names of
 * one existing file, or "-" twice) would leave only the one written last, so that is a
 * usage error naming both options ("mmsim CMD: --csv and --json name the same file x").
 * paths[i] NULL: option i not given. 0, or 2 (CLI_EXIT_USAGE) with the message printed.
 */
int cli_outfile_distinct(const char *cmd, const char *const *opts, const char *const *paths,
			 size_t n);

/* Removes every temporary file not yet committed; for signal handlers. */
void cli_outfile_unlink_all(void);

#endif
