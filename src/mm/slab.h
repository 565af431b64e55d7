/*
 * mm/slab.h: the slab allocator, caches of fixed-size kernel objects carved from buddy
 * pages (Linux: mm/slub.c, mm/slab_common.c, include/linux/slab.h).
 *
 * Modelled on SLUB: a slab is one buddy block of 2^order pages cut into equal slots; its
 * free slots are chained through a pointer stored in each free object, and its head
 * struct page holds the cache, the freelist and the in-use count. A cache keeps its slabs
 * on three lists: partial (some objects free), full, and free (empty, kept up to
 * min_partial of them as SLUB keeps empty slabs on its partial list). Allocation takes
 * from the first partial slab, else an empty one, else a new slab from the buddy
 * allocator; slab_cache_shrink() gives empty slabs back. The slab order follows SLUB's
 * calculate_order() for one CPU (details in slab.c). Slab pages are counted in
 * nr_slab_reclaimable or nr_slab_unreclaimable, by the cache's SLAB_RECLAIM_ACCOUNT flag.
 *
 * mmsim: no per-CPU slabs, no per-node lists, no debugging red zones, no cache merging,
 * no kmalloc caches; the free pointer sits at the start of a free object.
 *
 * Objects live in simulated memory: slab_alloc returns a host pointer into physmem (and
 * slab_obj_paddr() gives its physical address). The caller owns an allocated object until
 * slab_free(). Caches themselves are objects of the "kmem_cache" cache (as in Linux), so
 * they are in simulated memory too. All slab state hangs off the pgdat.
 */
#ifndef MMSIM_MM_SLAB_H
#define MMSIM_MM_SLAB_H

#include <stdbool.h>
#include <stddef.h>

#include "arch/x86_64/types.h"
#include "mm/gfp.h"
#include "util/list.h"

struct pgdat;
struct check_report;

enum slab_flag_bit {
	SLAB_BIT_HWCACHE_ALIGN = 0,   /* align objects to cache lines (Linux SLAB_HWCACHE_ALIGN) */
	SLAB_BIT_RECLAIM_ACCOUNT = 1, /* reclaimable: counted in SReclaimable */
	SLAB_BIT_MMSIM_SIZE = 2,      /* mmsim: object_size is mmsim's own struct's, not
				       * Linux's; slabinfo says so (no effect on the allocator) */
};

#define SLAB_HWCACHE_ALIGN (1u << SLAB_BIT_HWCACHE_ALIGN)
#define SLAB_RECLAIM_ACCOUNT (1u << SLAB_BIT_RECLAIM_ACCOUNT)
#define SLAB_MMSIM_SIZE (1u << SLAB_BIT_MMSIM_SIZE)

#define SLAB_NAME_MAX 32u	      /* bytes, NUL included */
#define SLAB_MAX_ORDER 3u	      /* Linux slub_max_order = PAGE_ALLOC_COSTLY_ORDER */
#define SLAB_CACHE_LINE 64u	      /* x86-64 cache_line_size() */
#define SLAB_MIN_ALIGN 8u	      /* Linux ARCH_SLAB_MINALIGN, and room for the free pointer */
#define SLAB_MAX_OBJS_PER_SLAB 32767u /* Linux MAX_OBJS_PER_PAGE */

struct slab_cache {
	char name[SLAB_NAME_MAX]; /* as slabinfo prints it */
	unsigned int object_size; /* bytes the user asked for */
	unsigned int size;	  /* bytes per slot: object_size rounded up to align */
	unsigned int align;	  /* slot alignment, a power of two >= SLAB_MIN_ALIGN */
	unsigned int flags;	  /* SLAB_* */
	unsigned int order;	  /* preferred slab order (SLUB's oo) */
	unsigned int min_order;	  /* fallback when that order fails (SLUB's min) */
	unsigned int objects;	  /* slots in a slab of the preferred order */
	unsigned int min_partial; /* empty slabs kept before giving them back */
	struct list_head partial; /* slab heads with 0 < inuse < objects */
	struct list_head full;	  /* slab heads with inuse == objects */
	struct list_head free;	  /* slab heads with inuse == 0 */
	unsigned long nr_partial; /* slabs on each list */
	unsigned long nr_full;
	unsigned long nr_free;
	unsigned long nr_objects; /* slots in all slabs */
	unsigned long nr_inuse;	  /* objects allocated */
	unsigned long nr_pages;	  /* pages in all slabs */
	struct pgdat *pgdat;	  /* where the pages come from */
	struct list_head list;	  /* on pgdat->slab_caches */
};

/* The numbers /proc/slabinfo prints for a cache (SLUB's get_slabinfo()). */
struct slab_info {
	unsigned long active_objs;
	unsigned long num_objs;
	unsigned int objsize; /* slot size */
	unsigned int objperslab;
	unsigned int pagesperslab;
	unsigned long active_slabs; /* SLUB reports every slab as active */
	unsigned long num_slabs;
};

/* Creates the "kmem_cache" cache (Linux kmem_cache_init()); 0, or -ENOMEM. Idempotent. */
int slab_init(struct pgdat *pgdat);

/*
 * mmsim: the size a cache's objects get is the struct's size in an x86-64 (LP64) build of
 * mmsim, written out, so that a build for a 32-bit host (the browser explorer, web/) lays
 * out slabs, and so physical memory, exactly as x86-64 does. On a 64-bit host the number
 * must equal sizeof(type), elsewhere it must not be smaller: a struct that changes size
 * fails to compile here until the number is updated (slabinfo shows it as objsize).
 */
#define SLAB_LP64_SIZE(type, bytes)                                                            \
	(sizeof(char[(sizeof(void *) == 8 ? sizeof(type) == (bytes) : sizeof(type) <= (bytes)) \
			     ? 1                                                               \
			     : -1]) *                                                          \
	 (size_t)(bytes))

/*
 * Linux kmem_cache_create(). name is copied (at most SLAB_NAME_MAX - 1 bytes); align is 0
 * or a power of two up to a page. Calls slab_init() if needed. 0 and *out, -EINVAL (bad
 * name, size, align or flags) or -ENOMEM.
 */
int slab_cache_create(struct pgdat *pgdat, const char *name, size_t object_size, size_t align,
		      unsigned int flags, struct slab_cache **out);

/* Frees an empty cache and its slabs; 0, or -EBUSY while objects are allocated. NULL: 0. */
int slab_cache_destroy(struct slab_cache *c);

/* An object with GFP_KERNEL; NULL when no memory could be had (the only reason). */
void *slab_alloc(struct slab_cache *c);

/* An object with the given gfp (GFP_ZERO zeroes it); *paddr_out (if not NULL) gets its
 * physical address. NULL when no memory could be had. */
void *slab_alloc_gfp(struct slab_cache *c, gfp_t gfp, paddr_t *paddr_out);

/* Gives obj back to c (NULL is ignored, as kfree(NULL)). */
void slab_free(struct slab_cache *c, void *obj);

/* Physical address of an object of c. */
paddr_t slab_obj_paddr(const struct slab_cache *c, const void *obj);

/* Gives c's empty slabs back to the buddy allocator; returns the pages freed. */
unsigned long slab_cache_shrink(struct slab_cache *c);

/* slab_cache_shrink() on every cache of the node (Linux drop_slab()); pages freed. */
unsigned long slab_shrink_all(struct pgdat *pgdat);

void slab_cache_info(const struct slab_cache *c, struct slab_info *out);

/*
 * Lists well formed; each slab a PG_SLAB head of this cache with the list's in-use state;
 * each freelist inside its slab, on slot boundaries, of length objects - inuse; the
 * cache's counts equal the sums over its slabs.
 */
bool slab_check(const struct slab_cache *c, struct check_report *why);

#endif
