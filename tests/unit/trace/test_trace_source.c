/*
 * tests/unit/trace/test_trace_source.c: getting a trace's bytes: files, standard input,
 * pipes, and compression recognised by content.
 *
 * Compressed inputs are made here with zlib and libzstd directly, not with mmsim's writer,
 * so the reader is checked against the reference implementations of RFC 1952 and RFC 8878.
 * Criterion runs each test in its own process, so replacing standard input is safe.
 */
#include <criterion/criterion.h>
#include <lzma.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "trace/trace_reader.h"
#include "trace/trace_source.h"
#include "trace/trace_test_util.h"

#define REC(k, a, s, p)               \
	((struct mmsim_trace_record){ \
		.kind = MMSIM_TRACE_##k, .addr = (a), .size = (s), .pid = (p) })

static const char lackey_text[] = "==7== Lackey\n"
				  "I  0401ab70,3\n"
				  " S 1fff000628,8\n"
				  " L 04020d58,4\n"
				  " M 1ffefffd70,16\n";

static const struct mmsim_trace_record lackey_recs[] = {
	REC(IFETCH, 0x0401ab70, 3, 0),
	REC(STORE, 0x1fff000628, 8, 0),
	REC(LOAD, 0x04020d58, 4, 0),
	REC(MODIFY, 0x1ffefffd70, 16, 0),
};

static void expect_lackey_recs(struct tt_trace t)
{
	tt_assert_read(&t, lackey_recs, 4);
}

static void expect_error(struct tt_trace t, int code, const char *msg)
{
	cr_assert_eq(t.ret, code, "ret %d (%s), want %d", t.ret, t.err.msg, code);
	cr_assert_str_eq(t.err.msg, msg);
	free(t.recs);
}

Test(trace_source, gzip_from_zlib_is_read_transparently)
{
	size_t len;
	uint8_t *gz = tt_gzip(lackey_text, sizeof(lackey_text) - 1, &len);
	struct mmsim_trace_reader *r;
	struct mmsim_error err;

	cr_assert_eq(mmsim_trace_reader_create_memory(gz, len, "t.gz", &r, &err), 0);
	cr_assert_eq(mmsim_trace_reader_compression(r), MMSIM_TRACE_COMPRESSION_GZIP);
	cr_assert_eq(mmsim_trace_reader_format(r), MMSIM_TRACE_FORMAT_LACKEY);
	expect_lackey_recs(tt_read_all(r));
	mmsim_trace_reader_destroy(r);
	free(gz);
}

Test(trace_source, zstd_from_libzstd_is_read_transparently)
{
	size_t len;
	uint8_t *zs = tt_zstd(lackey_text, sizeof(lackey_text) - 1, &len);
	struct mmsim_trace_reader *r;
	struct mmsim_error err;

	cr_assert_eq(mmsim_trace_reader_create_memory(zs, len, "t.zst", &r, &err), 0);
	cr_assert_eq(mmsim_trace_reader_compression(r), MMSIM_TRACE_COMPRESSION_ZSTD);
	expect_lackey_recs(tt_read_all(r));
	mmsim_trace_reader_destroy(r);
	free(zs);
}

Test(trace_source, concatenated_gzip_members_and_zstd_frames_are_one_stream)
{
	size_t half = 27, l1, l2; /* splits the text inside the second line */
	uint8_t *a = tt_gzip(lackey_text, half, &l1);
	uint8_t *b = tt_gzip(lackey_text + half, sizeof(lackey_text) - 1 - half, &l2);
	uint8_t *both = malloc(l1 + l2);

	memcpy(both, a, l1);
	memcpy(both + l1, b, l2);
	expect_lackey_recs(tt_read_memory(both, l1 + l2));
	free(a);
	free(b);
	a = tt_zstd(lackey_text, half, &l1);
	b = tt_zstd(lackey_text + half, sizeof(lackey_text) - 1 - half, &l2);
	both = realloc(both, l1 + l2);
	memcpy(both, a, l1);
	memcpy(both + l1, b, l2);
	expect_lackey_recs(tt_read_memory(both, l1 + l2));
	free(a);
	free(b);
	free(both);
}

Test(trace_source, truncated_compressed_input_is_an_error)
{
	size_t glen, zlen;
	uint8_t *gz = tt_gzip(lackey_text, sizeof(lackey_text) - 1, &glen);
	uint8_t *zs = tt_zstd(lackey_text, sizeof(lackey_text) - 1, &zlen);
	char msg[128];

	/* Every cut, including inside the magic number and just before the gzip trailer. */
	for (size_t cut = 1; cut < glen; cut++) {
		struct tt_trace t = tt_read_memory(gz, cut);

		cr_assert_eq(t.ret, -EINVAL, "gzip cut at %zu of %zu", cut, glen);
		free(t.recs);
	}
	for (size_t cut = 1; cut < zlen; cut++) {
		struct tt_trace t = tt_read_memory(zs, cut);

		cr_assert_eq(t.ret, -EINVAL, "zstd cut at %zu of %zu", cut, zlen);
		free(t.recs);
	}
	/* Without its 4-byte size trailer: the message names the end of the file. */
	snprintf(msg, sizeof(msg),
		 "t: byte %zu: truncated gzip stream (the file ends inside a member)", glen - 4);
	expect_error(tt_read_memory(gz, glen - 4), -EINVAL, msg);
	expect_error(tt_read_memory(zs, 2), -EINVAL,
		     "t: byte 2: truncated zstd stream (the file ends inside the magic number)");
	free(gz);
	free(zs);
}

Test(trace_source, corrupt_compressed_input_is_an_error)
{
	size_t glen;
	uint8_t *gz = tt_gzip(lackey_text, sizeof(lackey_text) - 1, &glen);
	uint8_t *more = malloc(glen + 3);
	char msg[128];
	struct tt_trace t;

	/* A wrong CRC-32 in the trailer (RFC 1952 §2.3.1). */
	gz[glen - 6] ^= 0x55;
	t = tt_read_memory(gz, glen);
	cr_assert_eq(t.ret, -EINVAL);
	cr_assert(strstr(t.err.msg, "corrupt gzip data: incorrect data check"), "%s", t.err.msg);
	free(t.recs);
	gz[glen - 6] ^= 0x55;

	/* Bytes after the last member that are not another member. */
	memcpy(more, gz, glen);
	memcpy(more + glen, "abc", 3);
	snprintf(msg, sizeof(msg), "t: byte %zu: data after the gzip stream", glen);
	expect_error(tt_read_memory(more, glen + 3), -EINVAL, msg);
	free(more);
	free(gz);
}

Test(trace_source, refuses_other_compressors_by_name)
{
	const uint8_t lz4[] = { 0x04, 0x22, 0x4d, 0x18, 0, 0, 0, 0, 0, 0, 0, 0 };
	const uint8_t bz[] = { 'B', 'Z', 'h', '9', 0x31, 0x41, 0x59, 0x26, 0x53, 0x59, 0, 0 };
	const char *bz_text = "BZh is a word\n";
	struct tt_trace t;

	expect_error(tt_read_memory(lz4, sizeof(lz4)), -EINVAL,
		     "t: lz4-compressed traces are not supported (recompress with zstd, gzip "
		     "or xz)");
	expect_error(tt_read_memory(bz, sizeof(bz)), -EINVAL,
		     "t: bzip2-compressed traces are not supported (recompress with zstd, gzip "
		     "or xz)");
	/* Text that only starts like bzip2 is text (here, no trace). */
	t = tt_read_memory(bz_text, strlen(bz_text));
	cr_assert_eq(t.ret, -EINVAL);
	cr_assert(strstr(t.err.msg, "not a memory trace"), "%s", t.err.msg);
	free(t.recs);
}

/* xz as xz(1) writes it: the magic, a stream, its footer (liblzma's encoder here). */
static uint8_t *xz_compress(const void *data, size_t len, size_t *out_len)
{
	size_t cap = len + 1024, pos = 0;
	uint8_t *out = malloc(cap);

	cr_assert(out);
	cr_assert_eq(lzma_easy_buffer_encode(6, LZMA_CHECK_CRC64, NULL, data, len, out, &pos, cap),
		     LZMA_OK);
	*out_len = pos;
	return out;
}

Test(trace_source, xz_from_liblzma_is_read_transparently)
{
	size_t len;
	uint8_t *xz = xz_compress(lackey_text, sizeof(lackey_text) - 1, &len);
	struct mmsim_trace_reader *r;
	struct mmsim_error err;

	cr_assert_eq(mmsim_trace_reader_create_memory(xz, len, "t.xz", &r, &err), 0, "%s", err.msg);
	cr_assert_eq(mmsim_trace_reader_compression(r), MMSIM_TRACE_COMPRESSION_XZ);
	expect_lackey_recs(tt_read_all(r));
	mmsim_trace_reader_destroy(r);
	/* Cut anywhere after the magic: an error naming a byte, never a shorter trace. */
	for (size_t cut = 6; cut < len; cut += 7) {
		struct tt_trace t = tt_read_memory(xz, cut);

		cr_assert_eq(t.ret, -EINVAL, "cut %zu", cut);
		cr_assert(strstr(t.err.msg, "t: byte "), "cut %zu: %s", cut, t.err.msg);
		free(t.recs);
	}
	free(xz);
}

Test(trace_source, files_plain_and_compressed)
{
	struct tt_dir d;
	size_t glen, zlen;
	uint8_t *gz = tt_gzip(lackey_text, sizeof(lackey_text) - 1, &glen);
	uint8_t *zs = tt_zstd(lackey_text, sizeof(lackey_text) - 1, &zlen);
	const char *plain, *gzp, *zsp;

	tt_dir_make(&d);
	/* Names say nothing true: content decides. */
	plain = tt_path(&d, "trace.gz");
	gzp = tt_path(&d, "trace.txt");
	zsp = tt_path(&d, "trace");
	tt_write_file(plain, lackey_text, sizeof(lackey_text) - 1);
	tt_write_file(gzp, gz, glen);
	tt_write_file(zsp, zs, zlen);
	expect_lackey_recs(tt_read_path(plain));
	expect_lackey_recs(tt_read_path(gzp));
	expect_lackey_recs(tt_read_path(zsp));
	tt_dir_remove(&d);
	free(gz);
	free(zs);
}

Test(trace_source, empty_file_is_an_empty_trace)
{
	struct tt_dir d;
	const char *path;
	struct tt_trace t;

	tt_dir_make(&d);
	path = tt_path(&d, "empty");
	tt_write_file(path, "", 0);
	t = tt_read_path(path);
	cr_assert_eq(t.ret, 0, "%s", t.err.msg);
	cr_assert_eq(t.n, 0);
	free(t.recs);
	tt_dir_remove(&d);
}

Test(trace_source, host_failures_name_the_file)
{
	struct tt_dir d;
	char msg[512];
	const char *missing;

	tt_dir_make(&d);
	missing = tt_path(&d, "missing");
	snprintf(msg, sizeof(msg), "%s: cannot open: No such file or directory", missing);
	expect_error(tt_read_path(missing), -ENOENT, msg);
	snprintf(msg, sizeof(msg), "%s: cannot read: is a directory", d.path);
	expect_error(tt_read_path(d.path), -EISDIR, msg);
	tt_dir_remove(&d);
}

/* Makes a file the process's standard input. */
static void redirect_stdin(const char *path)
{
	int fd = open(path, O_RDONLY);

	cr_assert_geq(fd, 0);
	cr_assert_eq(dup2(fd, STDIN_FILENO), STDIN_FILENO);
	close(fd);
}

Test(trace_source, dash_reads_standard_input_once)
{
	struct tt_dir d;
	size_t zlen;
	uint8_t *zs = tt_zstd(lackey_text, sizeof(lackey_text) - 1, &zlen);
	const char *path;
	struct mmsim_trace_reader *r;
	struct mmsim_error err;

	tt_dir_make(&d);
	path = tt_path(&d, "in.zst");
	tt_write_file(path, zs, zlen);
	redirect_stdin(path);
	cr_assert_eq(mmsim_trace_reader_create("-", &r, &err), 0, "%s", err.msg);
	cr_assert_str_eq(mmsim_trace_reader_name(r), "<stdin>");
	cr_assert_eq(mmsim_trace_reader_compression(r), MMSIM_TRACE_COMPRESSION_ZSTD);
	cr_assert_not(mmsim_trace_rewindable(r));
	expect_lackey_recs(tt_read_all(r));
	cr_assert_eq(mmsim_trace_rewind(r, &err), -ESPIPE);
	cr_assert_str_eq(err.msg, "<stdin>: standard input can be read only once; a second pass "
				  "(as policy=opt needs) requires a trace file");
	mmsim_trace_reader_destroy(r);
	/* Standard input stays open for the caller. */
	cr_assert_neq(fcntl(STDIN_FILENO, F_GETFD), -1);
	tt_dir_remove(&d);
	free(zs);
}

Test(trace_source, a_pipe_by_path_is_read_once)
{
	int fds[2];
	char path[64];
	struct mmsim_trace_reader *r;
	struct mmsim_error err;

	cr_assert_eq(pipe(fds), 0);
	cr_assert_eq(write(fds[1], lackey_text, sizeof(lackey_text) - 1),
		     (ssize_t)sizeof(lackey_text) - 1);
	close(fds[1]);
	snprintf(path, sizeof(path), "/dev/fd/%d", fds[0]);
	cr_assert_eq(mmsim_trace_reader_create(path, &r, &err), 0, "%s", err.msg);
	cr_assert_not(mmsim_trace_rewindable(r));
	expect_lackey_recs(tt_read_all(r));
	cr_assert_eq(mmsim_trace_rewind(r, &err), -ESPIPE);
	mmsim_trace_reader_destroy(r);
	close(fds[0]);
}

Test(trace_source, progress_counts_file_bytes)
{
	struct tt_dir d;
	size_t zlen;
	uint8_t *zs = tt_zstd(lackey_text, sizeof(lackey_text) - 1, &zlen);
	const char *path;
	struct mmsim_trace_reader *r;
	struct mmsim_trace_progress p;
	struct mmsim_error err;
	struct tt_trace t;

	tt_dir_make(&d);
	path = tt_path(&d, "p.zst");
	tt_write_file(path, zs, zlen);
	cr_assert_eq(mmsim_trace_reader_create(path, &r, &err), 0);
	mmsim_trace_get_progress(r, &p);
	cr_assert_eq(p.total_bytes, zlen);
	cr_assert_eq(p.nr_records, 0);
	t = tt_read_all(r);
	mmsim_trace_get_progress(r, &p);
	cr_assert_eq(p.bytes_read, zlen);
	cr_assert_eq(p.total_bytes, zlen);
	cr_assert_eq(p.nr_records, 4);
	free(t.recs);
	mmsim_trace_reader_destroy(r);
	tt_dir_remove(&d);
	free(zs);
}

Test(trace_source, pipe_delivering_one_byte_at_a_time)
{
	int fds[2];
	char path[64];
	size_t zlen;
	uint8_t *zs = tt_zstd(lackey_text, sizeof(lackey_text) - 1, &zlen);
	pid_t child;
	struct tt_trace t;

	cr_assert_eq(pipe(fds), 0);
	child = fork();
	cr_assert_geq(child, 0);
	if (child == 0) {
		close(fds[0]);
		for (size_t i = 0; i < zlen; i++) {
			if (write(fds[1], zs + i, 1) != 1)
				_exit(1);
		}
		_exit(0);
	}
	close(fds[1]);
	snprintf(path, sizeof(path), "/dev/fd/%d", fds[0]);
	t = tt_read_path(path);
	expect_lackey_recs(t);
	close(fds[0]);
	cr_assert_eq(waitpid(child, NULL, 0), child);
	free(zs);
}

/* Every decoded byte of s, compared with want (len bytes). */
static void expect_bytes(struct trace_source *s, const uint8_t *want, size_t len)
{
	struct mmsim_error err;
	size_t at = 0;

	for (;;) {
		cr_assert_eq(trace_source_need(s, 1, &err), 0, "%s", err.msg);
		if (s->pos == s->end)
			break;
		cr_assert_leq(at + (s->end - s->pos), len);
		cr_assert_eq(memcmp(s->buf + s->pos, want + at, s->end - s->pos), 0, "byte %zu",
			     at);
		at += s->end - s->pos;
		s->pos = s->end;
	}
	cr_assert_eq(at, len);
}

/* A source of data (len bytes) with a 1 MiB buffer: whether it took 2 MiB pages, and that
 * it decodes to plain (plain_len bytes), twice (rewound). */
static bool source_is_big(const void *data, size_t len, const uint8_t *plain, size_t plain_len)
{
	struct trace_source s;
	struct mmsim_error err;
	bool big;

	cr_assert_eq(trace_source_init_memory(&s, data, len, "t", TRACE_SOURCE_BUF_SIZE, &err), 0);
	cr_assert_eq(trace_source_start(&s, &err), 0, "%s", err.msg);
	big = s.big;
	cr_assert_eq(s.buf_big, big, "the buffer follows the choice");
	expect_bytes(&s, plain, plain_len);
	cr_assert_eq(trace_source_rewind(&s, &err), 0, "%s", err.msg);
	expect_bytes(&s, plain, plain_len);
	trace_source_fini(&s);
	return big;
}

/* Host memory only (trace_source.c, choose_big()): a trace expected to decode to 1 MiB or
 * more (raw: that size; compressed: a sixteenth of it) gets its buffer and zstd's window on
 * 2 MiB pages, a small one does not (a 2 MiB page costs more than a few 4 KiB ones); both
 * decode to the same bytes. */
Test(trace_source, only_a_big_trace_gets_2mib_pages)
{
	size_t n = (size_t)3 << 20, zlen;
	uint8_t *plain = malloc(n), *zs;
	uint64_t x = 1;

	cr_assert_not_null(plain);
	/* Bytes zstd cannot squeeze much (so the compressed input is big too), no magic. */
	for (size_t i = 0; i < n; i++) {
		x = x * UINT64_C(6364136223846793005) + 1442695040888963407u;
		plain[i] = (uint8_t)('a' + (x >> 60));
	}
	cr_assert_not(source_is_big(lackey_text, sizeof(lackey_text) - 1,
				    (const uint8_t *)lackey_text, sizeof(lackey_text) - 1));
	cr_assert(source_is_big(plain, n, plain, n));
	zs = tt_zstd(plain, n, &zlen);
	cr_assert_geq(zlen, (size_t)1 << 16, "compressed to %zu bytes", zlen);
	cr_assert(source_is_big(zs, zlen, plain, n));
	free(zs);
	zs = tt_zstd(lackey_text, sizeof(lackey_text) - 1, &zlen);
	cr_assert_not(
		source_is_big(zs, zlen, (const uint8_t *)lackey_text, sizeof(lackey_text) - 1));
	free(zs);
	free(plain);
}
