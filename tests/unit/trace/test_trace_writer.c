/*
 * tests/unit/trace/test_trace_writer.c: the public writer and mmsim_trace_convert().
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "trace/trace_test_util.h"
#include "trace/trace_writer.h"

#define REC(k, a, s, p)               \
	((struct mmsim_trace_record){ \
		.kind = MMSIM_TRACE_##k, .addr = (a), .size = (s), .pid = (p) })

static const struct mmsim_trace_writer_opts lackey_plain = {
	.format = MMSIM_TRACE_FORMAT_LACKEY,
	.compression = MMSIM_TRACE_COMPRESSION_NONE,
};

static void write_file(const char *path, const struct mmsim_trace_writer_opts *opts,
		       const struct mmsim_trace_record *recs, size_t n)
{
	struct mmsim_trace_writer *w;
	struct mmsim_error err;

	cr_assert_eq(mmsim_trace_writer_create(path, opts, &w, &err), 0, "%s", err.msg);
	for (size_t i = 0; i < n; i++)
		cr_assert_eq(mmsim_trace_write(w, &recs[i], &err), 0, "%s", err.msg);
	cr_assert_eq(mmsim_trace_writer_nr_records(w), n);
	cr_assert_eq(mmsim_trace_writer_finish(w, &err), 0, "%s", err.msg);
	/* Once finished, the bytes written are the file (compressed, if it is). */
	if (strcmp(path, "-") != 0) {
		struct stat st;

		cr_assert_eq(stat(path, &st), 0);
		cr_expect_eq(mmsim_trace_writer_bytes(w), (uint64_t)st.st_size);
	}
	mmsim_trace_writer_destroy(w);
}

static void file_round_trip(const struct mmsim_trace_writer_opts *opts,
			    enum mmsim_trace_format format, enum mmsim_trace_compression c)
{
	struct tt_dir d;
	size_t n = 200000; /* several megabytes of records: many buffer flushes */
	struct mmsim_trace_record *recs = tt_random_records(n, 21);
	const char *path;
	struct mmsim_trace_reader *r;
	struct mmsim_error err;
	struct tt_trace t;

	tt_dir_make(&d);
	path = tt_path(&d, "out");
	write_file(path, opts, recs, n);
	cr_assert_eq(mmsim_trace_reader_create(path, &r, &err), 0, "%s", err.msg);
	cr_assert_eq(mmsim_trace_reader_format(r), format);
	cr_assert_eq(mmsim_trace_reader_compression(r), c);
	t = tt_read_all(r);
	tt_assert_read(&t, recs, n);
	mmsim_trace_reader_destroy(r);
	tt_dir_remove(&d);
	free(recs);
}

Test(trace_writer, default_is_zstd_binary)
{
	file_round_trip(NULL, MMSIM_TRACE_FORMAT_BINARY, MMSIM_TRACE_COMPRESSION_ZSTD);
}

Test(trace_writer, every_format_and_compression_reads_back)
{
	for (int f = 0; f < 2; f++) {
		for (int c = 0; c < 3; c++) {
			struct mmsim_trace_writer_opts o = {
				.format = (enum mmsim_trace_format)f,
				.compression = (enum mmsim_trace_compression)c,
				.level = c == MMSIM_TRACE_COMPRESSION_ZSTD ? 1 : 0,
			};

			file_round_trip(&o, o.format, o.compression);
		}
	}
}

Test(trace_writer, lackey_text_is_valgrinds_format)
{
	const struct mmsim_trace_record recs[] = {
		REC(IFETCH, 0x0401ab70, 3, 0),
		REC(STORE, 0x1fff000628, 8, 0),
		REC(LOAD, 0x10, 4, 3),
		REC(MODIFY, 0x20, 16, 3),
	};
	struct tt_dir d;
	const char *path;
	size_t len;
	char *text;

	tt_dir_make(&d);
	path = tt_path(&d, "t.txt");
	write_file(path, &lackey_plain, recs, 4);
	text = (char *)tt_read_file(path, &len);
	text = realloc(text, len + 1);
	text[len] = '\0';
	cr_assert_str_eq(text, "I  0401ab70,3\n"
			       " S 1fff000628,8\n"
			       "# mmsim pid 3\n"
			       " L 00000010,4\n"
			       " M 00000020,16\n");
	free(text);
	tt_dir_remove(&d);
}

Test(trace_writer, invalid_records_are_refused_and_the_refusal_sticks)
{
	struct mmsim_trace_writer *w;
	struct mmsim_error err;

	cr_assert_eq(trace_writer_create_memory("w", NULL, &w, &err), 0);
	cr_assert_eq(mmsim_trace_write(w, &REC(LOAD, 0x10, 4, 0), &err), 0);
	cr_assert_eq(mmsim_trace_write(w, &REC(LOAD, 0x10, 0, 0), &err), -EINVAL);
	cr_assert_str_eq(err.msg, "w: record 2: size 0 is invalid");
	mmsim_error_clear(&err);
	cr_assert_eq(mmsim_trace_write(w, &REC(LOAD, 0x10, 4, 0), &err), -EINVAL);
	cr_assert_eq(mmsim_trace_writer_finish(w, &err), -EINVAL);
	cr_assert_str_eq(err.msg, "w: record 2: size 0 is invalid");
	mmsim_trace_writer_destroy(w);

	cr_assert_eq(trace_writer_create_memory("w", NULL, &w, &err), 0);
	cr_assert_eq(
		mmsim_trace_write(w, &(struct mmsim_trace_record){ .kind = 10, .size = 1 }, &err),
		-EINVAL);
	cr_assert_str_eq(err.msg, "w: record 1: unknown kind 10");
	mmsim_trace_writer_destroy(w);
}

Test(trace_writer, bad_options_are_refused)
{
	struct mmsim_trace_writer_opts o = { .format = MMSIM_TRACE_FORMAT_BINARY,
					     .compression = MMSIM_TRACE_COMPRESSION_GZIP,
					     .level = 10 };
	struct mmsim_trace_writer *w;
	struct mmsim_error err;

	cr_assert_eq(trace_writer_create_memory("w", &o, &w, &err), -EINVAL);
	cr_assert_str_eq(err.msg, "w: gzip level 10 is out of range (1..9)");
	cr_assert_null(w);
	o.compression = 7;
	o.level = 0;
	cr_assert_eq(trace_writer_create_memory("w", &o, &w, &err), -EINVAL);
	cr_assert_str_eq(err.msg, "w: unknown compression 7");
	o.compression = MMSIM_TRACE_COMPRESSION_NONE;
	o.format = 9;
	cr_assert_eq(trace_writer_create_memory("w", &o, &w, &err), -EINVAL);
	cr_assert_str_eq(err.msg, "w: unknown trace format 9");
}

Test(trace_writer, an_unfinished_trace_leaves_no_file_and_keeps_an_older_one)
{
	struct tt_dir d;
	const struct mmsim_trace_writer_opts plain = { .format = MMSIM_TRACE_FORMAT_BINARY };
	struct mmsim_trace_writer *w;
	struct mmsim_error err;
	const char *p1, *p2;
	size_t len;
	uint8_t *old;

	tt_dir_make(&d);
	p1 = tt_path(&d, "plain");
	p2 = tt_path(&d, "zstd");
	cr_assert_eq(mmsim_trace_writer_create(p1, &plain, &w, &err), 0);
	cr_assert_eq(mmsim_trace_write(w, &REC(LOAD, 0x10, 4, 0), &err), 0);
	mmsim_trace_writer_destroy(w); /* no finish: nothing at p1, not even a header */
	cr_assert_neq(access(p1, F_OK), 0, "an unfinished trace is not under its name");
	tt_write_file(p2, "old", 3);
	cr_assert_eq(mmsim_trace_writer_create(p2, NULL, &w, &err), 0);
	for (int i = 0; i < 300000; i++) /* past the 1 MiB buffer: bytes reach the disk */
		cr_assert_eq(mmsim_trace_write(w, &REC(LOAD, 0x10 + 64 * i, 4, 0), &err), 0);
	mmsim_trace_writer_destroy(w);
	old = tt_read_file(p2, &len);
	cr_assert_eq(len, 3, "the older file stays as it was");
	cr_assert(!memcmp(old, "old", 3));
	free(old);
	tt_dir_remove(&d);
	cr_assert_neq(access(d.path, F_OK), 0, "no temporary file was left in the directory");
}

/* Says stop at its second question. */
static bool stop_second(void *ctx)
{
	int *asked = ctx;

	return ++*asked == 2;
}

Test(trace_writer, a_stopped_convert_writes_nothing)
{
	struct tt_dir d;
	size_t n = 100000; /* several batches */
	struct mmsim_trace_record *recs = tt_random_records(n, 5);
	const char *in, *out;
	struct mmsim_error err;
	uint64_t copied = 0;
	int asked = 0;

	tt_dir_make(&d);
	in = tt_path(&d, "in");
	out = tt_path(&d, "out");
	write_file(in, NULL, recs, n);
	cr_assert_eq(mmsim_trace_convert_stoppable(in, MMSIM_TRACE_FORMAT_AUTO, out, &lackey_plain,
						   stop_second, &asked, &copied, &err),
		     -EINTR);
	cr_expect_gt(copied, 0, "one batch was copied before the stop");
	cr_expect_lt(copied, n);
	cr_expect_neq(access(out, F_OK), 0, "nothing at the output path");
	free(recs);
	tt_dir_remove(&d);
	cr_assert_neq(access(d.path, F_OK), 0, "no temporary file was left in the directory");
}

Test(trace_writer, create_failure_names_the_path)
{
	struct mmsim_trace_writer *w;
	struct mmsim_error err;

	cr_assert_eq(mmsim_trace_writer_create("/nonexistent-dir/x", NULL, &w, &err), -ENOENT);
	cr_assert_str_eq(err.msg, "/nonexistent-dir/x: cannot create: No such file or directory");
	cr_assert_null(w);
}

Test(trace_writer, dash_writes_standard_output)
{
	struct tt_dir d;
	const char *path;
	struct tt_trace t;
	int fd;

	tt_dir_make(&d);
	path = tt_path(&d, "stdout");
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	cr_assert_geq(fd, 0);
	cr_assert_eq(dup2(fd, STDOUT_FILENO), STDOUT_FILENO);
	close(fd);
	write_file("-", NULL, &REC(STORE, 0x1234, 8, 1), 1);
	cr_assert_neq(fcntl(STDOUT_FILENO, F_GETFD), -1, "standard output stays open");
	t = tt_read_path(path);
	cr_assert_eq(t.ret, 0, "%s", t.err.msg);
	cr_assert_eq(t.n, 1);
	tt_assert_same(t.recs, &REC(STORE, 0x1234, 8, 1), 1);
	free(t.recs);
	tt_dir_remove(&d);
}

Test(trace_writer, convert_lackey_to_binary_and_back)
{
	/* Banners vanish; records and pids survive both trips; the text comes back the same. */
	const char *text = "==5== Lackey\n"
			   "I  0401ab70,3\n"
			   " S 1fff000628,8\n"
			   "# mmsim pid 12\n"
			   " L 04020d58,4\n"
			   " M 1ffefffd70,16\n"
			   "# mmsim pid 0\n"
			   "I  ffffffffffffffff,1\n";
	struct mmsim_trace_writer_opts bin_zstd = { .format = MMSIM_TRACE_FORMAT_BINARY,
						    .compression = MMSIM_TRACE_COMPRESSION_ZSTD };
	struct tt_dir d;
	const char *in, *mid, *out;
	struct mmsim_error err;
	uint64_t n = 0;
	size_t len;
	char *back;

	tt_dir_make(&d);
	in = tt_path(&d, "in.txt");
	mid = tt_path(&d, "mid.bin");
	out = tt_path(&d, "out.txt");
	tt_write_file(in, text, strlen(text));
	cr_assert_eq(mmsim_trace_convert(in, mid, &bin_zstd, &n, &err), 0, "%s", err.msg);
	cr_assert_eq(n, 5);
	cr_assert_eq(mmsim_trace_convert(mid, out, &lackey_plain, &n, &err), 0, "%s", err.msg);
	cr_assert_eq(n, 5);
	back = (char *)tt_read_file(out, &len);
	cr_assert_eq(len, strlen(text) - strlen("==5== Lackey\n"));
	cr_assert_arr_eq(back, text + strlen("==5== Lackey\n"), len);
	free(back);
	tt_dir_remove(&d);
}

Test(trace_writer, convert_refuses_to_overwrite_its_input)
{
	struct tt_dir d;
	const char *in;
	char msg[512];
	struct mmsim_error err;
	size_t len;
	uint8_t *after;

	tt_dir_make(&d);
	in = tt_path(&d, "in.txt");
	tt_write_file(in, "I  10,1\n", 8);
	cr_assert_eq(mmsim_trace_convert(in, in, NULL, NULL, &err), -EINVAL);
	snprintf(msg, sizeof(msg), "%s: the output is the input file %s", in, in);
	cr_assert_str_eq(err.msg, msg);
	after = tt_read_file(in, &len);
	cr_assert_eq(len, 8, "the input is untouched");
	free(after);
	tt_dir_remove(&d);
}

Test(trace_writer, convert_stops_at_a_bad_input)
{
	struct tt_dir d;
	const char *in, *out;
	char msg[512];
	struct mmsim_error err;
	tt_dir_make(&d);
	in = tt_path(&d, "in.txt");
	out = tt_path(&d, "out.bin");
	tt_write_file(in, "I  10,1\nI  1x,1\n", 16);
	cr_assert_eq(mmsim_trace_convert(in, out, NULL, NULL, &err), -EINVAL);
	snprintf(msg, sizeof(msg), "%s:2:5: expected ',' after the address, found 'x'", in);
	cr_assert_str_eq(err.msg, msg);
	cr_assert_neq(access(out, F_OK), 0, "no output, not a partial one");
	tt_dir_remove(&d);
	cr_assert_neq(access(d.path, F_OK), 0, "no temporary file was left in the directory");
}

Test(trace_writer, destroy_accepts_null)
{
	mmsim_trace_writer_destroy(NULL);
}
