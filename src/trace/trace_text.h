/*
 * trace/trace_text.h: lines of a text trace, for the formats that must parse every line
 * (din, page lists, CSV).
 *
 * A line is handed out whole, without its newline and without one carriage return before
 * it, as a pointer into the source's buffer that stays valid until the next call. Lines
 * are judged by at most max bytes: a longer line is an error, never truncated, so what is
 * accepted does not depend on how the bytes were buffered. A NUL byte is an error: it means
 * binary data, not text.
 */
#ifndef MMSIM_TRACE_TRACE_TEXT_H
#define MMSIM_TRACE_TRACE_TEXT_H

#include <stddef.h>
#include <stdint.h>

struct mmsim_error;
struct mmsim_trace_record;
struct trace_source;

/* Longest line accepted by the line-based formats, in bytes, without its newline. */
#define TRACE_TEXT_LINE_MAX 256

struct trace_text {
	uint64_t line; /* number of the last line handed out, from 1; 0 before the first */
};

/*
 * The next line of src: returns 1 with *p and *len set, 0 at the end of the trace, or a
 * negative errno value with "NAME:LINE:COL: reason" (what names the format in messages).
 */
int trace_text_next(struct trace_text *t, struct trace_source *src, const char *what,
		    const uint8_t **p, size_t *len, struct mmsim_error *err);

/*
 * One line's parser for trace_text_read(): 0 when it made *rec, 1 when the line holds no
 * record (blank, a comment, a header), or a negative errno value with err set.
 */
typedef int (*trace_text_parse_fn)(void *ctx, const struct trace_source *src, const uint8_t *p,
				   size_t len, struct mmsim_trace_record *rec,
				   struct mmsim_error *err);

/*
 * Up to max records from the lines of src, each line through parse: the read loop of the
 * line-based formats. *nr_out is what was made; 0 or the first error.
 */
int trace_text_read(struct trace_text *t, struct trace_source *src, const char *what,
		    trace_text_parse_fn parse, void *ctx, struct mmsim_trace_record *recs,
		    size_t max, size_t *nr_out, struct mmsim_error *err);

/* Reports "NAME:LINE:COL: reason" for column col (from 1) of the last line handed out. */
int trace_text_error(const struct trace_text *t, const struct trace_source *src, size_t col,
		     struct mmsim_error *err, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/* The value of hex digit c (either case), or -1 when c is none. */
static inline int trace_text_hex_digit(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Parses an unsigned number at p[*i]: decimal, or hex after "0x" (hex_only: hex, "0x" optional). */
int trace_text_number(const uint8_t *p, size_t len, size_t *i, int hex_only, uint64_t *out);

#endif
