/*
 * mm/event.h: explain-mode events, raised at the decision points of the mm and kernel
 * layers (and mirrored one to one by the public struct mmsim_event). Raising one costs a
 * predictable branch when nobody listens (core_event() in core.h).
 */
#ifndef MMSIM_MM_EVENT_H
#define MMSIM_MM_EVENT_H

#include <stdint.h>

enum mm_event_kind {
	MM_EV_TLB_MISS,
	MM_EV_WALK_STEP,
	MM_EV_PAGE_FAULT,
	MM_EV_FAULT_DECISION,
	MM_EV_SIGNAL,
	MM_EV_FRAME_ALLOC,
	MM_EV_FRAME_FREE,
	MM_EV_PTE_WRITE,
	MM_EV_TLB_FLUSH,
	MM_EV_RECLAIM,
	MM_EV_EVICT,
	MM_EV_SWAP_IN,
	MM_EV_OOM_KILL,
	MM_EV_TLB_HIT,
};

struct mm_event {
	enum mm_event_kind kind;
	int pid;
	uint64_t va;
	uint64_t pfn;
	uint64_t entry_addr;
	uint64_t old, new;
	unsigned int level;
	uint32_t error_code;
	int signal;	  /* enum mmsim_signal value */
	const char *what; /* static text, may be NULL */
};

typedef void (*mm_event_cb)(void *ctx, const struct mm_event *ev);

#endif
