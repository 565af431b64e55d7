/*
 * trace/trace_lackey.h: valgrind lackey's memory trace, as text (docs/trace-format.md).
 *
 * `valgrind --tool=lackey --trace-mem=yes` prints one access a line, in valgrind's
 * lackey/lk_main.c formats "I  %08lx,%lu", " L %08lx,%lu", " S %08lx,%lu", " M %08lx,%lu":
 * kind letter, hex address without 0x, comma, decimal size. Everything else it prints
 * (the "==PID==" banners, the program's own output) is skipped. A line that starts like a
 * record, blanks then I, L, S or M then a blank or the end of the line, must be one.
 *
 * mmsim: lackey has no pids. The extension line "# mmsim pid N" sets the pid of the records
 * after it (0 before the first), so multi-process traces survive a trip through text.
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
	uint64_t line;	   /* number of the line starting at the source's pos, from 1 */
	uint64_t skip_col; /* while skipping: column of the source's pos in the line */
	bool skipping;	   /* inside a long non-record line whose start was discarded */
	uint32_t pid;	   /* set by the last "# mmsim pid N", 0 before */
};

struct trace_lackey_writer {
	uint32_t pid; /* pid the reader will assume for the next record, 0 at start */
};

/* Prepares lr for the source's first byte, skipping a UTF-8 byte-order mark. */
int trace_lackey_reader_start(struct trace_lackey_reader *lr, struct trace_source *src,
			      struct mmsim_error *err);

/*
 * Parses up to max records into recs; *nr_out gets how many. Returns 0 (with *nr_out 0 only
 * at the end of the trace) or a negative errno value with "NAME:LINE:COL: reason".
 */
int trace_lackey_read(struct trace_lackey_reader *lr, struct trace_source *src,
		      struct mmsim_trace_record *recs, size_t max, size_t *nr_out,
		      struct mmsim_error *err);

/*
 * Formats rec (valid: size >= 1, known kind) as lackey text into out, which has
 * TRACE_LACKEY_FORMAT_MAX bytes, preceded by a pid line when the pid changes. Returns the
 * bytes written (no NUL is added).
 */
size_t trace_lackey_format(struct trace_lackey_writer *lw, const struct mmsim_trace_record *rec,
			   char *out);

#endif
