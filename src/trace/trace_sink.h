/*
 * trace/trace_sink.h: where a trace's bytes go: a file, standard output or a growing memory
 * buffer, through a zstd or gzip compressor or none.
 *
 * The writer encodes records straight into buf[end, cap) after trace_sink_reserve(); the
 * sink compresses and writes a full buffer at a time. Only trace_sink_finish() ends the
 * compressed stream and closes the file: until then the output is incomplete, on purpose,
 * so that a reader can tell an interrupted recording from a finished one.
 *
 * A file is written under a temporary name in its directory and renamed over its path by
 * trace_sink_finish() (util/atomic_file.h): a write that fails or is abandoned (fini before
 * finish) leaves the old file at the path, or none, never a plausible partial trace.
 */
#ifndef MMSIM_TRACE_TRACE_SINK_H
#define MMSIM_TRACE_TRACE_SINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mmsim/trace.h"
#include "util/atomic_file.h"

struct mmsim_error;
struct ZSTD_CCtx_s;
struct z_stream_s;

/* Plain bytes staged before compression or write(): big for files, small for memory. */
#define TRACE_SINK_BUF_SIZE (1u << 20)
#define TRACE_SINK_MEMORY_BUF_SIZE (64u << 10)
/* Default levels: zstd's own default, and gzip's. */
#define TRACE_SINK_ZSTD_LEVEL 3
#define TRACE_SINK_GZIP_LEVEL 6

struct trace_sink {
	char *name;  /* for messages: the path, "<stdout>" or the caller's name; owned */
	int fd;	     /* -1 for memory */
	bool own_fd; /* a file of ours: file.fd is fd; committed at finish (false for stdout) */
	struct atomic_file file; /* with own_fd: the temporary renamed to name at finish */
	enum mmsim_trace_compression compression;
	struct ZSTD_CCtx_s *zstd; /* when compression is ZSTD */
	struct z_stream_s *gz;	  /* when compression is GZIP */

	uint8_t *buf; /* plain bytes waiting: buf[0, end); owned */
	size_t cap;   /* bytes buf holds */
	size_t end;   /* bytes waiting */

	uint8_t *out;	/* compressed bytes on their way out; owned, NULL without compression */
	size_t out_cap; /* bytes out holds */

	uint8_t *mem;		/* memory sink: everything written so far; owned */
	size_t mem_len;		/* bytes in mem */
	size_t mem_cap;		/* bytes mem holds */
	uint64_t bytes_written; /* bytes handed to the file or memory so far */
};

/* Prepares to write path ("-": standard output), which changes only at finish. level 0:
 * the default. */
int trace_sink_init_path(struct trace_sink *k, const char *path,
			 enum mmsim_trace_compression compression, int level,
			 struct mmsim_error *err);

/* A sink that collects the bytes in memory (trace_sink_memory() gives them). */
int trace_sink_init_memory(struct trace_sink *k, const char *name,
			   enum mmsim_trace_compression compression, int level,
			   struct mmsim_error *err);

/* Frees everything; a file that finish did not complete is removed (an older file at the
 * path stays as it was). Safe on a zeroed sink. */
void trace_sink_fini(struct trace_sink *k);

/* Makes room for n bytes (n <= cap) at buf + end, writing out what waits if needed. */
int trace_sink_reserve(struct trace_sink *k, size_t n, struct mmsim_error *err);

/*
 * Compresses and writes everything waiting, so that a reader could decode all of it now;
 * the stream stays open (a reader would call it truncated).
 */
int trace_sink_flush(struct trace_sink *k, struct mmsim_error *err);

/* Compresses and writes everything waiting; ends the stream; closes the file and renames
 * it into place (a failure leaves the path as it was). */
int trace_sink_finish(struct trace_sink *k, struct mmsim_error *err);

/* A memory sink's bytes so far (borrowed until fini). */
const uint8_t *trace_sink_memory(const struct trace_sink *k, size_t *len);

#endif
