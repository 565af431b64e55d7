/*
 * replay/replay.h: what replay.c and mrc.c share beyond the public headers: how a trace
 * record becomes page accesses, so that the replay, its pre-pass and the curves number
 * page accesses alike.
 */
#ifndef MMSIM_REPLAY_REPLAY_H
#define MMSIM_REPLAY_REPLAY_H

#include <stdint.h>

#include "mmsim/trace.h"

/* The first and last page a record's bytes touch (the last clipped at the top of memory).
 * Replay, pre-pass and mrc.c number page accesses alike through this and the next. */
static inline void replay_record_pages(const struct mmsim_trace_record *rec, uint64_t *first,
				       uint64_t *last)
{
	uint64_t end = rec->addr + (rec->size - 1);

	if (end < rec->addr)
		end = UINT64_MAX;
	*first = rec->addr >> 12;
	*last = end >> 12;
}

/* Page accesses per page touched: a modify is a write then a read. */
static inline unsigned int replay_kind_accesses(enum mmsim_trace_kind kind)
{
	return kind == MMSIM_TRACE_MODIFY ? 2 : 1;
}

#endif
