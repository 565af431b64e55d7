/*
 * mm/vma_mt.h: the lookup index of an mm's VMAs, by address. Linux finds a VMA through the
 * maple tree mm->mm_mt (lib/maple_tree.c, mm/mmap.c find_vma()), in O(log n); before 6.1
 * through the rbtree mm->mm_rb and a small per-thread vmacache.
 *
 * mmsim: a sorted array of VMA pointers searched by bisection, plus a one-entry cache of the
 * last VMA found. Lookups are O(log n) like the maple tree's; a link or unlink moves the
 * tail of the array (O(n) pointer moves, rare next to lookups). The index lives in host
 * memory, not in simulated memory (Linux's maple nodes are slab objects): it is a lookup
 * aid for the simulator, so it changes no simulated counter. When host memory for it runs
 * out, the index is dropped and lookups walk the address-ordered VMA list, which stays the
 * authority (vma.h), so results never depend on the index.
 */
#ifndef MMSIM_MM_VMA_MT_H
#define MMSIM_MM_VMA_MT_H

#include <stdbool.h>
#include <stddef.h>

#include "arch/x86_64/types.h"

struct vma;

struct vma_mt {
	struct vma **v;	   /* the VMAs sorted by start; nr valid entries */
	size_t nr, cap;	   /* entries used and allocated */
	struct vma *cache; /* last VMA found, or NULL */
};

/* A new, empty index (host memory), or NULL when there is none to be had. */
struct vma_mt *vma_mt_create(void);
void vma_mt_destroy(struct vma_mt *mt);

/* Inserts v after prev (NULL: first). False when the index could not grow: the caller
 * drops it and falls back to the list. */
bool vma_mt_insert_after(struct vma_mt *mt, struct vma *prev, struct vma *v);
/* Removes v, which must be in the index. */
void vma_mt_erase(struct vma_mt *mt, struct vma *v);
/* The first VMA with end > addr, or NULL (Linux find_vma()). */
struct vma *vma_mt_find_above(struct vma_mt *mt, vaddr_t addr);
/* The highest VMA, or NULL. */
struct vma *vma_mt_last(const struct vma_mt *mt);

#endif
