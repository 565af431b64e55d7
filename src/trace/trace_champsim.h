/*
 * trace/trace_champsim.h: ChampSim's instruction traces (docs/trace-format.md), read only.
 *
 * The files are xz-compressed streams of 64-byte little-endian records, ChampSim's
 * struct input_instr (inc/trace_instruction.h): uint64 ip; uint8 is_branch, branch_taken;
 * uint8 destination_registers[2], source_registers[4]; uint64 destination_memory[2],
 * source_memory[4]. Each record becomes an instruction fetch at ip, a load for each nonzero
 * source_memory, then a store for each nonzero destination_memory, in that order, all
 * 1 byte (the format has no sizes), pid 0. A file that is not a whole number of records
 * is truncated: an error naming the byte offset in the decompressed stream. A record whose
 * is_branch or branch_taken is not 0 or 1 is refused (it is not ChampSim's).
 */
#ifndef MMSIM_TRACE_TRACE_CHAMPSIM_H
#define MMSIM_TRACE_TRACE_CHAMPSIM_H

#include <stddef.h>
#include <stdint.h>

#include "mmsim/trace.h"

struct mmsim_error;
struct trace_source;

#define TRACE_CHAMPSIM_RECORD_SIZE 64
/* Accesses one record can make: the fetch, 4 loads, 2 stores. */
#define TRACE_CHAMPSIM_MAX_ACCESSES 7

struct trace_champsim_reader {
	struct mmsim_trace_record pending[TRACE_CHAMPSIM_MAX_ACCESSES]; /* of the last record */
	unsigned int pending_pos; /* next of pending to hand out */
	unsigned int pending_nr;  /* accesses in pending */
};

void trace_champsim_reader_start(struct trace_champsim_reader *cr);

/* Decodes up to max accesses; 0 (with *nr_out 0 only at the end), or "NAME: byte N: reason". */
int trace_champsim_read(struct trace_champsim_reader *cr, struct trace_source *src,
			struct mmsim_trace_record *recs, size_t max, size_t *nr_out,
			struct mmsim_error *err);

#endif
