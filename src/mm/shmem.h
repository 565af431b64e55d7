/*
 * mm/shmem.h: shared anonymous memory (Linux: mm/shmem.c). mmap(MAP_SHARED|MAP_ANONYMOUS)
 * creates an object of the mapping's size; its pages live in the object's page cache,
 * indexed by page offset, and stay shared across fork. A read of a hole allocates a page
 * (no zero page for shmem); a read fault maps every cached page of a 16-page window at
 * once (Linux fault-around, fault_around_bytes = 64 KiB; the window rule is in fault.c).
 * Reclaim may write a page to swap: its index entry then holds the swap slot (as Linux
 * keeps a swap entry in the shmem xarray), and the next fault reads it back.
 * mmsim: the index lives in host memory (Linux keeps it in an xarray made of slab objects);
 * a shmem page read back from swap gives its slot up at once (no swap cache for shmem).
 */
#ifndef MMSIM_MM_SHMEM_H
#define MMSIM_MM_SHMEM_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/x86_64/types.h"

struct mm_core;
struct vma;
struct page;
struct filemap_file;

#define SHMEM_NO_PAGE ((pfn_t)UINT64_MAX)
/* An index entry with this bit (and not SHMEM_NO_PAGE) holds a swap slot, not a pfn. */
#define SHMEM_SWAPPED (UINT64_C(1) << 62)
#define SHMEM_FAULT_AROUND_PAGES 16u /* Linux fault_around_bytes (64 KiB) / 4 KiB */

struct shmem_obj {
	uint64_t nr_pages;	   /* size of the object */
	pfn_t *pages;		   /* host array, SHMEM_NO_PAGE for a hole */
	unsigned long nr_users;	   /* VMAs referring to the object */
	struct vma *vmas;	   /* those VMAs, linked through av_next (rmap for shmem) */
	uint64_t nr_resident;	   /* pages in the cache */
	unsigned long ino;	   /* inode number, as /proc/PID/maps shows it */
	struct filemap_file *file; /* NULL: shmem; else the regular file whose page cache this
				    * is (filemap.h): its VMAs are on file->maps, not vmas */
};

/* mmsim: Linux numbers shmem inodes with get_next_ino() (shmem_get_inode()), so the values
 * depend on the boot's history; mmsim counts from this one, one number per object. */
#define SHMEM_FIRST_INO 1000ul

/* A new object of nr_pages, with no user yet; NULL for -ENOMEM. */
struct shmem_obj *shmem_create(struct mm_core *core, uint64_t nr_pages);
/* Adds or drops a VMA user (vma NULL: drop nothing, free an object nobody uses); the last
 * drop frees every cached page and the object (never a file's: the file keeps its cache).
 * shmem_get() returns 0, or -ENOMEM for a file's VMA list that cannot grow. */
int shmem_get(struct shmem_obj *obj, struct vma *vma);
void shmem_put(struct mm_core *core, struct shmem_obj *obj, struct vma *vma);
/*
 * The machine goes as a whole (mmsim_system_destroy()): drops the user of one VMA and, after
 * the last, frees the object's host memory only. Its pages and swap slots are not handed
 * back (they go with simulated RAM and swap). Never for a file's object (filemap_release()).
 */
void shmem_release(struct shmem_obj *obj);
/* Grows the object to nr_pages (mremap). 0 or -ENOMEM. */
int shmem_resize(struct shmem_obj *obj, uint64_t nr_pages);

/* The cached page at index: allocated zeroed for a hole, read back for a page in swap
 * (*major set). 0 or -ENOMEM. */
int shmem_get_page(struct mm_core *core, struct shmem_obj *obj, uint64_t index, pfn_t *pfn_out,
		   bool *allocated, bool *major);

/* The page cached at index, or SHMEM_NO_PAGE (a hole, or a page in swap). */
static inline pfn_t shmem_lookup(const struct shmem_obj *obj, uint64_t index)
{
	pfn_t v = index < obj->nr_pages ? obj->pages[index] : SHMEM_NO_PAGE;

	return (v != SHMEM_NO_PAGE && (v & SHMEM_SWAPPED)) ? SHMEM_NO_PAGE : v;
}

/* Reclaim: pg (no PTE maps it any more) went to swap slot; its index entry remembers it. */
void shmem_page_swapped_out(struct mm_core *core, struct page *pg, uint64_t slot);

#endif
