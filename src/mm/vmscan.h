/*
 * mm/vmscan.h: reclaim (Linux: mm/vmscan.c): choosing victims with the configured policy,
 * unmapping them everywhere through rmap, writing them to swap, freeing them.
 *
 * Modes: `linux` reclaim wakes kswapd when an allocation finds every zone below its low
 * watermark (kswapd then reclaims in batches of SWAP_CLUSTER_MAX = 32 until every zone is
 * above high) and reclaims directly, 32 at a time, below min; `demand` reclaim (the
 * textbook model) evicts exactly one page when a frame is needed. With a frame cap
 * (frames=N, like a memory cgroup's memory.max over user pages) a new user page beyond
 * the cap first reclaims: one page in demand mode, 32 in linux mode.
 */
#ifndef MMSIM_MM_VMSCAN_H
#define MMSIM_MM_VMSCAN_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/x86_64/types.h"

struct mm_core;
struct page;
struct policy_ops;
struct check_report;

#define SWAP_CLUSTER_MAX 32u

enum vmscan_mode {
	VMSCAN_KSWAPD,	  /* kswapd's background reclaim */
	VMSCAN_DIRECT,	  /* the allocating task reclaims (counted as direct) */
	VMSCAN_PROACTIVE, /* asked for ahead of need: cgroup v2 memory.reclaim. Counted as
			   * pgscan/pgsteal_proactive, as Linux does since 6.15 (before, as
			   * direct reclaim; docs/kernel.md) */
	VMSCAN_HIBERNATE, /* shrink_all_memory() before a hibernation image: counted as
			   * direct reclaim (it sets no proactive flag) */
};

struct vmscan_ctx {
	struct mm_core *core;
	enum vmscan_mode mode;
	uint64_t nr_scanned;	    /* pages the policy looked at (pgscan_*) */
	uint64_t nr_reclaimed;	    /* pages freed (pgsteal_*) */
	uint64_t nr_reclaimed_file; /* of those, file pages (pgsteal_file) */
	uint64_t nr_scanned_file;   /* of nr_scanned, file pages (pgscan_file; policies with
				     * separate file lists count it, others count all as anon) */
	uint64_t nr_pageout[2];	    /* pages written: [0] anon to swap, [1] file to its file */
	/* The linux policy's scan balance for this call (get_scan_count()). */
	bool planned;		/* scan_weight and may_deactivate are set */
	bool may_deactivate[2]; /* [anon, file]: refaults since the last reclaim */
	double scan_weight[2];	/* [anon, file]: lru size * fraction; 0 = not scanned */
};

struct vmscan_config {
	const char *policy;  /* policy=NAME[:KEY=VALUE...], checked by policy_parse() */
	bool demand;	     /* demand reclaim instead of Linux's watermarks and kswapd */
	uint64_t frames_cap; /* resident user pages allowed; 0 for no cap */
	uint64_t seed;
};

/* Sets up the policy and hooks reclaim into the page allocator. 0 or -ENOMEM. */
int vmscan_init(struct mm_core *core, const struct vmscan_config *cfg);
void vmscan_fini(struct mm_core *core);

/* Reclaims up to nr pages; returns how many were freed. */
uint64_t vmscan_reclaim(struct mm_core *core, uint64_t nr, enum vmscan_mode mode);

/*
 * Linux reclaim_pages() for one page that madvise(MADV_PAGEOUT) isolated: the page is
 * unmapped from every PTE, written to swap (if dirty) and freed, whatever its Accessed
 * bits say. As in Linux, no pgscan/pgsteal counter moves (only pswpout). 0 when it was
 * freed, -EBUSY when it cannot go now (not on an LRU, under writeback), -ENOSPC when swap
 * is full.
 */
int vmscan_pageout_page(struct mm_core *core, struct page *pg);

/* Runs kswapd if an allocation woke it (called where the simulated CPU is between
 * instructions: after an access or a system call). */
void vmscan_run_kswapd(struct mm_core *core);

/*
 * For policies: the Accessed bits of every PTE that maps pg, found through rmap. Returns
 * how many were set; clears them when clear is set (without a TLB flush, as x86 Linux's
 * ptep_clear_flush_young() does: a cached translation keeps hitting without setting A).
 * *dirty (if not NULL) is set when a PTE has D set or the page is dirty.
 */
unsigned int vmscan_page_referenced(struct vmscan_ctx *ctx, struct page *pg, bool clear,
				    bool *dirty);

/* vmscan_page_referenced(), and *exec (if not NULL) set when a VMA mapping pg with the
 * Accessed bit set is executable (folio_referenced()'s vm_flags & VM_EXEC). */
/*
 * The next use of pg over every PTE that maps it (rmap), from core->next_use: the earliest
 * in *min, the latest in *max. False (nothing set) when core->next_use is not installed or
 * no PTE maps pg.
 */
bool vmscan_page_next_use(struct mm_core *core, struct page *pg, uint64_t *min, uint64_t *max);
unsigned int vmscan_page_referenced_exec(struct vmscan_ctx *ctx, struct page *pg, bool clear,
					 bool *dirty, bool *exec);
/* Linux workingset_age_nonresident(): nr pages were activated or evicted (the clock that
 * refault distances are measured on, mm/workingset.c). */
void vmscan_workingset_age(struct vmscan_ctx *ctx, uint64_t nr);
/* Linux mm/swap.c lru_note_cost(): reclaiming a type cost nr_io pages of I/O and
 * nr_rotated pages scanned but kept; recent costs weigh get_scan_count()'s balance.
 * Both costs halve when their sum passes a quarter of the LRU pages. */
void vmscan_lru_note_cost(struct mm_core *core, bool file, uint64_t nr_io, uint64_t nr_rotated);
/*
 * For policies that model Linux's lists: reclaim kept pg and moved it to the active list.
 * Linux shrink_folio_list(), activate_locked: a page in the swap cache gives its slot back
 * (folio_free_swap()) when swap is more than half full (mem_cgroup_swap_full()).
 */
void vmscan_page_activated(struct vmscan_ctx *ctx, struct page *pg);

/* An access hit pg (policies that see every access); faulted: the access faulted first. */
void vmscan_note_access(struct mm_core *core, paddr_t pa, uint64_t next_use, bool faulted);

bool vmscan_check(const struct mm_core *core, struct check_report *why);

#endif
