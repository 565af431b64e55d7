/*
 * util/strbuf.h: a growable text buffer, host memory. Reports are written into one, so
 * library code never prints; the caller decides where the text goes.
 * An allocation failure is sticky: sb->failed is set and later appends do nothing.
 */
#ifndef MMSIM_UTIL_STRBUF_H
#define MMSIM_UTIL_STRBUF_H

#include <stdbool.h>
#include <stddef.h>

struct strbuf {
	char *buf;   /* NUL-terminated when len > 0 or after strbuf_init */
	size_t len;  /* bytes used, without the NUL */
	size_t cap;  /* bytes allocated */
	bool failed; /* an append could not allocate; the text is truncated */
};

void strbuf_init(struct strbuf *sb);
void strbuf_fini(struct strbuf *sb);
void strbuf_reset(struct strbuf *sb);
void strbuf_append(struct strbuf *sb, const char *s, size_t n);
void strbuf_puts(struct strbuf *sb, const char *s);
void strbuf_printf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Returns the text (never NULL); the buffer keeps ownership. */
const char *strbuf_str(const struct strbuf *sb);

#endif
