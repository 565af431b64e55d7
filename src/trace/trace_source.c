/*
 * trace/trace_source.c: reading a trace's bytes, decompressing zstd (libzstd streaming API)
 * and gzip (zlib inflate) on the fly, recognised by their magic bytes.
 *
 * Raw bytes flow file -> raw_buf -> decoder -> buf. Uncompressed files skip the decoder:
 * once the few bytes read for recognition are used up, read() goes straight into buf.
 * Truncation is always an error: zstd must end on a frame boundary (ZSTD_decompressStream()
 * returned 0), gzip on a member's end (inflate() returned Z_STREAM_END).
 */
#include "trace/trace_source.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include <lzma.h>
/* ZSTD_createDCtx_advanced() and ZSTD_customMem (zstd's "advanced" API, in libzstd since
 * 1.0): the decoder's own allocator, below. */
#define ZSTD_STATIC_LINKING_ONLY
#include <zstd.h>

#include "mmsim/error.h"
#include "util/macros.h"

/* Raw-buffer size for compressed files: about ZSTD_DStreamInSize() many times over. */
#define RAW_BUF_SIZE (1u << 20)
/* Host buffers of BIG_BLOCK and more are whole 2 MiB pages (alloc_big()). */
#define BIG_BLOCK ((size_t)1 << 20)
#define HUGE_PAGE ((size_t)2 << 20)
/* Bytes needed to recognise every magic number below. */
#define MAGIC_PEEK 10
/* Most input handed to inflate() at once: its counters are 32-bit. */
#define GZIP_MAX_FEED ((size_t)1 << 30)

struct magic {
	const char *what; /* name in messages */
	size_t len;	  /* bytes of bytes[] that must match */
	uint8_t bytes[MAGIC_PEEK];
	enum mmsim_trace_compression compression;
	bool supported;
};

/*
 * Compressed formats by their first bytes: zstd (RFC 8878 §3.1.1, and skippable frames
 * 0x184D2A5?), gzip (RFC 1952), xz (ChampSim's traces), and two we recognise only to refuse
 * them clearly.
 */
static const struct magic magic_table[] = {
	{ .what = "zstd",
	  .len = 4,
	  .bytes = { 0x28, 0xb5, 0x2f, 0xfd },
	  .compression = MMSIM_TRACE_COMPRESSION_ZSTD,
	  .supported = true },
	{ .what = "gzip",
	  .len = 2,
	  .bytes = { 0x1f, 0x8b },
	  .compression = MMSIM_TRACE_COMPRESSION_GZIP,
	  .supported = true },
	{ .what = "xz",
	  .len = 6,
	  .bytes = { 0xfd, '7', 'z', 'X', 'Z', 0x00 },
	  .compression = MMSIM_TRACE_COMPRESSION_XZ,
	  .supported = true },
	{ .what = "lz4", .len = 4, .bytes = { 0x04, 0x22, 0x4d, 0x18 } },
	{ .what = "bzip2", .len = 3, .bytes = { 'B', 'Z', 'h' } },
};

static bool is_zstd_skippable(const uint8_t *p, size_t n)
{
	/* Little-endian 0x184D2A50..0x184D2A5F. */
	return n >= 4 && (p[0] & 0xf0) == 0x50 && p[1] == 0x2a && p[2] == 0x4d && p[3] == 0x18;
}

static bool is_bzip2(const uint8_t *p, size_t n)
{
	/* "BZh", a block-size digit, then the block magic 0x314159265359 (the digits of pi). */
	static const uint8_t pi[6] = { 0x31, 0x41, 0x59, 0x26, 0x53, 0x59 };

	return n >= 10 && p[3] >= '1' && p[3] <= '9' && memcmp(p + 4, pi, sizeof(pi)) == 0;
}

static const struct magic *find_magic(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < ARRAY_SIZE(magic_table); i++) {
		const struct magic *m = &magic_table[i];

		if (n < m->len || memcmp(p, m->bytes, m->len) != 0)
			continue;
		if (m->bytes[0] == 'B' && !is_bzip2(p, n))
			continue; /* text that merely starts with "BZh" */
		return m;
	}
	if (is_zstd_skippable(p, n))
		return &magic_table[0];
	return NULL;
}

static int read_error(struct trace_source *s, struct mmsim_error *err)
{
	return mmsim_error_set(err, -EIO, "%s: read failed: %s", s->name, strerror(errno));
}

/* read() that retries on EINTR. Returns bytes read, 0 at end of file, -1 with errno. */
static ssize_t read_some(int fd, uint8_t *p, size_t n)
{
	ssize_t got;

	do {
		got = read(fd, p, n);
	} while (got < 0 && errno == EINTR);
	return got;
}

/* Moves the bytes not yet consumed, buf[*pos, *end), to the front; *base, the offset of
 * buf[0], follows them. */
static void keep_tail(uint8_t *buf, size_t *pos, size_t *end, uint64_t *base)
{
	if (*pos == 0)
		return;
	memmove(buf, buf + *pos, *end - *pos);
	*base += *pos;
	*end -= *pos;
	*pos = 0;
}

/* Appends file bytes to raw_buf[raw_end, raw_cap); sets raw_eof at the end of the file. */
static int read_raw(struct trace_source *s, struct mmsim_error *err)
{
	ssize_t got;

	if (s->fd < 0) {
		s->raw_eof = true; /* memory: everything is there from the start */
		return 0;
	}
	/* Keep the undecoded tail (a partial gzip magic, say) at the front. */
	keep_tail(s->raw_buf, &s->raw_pos, &s->raw_end, &s->raw_base);
	got = read_some(s->fd, s->raw_buf + s->raw_end, s->raw_cap - s->raw_end);
	if (got < 0)
		return read_error(s, err);
	if (got == 0)
		s->raw_eof = true;
	s->raw_end += (size_t)got;
	s->bytes_read += (uint64_t)got;
	return 0;
}

static int path_error(const char *path, struct mmsim_error *err)
{
	int code = -errno;

	return mmsim_error_set(err, code, "%s: cannot open: %s", path, strerror(errno));
}

/*
 * Host memory for the big buffers a read fills: the decoded bytes (buf, 1 MiB) and zstd's
 * window (one block with its output buffer: 8.3 MiB for tests/data/traces/zstd-d.trace.zst;
 * zstd sizes it from the frame, so a small frame's stays small).
 * Each is written page by page as it first fills, one host page fault per 4 KiB page, and a
 * fault costs 10 to 25 us of CPU time in this project's VM: about 1,800 of them were more
 * than a third of a sampled `mmsim mrc` (docs/performance.md, sixth round). A block of
 * BIG_BLOCK or more is rounded up to whole 2 MiB, aligned to 2 MiB and offered to the host's
 * transparent huge pages (madvise(MADV_HUGEPAGE): Linux backs each aligned 2 MiB with one
 * page at its first touch when THP is "always" or "madvise"). Host memory only: what is
 * read is the same; where the host refuses, only the time differs. free() releases it.
 * Zeroing a 2 MiB page costs more than a few 4 KiB faults (measured: opening and reading a
 * two-record zstd trace, 16 -> 260 us in a loop), so only a trace expected to be big gets
 * them (choose_big()).
 */
static void *alloc_big(size_t size)
{
	size_t len = (size + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
	void *p;

	if (size < BIG_BLOCK || len < size)
		return malloc(size);
	if (posix_memalign(&p, HUGE_PAGE, len))
		return NULL;
#ifdef MADV_HUGEPAGE
	(void)madvise(p, len, MADV_HUGEPAGE); /* a hint: its failure changes nothing */
#endif
	return p;
}

static int alloc_buffers(struct trace_source *s, const char *name, size_t buf_size, bool raw,
			 struct mmsim_error *err)
{
	s->name = strdup(name);
	s->buf = malloc(buf_size);
	s->cap = buf_size;
	if (raw) {
		s->raw_buf = malloc(RAW_BUF_SIZE);
		s->raw_cap = RAW_BUF_SIZE;
		s->raw = s->raw_buf;
	}
	if (!s->name || !s->buf || (raw && !s->raw_buf))
		return mmsim_error_set(err, -ENOMEM, "%s: out of memory for read buffers", name);
	return 0;
}

/*
 * Whether the trace will decode to BIG_BLOCK bytes or more, so that its buffers are worth
 * 2 MiB pages: a raw file or memory of that size, a compressed one of a sixteenth of it
 * (traces compress 10 to 50 times). Its size unknown (a pipe): no. Then buf moves to such
 * pages while it holds nothing.
 */
static void choose_big(struct trace_source *s)
{
	uint64_t need = s->compression == MMSIM_TRACE_COMPRESSION_NONE ? BIG_BLOCK : BIG_BLOCK / 16;
	uint8_t *b;

	s->big = s->total_bytes >= need;
	if (!s->big || s->buf_big || s->cap < BIG_BLOCK || s->end != 0)
		return;
	b = alloc_big(s->cap);
	if (!b)
		return; /* the small buffer stays */
	free(s->buf);
	s->buf = b;
	s->buf_big = true;
}

int trace_source_init_path(struct trace_source *s, const char *path, struct mmsim_error *err)
{
	bool is_stdin = strcmp(path, "-") == 0;
	struct stat st;
	off_t where;
	int ret;

	memset(s, 0, sizeof(*s));
	s->fd = -1;
	ret = alloc_buffers(s, is_stdin ? TRACE_SOURCE_STDIN_NAME : path, TRACE_SOURCE_BUF_SIZE,
			    true, err);
	if (ret)
		return ret;
	if (is_stdin) {
		s->fd = STDIN_FILENO;
		s->is_stdin = true;
	} else {
		s->fd = open(path, O_RDONLY | O_CLOEXEC);
		if (s->fd < 0)
			return path_error(path, err);
		s->own_fd = true;
	}
	if (fstat(s->fd, &st) != 0)
		return path_error(s->name, err);
	if (S_ISDIR(st.st_mode))
		return mmsim_error_set(err, -EISDIR, "%s: cannot read: is a directory", s->name);
	where = lseek(s->fd, 0, SEEK_CUR);
	s->seekable = where >= 0;
	s->fd_start = where > 0 ? (uint64_t)where : 0;
	if (S_ISREG(st.st_mode) && (uint64_t)st.st_size > s->fd_start)
		s->total_bytes = (uint64_t)st.st_size - s->fd_start;
	return 0;
}

int trace_source_init_memory(struct trace_source *s, const void *data, size_t size,
			     const char *name, size_t buf_size, struct mmsim_error *err)
{
	static const uint8_t nothing[1];

	memset(s, 0, sizeof(*s));
	s->fd = -1;
	if (buf_size < TRACE_SOURCE_BUF_MIN)
		buf_size = TRACE_SOURCE_BUF_MIN;
	/* NULL with size 0 is an empty trace; a real pointer keeps the arithmetic defined. */
	s->raw = size ? data : nothing;
	s->mem_size = size;
	s->seekable = true;
	s->total_bytes = size;
	return alloc_buffers(s, name, buf_size, false, err);
}

/* zstd's allocations: a big trace's window through alloc_big(). */
static void *zstd_alloc(void *opaque, size_t size)
{
	const struct trace_source *s = opaque;

	return s->big ? alloc_big(size) : malloc(size);
}

static void zstd_free(void *opaque, void *p)
{
	(void)opaque;
	free(p);
}

static void free_decoders(struct trace_source *s)
{
	ZSTD_freeDCtx(s->zstd);
	s->zstd = NULL;
	if (s->gz) {
		inflateEnd(s->gz);
		free(s->gz);
		s->gz = NULL;
	}
	if (s->xz) {
		lzma_end(s->xz);
		free(s->xz);
		s->xz = NULL;
	}
}

void trace_source_fini(struct trace_source *s)
{
	free_decoders(s);
	if (s->own_fd && s->fd >= 0)
		close(s->fd);
	s->fd = -1;
	free(s->raw_buf);
	free(s->buf);
	free(s->name);
	s->raw_buf = NULL;
	s->buf = NULL;
	s->name = NULL;
}

static int start_gzip(struct trace_source *s, struct mmsim_error *err)
{
	s->gz = calloc(1, sizeof(*s->gz));
	if (!s->gz)
		return mmsim_error_set(err, -ENOMEM, "%s: out of memory for gzip", s->name);
	/* 16 + MAX_WBITS: a gzip wrapper (RFC 1952) around deflate data, no zlib header. */
	if (inflateInit2(s->gz, 16 + MAX_WBITS) != Z_OK) {
		free(s->gz);
		s->gz = NULL;
		return mmsim_error_set(err, -ENOMEM, "%s: cannot start gzip decoding", s->name);
	}
	return 0;
}

static int start_xz(struct trace_source *s, struct mmsim_error *err)
{
	lzma_stream init = LZMA_STREAM_INIT;
	lzma_stream *x = malloc(sizeof(*x));

	if (!x)
		return mmsim_error_set(err, -ENOMEM, "%s: out of memory for xz", s->name);
	*x = init;
	/* Concatenated streams, as xz(1) writes and reads them; no memory limit. */
	if (lzma_stream_decoder(x, UINT64_MAX, LZMA_CONCATENATED) != LZMA_OK) {
		free(x);
		return mmsim_error_set(err, -ENOMEM, "%s: cannot start xz decoding", s->name);
	}
	s->xz = x;
	return 0;
}

/* A whole file shorter than a supported magic number that starts like it: a truncation. */
static const struct magic *find_cut_magic(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < ARRAY_SIZE(magic_table); i++) {
		const struct magic *m = &magic_table[i];

		if (m->supported && n > 0 && n < m->len && memcmp(p, m->bytes, n) == 0)
			return m;
	}
	return NULL;
}

static int start_decoder(struct trace_source *s, struct mmsim_error *err)
{
	const uint8_t *p = s->raw + s->raw_pos;
	size_t n = s->raw_end - s->raw_pos;
	const struct magic *m = find_magic(p, n);

	s->compression = MMSIM_TRACE_COMPRESSION_NONE;
	if (!m && s->raw_eof && (m = find_cut_magic(p, n)) != NULL)
		return mmsim_error_set(err, -EINVAL,
				       "%s: byte %zu: truncated %s stream (the file ends inside "
				       "the magic number)",
				       s->name, n, m->what);
	if (!m)
		return 0;
	if (!m->supported)
		return mmsim_error_set(err, -EINVAL,
				       "%s: %s-compressed traces are not supported "
				       "(recompress with zstd, gzip or xz)",
				       s->name, m->what);
	s->compression = m->compression;
	if (m->compression == MMSIM_TRACE_COMPRESSION_GZIP)
		return start_gzip(s, err);
	if (m->compression == MMSIM_TRACE_COMPRESSION_XZ)
		return start_xz(s, err);
	s->zstd = ZSTD_createDCtx_advanced((ZSTD_customMem){ zstd_alloc, zstd_free, s });
	if (!s->zstd)
		return mmsim_error_set(err, -ENOMEM, "%s: out of memory for zstd", s->name);
	s->zstd_hint = 1;
	s->zstd_new_frame = true;
	return 0;
}

int trace_source_start(struct trace_source *s, struct mmsim_error *err)
{
	int ret;

	free_decoders(s);
	s->pos = s->end = 0;
	s->base = 0;
	s->eof = false;
	s->gz_member_end = false;
	s->raw_pos = 0;
	s->raw_base = 0;
	if (s->fd < 0) {
		s->raw_end = s->mem_size;
		s->raw_eof = true;
		s->bytes_read = s->mem_size;
	} else {
		s->raw_end = 0;
		s->raw_eof = false;
		s->bytes_read = 0;
		/* A pipe may deliver the magic in pieces: gather enough to recognise it. */
		while (s->raw_end < MAGIC_PEEK && !s->raw_eof) {
			ret = read_raw(s, err);
			if (ret)
				return ret;
		}
	}
	ret = start_decoder(s, err);
	if (ret)
		return ret;
	choose_big(s); /* before the first fill, which allocates zstd's window */
	return trace_source_fill(s, err);
}

bool trace_source_rewindable(const struct trace_source *s)
{
	return !s->is_stdin && s->seekable;
}

int trace_source_rewind(struct trace_source *s, struct mmsim_error *err)
{
	if (s->is_stdin)
		return mmsim_error_set(err, -ESPIPE,
				       "%s: standard input can be read only once; a second pass "
				       "(as policy=opt needs) requires a trace file",
				       s->name);
	if (!s->seekable)
		return mmsim_error_set(err, -ESPIPE,
				       "%s: not a regular file, so it can be read only once; a "
				       "second pass (as policy=opt needs) requires a trace file",
				       s->name);
	if (s->fd >= 0 && lseek(s->fd, (off_t)s->fd_start, SEEK_SET) < 0)
		return mmsim_error_set(err, -EIO, "%s: cannot rewind: %s", s->name,
				       strerror(errno));
	return trace_source_start(s, err);
}

static uint64_t raw_offset(const struct trace_source *s)
{
	return s->raw_base + s->raw_pos;
}

/* Plain file: leftover recognition bytes first, then read() straight into buf. */
static int fill_plain(struct trace_source *s, struct mmsim_error *err)
{
	size_t room = s->cap - s->end;
	ssize_t got;

	if (s->raw_pos < s->raw_end) {
		size_t n = s->raw_end - s->raw_pos;

		if (n > room)
			n = room;
		memcpy(s->buf + s->end, s->raw + s->raw_pos, n);
		s->raw_pos += n;
		s->end += n;
		return 0;
	}
	if (s->fd < 0 || s->raw_eof) {
		s->eof = true;
		return 0;
	}
	got = read_some(s->fd, s->buf + s->end, room);
	if (got < 0)
		return read_error(s, err);
	if (got == 0) {
		s->raw_eof = true;
		s->eof = true;
	}
	s->end += (size_t)got;
	s->bytes_read += (uint64_t)got;
	return 0;
}

/* Bytes that hold any zstd frame header (RFC 8878: magic 4 + header at most 14). */
#define ZSTD_HEADER_MAX 18

/*
 * The next frame's declared content size, read before the decoder takes its header.
 * libzstd's streaming decoder does not compare it with what the frame holds when the
 * frame ends in an empty last block, while its one-shot path does; so whether such a
 * corrupt frame was caught depended on the output buffer's size (found by fuzz_trace).
 * The reader compares the two itself at every frame's end.
 */
static int zstd_frame_header(struct trace_source *s, struct mmsim_error *err)
{
	while (s->raw_end - s->raw_pos < ZSTD_HEADER_MAX && !s->raw_eof) {
		int rc = read_raw(s, err);

		if (rc)
			return rc;
	}
	s->zstd_fcs = ZSTD_getFrameContentSize(s->raw + s->raw_pos, s->raw_end - s->raw_pos);
	if (s->zstd_fcs == ZSTD_CONTENTSIZE_ERROR)
		s->zstd_fcs = ZSTD_CONTENTSIZE_UNKNOWN; /* the decoder says what is wrong */
	s->zstd_frame_out = 0;
	s->zstd_new_frame = false;
	return 0;
}

static int fill_zstd(struct trace_source *s, struct mmsim_error *err)
{
	int rc;

	for (;;) {
		if (s->zstd_new_frame) {
			rc = zstd_frame_header(s, err);
			if (rc)
				return rc;
		}
		ZSTD_inBuffer in = { s->raw + s->raw_pos, s->raw_end - s->raw_pos, 0 };
		ZSTD_outBuffer out = { s->buf + s->end, s->cap - s->end, 0 };
		size_t ret = ZSTD_decompressStream(s->zstd, &out, &in);

		if (ZSTD_isError(ret))
			return mmsim_error_set(err, -EINVAL, "%s: byte %llu: corrupt zstd data: %s",
					       s->name, (unsigned long long)raw_offset(s),
					       ZSTD_getErrorName(ret));
		s->raw_pos += in.pos;
		s->end += out.pos;
		s->zstd_frame_out += out.pos;
		if (out.pos > 0 || in.pos > 0)
			s->zstd_hint = ret; /* without progress, ret only hints at a next frame */
		if ((out.pos > 0 || in.pos > 0) && ret == 0) { /* a frame ended */
			if (s->zstd_fcs != ZSTD_CONTENTSIZE_UNKNOWN &&
			    s->zstd_frame_out != s->zstd_fcs)
				return mmsim_error_set(
					err, -EINVAL,
					"%s: byte %llu: corrupt zstd data: the frame declares %llu "
					"bytes and holds %llu",
					s->name, (unsigned long long)raw_offset(s),
					(unsigned long long)s->zstd_fcs,
					(unsigned long long)s->zstd_frame_out);
			s->zstd_new_frame = true;
		}
		if (out.pos > 0)
			return 0;
		if (in.pos > 0)
			continue;
		/* No progress: the decoder needs input. */
		if (!s->raw_eof) {
			rc = read_raw(s, err);
			if (rc)
				return rc;
			continue;
		}
		if (s->zstd_hint != 0)
			return mmsim_error_set(err, -EINVAL,
					       "%s: byte %llu: truncated zstd stream "
					       "(the file ends inside a frame)",
					       s->name, (unsigned long long)raw_offset(s));
		s->eof = true;
		return 0;
	}
}

/* After a gzip member: the end of the file, or another member (RFC 1952 §2.2). */
static int gzip_next_member(struct trace_source *s, bool *done, struct mmsim_error *err)
{
	int ret;

	while (s->raw_end - s->raw_pos < 2 && !s->raw_eof) {
		ret = read_raw(s, err);
		if (ret)
			return ret;
	}
	*done = s->raw_pos == s->raw_end;
	if (*done)
		return 0;
	if (s->raw_end - s->raw_pos < 2 || s->raw[s->raw_pos] != 0x1f ||
	    s->raw[s->raw_pos + 1] != 0x8b)
		return mmsim_error_set(err, -EINVAL, "%s: byte %llu: data after the gzip stream",
				       s->name, (unsigned long long)raw_offset(s));
	inflateReset(s->gz);
	s->gz_member_end = false;
	return 0;
}

static int fill_gzip(struct trace_source *s, struct mmsim_error *err)
{
	z_stream *z = s->gz;
	bool done;
	int ret;

	for (;;) {
		size_t feed, in_n, out_n;

		if (s->gz_member_end) {
			ret = gzip_next_member(s, &done, err);
			if (ret)
				return ret;
			if (done) {
				s->eof = true;
				return 0;
			}
		}
		/* zlib counts in uInt: feed at most 1 GiB a call (memory sources can be larger). */
		feed = s->raw_end - s->raw_pos;
		if (feed > GZIP_MAX_FEED)
			feed = GZIP_MAX_FEED;
		z->next_in = (Bytef *)(uintptr_t)(s->raw + s->raw_pos);
		z->avail_in = (uInt)feed;
		z->next_out = s->buf + s->end;
		z->avail_out = (uInt)(s->cap - s->end);
		ret = inflate(z, Z_NO_FLUSH);
		in_n = feed - z->avail_in;
		out_n = (s->cap - s->end) - z->avail_out;
		if (ret == Z_MEM_ERROR)
			return mmsim_error_set(err, -ENOMEM, "%s: out of memory for gzip", s->name);
		if (ret != Z_OK && ret != Z_STREAM_END && ret != Z_BUF_ERROR)
			return mmsim_error_set(err, -EINVAL, "%s: byte %llu: corrupt gzip data: %s",
					       s->name, (unsigned long long)(raw_offset(s) + in_n),
					       z->msg ? z->msg : "inflate failed");
		s->raw_pos += in_n;
		s->end += out_n;
		if (ret == Z_STREAM_END)
			s->gz_member_end = true;
		if (out_n > 0)
			return 0;
		if (in_n > 0 || ret == Z_STREAM_END)
			continue;
		if (!s->raw_eof) {
			ret = read_raw(s, err);
			if (ret)
				return ret;
			continue;
		}
		return mmsim_error_set(err, -EINVAL,
				       "%s: byte %llu: truncated gzip stream "
				       "(the file ends inside a member)",
				       s->name, (unsigned long long)raw_offset(s));
	}
}

static int fill_xz(struct trace_source *s, struct mmsim_error *err)
{
	lzma_stream *x = s->xz;
	int rc;

	for (;;) {
		size_t in_n, out_n;
		lzma_ret ret;

		x->next_in = s->raw + s->raw_pos;
		x->avail_in = s->raw_end - s->raw_pos;
		x->next_out = s->buf + s->end;
		x->avail_out = s->cap - s->end;
		ret = lzma_code(x, s->raw_eof ? LZMA_FINISH : LZMA_RUN);
		in_n = (s->raw_end - s->raw_pos) - x->avail_in;
		out_n = (s->cap - s->end) - x->avail_out;
		s->raw_pos += in_n;
		s->end += out_n;
		if (ret == LZMA_STREAM_END) {
			s->eof = true;
			return 0;
		}
		if (ret == LZMA_MEM_ERROR)
			return mmsim_error_set(err, -ENOMEM, "%s: out of memory for xz", s->name);
		if (ret == LZMA_BUF_ERROR && s->raw_eof)
			return mmsim_error_set(err, -EINVAL,
					       "%s: byte %llu: truncated xz stream "
					       "(the file ends inside a block)",
					       s->name, (unsigned long long)raw_offset(s));
		if (ret != LZMA_OK && ret != LZMA_BUF_ERROR)
			return mmsim_error_set(err, -EINVAL, "%s: byte %llu: corrupt xz data (%d)",
					       s->name, (unsigned long long)raw_offset(s),
					       (int)ret);
		if (out_n > 0)
			return 0;
		if (in_n > 0)
			continue;
		if (!s->raw_eof) {
			rc = read_raw(s, err);
			if (rc)
				return rc;
			continue;
		}
		return mmsim_error_set(err, -EINVAL,
				       "%s: byte %llu: truncated xz stream (the file ends early)",
				       s->name, (unsigned long long)raw_offset(s));
	}
}

int trace_source_fill(struct trace_source *s, struct mmsim_error *err)
{
	if (s->eof)
		return 0;
	keep_tail(s->buf, &s->pos, &s->end, &s->base);
	switch (s->compression) {
	case MMSIM_TRACE_COMPRESSION_ZSTD:
		return fill_zstd(s, err);
	case MMSIM_TRACE_COMPRESSION_GZIP:
		return fill_gzip(s, err);
	case MMSIM_TRACE_COMPRESSION_XZ:
		return fill_xz(s, err);
	case MMSIM_TRACE_COMPRESSION_NONE:
		break;
	}
	return fill_plain(s, err);
}

int trace_source_need(struct trace_source *s, size_t want, struct mmsim_error *err)
{
	int ret;

	while (s->end - s->pos < want && !s->eof) {
		ret = trace_source_fill(s, err);
		if (ret)
			return ret;
	}
	return 0;
}

int trace_source_record(struct trace_source *s, size_t size, const char *what,
			struct mmsim_error *err)
{
	int ret = trace_source_need(s, size, err);

	if (ret)
		return ret;
	if (s->end == s->pos)
		return 0;
	if (s->end - s->pos < size)
		return mmsim_error_set(
			err, -EINVAL, "%s: byte %llu: truncated %s record (%zu of %zu bytes)",
			s->name, (unsigned long long)trace_source_offset(s, s->buf + s->pos), what,
			s->end - s->pos, size);
	return 1;
}
