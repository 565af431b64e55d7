/*
 * mm/shmem.c: shared anonymous memory objects (see shmem.h). Linux: mm/shmem.c.
 */
#include "mm/shmem.h"

#include <errno.h>
#include <stdlib.h>

#include "mm/anon.h"
#include "mm/bug.h"
#include "mm/core.h"
#include "mm/filemap.h"
#include "mm/page.h"
#include "mm/swap.h"
#include "mm/vma.h"
#include "mm/vmstat.h"

struct shmem_obj *shmem_create(struct mm_core *core, uint64_t nr_pages)
{
	struct shmem_obj *obj = calloc(1, sizeof(*obj));

	if (!obj)
		return NULL;
	if (shmem_resize(obj, nr_pages)) {
		free(obj);
		return NULL;
	}
	/* Linux shmem_zero_setup(): each shared anonymous mapping gets its own shmem file,
	 * hence its own inode; fork shares the file, so children show the same number. */
	obj->ino = SHMEM_FIRST_INO + core->shmem_inodes++;
	return obj;
}

int shmem_resize(struct shmem_obj *obj, uint64_t nr_pages)
{
	pfn_t *p;

	if (nr_pages <= obj->nr_pages)
		return 0;
	p = realloc(obj->pages, nr_pages * sizeof(*p));
	if (!p)
		return -ENOMEM;
	for (uint64_t i = obj->nr_pages; i < nr_pages; i++)
		p[i] = SHMEM_NO_PAGE;
	obj->pages = p;
	obj->nr_pages = nr_pages;
	return 0;
}

int shmem_get(struct shmem_obj *obj, struct vma *vma)
{
	if (obj->file)
		return filemap_vma_link(obj, vma);
	vma->av_prev = NULL;
	vma->av_next = obj->vmas;
	if (obj->vmas)
		obj->vmas->av_prev = vma;
	obj->vmas = vma;
	obj->nr_users++;
	return 0;
}

void shmem_put(struct mm_core *core, struct shmem_obj *obj, struct vma *vma)
{
	if (obj->file) {
		if (vma)
			filemap_vma_unlink(obj, vma);
		return;
	}
	if (vma) {
		if (vma->av_prev)
			vma->av_prev->av_next = vma->av_next;
		else
			obj->vmas = vma->av_next;
		if (vma->av_next)
			vma->av_next->av_prev = vma->av_prev;
		vma->av_prev = vma->av_next = NULL;
		obj->nr_users--;
	}
	if (obj->nr_users)
		return;
	MM_BUG_ON(!core); /* only a caller that may free the object passes no core */
	for (uint64_t i = 0; i < obj->nr_pages; i++) {
		pfn_t pfn = obj->pages[i];
		struct page *pg;

		if (pfn == SHMEM_NO_PAGE)
			continue;
		if (pfn & SHMEM_SWAPPED) {
			swap_slot_put(core, pfn & ~SHMEM_SWAPPED);
			continue;
		}
		pg = core_page(core, pfn);
		MM_BUG_ON(pg->mapcount != 0);
		pg->mapping = NULL;
		core_count_mod(core, VMSTAT_NR_SHMEM, -1);
		core_count_mod(core, VMSTAT_NR_FILE_PAGES, -1);
		core_put_page(core, pfn);
	}
	free(obj->pages);
	free(obj);
}

void shmem_release(struct shmem_obj *obj)
{
	MM_BUG_ON(obj->file || obj->nr_users == 0);
	if (--obj->nr_users)
		return;
	free(obj->pages);
	free(obj);
}

int shmem_get_page(struct mm_core *core, struct shmem_obj *obj, uint64_t index, pfn_t *pfn_out,
		   bool *allocated, bool *major)
{
	uint64_t v;
	bool swapped;
	struct page *pg;
	int err;

	*allocated = false;
	*major = false;
	MM_BUG_ON(index >= obj->nr_pages);
	v = obj->pages[index];
	swapped = v != SHMEM_NO_PAGE && (v & SHMEM_SWAPPED);
	if (v != SHMEM_NO_PAGE && !swapped) {
		*pfn_out = v;
		return 0;
	}
	core_lru_incoming(core, obj, index);
	err = core_alloc_page(core, CORE_ALLOC_USER, pfn_out);
	if (err)
		return err;
	pg = core_page(core, *pfn_out);
	pg->flags |= PAGE_FLAG_MASK(PG_SWAPBACKED);
	pg->mapping = obj;
	pg->index = index;
	if (swapped) {
		/* Read back from swap; the slot is given up (mmsim: no swap cache for shmem). */
		swap_slot_read(core, v & ~SHMEM_SWAPPED, *pfn_out);
		swap_slot_put(core, v & ~SHMEM_SWAPPED);
		*major = true;
	}
	obj->pages[index] = *pfn_out;
	obj->nr_resident++;
	core_count_mod(core, VMSTAT_NR_SHMEM, 1);
	core_count_mod(core, VMSTAT_NR_FILE_PAGES, 1);
	core_lru_add(core, pg);
	core_event(core, &(struct mm_event){ .kind = MM_EV_FRAME_ALLOC,
					     .pfn = *pfn_out,
					     .what = "shared anonymous (shmem) page" });
	*allocated = !swapped;
	return 0;
}

void shmem_page_swapped_out(struct mm_core *core, struct page *pg, uint64_t slot)
{
	struct shmem_obj *obj = pg->mapping;

	MM_BUG_ON(obj->pages[pg->index] != core_pfn(core, pg));
	obj->pages[pg->index] = SHMEM_SWAPPED | slot;
	obj->nr_resident--;
	core_count_mod(core, VMSTAT_NR_SHMEM, -1);
	core_count_mod(core, VMSTAT_NR_FILE_PAGES, -1);
	pg->mapping = NULL;
}
