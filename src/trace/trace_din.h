/*
 * trace/trace_din.h: Dinero IV's "din" trace text (docs/trace-format.md).
 *
 * One access a line: a decimal label, blanks, a hex address (Dinero IV, "din" input
 * format: label 0 is a data read, 1 a data write, 2 an instruction fetch; 3 and 4 are
 * escape records, which mmsim refuses, since they are not accesses). din has neither sizes
 * nor processes: every record is 1 byte, pid 0. Blank lines are skipped; any other line
 * that does not parse is an error naming the line.
 */
#ifndef MMSIM_TRACE_TRACE_DIN_H
#define MMSIM_TRACE_TRACE_DIN_H

#include <stddef.h>
#include <stdint.h>

#include "mmsim/trace.h"
#include "trace/trace_text.h"

struct mmsim_error;
struct trace_source;

/* Longest text trace_din_format() writes: two lines of label, blank, 16 hex digits. */
#define TRACE_DIN_FORMAT_MAX 48

struct trace_din_reader {
	struct trace_text text;
};

void trace_din_reader_start(struct trace_din_reader *dr);

/* Parses up to max records; 0 (with *nr_out 0 only at the end), or "NAME:LINE:COL: reason". */
int trace_din_read(struct trace_din_reader *dr, struct trace_source *src,
		   struct mmsim_trace_record *recs, size_t max, size_t *nr_out,
		   struct mmsim_error *err);

/*
 * Formats rec (valid) as din into out (TRACE_DIN_FORMAT_MAX bytes, NUL included); a modify
 * becomes a read line and a write line. Returns the bytes written, without the NUL.
 */
size_t trace_din_format(const struct mmsim_trace_record *rec, char *out);

#endif
