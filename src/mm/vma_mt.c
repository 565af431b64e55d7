/*
 * mm/vma_mt.c: the VMA lookup index (see vma_mt.h). Linux: lib/maple_tree.c, mm/mmap.c.
 */
#include "mm/vma_mt.h"

#include <stdlib.h>
#include <string.h>

#include "mm/bug.h"
#include "mm/vma.h"

struct vma_mt *vma_mt_create(void)
{
	return calloc(1, sizeof(struct vma_mt));
}

void vma_mt_destroy(struct vma_mt *mt)
{
	if (!mt)
		return;
	free(mt->v);
	free(mt);
}

/* The slot of v: the first entry whose start is not below v's, then v itself. */
static size_t slot_of(const struct vma_mt *mt, const struct vma *v)
{
	size_t lo = 0, hi = mt->nr;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (mt->v[mid]->start < v->start)
			lo = mid + 1;
		else
			hi = mid;
	}
	MM_BUG_ON(lo >= mt->nr || mt->v[lo] != v);
	return lo;
}

bool vma_mt_insert_after(struct vma_mt *mt, struct vma *prev, struct vma *v)
{
	size_t at = prev ? slot_of(mt, prev) + 1 : 0;

	if (mt->nr == mt->cap) {
		size_t cap = mt->cap ? mt->cap * 2 : 16;
		struct vma **n = realloc(mt->v, cap * sizeof(*n));

		if (!n)
			return false;
		mt->v = n;
		mt->cap = cap;
	}
	memmove(&mt->v[at + 1], &mt->v[at], (mt->nr - at) * sizeof(*mt->v));
	mt->v[at] = v;
	mt->nr++;
	return true;
}

void vma_mt_erase(struct vma_mt *mt, struct vma *v)
{
	size_t at = slot_of(mt, v);

	memmove(&mt->v[at], &mt->v[at + 1], (mt->nr - at - 1) * sizeof(*mt->v));
	mt->nr--;
	if (mt->cache == v)
		mt->cache = NULL;
}

struct vma *vma_mt_find_above(struct vma_mt *mt, vaddr_t addr)
{
	struct vma *c = mt->cache;
	size_t lo = 0, hi = mt->nr;

	if (c && c->start <= addr && addr < c->end)
		return c;
	/* VMAs never overlap, so their ends rise with their starts. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (mt->v[mid]->end <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == mt->nr)
		return NULL;
	mt->cache = mt->v[lo];
	return mt->v[lo];
}

struct vma *vma_mt_last(const struct vma_mt *mt)
{
	return mt->nr ? mt->v[mt->nr - 1] : NULL;
}
