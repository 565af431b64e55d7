/*
 * tests/unit/trace/test_trace_reader.c: the public reader: format detection, next() and
 * read() in any mix, sticky errors, rewinding and reopening for a second pass, progress.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "trace/trace_reader.h"
#include "trace/trace_test_util.h"
#include "trace/trace_writer.h"

/* A binary trace file of n seeded records in d; returns its path, recs get the records. */
static const char *binary_file(struct tt_dir *d, const char *name, size_t n,
			       enum mmsim_trace_compression c, struct mmsim_trace_record **recs)
{
	struct mmsim_trace_writer_opts opts = { .format = MMSIM_TRACE_FORMAT_BINARY,
						.compression = c };
	const char *path = tt_path(d, name);
	struct mmsim_trace_writer *w;
	struct mmsim_error err;

	*recs = tt_random_records(n, 11);
	cr_assert_eq(mmsim_trace_writer_create(path, &opts, &w, &err), 0, "%s", err.msg);
	for (size_t i = 0; i < n; i++)
		cr_assert_eq(mmsim_trace_write(w, &(*recs)[i], &err), 0, "%s", err.msg);
	cr_assert_eq(mmsim_trace_writer_finish(w, &err), 0, "%s", err.msg);
	mmsim_trace_writer_destroy(w);
	return path;
}

Test(trace_reader, detects_the_format_from_content)
{
	struct tt_dir d;
	struct mmsim_trace_record *recs;
	const char *bin;
	struct mmsim_trace_reader *r;
	struct mmsim_error err;

	tt_dir_make(&d);
	bin = binary_file(&d, "trace.txt", 10, MMSIM_TRACE_COMPRESSION_NONE, &recs);
	cr_assert_eq(mmsim_trace_reader_create(bin, &r, &err), 0, "%s", err.msg);
	cr_assert_eq(mmsim_trace_reader_format(r), MMSIM_TRACE_FORMAT_BINARY);
	cr_assert_eq(mmsim_trace_reader_compression(r), MMSIM_TRACE_COMPRESSION_NONE);
	cr_assert_str_eq(mmsim_trace_reader_name(r), bin);
	mmsim_trace_reader_destroy(r);
	cr_assert_eq(mmsim_trace_reader_create_memory("I  10,1\n", 8, "m", &r, &err), 0);
	cr_assert_eq(mmsim_trace_reader_format(r), MMSIM_TRACE_FORMAT_LACKEY);
	cr_assert_str_eq(mmsim_trace_reader_name(r), "m");
	mmsim_trace_reader_destroy(r);
	tt_dir_remove(&d);
	free(recs);
}

Test(trace_reader, next_and_read_mix_freely)
{
	size_t n = 5000, len, got = 0, k;
	struct mmsim_trace_record *recs = tt_random_records(n, 12);
	struct mmsim_trace_record *out = calloc(n, sizeof(*out));
	struct mmsim_trace_writer *w;
	struct mmsim_trace_reader *r;
	struct mmsim_error err;
	const uint8_t *bytes;
	int ret;

	cr_assert_eq(trace_writer_create_memory("w", NULL, &w, &err), 0);
	for (size_t i = 0; i < n; i++)
		cr_assert_eq(mmsim_trace_write(w, &recs[i], &err), 0);
	cr_assert_eq(mmsim_trace_writer_finish(w, &err), 0);
	bytes = trace_writer_memory(w, &len);
	cr_assert_eq(mmsim_trace_reader_create_memory(bytes, len, "m", &r, &err), 0);
	/* next, next, read 7, next, read 1000, ... in a fixed pattern. */
	for (size_t step = 0; got < n; step++) {
		if (step % 3 == 2) {
			ret = mmsim_trace_read(r, out + got, step % 2 ? 7 : 1000, &k, &err);
			cr_assert_eq(ret, 0, "%s", err.msg);
			cr_assert_gt(k, 0);
			got += k;
		} else {
			cr_assert_eq(mmsim_trace_next(r, &out[got], &err), 1);
			got++;
		}
	}
	cr_assert_eq(got, n);
	tt_assert_same(out, recs, n);
	cr_assert_eq(mmsim_trace_next(r, &out[0], &err), 0);
	cr_assert_eq(mmsim_trace_read(r, out, 10, &k, &err), 0);
	cr_assert_eq(k, 0);
	cr_assert_eq(mmsim_trace_next(r, &out[0], &err), 0, "the end stays the end");
	cr_assert_eq(mmsim_trace_read(r, out, 0, &k, &err), -EINVAL);
	mmsim_trace_reader_destroy(r);
	mmsim_trace_writer_destroy(w);
	free(out);
	free(recs);
}

Test(trace_reader, errors_are_sticky)
{
	const char *text = " L 10,4\n S 20\n M 30,4\n";
	struct mmsim_trace_reader *r;
	struct mmsim_trace_record rec;
	struct mmsim_error err;
	size_t k;

	cr_assert_eq(mmsim_trace_reader_create_memory(text, strlen(text), "t", &r, &err), 0);
	cr_assert_eq(mmsim_trace_next(r, &rec, &err), 1);
	for (int i = 0; i < 3; i++) {
		mmsim_error_clear(&err);
		cr_assert_eq(mmsim_trace_next(r, &rec, &err), -EINVAL);
		cr_assert_str_eq(err.msg,
				 "t:2:6: expected ',' after the address, found end of line");
		cr_assert_eq(mmsim_trace_read(r, &rec, 1, &k, &err), -EINVAL);
		cr_assert_eq(k, 0);
	}
	/* A rewind starts over, error forgotten, and meets it again in the same place. */
	cr_assert_eq(mmsim_trace_rewind(r, &err), 0);
	cr_assert_eq(mmsim_trace_next(r, &rec, &err), 1);
	cr_assert_eq(rec.addr, 0x10);
	cr_assert_eq(mmsim_trace_next(r, &rec, &err), -EINVAL);
	mmsim_trace_reader_destroy(r);
}

static void two_passes(enum mmsim_trace_compression c)
{
	struct tt_dir d;
	struct mmsim_trace_record *recs;
	size_t n = 30000;
	const char *path;
	struct mmsim_trace_reader *r, *again;
	struct mmsim_trace_progress p;
	struct mmsim_error err;
	struct mmsim_trace_record rec;
	struct tt_trace t;

	tt_dir_make(&d);
	path = binary_file(&d, "two", n, c, &recs);
	cr_assert_eq(mmsim_trace_reader_create(path, &r, &err), 0, "%s", err.msg);
	cr_assert(mmsim_trace_rewindable(r));
	/* Half a pass, rewind, a full pass, rewind, another full pass. */
	for (size_t i = 0; i < n / 2; i++)
		cr_assert_eq(mmsim_trace_next(r, &rec, &err), 1);
	cr_assert_eq(mmsim_trace_rewind(r, &err), 0, "%s", err.msg);
	mmsim_trace_get_progress(r, &p);
	cr_assert_eq(p.nr_records, 0);
	for (int pass = 0; pass < 2; pass++) {
		t = tt_read_all(r);
		cr_assert_eq(t.ret, 0, "%s", t.err.msg);
		cr_assert_eq(t.n, n);
		tt_assert_same(t.recs, recs, n);
		free(t.recs);
		mmsim_trace_get_progress(r, &p);
		cr_assert_eq(p.nr_records, n);
		cr_assert_eq(p.bytes_read, p.total_bytes);
		cr_assert_eq(mmsim_trace_rewind(r, &err), 0, "%s", err.msg);
	}
	/* A second reader of the same path, open at the same time, starts from the start. */
	cr_assert_eq(mmsim_trace_reader_create(path, &again, &err), 0, "%s", err.msg);
	cr_assert_eq(mmsim_trace_next(r, &rec, &err), 1);
	t = tt_read_all(again);
	tt_assert_read(&t, recs, n);
	mmsim_trace_reader_destroy(again);
	mmsim_trace_reader_destroy(r);
	tt_dir_remove(&d);
	free(recs);
}

Test(trace_reader, two_passes_plain)
{
	two_passes(MMSIM_TRACE_COMPRESSION_NONE);
}

Test(trace_reader, two_passes_zstd)
{
	two_passes(MMSIM_TRACE_COMPRESSION_ZSTD);
}

Test(trace_reader, two_passes_gzip)
{
	two_passes(MMSIM_TRACE_COMPRESSION_GZIP);
}

Test(trace_reader, progress_counts_records_handed_out)
{
	const char *text = "I  10,1\n L 20,2\n S 30,4\n";
	struct mmsim_trace_reader *r;
	struct mmsim_trace_progress p;
	struct mmsim_trace_record rec;
	struct mmsim_error err;

	cr_assert_eq(mmsim_trace_reader_create_memory(text, strlen(text), "t", &r, &err), 0);
	mmsim_trace_get_progress(r, &p);
	cr_assert_eq(p.total_bytes, strlen(text));
	cr_assert_eq(p.nr_records, 0);
	cr_assert_eq(mmsim_trace_next(r, &rec, &err), 1);
	mmsim_trace_get_progress(r, &p);
	cr_assert_eq(p.nr_records, 1, "the batch parsed ahead is not counted");
	mmsim_trace_reader_destroy(r);
}

Test(trace_reader, destroy_accepts_null)
{
	mmsim_trace_reader_destroy(NULL);
}
