/*
 * mmsim/trace.h: memory traces in and out.
 *
 * A trace is a sequence of records, one per memory access a program made: what kind of access,
 * which process, which user virtual address, how many bytes. Two formats are told apart by
 * content, never by file name:
 *   - valgrind lackey text (`valgrind --tool=lackey --trace-mem=yes`): "I  0401ab70,3";
 *   - mmsim's binary trace, compact and fast to replay (docs/trace-format.md, byte by byte).
 * Formats without a signature are read when the caller names them
 * (mmsim_trace_reader_create_as()): Dinero IV din text, libCacheSim oracleGeneral binary,
 * ChampSim input_instr binary, and text page lists (docs/trace-format.md has each layout).
 * Any may be compressed with zstd, gzip or xz; the compression is recognised by content.
 * Anything else is refused: "FILE: not a memory trace (...)".
 * The path "-" names standard input for a reader and standard output for a writer.
 *
 * Errors follow mmsim/error.h: a negative errno value and a message naming the place,
 * "FILE:LINE:COL: reason" in a text trace, "FILE: byte OFFSET: reason" in a binary or
 * compressed one. Bad input is -EINVAL; host failures are -ENOENT, -EACCES, -EISDIR, -EIO
 * and the like; -ENOMEM when the host is out of memory; -ESPIPE when standard input is asked
 * for a second pass. A truncated trace is an error, never a shorter trace.
 *
 * Readers and writers are host objects (malloc), one per open file, not thread-safe; the
 * library keeps no global state, so any number may be open at once.
 */
#ifndef MMSIM_TRACE_H
#define MMSIM_TRACE_H

#include "mmsim/export.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct mmsim_error;

/*
 * What a record says. Kinds 0..3 are memory accesses (lackey's letters I, L, S and M).
 * Kinds from MMSIM_TRACE_FORK up are events (binary version 2, lackey "# mmsim" lines):
 * they reach a reader's caller only after mmsim_trace_reader_set_events(r, true); readers
 * skip and count them otherwise, so a consumer that knows only accesses never sees one.
 * An event uses the record's fields as its kind says (unused fields are 0):
 *   FORK        pid = the parent, addr = the child's pid (never the parent's)
 *   EXEC        pid = the process whose address space is replaced by a new image
 *   EXIT        pid = the process that ends
 *   RECLAIM     addr = bytes to reclaim (at least 1), pid = the target process, or
 *               size = MMSIM_TRACE_EVENT_ALL (and pid 0): the whole machine
 *               (cgroup v2 memory.reclaim; mmsim_reclaim())
 *   SHRINK_ALL  no fields: hibernation's shrink_all_memory() (mmsim_shrink_all())
 *   SWITCH      no fields: a mark that the workload switches here
 */
enum mmsim_trace_kind {
	MMSIM_TRACE_LOAD = 0,	    /* a data read */
	MMSIM_TRACE_STORE = 1,	    /* a data write */
	MMSIM_TRACE_MODIFY = 2,	    /* a read then a write of the same bytes by one instruction */
	MMSIM_TRACE_IFETCH = 3,	    /* an instruction fetch */
	MMSIM_TRACE_FORK = 4,	    /* event: pid forked the child addr (copy-on-write) */
	MMSIM_TRACE_EXEC = 5,	    /* event: pid exec'd a new image */
	MMSIM_TRACE_EXIT = 6,	    /* event: pid exited */
	MMSIM_TRACE_RECLAIM = 7,    /* event: proactive reclaim of addr bytes */
	MMSIM_TRACE_SHRINK_ALL = 8, /* event: shrink_all_memory() */
	MMSIM_TRACE_SWITCH = 9,	    /* event: workload switch mark */
};

/* Access kinds: 0 .. MMSIM_TRACE_NR_KINDS - 1. All kinds, events included: below
 * MMSIM_TRACE_NR_ALL_KINDS. */
#define MMSIM_TRACE_NR_KINDS 4
#define MMSIM_TRACE_NR_ALL_KINDS 10
/* In a RECLAIM event's size field: reclaim from the whole machine, not one process. */
#define MMSIM_TRACE_EVENT_ALL 1u

/* One memory access, or an event (above). */
struct mmsim_trace_record {
	uint64_t addr;		    /* user virtual address of the first byte accessed */
	uint32_t pid;		    /* process that made the access; 0 when the format has none */
	uint32_t size;		    /* bytes accessed, at least 1 */
	enum mmsim_trace_kind kind; /* an access kind, or an event's */
};

/* Whether kind is an event rather than a memory access. */
static inline bool mmsim_trace_kind_is_event(enum mmsim_trace_kind kind)
{
	return (unsigned int)kind >= MMSIM_TRACE_NR_KINDS;
}

enum mmsim_trace_format {
	MMSIM_TRACE_FORMAT_AUTO = -1,  /* reading: detect binary or lackey by content */
	MMSIM_TRACE_FORMAT_BINARY = 0, /* mmsim binary, version MMSIM_TRACE_BINARY_VERSION */
	MMSIM_TRACE_FORMAT_LACKEY = 1, /* valgrind lackey text */
	MMSIM_TRACE_FORMAT_DIN = 2,    /* Dinero IV "din" text: "LABEL HEXADDR" */
	MMSIM_TRACE_FORMAT_ORACLE_GENERAL = 3, /* libCacheSim oracleGeneral binary */
	MMSIM_TRACE_FORMAT_CHAMPSIM = 4,       /* ChampSim input_instr binary (read only) */
	MMSIM_TRACE_FORMAT_PAGES = 5,	       /* text page list: "PAGE" or "PID PAGE" */
	MMSIM_TRACE_FORMAT_CSV = 6,	       /* CSV requests, libCacheSim's conventions */
};

#define MMSIM_TRACE_NR_FORMATS 7

/*
 * Formats without their own addresses (oracleGeneral object ids, page-list page numbers)
 * become pages at this base, so page 0 is not under mmap_min_addr: page p is the 4 KiB at
 * MMSIM_TRACE_PAGE_BASE + p * 4096. Object ids become page numbers 0, 1, 2, ... in order
 * of first appearance (libCacheSim's ids are often 64-bit hashes).
 */
#define MMSIM_TRACE_PAGE_BASE UINT64_C(0x10000000)

/* The binary format version this library writes; it reads this one and every earlier one
 * (version 1: accesses only; version 2 adds events). */
#define MMSIM_TRACE_BINARY_VERSION 2

enum mmsim_trace_compression {
	MMSIM_TRACE_COMPRESSION_NONE = 0,
	MMSIM_TRACE_COMPRESSION_ZSTD = 1,
	MMSIM_TRACE_COMPRESSION_GZIP = 2,
	MMSIM_TRACE_COMPRESSION_XZ = 3, /* reading only */
};

/* Why ev, an event, breaks the rules above (a static string), or NULL when it is a valid
 * event. Also a reason for an access kind ("not an event"). */
MMSIM_API const char *mmsim_trace_event_invalid(const struct mmsim_trace_record *ev);

/* Lower-case names for messages: "load", "fork", "shrink-all", "lackey", "zstd", ...; "?" for a
 * bad value. */
MMSIM_API const char *mmsim_trace_kind_name(enum mmsim_trace_kind kind);
MMSIM_API const char *mmsim_trace_format_name(enum mmsim_trace_format format);
MMSIM_API const char *mmsim_trace_compression_name(enum mmsim_trace_compression compression);

/*
 * The format named name ("binary" or "bin", "lackey", "din", "oracleGeneral", "champsim",
 * "pages", "auto"). 0, or -EINVAL for an unknown name.
 */
MMSIM_API int mmsim_trace_format_from_name(const char *name, enum mmsim_trace_format *out);

/* One line per format for --help: "  NAME  description (source)\n"; a static string. */
MMSIM_API const char *mmsim_trace_formats_help(void);

/* ---- Reading ---------------------------------------------------------------------------- */

struct mmsim_trace_reader;

/*
 * Opens the trace at path ("-": standard input), detects its compression and format from the
 * first bytes and, for a binary trace, checks its header. On success *out is a new reader
 * that the caller destroys. Opening the same path again gives an independent reader that
 * starts from the beginning (how a two-pass consumer such as OPT may read a file twice).
 * An empty file is a valid lackey trace with no records; a file that is neither format is
 * -EINVAL "PATH: not a memory trace (...)".
 */
MMSIM_API int mmsim_trace_reader_create(const char *path, struct mmsim_trace_reader **out,
					struct mmsim_error *err);

/* As mmsim_trace_reader_create(), reading format (MMSIM_TRACE_FORMAT_AUTO: detect). */
MMSIM_API int mmsim_trace_reader_create_as(const char *path, enum mmsim_trace_format format,
					   struct mmsim_trace_reader **out,
					   struct mmsim_error *err);

/*
 * Gives a CSV reader (MMSIM_TRACE_FORMAT_CSV) libCacheSim's reader parameters, as its
 * cachesim takes them after -t: "obj-id-col=3, delimiter=,, has-header=false,
 * obj-id-is-num=1" (keys any case, '_' or '-'; docs/trace-format.md). Each replaces the
 * reader's guess; columns mmsim does not use (time-col, obj-size-col, ...) are checked and
 * ignored. Call before the first read; they stay across rewinds. NULL or "" changes
 * nothing. 0, or -EINVAL (a bad parameter, another format, records already read).
 */
MMSIM_API int mmsim_trace_reader_set_params(struct mmsim_trace_reader *r, const char *params,
					    struct mmsim_error *err);

/*
 * As mmsim_trace_reader_create(), over size bytes at data (borrowed: they must stay valid and
 * unchanged until the reader is destroyed; NULL is fine when size is 0). name is used in
 * messages (copied).
 */
MMSIM_API int mmsim_trace_reader_create_memory(const void *data, size_t size, const char *name,
					       struct mmsim_trace_reader **out,
					       struct mmsim_error *err);

/* Closes the file (not standard input) and frees r. Accepts NULL. */
MMSIM_API void mmsim_trace_reader_destroy(struct mmsim_trace_reader *r);

/*
 * Reads the next record into *rec. Returns 1 when *rec was filled, 0 at the end of the trace
 * (and on every later call), or a negative errno value with err filled. An error is sticky:
 * later calls return it again until a successful rewind.
 */
MMSIM_API int mmsim_trace_next(struct mmsim_trace_reader *r, struct mmsim_trace_record *rec,
			       struct mmsim_error *err);

/*
 * Reads up to max records into recs. Returns 0 and sets *nr_out to the number read, which is
 * 0 only at the end of the trace; or a negative errno value (records read before the error
 * were still consumed; *nr_out says how many went into recs). The fastest way to read.
 */
MMSIM_API int mmsim_trace_read(struct mmsim_trace_reader *r, struct mmsim_trace_record *recs,
			       size_t max, size_t *nr_out, struct mmsim_error *err);

/*
 * Whether r can go back to its first record: true for files and memory, false for standard
 * input, which can be read once only.
 */
MMSIM_API bool mmsim_trace_rewindable(const struct mmsim_trace_reader *r);

/*
 * Goes back to the first record, so the trace can be read again (a second pass). Returns 0,
 * -ESPIPE for standard input (with a message saying a second pass needs a trace file), or
 * another negative errno value if the file can no longer be read.
 */
MMSIM_API int mmsim_trace_rewind(struct mmsim_trace_reader *r, struct mmsim_error *err);

/*
 * Whether r hands events (fork, exec, exit, reclaim, shrink-all, switch) to its caller
 * (true) or skips them (false, the default: every record read is then an access). Call
 * before the first read; it stays across rewinds. Skipped events are still checked and
 * counted (mmsim_trace_reader_nr_events()).
 */
MMSIM_API void mmsim_trace_reader_set_events(struct mmsim_trace_reader *r, bool events);

/* Events read since the open or the last rewind, delivered or skipped. */
MMSIM_API uint64_t mmsim_trace_reader_nr_events(const struct mmsim_trace_reader *r);

/* How far a reader has got, for a progress bar. */
struct mmsim_trace_progress {
	uint64_t bytes_read;  /* bytes of the file (compressed, if it is) consumed so far */
	uint64_t total_bytes; /* size of the file; 0 when unknown (a pipe, a terminal) */
	uint64_t nr_records;  /* records returned since the open or the last rewind */
	uint64_t nr_skipped;  /* lines skipped so far: valgrind's own "==PID==", "--PID--" */
};

MMSIM_API void mmsim_trace_get_progress(const struct mmsim_trace_reader *r,
					struct mmsim_trace_progress *progress);

MMSIM_API enum mmsim_trace_format mmsim_trace_reader_format(const struct mmsim_trace_reader *r);
MMSIM_API enum mmsim_trace_compression
mmsim_trace_reader_compression(const struct mmsim_trace_reader *r);

/* The name used in messages: the path, "<stdin>", or the name given for memory. */
MMSIM_API const char *mmsim_trace_reader_name(const struct mmsim_trace_reader *r);

/* ---- Writing ---------------------------------------------------------------------------- */

struct mmsim_trace_writer;

struct mmsim_trace_writer_opts {
	enum mmsim_trace_format format;		  /* any but AUTO and CHAMPSIM */
	enum mmsim_trace_compression compression; /* applied to the whole file */
	int level;	  /* compression level; 0: the library default (zstd 3, gzip 6) */
	bool drop_events; /* formats without events (din, pages, oracleGeneral, csv): false
			     refuses an event (-EINVAL), true drops it and counts it
			     (mmsim_trace_writer_nr_dropped()); binary and lackey keep events */
};

/*
 * Prepares to write a trace to the file at path ("-": standard output). The trace goes to a
 * temporary file in path's directory (PATH.tmp-XXXXXX), renamed over path by
 * mmsim_trace_writer_finish() once complete: until then, and forever if finish fails or is
 * never called, path keeps what it held (an older file, or nothing). An existing path that
 * is not a regular file (a device, a FIFO) is written directly. opts NULL means binary,
 * zstd-compressed, default level: what `mmsim record` writes. On success *out is a new writer; call
 * mmsim_trace_writer_finish() to complete the file, then mmsim_trace_writer_destroy().
 *
 * A lackey text file gets valgrind's exact line format. Lackey has no pids: when a record's
 * pid differs from the previous one (initially 0), the writer puts an mmsim extension line
 * "# mmsim pid N" before it, which mmsim's lackey reader understands and others skip.
 */
MMSIM_API int mmsim_trace_writer_create(const char *path,
					const struct mmsim_trace_writer_opts *opts,
					struct mmsim_trace_writer **out, struct mmsim_error *err);

/* Appends one record or event. -EINVAL for a record that cannot be valid (size 0, unknown
 * kind, a fork to its own pid, a reclaim of 0 bytes), or an event the format cannot carry
 * (without opts.drop_events). */
MMSIM_API int mmsim_trace_write(struct mmsim_trace_writer *w, const struct mmsim_trace_record *rec,
				struct mmsim_error *err);

/*
 * Writes the end of the trace (the binary end marker, the compressed stream's epilogue),
 * flushes it to the disk, closes the file and renames it into place. Until this returns 0
 * nothing is at path (standard output and devices: the stream is incomplete, and readers
 * report it as truncated). Call once; write nothing after it.
 */
MMSIM_API int mmsim_trace_writer_finish(struct mmsim_trace_writer *w, struct mmsim_error *err);

/* Frees w. Without a successful finish its file is removed, leaving path as it was (not
 * standard output). Accepts NULL. */
MMSIM_API void mmsim_trace_writer_destroy(struct mmsim_trace_writer *w);

/* Access records written so far (events not included). */
MMSIM_API uint64_t mmsim_trace_writer_nr_records(const struct mmsim_trace_writer *w);

/* Events written so far, and events dropped because the format cannot carry them. */
MMSIM_API uint64_t mmsim_trace_writer_nr_events(const struct mmsim_trace_writer *w);
MMSIM_API uint64_t mmsim_trace_writer_nr_dropped(const struct mmsim_trace_writer *w);

/* Bytes of the file written so far (compressed, if it is): what a progress line shows. */
MMSIM_API uint64_t mmsim_trace_writer_bytes(const struct mmsim_trace_writer *w);

/*
 * Reads every record of in_path (any readable trace) and writes them to out_path with opts
 * (NULL as for mmsim_trace_writer_create()): lackey to binary, binary to lackey, or a change
 * of compression. *nr_records (if not NULL) gets the number of records copied. Input and
 * output must be different files. On failure out_path is left as it was.
 */
MMSIM_API int mmsim_trace_convert(const char *in_path, const char *out_path,
				  const struct mmsim_trace_writer_opts *opts, uint64_t *nr_records,
				  struct mmsim_error *err);

/* As mmsim_trace_convert(), reading in_path as in_format (MMSIM_TRACE_FORMAT_AUTO: detect). */
MMSIM_API int mmsim_trace_convert_as(const char *in_path, enum mmsim_trace_format in_format,
				     const char *out_path,
				     const struct mmsim_trace_writer_opts *opts,
				     uint64_t *nr_records, struct mmsim_error *err);

/*
 * As mmsim_trace_convert_as(), asking stop(ctx) between batches of records (^C): when it
 * says true, the output is abandoned (out_path is left as it was), *nr_records (if not
 * NULL) gets the records copied until then, and the result is -EINTR with "interrupted
 * after N records" in err.
 */
MMSIM_API int mmsim_trace_convert_stoppable(const char *in_path, enum mmsim_trace_format in_format,
					    const char *out_path,
					    const struct mmsim_trace_writer_opts *opts,
					    bool (*stop)(void *ctx), void *ctx,
					    uint64_t *nr_records, struct mmsim_error *err);

/* As mmsim_trace_convert_stoppable(), giving the reader in_params first
 * (mmsim_trace_reader_set_params(); NULL: none). Events are copied like records (an output
 * format without events refuses the first one unless opts->drop_events). */
MMSIM_API int mmsim_trace_convert_params(const char *in_path, enum mmsim_trace_format in_format,
					 const char *in_params, const char *out_path,
					 const struct mmsim_trace_writer_opts *opts,
					 bool (*stop)(void *ctx), void *ctx, uint64_t *nr_records,
					 struct mmsim_error *err);

/* What a conversion copied. */
struct mmsim_trace_convert_result {
	uint64_t nr_records; /* access records written */
	uint64_t nr_events;  /* events written */
	uint64_t nr_dropped; /* events dropped (opts->drop_events and a format without events) */
};

/* As mmsim_trace_convert_params(), with every count in *res (if not NULL; filled on success
 * and on -EINTR). */
MMSIM_API int mmsim_trace_convert_counted(const char *in_path, enum mmsim_trace_format in_format,
					  const char *in_params, const char *out_path,
					  const struct mmsim_trace_writer_opts *opts,
					  bool (*stop)(void *ctx), void *ctx,
					  struct mmsim_trace_convert_result *res,
					  struct mmsim_error *err);

#endif
