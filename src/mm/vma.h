/*
 * mm/vma.h: address spaces: struct mm_struct and its VMAs (Linux: include/linux/mm_types.h,
 * mm/mmap.c, mm/vma.c).
 *
 * A VMA is a page-aligned range [start, end) with one set of rights and one kind (private
 * or shared anonymous). The VMAs of an mm are kept sorted by address in a doubly linked
 * list, never overlapping; neighbours with the same rights, kind and backing are merged as
 * Linux's vma_merge() does, and a partial munmap/mprotect splits. Lookups go through an
 * index sorted by address (vma_mt.h, in O(log n) as Linux's maple tree) with a one-entry
 * cache of the last VMA found. VMA and mm objects live in simulated memory (slab caches);
 * the caller passes the caches in struct vma_alloc.
 */
#ifndef MMSIM_MM_VMA_H
#define MMSIM_MM_VMA_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/x86_64/types.h"

struct anon_vma;
struct shmem_obj;
struct check_report;
struct slab_cache;
struct vma_mt;

/* vm_flags, as Linux's VM_* (include/linux/mm.h). */
enum vma_flag {
	VM_READ = 0x1,
	VM_WRITE = 0x2,
	VM_EXEC = 0x4,
	VM_SHARED = 0x8,
	VM_MAYREAD = 0x10,
	VM_MAYWRITE = 0x20,
	VM_MAYEXEC = 0x40,
	VM_MAYSHARE = 0x80,
	VM_GROWSDOWN = 0x100,
	VM_LOCKED = 0x2000,
	VM_ACCOUNT = 0x100000,
	VM_HUGEPAGE = 0x20000000,   /* MADV_HUGEPAGE */
	VM_NOHUGEPAGE = 0x40000000, /* MADV_NOHUGEPAGE */
	VM_STACK = VM_GROWSDOWN,
};

#define VM_ACCESS_FLAGS (VM_READ | VM_WRITE | VM_EXEC)

struct vma {
	vaddr_t start;		       /* first byte, page aligned */
	vaddr_t end;		       /* one past the last byte, page aligned, > start */
	uint32_t flags;		       /* enum vma_flag bits */
	uint64_t pgoff;		       /* page offset of start: in the shmem object for shared VMAs;
					* start >> 12 at creation for private anonymous ones (Linux) */
	struct anon_vma *anon_vma;     /* private anonymous: rmap root; NULL until first fault */
	struct shmem_obj *shmem;       /* shared anonymous: the object holding the pages; a
					* file mapping (private or shared): the file's page
					* cache (shmem->file set), pgoff is the file offset */
	struct mm_struct *mm;	       /* owner */
	struct vma *prev, *next;       /* neighbours in address order; NULL at the ends */
	struct vma *av_prev, *av_next; /* on anon_vma's list of VMAs that may map its pages */
};

struct mm_struct {
	paddr_t pgd;	       /* top-level table (PML4 or PML5), physical */
	struct vma *vma_first; /* lowest VMA */
	struct vma_mt *mm_mt;  /* lookup index (host memory); NULL: lookups walk the list */
	unsigned long nr_vmas;
	vaddr_t mmap_base;	     /* top-down allocation starts below this */
	vaddr_t task_size;	     /* user address space limit (TASK_SIZE) */
	vaddr_t start_brk, brk;	     /* heap: initial and current break */
	vaddr_t start_stack;	     /* top of the stack VMA */
	uint64_t total_vm;	     /* pages mapped, VmSize */
	uint64_t hiwater_vm;	     /* pages: total_vm before its last drop, if higher (VmPeak is
				      * the larger of the two; Linux update_hiwater_vm()) */
	uint64_t rss_anon;	     /* pages: private anonymous resident (MM_ANONPAGES) */
	uint64_t rss_shmem;	     /* pages: shared anonymous resident (MM_SHMEMPAGES) */
	uint64_t rss_file;	     /* pages: file pages mapped (MM_FILEPAGES) */
	uint64_t swap_ents;	     /* swap entries in this mm's PTEs (MM_SWAPENTS) */
	uint64_t pgtables_pages;     /* table pages below the top level (VmPTE) */
	uint64_t hiwater_rss;	     /* pages: peak rss_anon + rss_shmem + rss_file */
	struct vma_alloc *alloc;     /* where VMAs come from */
	uint16_t pcid;		     /* the PCID its task runs under (CR4.PCIDE), 1..4095; with
				      * kpti the kernel PCID, 1..2047 (user PCID: | 0x800) */
	bool pti_user_flush_pending; /* kpti: flush the user PCID at the next return to
				      * user mode (Linux invalidate_user_asid()) */
};

/* Where VMA objects come from (slab caches in simulated memory). */
struct vma_alloc {
	struct slab_cache *vma_cache;
};

void vma_mm_init(struct mm_struct *mm, struct vma_alloc *alloc);
/* Frees what vma_mm_init() set up; the VMAs must be gone. */
void vma_mm_fini(struct mm_struct *mm);

/* The VMA containing addr, or NULL. */
struct vma *vma_find(struct mm_struct *mm, vaddr_t addr);
/* The first VMA with end > addr (Linux find_vma), or NULL. */
struct vma *vma_find_above(struct mm_struct *mm, vaddr_t addr);
/* True when no VMA intersects [start, end). */
bool vma_range_free(struct mm_struct *mm, vaddr_t start, vaddr_t end);

/* Linux: vm.mmap_min_addr defaults to 65536; nothing is mapped below it. */
#define VMA_MMAP_MIN_ADDR UINT64_C(65536)

/*
 * Top-down search for a free range of len bytes (a multiple of the page size) below
 * mmap_base and above VMA_MMAP_MIN_ADDR: the highest gap that fits, the range at its top
 * (Linux vm_unmapped_area(), the stack guard gap respected). 0 and *addr_out, or -ENOMEM.
 */
int vma_get_unmapped_area(struct mm_struct *mm, uint64_t len, vaddr_t *addr_out);

/* A new VMA [start, end) in a free range; merged with neighbours when compatible.
 * Returns the VMA that now covers the range (possibly a merged one), or NULL for -ENOMEM. */
struct vma *vma_insert(struct mm_struct *mm, vaddr_t start, vaddr_t end, uint32_t flags,
		       uint64_t pgoff, struct shmem_obj *shmem);

/* A copy of v for another mm (fork): same range, flags and backing; not linked anywhere.
 * NULL for -ENOMEM. */
struct vma *vma_dup(struct vma_alloc *alloc, const struct vma *v);

/* Links a VMA object made by vma_dup() into mm at its address (the range must be free).
 * O(log n) when it goes last, as fork's copies do. */
void vma_link_new(struct mm_struct *mm, struct vma *v);

/* Splits vma at addr (start < addr < end); the upper part becomes a new VMA returned, or
 * NULL for -ENOMEM. */
struct vma *vma_split(struct mm_struct *mm, struct vma *vma, vaddr_t addr);

/* Unlinks and frees a VMA (its pages and tables must already be gone). */
void vma_remove(struct mm_struct *mm, struct vma *vma);

/* Merges vma with its next neighbour if they are compatible and adjacent; true if merged. */
bool vma_try_merge_next(struct mm_struct *mm, struct vma *vma);

/* Whether two adjacent VMAs can be one (same flags, backing, contiguous pgoff). */
bool vma_can_merge(const struct vma *a, const struct vma *b);

/* Sorted, non-overlapping, aligned, counted, no mergeable neighbours left unmerged? */
bool vma_check(const struct mm_struct *mm, struct check_report *why);

static inline uint64_t vma_pages(const struct vma *v)
{
	return (v->end - v->start) >> X86_PAGE_SHIFT;
}

/* The page offset an address has in its VMA's backing (Linux linear_page_index). */
static inline uint64_t vma_page_index(const struct vma *v, vaddr_t addr)
{
	return ((addr - v->start) >> X86_PAGE_SHIFT) + v->pgoff;
}

#endif
