/*
 * mm/vma.c: VMAs of an address space (see vma.h). Linux: mm/mmap.c, mm/vma.c.
 */
#include "mm/vma.h"

#include <errno.h>
#include <string.h>

#include "mm/check.h"
#include "mm/rmap.h"
#include "mm/shmem.h"
#include "mm/slab.h"
#include "mm/vma_mt.h"

/* Linux: stack_guard_gap = 256 pages (mm/mmap.c). */
#define STACK_GUARD_GAP (UINT64_C(256) << X86_PAGE_SHIFT)

void vma_mm_init(struct mm_struct *mm, struct vma_alloc *alloc)
{
	memset(mm, 0, sizeof(*mm));
	mm->alloc = alloc;
	mm->mm_mt = vma_mt_create(); /* without it, lookups walk the list */
}

void vma_mm_fini(struct mm_struct *mm)
{
	vma_mt_destroy(mm->mm_mt);
	mm->mm_mt = NULL;
}

struct vma *vma_find_above(struct mm_struct *mm, vaddr_t addr)
{
	if (mm->mm_mt)
		return vma_mt_find_above(mm->mm_mt, addr);
	for (struct vma *v = mm->vma_first; v; v = v->next)
		if (v->end > addr)
			return v;
	return NULL;
}

/* The highest VMA, or NULL. */
static struct vma *vma_last(struct mm_struct *mm)
{
	struct vma *v = mm->vma_first;

	if (mm->mm_mt)
		return vma_mt_last(mm->mm_mt);
	if (v)
		while (v->next)
			v = v->next;
	return v;
}

struct vma *vma_find(struct mm_struct *mm, vaddr_t addr)
{
	struct vma *v = vma_find_above(mm, addr);

	return (v && v->start <= addr) ? v : NULL;
}

bool vma_range_free(struct mm_struct *mm, vaddr_t start, vaddr_t end)
{
	struct vma *v = vma_find_above(mm, start);

	return !v || v->start >= end;
}

/* Linux vm_start_gap(): a VM_GROWSDOWN VMA keeps stack_guard_gap free below it. */
static vaddr_t start_gap(const struct vma *v)
{
	if (!(v->flags & VM_GROWSDOWN))
		return v->start;
	return v->start > STACK_GUARD_GAP ? v->start - STACK_GUARD_GAP : 0;
}

/*
 * Linux: mm/vma.c unmapped_area_topdown() as x86's arch_get_unmapped_area_topdown() calls
 * it: the highest gap inside [low_limit, high_limit) that holds len, with low_limit =
 * max(PAGE_SIZE, mmap_min_addr) and high_limit = mmap_base; the range ends at the gap's top.
 * Every gap counts, the one between the highest VMA below mmap_base and mmap_base too, so a
 * first mapping lands right below mmap_base, not next to the heap or a low MAP_FIXED region.
 * mmsim: when no gap fits, Linux retries bottom-up from TASK_UNMAPPED_BASE; mmsim fails.
 */
int vma_get_unmapped_area(struct mm_struct *mm, uint64_t len, vaddr_t *addr_out)
{
	const vaddr_t low = VMA_MMAP_MIN_ADDR, high = mm->mmap_base;
	struct vma *next, *prev;

	if (len == 0 || len > high - low)
		return -ENOMEM;
	/* The lowest VMA reaching above high - 1; the gaps below it are the candidates. */
	next = vma_find_above(mm, high - 1);
	prev = next ? next->prev : vma_last(mm);
	for (;;) {
		vaddr_t gap_end = next && start_gap(next) < high ? start_gap(next) : high;
		vaddr_t gap_start = prev && prev->end > low ? prev->end : low;

		if (gap_end > gap_start && gap_end - gap_start >= len) {
			*addr_out = gap_end - len;
			return 0;
		}
		if (!prev || prev->end <= low + len)
			return -ENOMEM;
		next = prev;
		prev = prev->prev;
	}
}

static struct vma *vma_new(struct mm_struct *mm)
{
	struct vma *v = slab_alloc(mm->alloc->vma_cache);

	if (v)
		memset(v, 0, sizeof(*v));
	return v;
}

bool vma_can_merge(const struct vma *a, const struct vma *b)
{
	if (a->end != b->start || a->flags != b->flags || a->shmem != b->shmem)
		return false;
	if (a->pgoff + vma_pages(a) != b->pgoff)
		return false;
	/* Linux is_mergeable_anon_vma(): same anon_vma, or one side has none yet. */
	return a->anon_vma == b->anon_vma || !a->anon_vma || !b->anon_vma;
}

/* Links v into the sorted list after prev (NULL: at the front). */
static void link_after(struct mm_struct *mm, struct vma *prev, struct vma *v)
{
	v->prev = prev;
	v->next = prev ? prev->next : mm->vma_first;
	if (v->next)
		v->next->prev = v;
	if (prev)
		prev->next = v;
	else
		mm->vma_first = v;
	mm->nr_vmas++;
	if (mm->mm_mt && !vma_mt_insert_after(mm->mm_mt, prev, v))
		vma_mm_fini(mm); /* host memory ran out: lookups walk the list from now on */
}

static void unlink_vma(struct mm_struct *mm, struct vma *v)
{
	if (v->prev)
		v->prev->next = v->next;
	else
		mm->vma_first = v->next;
	if (v->next)
		v->next->prev = v->prev;
	if (mm->mm_mt)
		vma_mt_erase(mm->mm_mt, v);
	mm->nr_vmas--;
}

void vma_remove(struct mm_struct *mm, struct vma *v)
{
	unlink_vma(mm, v);
	if (v->anon_vma)
		anon_vma_unlink(v);
	slab_free(mm->alloc->vma_cache, v);
}

bool vma_try_merge_next(struct mm_struct *mm, struct vma *v)
{
	struct vma *n = v->next;

	if (!n || !vma_can_merge(v, n))
		return false;
	/* The rmap must find the merged VMA wherever it found either part. */
	if (!v->anon_vma && n->anon_vma)
		anon_vma_link(v, n->anon_vma);
	v->end = n->end;
	if (n->shmem)
		shmem_put(NULL, n->shmem, n); /* v still holds the object */
	vma_remove(mm, n);
	return true;
}

struct vma *vma_insert(struct mm_struct *mm, vaddr_t start, vaddr_t end, uint32_t flags,
		       uint64_t pgoff, struct shmem_obj *shmem)
{
	struct vma *prev = NULL, *next = vma_find_above(mm, start);
	struct vma *v;

	prev = next ? next->prev : vma_last(mm);
	/* Extend a compatible neighbour instead of creating a VMA (Linux vma_merge()). */
	if (prev && prev->end == start && prev->flags == flags && prev->shmem == shmem &&
	    prev->pgoff + vma_pages(prev) == pgoff && !shmem) {
		prev->end = end;
		vma_try_merge_next(mm, prev);
		return prev;
	}
	if (next && next->start == end && next->flags == flags && !shmem && !next->shmem &&
	    pgoff + ((end - start) >> X86_PAGE_SHIFT) == next->pgoff) {
		next->start = start;
		next->pgoff = pgoff;
		return next;
	}
	v = vma_new(mm);
	if (!v)
		return NULL;
	v->start = start;
	v->end = end;
	v->flags = flags;
	v->pgoff = pgoff;
	v->shmem = shmem;
	v->mm = mm;
	link_after(mm, prev, v);
	return v;
}

struct vma *vma_dup(struct vma_alloc *alloc, const struct vma *v)
{
	struct vma *c = slab_alloc(alloc->vma_cache);

	if (c)
		*c = *v;
	return c;
}

void vma_link_new(struct mm_struct *mm, struct vma *v)
{
	struct vma *next = vma_find_above(mm, v->start);
	struct vma *prev = next ? next->prev : vma_last(mm);

	v->mm = mm;
	link_after(mm, prev, v);
}

struct vma *vma_split(struct mm_struct *mm, struct vma *v, vaddr_t addr)
{
	struct vma *hi = vma_new(mm);

	if (!hi)
		return NULL;
	*hi = *v;
	hi->start = addr;
	hi->pgoff = v->pgoff + ((addr - v->start) >> X86_PAGE_SHIFT);
	hi->av_prev = hi->av_next = NULL;
	hi->anon_vma = NULL;
	if (v->anon_vma)
		anon_vma_link(hi, v->anon_vma);
	if (v->shmem && shmem_get(v->shmem, hi)) {
		anon_vma_unlink(hi);
		slab_free(mm->alloc->vma_cache, hi);
		return NULL;
	}
	v->end = addr;
	hi->prev = NULL;
	hi->next = NULL;
	link_after(mm, v, hi);
	return hi;
}

bool vma_check(const struct mm_struct *mm, struct check_report *why)
{
	unsigned long n = 0;
	uint64_t pages = 0;
	const struct vma *prev = NULL;

	for (const struct vma *v = mm->vma_first; v; prev = v, v = v->next) {
		if (v->prev != prev)
			return check_fail(why, "vma %#llx-%#llx: prev link broken",
					  (unsigned long long)v->start, (unsigned long long)v->end);
		if (v->start >= v->end || (v->start | v->end) & (X86_PAGE_SIZE - 1))
			return check_fail(why, "vma %#llx-%#llx: empty or misaligned",
					  (unsigned long long)v->start, (unsigned long long)v->end);
		if (prev && prev->end > v->start)
			return check_fail(why, "vma %#llx-%#llx overlaps the one before",
					  (unsigned long long)v->start, (unsigned long long)v->end);
		if (v->end > mm->task_size)
			return check_fail(why, "vma %#llx-%#llx beyond TASK_SIZE",
					  (unsigned long long)v->start, (unsigned long long)v->end);
		if (v->mm != mm)
			return check_fail(why, "vma %#llx: wrong owner",
					  (unsigned long long)v->start);
		if (n++ > mm->nr_vmas)
			return check_fail(why, "more VMAs on the list than nr_vmas %lu",
					  mm->nr_vmas);
		pages += vma_pages(v);
	}
	if (n != mm->nr_vmas)
		return check_fail(why, "nr_vmas %lu but %lu on the list", mm->nr_vmas, n);
	if (pages != mm->total_vm)
		return check_fail(why, "total_vm %llu pages but VMAs cover %llu",
				  (unsigned long long)mm->total_vm, (unsigned long long)pages);
	return true;
}
