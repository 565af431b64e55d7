/*
 * trace/trace_csv.c: reading CSV request traces with libCacheSim's conventions.
 */
#include "trace/trace_csv.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mmsim/error.h"
#include "trace/trace_source.h"
#include "util/macros.h"

#define PAGE_SHIFT 12

/* One field of a line: where its text starts in the line (for messages) and its value with
 * quotes removed. */
struct csv_field {
	size_t col; /* 1-based column of its first byte */
	size_t len;
	char text[TRACE_TEXT_LINE_MAX + 1];
};

void trace_csv_reader_start(struct trace_csv_reader *cr)
{
	trace_oracle_map_fini(&cr->map);
	cr->text.line = 0;
	cr->delim = 0;
	cr->nr_fields = 0;
	cr->id_field = 0;
	cr->ids_numeric = cr->params.obj_id_is_num;
	cr->first_record_line = 0;
}

void trace_csv_params_init(struct trace_csv_params *p)
{
	*p = (struct trace_csv_params){ .has_header = -1, .obj_id_is_num = -1 };
}

/* libCacheSim's is_true(): true 1 yes y, false 0 no n, any case. */
static int parse_bool(const char *v)
{
	static const char *const yes[] = { "true", "1", "yes", "y" };
	static const char *const no[] = { "false", "0", "no", "n" };

	for (unsigned int i = 0; i < 4; i++) {
		if (!strcasecmp(v, yes[i]))
			return 1;
		if (!strcasecmp(v, no[i]))
			return 0;
	}
	return -1;
}

static int parse_col(const char *v, unsigned int *col)
{
	char *end;
	unsigned long n = strtoul(v, &end, 10);

	if (!isdigit((unsigned char)*v) || *end || n < 1 || n > TRACE_CSV_MAX_FIELDS)
		return -1;
	*col = (unsigned int)n;
	return 0;
}

static void trim(char *s)
{
	size_t n = strlen(s), i = 0;

	while (n && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
	while (isspace((unsigned char)s[i]))
		i++;
	memmove(s, s + i, n - i + 1);
}

/* One KEY=VALUE into p. */
static int set_param(struct trace_csv_params *p, char *key, char *v, struct mmsim_error *err)
{
	static const char *const unused[] = { "time-col",	  "time-field", "obj-size-col",
					      "obj-size-field",	  "size-col",	"size-field",
					      "cnt-col",	  "cnt-field",	"next-access-col",
					      "next-access-field" };
	unsigned int col;
	int b;

	for (char *c = key; *c; c++)
		if (*c == '_')
			*c = '-';
	if (!strcasecmp(key, "obj-id-col") || !strcasecmp(key, "obj-id-field")) {
		if (parse_col(v, &p->obj_id_col))
			goto bad_col;
		return 0;
	}
	for (unsigned int i = 0; i < sizeof(unused) / sizeof(unused[0]); i++) {
		if (!strcasecmp(key, unused[i])) {
			if (parse_col(v, &col))
				goto bad_col;
			return 0; /* mmsim: pages have no time, size or count */
		}
	}
	if (!strcasecmp(key, "block-size")) {
		if (parse_col(v, &col) && strcmp(v, "0"))
			return mmsim_error_set(err, -EINVAL,
					       "trace parameters: %s=%s: not a number", key, v);
		return 0;
	}
	if (!strcasecmp(key, "has-header") || !strcasecmp(key, "header") ||
	    !strcasecmp(key, "obj-id-is-num")) {
		b = parse_bool(v);
		if (b < 0)
			return mmsim_error_set(err, -EINVAL,
					       "trace parameters: %s=%s: want true or false (1/0, "
					       "yes/no, y/n)",
					       key, v);
		if (!strcasecmp(key, "obj-id-is-num"))
			p->obj_id_is_num = b;
		else
			p->has_header = b;
		return 0;
	}
	if (!strcasecmp(key, "delimiter")) {
		/* "delimiter=,," leaves an empty value: a comma, as libCacheSim reads it. */
		if (!v[0] || !strcmp(v, "\\"))
			p->delim = ',';
		else if (!strcmp(v, "\\t"))
			p->delim = '\t';
		else if (!v[1] && v[0] != '"' && v[0] != '\\')
			p->delim = v[0];
		else
			return mmsim_error_set(err, -EINVAL,
					       "trace parameters: delimiter=%s: want one character "
					       "or \\t",
					       v);
		return 0;
	}
	return mmsim_error_set(err, -EINVAL,
			       "trace parameters: unknown key '%s' (CSV takes obj-id-col, "
			       "delimiter, has-header, obj-id-is-num; time-col, obj-size-col, "
			       "cnt-col, next-access-col, block-size are accepted and not used)",
			       key);
bad_col:
	return mmsim_error_set(err, -EINVAL,
			       "trace parameters: %s=%s: not a column number (1 to %d; columns "
			       "count from 1)",
			       key, v, TRACE_CSV_MAX_FIELDS);
}

int trace_csv_parse_params(const char *text, struct trace_csv_params *p, struct mmsim_error *err)
{
	char buf[1024], *s = buf;

	if (strlen(text) >= sizeof(buf))
		return mmsim_error_set(err, -EINVAL, "trace parameters: longer than %zu bytes",
				       sizeof(buf) - 1);
	strcpy(buf, text);
	while (*s) {
		char *key = s, *eq = strchr(s, '='), *v, *comma;
		int ret;

		if (!eq) {
			trim(key);
			if (!*key)
				break;
			return mmsim_error_set(err, -EINVAL,
					       "trace parameters: '%s' has no '=' (want KEY=VALUE, "
					       "separated by commas)",
					       key);
		}
		*eq = '\0';
		v = eq + 1;
		comma = strchr(v, ',');
		s = comma ? comma + 1 : v + strlen(v);
		if (comma)
			*comma = '\0';
		/* As libCacheSim: blanks and commas after a value are skipped. */
		while (*s == ' ' || *s == ',')
			s++;
		trim(key);
		trim(v);
		ret = set_param(p, key, v, err);
		if (ret)
			return ret;
	}
	return 0;
}

void trace_csv_reader_fini(struct trace_csv_reader *cr)
{
	trace_oracle_map_fini(&cr->map);
}

char trace_csv_guess_delimiter(const uint8_t *p, size_t len)
{
	/* libCacheSim's csv_detect_delimiter(): counts weighted by how common each is. */
	static const char delims[] = { '\t', ',', '|', ':' };
	size_t best = 0;
	char delim = 0;

	for (unsigned int d = 0; d < sizeof(delims); d++) {
		size_t n = 0;

		for (size_t i = 0; i < len; i++)
			n += p[i] == (uint8_t)delims[d];
		n *= 4 - d;
		if (n > best) {
			best = n;
			delim = delims[d];
		}
	}
	return delim;
}

bool trace_csv_guess_header(const uint8_t *p, size_t len)
{
	/* libCacheSim's csv_detect_header(): a header unless digits outnumber letters. */
	size_t digits = 0, letters = 0;

	for (size_t i = 0; i < len; i++) {
		digits += isdigit(p[i]) != 0;
		letters += isalpha(p[i]) != 0;
	}
	return digits <= letters;
}

/* Splits a line into fields (at most TRACE_CSV_MAX_FIELDS). 0 or an error naming the column. */
static int split(struct trace_csv_reader *cr, const struct trace_source *src, const uint8_t *p,
		 size_t len, struct csv_field *f, unsigned int *nr, struct mmsim_error *err)
{
	size_t i = 0;

	*nr = 0;
	for (;;) {
		struct csv_field *cur = &f[*nr];

		if (*nr == TRACE_CSV_MAX_FIELDS)
			return trace_text_error(&cr->text, src, i + 1, err,
						"more than %d fields in a line",
						TRACE_CSV_MAX_FIELDS);
		cur->col = i + 1;
		cur->len = 0;
		if (i < len && p[i] == '"') {
			/* RFC 4180: quoted, "" is one quote, the closing quote ends the field. */
			for (i++;; i++) {
				if (i == len)
					return trace_text_error(&cr->text, src, cur->col, err,
								"unterminated quoted field");
				if (p[i] == '"') {
					if (i + 1 < len && p[i + 1] == '"')
						i++;
					else
						break;
				}
				cur->text[cur->len++] = (char)p[i];
			}
			i++;
			if (i < len && p[i] != (uint8_t)cr->delim)
				return trace_text_error(&cr->text, src, i + 1, err,
							"text after a closing quote");
		} else {
			while (i < len && p[i] != (uint8_t)cr->delim)
				cur->text[cur->len++] = (char)p[i++];
		}
		cur->text[cur->len] = '\0';
		(*nr)++;
		if (i == len)
			return 0;
		i++; /* the delimiter */
	}
}

static bool is_id_name(const char *name)
{
	static const char *const names[] = { "obj_id", "obj-id", "objid", "id",
					     "object", "obj",	 "key" };
	size_t len = strlen(name);

	while (len && name[len - 1] == ' ')
		len--;
	while (*name == ' ')
		name++, len--;
	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (strlen(names[i]) == len && !strncasecmp(name, names[i], len))
			return true;
	return false;
}

/* The first line: delimiter, header, the id column. 1 when the line was a header. */
static int first_line(struct trace_csv_reader *cr, const struct trace_source *src, const uint8_t *p,
		      size_t len, struct csv_field *f, struct mmsim_error *err)
{
	unsigned int nr;
	int ret;

	const struct trace_csv_params *pa = &cr->params;
	bool is_header;

	cr->delim = pa->delim ? pa->delim : trace_csv_guess_delimiter(p, len);
	if (!cr->delim)
		cr->delim = ','; /* one column: no delimiter appears */
	ret = split(cr, src, p, len, f, &nr, err);
	if (ret)
		return ret;
	cr->nr_fields = nr;
	is_header = pa->has_header >= 0 ? pa->has_header == 1 : trace_csv_guess_header(p, len);
	if (pa->obj_id_col) {
		if (pa->obj_id_col > nr)
			return trace_text_error(&cr->text, src, 1, err,
						"obj-id-col=%u, but the first line has %u field%s",
						pa->obj_id_col, nr, nr == 1 ? "" : "s");
		cr->id_field = pa->obj_id_col;
		return is_header;
	}
	if (!is_header) {
		cr->id_field = nr >= 2 ? 2 : 1;
		return 0;
	}
	for (unsigned int i = 0; i < nr; i++) {
		if (is_id_name(f[i].text)) {
			cr->id_field = i + 1;
			return 1;
		}
	}
	return trace_text_error(&cr->text, src, 1, err,
				"a header without an object id column (want one named obj_id, "
				"obj-id, id, object, obj or key)");
}

/* FNV-1a, 64 bits: a string id's number (libCacheSim interns strings instead). */
static uint64_t hash_id(const char *s, size_t len)
{
	uint64_t h = UINT64_C(0xcbf29ce484222325);

	for (size_t i = 0; i < len; i++) {
		h ^= (uint8_t)s[i];
		h *= UINT64_C(0x100000001b3);
	}
	return h;
}

static int parse_record(struct trace_csv_reader *cr, const struct trace_source *src,
			const uint8_t *p, size_t len, struct csv_field *f,
			struct mmsim_trace_record *rec, struct mmsim_error *err)
{
	const struct csv_field *id;
	unsigned int nr;
	uint64_t v, page;
	size_t i = 0;
	bool numeric;
	int ret = split(cr, src, p, len, f, &nr, err);

	if (ret)
		return ret;
	if (nr != cr->nr_fields)
		return trace_text_error(&cr->text, src, 1, err,
					"%u field%s here, but the first line has %u", nr,
					nr == 1 ? "" : "s", cr->nr_fields);
	id = &f[cr->id_field - 1];
	if (!id->len)
		return trace_text_error(&cr->text, src, id->col, err, "empty object id (field %u)",
					cr->id_field);
	ret = trace_text_number((const uint8_t *)id->text, id->len, &i, 0, &v);
	numeric = !ret && i == id->len;
	if (cr->params.obj_id_is_num == 0) {
		numeric = false; /* every id is a string, "7" and "007" two objects */
	} else if (cr->params.obj_id_is_num == 1 && !numeric) {
		return trace_text_error(&cr->text, src, id->col, err,
					"object id '%s' is not a number (obj-id-is-num=1)",
					id->text);
	} else if (cr->ids_numeric < 0) {
		cr->ids_numeric = numeric;
		cr->first_record_line = cr->text.line;
	} else if (numeric != (cr->ids_numeric == 1)) {
		return trace_text_error(
			&cr->text, src, id->col, err,
			"object id '%s' is %s, but line %llu's was %s (libCacheSim's "
			"obj-id-is-num holds for a whole trace)",
			id->text, numeric ? "a number" : "not a number",
			(unsigned long long)cr->first_record_line, numeric ? "not" : "a number");
	}
	if (!numeric)
		v = hash_id(id->text, id->len);
	if (cr->map.nr_used == TRACE_ORACLE_MAX_OBJECTS)
		return trace_text_error(&cr->text, src, id->col, err,
					"more than %llu distinct objects",
					(unsigned long long)TRACE_ORACLE_MAX_OBJECTS);
	if (trace_oracle_map_page(&cr->map, v, &page))
		return mmsim_error_set(err, -ENOMEM, "%s: out of memory for object ids", src->name);
	rec->pid = 0;
	rec->addr = MMSIM_TRACE_PAGE_BASE + (page << PAGE_SHIFT);
	rec->size = 1;
	rec->kind = MMSIM_TRACE_STORE;
	return 0;
}

static bool is_blank_line(const uint8_t *p, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (p[i] != ' ' && p[i] != '\t')
			return false;
	return true;
}

static int csv_line(void *ctx, const struct trace_source *src, const uint8_t *p, size_t len,
		    struct mmsim_trace_record *rec, struct mmsim_error *err)
{
	struct trace_csv_reader *cr = ctx;
	struct csv_field fields[TRACE_CSV_MAX_FIELDS];
	int ret;

	if (is_blank_line(p, len))
		return 1;
	if (!cr->delim) {
		ret = first_line(cr, src, p, len, fields, err);
		if (ret) /* an error, or 1: the header, which holds no record */
			return ret;
	}
	return parse_record(cr, src, p, len, fields, rec, err);
}

size_t trace_csv_format(uint64_t index, const struct mmsim_trace_record *rec, char *out)
{
	int n = snprintf(out, TRACE_CSV_FORMAT_MAX, "%" PRIu64 ",%" PRIu64 ",4096\n", index,
			 rec->addr >> PAGE_SHIFT);

	return n > 0 ? (size_t)n : 0;
}

int trace_csv_read(struct trace_csv_reader *cr, struct trace_source *src,
		   struct mmsim_trace_record *recs, size_t max, size_t *nr_out,
		   struct mmsim_error *err)
{
	return trace_text_read(&cr->text, src, "CSV", csv_line, cr, recs, max, nr_out, err);
}
