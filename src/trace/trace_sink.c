/*
 * trace/trace_sink.c: writing a trace's bytes, compressed with libzstd's streaming API
 * (ZSTD_compressStream2) or zlib's deflate with a gzip wrapper, or as they are.
 *
 * zstd frames carry a content checksum (ZSTD_c_checksumFlag), so a reader detects corruption
 * as well as truncation; gzip members always carry a CRC-32 (RFC 1952).
 */
#include "trace/trace_sink.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include "mmsim/error.h"

#define STDOUT_NAME "<stdout>"

static int write_error(const struct trace_sink *k, int errnum, struct mmsim_error *err)
{
	return mmsim_error_set(err, -EIO, "%s: write failed: %s", k->name, strerror(errnum));
}

/* Hands n bytes to the file or the memory buffer, all of them. */
static int emit(struct trace_sink *k, const uint8_t *p, size_t n, struct mmsim_error *err)
{
	if (n == 0)
		return 0;
	if (k->fd < 0) {
		if (k->mem_cap - k->mem_len < n) {
			size_t cap = k->mem_cap ? k->mem_cap : 4096;
			uint8_t *mem;

			while (cap - k->mem_len < n)
				cap *= 2;
			mem = realloc(k->mem, cap);
			if (!mem)
				return mmsim_error_set(err, -ENOMEM, "%s: out of memory", k->name);
			k->mem = mem;
			k->mem_cap = cap;
		}
		memcpy(k->mem + k->mem_len, p, n);
		k->mem_len += n;
		k->bytes_written += n;
		return 0;
	}
	while (n > 0) {
		ssize_t put = write(k->fd, p, n);

		if (put < 0 && errno == EINTR)
			continue;
		if (put < 0)
			return write_error(k, errno, err);
		p += put;
		n -= (size_t)put;
		k->bytes_written += (uint64_t)put;
	}
	return 0;
}

static int zstd_error(const struct trace_sink *k, size_t ret, struct mmsim_error *err)
{
	return mmsim_error_set(err, -EIO, "%s: zstd compression failed: %s", k->name,
			       ZSTD_getErrorName(ret));
}

/* How far a drain goes beyond taking the waiting bytes. */
enum drain_mode {
	DRAIN_CONTINUE, /* take the bytes; the compressor may keep some for later */
	DRAIN_FLUSH,	/* and write out all the compressor holds: readable so far */
	DRAIN_END,	/* and end the compressed stream */
};

/* Feeds buf[0, end) to zstd (RFC 8878 frames via ZSTD_compressStream2). */
static int drain_zstd(struct trace_sink *k, enum drain_mode mode, struct mmsim_error *err)
{
	static const ZSTD_EndDirective directive[] = {
		[DRAIN_CONTINUE] = ZSTD_e_continue,
		[DRAIN_FLUSH] = ZSTD_e_flush,
		[DRAIN_END] = ZSTD_e_end,
	};
	ZSTD_inBuffer in = { k->buf, k->end, 0 };
	size_t left;
	int ret;

	do {
		ZSTD_outBuffer out = { k->out, k->out_cap, 0 };

		left = ZSTD_compressStream2(k->zstd, &out, &in, directive[mode]);
		if (ZSTD_isError(left))
			return zstd_error(k, left, err);
		ret = emit(k, k->out, out.pos, err);
		if (ret)
			return ret;
		/* continue: done when the input is taken; flush and end: when nothing is left. */
	} while (mode == DRAIN_CONTINUE ? in.pos < in.size : left != 0);
	return 0;
}

static int drain_gzip(struct trace_sink *k, enum drain_mode mode, struct mmsim_error *err)
{
	static const int flush[] = {
		[DRAIN_CONTINUE] = Z_NO_FLUSH,
		[DRAIN_FLUSH] = Z_SYNC_FLUSH,
		[DRAIN_END] = Z_FINISH,
	};
	z_stream *z = k->gz;
	bool more;
	int zret, ret;

	z->next_in = k->buf;
	z->avail_in = (uInt)k->end;
	do {
		z->next_out = k->out;
		z->avail_out = (uInt)k->out_cap;
		zret = deflate(z, flush[mode]);
		if (zret == Z_STREAM_ERROR)
			return mmsim_error_set(err, -EIO, "%s: gzip compression failed", k->name);
		ret = emit(k, k->out, k->out_cap - z->avail_out, err);
		if (ret)
			return ret;
		/* zlib: a full output buffer may mean more to come (zlib.h, deflate()). */
		if (mode == DRAIN_END)
			more = zret != Z_STREAM_END;
		else
			more = z->avail_in > 0 || (mode == DRAIN_FLUSH && z->avail_out == 0);
	} while (more);
	return 0;
}

/* Sends out everything waiting in buf, as far as mode says. */
static int drain(struct trace_sink *k, enum drain_mode mode, struct mmsim_error *err)
{
	int ret;

	switch (k->compression) {
	case MMSIM_TRACE_COMPRESSION_ZSTD:
		ret = drain_zstd(k, mode, err);
		break;
	case MMSIM_TRACE_COMPRESSION_GZIP:
		ret = drain_gzip(k, mode, err);
		break;
	default:
		ret = emit(k, k->buf, k->end, err);
		break;
	}
	if (ret == 0)
		k->end = 0;
	return ret;
}

int trace_sink_flush(struct trace_sink *k, struct mmsim_error *err)
{
	return drain(k, DRAIN_FLUSH, err);
}

int trace_sink_reserve(struct trace_sink *k, size_t n, struct mmsim_error *err)
{
	if (k->cap - k->end >= n)
		return 0;
	return drain(k, DRAIN_CONTINUE, err);
}

static int start_zstd(struct trace_sink *k, int level, struct mmsim_error *err)
{
	k->zstd = ZSTD_createCCtx();
	if (!k->zstd)
		return mmsim_error_set(err, -ENOMEM, "%s: out of memory for zstd", k->name);
	if (level == 0)
		level = TRACE_SINK_ZSTD_LEVEL;
	if (level < ZSTD_minCLevel() || level > ZSTD_maxCLevel())
		return mmsim_error_set(err, -EINVAL, "%s: zstd level %d is out of range (%d..%d)",
				       k->name, level, ZSTD_minCLevel(), ZSTD_maxCLevel());
	ZSTD_CCtx_setParameter(k->zstd, ZSTD_c_compressionLevel, level);
	ZSTD_CCtx_setParameter(k->zstd, ZSTD_c_checksumFlag, 1);
	k->out_cap = ZSTD_CStreamOutSize();
	return 0;
}

static int start_gzip(struct trace_sink *k, int level, struct mmsim_error *err)
{
	if (level == 0)
		level = TRACE_SINK_GZIP_LEVEL;
	if (level < 1 || level > 9)
		return mmsim_error_set(err, -EINVAL, "%s: gzip level %d is out of range (1..9)",
				       k->name, level);
	k->gz = calloc(1, sizeof(*k->gz));
	if (!k->gz)
		return mmsim_error_set(err, -ENOMEM, "%s: out of memory for gzip", k->name);
	/* 16 + MAX_WBITS: write a gzip wrapper (RFC 1952), memory level 8 as gzip(1) does. */
	if (deflateInit2(k->gz, level, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
		free(k->gz);
		k->gz = NULL;
		return mmsim_error_set(err, -ENOMEM, "%s: cannot start gzip compression", k->name);
	}
	k->out_cap = k->cap / 4;
	return 0;
}

/* Allocates buffers and the compressor for an initialised name and fd. */
static int start(struct trace_sink *k, enum mmsim_trace_compression compression, int level,
		 size_t buf_size, struct mmsim_error *err)
{
	int ret = 0;

	k->compression = compression;
	k->cap = buf_size;
	switch (compression) {
	case MMSIM_TRACE_COMPRESSION_ZSTD:
		ret = start_zstd(k, level, err);
		break;
	case MMSIM_TRACE_COMPRESSION_GZIP:
		ret = start_gzip(k, level, err);
		break;
	case MMSIM_TRACE_COMPRESSION_NONE:
		break;
	default:
		return mmsim_error_set(err, -EINVAL, "%s: unknown compression %d", k->name,
				       (int)compression);
	}
	if (ret)
		return ret;
	k->buf = malloc(k->cap);
	if (k->out_cap)
		k->out = malloc(k->out_cap);
	if (!k->buf || (k->out_cap && !k->out))
		return mmsim_error_set(err, -ENOMEM, "%s: out of memory for write buffers",
				       k->name);
	return 0;
}

int trace_sink_init_path(struct trace_sink *k, const char *path,
			 enum mmsim_trace_compression compression, int level,
			 struct mmsim_error *err)
{
	bool is_stdout = strcmp(path, "-") == 0;

	memset(k, 0, sizeof(*k));
	k->fd = -1;
	k->name = strdup(is_stdout ? STDOUT_NAME : path);
	if (!k->name)
		return mmsim_error_set(err, -ENOMEM, "%s: out of memory", path);
	if (is_stdout) {
		k->fd = STDOUT_FILENO;
	} else {
		int ret = atomic_file_open(&k->file, path);

		if (ret)
			return mmsim_error_set(err, ret, "%s: cannot create: %s", path,
					       strerror(-ret));
		k->fd = k->file.fd;
		k->own_fd = true;
	}
	return start(k, compression, level, TRACE_SINK_BUF_SIZE, err);
}

int trace_sink_init_memory(struct trace_sink *k, const char *name,
			   enum mmsim_trace_compression compression, int level,
			   struct mmsim_error *err)
{
	memset(k, 0, sizeof(*k));
	k->fd = -1;
	k->name = strdup(name);
	if (!k->name)
		return mmsim_error_set(err, -ENOMEM, "%s: out of memory", name);
	return start(k, compression, level, TRACE_SINK_MEMORY_BUF_SIZE, err);
}

int trace_sink_finish(struct trace_sink *k, struct mmsim_error *err)
{
	int ret = drain(k, DRAIN_END, err);

	if (ret || !k->own_fd)
		return ret;
	k->own_fd = false;
	k->fd = -1;
	ret = atomic_file_commit(&k->file, k->name);
	if (ret)
		return write_error(k, -ret, err);
	return 0;
}

void trace_sink_fini(struct trace_sink *k)
{
	if (k->own_fd)
		atomic_file_abort(&k->file);
	k->fd = -1;
	k->own_fd = false;
	ZSTD_freeCCtx(k->zstd);
	k->zstd = NULL;
	if (k->gz) {
		deflateEnd(k->gz);
		free(k->gz);
		k->gz = NULL;
	}
	free(k->buf);
	free(k->out);
	free(k->mem);
	free(k->name);
	k->buf = k->out = k->mem = NULL;
	k->name = NULL;
}

const uint8_t *trace_sink_memory(const struct trace_sink *k, size_t *len)
{
	*len = k->mem_len;
	return k->mem;
}
