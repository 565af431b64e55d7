/*
 * trace/trace_pages.h: text page lists, the reference strings of textbooks
 * (docs/trace-format.md).
 *
 * One access a line: "PAGE" or "PID PAGE", numbers in decimal or hex after "0x"; every line
 * of a file has the same number of columns. Blank lines and lines starting with '#' are
 * skipped. Page p is a 1-byte write at MMSIM_TRACE_PAGE_BASE + p * 4096 (pid 0 when the
 * line has none), so page 0 is an ordinary page, not below mmap_min_addr. A write, because
 * a reference string's page takes a frame: a first read of anonymous memory would map
 * the shared zero page and take none (Linux: mm/memory.c, do_anonymous_page()).
 */
#ifndef MMSIM_TRACE_TRACE_PAGES_H
#define MMSIM_TRACE_TRACE_PAGES_H

#include <stddef.h>
#include <stdint.h>

#include "mmsim/trace.h"
#include "trace/trace_text.h"

struct mmsim_error;
struct trace_source;

/* Largest page number: its page stays far below the top of 4-level user space. */
#define TRACE_PAGES_MAX ((UINT64_C(1) << 34) - 1)
/* Longest line trace_pages_format() writes, NUL included. */
#define TRACE_PAGES_FORMAT_MAX 40

struct trace_pages_reader {
	struct trace_text text;
	unsigned int columns; /* 1 or 2, fixed by the first record line; 0 before it */
	uint64_t first_line;  /* the line that fixed columns */
};

void trace_pages_reader_start(struct trace_pages_reader *pr);

/* Parses up to max records; 0 (with *nr_out 0 only at the end), or "NAME:LINE:COL: reason". */
int trace_pages_read(struct trace_pages_reader *pr, struct trace_source *src,
		     struct mmsim_trace_record *recs, size_t max, size_t *nr_out,
		     struct mmsim_error *err);

/*
 * Formats rec as "PID PAGE" into out (TRACE_PAGES_FORMAT_MAX bytes). Returns the bytes
 * written, or 0 when rec's address is below MMSIM_TRACE_PAGE_BASE or its page is above
 * TRACE_PAGES_MAX (a page list cannot say it).
 */
size_t trace_pages_format(const struct mmsim_trace_record *rec, char *out);

#endif
