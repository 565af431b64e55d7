/*
 * trace/trace_writer.c: the public trace writer (mmsim/trace.h) and format conversion.
 *
 * A writer checks each record, has trace_bin.c or trace_lackey.c encode it straight into the
 * sink's buffer, and counts it. The first failure is kept: every later call returns it, so a
 * caller that checks only mmsim_trace_writer_finish() still learns of it.
 */
#include "trace/trace_writer.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mmsim/error.h"
#include "trace/trace_bin.h"
#include "trace/trace_din.h"
#include "trace/trace_event.h"
#include "trace/trace_lackey.h"
#include "trace/trace_csv.h"
#include "trace/trace_oracle.h"
#include "trace/trace_pages.h"
#include "trace/trace_sink.h"

/* Records moved at a time by mmsim_trace_convert(). */
#define CONVERT_BATCH 4096

struct mmsim_trace_writer {
	struct trace_sink sink;
	enum mmsim_trace_format format;
	struct trace_bin_state bin;	   /* format BINARY */
	struct trace_lackey_writer lackey; /* format LACKEY */
	struct trace_oracle_writer oracle; /* format ORACLE_GENERAL: held until finish */
	uint64_t nr_records;		   /* access records written so far */
	uint64_t nr_events;		   /* events written so far */
	uint64_t nr_dropped;		   /* events dropped (drop_events, a format without) */
	bool drop_events;		   /* opts.drop_events */
	bool finished;			   /* finish was called, successfully or not */
	struct mmsim_error error;	   /* the first failure (code 0 when none); sticky */
};

static const struct mmsim_trace_writer_opts default_opts = {
	.format = MMSIM_TRACE_FORMAT_BINARY,
	.compression = MMSIM_TRACE_COMPRESSION_ZSTD,
	.level = 0,
};

static int fail(struct mmsim_trace_writer *w, struct mmsim_error *err)
{
	if (err)
		*err = w->error;
	return w->error.code;
}

/* Checks opts; for binary, writes the header to the file. */
static int begin(struct mmsim_trace_writer *w, const struct mmsim_trace_writer_opts *opts)
{
	int ret;

	w->format = opts->format;
	w->drop_events = opts->drop_events;
	switch (w->format) {
	case MMSIM_TRACE_FORMAT_LACKEY:
	case MMSIM_TRACE_FORMAT_DIN:
	case MMSIM_TRACE_FORMAT_PAGES:
	case MMSIM_TRACE_FORMAT_ORACLE_GENERAL:
		return 0;
	case MMSIM_TRACE_FORMAT_BINARY:
		break;
	case MMSIM_TRACE_FORMAT_CHAMPSIM:
		return mmsim_error_set(&w->error, -EINVAL,
				       "%s: mmsim reads ChampSim traces but does not write them",
				       w->sink.name);
	case MMSIM_TRACE_FORMAT_CSV:
		ret = trace_sink_reserve(&w->sink, sizeof(TRACE_CSV_HEADER), &w->error);
		if (ret)
			return ret;
		memcpy(w->sink.buf + w->sink.end, TRACE_CSV_HEADER, strlen(TRACE_CSV_HEADER));
		w->sink.end += strlen(TRACE_CSV_HEADER);
		return 0;
	default:
		return mmsim_error_set(&w->error, -EINVAL, "%s: unknown trace format %d",
				       w->sink.name, (int)opts->format);
	}
	ret = trace_sink_reserve(&w->sink, TRACE_BIN_HEADER_SIZE, &w->error);
	if (ret)
		return ret;
	trace_bin_encode_header(w->sink.buf + w->sink.end);
	w->sink.end += TRACE_BIN_HEADER_SIZE;
	/*
	 * Out to the file at once: a recording that dies before finish then leaves a header
	 * without an end marker, which reads as truncated, not an empty file, which would read
	 * as an empty text trace.
	 */
	return trace_sink_flush(&w->sink, &w->error);
}

static int create(const char *path, const char *memory_name,
		  const struct mmsim_trace_writer_opts *opts, struct mmsim_trace_writer **out,
		  struct mmsim_error *err)
{
	struct mmsim_trace_writer *w;
	int ret;

	*out = NULL;
	if (!opts)
		opts = &default_opts;
	w = calloc(1, sizeof(*w));
	if (!w)
		return mmsim_error_set(err, -ENOMEM, "%s: out of memory for a writer",
				       path ? path : memory_name);
	if (path)
		ret = trace_sink_init_path(&w->sink, path, opts->compression, opts->level,
					   &w->error);
	else
		ret = trace_sink_init_memory(&w->sink, memory_name, opts->compression, opts->level,
					     &w->error);
	if (ret == 0)
		ret = begin(w, opts);
	if (ret) {
		fail(w, err);
		mmsim_trace_writer_destroy(w);
		return ret;
	}
	*out = w;
	return 0;
}

int mmsim_trace_writer_create(const char *path, const struct mmsim_trace_writer_opts *opts,
			      struct mmsim_trace_writer **out, struct mmsim_error *err)
{
	return create(path, NULL, opts, out, err);
}

int trace_writer_create_memory(const char *name, const struct mmsim_trace_writer_opts *opts,
			       struct mmsim_trace_writer **out, struct mmsim_error *err)
{
	return create(NULL, name, opts, out, err);
}

static int check_record(struct mmsim_trace_writer *w, const struct mmsim_trace_record *rec)
{
	unsigned long long nr = (unsigned long long)mmsim_trace_writer_nr_records(w) + 1;

	if ((unsigned int)rec->kind >= MMSIM_TRACE_NR_ALL_KINDS)
		return mmsim_error_set(&w->error, -EINVAL, "%s: record %llu: unknown kind %d",
				       w->sink.name, nr, (int)rec->kind);
	if (mmsim_trace_kind_is_event(rec->kind)) {
		const char *why = trace_event_invalid(rec);

		if (why)
			return mmsim_error_set(&w->error, -EINVAL,
					       "%s: event after record %llu: %s", w->sink.name,
					       nr - 1, why);
		return 0;
	}
	if (rec->size == 0)
		return mmsim_error_set(&w->error, -EINVAL, "%s: record %llu: size 0 is invalid",
				       w->sink.name, nr);
	return 0;
}

/* An event (checked): binary and lackey carry it; other formats drop it when asked to and
 * refuse it otherwise, never silently. */
static int write_event(struct mmsim_trace_writer *w, const struct mmsim_trace_record *ev,
		       struct mmsim_error *err)
{
	struct trace_sink *k = &w->sink;

	switch (w->format) {
	case MMSIM_TRACE_FORMAT_BINARY:
		if (trace_sink_reserve(k, TRACE_BIN_RECORD_MAX, &w->error))
			return fail(w, err);
		k->end += trace_bin_encode_event(&w->bin, ev, k->buf + k->end);
		break;
	case MMSIM_TRACE_FORMAT_LACKEY:
		if (trace_sink_reserve(k, TRACE_LACKEY_FORMAT_MAX, &w->error))
			return fail(w, err);
		k->end += trace_lackey_format(&w->lackey, ev, (char *)k->buf + k->end);
		break;
	default:
		if (!w->drop_events) {
			mmsim_error_set(&w->error, -EINVAL,
					"%s: after record %llu: a %s event, which %s cannot carry "
					"(write binary or lackey to keep events, or drop them: "
					"mmsim convert --drop-events)",
					k->name, (unsigned long long)w->nr_records,
					mmsim_trace_kind_name(ev->kind),
					mmsim_trace_format_name(w->format));
			return fail(w, err);
		}
		w->nr_dropped++;
		return 0;
	}
	w->nr_events++;
	return 0;
}

int mmsim_trace_write(struct mmsim_trace_writer *w, const struct mmsim_trace_record *rec,
		      struct mmsim_error *err)
{
	struct trace_sink *k = &w->sink;

	if (w->error.code)
		return fail(w, err);
	if (w->finished)
		return mmsim_error_set(err, -EINVAL, "%s: write after finish", k->name);
	if (check_record(w, rec))
		return fail(w, err);
	if (mmsim_trace_kind_is_event(rec->kind))
		return write_event(w, rec, err);
	switch (w->format) {
	case MMSIM_TRACE_FORMAT_BINARY:
		if (trace_sink_reserve(k, TRACE_BIN_RECORD_MAX, &w->error))
			return fail(w, err);
		k->end += trace_bin_encode(&w->bin, rec, k->buf + k->end);
		break;
	case MMSIM_TRACE_FORMAT_DIN:
		if (trace_sink_reserve(k, TRACE_DIN_FORMAT_MAX, &w->error))
			return fail(w, err);
		k->end += trace_din_format(rec, (char *)k->buf + k->end);
		break;
	case MMSIM_TRACE_FORMAT_PAGES: {
		size_t n;

		if (trace_sink_reserve(k, TRACE_PAGES_FORMAT_MAX, &w->error))
			return fail(w, err);
		n = trace_pages_format(rec, (char *)k->buf + k->end);
		if (n == 0) {
			mmsim_error_set(&w->error, -EINVAL,
					"%s: record %llu: address 0x%llx is not a page of a page "
					"list (pages start at 0x%llx)",
					k->name, (unsigned long long)w->nr_records + 1,
					(unsigned long long)rec->addr,
					(unsigned long long)MMSIM_TRACE_PAGE_BASE);
			return fail(w, err);
		}
		k->end += n;
		break;
	}
	case MMSIM_TRACE_FORMAT_CSV:
		if (trace_sink_reserve(k, TRACE_CSV_FORMAT_MAX, &w->error))
			return fail(w, err);
		k->end += trace_csv_format(w->nr_records, rec, (char *)k->buf + k->end);
		break;
	case MMSIM_TRACE_FORMAT_ORACLE_GENERAL:
		if (trace_oracle_writer_add(&w->oracle, rec)) {
			mmsim_error_set(&w->error, -ENOMEM, "%s: out of memory", k->name);
			return fail(w, err);
		}
		break;
	default:
		if (trace_sink_reserve(k, TRACE_LACKEY_FORMAT_MAX, &w->error))
			return fail(w, err);
		k->end += trace_lackey_format(&w->lackey, rec, (char *)k->buf + k->end);
		break;
	}
	w->nr_records++;
	return 0;
}

/* oracleGeneral needs the future of every request: encoded only now, then copied out. */
static int finish_oracle(struct mmsim_trace_writer *w)
{
	struct trace_sink *k = &w->sink;
	uint8_t *buf;
	size_t len, done = 0;
	int ret;

	if (trace_oracle_encode(&w->oracle, &buf, &len))
		return mmsim_error_set(&w->error, -ENOMEM, "%s: out of memory", k->name);
	while (done < len) {
		size_t n = len - done < 4096 ? len - done : 4096;

		ret = trace_sink_reserve(k, n, &w->error);
		if (ret)
			break;
		memcpy(k->buf + k->end, buf + done, n);
		k->end += n;
		done += n;
	}
	free(buf);
	return done < len ? w->error.code : 0;
}

int mmsim_trace_writer_finish(struct mmsim_trace_writer *w, struct mmsim_error *err)
{
	struct trace_sink *k = &w->sink;

	if (w->error.code)
		return fail(w, err);
	if (w->finished)
		return mmsim_error_set(err, -EINVAL, "%s: finished twice", k->name);
	w->finished = true;
	if (w->format == MMSIM_TRACE_FORMAT_BINARY) {
		if (trace_sink_reserve(k, TRACE_BIN_END_MAX, &w->error))
			return fail(w, err);
		k->end += trace_bin_encode_end(&w->bin, k->buf + k->end);
	}
	if (w->format == MMSIM_TRACE_FORMAT_ORACLE_GENERAL && finish_oracle(w))
		return fail(w, err);
	if (trace_sink_finish(k, &w->error))
		return fail(w, err);
	return 0;
}

void mmsim_trace_writer_destroy(struct mmsim_trace_writer *w)
{
	if (!w)
		return;
	trace_sink_fini(&w->sink);
	trace_oracle_writer_fini(&w->oracle);
	free(w);
}

uint64_t mmsim_trace_writer_nr_records(const struct mmsim_trace_writer *w)
{
	return w->nr_records;
}

uint64_t mmsim_trace_writer_nr_events(const struct mmsim_trace_writer *w)
{
	return w->nr_events;
}

uint64_t mmsim_trace_writer_nr_dropped(const struct mmsim_trace_writer *w)
{
	return w->nr_dropped;
}

uint64_t mmsim_trace_writer_bytes(const struct mmsim_trace_writer *w)
{
	return w->sink.bytes_written;
}

const uint8_t *trace_writer_memory(const struct mmsim_trace_writer *w, size_t *len)
{
	return trace_sink_memory(&w->sink, len);
}

/* stat() of a path, or of standard input/output for "-". */
static bool stat_path(const char *path, int std_fd, struct stat *st)
{
	if (strcmp(path, "-") == 0)
		return fstat(std_fd, st) == 0;
	return stat(path, st) == 0;
}

/* Refuses to truncate the input by writing over it. */
static int check_distinct(const char *in_path, const char *out_path, struct mmsim_error *err)
{
	struct stat in, out;

	if (!stat_path(in_path, STDIN_FILENO, &in) || !stat_path(out_path, STDOUT_FILENO, &out))
		return 0; /* an output that does not exist yet is not the input */
	if (S_ISREG(in.st_mode) && in.st_dev == out.st_dev && in.st_ino == out.st_ino)
		return mmsim_error_set(err, -EINVAL, "%s: the output is the input file %s",
				       out_path, in_path);
	return 0;
}

/* Copies every record from r to w, asking stop (if not NULL) after each batch, the last
 * (empty) one included: a stop that comes while the input ends still abandons it. */
static int copy_records(struct mmsim_trace_reader *r, struct mmsim_trace_writer *w,
			bool (*stop)(void *ctx), void *ctx, struct mmsim_error *err)
{
	struct mmsim_trace_record *recs = malloc(CONVERT_BATCH * sizeof(*recs));
	size_t n;
	int ret;

	if (!recs)
		return mmsim_error_set(err, -ENOMEM, "out of memory for conversion");
	do {
		ret = mmsim_trace_read(r, recs, CONVERT_BATCH, &n, err);
		for (size_t i = 0; i < n && ret == 0; i++)
			ret = mmsim_trace_write(w, &recs[i], err);
		if (ret == 0 && stop && stop(ctx))
			ret = mmsim_error_set(err, -EINTR, "interrupted after %" PRIu64 " records",
					      mmsim_trace_writer_nr_records(w));
	} while (ret == 0 && n > 0);
	free(recs);
	return ret;
}

int mmsim_trace_convert(const char *in_path, const char *out_path,
			const struct mmsim_trace_writer_opts *opts, uint64_t *nr_records,
			struct mmsim_error *err)
{
	return mmsim_trace_convert_as(in_path, MMSIM_TRACE_FORMAT_AUTO, out_path, opts, nr_records,
				      err);
}

int mmsim_trace_convert_as(const char *in_path, enum mmsim_trace_format in_format,
			   const char *out_path, const struct mmsim_trace_writer_opts *opts,
			   uint64_t *nr_records, struct mmsim_error *err)
{
	return mmsim_trace_convert_stoppable(in_path, in_format, out_path, opts, NULL, NULL,
					     nr_records, err);
}

int mmsim_trace_convert_stoppable(const char *in_path, enum mmsim_trace_format in_format,
				  const char *out_path, const struct mmsim_trace_writer_opts *opts,
				  bool (*stop)(void *ctx), void *ctx, uint64_t *nr_records,
				  struct mmsim_error *err)
{
	return mmsim_trace_convert_params(in_path, in_format, NULL, out_path, opts, stop, ctx,
					  nr_records, err);
}

int mmsim_trace_convert_params(const char *in_path, enum mmsim_trace_format in_format,
			       const char *in_params, const char *out_path,
			       const struct mmsim_trace_writer_opts *opts, bool (*stop)(void *ctx),
			       void *ctx, uint64_t *nr_records, struct mmsim_error *err)
{
	struct mmsim_trace_convert_result res = { 0 };
	int ret = mmsim_trace_convert_counted(in_path, in_format, in_params, out_path, opts, stop,
					      ctx, &res, err);

	if ((ret == 0 || ret == -EINTR) && nr_records)
		*nr_records = res.nr_records;
	return ret;
}

int mmsim_trace_convert_counted(const char *in_path, enum mmsim_trace_format in_format,
				const char *in_params, const char *out_path,
				const struct mmsim_trace_writer_opts *opts, bool (*stop)(void *ctx),
				void *ctx, struct mmsim_trace_convert_result *res,
				struct mmsim_error *err)
{
	struct mmsim_trace_reader *r = NULL;
	struct mmsim_trace_writer *w = NULL;
	int ret;

	ret = check_distinct(in_path, out_path, err);
	if (ret)
		return ret;
	ret = mmsim_trace_reader_create_as(in_path, in_format, &r, err);
	if (ret)
		return ret;
	ret = mmsim_trace_reader_set_params(r, in_params, err);
	if (ret)
		goto out_destroy_reader;
	mmsim_trace_reader_set_events(r, true);
	ret = mmsim_trace_writer_create(out_path, opts, &w, err);
	if (ret)
		goto out_destroy_reader;
	ret = copy_records(r, w, stop, ctx, err);
	if (ret == 0)
		ret = mmsim_trace_writer_finish(w, err);
	if ((ret == 0 || ret == -EINTR) && res) {
		res->nr_records = w->nr_records;
		res->nr_events = w->nr_events;
		res->nr_dropped = w->nr_dropped;
	}
	mmsim_trace_writer_destroy(w);
out_destroy_reader:
	mmsim_trace_reader_destroy(r);
	return ret;
}
