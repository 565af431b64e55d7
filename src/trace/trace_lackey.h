/*
 * trace/trace_lackey.h: valgrind lackey's memory trace, as text (docs/trace-format.md).
 *
 * `valgrind --tool=lackey --trace-mem=yes` prints one access a line, in valgrind's
 * lackey/lk_main.c formats "I  %08lx,%lu", " L %08lx,%lu", " S %08lx,%lu", " M %08lx,%lu":
 * kind letter, hex address without 0x, comma, decimal size. valgrind's own lines ("==PID=="
 * messages, "--PID--" debug lines) and blank lines are skipped, and the skipped valgrind
 * lines counted; every other line must be a record or an mmsim directive, or it is an error
 * naming the line. When the format was detected rather than named, a first such line means
 * the file is no trace at all: "NAME: not a memory trace (...; first line: "...")".
 *
 * mmsim: lackey has no pids. The extension line "# mmsim pid N" sets the pid of the records
 * after it (0 before the first), so multi-process traces survive a trip through text.
 * Events are extension lines too: "# mmsim fork PARENT CHILD", "exec PID", "exit PID",
 * "reclaim BYTES PID|all", "shrink-all", "switch" (after "# mmsim ").
 */
#ifndef MMSIM_TRACE_TRACE_LACKEY_H
#define MMSIM_TRACE_TRACE_LACKEY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mmsim/trace.h"

struct mmsim_error;
struct trace_source;

/* Longest record or directive line accepted, in bytes, without its newline. */
#define TRACE_LACKEY_LINE_MAX 256
/* Longest text trace_lackey_format() writes for one record (a pid line and a record). */
#define TRACE_LACKEY_FORMAT_MAX 64
/* The extension line's prefix. */
#define TRACE_LACKEY_DIRECTIVE "# mmsim"

struct trace_lackey_reader {
	uint64_t line;	     /* number of the line starting at the source's pos, from 1 */
	uint64_t skip_col;   /* while skipping: column of the source's pos in the line */
	bool skipping;	     /* inside a long non-record line whose start was discarded */
	uint32_t pid;	     /* set by the last "# mmsim pid N", 0 before */
	bool detect;	     /* the format was guessed: refuse a non-trace as such */
	bool seen_record;    /* a record or directive was read: this is a lackey trace */
	uint64_t nr_skipped; /* valgrind lines skipped since the start */
	bool events;	     /* hand event lines to the caller as records (else skip them) */
	uint64_t nr_events;  /* event lines read since the start, handed out or skipped */
};

struct trace_lackey_writer {
	uint32_t pid; /* pid the reader will assume for the next record, 0 at start */
};

/*
 * Prepares lr for the source's first byte, skipping a UTF-8 byte-order mark. detect: the
 * format was guessed, not named (changes only the message for a file that is no trace).
 * lr->events is kept (the caller's choice).
 */
int trace_lackey_reader_start(struct trace_lackey_reader *lr, struct trace_source *src, bool detect,
			      struct mmsim_error *err);

/*
 * Parses up to max records into recs; *nr_out gets how many. Returns 0 (with *nr_out 0 only
 * at the end of the trace) or a negative errno value with "NAME:LINE:COL: reason".
 */
int trace_lackey_read(struct trace_lackey_reader *lr, struct trace_source *src,
		      struct mmsim_trace_record *recs, size_t max, size_t *nr_out,
		      struct mmsim_error *err);

/*
 * Formats rec (valid: size >= 1, known kind; or a valid event) as lackey text into out,
 * which has TRACE_LACKEY_FORMAT_MAX bytes, preceded by a pid line when an access's pid
 * changes; an event becomes its directive line. Returns the bytes written (no NUL is added).
 */
size_t trace_lackey_format(struct trace_lackey_writer *lw, const struct mmsim_trace_record *rec,
			   char *out);

#endif
