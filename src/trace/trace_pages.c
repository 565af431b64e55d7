/*
 * trace/trace_pages.c: reading and writing text page lists.
 */
#include "trace/trace_pages.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>

#include "trace/trace_source.h"

#define PAGE_SHIFT 12

static bool is_blank(int c)
{
	return c == ' ' || c == '\t';
}

void trace_pages_reader_start(struct trace_pages_reader *pr)
{
	pr->text.line = 0;
	pr->columns = 0;
	pr->first_line = 0;
}

/* Splits the line into up to 3 numbers; *nr gets how many were found. */
static int parse_numbers(struct trace_pages_reader *pr, const struct trace_source *src,
			 const uint8_t *p, size_t len, uint64_t v[2], unsigned int *nr,
			 struct mmsim_error *err)
{
	size_t i = 0, start;
	int ret;

	*nr = 0;
	for (;;) {
		while (i < len && is_blank(p[i]))
			i++;
		if (i == len)
			return 0;
		start = i;
		if (*nr == 2)
			return trace_text_error(&pr->text, src, start + 1, err,
						"unexpected text after the page (a page list has "
						"\"PAGE\" or \"PID PAGE\" a line)");
		ret = trace_text_number(p, len, &i, 0, &v[*nr]);
		if (ret == -ERANGE)
			return trace_text_error(&pr->text, src, start + 1, err,
						"number does not fit in 64 bits");
		if (ret || (i < len && !is_blank(p[i])))
			return trace_text_error(&pr->text, src, start + 1, err,
						"expected a page number (decimal, or hex after "
						"0x)");
		(*nr)++;
	}
}

static int parse_line(struct trace_pages_reader *pr, const struct trace_source *src,
		      const uint8_t *p, size_t len, struct mmsim_trace_record *rec,
		      struct mmsim_error *err)
{
	uint64_t v[2] = { 0, 0 }, page;
	unsigned int nr;
	int ret = parse_numbers(pr, src, p, len, v, &nr, err);

	if (ret)
		return ret;
	if (pr->columns == 0) {
		pr->columns = nr;
		pr->first_line = pr->text.line;
	} else if (nr != pr->columns) {
		return trace_text_error(&pr->text, src, 1, err,
					"%u column%s here, but line %llu had %u: a page list is "
					"all \"PAGE\" or all \"PID PAGE\"",
					nr, nr == 1 ? "" : "s", (unsigned long long)pr->first_line,
					pr->columns);
	}
	page = v[nr - 1];
	if (nr == 2 && v[0] > UINT32_MAX)
		return trace_text_error(&pr->text, src, 1, err, "pid does not fit in 32 bits");
	if (page > TRACE_PAGES_MAX)
		return trace_text_error(
			&pr->text, src, 1, err, "page %llu is above the largest, %llu",
			(unsigned long long)page, (unsigned long long)TRACE_PAGES_MAX);
	rec->pid = nr == 2 ? (uint32_t)v[0] : 0;
	rec->addr = MMSIM_TRACE_PAGE_BASE + (page << PAGE_SHIFT);
	rec->size = 1;
	rec->kind = MMSIM_TRACE_STORE;
	return 0;
}

static bool is_comment_or_blank(const uint8_t *p, size_t len)
{
	size_t i = 0;

	while (i < len && is_blank(p[i]))
		i++;
	return i == len || p[i] == '#';
}

static int pages_line(void *ctx, const struct trace_source *src, const uint8_t *p, size_t len,
		      struct mmsim_trace_record *rec, struct mmsim_error *err)
{
	if (is_comment_or_blank(p, len))
		return 1;
	return parse_line(ctx, src, p, len, rec, err);
}

int trace_pages_read(struct trace_pages_reader *pr, struct trace_source *src,
		     struct mmsim_trace_record *recs, size_t max, size_t *nr_out,
		     struct mmsim_error *err)
{
	return trace_text_read(&pr->text, src, "page-list", pages_line, pr, recs, max, nr_out, err);
}

size_t trace_pages_format(const struct mmsim_trace_record *rec, char *out)
{
	uint64_t page;

	if (rec->addr < MMSIM_TRACE_PAGE_BASE)
		return 0;
	page = (rec->addr - MMSIM_TRACE_PAGE_BASE) >> PAGE_SHIFT;
	if (page > TRACE_PAGES_MAX)
		return 0;
	return (size_t)snprintf(out, TRACE_PAGES_FORMAT_MAX, "%u %llu\n", rec->pid,
				(unsigned long long)page);
}
