/*
 * trace/trace_oracle.h: libCacheSim's oracleGeneral binary trace (docs/trace-format.md).
 *
 * No header; one 24-byte little-endian record per request (libCacheSim,
 * traceReader/customizedReader/oracle/oracleGeneralBin.h): uint32 clock_time, uint64 obj_id,
 * uint32 obj_size, int64 next_access_vtime (-1 or INT64_MAX: never again). A file that is
 * not a whole number of records is truncated: an error naming the byte offset. A record
 * whose next_access_vtime is neither -1, INT64_MAX nor in 0..2^48-1 is refused, so that a
 * file of another format read as this one fails at its first record.
 *
 * Each object becomes one page: ids are numbered 0, 1, 2, ... in order of first request and
 * page n is a 1-byte write at MMSIM_TRACE_PAGE_BASE + n * 4096, pid 0 (a write, so that
 * each object takes a frame as it takes cache space: a read would map the zero page). The
 * renumbering is a bijection, so every policy sees the same sequence as libCacheSim with all
 * objects one page in size. Sizes and times are not used.
 *
 * The writer buffers the trace and, at finish, writes each record with obj_id = its page
 * number (address / 4096) and next_access_vtime = the 0-based index of the next request to
 * the same page, -1 when none: the file libCacheSim's Belady needs.
 */
#ifndef MMSIM_TRACE_TRACE_ORACLE_H
#define MMSIM_TRACE_TRACE_ORACLE_H

#include <stddef.h>
#include <stdint.h>

#include "mmsim/trace.h"

struct mmsim_error;
struct trace_source;

#define TRACE_ORACLE_RECORD_SIZE 24
/* Most distinct objects: their pages must fit below the top of 4-level user space. */
#define TRACE_ORACLE_MAX_OBJECTS (UINT64_C(1) << 34)
/* next_access_vtime at or above this (and not INT64_MAX) is refused: no file is that long. */
#define TRACE_ORACLE_MAX_VTIME (INT64_C(1) << 48)

/* Open-addressing table: object id -> page number (first-request order). */
struct trace_oracle_map {
	uint64_t *ids;	  /* slot keys, valid where pages[i] != 0 */
	uint64_t *pages;  /* page number + 1, 0 for an empty slot */
	size_t nr_slots;  /* a power of two, or 0 before the first insert */
	uint64_t nr_used; /* objects in the table = the next page number */
};

/* The page of id, numbering it next (nr_used) if new. 0 or -ENOMEM. The CSV reader
 * (trace_csv.h) numbers its objects the same way. */
int trace_oracle_map_page(struct trace_oracle_map *m, uint64_t id, uint64_t *page);
void trace_oracle_map_fini(struct trace_oracle_map *m);

struct trace_oracle_reader {
	struct trace_oracle_map map;
};

void trace_oracle_reader_start(struct trace_oracle_reader *orr);
void trace_oracle_reader_fini(struct trace_oracle_reader *orr);

/* Decodes up to max records; 0 (with *nr_out 0 only at the end), or "NAME: byte N: reason". */
int trace_oracle_read(struct trace_oracle_reader *orr, struct trace_source *src,
		      struct mmsim_trace_record *recs, size_t max, size_t *nr_out,
		      struct mmsim_error *err);

/* The writer's side: pages in order, turned into records by trace_oracle_encode(). */
struct trace_oracle_writer {
	uint64_t *pages; /* page number of each request, in order */
	size_t nr;	 /* requests held */
	size_t cap;	 /* room in pages */
};

/* Appends rec's page; 0 or -ENOMEM. */
int trace_oracle_writer_add(struct trace_oracle_writer *ow, const struct mmsim_trace_record *rec);

/*
 * Encodes every request held into a new malloc'd buffer *out of *len bytes (the caller
 * frees it). 0 or -ENOMEM.
 */
int trace_oracle_encode(const struct trace_oracle_writer *ow, uint8_t **out, size_t *len);

void trace_oracle_writer_fini(struct trace_oracle_writer *ow);

#endif
