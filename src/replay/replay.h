/*
 * replay/replay.h: what replay.c and mrc.c share beyond the public headers: how a trace
 * record becomes page accesses, so that the replay, its pre-pass and the curves number
 * page accesses alike.
 */
#ifndef MMSIM_REPLAY_REPLAY_H
#define MMSIM_REPLAY_REPLAY_H

#include <stdbool.h>
#include <stdint.h>

#include "mmsim/trace.h"

/* Whether page_shift is a base page size the replay takes: 12 (x86's 4 KiB) or the what-if
 * sizes 13, 14 and 16 (8, 16 and 64 KiB; docs/page-size.md). */
static inline bool replay_page_shift_ok(unsigned int page_shift)
{
	return page_shift == 12 || page_shift == 13 || page_shift == 14 || page_shift == 16;
}

/* The first and last page of 2^page_shift bytes that a record's bytes touch (the last
 * clipped at the top of memory). Replay, pre-pass and mrc.c number page accesses alike
 * through this and the next. */
static inline void replay_record_pages(const struct mmsim_trace_record *rec,
				       unsigned int page_shift, uint64_t *first, uint64_t *last)
{
	uint64_t end = rec->addr + (rec->size - 1);

	if (end < rec->addr)
		end = UINT64_MAX;
	*first = rec->addr >> page_shift;
	*last = end >> page_shift;
}

/* The address the machine is asked about for page `page` of a record at addr: at 4 KiB the
 * record's own address on its first page (a fault names it), else the page's start. In the
 * what-if (page_shift > 12) every access to a page goes to its first 4 KiB, so that one
 * 4 KiB page of the x86 machine stands for each what-if page: one frame, one fault, one
 * policy entry per what-if page. */
static inline uint64_t replay_page_va(uint64_t addr, uint64_t page, uint64_t first,
				      unsigned int page_shift)
{
	return page == first && page_shift == 12 ? addr : page << page_shift;
}

/* Page accesses per page touched: a modify is a write then a read. */
static inline unsigned int replay_kind_accesses(enum mmsim_trace_kind kind)
{
	return kind == MMSIM_TRACE_MODIFY ? 2 : 1;
}

#endif
