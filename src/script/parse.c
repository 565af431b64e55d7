/*
 * script/parse.c: scenario scripts (script/script.h, docs/scenario.md) from text to
 * words, numbers and names; the grammar of each command is script_commands.c's.
 *
 * One command a line; words are separated by blanks (space, tab, CR, so CRLF files read the
 * same); `#` starts a comment that runs to the end of the line. Outside comments a script is
 * printable ASCII. The parser keeps the script's namespace as it goes (which processes
 * exist, which regions each has and how big they are, what has exited), so every error the
 * runner could detect from the text alone is reported here, at its line and column, before
 * anything runs.
 */
#include "script/script.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mmsim/error.h"
#include "mmsim/mmsim.h"
#include "script/script_impl.h"
#include "util/macros.h"

/* ---- arena: the script's strings --------------------------------------------------------- */

#define ARENA_CHUNK_SIZE 4096

struct script_arena_chunk {
	struct script_arena_chunk *next;
	size_t used, size; /* bytes of data[] */
	char data[];
};

const char *script_strndup(struct script *s, const char *str, size_t n)
{
	struct script_arena_chunk *c = s->arena;
	char *dst;

	if (!c || c->size - c->used < n + 1) {
		size_t size = n + 1 > ARENA_CHUNK_SIZE ? n + 1 : ARENA_CHUNK_SIZE;

		c = malloc(sizeof(*c) + size);
		if (!c)
			return NULL;
		c->used = 0;
		c->size = size;
		/* A big string gets a chunk of its own behind the current one, which goes on. */
		if (s->arena && size > ARENA_CHUNK_SIZE) {
			c->next = s->arena->next;
			s->arena->next = c;
		} else {
			c->next = s->arena;
			s->arena = c;
		}
	}
	dst = c->data + c->used;
	memcpy(dst, str, n);
	dst[n] = '\0';
	c->used += n + 1;
	return dst;
}

/* ---- names ------------------------------------------------------------------------------- */

const char *script_field_name(enum script_field f)
{
	static const char *const names[] = {
		[SCRIPT_FIELD_MINFLT] = "minflt",   [SCRIPT_FIELD_MAJFLT] = "majflt",
		[SCRIPT_FIELD_RSS] = "rss",	    [SCRIPT_FIELD_SWAP] = "swap",
		[SCRIPT_FIELD_VMPTE] = "vmpte",	    [SCRIPT_FIELD_ANONHUGE] = "anonhuge",
		[SCRIPT_FIELD_SIGNAL] = "signal",   [SCRIPT_FIELD_RSSFILE] = "rssfile",
		[SCRIPT_FIELD_RSSANON] = "rssanon", [SCRIPT_FIELD_PSS] = "pss",
	};

	return (unsigned int)f < ARRAY_SIZE(names) ? names[f] : "?";
}

const char *script_cmp_name(enum script_cmp c)
{
	static const char *const names[] = {
		[SCRIPT_CMP_EQ] = "==", [SCRIPT_CMP_NE] = "!=", [SCRIPT_CMP_LT] = "<",
		[SCRIPT_CMP_LE] = "<=", [SCRIPT_CMP_GT] = ">",	[SCRIPT_CMP_GE] = ">=",
	};

	return (unsigned int)c < ARRAY_SIZE(names) ? names[c] : "?";
}

const char *script_signal_name(enum mmsim_signal sig)
{
	switch (sig) {
	case MMSIM_SIG_NONE:
		return "none";
	case MMSIM_SIG_SEGV_MAPERR:
		return "SEGV_MAPERR";
	case MMSIM_SIG_SEGV_ACCERR:
		return "SEGV_ACCERR";
	case MMSIM_SIG_KILLED:
		return "KILLED";
	case MMSIM_SIG_BUS_ADRERR:
		return "SIGBUS";
	}
	return "?";
}

/* ---- messages ---------------------------------------------------------------------------- */

bool script_is_word(const struct script_word *w, const char *lit)
{
	return strlen(lit) == w->len && !memcmp(w->s, lit, w->len);
}

const char *script_quote(const struct script_word *w, char buf[SCRIPT_QUOTE_MAX + 4])
{
	size_t n = w->len > SCRIPT_QUOTE_MAX ? SCRIPT_QUOTE_MAX : w->len;

	memcpy(buf, w->s, n);
	strcpy(buf + n, w->len > SCRIPT_QUOTE_MAX ? "..." : "");
	return buf;
}

int script_fail_at(struct script_parser *p, unsigned long col, const char *fmt, ...)
{
	char msg[MMSIM_ERROR_MSG_SIZE];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return mmsim_error_set(p->err, -EINVAL, "%s:%lu:%lu: %s", p->s->name, p->line, col, msg);
}

int script_fail_word(struct script_parser *p, unsigned int i, const char *fmt)
{
	char q[SCRIPT_QUOTE_MAX + 4];
	char msg[MMSIM_ERROR_MSG_SIZE];

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	snprintf(msg, sizeof(msg), fmt, script_quote(&p->w[i], q));
#pragma GCC diagnostic pop
	return script_fail_at(p, p->w[i].col, "%s", msg);
}

int script_need(struct script_parser *p, unsigned int i, const char *what)
{
	if (i < p->nr)
		return 0;
	return script_fail_at(p, p->end_col, "missing %s", what);
}

int script_no_more(struct script_parser *p, unsigned int i)
{
	if (i >= p->nr)
		return 0;
	return script_fail_word(p, i, "unexpected '%s' after the command");
}

/* ---- numbers, names and rights ----------------------------------------------------------- */

bool script_valid_name(const struct script_word *w)
{
	if (w->len == 0 || w->len > SCRIPT_NAME_MAX || !script_is_alpha(w->s[0]))
		return false;
	for (size_t i = 1; i < w->len; i++) {
		if (!script_is_alpha(w->s[i]) && !script_is_digit(w->s[i]))
			return false;
	}
	return true;
}

enum script_num script_parse_u64(const char *s, size_t len, uint64_t *out)
{
	unsigned int base = 10;
	uint64_t v = 0;
	size_t i = 0;

	if (len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		i = 2;
	}
	if (i == len)
		return SCRIPT_NUM_BAD;
	for (; i < len; i++) {
		char c = s[i];
		unsigned int d;

		if (script_is_digit(c))
			d = (unsigned int)(c - '0');
		else if (base == 16 && c >= 'a' && c <= 'f')
			d = (unsigned int)(c - 'a' + 10);
		else if (base == 16 && c >= 'A' && c <= 'F')
			d = (unsigned int)(c - 'A' + 10);
		else
			return SCRIPT_NUM_BAD;
		if (v > (UINT64_MAX - d) / base)
			return SCRIPT_NUM_RANGE;
		v = v * base + d;
	}
	*out = v;
	return SCRIPT_NUM_OK;
}

int script_word_u64(struct script_parser *p, unsigned int i, const char *what, uint64_t *out)
{
	char q[SCRIPT_QUOTE_MAX + 4];

	switch (script_parse_u64(p->w[i].s, p->w[i].len, out)) {
	case SCRIPT_NUM_OK:
		return 0;
	case SCRIPT_NUM_RANGE:
		return script_fail_at(p, p->w[i].col, "%s '%s' does not fit in 64 bits", what,
				      script_quote(&p->w[i], q));
	case SCRIPT_NUM_BAD:
		break;
	}
	return script_fail_at(p, p->w[i].col, "%s '%s' is not a number (want decimal or 0x hex)",
			      what, script_quote(&p->w[i], q));
}

int script_word_addr(struct script_parser *p, unsigned int i, uint64_t *out)
{
	char q[SCRIPT_QUOTE_MAX + 4];

	switch (mmsim_parse_addr(p->w[i].s, p->w[i].len, out)) {
	case 0:
		return 0;
	case -ERANGE:
		return script_fail_at(p, p->w[i].col, "address '%s' does not fit in 64 bits",
				      script_quote(&p->w[i], q));
	}
	return script_fail_at(p, p->w[i].col,
			      "address '%s' is not hexadecimal (addresses are hex, with or "
			      "without 0x)",
			      script_quote(&p->w[i], q));
}

/* A size in pages: 1..SCRIPT_MAX_PAGES. */
int script_word_pages(struct script_parser *p, unsigned int i, uint64_t *out)
{
	int err = script_word_u64(p, i, "size", out);

	if (err)
		return err;
	if (*out == 0)
		return script_fail_at(p, p->w[i].col, "size 0: a region has at least 1 page");
	if (*out > SCRIPT_MAX_PAGES)
		return script_fail_at(
			p, p->w[i].col,
			"size %llu pages is larger than any address space (at most %llu)",
			(unsigned long long)*out, (unsigned long long)SCRIPT_MAX_PAGES);
	return 0;
}

int script_word_rights(struct script_parser *p, unsigned int i, int *prot)
{
	static const struct {
		const char *name;
		int prot;
	} rights[] = {
		{ "r", MMSIM_PROT_READ },
		{ "rw", MMSIM_PROT_READ | MMSIM_PROT_WRITE },
		{ "rx", MMSIM_PROT_READ | MMSIM_PROT_EXEC },
		{ "rwx", MMSIM_PROT_READ | MMSIM_PROT_WRITE | MMSIM_PROT_EXEC },
		{ "none", MMSIM_PROT_NONE },
	};

	for (size_t k = 0; k < ARRAY_SIZE(rights); k++) {
		if (script_is_word(&p->w[i], rights[k].name)) {
			*prot = rights[k].prot;
			return 0;
		}
	}
	return script_fail_word(p, i, "unknown right '%s' (want r|rw|rx|rwx|none)");
}

bool script_is_rights(const struct script_word *w)
{
	return script_is_word(w, "r") || script_is_word(w, "rw") || script_is_word(w, "rx") ||
	       script_is_word(w, "rwx") || script_is_word(w, "none");
}

/* ---- the namespace: processes and regions ------------------------------------------------ */

struct script_proc *script_find_proc(struct script_parser *p, const struct script_word *w,
				     unsigned int *idx)
{
	for (unsigned int k = 0; k < p->s->nr_procs; k++) {
		const char *name = p->s->procs[k].name;

		if (strlen(name) == w->len && !memcmp(name, w->s, w->len)) {
			*idx = k;
			return &p->s->procs[k];
		}
	}
	return NULL;
}

bool script_find_region(const struct script_proc *pr, const struct script_word *w,
			unsigned int *idx)
{
	for (unsigned int k = 0; k < pr->nr_regions; k++) {
		const char *name = pr->regions[k].name;

		if (strlen(name) == w->len && !memcmp(name, w->s, w->len)) {
			*idx = k;
			return true;
		}
	}
	return false;
}

static bool reserved_proc_name(const struct script_word *w)
{
	return script_is_word(w, "config") || script_is_word(w, "spawn") ||
	       script_is_word(w, "expect") || script_is_word(w, "show") ||
	       script_is_word(w, "sys") || script_is_word(w, "file") ||
	       script_is_word(w, "dropcache") || script_is_word(w, "cache") ||
	       script_is_word(w, "lib") || script_is_word(w, "switch");
}

/* Word i names a new process: well formed, not a keyword, not taken. */
int script_check_new_proc(struct script_parser *p, unsigned int i)
{
	const struct script_word *w = &p->w[i];
	const struct script_proc *old;
	unsigned int k;

	if (!script_valid_name(w))
		return script_fail_word(p, i,
					"bad process name '%s' (want a letter or _, then letters, "
					"digits or _; at most 32)");
	if (reserved_proc_name(w))
		return script_fail_word(p, i, "'%s' is a keyword and cannot name a process");
	old = script_find_proc(p, w, &k);
	if (old)
		return script_fail_at(p, w->col, "process '%s' already exists (line %lu)",
				      old->name, old->line);
	return 0;
}

/* Appends a process; its name is word i, already checked. */
int script_add_proc(struct script_parser *p, unsigned int i, unsigned int *idx)
{
	struct script *s = p->s;
	struct script_proc *pr;

	if (s->nr_procs == s->cap_procs) {
		unsigned int cap = s->cap_procs ? 2 * s->cap_procs : 8;
		struct script_proc *n = realloc(s->procs, cap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		s->procs = n;
		s->cap_procs = cap;
	}
	pr = &s->procs[s->nr_procs];
	memset(pr, 0, sizeof(*pr));
	pr->name = script_strndup(s, p->w[i].s, p->w[i].len);
	if (!pr->name)
		return -ENOMEM;
	pr->line = p->line;
	*idx = s->nr_procs++;
	return 0;
}

int script_add_region(struct script_parser *p, struct script_proc *pr, const char *name,
		      uint64_t pages, unsigned long line, unsigned int *idx)
{
	if (p->nr_region_slots >= SCRIPT_MAX_REGION_SLOTS)
		return script_fail_at(
			p, p->w[0].col,
			"too many regions: at most %u over all processes (a fork copies its "
			"parent's)",
			SCRIPT_MAX_REGION_SLOTS);
	if (pr->nr_regions == pr->cap_regions) {
		unsigned int cap = pr->cap_regions ? 2 * pr->cap_regions : 4;
		struct script_region *n = realloc(pr->regions, cap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		pr->regions = n;
		pr->cap_regions = cap;
	}
	pr->regions[pr->nr_regions] =
		(struct script_region){ .name = name, .nr_pages = pages, .line = line };
	*idx = pr->nr_regions++;
	p->nr_region_slots++;
	return 0;
}

/* Word i names a live process; *idx gets its index. */
int script_word_live_proc(struct script_parser *p, unsigned int i, unsigned int *idx)
{
	const struct script_proc *pr = script_find_proc(p, &p->w[i], idx);

	if (!pr)
		return script_fail_word(p, i, "unknown process '%s' (no spawn or fork created it)");
	if (pr->exit_line)
		return script_fail_at(p, p->w[i].col, "process '%s' exited at line %lu", pr->name,
				      pr->exit_line);
	return 0;
}

int script_word_region(struct script_parser *p, unsigned int i, const struct script_proc *pr,
		       unsigned int *idx)
{
	char q[SCRIPT_QUOTE_MAX + 4];

	if (script_find_region(pr, &p->w[i], idx))
		return 0;
	return script_fail_at(p, p->w[i].col, "unknown region '%s' in process '%s' (map it first)",
			      script_quote(&p->w[i], q), pr->name);
}

/* Word i is PAGE or FIRST-LAST inside region r of pr. */
int script_word_range(struct script_parser *p, unsigned int i, const struct script_proc *pr,
		      unsigned int r, struct script_range *out)
{
	const struct script_word *w = &p->w[i];
	const struct script_region *reg = &pr->regions[r];
	const char *dash = memchr(w->s, '-', w->len);
	char q[SCRIPT_QUOTE_MAX + 4];
	uint64_t first, last;
	enum script_num a, b;

	if (dash) {
		a = script_parse_u64(w->s, (size_t)(dash - w->s), &first);
		b = script_parse_u64(dash + 1, w->len - (size_t)(dash - w->s) - 1, &last);
	} else {
		a = b = script_parse_u64(w->s, w->len, &first);
		last = first;
	}
	if (a == SCRIPT_NUM_BAD || b == SCRIPT_NUM_BAD)
		return script_fail_word(p, i, "bad page range '%s' (want PAGE or FIRST-LAST)");
	if (a == SCRIPT_NUM_RANGE || b == SCRIPT_NUM_RANGE)
		return script_fail_word(p, i, "page range '%s' does not fit in 64 bits");
	if (first > last)
		return script_fail_word(p, i,
					"reversed page range '%s' (FIRST must not exceed LAST)");
	if (reg->nr_pages == 0)
		return script_fail_at(p, w->col,
				      "region %s of process '%s' is empty (grow it with "
				      "'%s brk +PAGES' first)",
				      reg->name, pr->name, pr->name);
	if (last >= reg->nr_pages)
		return script_fail_at(p, w->col,
				      "page range '%s' is outside region %s of process '%s' "
				      "(pages 0-%llu)",
				      script_quote(w, q), reg->name, pr->name,
				      (unsigned long long)(reg->nr_pages - 1));
	*out = (struct script_range){ .region = r, .first = first, .last = last };
	return 0;
}

struct script_cmd *script_new_cmd(struct script_parser *p, enum script_op op)
{
	struct script *s = p->s;
	struct script_cmd *c;

	if (s->nr_cmds == s->cap_cmds) {
		size_t cap = s->cap_cmds ? 2 * s->cap_cmds : 32;
		struct script_cmd *n = realloc(s->cmds, cap * sizeof(*n));

		if (!n)
			return NULL;
		s->cmds = n;
		s->cap_cmds = cap;
	}
	c = &s->cmds[s->nr_cmds];
	memset(c, 0, sizeof(*c));
	c->text = script_strndup(s, p->text, p->text_len);
	if (!c->text)
		return NULL;
	c->op = op;
	c->line = p->line;
	s->nr_cmds++;
	return c;
}

/* ---- lines ------------------------------------------------------------------------------- */

/* Cuts the line into words; a byte that cannot be in a script is an error. */
static int split_line(struct script_parser *p, const char *line, size_t len)
{
	size_t i = 0;

	p->nr = 0;
	p->text = NULL;
	p->text_len = 0;
	p->end_col = 1;
	while (i < len && line[i] != '#') {
		unsigned char c = (unsigned char)line[i];
		size_t start;

		if (c == ' ' || c == '\t' || c == '\r') {
			i++;
			continue;
		}
		if (c < 0x21 || c > 0x7e)
			return script_fail_at(
				p, i + 1,
				"unexpected byte 0x%02x (outside comments a script is "
				"printable ASCII)",
				c);
		start = i;
		while (i < len && line[i] > 0x20 && line[i] < 0x7f && line[i] != '#')
			i++;
		if (p->nr == SCRIPT_MAX_WORDS)
			return script_fail_at(p, start + 1,
					      "too many words on one line (at most %d)",
					      SCRIPT_MAX_WORDS);
		p->w[p->nr++] = (struct script_word){ .s = line + start,
						      .len = i - start,
						      .col = start + 1 };
		if (!p->text)
			p->text = line + start;
		p->text_len = (size_t)(line + i - p->text);
		p->end_col = i + 1;
	}
	return 0;
}

void script_destroy(struct script *s)
{
	struct script_arena_chunk *c, *next;

	if (!s)
		return;
	for (unsigned int i = 0; i < s->nr_procs; i++)
		free(s->procs[i].regions);
	free(s->procs);
	free(s->files);
	free(s->cmds);
	free(s->configs);
	for (c = s->arena; c; c = next) {
		next = c->next;
		free(c);
	}
	free(s->name);
	free(s);
}

int script_parse(const char *text, size_t len, const char *name, script_config_check_fn check,
		 void *check_ctx, struct script **out, struct mmsim_error *err)
{
	struct script_parser p = { .check = check, .check_ctx = check_ctx, .err = err };
	const char *pos = text, *end = text + len;
	int rc = 0;

	if (len > SCRIPT_TEXT_MAX)
		return mmsim_error_set(err, -EFBIG, "%s: script larger than %zu bytes", name,
				       SCRIPT_TEXT_MAX);
	p.s = calloc(1, sizeof(*p.s));
	if (!p.s || !(p.s->name = strdup(name)))
		goto out_nomem;
	while (pos < end) {
		const char *nl = memchr(pos, '\n', (size_t)(end - pos));
		size_t line_len = nl ? (size_t)(nl - pos) : (size_t)(end - pos);

		p.line++;
		rc = split_line(&p, pos, line_len);
		if (!rc)
			rc = script_parse_line(&p);
		if (rc == -ENOMEM)
			goto out_nomem;
		if (rc)
			goto out_destroy;
		pos += line_len + (nl ? 1 : 0);
	}
	*out = p.s;
	return 0;

out_nomem:
	rc = mmsim_error_set(err, -ENOMEM, "%s: out of memory while parsing", name);
out_destroy:
	script_destroy(p.s);
	return rc;
}

static int read_all(int fd, const char *path, char **buf_out, size_t *len_out,
		    struct mmsim_error *err)
{
	size_t len = 0, cap = 0;
	char *buf = NULL;

	for (;;) {
		ssize_t n;

		if (cap - len < 4096) {
			size_t ncap = cap ? 2 * cap : 65536;
			char *nbuf;

			if (cap > SCRIPT_TEXT_MAX) {
				free(buf);
				return mmsim_error_set(err, -EFBIG,
						       "%s: script larger than %zu bytes", path,
						       SCRIPT_TEXT_MAX);
			}
			nbuf = realloc(buf, ncap);
			if (!nbuf) {
				free(buf);
				return mmsim_error_set(err, -ENOMEM, "%s: out of memory", path);
			}
			buf = nbuf;
			cap = ncap;
		}
		n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;

			free(buf);
			return mmsim_error_set(err, -e, "%s: %s", path, strerror(e));
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	*buf_out = buf;
	*len_out = len;
	return 0;
}

int script_parse_file(const char *path, script_config_check_fn check, void *check_ctx,
		      struct script **out, struct mmsim_error *err)
{
	bool is_stdin = !strcmp(path, "-");
	const char *name = is_stdin ? "<stdin>" : path;
	char *buf = NULL;
	size_t len = 0;
	int fd, rc;

	fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return mmsim_error_set(err, -errno, "%s: %s", path, strerror(errno));
	rc = read_all(fd, name, &buf, &len, err);
	if (!is_stdin)
		close(fd);
	if (rc)
		return rc;
	rc = script_parse(buf, len, name, check, check_ctx, out, err);
	free(buf);
	return rc;
}
