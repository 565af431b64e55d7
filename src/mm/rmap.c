/*
 * mm/rmap.c: anon_vma lists and the reverse-map walk (see rmap.h). Linux: mm/rmap.c.
 */
#include "mm/rmap.h"

#include <string.h>

#include "mm/bug.h"
#include "mm/filemap.h"
#include "mm/page.h"
#include "mm/shmem.h"
#include "mm/slab.h"
#include "mm/vma.h"

struct anon_vma *anon_vma_prepare(struct vma *vma, struct slab_cache *cache)
{
	struct anon_vma *av;

	if (vma->anon_vma)
		return vma->anon_vma;
	av = slab_alloc(cache);
	if (!av)
		return NULL;
	memset(av, 0, sizeof(*av));
	av->cache = cache;
	anon_vma_link(vma, av);
	return av;
}

void anon_vma_link(struct vma *vma, struct anon_vma *av)
{
	MM_BUG_ON(vma->anon_vma != NULL && vma->anon_vma != av);
	vma->anon_vma = av;
	vma->av_prev = NULL;
	vma->av_next = av->head;
	if (av->head)
		av->head->av_prev = vma;
	av->head = vma;
	av->nr_vmas++;
}

void anon_vma_unlink(struct vma *vma)
{
	struct anon_vma *av = vma->anon_vma;

	if (!av)
		return;
	if (vma->av_prev)
		vma->av_prev->av_next = vma->av_next;
	else
		av->head = vma->av_next;
	if (vma->av_next)
		vma->av_next->av_prev = vma->av_prev;
	vma->anon_vma = NULL;
	vma->av_prev = vma->av_next = NULL;
	if (--av->nr_vmas == 0)
		slab_free(av->cache, av);
}

/* The address page offset index has in vma, if inside it. */
static bool vma_address(const struct vma *v, uint64_t index, vaddr_t *addr)
{
	if (index < v->pgoff || index - v->pgoff >= vma_pages(v))
		return false;
	*addr = v->start + ((index - v->pgoff) << X86_PAGE_SHIFT);
	return true;
}

bool rmap_walk(struct page *pg, rmap_visit_fn fn, void *ctx)
{
	struct vma *v;
	vaddr_t addr;

	if (page_flag_test(pg, PG_ANON)) {
		const struct anon_vma *av = pg->mapping;

		for (v = av ? av->head : NULL; v; v = v->av_next) {
			if (vma_address(v, pg->index, &addr) && !fn(ctx, v, addr))
				return false;
		}
		return true;
	}
	if (!page_flag_test(pg, PG_SWAPBACKED) && pg->mapping) {
		/* A file page: every VMA on the file's i_mmap (Linux rmap_walk_file()). */
		const struct filemap_file *f = ((const struct shmem_obj *)pg->mapping)->file;

		for (size_t i = 0; i < f->nr_maps; i++) {
			v = f->maps[i];
			if (vma_address(v, pg->index, &addr) && !fn(ctx, v, addr))
				return false;
		}
		return true;
	}
	if (page_flag_test(pg, PG_SWAPBACKED) && pg->mapping) {
		const struct shmem_obj *obj = pg->mapping;

		for (v = obj->vmas; v; v = v->av_next) {
			if (vma_address(v, pg->index, &addr) && !fn(ctx, v, addr))
				return false;
		}
	}
	return true;
}
