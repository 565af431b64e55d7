/*
 * mm/slab.c: the slab allocator (see slab.h).
 *
 * Slot size and alignment follow SLUB (mm/slub.c calculate_sizes(), mm/slab_common.c
 * calculate_alignment()): size = object_size rounded up to 8 bytes, then to the
 * alignment; SLAB_HWCACHE_ALIGN aligns to the 64-byte line, halved while the object fits
 * in half of it.
 *
 * The slab order is SLUB's calculate_order() for one CPU:
 *  1. min_objects = 4 * (fls(nr_cpus) + 1) = 8, capped by what an order-3 slab holds;
 *  2. min_order = get_order(min_objects * size);
 *  3. the smallest order from min_order to SLAB_MAX_ORDER whose leftover is at most 1/16
 *     of the slab, else 1/8, else 1/4 (calc_slab_order());
 *  4. otherwise get_order(size), for objects too big for an order-3 slab.
 * A slab is first tried at that order without reclaim and, if that fails, at the order
 * that holds one object (SLUB's allocate_slab() fallback).
 *
 * Empty slabs: when a slab becomes empty it is kept on the free list unless the cache
 * already keeps min_partial partial or empty slabs besides it, then it goes back to the
 * buddy allocator (SLUB's __slab_free() rule, roughly). min_partial = ilog2(size) / 2
 * clamped to [5, 10] (SLUB set_min_partial()).
 */
#include "mm/slab.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "mm/bug.h"
#include "mm/check.h"
#include "mm/page.h"
#include "mm/page_alloc.h"
#include "mm/pgdat.h"

#define SLAB_MIN_OBJECTS 8u  /* 4 * (fls(1) + 1): one simulated CPU */
#define SLAB_MIN_PARTIAL 5u  /* Linux MIN_PARTIAL */
#define SLAB_MAX_PARTIAL 10u /* Linux MAX_PARTIAL */
#define SLAB_KNOWN_FLAGS (SLAB_HWCACHE_ALIGN | SLAB_RECLAIM_ACCOUNT | SLAB_MMSIM_SIZE)

/* Linux get_order(): the smallest order whose block holds size bytes. */
static unsigned int get_order(unsigned long size)
{
	unsigned int order = 0;

	while ((X86_PAGE_SIZE << order) < size)
		order++;
	return order;
}

static unsigned int order_objects(unsigned int order, unsigned int size)
{
	return (unsigned int)((X86_PAGE_SIZE << order) / size);
}

/* Step 3: Linux calc_slab_order(); returns max_order + 1 when no order fits. */
static unsigned int calc_slab_order(unsigned int size, unsigned int min_order,
				    unsigned int max_order, unsigned int fract_leftover)
{
	unsigned int order;

	for (order = min_order; order <= max_order; order++) {
		unsigned long slab_size = X86_PAGE_SIZE << order;

		if (slab_size % size <= slab_size / fract_leftover)
			break;
	}
	return order;
}

/* Linux calculate_order() for one CPU; BUDDY_NR_ORDERS when the object cannot fit. */
static unsigned int calculate_order(unsigned int size)
{
	unsigned int min_objects = SLAB_MIN_OBJECTS;
	unsigned int max_objects = order_objects(SLAB_MAX_ORDER, size);
	unsigned int min_order, order;

	/* 1. */
	if (max_objects < 1)
		max_objects = 1;
	if (min_objects > max_objects)
		min_objects = max_objects;
	/* 2. */
	min_order = get_order((unsigned long)min_objects * size);
	if (order_objects(min_order, size) > SLAB_MAX_OBJS_PER_SLAB)
		return get_order((unsigned long)size * SLAB_MAX_OBJS_PER_SLAB) - 1;
	/* 3. */
	for (unsigned int fraction = 16; fraction > 1; fraction /= 2) {
		order = calc_slab_order(size, min_order, SLAB_MAX_ORDER, fraction);
		if (order <= SLAB_MAX_ORDER)
			return order;
	}
	/* 4. */
	order = get_order(size);
	return order <= BUDDY_MAX_ORDER ? order : BUDDY_NR_ORDERS;
}

/* Linux calculate_alignment(). */
static unsigned int calculate_alignment(unsigned int flags, unsigned int align, unsigned int size)
{
	if (flags & SLAB_HWCACHE_ALIGN) {
		unsigned int ralign = SLAB_CACHE_LINE;

		while (size <= ralign / 2)
			ralign /= 2;
		if (ralign > align)
			align = ralign;
	}
	if (align < SLAB_MIN_ALIGN)
		align = SLAB_MIN_ALIGN;
	return align;
}

static unsigned int ilog2(unsigned int v)
{
	unsigned int r = 0;

	while (v >>= 1)
		r++;
	return r;
}

/* Fills a cache's fields; 0 or -EINVAL. The lists are empty, the counts 0. */
static int cache_init(struct slab_cache *c, struct pgdat *pgdat, const char *name,
		      size_t object_size, size_t align, unsigned int flags)
{
	size_t name_len = name ? strlen(name) : 0;
	unsigned int size;

	if (!name_len || name_len >= SLAB_NAME_MAX || !object_size ||
	    object_size > (X86_PAGE_SIZE << BUDDY_MAX_ORDER) || (align & (align - 1)) ||
	    align > X86_PAGE_SIZE || (flags & ~SLAB_KNOWN_FLAGS))
		return -EINVAL;
	memset(c, 0, sizeof(*c));
	memcpy(c->name, name, name_len + 1);
	c->object_size = (unsigned int)object_size;
	c->flags = flags;
	c->align = calculate_alignment(flags, (unsigned int)align, (unsigned int)object_size);
	size = (c->object_size + SLAB_MIN_ALIGN - 1) & ~(SLAB_MIN_ALIGN - 1);
	c->size = (size + c->align - 1) & ~(c->align - 1);
	c->order = calculate_order(c->size);
	if (c->order > BUDDY_MAX_ORDER)
		return -EINVAL;
	c->min_order = get_order(c->size);
	c->objects = order_objects(c->order, c->size);
	c->min_partial = ilog2(c->size) / 2;
	if (c->min_partial < SLAB_MIN_PARTIAL)
		c->min_partial = SLAB_MIN_PARTIAL;
	if (c->min_partial > SLAB_MAX_PARTIAL)
		c->min_partial = SLAB_MAX_PARTIAL;
	c->pgdat = pgdat;
	list_init(&c->partial);
	list_init(&c->full);
	list_init(&c->free);
	list_init(&c->list);
	return 0;
}

static inline void *get_freepointer(const void *obj)
{
	void *next;

	memcpy(&next, obj, sizeof(next));
	return next;
}

static inline void set_freepointer(void *obj, void *next)
{
	memcpy(obj, &next, sizeof(next));
}

static inline enum vmstat_item slab_stat(const struct slab_cache *c)
{
	return (c->flags & SLAB_RECLAIM_ACCOUNT) ? VMSTAT_NR_SLAB_RECLAIMABLE
						 : VMSTAT_NR_SLAB_UNRECLAIMABLE;
}

/* Linux allocate_slab(): a new empty slab on c's free list, or NULL. */
static struct page *new_slab(struct slab_cache *c, gfp_t gfp)
{
	struct pgdat *pgdat = c->pgdat;
	gfp_t page_gfp = gfp & ~GFP_ZERO;
	unsigned int order = c->order;
	struct page *pg;
	uint8_t *base;
	pfn_t pfn;
	int rc = -ENOMEM;

	if (c->flags & SLAB_RECLAIM_ACCOUNT)
		page_gfp |= GFP_RECLAIMABLE;
	if (order > c->min_order)
		rc = page_alloc(pgdat, (page_gfp | GFP_NOWARN) & ~GFP_RECLAIM, order, &pfn);
	if (rc) {
		order = c->min_order;
		rc = page_alloc(pgdat, page_gfp, order, &pfn);
	}
	if (rc)
		return NULL;
	pg = pgdat_page(pgdat, pfn);
	page_flag_set(pg, PG_SLAB);
	pg->slab_cache = c;
	pg->objects = order_objects(order, c->size);
	pg->inuse = 0;
	base = pgdat_frame(pgdat, pfn);
	for (unsigned int i = 0; i + 1 < pg->objects; i++)
		set_freepointer(base + (size_t)i * c->size, base + (size_t)(i + 1) * c->size);
	set_freepointer(base + (size_t)(pg->objects - 1) * c->size, NULL);
	pg->freelist = base;
	list_add(&pg->slab_list, &c->free);
	c->nr_free++;
	c->nr_objects += pg->objects;
	c->nr_pages += 1ul << order;
	pgdat->vmstat[slab_stat(c)] += 1ul << order;
	return pg;
}

/* Linux discard_slab(): an empty slab on the free list goes back to the buddy allocator. */
static void discard_slab(struct slab_cache *c, struct page *pg)
{
	struct pgdat *pgdat = c->pgdat;
	unsigned int order = page_flag_test(pg, PG_HEAD) ? pg->order : 0;

	MM_BUG_ON(pg->inuse != 0);
	list_del(&pg->slab_list);
	c->nr_free--;
	c->nr_objects -= pg->objects;
	c->nr_pages -= 1ul << order;
	pgdat->vmstat[slab_stat(c)] -= 1ul << order;
	page_flag_clear(pg, PG_SLAB);
	pg->slab_cache = NULL;
	pg->freelist = NULL;
	pg->inuse = 0;
	pg->objects = 0;
	pg->lru.next = NULL;
	pg->lru.prev = NULL;
	page_free(pgdat, pgdat_pfn(pgdat, pg), order);
}

void *slab_alloc_gfp(struct slab_cache *c, gfp_t gfp, paddr_t *paddr_out)
{
	struct page *pg;
	void *obj;

	if (!list_empty(&c->partial)) {
		pg = list_entry(c->partial.next, struct page, slab_list);
	} else {
		if (list_empty(&c->free) && !new_slab(c, gfp))
			return NULL;
		pg = list_entry(c->free.next, struct page, slab_list);
		list_move(&pg->slab_list, &c->partial);
		c->nr_free--;
		c->nr_partial++;
	}
	obj = pg->freelist;
	MM_BUG_ON(!obj);
	pg->freelist = get_freepointer(obj);
	pg->inuse++;
	c->nr_inuse++;
	if (pg->inuse == pg->objects) {
		list_move(&pg->slab_list, &c->full);
		c->nr_partial--;
		c->nr_full++;
	}
	if (gfp & GFP_ZERO)
		memset(obj, 0, c->object_size);
	if (paddr_out)
		*paddr_out = slab_obj_paddr(c, obj);
	return obj;
}

void *slab_alloc(struct slab_cache *c)
{
	return slab_alloc_gfp(c, GFP_KERNEL, NULL);
}

paddr_t slab_obj_paddr(const struct slab_cache *c, const void *obj)
{
	return (paddr_t)((const uint8_t *)obj - c->pgdat->physmem->base);
}

void slab_free(struct slab_cache *c, void *obj)
{
	struct pgdat *pgdat = c->pgdat;
	paddr_t pa;
	pfn_t pfn;
	struct page *pg;
	size_t off;
	bool was_full;

	if (!obj)
		return;
	pa = slab_obj_paddr(c, obj);
	MM_BUG_ON(pa >= pgdat->mem_bytes);
	pfn = memmap_head_pfn(&pgdat->memmap, X86_PADDR_TO_PFN(pa));
	pg = pgdat_page(pgdat, pfn);
	MM_BUG_ON(!page_flag_test(pg, PG_SLAB) || pg->slab_cache != c);
	off = (size_t)(pa - X86_PFN_TO_PADDR(pfn));
	MM_BUG_ON(off % c->size || off / c->size >= pg->objects);
	MM_BUG_ON(obj == pg->freelist); /* double free (SLUB set_freepointer() check) */
	MM_BUG_ON(pg->inuse == 0);
	was_full = pg->inuse == pg->objects;
	set_freepointer(obj, pg->freelist);
	pg->freelist = obj;
	pg->inuse--;
	c->nr_inuse--;
	if (pg->inuse == 0) {
		list_move(&pg->slab_list, &c->free);
		if (was_full)
			c->nr_full--;
		else
			c->nr_partial--;
		c->nr_free++;
		if (c->nr_partial + c->nr_free - 1 >= c->min_partial)
			discard_slab(c, pg);
	} else if (was_full) {
		list_move(&pg->slab_list, &c->partial);
		c->nr_full--;
		c->nr_partial++;
	}
}

unsigned long slab_cache_shrink(struct slab_cache *c)
{
	unsigned long before = c->nr_pages;

	while (!list_empty(&c->free))
		discard_slab(c, list_entry(c->free.next, struct page, slab_list));
	return before - c->nr_pages;
}

unsigned long slab_shrink_all(struct pgdat *pgdat)
{
	unsigned long freed = 0;
	struct list_head *node;

	list_for_each(node, &pgdat->slab_caches) freed +=
		slab_cache_shrink(list_entry(node, struct slab_cache, list));
	return freed;
}

/* Moves every node of src onto dst (an initialised head), leaving src empty. */
static void list_splice_init(struct list_head *src, struct list_head *dst)
{
	if (list_empty(src))
		return;
	src->next->prev = dst->prev;
	dst->prev->next = src->next;
	src->prev->next = dst;
	dst->prev = src->prev;
	list_init(src);
}

/* Re-points the slab lists and slab pages of a cache that was copied from boot to c. */
static void adopt_slabs(struct slab_cache *c, struct slab_cache *boot)
{
	struct list_head *lists[] = { &c->partial, &c->full, &c->free };
	struct list_head *boot_lists[] = { &boot->partial, &boot->full, &boot->free };

	for (unsigned int i = 0; i < 3; i++) {
		struct list_head *node;

		list_init(lists[i]);
		list_splice_init(boot_lists[i], lists[i]);
		list_for_each(node, lists[i]) list_entry(node, struct page, slab_list)->slab_cache =
			c;
	}
}

int slab_init(struct pgdat *pgdat)
{
	struct slab_cache boot;
	struct slab_cache *c;
	int rc;

	if (pgdat->kmem_cache)
		return 0;
	/* Linux kmem_cache_init(): a static boot cache allocates its own successor. */
	rc = cache_init(&boot, pgdat, "kmem_cache", SLAB_LP64_SIZE(struct slab_cache, 184), 0,
			SLAB_HWCACHE_ALIGN | SLAB_MMSIM_SIZE);
	MM_BUG_ON(rc);
	c = slab_alloc_gfp(&boot, GFP_KERNEL, NULL);
	if (!c)
		return -ENOMEM;
	memcpy(c, &boot, sizeof(*c));
	adopt_slabs(c, &boot);
	list_init(&c->list);
	list_add(&c->list, &pgdat->slab_caches);
	pgdat->kmem_cache = c;
	return 0;
}

int slab_cache_create(struct pgdat *pgdat, const char *name, size_t object_size, size_t align,
		      unsigned int flags, struct slab_cache **out)
{
	struct slab_cache probe;
	struct slab_cache *c;
	int rc;

	rc = cache_init(&probe, pgdat, name, object_size, align, flags);
	if (rc)
		return rc;
	rc = slab_init(pgdat);
	if (rc)
		return rc;
	c = slab_alloc(pgdat->kmem_cache);
	if (!c)
		return -ENOMEM;
	cache_init(c, pgdat, name, object_size, align, flags);
	list_add(&c->list, &pgdat->slab_caches);
	*out = c;
	return 0;
}

int slab_cache_destroy(struct slab_cache *c)
{
	struct pgdat *pgdat;

	if (!c)
		return 0;
	if (c->nr_inuse)
		return -EBUSY;
	pgdat = c->pgdat;
	slab_cache_shrink(c);
	list_del(&c->list);
	slab_free(pgdat->kmem_cache, c);
	return 0;
}

void slab_cache_info(const struct slab_cache *c, struct slab_info *out)
{
	out->active_objs = c->nr_inuse;
	out->num_objs = c->nr_objects;
	out->objsize = c->size;
	out->objperslab = c->objects;
	out->pagesperslab = 1u << c->order;
	out->num_slabs = c->nr_partial + c->nr_full + c->nr_free;
	out->active_slabs = out->num_slabs;
}

/* The slab head whose slab_list member is node, or NULL if node is not in the memmap. */
static const struct page *slab_list_page(const struct slab_cache *c, const struct list_head *node)
{
	const struct memmap *map = &c->pgdat->memmap;
	uintptr_t lo = (uintptr_t)&map->pages[0].slab_list;
	uintptr_t hi = (uintptr_t)&map->pages[map->nr_pfns].slab_list;
	uintptr_t p = (uintptr_t)node;

	if (p < lo || p >= hi || (p - lo) % sizeof(struct page))
		return NULL;
	return list_entry(node, struct page, slab_list);
}

/* Checks one slab's head and freelist. */
static bool check_slab(const struct slab_cache *c, const struct page *pg, const char *list,
		       struct check_report *why)
{
	pfn_t pfn = memmap_page_to_pfn(&c->pgdat->memmap, pg);
	unsigned int order = page_flag_test(pg, PG_HEAD) ? pg->order : 0;
	const uint8_t *base = pgdat_frame(c->pgdat, pfn);
	const uint8_t *obj = pg->freelist;
	unsigned int nfree = 0;

	if (!page_flag_test(pg, PG_SLAB) || pg->slab_cache != c)
		return check_fail(why, "%s: pfn %#llx on the %s list is not one of its slabs",
				  c->name, (unsigned long long)pfn, list);
	if ((order != c->order && order != c->min_order) ||
	    pg->objects != order_objects(order, c->size) || pg->inuse > pg->objects)
		return check_fail(why, "%s: slab pfn %#llx: order %u objects %u inuse %u", c->name,
				  (unsigned long long)pfn, order, pg->objects, pg->inuse);
	while (obj) {
		size_t off = (size_t)(obj - base);

		if (obj < base || off % c->size || off / c->size >= pg->objects)
			return check_fail(why,
					  "%s: slab pfn %#llx: freelist entry %u points outside "
					  "its slots",
					  c->name, (unsigned long long)pfn, nfree);
		if (++nfree > pg->objects - pg->inuse)
			return check_fail(why,
					  "%s: slab pfn %#llx: freelist longer than objects - "
					  "inuse = %u (a cycle or a double free)",
					  c->name, (unsigned long long)pfn,
					  pg->objects - pg->inuse);
		obj = get_freepointer(obj);
	}
	if (nfree != pg->objects - pg->inuse)
		return check_fail(why, "%s: slab pfn %#llx: %u free objects listed, %u expected",
				  c->name, (unsigned long long)pfn, nfree, pg->objects - pg->inuse);
	return true;
}

bool slab_check(const struct slab_cache *c, struct check_report *why)
{
	const struct list_head *lists[] = { &c->partial, &c->full, &c->free };
	const unsigned long counts[] = { c->nr_partial, c->nr_full, c->nr_free };
	static const char *const names[] = { "partial", "full", "free" };
	unsigned long objects = 0, inuse = 0, pages = 0;

	if (c->size < c->object_size || c->size % c->align || !c->objects)
		return check_fail(why, "%s: size %u object_size %u align %u objects %u", c->name,
				  c->size, c->object_size, c->align, c->objects);
	for (unsigned int i = 0; i < 3; i++) {
		const struct list_head *node = lists[i]->next;
		const struct list_head *prev = lists[i];
		unsigned long n = 0;

		while (node != lists[i]) {
			const struct page *pg = slab_list_page(c, node);

			if (!pg)
				return check_fail(why, "%s: %s list entry %lu is not a struct page",
						  c->name, names[i], n);
			if (node->prev != prev)
				return check_fail(why, "%s: %s list entry %lu: broken prev link",
						  c->name, names[i], n);
			if (++n > counts[i])
				return check_fail(why,
						  "%s: more slabs on the %s list than its count "
						  "%lu",
						  c->name, names[i], counts[i]);
			if (!check_slab(c, pg, names[i], why))
				return false;
			if ((i == 0 && (pg->inuse == 0 || pg->inuse == pg->objects)) ||
			    (i == 1 && pg->inuse != pg->objects) || (i == 2 && pg->inuse != 0))
				return check_fail(why,
						  "%s: slab with %u of %u objects in use on the %s "
						  "list",
						  c->name, pg->inuse, pg->objects, names[i]);
			objects += pg->objects;
			inuse += pg->inuse;
			pages += 1ul << (page_flag_test(pg, PG_HEAD) ? pg->order : 0);
			prev = node;
			node = node->next;
		}
		if (n != counts[i])
			return check_fail(why, "%s: %s count %lu but %lu slabs listed", c->name,
					  names[i], counts[i], n);
	}
	if (objects != c->nr_objects || inuse != c->nr_inuse || pages != c->nr_pages)
		return check_fail(why,
				  "%s: counts objects %lu inuse %lu pages %lu, slabs hold "
				  "%lu %lu %lu",
				  c->name, c->nr_objects, c->nr_inuse, c->nr_pages, objects, inuse,
				  pages);
	return true;
}
