/*
 * mm/rmap.h: reverse mapping for anonymous pages (Linux: mm/rmap.c, include/linux/rmap.h).
 *
 * An anonymous page records the anon_vma of the VMA it was faulted in (page->mapping) and
 * its page offset (page->index, Linux's linear_page_index). To find every PTE mapping the
 * page, rmap visits each VMA on that anon_vma's list and looks at the address the page
 * would have there. mmsim: Linux gives each VMA its own anon_vma chained to its parent's
 * (anon_vma_chain); here a fork family shares the root's anon_vma, so a walk may visit
 * VMAs that cannot map the page (it then finds no PTE). Same answers, a simpler structure.
 * Shared anonymous (shmem) pages are found through their object's list of VMAs.
 */
#ifndef MMSIM_MM_RMAP_H
#define MMSIM_MM_RMAP_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/x86_64/types.h"

struct vma;
struct page;
struct slab_cache;

struct anon_vma {
	struct vma *head;	  /* VMAs that may map pages of this anon_vma (av_next list) */
	unsigned long nr_vmas;	  /* length of that list; the object is freed at 0 */
	struct slab_cache *cache; /* the cache it came from */
};

/* The anon_vma of vma, created on first need (Linux anon_vma_prepare()). NULL: -ENOMEM. */
struct anon_vma *anon_vma_prepare(struct vma *vma, struct slab_cache *cache);
/* Puts vma on av's list (fork, split, merge). */
void anon_vma_link(struct vma *vma, struct anon_vma *av);
/* Takes vma off its anon_vma's list; frees the anon_vma when its list empties. */
void anon_vma_unlink(struct vma *vma);

/*
 * Calls fn for every (vma, address) where the page may be mapped; fn returns false to stop.
 * Returns false if fn stopped the walk.
 */
typedef bool (*rmap_visit_fn)(void *ctx, struct vma *vma, vaddr_t addr);
bool rmap_walk(struct page *pg, rmap_visit_fn fn, void *ctx);

#endif
