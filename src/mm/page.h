/*
 * mm/page.h: struct page, the descriptor of one physical frame (Linux: include/linux/
 * mm_types.h, include/linux/page-flags.h, include/linux/page_ref.h).
 *
 * There is one struct page per frame of RAM, in the memmap (memmap.h), which lives in
 * simulated physical memory as Linux's does. At most 64 bytes, as on Linux x86-64.
 *
 * A frame is in exactly one of these states, told by its flags and counts:
 *   reserved   PG_RESERVED; refcount 1 (holes, the first MiB, kernel image, memmap)
 *   free       head of a free block: PG_BUDDY, order, on its zone's free list (lru);
 *              the other frames of the block have no flags and refcount 0
 *   pcp        order-0 page on its zone's per-CPU page list: PG_PCP, refcount 0 (pcp.h)
 *   allocated  head: refcount >= 1, PG_HEAD when order > 0; the other frames of the block
 *              are PG_TAIL with refcount 0 and the block's order (so the head is found by
 *              alignment). What the owner does with it adds flags: PG_SLAB, PG_PGTABLE,
 *              PG_ANON, PG_LRU ...
 * Who holds references: the allocator's caller holds the first one; page_get()/page_put()
 * add and drop more (a page shared by a fork, the swap cache).
 */
#ifndef MMSIM_MM_PAGE_H
#define MMSIM_MM_PAGE_H

#include <assert.h>
#include <stdbool.h>
#include <stdint.h>

#include "util/list.h"

struct slab_cache;

/*
 * Page flag bits, named after Linux's PG_* (include/linux/page-flags.h) in upper case
 * (STYLE.md §2). PG_BUDDY, PG_SLAB and PG_PGTABLE are page types in Linux 6.x (kept in
 * page_type, not flags); here they are flags like the rest.
 */
enum page_flag {
	PG_RESERVED = 0,	/* never handed to the allocator: hole, firmware, kernel, memmap */
	PG_BUDDY = 1,		/* head of a free block; order says its size */
	PG_HEAD = 2,		/* head of an allocated block of order > 0 (Linux compound head) */
	PG_TAIL = 3,		/* non-head frame of an allocated block of order > 0 */
	PG_SLAB = 4,		/* head of a slab; the slab members of the union are valid */
	PG_PGTABLE = 5,		/* a page-table page (counted in nr_page_table_pages) */
	PG_ANON = 6,		/* anonymous: mapping is an anon_vma (Linux: PAGE_MAPPING_ANON) */
	PG_SWAPBACKED = 7,	/* backed by swap, not a file (anon and shmem pages) */
	PG_LRU = 8,		/* on an LRU list, through lru */
	PG_ACTIVE = 9,		/* on the active list rather than the inactive one */
	PG_REFERENCED = 10,	/* seen referenced once by reclaim (second-chance state) */
	PG_DIRTY = 11,		/* contents differ from the swap copy */
	PG_SWAPCACHE = 12,	/* in the swap cache; private is the swap entry */
	PG_ZERO_PAGE = 13,	/* mmsim: the shared zero page (Linux tests is_zero_pfn()) */
	PG_UNEVICTABLE = 14,	/* on the unevictable list (mlocked) */
	PG_WRITEBACK = 15,	/* being written to swap */
	PG_ANON_EXCLUSIVE = 16, /* anonymous page mapped by exactly one process, which may
				 * write it without copying (Linux PageAnonExclusive) */
	PG_READAHEAD = 17,	/* page-cache page whose fault starts async readahead */
	PG_WORKINGSET = 18,	/* was deactivated, or refaulted as part of the workingset
				 * (Linux PG_workingset; the linux policy) */
	PG_PCP = 19,		/* mmsim: on its zone's per-CPU page list through lru, refcount
				 * 0 (Linux tells it by page->pcp_list only; mm/pcp.h) */
	PG_NR_FLAGS
};

static_assert(PG_NR_FLAGS <= 32, "page flags fit in 32 bits");

/*
 * Per-policy state of a page (STYLE.md §7): each replacement policy adds one named member
 * here, at most 8 bytes. raw is for code that only copies or clears it.
 */
struct page_policy_queue {
	uint8_t queue;	 /* which of the policy's queues holds the page */
	uint8_t freq;	 /* s3fifo: hits, saturating at 3 */
	uint8_t fresh;	 /* added and not yet accessed (policy_access_is_hit()) */
	uint8_t visited; /* sieve: hit since the hand last passed */
};

/* mglru: what Linux keeps in folio->flags for the multi-generational LRU (LRU_GEN_MASK,
 * LRU_REFS_MASK, PG_workingset, PG_referenced; include/linux/mm_inline.h). */
struct page_policy_gen {
	uint8_t gen;	    /* generation (seq % MAX_NR_GENS) + 1; 0: on no generation list */
	uint8_t refs;	    /* LRU_REFS: accesses beyond the first, 0..3 */
	uint8_t workingset; /* PG_workingset: refaulted while its shadow was recent */
	uint8_t referenced; /* PG_referenced */
};

union page_policy {
	uint64_t raw;
	struct page_policy_queue sieve, s3fifo, arc, twoq;
	struct page_policy_gen mglru;
	void *node; /* lirs, clockpro: the page's entry (host memory, owned by the policy) */
};

struct page {
	uint32_t flags;	       /* enum page_flag bits */
	uint8_t order;	       /* PG_BUDDY: order of the free block; PG_HEAD/PG_TAIL: order of the
				* allocated block; 0 otherwise */
	uint8_t zone_idx;      /* enum zone_type of the zone spanning this frame (Linux keeps it in
				* the top bits of flags). mmsim: 0 in a free frame never used
				* yet (lazy memmap, pgdat.c); set once it heads or joins a block */
	uint16_t reserved_pad; /* unused; keeps the counts aligned */
	int32_t refcount;      /* references held (Linux _refcount): 0 free or tail, 1 reserved,
				* >= 1 allocated head */
	int32_t mapcount;      /* PTEs mapping the page. mmsim: starts at 0 where Linux's _mapcount
				* starts at -1 */
	union {
		/* Free, anonymous, page-table and reserved pages. */
		struct {
			/* PG_BUDDY: zone free list; PG_LRU: LRU list; one list at a time */
			struct list_head lru;
			void *mapping;	  /* PG_ANON: the anon_vma; NULL otherwise */
			uint64_t index;	  /* PG_ANON: page offset in the VMA's backing (rmap) */
			uint64_t private; /* PG_SWAPCACHE: swap entry; owner's use otherwise */
		};
		/* Slab head page (PG_SLAB). */
		struct {
			struct list_head slab_list;    /* on its cache's partial/full/free list */
			struct slab_cache *slab_cache; /* the cache the slab belongs to */
			void *freelist;		       /* first free object (host pointer), NULL */
			uint32_t inuse;		       /* objects allocated, 0..objects */
			uint32_t objects;	       /* objects the slab holds */
		};
	};
	union page_policy policy; /* owned by the active replacement policy */
};

/*
 * The memmap reserves MEMMAP_LP64_PAGE_BYTES a frame, Linux's sizeof(struct page) on x86-64.
 * mmsim: written out so that a 32-bit host (the browser build, web/), where pointers make
 * the struct smaller, reserves the same frames as x86-64 does.
 */
#define MEMMAP_LP64_PAGE_BYTES 64u
static_assert(sizeof(void *) == 8 ? sizeof(struct page) == MEMMAP_LP64_PAGE_BYTES
				  : sizeof(struct page) <= MEMMAP_LP64_PAGE_BYTES,
	      "struct page is 64 bytes on x86-64, as on Linux");
static_assert(sizeof(union page_policy) == 8, "the policy union is 8 bytes");

static inline bool page_flag_test(const struct page *pg, enum page_flag f)
{
	return (pg->flags & (UINT32_C(1) << f)) != 0;
}

static inline void page_flag_set(struct page *pg, enum page_flag f)
{
	pg->flags |= UINT32_C(1) << f;
}

static inline void page_flag_clear(struct page *pg, enum page_flag f)
{
	pg->flags &= ~(UINT32_C(1) << f);
}

/* The mask of one flag, for tests of several at once. */
#define PAGE_FLAG_MASK(f) (UINT32_C(1) << (f))

/* Takes one more reference on an allocated page (Linux get_page()). */
static inline void page_get(struct page *pg)
{
	pg->refcount++;
}

#endif
