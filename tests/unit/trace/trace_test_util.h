/*
 * tests/unit/trace/trace_test_util.h: helpers the trace tests share: a private temporary
 * directory, files in it, compression done independently of the library (zlib's deflate,
 * libzstd's one-shot API), and reading a whole trace into an array.
 *
 * Every helper fails the current test (cr_assert) instead of returning an error.
 */
#ifndef MMSIM_TESTS_UNIT_TRACE_TRACE_TEST_UTIL_H
#define MMSIM_TESTS_UNIT_TRACE_TRACE_TEST_UTIL_H

#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include "mmsim/error.h"
#include "mmsim/trace.h"
#include "trace/trace_reader.h"
#include "util/macros.h"

struct tt_dir {
	char path[64];	    /* the directory, from mkdtemp() */
	char file[64][320]; /* paths handed out by tt_path(), removed by tt_dir_remove() */
	int nr_files;
};

static inline void tt_dir_make(struct tt_dir *d)
{
	memset(d, 0, sizeof(*d));
	snprintf(d->path, sizeof(d->path), "%s", "/tmp/mmsim-trace-test-XXXXXX");
	cr_assert_not_null(mkdtemp(d->path), "mkdtemp failed");
}

/* A path name inside d; the file is removed with the directory. */
static inline const char *tt_path(struct tt_dir *d, const char *name)
{
	char *file;

	cr_assert_lt(d->nr_files, 64);
	cr_assert_lt(strlen(d->path) + 1 + strlen(name), sizeof(d->file[0]));
	file = d->file[d->nr_files++];
	strcpy(file, d->path);
	strcat(file, "/");
	strcat(file, name);
	return file;
}

static inline void tt_dir_remove(struct tt_dir *d)
{
	for (int i = 0; i < d->nr_files; i++)
		unlink(d->file[i]);
	rmdir(d->path);
}

static inline void tt_write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	cr_assert_not_null(f, "cannot create %s", path);
	cr_assert_eq(fwrite(data, 1, len, f), len);
	cr_assert_eq(fclose(f), 0);
}

/* Reads a whole file into a malloc'd buffer; *len gets its size. */
static inline uint8_t *tt_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *data = NULL;
	size_t cap = 0, n = 0, got;

	cr_assert_not_null(f, "cannot open %s", path);
	do {
		if (cap - n < 4096) {
			cap = cap ? cap * 2 : 65536;
			data = realloc(data, cap);
			cr_assert_not_null(data);
		}
		got = fread(data + n, 1, cap - n, f);
		n += got;
	} while (got > 0);
	fclose(f);
	*len = n;
	return data;
}

/* gzip-compresses data with zlib (one member); returns a malloc'd buffer. */
static inline uint8_t *tt_gzip(const void *data, size_t len, size_t *out_len)
{
	z_stream z;
	size_t cap = deflateBound(NULL, (uLong)len) + 64;
	uint8_t *out = malloc(cap);

	cr_assert_not_null(out);
	memset(&z, 0, sizeof(z));
	cr_assert_eq(deflateInit2(&z, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY), Z_OK);
	z.next_in = (Bytef *)(uintptr_t)data;
	z.avail_in = (uInt)len;
	z.next_out = out;
	z.avail_out = (uInt)cap;
	cr_assert_eq(deflate(&z, Z_FINISH), Z_STREAM_END);
	*out_len = cap - z.avail_out;
	deflateEnd(&z);
	return out;
}

/* zstd-compresses data with the one-shot API (one frame); returns a malloc'd buffer. */
static inline uint8_t *tt_zstd(const void *data, size_t len, size_t *out_len)
{
	size_t cap = ZSTD_compressBound(len);
	uint8_t *out = malloc(cap);

	cr_assert_not_null(out);
	*out_len = ZSTD_compress(out, cap, data, len, 3);
	cr_assert(!ZSTD_isError(*out_len));
	return out;
}

/* Records read from a trace, or the error that ended it. */
struct tt_trace {
	struct mmsim_trace_record *recs; /* malloc'd */
	size_t n;
	int ret;		/* 0, or the error that stopped reading */
	struct mmsim_error err; /* the error's message */
};

/* Reads r to the end or to its first error, with mmsim_trace_next(). */
static inline struct tt_trace tt_read_all(struct mmsim_trace_reader *r)
{
	struct tt_trace t = { 0 };
	size_t cap = 0;
	int ret;

	for (;;) {
		if (t.n == cap) {
			cap = cap ? cap * 2 : 1024;
			t.recs = realloc(t.recs, cap * sizeof(*t.recs));
			cr_assert_not_null(t.recs);
		}
		ret = mmsim_trace_next(r, &t.recs[t.n], &t.err);
		if (ret <= 0)
			break;
		t.n++;
	}
	t.ret = ret;
	return t;
}

/* Opens data in memory and reads it all; t.ret also reports a failed open. */
static inline struct tt_trace tt_read_memory(const void *data, size_t len)
{
	struct mmsim_trace_reader *r;
	struct tt_trace t = { 0 };

	t.ret = mmsim_trace_reader_create_memory(data, len, "t", &r, &t.err);
	if (t.ret)
		return t;
	t = tt_read_all(r);
	mmsim_trace_reader_destroy(r);
	return t;
}

/* Reads data as format, through a decoded buffer of buf_size bytes (small: edges crossed). */
static inline struct tt_trace tt_read_as(const void *data, size_t len,
					 enum mmsim_trace_format format, size_t buf_size)
{
	struct mmsim_trace_reader *r;
	struct tt_trace t = { 0 };

	t.ret = trace_reader_create_memory_as(data, len, "t", buf_size, format, &r, &t.err);
	if (t.ret)
		return t;
	t = tt_read_all(r);
	mmsim_trace_reader_destroy(r);
	return t;
}

/* Reads data through a reader with the smallest decoded buffer, so that records and lines
 * cross its edges. */
static inline struct tt_trace tt_read_memory_small(const void *data, size_t len)
{
	struct mmsim_trace_reader *r;
	struct tt_trace t = { 0 };

	t.ret = trace_reader_create_memory_buffered(data, len, "t", 0, &r, &t.err);
	if (t.ret)
		return t;
	t = tt_read_all(r);
	mmsim_trace_reader_destroy(r);
	return t;
}

static inline struct tt_trace tt_read_path(const char *path)
{
	struct mmsim_trace_reader *r;
	struct tt_trace t = { 0 };

	t.ret = mmsim_trace_reader_create(path, &r, &t.err);
	if (t.ret)
		return t;
	t = tt_read_all(r);
	mmsim_trace_reader_destroy(r);
	return t;
}

static inline void tt_assert_same(const struct mmsim_trace_record *got,
				  const struct mmsim_trace_record *want, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		cr_assert_eq(got[i].kind, want[i].kind, "record %zu: kind %d, want %d", i,
			     got[i].kind, want[i].kind);
		cr_assert_eq(got[i].addr, want[i].addr, "record %zu: addr 0x%llx, want 0x%llx", i,
			     (unsigned long long)got[i].addr, (unsigned long long)want[i].addr);
		cr_assert_eq(got[i].size, want[i].size, "record %zu: size %u, want %u", i,
			     got[i].size, want[i].size);
		cr_assert_eq(got[i].pid, want[i].pid, "record %zu: pid %u, want %u", i, got[i].pid,
			     want[i].pid);
	}
}

/* Asserts that t read without error exactly the n records want, then frees t's records. */
static inline void tt_assert_read(struct tt_trace *t, const struct mmsim_trace_record *want,
				  size_t n)
{
	cr_assert_eq(t->ret, 0, "%s", t->err.msg);
	cr_assert_eq(t->n, n);
	tt_assert_same(t->recs, want, n);
	free(t->recs);
}

/* xorshift64*: a fixed-seed generator, so every run sees the same records. */
static inline uint64_t tt_rand(uint64_t *state)
{
	*state ^= *state >> 12;
	*state ^= *state << 25;
	*state ^= *state >> 27;
	return *state * UINT64_C(2685821657736338717);
}

/*
 * n records of every shape: all kinds, sizes with and without a tag code, addresses that
 * step a little, jump far, wrap around 0 and reach UINT64_MAX, pids that change now and then.
 */
static inline struct mmsim_trace_record *tt_random_records(size_t n, uint64_t seed)
{
	static const uint32_t sizes[] = {
		1, 2, 3, 4, 8, 12, 13, 16, 17, 32, 64, 65, 512, UINT32_MAX
	};
	struct mmsim_trace_record *recs = calloc(n ? n : 1, sizeof(*recs));
	uint64_t s = seed | 1, addr = 0x400000;
	uint32_t pid = 0;

	cr_assert_not_null(recs);
	for (size_t i = 0; i < n; i++) {
		uint64_t x = tt_rand(&s);

		switch (x % 8) {
		case 0:
			addr = tt_rand(&s); /* anywhere */
			break;
		case 1:
			addr = (x & 16) ? UINT64_MAX - (x >> 60) : x >> 60; /* the edges */
			break;
		default:
			addr += (x >> 8) % 64 - 16; /* nearby, either way */
			break;
		}
		if ((x >> 20) % 50 == 0)
			pid = (x >> 32) % 4 == 0 ? UINT32_MAX : (uint32_t)(x >> 40) % 1000;
		recs[i].kind = (enum mmsim_trace_kind)((x >> 3) % MMSIM_TRACE_NR_KINDS);
		recs[i].size = sizes[(x >> 12) % (ARRAY_SIZE(sizes))];
		recs[i].addr = addr;
		recs[i].pid = pid;
	}
	return recs;
}

#endif
