/*
 * trace/trace_source.h: the decoded bytes of a trace, streamed through one big buffer.
 *
 * A source reads a file, standard input or a caller's memory, recognises zstd, gzip and xz
 * by their magic bytes (RFC 8878 §3.1.1, RFC 1952 §2.3.1, the .xz file format §2.1.1.1) and
 * decompresses on the fly, so the format parsers above it (trace_lackey.c, trace_bin.c) see plain
 * bytes in buf[pos, end) and never know whether the file was compressed. Offsets are in bytes:
 * "decoded" offsets count the plain bytes, "file" offsets count the bytes of the file as stored.
 *
 * The source owns its buffers and, unless it is standard input, its file descriptor. A
 * parser consumes bytes by advancing pos and asks for more with trace_source_fill(), which
 * keeps the unconsumed bytes (moving them to the front of buf) and appends new ones.
 */
#ifndef MMSIM_TRACE_TRACE_SOURCE_H
#define MMSIM_TRACE_TRACE_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mmsim/trace.h"

struct mmsim_error;
struct ZSTD_DCtx_s;
struct z_stream_s;

/* Decoded-buffer size for files: big reads keep the system-call count negligible. */
#define TRACE_SOURCE_BUF_SIZE (1u << 20)
/* Smallest decoded buffer allowed (tests and fuzzing use it to cross buffer edges often). */
#define TRACE_SOURCE_BUF_MIN 1024u
/* Name used in messages for standard input. */
#define TRACE_SOURCE_STDIN_NAME "<stdin>"

struct trace_source {
	char *name;	      /* for messages: the path, "<stdin>" or the caller's name; owned */
	int fd;		      /* file read from; -1 for memory */
	bool own_fd;	      /* close fd at fini (false for standard input) */
	bool is_stdin;	      /* opened as "-": never rewound, whatever fd is */
	bool seekable;	      /* fd accepts lseek(), so rewinding works */
	uint64_t fd_start;    /* file offset of the trace's first byte (stdin may start later) */
	uint64_t total_bytes; /* size of the file from fd_start, 0 when unknown */
	uint64_t bytes_read;  /* file bytes read so far, since the (re)start */

	/* The file's bytes as stored. For memory, raw points at the caller's bytes. */
	enum mmsim_trace_compression compression;
	const uint8_t *raw; /* raw_buf, or the caller's memory */
	uint8_t *raw_buf;   /* owned; NULL for memory */
	size_t raw_cap;	    /* bytes raw_buf holds */
	size_t raw_pos;	    /* raw[0, raw_pos) has been decoded */
	size_t raw_end;	    /* raw[raw_pos, raw_end) waits to be decoded */
	bool raw_eof;	    /* nothing after raw_end */
	uint64_t raw_base;  /* file offset of raw[0] */
	size_t mem_size;    /* memory source: bytes at raw */

	struct ZSTD_DCtx_s *zstd; /* when compression is ZSTD */
	size_t zstd_hint;	  /* last ZSTD_decompressStream() result: 0 at a frame's end */
	bool zstd_new_frame;	  /* the next raw bytes begin a frame (or the end) */
	uint64_t zstd_fcs;	  /* the frame's declared content size, or ZSTD's UNKNOWN */
	uint64_t zstd_frame_out;  /* bytes the frame has decoded so far */
	struct z_stream_s *gz;	  /* when compression is GZIP */
	bool gz_member_end;	  /* the last gzip member ended; another may follow */
	void *xz;		  /* lzma_stream (liblzma's type is anonymous) when XZ */

	/* Decoded bytes: buf[pos, end) are available to the parser. */
	uint8_t *buf;  /* owned */
	size_t cap;    /* bytes buf holds, >= TRACE_SOURCE_BUF_MIN */
	bool big;      /* expected to decode to 1 MiB or more (trace_source.c, choose_big()) */
	bool buf_big;  /* buf is on 2 MiB pages */
	size_t pos;    /* next byte for the parser */
	size_t end;    /* one past the last decoded byte */
	bool eof;      /* every byte of the trace has been decoded into buf */
	uint64_t base; /* decoded offset of buf[0] */
};

/* Opens path ("-": standard input). Reads nothing yet: call trace_source_start(). */
int trace_source_init_path(struct trace_source *s, const char *path, struct mmsim_error *err);

/* Reads size bytes at data (borrowed until fini), with a decoded buffer of buf_size bytes. */
int trace_source_init_memory(struct trace_source *s, const void *data, size_t size,
			     const char *name, size_t buf_size, struct mmsim_error *err);

/* Frees everything init took. Safe on a zeroed or half-initialised source. */
void trace_source_fini(struct trace_source *s);

/*
 * Reads the first bytes, recognises the compression and prepares to decode. On return
 * buf[pos, end) holds the first decoded bytes, if any. Fails on unsupported compression.
 */
int trace_source_start(struct trace_source *s, struct mmsim_error *err);

/* Whether trace_source_rewind() can work. */
bool trace_source_rewindable(const struct trace_source *s);

/* Goes back to the first byte of the file and starts again. -ESPIPE for stdin or pipes. */
int trace_source_rewind(struct trace_source *s, struct mmsim_error *err);

/*
 * Keeps buf[pos, end), moved to the front, and decodes more after it. Returns 0 with at least
 * one more byte, or 0 with eof set when the trace has no more; or a negative errno value
 * (read failure, corrupt or truncated compressed data). Needs room: end - pos < cap.
 */
int trace_source_fill(struct trace_source *s, struct mmsim_error *err);

/* Fills until buf[pos, end) holds want bytes or the trace ends: 0, or an error of
 * trace_source_fill(). Needs want <= cap. */
int trace_source_need(struct trace_source *s, size_t want, struct mmsim_error *err);

/*
 * The next record of a format of size-byte records (what names the format in messages):
 * 1 when buf + pos holds a whole one, 0 at the end of the trace, -EINVAL when the trace
 * ends inside one, or an error of trace_source_fill(). pos stays: the reader advances it.
 */
int trace_source_record(struct trace_source *s, size_t size, const char *what,
			struct mmsim_error *err);

/* Decoded offset of the byte at p, a pointer into buf. */
static inline uint64_t trace_source_offset(const struct trace_source *s, const uint8_t *p)
{
	return s->base + (uint64_t)(p - s->buf);
}

#endif
