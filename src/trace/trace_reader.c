/*
 * trace/trace_reader.c: the public trace reader (mmsim/trace.h) over a source and a parser.
 *
 * Layers: trace_source.c turns the file into plain bytes (decompressing), trace_bin.c or
 * trace_lackey.c turns bytes into records, this file detects the format, batches records for
 * mmsim_trace_next(), keeps the first error, counts progress and rewinds.
 */
#include "trace/trace_reader.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "mmsim/error.h"
#include "trace/trace_bin.h"
#include "trace/trace_champsim.h"
#include "trace/trace_csv.h"
#include "trace/trace_din.h"
#include "trace/trace_lackey.h"
#include "trace/trace_oracle.h"
#include "trace/trace_pages.h"
#include "trace/trace_source.h"

/* Records parsed at a time for mmsim_trace_next(): enough to amortise a parser call. */
#define READER_BATCH 256
/* Decoded buffer for memory input: the bytes are already in memory, no need for more. */
#define MEMORY_BUF_SIZE (64u << 10)

struct mmsim_trace_reader {
	struct trace_source src;
	enum mmsim_trace_format want;	/* asked for: a format, or AUTO */
	enum mmsim_trace_format format; /* being read */
	union {
		struct trace_bin_reader bin;	       /* format BINARY */
		struct trace_lackey_reader lackey;     /* format LACKEY */
		struct trace_din_reader din;	       /* format DIN */
		struct trace_pages_reader pages;       /* format PAGES */
		struct trace_champsim_reader champsim; /* format CHAMPSIM */
	} parser;
	struct trace_oracle_reader oracle;	       /* format ORACLE_GENERAL (owns its id map) */
	struct trace_csv_reader csv;		       /* format CSV (owns its id map) */
	struct mmsim_trace_record batch[READER_BATCH]; /* parsed, not yet returned */
	size_t batch_pos;			       /* next record of batch to return */
	size_t batch_n;				       /* records in batch */
	uint64_t nr_parsed;	  /* records parsed since the (re)start, batch included */
	bool at_end;		  /* the parser reported the end of the trace */
	bool events;		  /* hand events to the caller (mmsim_trace_reader_set_events) */
	struct mmsim_error error; /* the first error (code 0 when none); sticky */
};

static int parser_read(struct mmsim_trace_reader *r, struct mmsim_trace_record *recs, size_t max,
		       size_t *nr_out)
{
	int ret;

	switch (r->format) {
	case MMSIM_TRACE_FORMAT_BINARY:
		ret = trace_bin_read(&r->parser.bin, &r->src, recs, max, nr_out, &r->error);
		break;
	case MMSIM_TRACE_FORMAT_DIN:
		ret = trace_din_read(&r->parser.din, &r->src, recs, max, nr_out, &r->error);
		break;
	case MMSIM_TRACE_FORMAT_PAGES:
		ret = trace_pages_read(&r->parser.pages, &r->src, recs, max, nr_out, &r->error);
		break;
	case MMSIM_TRACE_FORMAT_ORACLE_GENERAL:
		ret = trace_oracle_read(&r->oracle, &r->src, recs, max, nr_out, &r->error);
		break;
	case MMSIM_TRACE_FORMAT_CSV:
		ret = trace_csv_read(&r->csv, &r->src, recs, max, nr_out, &r->error);
		break;
	case MMSIM_TRACE_FORMAT_CHAMPSIM:
		ret = trace_champsim_read(&r->parser.champsim, &r->src, recs, max, nr_out,
					  &r->error);
		break;
	default:
		ret = trace_lackey_read(&r->parser.lackey, &r->src, recs, max, nr_out, &r->error);
		break;
	}
	r->nr_parsed += *nr_out;
	if (ret == 0 && *nr_out == 0)
		r->at_end = true;
	return ret;
}

/*
 * The format asked for, or when AUTO, from the first decoded byte: the binary magic's first
 * byte, or else lackey text, which refuses a first line that is not lackey's as "not a
 * memory trace" (the formats without a signature are read only when named).
 */
static int start_parser(struct mmsim_trace_reader *r)
{
	struct trace_source *s = &r->src;

	r->batch_pos = r->batch_n = 0;
	r->nr_parsed = 0;
	r->at_end = false;
	mmsim_error_clear(&r->error);
	r->format = r->want;
	if (r->want == MMSIM_TRACE_FORMAT_AUTO)
		r->format = s->pos < s->end && s->buf[s->pos] == TRACE_BIN_MAGIC0
				    ? MMSIM_TRACE_FORMAT_BINARY
				    : MMSIM_TRACE_FORMAT_LACKEY;
	/* The parsers keep the choice across their own resets. */
	if (r->format == MMSIM_TRACE_FORMAT_BINARY)
		r->parser.bin.events = r->events;
	else if (r->format == MMSIM_TRACE_FORMAT_LACKEY)
		r->parser.lackey.events = r->events;
	switch (r->format) {
	case MMSIM_TRACE_FORMAT_BINARY:
		return trace_bin_read_header(&r->parser.bin, s, &r->error);
	case MMSIM_TRACE_FORMAT_DIN:
		trace_din_reader_start(&r->parser.din);
		return 0;
	case MMSIM_TRACE_FORMAT_PAGES:
		trace_pages_reader_start(&r->parser.pages);
		return 0;
	case MMSIM_TRACE_FORMAT_ORACLE_GENERAL:
		trace_oracle_reader_start(&r->oracle);
		return 0;
	case MMSIM_TRACE_FORMAT_CSV:
		trace_csv_reader_start(&r->csv);
		return 0;
	case MMSIM_TRACE_FORMAT_CHAMPSIM:
		trace_champsim_reader_start(&r->parser.champsim);
		return 0;
	case MMSIM_TRACE_FORMAT_LACKEY:
		break;
	default:
		return mmsim_error_set(&r->error, -EINVAL, "%s: unknown trace format %d", s->name,
				       (int)r->format);
	}
	return trace_lackey_reader_start(&r->parser.lackey, s, r->want == MMSIM_TRACE_FORMAT_AUTO,
					 &r->error);
}

/* Starts (or restarts) reading; on failure the error is kept in r and copied to err. */
static int start(struct mmsim_trace_reader *r, struct mmsim_error *err)
{
	int ret = trace_source_start(&r->src, &r->error);

	if (ret == 0)
		ret = start_parser(r);
	if (ret && err)
		*err = r->error;
	return ret;
}

static int finish_create(struct mmsim_trace_reader *r, int ret, struct mmsim_trace_reader **out,
			 struct mmsim_error *err)
{
	trace_csv_params_init(&r->csv.params);
	if (ret == 0)
		ret = start(r, err);
	if (ret) {
		mmsim_trace_reader_destroy(r);
		return ret;
	}
	*out = r;
	return 0;
}

int mmsim_trace_reader_create_as(const char *path, enum mmsim_trace_format format,
				 struct mmsim_trace_reader **out, struct mmsim_error *err)
{
	struct mmsim_trace_reader *r;

	*out = NULL;
	r = calloc(1, sizeof(*r));
	if (!r)
		return mmsim_error_set(err, -ENOMEM, "%s: out of memory for a reader", path);
	r->want = format;
	return finish_create(r, trace_source_init_path(&r->src, path, err), out, err);
}

int mmsim_trace_reader_set_params(struct mmsim_trace_reader *r, const char *params,
				  struct mmsim_error *err)
{
	struct trace_csv_params p;
	int ret;

	if (!params || !params[0])
		return 0;
	if (r->format != MMSIM_TRACE_FORMAT_CSV)
		return mmsim_error_set(err, -EINVAL,
				       "%s: trace parameters are for --format csv, not %s",
				       r->src.name, mmsim_trace_format_name(r->format));
	if (r->nr_parsed || r->at_end)
		return mmsim_error_set(err, -EINVAL,
				       "%s: trace parameters must be set before the first read",
				       r->src.name);
	trace_csv_params_init(&p);
	ret = trace_csv_parse_params(params, &p, err);
	if (ret == 0)
		r->csv.params = p;
	trace_csv_reader_start(&r->csv);
	return ret;
}

int mmsim_trace_reader_create(const char *path, struct mmsim_trace_reader **out,
			      struct mmsim_error *err)
{
	return mmsim_trace_reader_create_as(path, MMSIM_TRACE_FORMAT_AUTO, out, err);
}

int trace_reader_create_memory_as(const void *data, size_t size, const char *name, size_t buf_size,
				  enum mmsim_trace_format format, struct mmsim_trace_reader **out,
				  struct mmsim_error *err)
{
	struct mmsim_trace_reader *r;

	*out = NULL;
	r = calloc(1, sizeof(*r));
	if (!r)
		return mmsim_error_set(err, -ENOMEM, "%s: out of memory for a reader", name);
	r->want = format;
	return finish_create(r, trace_source_init_memory(&r->src, data, size, name, buf_size, err),
			     out, err);
}

int trace_reader_create_memory_buffered(const void *data, size_t size, const char *name,
					size_t buf_size, struct mmsim_trace_reader **out,
					struct mmsim_error *err)
{
	return trace_reader_create_memory_as(data, size, name, buf_size, MMSIM_TRACE_FORMAT_AUTO,
					     out, err);
}

int mmsim_trace_reader_create_memory(const void *data, size_t size, const char *name,
				     struct mmsim_trace_reader **out, struct mmsim_error *err)
{
	return trace_reader_create_memory_buffered(data, size, name, MEMORY_BUF_SIZE, out, err);
}

void mmsim_trace_reader_destroy(struct mmsim_trace_reader *r)
{
	if (!r)
		return;
	trace_source_fini(&r->src);
	trace_oracle_reader_fini(&r->oracle);
	trace_csv_reader_fini(&r->csv);
	free(r);
}

static int report_error(const struct mmsim_trace_reader *r, struct mmsim_error *err)
{
	if (err)
		*err = r->error;
	return r->error.code;
}

/* mmsim_trace_next() when the batch is empty: parse the next batch. */
static int next_slow(struct mmsim_trace_reader *r, struct mmsim_trace_record *rec,
		     struct mmsim_error *err)
{
	size_t n = 0;

	if (r->error.code)
		return report_error(r, err);
	if (r->at_end)
		return 0;
	parser_read(r, r->batch, READER_BATCH, &n);
	r->batch_pos = 0;
	r->batch_n = n;
	if (n == 0)
		return r->error.code ? report_error(r, err) : 0;
	*rec = r->batch[r->batch_pos++];
	return 1;
}

int mmsim_trace_next(struct mmsim_trace_reader *r, struct mmsim_trace_record *rec,
		     struct mmsim_error *err)
{
	if (r->batch_pos < r->batch_n) {
		*rec = r->batch[r->batch_pos++];
		return 1;
	}
	return next_slow(r, rec, err);
}

int mmsim_trace_read(struct mmsim_trace_reader *r, struct mmsim_trace_record *recs, size_t max,
		     size_t *nr_out, struct mmsim_error *err)
{
	size_t n = r->batch_n - r->batch_pos;

	*nr_out = 0;
	if (max == 0)
		return mmsim_error_set(err, -EINVAL, "%s: asked for 0 records", r->src.name);
	if (n > 0) {
		/* Records parsed for mmsim_trace_next() come first. */
		if (n > max)
			n = max;
		memcpy(recs, r->batch + r->batch_pos, n * sizeof(*recs));
		r->batch_pos += n;
		*nr_out = n;
		return 0;
	}
	if (r->error.code)
		return report_error(r, err);
	if (r->at_end)
		return 0;
	if (parser_read(r, recs, max, nr_out))
		return report_error(r, err);
	return 0;
}

bool mmsim_trace_rewindable(const struct mmsim_trace_reader *r)
{
	return trace_source_rewindable(&r->src);
}

int mmsim_trace_rewind(struct mmsim_trace_reader *r, struct mmsim_error *err)
{
	int ret;

	/* Standard input and pipes: refuse, and leave the reader as it was. */
	if (!trace_source_rewindable(&r->src))
		return trace_source_rewind(&r->src, err);
	r->batch_pos = r->batch_n = 0;
	mmsim_error_clear(&r->error);
	ret = trace_source_rewind(&r->src, &r->error);
	if (ret == 0)
		ret = start_parser(r);
	if (ret)
		return report_error(r, err);
	return 0;
}

void mmsim_trace_reader_set_events(struct mmsim_trace_reader *r, bool events)
{
	r->events = events;
	if (r->format == MMSIM_TRACE_FORMAT_BINARY)
		r->parser.bin.events = events;
	else if (r->format == MMSIM_TRACE_FORMAT_LACKEY)
		r->parser.lackey.events = events;
}

uint64_t mmsim_trace_reader_nr_events(const struct mmsim_trace_reader *r)
{
	if (r->format == MMSIM_TRACE_FORMAT_BINARY)
		return r->parser.bin.nr_events;
	if (r->format == MMSIM_TRACE_FORMAT_LACKEY)
		return r->parser.lackey.nr_events;
	return 0;
}

void mmsim_trace_get_progress(const struct mmsim_trace_reader *r,
			      struct mmsim_trace_progress *progress)
{
	progress->bytes_read = r->src.bytes_read;
	progress->total_bytes = r->src.total_bytes;
	progress->nr_records = r->nr_parsed - (r->batch_n - r->batch_pos);
	progress->nr_skipped =
		r->format == MMSIM_TRACE_FORMAT_LACKEY ? r->parser.lackey.nr_skipped : 0;
}

enum mmsim_trace_format mmsim_trace_reader_format(const struct mmsim_trace_reader *r)
{
	return r->format;
}

enum mmsim_trace_compression mmsim_trace_reader_compression(const struct mmsim_trace_reader *r)
{
	return r->src.compression;
}

const char *mmsim_trace_reader_name(const struct mmsim_trace_reader *r)
{
	return r->src.name;
}
