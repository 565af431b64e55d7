/*
 * trace/trace_bin.h: mmsim's binary trace format, versions 1 and 2 (docs/trace-format.md).
 *
 * A 16-byte header (magic, version, flags, reserved), then one record per access: a tag byte
 * carrying the kind, a size code and a "pid follows" bit, then LEB128 varints for the pid
 * (only when it changes), the size (only when the code cannot say it) and the address as a
 * zigzag delta from the previous address of the same stream (instruction fetches, data). An
 * end marker with the record count closes the trace, so truncation is always detected.
 * Version 2 adds events (fork, exec, exit, reclaim, shrink-all, switch) as control bytes
 * 0x81..0x86 with varint fields; the end marker then counts records and events. Version 1
 * files read exactly as before (a control byte other than the end marker is an error there).
 *
 * Encoder and decoder share struct trace_bin_state: both sides update it identically, record
 * by record, starting from zero.
 */
#ifndef MMSIM_TRACE_TRACE_BIN_H
#define MMSIM_TRACE_TRACE_BIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mmsim/trace.h"

struct mmsim_error;
struct trace_source;

#define TRACE_BIN_MAGIC_SIZE 8
#define TRACE_BIN_HEADER_SIZE 16
/* First byte of the magic; never the first byte of text, gzip or zstd. */
#define TRACE_BIN_MAGIC0 0x89

/* Tag byte of a record (bit 7 clear). */
#define TRACE_BIN_TAG_KIND_MASK 0x03u /* bits 0-1: enum mmsim_trace_kind */
#define TRACE_BIN_TAG_PID 0x04u	      /* bit 2: a pid varint follows the tag */
#define TRACE_BIN_TAG_SIZE_SHIFT 3    /* bits 3-6: size code, see trace_bin_size_code() */
#define TRACE_BIN_TAG_SIZE_MASK 0x78u
#define TRACE_BIN_TAG_CONTROL 0x80u /* bit 7: a control byte, not a record */
/* Control byte: end of trace, then a varint with the number of records (and events). */
#define TRACE_BIN_CTL_END 0x80u
/* Version 2's events: control bytes, then their fields as varints (docs/trace-format.md). */
#define TRACE_BIN_CTL_FORK 0x81u       /* parent pid, child pid */
#define TRACE_BIN_CTL_EXEC 0x82u       /* pid */
#define TRACE_BIN_CTL_EXIT 0x83u       /* pid */
#define TRACE_BIN_CTL_RECLAIM 0x84u    /* bytes (>= 1), target: 0 all, else pid + 1 */
#define TRACE_BIN_CTL_SHRINK_ALL 0x85u /* nothing */
#define TRACE_BIN_CTL_SWITCH 0x86u     /* nothing */
/* The first version with events. */
#define TRACE_BIN_VERSION_EVENTS 2

/* Address streams: each keeps its own previous address for delta encoding. */
enum trace_bin_stream {
	TRACE_BIN_STREAM_DATA = 0,   /* loads, stores, modifies */
	TRACE_BIN_STREAM_IFETCH = 1, /* instruction fetches */
	TRACE_BIN_NR_STREAMS = 2,
};

/* Longest record: tag, pid (5), size (5), address delta (10). */
#define TRACE_BIN_RECORD_MAX 21
/* Longest end marker: control byte and a 10-byte count. */
#define TRACE_BIN_END_MAX 11

struct trace_bin_state {
	uint64_t prev_addr[TRACE_BIN_NR_STREAMS]; /* last address of each stream, 0 at start */
	uint32_t pid;				  /* pid of the last record, 0 at start */
	uint64_t nr_records; /* records and events encoded or decoded so far (what the end
				marker counts) */
};

struct trace_bin_reader {
	struct trace_bin_state st;
	unsigned int version; /* of the header: 1 or 2 */
	bool events;	      /* hand events to the caller (else skip them) */
	uint64_t nr_events;   /* events decoded so far, handed out or skipped */
	bool done;	      /* the end marker was read and checked: nothing more will come */
};

/* Size code in a tag for size bytes: 1..15, or 0 when an explicit size varint follows. */
unsigned int trace_bin_size_code(uint32_t size);

/* Writes the 16-byte header of version MMSIM_TRACE_BINARY_VERSION to out. */
void trace_bin_encode_header(uint8_t out[TRACE_BIN_HEADER_SIZE]);

/*
 * Encodes rec (valid: size >= 1, known kind) into out, which has TRACE_BIN_RECORD_MAX bytes,
 * and updates st. Returns the bytes written.
 */
size_t trace_bin_encode(struct trace_bin_state *st, const struct mmsim_trace_record *rec,
			uint8_t *out);

/*
 * Encodes the event ev (valid: trace_event_invalid() says NULL) into out, which has
 * TRACE_BIN_RECORD_MAX bytes, and updates st. Returns the bytes written.
 */
size_t trace_bin_encode_event(struct trace_bin_state *st, const struct mmsim_trace_record *ev,
			      uint8_t *out);

/* Encodes the end marker for st into out (TRACE_BIN_END_MAX bytes). Returns bytes written. */
size_t trace_bin_encode_end(const struct trace_bin_state *st, uint8_t *out);

/* Checks and consumes the header at the source's first decoded byte, and resets br (but
 * not br->events, the caller's choice). */
int trace_bin_read_header(struct trace_bin_reader *br, struct trace_source *src,
			  struct mmsim_error *err);

/*
 * Decodes up to max records into recs; *nr_out gets how many. Returns 0 (with *nr_out 0 only
 * at the end of the trace) or a negative errno value with "NAME: byte OFFSET: reason".
 */
int trace_bin_read(struct trace_bin_reader *br, struct trace_source *src,
		   struct mmsim_trace_record *recs, size_t max, size_t *nr_out,
		   struct mmsim_error *err);

#endif
