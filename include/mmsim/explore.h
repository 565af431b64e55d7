/*
 * mmsim/explore.h: looking inside a running system without changing it, for teaching tools
 * (the browser explorer, web/) and tests: a page walk laid out level by level, the TLB's
 * entries by structure, set and way, and every physical frame with its owner.
 *
 * Nothing here changes the machine: walks are probes (no A/D bit is set, the TLB is not
 * consulted or filled), and the TLB and frames are read as they are. Everything returned
 * is a copy or lives until the next call that changes the system.
 */
#ifndef MMSIM_EXPLORE_H
#define MMSIM_EXPLORE_H

#include "mmsim/export.h"

#include <stdbool.h>
#include <stdint.h>

#include "mmsim/mmu.h"

struct mmsim_system;
struct mmsim_task;

/*
 * The walk the CPU would make for an access of kind by t at va (user mode), entry by entry,
 * without setting A/D bits (levels[i].written equals entry): what the hardware would find
 * and the fault it would raise. 0, or -EINVAL when t has exited.
 */
MMSIM_API int mmsim_task_walk(struct mmsim_task *t, uint64_t va, enum mmsim_access kind,
			      struct mmsim_translation *out);

/* One valid TLB entry. structure: "dtlb", "itlb", "stlb", "l2dtlb" or "l2itlb". */
struct mmsim_tlb_entry {
	const char *structure;
	unsigned int array;	 /* index of the array in the TLB config (one per page-size set) */
	unsigned int set, way;	 /* where it sits */
	uint64_t va;		 /* first linear address covered */
	uint64_t pa;		 /* physical address of the first byte covered */
	unsigned int shift;	 /* covers 2^shift bytes */
	unsigned int page_shift; /* size of the page in the paging structures */
	unsigned int pcid;	 /* 0 for a global entry */
	bool global, user, writable, executable, dirty;
};

/* Calls fn for every valid TLB entry; returns how many (0 with tlb=off). */
MMSIM_API unsigned long mmsim_tlb_foreach(const struct mmsim_system *sys,
					  void (*fn)(void *ctx, const struct mmsim_tlb_entry *e),
					  void *ctx);

/* The TLB config's arrays, for drawing empty slots: structure, sets, ways; -1 past the end. */
MMSIM_API int mmsim_tlb_array(const struct mmsim_system *sys, unsigned int i,
			      const char **structure, unsigned int *sets, unsigned int *ways);

/* What a physical frame holds. */
enum mmsim_frame_kind {
	MMSIM_FRAME_HOLE = 0,	  /* no RAM (firmware hole, beyond the end) */
	MMSIM_FRAME_RESERVED,	  /* never given to the allocator: first MiB, kernel, memmap */
	MMSIM_FRAME_FREE,	  /* in a free buddy block (order says its size) */
	MMSIM_FRAME_PAGE_TABLE,	  /* a page-table page (a process's or the kernel's) */
	MMSIM_FRAME_SLAB,	  /* a slab page (tasks, mm_structs, VMAs ...) */
	MMSIM_FRAME_ZERO_PAGE,	  /* the shared zero page */
	MMSIM_FRAME_ANON,	  /* a private anonymous user page */
	MMSIM_FRAME_SHMEM,	  /* a shared anonymous (shmem) user page */
	MMSIM_FRAME_KERNEL_OTHER, /* allocated, none of the above */
};

struct mmsim_frame {
	uint64_t pfn;
	enum mmsim_frame_kind kind;
	unsigned int order; /* FREE: order of the free block this frame belongs to */
	int pid;	    /* the process whose page tables map it (or own it, for a table);
			     * 0 none, -1 several */
	int mapcount;	    /* PTEs mapping it (user pages) */
	bool dirty, swapcache, active;
};

/* Number of frames of the physical address space, holes included. */
MMSIM_API uint64_t mmsim_nr_frames(const struct mmsim_system *sys);

/*
 * Calls fn for each frame in [first, first + nr) (clamped to mmsim_nr_frames()), in pfn
 * order. 0, or -ENOMEM (host memory for the owner map).
 */
MMSIM_API int mmsim_frames_foreach(struct mmsim_system *sys, uint64_t first, uint64_t nr,
				   void (*fn)(void *ctx, const struct mmsim_frame *f), void *ctx);

#endif
