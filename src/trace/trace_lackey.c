/*
 * trace/trace_lackey.c: reading and writing valgrind lackey's memory trace text.
 *
 * Lines are found with memchr() in the source's buffer and parsed in place. A line is judged
 * by at most its first TRACE_LACKEY_LINE_MAX bytes, so what is accepted does not depend on
 * how the bytes were buffered: a non-record line of any length is skipped (without being
 * kept whole), a record line longer than the limit is an error.
 *
 * Accepted beyond lackey's exact output (it never prints these, people and tools do): blanks
 * (spaces, tabs) before the letter and in place of lackey's one or two spaces, a "0x" before
 * the address, upper-case hex, blanks and a carriage return at the end of the line, a last
 * line without a newline, a UTF-8 byte-order mark at the start.
 */
#include "trace/trace_lackey.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "mmsim/error.h"
#include "trace/trace_source.h"
#include "trace/trace_text.h"

enum line_class {
	LINE_OTHER,	/* neither: skipped when valgrind's own or blank, else an error */
	LINE_RECORD,	/* starts like an access record: must parse as one */
	LINE_DIRECTIVE, /* "# mmsim ...": must parse as a known directive */
};

/* Where in which line a parser stands; i is a 0-based byte index into p[0, len). */
struct line {
	const struct trace_source *src;
	uint64_t nr;	  /* line number, from 1 */
	const uint8_t *p; /* first byte of the line */
	size_t len;	  /* bytes before the newline */
	size_t i;	  /* parse position */
};

static bool is_blank(int c)
{
	return c == ' ' || c == '\t';
}

/* True when i is at the end of the line, allowing one carriage return before the newline. */
static bool at_eol(const struct line *l, size_t i)
{
	return i >= l->len || (i + 1 == l->len && l->p[i] == '\r');
}

static void skip_blanks(struct line *l)
{
	while (l->i < l->len && is_blank(l->p[l->i]))
		l->i++;
}

/* Describes the byte at i for a message: 'c', byte 0xNN, or end of line. */
static const char *describe(const struct line *l, size_t i, char buf[16])
{
	if (at_eol(l, i))
		return "end of line";
	if (l->p[i] >= 0x20 && l->p[i] < 0x7f)
		snprintf(buf, 16, "'%c'", l->p[i]);
	else
		snprintf(buf, 16, "byte 0x%02x", l->p[i]);
	return buf;
}

/* Reports "NAME:LINE:COL: reason" for the byte at index i of the line. */
static int line_error(const struct line *l, size_t i, struct mmsim_error *err, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int line_error(const struct line *l, size_t i, struct mmsim_error *err, const char *fmt, ...)
{
	char reason[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	return mmsim_error_set(err, -EINVAL, "%s:%llu:%zu: %s", l->src->name,
			       (unsigned long long)l->nr, i + 1, reason);
}

static enum line_class classify(const uint8_t *p, size_t len)
{
	size_t dlen = sizeof(TRACE_LACKEY_DIRECTIVE) - 1;
	size_t i = 0;

	if (len >= dlen && memcmp(p, TRACE_LACKEY_DIRECTIVE, dlen) == 0 &&
	    (len == dlen || is_blank(p[dlen]) || p[dlen] == '\r'))
		return LINE_DIRECTIVE;
	while (i < len && is_blank(p[i]))
		i++;
	if (i == len)
		return LINE_OTHER;
	if (p[i] != 'I' && p[i] != 'L' && p[i] != 'S' && p[i] != 'M')
		return LINE_OTHER;
	if (i + 1 == len || is_blank(p[i + 1]) || p[i + 1] == '\r')
		return LINE_RECORD;
	return LINE_OTHER;
}

static bool is_digit(int c)
{
	return c >= '0' && c <= '9';
}

/* A decimal number of up to bits (32 or 64) bits at l->i; what names it in messages. */
static int parse_decimal(struct line *l, const char *what, unsigned int bits, uint64_t *out,
			 struct mmsim_error *err)
{
	uint64_t max = bits == 64 ? UINT64_MAX : (UINT64_C(1) << bits) - 1;
	size_t start = l->i;
	uint64_t v = 0;
	char c[16];

	if (l->i >= l->len || !is_digit(l->p[l->i]))
		return line_error(l, l->i, err, "expected a decimal %s, found %s", what,
				  describe(l, l->i, c));
	while (l->i < l->len && is_digit(l->p[l->i])) {
		unsigned int d = (unsigned int)(l->p[l->i] - '0');

		if (v > (max - d) / 10)
			return line_error(l, start, err, "%s does not fit in %u bits", what, bits);
		v = v * 10 + d;
		l->i++;
	}
	*out = v;
	return 0;
}

static int parse_u32(struct line *l, const char *what, uint32_t *out, struct mmsim_error *err)
{
	uint64_t v;
	int ret = parse_decimal(l, what, 32, &v, err);

	if (!ret)
		*out = (uint32_t)v;
	return ret;
}

static int parse_address(struct line *l, uint64_t *out, struct mmsim_error *err)
{
	size_t start;
	uint64_t v = 0;
	char c[16];
	int d;

	if (l->i + 1 < l->len && l->p[l->i] == '0' && (l->p[l->i + 1] | 0x20) == 'x')
		l->i += 2;
	start = l->i;
	while (l->i < l->len && (d = trace_text_hex_digit(l->p[l->i])) >= 0) {
		if (v >> 60)
			return line_error(l, start, err, "address does not fit in 64 bits");
		v = v << 4 | (uint64_t)d;
		l->i++;
	}
	if (l->i == start)
		return line_error(l, l->i, err, "expected a hex address, found %s",
				  describe(l, l->i, c));
	*out = v;
	return 0;
}

/* The rest of the line must be blanks: nothing may follow what was parsed. */
static int parse_eol(struct line *l, const char *after, struct mmsim_error *err)
{
	char c[16];

	skip_blanks(l);
	if (!at_eol(l, l->i))
		return line_error(l, l->i, err, "unexpected %s after the %s", describe(l, l->i, c),
				  after);
	return 0;
}

static int parse_record(struct line *l, struct mmsim_trace_record *rec, struct mmsim_error *err)
{
	size_t size_start;
	char c[16];
	int ret;

	skip_blanks(l);
	switch (l->p[l->i]) {
	case 'I':
		rec->kind = MMSIM_TRACE_IFETCH;
		break;
	case 'L':
		rec->kind = MMSIM_TRACE_LOAD;
		break;
	case 'S':
		rec->kind = MMSIM_TRACE_STORE;
		break;
	default:
		rec->kind = MMSIM_TRACE_MODIFY;
		break;
	}
	l->i++;
	skip_blanks(l);
	ret = parse_address(l, &rec->addr, err);
	if (ret)
		return ret;
	if (l->i >= l->len || l->p[l->i] != ',')
		return line_error(l, l->i, err, "expected ',' after the address, found %s",
				  describe(l, l->i, c));
	size_start = ++l->i;
	ret = parse_u32(l, "size", &rec->size, err);
	if (ret)
		return ret;
	if (rec->size == 0)
		return line_error(l, size_start, err,
				  "size 0 is invalid (an access has 1 byte or more)");
	return parse_eol(l, "size", err);
}

/* A blank, then a decimal field what, after the word or field named after. */
static int parse_field_u32(struct line *l, const char *after, const char *what, uint32_t *out,
			   struct mmsim_error *err)
{
	char c[16];

	if (l->i < l->len && !is_blank(l->p[l->i]))
		return line_error(l, l->i, err, "expected a blank after %s, found %s", after,
				  describe(l, l->i, c));
	skip_blanks(l);
	return parse_u32(l, what, out, err);
}

/* The directives: the word after "# mmsim" and the event it makes (LOAD: the pid line). */
static const struct directive {
	const char *word;
	enum mmsim_trace_kind kind;
} directives[] = {
	{ "pid", MMSIM_TRACE_LOAD },	    { "fork", MMSIM_TRACE_FORK },
	{ "exec", MMSIM_TRACE_EXEC },	    { "exit", MMSIM_TRACE_EXIT },
	{ "reclaim", MMSIM_TRACE_RECLAIM }, { "shrink-all", MMSIM_TRACE_SHRINK_ALL },
	{ "switch", MMSIM_TRACE_SWITCH },
};

#define DIRECTIVE_WORDS "pid, fork, exec, exit, reclaim, shrink-all or switch"

/* "reclaim BYTES PID|all": what follows the word. */
static int parse_reclaim(struct line *l, struct mmsim_trace_record *ev, struct mmsim_error *err)
{
	size_t at;
	char c[16];
	int ret;

	if (l->i < l->len && !is_blank(l->p[l->i]))
		return line_error(l, l->i, err, "expected a blank after 'reclaim', found %s",
				  describe(l, l->i, c));
	skip_blanks(l);
	at = l->i;
	ret = parse_decimal(l, "size in bytes", 64, &ev->addr, err);
	if (ret)
		return ret;
	if (ev->addr == 0)
		return line_error(l, at, err, "reclaim: 0 bytes (reclaim at least 1 byte)");
	if (l->i < l->len && !is_blank(l->p[l->i]))
		return line_error(l, l->i, err, "expected a blank after the size, found %s",
				  describe(l, l->i, c));
	skip_blanks(l);
	if (l->len - l->i >= 3 && memcmp(l->p + l->i, "all", 3) == 0) {
		l->i += 3;
		ev->size = MMSIM_TRACE_EVENT_ALL;
		return 0;
	}
	if (l->i < l->len && !is_digit(l->p[l->i]))
		return line_error(l, l->i, err, "expected a pid or 'all', found %s",
				  describe(l, l->i, c));
	return parse_u32(l, "pid", &ev->pid, err);
}

/*
 * "# mmsim WORD ...": "pid N" sets *pid (the pid of the records that follow) and returns 0;
 * an event directive fills *ev and returns 1. Or a negative errno value.
 */
static int parse_directive(struct line *l, uint32_t *pid, struct mmsim_trace_record *ev,
			   struct mmsim_error *err)
{
	const struct directive *d = NULL;
	size_t word, at;
	char c[16];
	int ret = 0;

	l->i = sizeof(TRACE_LACKEY_DIRECTIVE) - 1;
	skip_blanks(l);
	word = l->i;
	while (l->i < l->len && ((l->p[l->i] >= 'a' && l->p[l->i] <= 'z') || l->p[l->i] == '-'))
		l->i++;
	if (l->i == word)
		return line_error(l, word, err, "expected a directive after '%s', found %s",
				  TRACE_LACKEY_DIRECTIVE, describe(l, word, c));
	for (size_t k = 0; k < sizeof(directives) / sizeof(directives[0]); k++) {
		if (strlen(directives[k].word) == l->i - word &&
		    memcmp(l->p + word, directives[k].word, l->i - word) == 0)
			d = &directives[k];
	}
	if (!d)
		return line_error(l, word, err, "unknown mmsim directive '%.*s' (want %s)",
				  (int)(l->i - word), (const char *)l->p + word, DIRECTIVE_WORDS);
	if (d->kind == MMSIM_TRACE_LOAD) {
		ret = parse_field_u32(l, "'pid'", "pid", pid, err);
		return ret ? ret : parse_eol(l, "pid", err);
	}
	memset(ev, 0, sizeof(*ev));
	ev->kind = d->kind;
	switch (d->kind) {
	case MMSIM_TRACE_FORK: {
		uint32_t child = 0;

		ret = parse_field_u32(l, "'fork'", "parent pid", &ev->pid, err);
		at = l->i;
		if (!ret)
			ret = parse_field_u32(l, "the parent pid", "child pid", &child, err);
		if (!ret && child == ev->pid)
			return line_error(l, at + 1, err,
					  "fork: the child pid equals the parent's");
		ev->addr = child;
		break;
	}
	case MMSIM_TRACE_EXEC:
	case MMSIM_TRACE_EXIT:
		ret = parse_field_u32(l, d->kind == MMSIM_TRACE_EXEC ? "'exec'" : "'exit'", "pid",
				      &ev->pid, err);
		break;
	case MMSIM_TRACE_RECLAIM:
		ret = parse_reclaim(l, ev, err);
		break;
	default:
		break;
	}
	if (ret)
		return ret;
	ret = parse_eol(l, d->word, err);
	return ret ? ret : 1;
}

/* A NUL byte means binary data, never text: say so instead of skipping it silently. */
static int check_nul(const struct line *l, size_t col0, struct mmsim_error *err)
{
	const uint8_t *z = memchr(l->p, 0, l->len);

	if (!z)
		return 0;
	return line_error(l, col0 + (size_t)(z - l->p), err,
			  "NUL byte: this is not a text trace (nor an mmsim binary one)");
}

/* "==PID==" (valgrind's messages) or "--PID--" (its debug output), PID in decimal. */
static bool is_valgrind_line(const uint8_t *p, size_t len)
{
	size_t i = 2;

	if (len < 5 || (p[0] != '=' && p[0] != '-') || p[1] != p[0])
		return false;
	while (i < len && is_digit(p[i]))
		i++;
	return i > 2 && i + 1 < len && p[i] == p[0] && p[i + 1] == p[0];
}

static bool is_blank_line(const struct line *l)
{
	for (size_t i = 0; i < l->len; i++)
		if (!is_blank(l->p[i]) && !(l->p[i] == '\r' && i + 1 == l->len))
			return false;
	return true;
}

/* A line that is neither a record nor valgrind's: the file's first one means no trace. */
static int junk_line(const struct trace_lackey_reader *lr, const struct line *l,
		     struct mmsim_error *err)
{
	char quoted[64 * 4 + 8], where[32];
	size_t q = 0, n = l->len < 48 ? l->len : 48;

	if (!lr->detect || lr->seen_record) {
		const uint8_t *z = memchr(l->p, 0, l->len);

		if (z)
			return line_error(l, (size_t)(z - l->p), err,
					  "NUL byte: this is not a text trace");
		return line_error(l, 0, err,
				  "not a lackey record (\"I|L|S|M ADDRESS,SIZE\"), valgrind "
				  "line (\"==PID==\") or mmsim directive");
	}
	for (size_t i = 0; i < n; i++) {
		uint8_t c = l->p[i];

		if (c == '\r' && i + 1 == l->len)
			break;
		if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\')
			quoted[q++] = (char)c;
		else
			q += (size_t)snprintf(quoted + q, sizeof(quoted) - q, "\\x%02x", c);
	}
	if (n < l->len) {
		memcpy(quoted + q, "...", 3);
		q += 3;
	}
	quoted[q] = 0;
	if (l->nr == 1)
		snprintf(where, sizeof(where), "first line");
	else
		snprintf(where, sizeof(where), "line %llu", (unsigned long long)l->nr);
	return mmsim_error_set(err, -EINVAL,
			       "%s: not a memory trace (expected valgrind lackey text or an mmsim "
			       "binary trace; din, oracleGeneral, champsim and page lists need "
			       "--format NAME; %s: \"%s\")",
			       l->src->name, where, quoted);
}

int trace_lackey_reader_start(struct trace_lackey_reader *lr, struct trace_source *src, bool detect,
			      struct mmsim_error *err)
{
	static const uint8_t bom[3] = { 0xef, 0xbb, 0xbf };
	int ret;

	bool events = lr->events;

	memset(lr, 0, sizeof(*lr));
	lr->events = events;
	lr->detect = detect;
	lr->line = 1;
	while (src->end - src->pos < sizeof(bom) && !src->eof) {
		ret = trace_source_fill(src, err);
		if (ret)
			return ret;
	}
	if (src->end - src->pos >= sizeof(bom) && memcmp(src->buf + src->pos, bom, 3) == 0)
		src->pos += sizeof(bom);
	return 0;
}

/* Consumes the next piece of a long skipped line: up to its newline, or all that is here. */
static int skip_more(struct trace_lackey_reader *lr, struct trace_source *src,
		     struct mmsim_error *err)
{
	const uint8_t *p = src->buf + src->pos;
	const uint8_t *nl = memchr(p, '\n', src->end - src->pos);
	struct line l = { .src = src, .nr = lr->line, .p = p };
	int ret;

	l.len = nl ? (size_t)(nl - p) : src->end - src->pos;
	ret = check_nul(&l, lr->skip_col, err);
	if (ret)
		return ret;
	if (nl) {
		src->pos += l.len + 1;
		lr->line++;
		lr->skipping = false;
	} else {
		src->pos = src->end;
		lr->skip_col += l.len;
	}
	return 0;
}

/* Begins skipping a non-record line longer than the buffer holds. */
static int skip_start(struct trace_lackey_reader *lr, struct trace_source *src,
		      struct mmsim_error *err)
{
	lr->skipping = true;
	lr->skip_col = 0;
	return skip_more(lr, src, err);
}

int trace_lackey_read(struct trace_lackey_reader *lr, struct trace_source *src,
		      struct mmsim_trace_record *recs, size_t max, size_t *nr_out,
		      struct mmsim_error *err)
{
	size_t n = 0;
	int ret = 0;

	while (n < max) {
		const uint8_t *p = src->buf + src->pos;
		size_t avail = src->end - src->pos;
		const uint8_t *nl = memchr(p, '\n', avail);
		struct line l = { .src = src, .nr = lr->line, .p = p };
		enum line_class cls;

		if (lr->skipping) {
			if (avail == 0 && src->eof)
				break;
			ret = avail ? skip_more(lr, src, err) : trace_source_fill(src, err);
			if (ret)
				break;
			continue;
		}
		if (!nl && !src->eof && avail <= TRACE_LACKEY_LINE_MAX) {
			/* Need the line's end, or enough of it to judge it. */
			ret = trace_source_fill(src, err);
			if (ret)
				break;
			continue;
		}
		if (avail == 0)
			break; /* end of the trace */
		if (!nl && !src->eof && classify(p, TRACE_LACKEY_LINE_MAX) == LINE_OTHER) {
			l.len = TRACE_LACKEY_LINE_MAX;
			if (!is_valgrind_line(p, l.len)) {
				ret = junk_line(lr, &l, err);
				break;
			}
			lr->nr_skipped++;
			ret = skip_start(lr, src, err); /* long, and valgrind's: never kept whole */
			if (ret)
				break;
			continue;
		}
		l.len = nl ? (size_t)(nl - p) : avail;
		cls = classify(p, l.len < TRACE_LACKEY_LINE_MAX ? l.len : TRACE_LACKEY_LINE_MAX);
		if (cls == LINE_OTHER) {
			if (is_valgrind_line(p, l.len)) {
				ret = check_nul(&l, 0, err);
				if (ret)
					break;
				lr->nr_skipped++;
			} else if (!is_blank_line(&l)) {
				ret = junk_line(lr, &l, err);
				break;
			}
		} else if (l.len > TRACE_LACKEY_LINE_MAX) {
			ret = line_error(&l, TRACE_LACKEY_LINE_MAX, err,
					 "line is longer than %d bytes", TRACE_LACKEY_LINE_MAX);
			break;
		} else if (cls == LINE_RECORD) {
			ret = parse_record(&l, &recs[n], err);
			if (ret)
				break;
			recs[n++].pid = lr->pid;
			lr->seen_record = true;
		} else {
			ret = parse_directive(&l, &lr->pid, &recs[n], err);
			if (ret < 0)
				break;
			if (ret == 1) {
				lr->nr_events++;
				if (lr->events)
					n++;
			}
			ret = 0;
			lr->seen_record = true;
		}
		src->pos += l.len + (nl ? 1 : 0);
		lr->line++;
	}
	*nr_out = n;
	return ret;
}

static const char kind_prefix[MMSIM_TRACE_NR_KINDS][4] = {
	[MMSIM_TRACE_LOAD] = " L ",
	[MMSIM_TRACE_STORE] = " S ",
	[MMSIM_TRACE_MODIFY] = " M ",
	[MMSIM_TRACE_IFETCH] = "I  ",
};

/* Writes v in decimal at out; returns the bytes written. */
static size_t put_dec(char *out, uint64_t v)
{
	char tmp[20];
	size_t n = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	for (size_t i = 0; i < n; i++)
		out[i] = tmp[n - 1 - i];
	return n;
}

/* Writes v in lower-case hex with at least 8 digits, as printf's %08lx. */
static size_t put_hex8(char *out, uint64_t v)
{
	static const char digits[] = "0123456789abcdef";
	size_t n = 8;

	while (n < 16 && (v >> (4 * n)) != 0)
		n++;
	for (size_t i = 0; i < n; i++)
		out[i] = digits[(v >> (4 * (n - 1 - i))) & 0xf];
	return n;
}

/* An event as its directive line; the pid of later records does not change. */
static size_t format_event(const struct mmsim_trace_record *ev, char *out)
{
	char *p = out;
	const char *word = "switch";

	for (size_t k = 0; k < sizeof(directives) / sizeof(directives[0]); k++) {
		if (directives[k].kind == ev->kind)
			word = directives[k].word;
	}
	memcpy(p, TRACE_LACKEY_DIRECTIVE " ", sizeof(TRACE_LACKEY_DIRECTIVE));
	p += sizeof(TRACE_LACKEY_DIRECTIVE);
	memcpy(p, word, strlen(word));
	p += strlen(word);
	switch (ev->kind) {
	case MMSIM_TRACE_FORK:
		*p++ = ' ';
		p += put_dec(p, ev->pid);
		*p++ = ' ';
		p += put_dec(p, ev->addr);
		break;
	case MMSIM_TRACE_EXEC:
	case MMSIM_TRACE_EXIT:
		*p++ = ' ';
		p += put_dec(p, ev->pid);
		break;
	case MMSIM_TRACE_RECLAIM:
		*p++ = ' ';
		p += put_dec(p, ev->addr);
		*p++ = ' ';
		if (ev->size == MMSIM_TRACE_EVENT_ALL) {
			memcpy(p, "all", 3);
			p += 3;
		} else {
			p += put_dec(p, ev->pid);
		}
		break;
	default:
		break;
	}
	*p++ = '\n';
	return (size_t)(p - out);
}

size_t trace_lackey_format(struct trace_lackey_writer *lw, const struct mmsim_trace_record *rec,
			   char *out)
{
	static const char pid_line[] = TRACE_LACKEY_DIRECTIVE " pid ";
	char *p = out;

	if (mmsim_trace_kind_is_event(rec->kind))
		return format_event(rec, out);

	if (rec->pid != lw->pid) {
		memcpy(p, pid_line, sizeof(pid_line) - 1);
		p += sizeof(pid_line) - 1;
		p += put_dec(p, rec->pid);
		*p++ = '\n';
		lw->pid = rec->pid;
	}
	memcpy(p, kind_prefix[rec->kind], 3);
	p += 3;
	p += put_hex8(p, rec->addr);
	*p++ = ',';
	p += put_dec(p, rec->size);
	*p++ = '\n';
	return (size_t)(p - out);
}
