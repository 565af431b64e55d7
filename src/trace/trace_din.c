/*
 * trace/trace_din.c: reading and writing Dinero IV "din" text.
 *
 * A modify (x86 read-modify-write) has no din label: the writer puts it as a read then a
 * write of the same address, which is what Dinero-era converters do with such accesses.
 */
#include "trace/trace_din.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>

#include "trace/trace_source.h"

static bool is_blank(int c)
{
	return c == ' ' || c == '\t';
}

void trace_din_reader_start(struct trace_din_reader *dr)
{
	dr->text.line = 0;
}

static int parse_line(struct trace_din_reader *dr, const struct trace_source *src, const uint8_t *p,
		      size_t len, struct mmsim_trace_record *rec, struct mmsim_error *err)
{
	static const enum mmsim_trace_kind kinds[3] = { MMSIM_TRACE_LOAD, MMSIM_TRACE_STORE,
							MMSIM_TRACE_IFETCH };
	size_t i = 0, start;
	uint64_t label, addr;
	int ret;

	while (i < len && is_blank(p[i]))
		i++;
	start = i;
	if (trace_text_number(p, len, &i, 0, &label) || (i < len && !is_blank(p[i])))
		return trace_text_error(&dr->text, src, start + 1, err,
					"expected a din label (0 read, 1 write, 2 fetch) and "
					"a hex address");
	if (label > 2)
		return trace_text_error(&dr->text, src, start + 1, err,
					"din label %llu is not an access (want 0 read, 1 write, "
					"2 fetch; 3 and 4 are Dinero escape records)",
					(unsigned long long)label);
	while (i < len && is_blank(p[i]))
		i++;
	start = i;
	ret = trace_text_number(p, len, &i, 1, &addr);
	if (ret == -ERANGE)
		return trace_text_error(&dr->text, src, start + 1, err,
					"address does not fit in 64 bits");
	if (ret)
		return trace_text_error(&dr->text, src, start + 1, err,
					"expected a hex address after the label");
	while (i < len && is_blank(p[i]))
		i++;
	if (i < len)
		return trace_text_error(&dr->text, src, i + 1, err,
					"unexpected text after the address (din is "
					"\"LABEL ADDRESS\" a line)");
	rec->kind = kinds[label];
	rec->addr = addr;
	rec->size = 1;
	rec->pid = 0;
	return 0;
}

static bool is_blank_line(const uint8_t *p, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (!is_blank(p[i]))
			return false;
	return true;
}

static int din_line(void *ctx, const struct trace_source *src, const uint8_t *p, size_t len,
		    struct mmsim_trace_record *rec, struct mmsim_error *err)
{
	if (is_blank_line(p, len))
		return 1;
	return parse_line(ctx, src, p, len, rec, err);
}

int trace_din_read(struct trace_din_reader *dr, struct trace_source *src,
		   struct mmsim_trace_record *recs, size_t max, size_t *nr_out,
		   struct mmsim_error *err)
{
	return trace_text_read(&dr->text, src, "din", din_line, dr, recs, max, nr_out, err);
}

size_t trace_din_format(const struct mmsim_trace_record *rec, char *out)
{
	static const char labels[MMSIM_TRACE_NR_KINDS] = {
		[MMSIM_TRACE_LOAD] = '0',
		[MMSIM_TRACE_STORE] = '1',
		[MMSIM_TRACE_MODIFY] = '0',
		[MMSIM_TRACE_IFETCH] = '2',
	};
	unsigned long long a = (unsigned long long)rec->addr;
	int n;

	if (rec->kind == MMSIM_TRACE_MODIFY)
		n = snprintf(out, TRACE_DIN_FORMAT_MAX, "0 %llx\n1 %llx\n", a, a);
	else
		n = snprintf(out, TRACE_DIN_FORMAT_MAX, "%c %llx\n", labels[rec->kind], a);
	return (size_t)n;
}
