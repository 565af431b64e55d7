/*
 * tests/unit/trace/test_trace_sink.c: the byte sink, checked against the reference decoders:
 * what it writes with zstd must come back from ZSTD_decompress(), with gzip from zlib's
 * inflate, byte for byte, across several buffer flushes.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "trace/trace_sink.h"
#include "trace/trace_test_util.h"

/* 3 MiB of compressible bytes: three times the sink's buffer. */
#define DATA_SIZE (3u << 20)

static uint8_t *make_data(void)
{
	uint8_t *data = malloc(DATA_SIZE);
	uint64_t s = 99;

	cr_assert_not_null(data);
	for (size_t i = 0; i < DATA_SIZE; i++)
		data[i] = (uint8_t)(i % 97 == 0 ? tt_rand(&s) : i / 1024);
	return data;
}

/* Writes data through a memory sink in uneven pieces; returns the sink, finished. */
static void sink_write(struct trace_sink *k, enum mmsim_trace_compression c, const uint8_t *data)
{
	struct mmsim_error err;
	size_t done = 0, piece = 1;

	cr_assert_eq(trace_sink_init_memory(k, "k", c, 0, &err), 0, "%s", err.msg);
	while (done < DATA_SIZE) {
		size_t n = piece < DATA_SIZE - done ? piece : DATA_SIZE - done;

		cr_assert_eq(trace_sink_reserve(k, n, &err), 0, "%s", err.msg);
		memcpy(k->buf + k->end, data + done, n);
		k->end += n;
		done += n;
		piece = piece * 3 % 65521 + 1;
	}
	cr_assert_eq(trace_sink_finish(k, &err), 0, "%s", err.msg);
}

Test(trace_sink, zstd_output_decodes_with_libzstd)
{
	uint8_t *data = make_data();
	uint8_t *back = malloc(DATA_SIZE);
	struct trace_sink k;
	const uint8_t *out;
	size_t len, got;

	sink_write(&k, MMSIM_TRACE_COMPRESSION_ZSTD, data);
	out = trace_sink_memory(&k, &len);
	cr_assert_lt(len, DATA_SIZE / 4, "compressed %zu bytes", len);
	got = ZSTD_decompress(back, DATA_SIZE, out, len);
	cr_assert(!ZSTD_isError(got), "%s", ZSTD_getErrorName(got));
	cr_assert_eq(got, DATA_SIZE);
	cr_assert_arr_eq(back, data, DATA_SIZE);
	cr_assert_eq(k.bytes_written, len);
	trace_sink_fini(&k);
	free(back);
	free(data);
}

Test(trace_sink, gzip_output_decodes_with_zlib)
{
	uint8_t *data = make_data();
	uint8_t *back = malloc(DATA_SIZE);
	struct trace_sink k;
	const uint8_t *out;
	size_t len;
	z_stream z;

	sink_write(&k, MMSIM_TRACE_COMPRESSION_GZIP, data);
	out = trace_sink_memory(&k, &len);
	memset(&z, 0, sizeof(z));
	cr_assert_eq(inflateInit2(&z, 16 + MAX_WBITS), Z_OK);
	z.next_in = (Bytef *)(uintptr_t)out;
	z.avail_in = (uInt)len;
	z.next_out = back;
	z.avail_out = DATA_SIZE;
	cr_assert_eq(inflate(&z, Z_FINISH), Z_STREAM_END);
	cr_assert_eq(z.total_out, DATA_SIZE);
	cr_assert_eq(z.avail_in, 0, "one member, nothing after it");
	inflateEnd(&z);
	cr_assert_arr_eq(back, data, DATA_SIZE);
	trace_sink_fini(&k);
	free(back);
	free(data);
}

Test(trace_sink, plain_output_is_the_bytes)
{
	uint8_t *data = make_data();
	struct trace_sink k;
	const uint8_t *out;
	size_t len;

	sink_write(&k, MMSIM_TRACE_COMPRESSION_NONE, data);
	out = trace_sink_memory(&k, &len);
	cr_assert_eq(len, DATA_SIZE);
	cr_assert_arr_eq(out, data, DATA_SIZE);
	trace_sink_fini(&k);
	free(data);
}

Test(trace_sink, zstd_level_out_of_range)
{
	struct trace_sink k;
	struct mmsim_error err;
	char msg[128];

	cr_assert_eq(trace_sink_init_memory(&k, "k", MMSIM_TRACE_COMPRESSION_ZSTD, 1000, &err),
		     -EINVAL);
	snprintf(msg, sizeof(msg), "k: zstd level 1000 is out of range (%d..%d)", ZSTD_minCLevel(),
		 ZSTD_maxCLevel());
	cr_assert_str_eq(err.msg, msg);
	trace_sink_fini(&k);
}

Test(trace_sink, write_errors_are_reported)
{
	struct trace_sink k;
	struct mmsim_error err;

	/* /dev/full accepts the open and fails every write with ENOSPC. */
	if (access("/dev/full", W_OK) != 0)
		cr_skip_test("no /dev/full");
	cr_assert_eq(trace_sink_init_path(&k, "/dev/full", MMSIM_TRACE_COMPRESSION_NONE, 0, &err),
		     0);
	cr_assert_eq(trace_sink_reserve(&k, 10, &err), 0);
	memcpy(k.buf, "0123456789", 10);
	k.end = 10;
	cr_assert_eq(trace_sink_finish(&k, &err), -EIO);
	cr_assert_str_eq(err.msg, "/dev/full: write failed: No space left on device");
	trace_sink_fini(&k);
}
