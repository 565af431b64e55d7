/*
 * trace/trace_text.c: whole lines out of a source's buffer, for strict line-based formats.
 */
#include "trace/trace_text.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "mmsim/error.h"
#include "trace/trace_source.h"

int trace_text_error(const struct trace_text *t, const struct trace_source *src, size_t col,
		     struct mmsim_error *err, const char *fmt, ...)
{
	char reason[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	return mmsim_error_set(err, -EINVAL, "%s:%llu:%zu: %s", src->name,
			       (unsigned long long)t->line, col, reason);
}

int trace_text_next(struct trace_text *t, struct trace_source *src, const char *what,
		    const uint8_t **p, size_t *len, struct mmsim_error *err)
{
	for (;;) {
		const uint8_t *s = src->buf + src->pos;
		size_t avail = src->end - src->pos;
		const uint8_t *nl = memchr(s, '\n', avail);
		const uint8_t *z;
		size_t n;
		int ret;

		if (!nl && !src->eof && avail <= TRACE_TEXT_LINE_MAX) {
			ret = trace_source_fill(src, err);
			if (ret)
				return ret;
			continue;
		}
		if (avail == 0)
			return 0;
		n = nl ? (size_t)(nl - s) : avail;
		t->line++;
		if (n > TRACE_TEXT_LINE_MAX)
			return trace_text_error(t, src, TRACE_TEXT_LINE_MAX + 1, err,
						"line is longer than %d bytes",
						TRACE_TEXT_LINE_MAX);
		z = memchr(s, 0, n);
		if (z)
			return trace_text_error(t, src, (size_t)(z - s) + 1, err,
						"NUL byte: this is not a %s text trace", what);
		src->pos += n + (nl ? 1 : 0);
		if (n > 0 && s[n - 1] == '\r')
			n--;
		*p = s;
		*len = n;
		return 1;
	}
}

/*
 * Returns 0 with *out and *i past the number; -EINVAL when no digit is at *i (*i unchanged),
 * -ERANGE when the number does not fit in 64 bits (*i at its first digit).
 */
int trace_text_number(const uint8_t *p, size_t len, size_t *i, int hex_only, uint64_t *out)
{
	unsigned int base = hex_only ? 16 : 10;
	size_t j = *i, start;
	uint64_t v = 0;
	int d;

	if (j + 1 < len && p[j] == '0' && (p[j + 1] | 0x20) == 'x') {
		base = 16;
		j += 2;
	}
	start = j;
	while (j < len && (d = trace_text_hex_digit(p[j])) >= 0 && (unsigned int)d < base) {
		if (v > (UINT64_MAX - (uint64_t)d) / base) {
			*i = start;
			return -ERANGE;
		}
		v = v * base + (uint64_t)d;
		j++;
	}
	if (j == start)
		return -EINVAL;
	*i = j;
	*out = v;
	return 0;
}

int trace_text_read(struct trace_text *t, struct trace_source *src, const char *what,
		    trace_text_parse_fn parse, void *ctx, struct mmsim_trace_record *recs,
		    size_t max, size_t *nr_out, struct mmsim_error *err)
{
	size_t n = 0;
	int ret = 0;

	while (n < max) {
		const uint8_t *p;
		size_t len;

		ret = trace_text_next(t, src, what, &p, &len, err);
		if (ret <= 0)
			break;
		ret = parse(ctx, src, p, len, &recs[n], err);
		if (ret < 0)
			break;
		if (ret == 0)
			n++;
		ret = 0;
	}
	*nr_out = n;
	return ret;
}
