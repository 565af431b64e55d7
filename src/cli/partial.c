/*
 * cli/partial.c: slices of a sharded run and the partial results they write (partial.h;
 * the format is described there and in docs/cluster.md).
 */
#include "partial.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

#define MAX_SHARDS 100000u
#define MAX_LINE (1u << 20)

int cli_shard_parse(const char *cmd, const char *arg, struct cli_shard *out)
{
	const char *slash = strchr(arg, '/');
	char k[32];
	uint64_t kv, nv;

	if (!slash || (size_t)(slash - arg) >= sizeof(k))
		goto bad;
	snprintf(k, sizeof(k), "%.*s", (int)(slash - arg), arg);
	if (cli_parse_count(k, &kv) || cli_parse_count(slash + 1, &nv))
		goto bad;
	if (nv < 1 || nv > MAX_SHARDS || kv < 1 || kv > nv)
		goto bad;
	out->k = (unsigned int)kv;
	out->n = (unsigned int)nv;
	return 0;
bad:
	return cli_usage_error(cmd, "--shard takes K/N with 1 <= K <= N <= %u, not '%s'",
			       MAX_SHARDS, arg);
}

bool cli_shard_has(const struct cli_shard *s, size_t cell)
{
	return !s->n || cell % s->n == s->k - 1;
}

/* FNV-1a, 64 bits: offset basis and prime from the FNV reference (Fowler, Noll, Vo). */
#define FNV_BASIS UINT64_C(0xcbf29ce484222325)

static uint64_t fnv1a(uint64_t h, const void *buf, size_t n)
{
	const unsigned char *b = buf;

	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * UINT64_C(0x100000001b3);
	return h;
}

int cli_trace_hash(const char *path, char *out, size_t size, char *msg, size_t msg_size)
{
	uint64_t h = FNV_BASIS;
	unsigned char *buf = malloc(1 << 16);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (!buf || fd < 0) {
		int e = buf ? errno : ENOMEM;

		snprintf(msg, msg_size, "%s: %s", path, strerror(e));
		free(buf);
		if (fd >= 0)
			close(fd);
		return -e;
	}
	while ((n = read(fd, buf, 1 << 16)) > 0)
		h = fnv1a(h, buf, (size_t)n);
	if (n < 0) {
		int e = errno;

		snprintf(msg, msg_size, "%s: %s", path, strerror(e));
		free(buf);
		close(fd);
		return -e;
	}
	free(buf);
	close(fd);
	snprintf(out, size, "fnv1a64:%016" PRIx64, h);
	return 0;
}

static bool one_line(const char *s)
{
	return !s || !strpbrk(s, "\n\r");
}

int cli_partial_text_ok(const char *cmd, const char *trace, const struct cli_trace_input *in,
			const struct cli_settings *settings)
{
	if (!one_line(trace))
		return cli_usage_error(cmd, "--shard: the trace name has a line break, which a "
					    "partial result cannot hold: rename or link the file");
	if (!one_line(in->params))
		return cli_usage_error(cmd, "--shard: -t has a line break, which a partial "
					    "result cannot hold");
	for (unsigned int i = 0; i < settings->nr; i++) {
		if (!one_line(settings->s[i].value))
			return cli_usage_error(cmd,
					       "--shard: the value of %s has a line break, "
					       "which a partial result cannot hold",
					       settings->s[i].key);
	}
	return 0;
}

int cli_partial_write_head(FILE *f, const char *command, const char *trace, const char *hash,
			   const struct cli_shard *s)
{
	/* The version that wrote the part is a setting like the others: merge refuses parts
	 * of two versions, whose models may differ. */
	return fprintf(f,
		       "mmsim-partial 2\ncommand %s\ntrace %s\ntrace_hash %s\nshard %u/%u\n"
		       "mmsim_version %s\n",
		       command, trace, hash, s->k, s->n, MMSIM_VERSION) < 0
		       ? -EIO
		       : 0;
}

FILE *cli_partial_body(struct cli_partial_out *o)
{
	o->buf = NULL;
	o->len = 0;
	o->f = open_memstream(&o->buf, &o->len);
	return o->f;
}

int cli_partial_finish(struct cli_partial_out *o, FILE *f)
{
	bool bad = ferror(o->f) != 0;

	bad |= fclose(o->f) != 0;
	if (!bad) {
		bad = fwrite(o->buf, 1, o->len, f) != o->len;
		bad |= fprintf(f, "sum fnv1a64:%016" PRIx64 "\nend\n",
			       fnv1a(FNV_BASIS, o->buf, o->len)) < 0;
	}
	free(o->buf);
	o->buf = NULL;
	return bad ? -EIO : 0;
}

/* ---- Reading --------------------------------------------------------------------------- */

static int grow(void **v, size_t n, size_t each)
{
	/* Doubling at powers of two. */
	if (n & (n - 1))
		return 0;
	void *nv = realloc(*v, (n ? 2 * n : 1) * each);

	if (!nv)
		return -ENOMEM;
	*v = nv;
	return 0;
}

static int add_key(struct cli_partial *p, const char *key, const char *value)
{
	char *k, *v;

	if (grow((void **)&p->keys, p->nr_keys, sizeof(char *)) ||
	    grow((void **)&p->values, p->nr_keys, sizeof(char *)))
		return -ENOMEM;
	k = strdup(key);
	v = strdup(value);
	if (!k || !v) {
		free(k);
		free(v);
		return -ENOMEM;
	}
	p->keys[p->nr_keys] = k;
	p->values[p->nr_keys++] = v;
	return 0;
}

static int add_row(struct cli_partial *p, uint64_t cell, const char *fields)
{
	char *f;

	if (grow((void **)&p->cell, p->nr_rows, sizeof(uint64_t)) ||
	    grow((void **)&p->fields, p->nr_rows, sizeof(char *)))
		return -ENOMEM;
	f = strdup(fields);
	if (!f)
		return -ENOMEM;
	p->cell[p->nr_rows] = cell;
	p->fields[p->nr_rows++] = f;
	return 0;
}

/* One line of a part (without its newline). 0, or -EINVAL/-ENOMEM with why set. */
static int parse_line(struct cli_partial *p, unsigned int lineno, char *line, bool *ended,
		      const char **why)
{
	char *sp = strchr(line, ' ');
	const char *key = line, *value = sp ? sp + 1 : "";
	uint64_t cell;

	if (sp)
		*sp = '\0';
	if (*ended)
		return *why = "text after the end line", -EINVAL;
	if (lineno == 1 && !strcmp(key, "mmsim-partial") && !strcmp(value, "1"))
		return *why = "a part of format 1, by an older mmsim (no sum line): run its "
			      "shard again",
		       -EINVAL;
	if (lineno == 1)
		return strcmp(key, "mmsim-partial") || strcmp(value, "2")
			       ? (*why = "not a partial result of mmsim sweep or mrc --shard",
				  -EINVAL)
			       : 0;
	if (!strcmp(key, "end")) {
		*ended = true;
		return 0;
	}
	if (p->sum)
		return *why = "text after the sum line", -EINVAL;
	if (!strcmp(key, "sum")) {
		p->sum = strdup(value);
		return p->sum ? 0 : -ENOMEM;
	}
	if (!strcmp(key, "row")) {
		char num[32];
		size_t len = strcspn(value, " ");

		if (!p->shard.n)
			return *why = "a row before the shard line", -EINVAL;
		snprintf(num, sizeof(num), "%.*s", (int)(len < 31 ? len : 31), value);
		if (len >= 31 || cli_parse_count(num, &cell))
			return *why = "a row without a cell number", -EINVAL;
		return add_row(p, cell, value[len] ? value + len + 1 : "");
	}
	if (!sp || !*value)
		return *why = "want KEY VALUE", -EINVAL;
	if (!strcmp(key, "command")) {
		if (strcmp(value, "sweep") && strcmp(value, "mrc"))
			return *why = "command is not sweep or mrc", -EINVAL;
		p->command = strdup(value);
		return p->command ? 0 : -ENOMEM;
	}
	if (!strcmp(key, "trace")) {
		p->trace = strdup(value);
		return p->trace ? 0 : -ENOMEM;
	}
	if (!strcmp(key, "trace_hash")) {
		p->hash = strdup(value);
		return p->hash ? 0 : -ENOMEM;
	}
	if (!strcmp(key, "shard")) {
		struct cli_shard s;
		unsigned int k, n;
		char tail;

		if (sscanf(value, "%u/%u%c", &k, &n, &tail) != 2 || !k || k > n || n > MAX_SHARDS)
			return *why = "shard is not K/N", -EINVAL;
		s.k = k;
		s.n = n;
		p->shard = s;
		return 0;
	}
	return add_key(p, key, value);
}

int cli_partial_load(const char *path, struct cli_partial *p, char *msg, size_t msg_size)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	unsigned int lineno = 0;
	bool ended = false;
	const char *why = NULL;
	int rc = 0;

	memset(p, 0, sizeof(*p));
	p->path = path;
	p->body_hash = FNV_BASIS;
	if (!f) {
		snprintf(msg, msg_size, "%s: %s", path, strerror(errno));
		return -errno;
	}
	while (!rc && (len = getline(&line, &cap, f)) >= 0) {
		lineno++;
		if (len > (ssize_t)MAX_LINE) {
			why = "line too long";
			rc = -EINVAL;
			break;
		}
		/* The sum line covers every byte before it. */
		if (!p->sum && strncmp(line, "sum ", 4))
			p->body_hash = fnv1a(p->body_hash, line, (size_t)len);
		if (len && line[len - 1] == '\n')
			line[--len] = '\0';
		if (strlen(line) != (size_t)len) {
			why = "a NUL byte";
			rc = -EINVAL;
			break;
		}
		rc = parse_line(p, lineno, line, &ended, &why);
	}
	free(line);
	fclose(f);
	if (rc == -ENOMEM) {
		snprintf(msg, msg_size, "%s: out of host memory", path);
		return rc;
	}
	if (rc) {
		snprintf(msg, msg_size, "%s:%u: %s", path, lineno, why);
		return rc;
	}
	if (!lineno)
		why = "empty: not a partial result of mmsim sweep or mrc --shard";
	else if (!p->command || !p->trace || !p->hash || !p->shard.n)
		why = "the command, trace, trace_hash or shard line is missing";
	else if (!ended)
		why = "no end line: the part is truncated";
	if (why) {
		snprintf(msg, msg_size, "%s: %s", path, why);
		return -EINVAL;
	}
	return 0;
}

void cli_partial_free(struct cli_partial *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->nr_keys; i++) {
		free(p->keys[i]);
		free(p->values[i]);
	}
	for (size_t i = 0; i < p->nr_rows; i++)
		free(p->fields[i]);
	free(p->keys);
	free(p->values);
	free(p->cell);
	free(p->fields);
	free(p->command);
	free(p->trace);
	free(p->hash);
	free(p->sum);
	memset(p, 0, sizeof(*p));
}

const char *cli_partial_get(const struct cli_partial *p, const char *key)
{
	for (size_t i = 0; i < p->nr_keys; i++) {
		if (!strcmp(p->keys[i], key))
			return p->values[i];
	}
	return NULL;
}

int cli_partial_u64(const struct cli_partial *p, const char *key, uint64_t *v, char *msg,
		    size_t msg_size)
{
	const char *s = cli_partial_get(p, key);

	if (!s || cli_parse_count(s, v)) {
		snprintf(msg, msg_size, "%s: %s is %s", p->path, key,
			 s ? "not a number" : "missing");
		return -EINVAL;
	}
	return 0;
}

/* ---- Fitting the parts together -------------------------------------------------------- */

/* Whether a and b have the same settings; the first key that differs in *key. */
static bool same_settings(const struct cli_partial *a, const struct cli_partial *b,
			  const char **key)
{
	for (size_t i = 0; i < a->nr_keys; i++) {
		const char *v = cli_partial_get(b, a->keys[i]);

		if (!v || strcmp(v, a->values[i])) {
			*key = a->keys[i];
			return false;
		}
	}
	for (size_t i = 0; i < b->nr_keys; i++) {
		if (!cli_partial_get(a, b->keys[i])) {
			*key = b->keys[i];
			return false;
		}
	}
	return true;
}

static int check_slices(const struct cli_partial *parts, size_t nr, char *msg, size_t msg_size)
{
	unsigned int n = parts[0].shard.n;
	size_t *owner = malloc(n * sizeof(*owner));
	int rc = 0;

	if (!owner) {
		snprintf(msg, msg_size, "out of host memory");
		return -ENOMEM;
	}
	for (unsigned int k = 0; k < n; k++)
		owner[k] = SIZE_MAX;
	for (size_t i = 0; i < nr && !rc; i++) {
		unsigned int k = parts[i].shard.k - 1;

		if (owner[k] != SIZE_MAX) {
			snprintf(msg, msg_size, "%s: slice %u/%u repeated (%s has it too)",
				 parts[i].path, k + 1, n, parts[owner[k]].path);
			rc = -EINVAL;
		}
		owner[k] = i;
	}
	for (unsigned int k = 0; k < n && !rc; k++) {
		if (owner[k] == SIZE_MAX) {
			snprintf(msg, msg_size,
				 "slice %u/%u is missing (%zu of %u parts given, the first %s)",
				 k + 1, n, nr, n, parts[0].path);
			rc = -EINVAL;
		}
	}
	free(owner);
	return rc;
}

int cli_partial_check(const struct cli_partial *parts, size_t nr, uint64_t nr_cells, char *msg,
		      size_t msg_size)
{
	const struct cli_partial *a = &parts[0];
	const char *key;

	for (size_t i = 1; i < nr; i++) {
		const struct cli_partial *b = &parts[i];

		if (strcmp(a->command, b->command)) {
			snprintf(msg, msg_size, "%s: a part of mmsim %s, %s is of mmsim %s",
				 b->path, b->command, a->path, a->command);
			return -EINVAL;
		}
		if (strcmp(a->hash, b->hash)) {
			snprintf(msg, msg_size,
				 "%s: another trace (%s %s, %s %s has %s): parts of one run "
				 "read the same bytes",
				 b->path, b->trace, b->hash, a->path, a->trace, a->hash);
			return -EINVAL;
		}
		if (a->shard.n != b->shard.n) {
			snprintf(msg, msg_size, "%s: slice %u/%u, but %s is slice %u/%u", b->path,
				 b->shard.k, b->shard.n, a->path, a->shard.k, a->shard.n);
			return -EINVAL;
		}
		if (!same_settings(a, b, &key)) {
			snprintf(msg, msg_size, "%s: its %s (%s) differs from %s's (%s)", b->path,
				 key, cli_partial_get(b, key) ? cli_partial_get(b, key) : "none",
				 a->path,
				 cli_partial_get(a, key) ? cli_partial_get(a, key) : "none");
			return -EINVAL;
		}
	}
	if (check_slices(parts, nr, msg, msg_size))
		return -EINVAL;
	for (size_t i = 0; i < nr; i++) {
		uint64_t k = parts[i].shard.k, n = parts[i].shard.n, want;

		for (size_t r = 0; r < parts[i].nr_rows; r++) {
			uint64_t c = parts[i].cell[r];

			if (c >= nr_cells || !cli_shard_has(&parts[i].shard, c) ||
			    (r && c <= parts[i].cell[r - 1])) {
				snprintf(msg, msg_size,
					 "%s: row %zu: cell %" PRIu64
					 " is not the next cell of slice %u/%u of %" PRIu64,
					 parts[i].path, r + 1, c, parts[i].shard.k,
					 parts[i].shard.n, nr_cells);
				return -EINVAL;
			}
		}
		/* The cells c < nr_cells with c mod N = K - 1. */
		want = k - 1 < nr_cells ? (nr_cells - k) / n + 1 : 0;
		if (parts[i].nr_rows != want) {
			snprintf(msg, msg_size,
				 "%s: %zu rows, but slice %" PRIu64 "/%" PRIu64 " of %" PRIu64
				 " cells has %" PRIu64,
				 parts[i].path, parts[i].nr_rows, k, n, nr_cells, want);
			return -EINVAL;
		}
	}
	return 0;
}

int cli_partial_fields(const char *fields, const char *want, uint64_t *u, double *d)
{
	const char *s = fields;

	for (size_t i = 0; want[i]; i++) {
		char *end;

		if (*s == ' ' || !*s)
			return -EINVAL;
		if (want[i] == 'u') {
			errno = 0;
			if (*s < '0' || *s > '9')
				return -EINVAL;
			u[i] = strtoull(s, &end, 10);
			if (errno)
				return -EINVAL;
		} else {
			d[i] = strtod(s, &end);
		}
		if (end == s || (*end && *end != ' '))
			return -EINVAL;
		s = *end ? end + 1 : end;
	}
	return *s ? -EINVAL : 0;
}

int cli_partial_verify(const struct cli_partial *parts, size_t nr, char *msg, size_t msg_size)
{
	for (size_t i = 0; i < nr; i++) {
		char have[32];

		snprintf(have, sizeof(have), "fnv1a64:%016" PRIx64, parts[i].body_hash);
		if (!parts[i].sum) {
			snprintf(msg, msg_size,
				 "%s: no sum line: cut short or not written by mmsim",
				 parts[i].path);
			return -EINVAL;
		}
		if (strcmp(parts[i].sum, have)) {
			snprintf(msg, msg_size,
				 "%s: its sum line says %s, but the lines before it hash to %s: "
				 "the part was changed after mmsim wrote it (run its shard again)",
				 parts[i].path, parts[i].sum, have);
			return -EINVAL;
		}
	}
	return 0;
}
