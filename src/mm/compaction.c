/*
 * mm/compaction.c: memory compaction (see compaction.h). Linux 6.12 mm/compaction.c
 * (compact_zone, isolate_migratepages_block, skip_isolation_on_order,
 * isolate_freepages_block, compact_finished, compact_node, kcompactd_do_work,
 * try_to_compact_pages), mm/migrate.c (migrate_pages, migrate_folio_unmap, try_to_migrate,
 * folio_migrate_mapping, folio_migrate_flags, remove_migration_ptes), mm/page_alloc.c
 * (__alloc_pages_direct_compact).
 */
#include "mm/compaction.h"

#include <stdlib.h>

#include "arch/x86_64/physmem.h"
#include "arch/x86_64/pte.h"
#include "mm/anon.h"
#include "mm/buddy.h"
#include "mm/bug.h"
#include "mm/core.h"
#include "mm/filemap.h"
#include "mm/page.h"
#include "mm/page_alloc.h"
#include "mm/pcp.h"
#include "mm/pgdat.h"
#include "mm/pgtable.h"
#include "mm/rmap.h"
#include "mm/shmem.h"
#include "mm/swap.h"
#include "mm/vma.h"
#include "mm/vmstat.h"
#include "mm/zone.h"

#define PAGEBLOCK_NR (UINT64_C(1) << COMPACT_PAGEBLOCK_ORDER)
#define COMPACT_CLUSTER_MAX 32u /* Linux: pages isolated per round (SWAP_CLUSTER_MAX) */

struct compact_control {
	struct mm_core *core;
	struct zone *zone;
	int order; /* -1: the whole zone */
	enum compaction_mode mode;
	pfn_t migrate_pfn; /* next pfn the migrate scanner looks at */
	pfn_t free_pfn;	   /* start of the pageblock the free scanner looks at next */
	pfn_t migrate[COMPACT_CLUSTER_MAX];
	unsigned int nr_migrate;
	pfn_t *freepages; /* isolated free order-0 pages (host memory) */
	uint64_t nr_free, cap_free;
	uint64_t migrated;
};

static pfn_t zone_end(const struct zone *z)
{
	return z->start_pfn + z->spanned_pages;
}

/* A shmem page: swap-backed, in a shmem object's page cache (not a regular file's). */
static bool is_shmem(const struct page *pg)
{
	const struct shmem_obj *obj = pg->mapping;

	return !page_flag_test(pg, PG_ANON) && page_flag_test(pg, PG_SWAPBACKED) && obj &&
	       !obj->file;
}

/*
 * isolate_migratepages_block()'s test, with mmsim's notion of movable (compaction.h): an
 * LRU page that is anonymous (mapped, or held by the swap cache alone), shmem or a regular
 * file's page-cache page (mapped or not), whose only references are its mappings and the
 * swap cache's or page cache's one (folio_expected_refs()). A page under writeback is left
 * by MIGRATE_ASYNC (ISOLATE_ASYNC_MIGRATE); the other modes isolate it and migration
 * fails (migrate_one()). A dirty page is isolated in every mode: anonymous pages have no
 * mapping, and shmem, the swap cache and the file system all have ->migrate_folio.
 */
static bool movable(const struct compact_control *cc, const struct page *pg)
{
	const uint32_t bad = PAGE_FLAG_MASK(PG_HEAD) | PAGE_FLAG_MASK(PG_TAIL) |
			     PAGE_FLAG_MASK(PG_UNEVICTABLE) | PAGE_FLAG_MASK(PG_RESERVED) |
			     PAGE_FLAG_MASK(PG_BUDDY);
	long cache_refs;

	if ((pg->flags & bad) || !page_flag_test(pg, PG_LRU))
		return false;
	if (cc->mode == COMPACTION_MIGRATE_ASYNC && page_flag_test(pg, PG_WRITEBACK))
		return false;
	if (page_flag_test(pg, PG_ANON))
		cache_refs = page_flag_test(pg, PG_SWAPCACHE) ? 1 : 0;
	else if (is_shmem(pg) || filemap_page_is_file(pg))
		cache_refs = 1;
	else
		return false;
	if (pg->mapcount == 0 && !cache_refs)
		return false;
	return pg->refcount == pg->mapcount + cache_refs;
}

/*
 * skip_isolation_on_order() (Linux 6.10 on): a compound page is skipped whole when its
 * order is the target order or more (unless the whole zone is compacted), or
 * pageblock_order or more: compaction builds free blocks of a pageblock at most, so a THP
 * (order 9 = pageblock_order) is never migrated by it.
 */
static bool skip_compound(const struct compact_control *cc, const struct page *pg)
{
	return page_flag_test(pg, PG_HEAD) &&
	       ((cc->order >= 0 && pg->order >= cc->order) || pg->order >= COMPACT_PAGEBLOCK_ORDER);
}

/* Isolates up to COMPACT_CLUSTER_MAX movable pages from the migrate scanner's pageblock. */
static void isolate_migratepages(struct compact_control *cc)
{
	pfn_t block_end = (cc->migrate_pfn & ~(PAGEBLOCK_NR - 1)) + PAGEBLOCK_NR;
	pfn_t pfn;

	if (block_end > zone_end(cc->zone))
		block_end = zone_end(cc->zone);
	for (pfn = cc->migrate_pfn; pfn < block_end && cc->nr_migrate < COMPACT_CLUSTER_MAX;
	     pfn++) {
		struct page *pg = core_page(cc->core, pfn);

		/* A free block or a huge page: skipped whole, every page of it counted as
		 * scanned (nr_scanned += (1 << order) - 1). */
		if (page_flag_test(pg, PG_BUDDY) || skip_compound(cc, pg)) {
			core_count_mod(cc->core, VMSTAT_COMPACT_MIGRATE_SCANNED, 1l << pg->order);
			pfn += (UINT64_C(1) << pg->order) - 1;
			continue;
		}
		core_count(cc->core, VMSTAT_COMPACT_MIGRATE_SCANNED);
		if (movable(cc, pg)) {
			cc->migrate[cc->nr_migrate++] = pfn;
			core_count(cc->core, VMSTAT_COMPACT_ISOLATED);
		}
	}
	/* A free block larger than the pageblock took pfn past its end: the scan goes on at
	 * the next pageblock, inside that block, page by page (Linux: low_pfn = end_pfn). */
	if (pfn > block_end)
		pfn = block_end;
	cc->migrate_pfn = pfn;
}

/* suitable_migration_target(): a pageblock that is one free block already is left whole
 * (breaking it up for targets would undo what compaction is for). */
static bool suitable_migration_target(struct compact_control *cc, pfn_t block)
{
	const struct page *pg;

	if (block < cc->zone->start_pfn)
		return true;
	pg = core_page(cc->core, block);
	return !(page_flag_test(pg, PG_BUDDY) && pg->order >= COMPACT_PAGEBLOCK_ORDER);
}

/* Isolates the free blocks of the free scanner's pageblock, split into order-0 pages. */
static bool isolate_freepages_block(struct compact_control *cc)
{
	pfn_t end = cc->free_pfn + PAGEBLOCK_NR;

	if (end > zone_end(cc->zone))
		end = zone_end(cc->zone);
	if (!suitable_migration_target(cc, cc->free_pfn))
		return true;
	for (pfn_t pfn = cc->free_pfn; pfn < end;) {
		struct page *pg = core_page(cc->core, pfn);
		unsigned int order;

		if (!page_flag_test(pg, PG_BUDDY)) {
			core_count(cc->core, VMSTAT_COMPACT_FREE_SCANNED);
			pfn++;
			continue;
		}
		order = pg->order;
		/* nr_scanned += isolated - 1: every page of the block is scanned. */
		core_count_mod(cc->core, VMSTAT_COMPACT_FREE_SCANNED, 1l << order);
		if (cc->nr_free + (UINT64_C(1) << order) > cc->cap_free) {
			uint64_t cap = cc->cap_free * 2 + (UINT64_C(1) << order);
			pfn_t *f = realloc(cc->freepages, cap * sizeof(*f));

			if (!f)
				return false;
			cc->freepages = f;
			cc->cap_free = cap;
		}
		buddy_isolate_free(cc->zone, pfn, order);
		for (pfn_t i = 0; i < (UINT64_C(1) << order); i++)
			cc->freepages[cc->nr_free++] = pfn + i;
		core_count_mod(cc->core, VMSTAT_COMPACT_ISOLATED, 1l << order);
		pfn += UINT64_C(1) << order;
	}
	return true;
}

/* isolate_freepages(): pageblocks from the top down, never into the migrate scanner's. */
static void isolate_freepages(struct compact_control *cc)
{
	pfn_t low = (cc->migrate_pfn + PAGEBLOCK_NR - 1) & ~(PAGEBLOCK_NR - 1);

	while (cc->nr_free < cc->nr_migrate && cc->free_pfn >= low &&
	       cc->free_pfn >= cc->zone->start_pfn) {
		if (!isolate_freepages_block(cc))
			return;
		if (cc->free_pfn < PAGEBLOCK_NR)
			break;
		cc->free_pfn -= PAGEBLOCK_NR;
	}
}

struct remap {
	struct mm_core *core;
	pfn_t from, to;
	unsigned int found;
	bool write;
};

/* try_to_migrate_one() + remove_migration_pte(): each PTE of the page, to the new frame. */
static bool remap_one(void *ctx, struct vma *vma, vaddr_t addr)
{
	struct remap *rm = ctx;
	struct mm_core *core = rm->core;
	const unsigned int maxphy = core->cpu->maxphyaddr;
	paddr_t ea;
	uint64_t pte;

	if (pgtable_pte_addr(core, vma->mm, addr, false, &ea))
		return true;
	pte = physmem_read64(core->pm, ea);
	if (!(x86_pte_present(pte) || anon_pte_protnone(pte)) ||
	    x86_pte_pfn(pte, maxphy) != rm->from)
		return true;
	rm->found++;
	if (!rm->write)
		return true;
	physmem_write64(core->pm, ea,
			(pte & ~x86_pte_addr_mask(maxphy)) | X86_PFN_TO_PADDR(rm->to));
	core_tlb_flush_range(core, vma->mm, addr, addr + X86_PAGE_SIZE,
			     "compaction migrated a page");
	return true;
}

/*
 * folio_migrate_mapping(): the slot that finds the page by its index now names the new
 * frame: the swap cache's slot (its entry moves to the new page's private) or the page
 * cache's slot of the shmem object or regular file (a file's cache is a shmem_obj too,
 * filemap.h). An anonymous page outside the swap cache has no such slot.
 */
static void migrate_mapping(struct mm_core *core, struct page *old, struct page *new, pfn_t to)
{
	if (page_flag_test(old, PG_SWAPCACHE)) {
		MM_BUG_ON(core->swap->cache[old->private] != core_pfn(core, old));
		core->swap->cache[old->private] = to;
		new->private = old->private;
		old->private = 0;
	} else if (is_shmem(old) || filemap_page_is_file(old)) {
		struct shmem_obj *obj = old->mapping;

		MM_BUG_ON(obj->pages[old->index] != core_pfn(core, old));
		obj->pages[old->index] = to;
	}
}

/*
 * migrate_pages() for one page: false (pgmigrate_fail) for a page under writeback
 * (migrate_folio_unmap(): -EBUSY outside MIGRATE_SYNC; mmsim: MIGRATE_SYNC does not wait
 * for the write either, compaction.h), or if rmap does not account for every mapping.
 * The flags folio_migrate_flags() and folio_migrate_mapping() move go to the new page:
 * PG_dirty (a dirty file page stays dirty, nr_dirty unchanged), PG_readahead, and the LRU
 * state as isolation found it, PG_active and PG_referenced: the new page goes back on the
 * list the old one was on (folio_add_lru() after the move).
 */
static bool migrate_one(struct compact_control *cc, pfn_t from, pfn_t to)
{
	struct mm_core *core = cc->core;
	struct page *old = core_page(core, from), *new = core_page(core, to);
	struct remap rm = { .core = core, .from = from, .to = to };
	const uint32_t keep = PAGE_FLAG_MASK(PG_ANON) | PAGE_FLAG_MASK(PG_SWAPBACKED) |
			      PAGE_FLAG_MASK(PG_ANON_EXCLUSIVE) | PAGE_FLAG_MASK(PG_DIRTY) |
			      PAGE_FLAG_MASK(PG_REFERENCED) | PAGE_FLAG_MASK(PG_SWAPCACHE) |
			      PAGE_FLAG_MASK(PG_WORKINGSET) | PAGE_FLAG_MASK(PG_READAHEAD) |
			      PAGE_FLAG_MASK(PG_ACTIVE);
	/* Before the LRU lets go of it: the policy's removal clears its list state. */
	const uint32_t flags = old->flags;

	if (page_flag_test(old, PG_WRITEBACK))
		return false;
	rmap_walk(old, remap_one, &rm);
	if (rm.found != (unsigned int)old->mapcount)
		return false;
	rm.write = true;
	rm.found = 0;
	anon_copy_data(core, to, from);
	rmap_walk(old, remap_one, &rm);
	core_lru_del(core, old);
	migrate_mapping(core, old, new, to);
	new->flags |= flags &keep;
	new->mapping = old->mapping;
	new->index = old->index;
	new->mapcount = old->mapcount;
	new->refcount = old->refcount;
	core_lru_add(core, new);
	core_event(core, &(struct mm_event){ .kind = MM_EV_FRAME_ALLOC,
					     .pfn = to,
					     .what = "compaction: migration target" });
	/* The old frame: no mapping, no reference left but the allocation's. */
	old->flags &= ~keep;
	old->mapping = NULL;
	old->index = 0;
	old->mapcount = 0;
	old->refcount = 1;
	old->policy.raw = 0;
	page_free(core->pgdat, from, 0);
	return true;
}

/*
 * compact_zone()'s check_drain: once the migrate scanner has left the cc->order aligned
 * block it last migrated from, the pages that migration freed to the per-CPU list go back
 * to the free lists (lru_add_drain_cpu_zone() -> drain_local_pages()), so that they can
 * merge and compact_finished() sees the block. Whole-zone compaction (order -1) never drains.
 */
static void check_drain(struct compact_control *cc, pfn_t *last_migrated_pfn)
{
	pfn_t current_block_start;

	if (cc->order <= 0 || !*last_migrated_pfn)
		return;
	current_block_start = cc->migrate_pfn & ~((UINT64_C(1) << cc->order) - 1);
	if (*last_migrated_pfn < current_block_start) {
		pcp_drain_zone(cc->zone);
		*last_migrated_pfn = 0;
	}
}

static bool finished(const struct compact_control *cc)
{
	return cc->order >= 0 && buddy_max_free_order(cc->zone) >= cc->order;
}

uint64_t compaction_zone(struct mm_core *core, struct zone *z, int order, enum compaction_mode mode)
{
	struct compact_control cc = { .core = core, .zone = z, .order = order, .mode = mode };
	pfn_t last_migrated_pfn = 0; /* pageblock of the last isolation; 0: nothing to drain */

	if (!zone_managed(z) || z->spanned_pages < PAGEBLOCK_NR)
		return 0;
	pgdat_memmap_materialize(core->pgdat); /* the scanners read PG_BUDDY of every frame */
	cc.migrate_pfn = z->start_pfn;
	cc.free_pfn = (zone_end(z) - 1) & ~(PAGEBLOCK_NR - 1);
	while (!finished(&cc) && cc.migrate_pfn < zone_end(z) &&
	       cc.migrate_pfn < cc.free_pfn + PAGEBLOCK_NR) {
		isolate_migratepages(&cc);
		if (!cc.nr_migrate) {
			check_drain(&cc, &last_migrated_pfn);
			continue;
		}
		/* ISOLATE_SUCCESS: last_migrated_pfn = pageblock_start_pfn(migrate_pfn - 1). */
		last_migrated_pfn = (cc.migrate_pfn - 1) & ~(PAGEBLOCK_NR - 1);
		if (last_migrated_pfn < z->start_pfn)
			last_migrated_pfn = z->start_pfn;
		isolate_freepages(&cc);
		for (unsigned int i = 0; i < cc.nr_migrate; i++) {
			/* No target left: the rest go back untouched (putback_movable_pages()). */
			if (!cc.nr_free)
				break;
			if (!migrate_one(&cc, cc.migrate[i], cc.freepages[cc.nr_free - 1])) {
				core_count(core, VMSTAT_PGMIGRATE_FAIL);
				continue;
			}
			cc.nr_free--;
			cc.migrated++;
			core_count(core, VMSTAT_PGMIGRATE_SUCCESS);
		}
		cc.nr_migrate = 0;
		/* The scanners met: the free scanner has nothing above the migrate one. */
		if (cc.free_pfn + PAGEBLOCK_NR <= cc.migrate_pfn)
			break;
		check_drain(&cc, &last_migrated_pfn);
	}
	/* release_freepages(): what was isolated and not used goes back to the buddy. */
	for (uint64_t i = 0; i < cc.nr_free; i++)
		page_free(core->pgdat, cc.freepages[i], 0);
	free(cc.freepages);
	return cc.migrated;
}

/* compact_node() for /proc/sys/vm/compact_memory: MIGRATE_SYNC. */
uint64_t compaction_node(struct mm_core *core)
{
	uint64_t migrated = 0;

	for (unsigned int t = 0; t < ZONE_NR_TYPES; t++)
		migrated +=
			compaction_zone(core, &core->pgdat->zones[t], -1, COMPACTION_MIGRATE_SYNC);
	return migrated;
}

/* try_to_compact_pages(): the eligible zones, highest first, until one has the order. */
static bool compact_for(struct mm_core *core, unsigned int order, enum zone_type highest,
			enum compaction_mode mode)
{
	for (int t = (int)highest; t >= 0; t--) {
		struct zone *z = &core->pgdat->zones[t];

		if (!zone_managed(z))
			continue;
		compaction_zone(core, z, (int)order, mode);
		if (buddy_max_free_order(z) >= (int)order)
			return true;
	}
	return false;
}

/* __alloc_pages_direct_compact(): compact_stall; the allocator counts success or fail. The
 * first attempt runs at INIT_COMPACT_PRIORITY, MIGRATE_ASYNC (mmsim makes no other). */
static bool hook_direct_compact(void *ctx, unsigned int order, enum zone_type highest)
{
	struct mm_core *core = ctx;

	core_count(core, VMSTAT_COMPACT_STALL);
	return compact_for(core, order, highest, COMPACTION_MIGRATE_ASYNC);
}

/* wakeup_kcompactd(): it runs after the access, for the largest order asked. */
static void hook_wakeup_kcompactd(void *ctx, unsigned int order, enum zone_type highest)
{
	struct mm_core *core = ctx;

	if (core->kcompactd_order < (int)order)
		core->kcompactd_order = (int)order;
	core->kcompactd_highest = highest;
}

void compaction_run_kcompactd(struct mm_core *core)
{
	int order = core->kcompactd_order;

	core->kcompactd_order = -1;
	if (order < 0)
		return;
	core_count(core, VMSTAT_KCOMPACTD_WAKE);
	/* kcompactd_do_work(): MIGRATE_SYNC_LIGHT. */
	compact_for(core, (unsigned int)order, core->kcompactd_highest,
		    COMPACTION_MIGRATE_SYNC_LIGHT);
}

void compaction_init(struct mm_core *core)
{
	core->kcompactd_order = -1;
	core->pgdat->reclaim.direct_compact = hook_direct_compact;
	core->pgdat->reclaim.wakeup_kcompactd = hook_wakeup_kcompactd;
	core->pgdat->reclaim.compact_ctx = core;
}
