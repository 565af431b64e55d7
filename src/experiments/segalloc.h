/*
 * experiments/segalloc.h: a contiguous-segment allocator over physical frames, for comparison with
 * paging (the fragmentation experiment). Not part of Linux: it is the textbook allocator
 * of segmented or base-and-limit systems (Knuth, TAOCP vol. 1 §2.5; Silberschatz,
 * "Contiguous Memory Allocation"), where a process needs one run of frames.
 *
 * The free memory is a set of holes (maximal runs of free frames), kept sorted by address
 * in a host array. First fit takes the lowest hole that is large enough; best fit the
 * smallest such hole (the lowest among equals). A segment is carved from the start of its
 * hole. Freeing coalesces with adjacent holes. Holes given at setup that touch are merged.
 *
 * Host memory throughout (this is a model beside the simulated kernel, not part of it).
 */
#ifndef MMSIM_EXPERIMENTS_SEGALLOC_H
#define MMSIM_EXPERIMENTS_SEGALLOC_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/x86_64/types.h"

struct check_report;

enum segalloc_fit {
	SEGALLOC_FIRST_FIT,
	SEGALLOC_BEST_FIT,
};

struct segalloc_hole {
	pfn_t start;	   /* first free frame */
	uint64_t nr_pages; /* > 0 */
};

struct segalloc {
	enum segalloc_fit fit;
	struct segalloc_hole *holes; /* sorted by start, disjoint, never adjacent */
	uint64_t nr_holes;
	uint64_t cap_holes;
	uint64_t free_pages; /* sum of the holes */
};

/* An allocator with no free memory yet; 0 or -ENOMEM. */
int segalloc_init(struct segalloc *sa, enum segalloc_fit fit);
void segalloc_fini(struct segalloc *sa);

/* Adds free frames [start, start + nr_pages), which must not overlap a hole; 0, -EINVAL
 * (overlap, empty range) or -ENOMEM (host). */
int segalloc_add_range(struct segalloc *sa, pfn_t start, uint64_t nr_pages);

/* A segment of nr_pages contiguous frames: 0 and *start_out, -EINVAL (0 pages), -ENOMEM
 * (no hole large enough: the free memory may still be enough in total). */
int segalloc_alloc(struct segalloc *sa, uint64_t nr_pages, pfn_t *start_out);

/* Frees a segment segalloc_alloc returned; 0, or -EINVAL if it overlaps free memory,
 * -ENOMEM (host) if a new hole cannot be recorded. */
int segalloc_free(struct segalloc *sa, pfn_t start, uint64_t nr_pages);

/* The largest hole, in pages (0 when nothing is free). */
uint64_t segalloc_largest_hole(const struct segalloc *sa);

/* Holes sorted, disjoint, not adjacent, non-empty; free_pages equals their sum. */
bool segalloc_check(const struct segalloc *sa, struct check_report *why);

#endif
