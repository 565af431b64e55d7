/*
 * mm/memory.h: operations on ranges of PTEs (Linux: mm/memory.c zap_page_range and
 * copy_page_range, mm/mprotect.c change_protection).
 */
#ifndef MMSIM_MM_MEMORY_H
#define MMSIM_MM_MEMORY_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/x86_64/types.h"

struct mm_core;
struct mm_struct;
struct vma;

/* Unmaps every page in [start, end) of vma (all within it), dropping page references,
 * swap entries and rss, then invalidates the TLB for the range. */
void memory_zap_range(struct mm_core *core, struct vma *vma, vaddr_t start, vaddr_t end);

/*
 * madvise(MADV_PAGEOUT) over [start, end) of vma (Linux mm/madvise.c
 * madvise_cold_or_pageout_pte_range(), then reclaim_pages()): every private anonymous page
 * mapped there and by no other PTE (mapcount 1; pages shared after fork are skipped, as
 * Linux skips folios mapped more than once) is reclaimed at once, Accessed bits ignored,
 * lowest address first, until max_pages were. Shared (shmem) mappings and the zero page
 * are skipped. Returns the pages reclaimed; *stopped says swap ran out before the end.
 */
uint64_t memory_pageout_range(struct mm_core *core, struct vma *vma, vaddr_t start, vaddr_t end,
			      uint64_t max_pages, bool *stopped);

/* fork: copies vma's PTEs from src into dst's tables (dst_vma is the child's copy).
 * Private writable pages become read-only in both (copy-on-write); child PTEs are old;
 * shared anonymous VMAs are not copied at all (the child faults them in), as Linux's
 * vma_needs_copy() decides. 0 or -ENOMEM. */
int memory_copy_range(struct mm_core *core, struct mm_struct *dst, struct vma *dst_vma,
		      struct mm_struct *src, struct vma *src_vma);

/* The mm counter a mapped page counts in: rss_anon, rss_shmem or rss_file (Linux
 * mm_counter()). */
struct page;
uint64_t *memory_rss_counter(struct mm_struct *mm, const struct page *pg);

/* mprotect: rewrites the PTEs of [start, end) of vma (flags already updated) and
 * invalidates the TLB where rights were removed. Returns the number of PTEs changed. */
uint64_t memory_change_protection(struct mm_core *core, struct vma *vma, vaddr_t start,
				  vaddr_t end);

#endif
