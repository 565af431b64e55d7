/*
 * mm/vmscan.c: reclaim mechanics (see vmscan.h). Linux: mm/vmscan.c (shrink_folio_list,
 * kswapd, balance_pgdat, __perform_reclaim), mm/rmap.c (try_to_unmap_one,
 * folio_referenced_one).
 */
#include "mm/vmscan.h"

#include <errno.h>
#include <string.h>

#include "arch/x86_64/physmem.h"
#include "arch/x86_64/pte.h"
#include "mm/anon.h"
#include "mm/bug.h"
#include "mm/check.h"
#include "mm/core.h"
#include "mm/filemap.h"
#include "mm/huge_memory.h"
#include "mm/page.h"
#include "mm/pcp.h"
#include "mm/pgdat.h"
#include "mm/pgtable.h"
#include "mm/policy.h"
#include "mm/rmap.h"
#include "mm/shmem.h"
#include "mm/swap.h"
#include "mm/vma.h"
#include "mm/vmstat.h"
#include "mm/workingset.h"
#include "mm/zone.h"

/* Passes of a reclaim call: a policy may offer pages that cannot go (busy, no swap). */
#define VMSCAN_MAX_FAILURES 64u

struct ref_walk {
	struct mm_core *core;
	pfn_t pfn;
	bool clear;
	unsigned int young;
	bool dirty;
	bool exec; /* a young PTE's VMA is executable */
};

/* Whether the entry for addr in mm maps pfn: its address in *ea and value in *pte. */
static bool entry_maps(struct mm_core *core, struct mm_struct *mm, vaddr_t addr, pfn_t pfn,
		       paddr_t *ea, uint64_t *pte)
{
	int err = pgtable_pte_addr(core, mm, addr, false, ea);

	/* A THP: its PMD leaf has the same A and D bits (Linux folio_referenced_one()). */
	if (err == -EEXIST)
		err = pgtable_pmd_addr(core, mm, addr, false, ea);
	if (err)
		return false;
	*pte = physmem_read64(core->pm, *ea);
	return x86_pte_present(*pte) && x86_pte_pfn(*pte, core->cpu->maxphyaddr) == pfn;
}

static bool referenced_one(void *ctx, struct vma *vma, vaddr_t addr)
{
	struct ref_walk *rw = ctx;
	paddr_t ea;
	uint64_t pte;

	if (!entry_maps(rw->core, vma->mm, addr, rw->pfn, &ea, &pte))
		return true;
	if (x86_pte_dirty(pte))
		rw->dirty = true;
	if (x86_pte_accessed(pte)) {
		rw->young++;
		if (vma->flags & VM_EXEC)
			rw->exec = true;
		if (rw->clear)
			physmem_write64(rw->core->pm, ea, pte & ~X86_PTE_A);
	}
	return true;
}

struct next_use_walk {
	struct mm_core *core;
	pfn_t pfn;
	uint64_t min, max;
	bool found;
};

static bool next_use_one(void *ctx, struct vma *vma, vaddr_t addr)
{
	struct next_use_walk *nw = ctx;
	paddr_t ea;
	uint64_t pte, nu;

	if (!entry_maps(nw->core, vma->mm, addr, nw->pfn, &ea, &pte))
		return true;
	nu = nw->core->next_use(nw->core->next_use_ctx, vma->mm, addr);
	if (!nw->found || nu < nw->min)
		nw->min = nu;
	if (!nw->found || nu > nw->max)
		nw->max = nu;
	nw->found = true;
	return true;
}

bool vmscan_page_next_use(struct mm_core *core, struct page *pg, uint64_t *min, uint64_t *max)
{
	struct next_use_walk nw = { .core = core, .pfn = core_pfn(core, pg) };

	if (!core->next_use)
		return false;
	rmap_walk(pg, next_use_one, &nw);
	if (nw.found) {
		*min = nw.min;
		*max = nw.max;
	}
	return nw.found;
}

unsigned int vmscan_page_referenced_exec(struct vmscan_ctx *ctx, struct page *pg, bool clear,
					 bool *dirty, bool *exec)
{
	struct ref_walk rw = { .core = ctx->core, .pfn = core_pfn(ctx->core, pg), .clear = clear };

	rmap_walk(pg, referenced_one, &rw);
	if (dirty)
		*dirty = rw.dirty || page_flag_test(pg, PG_DIRTY);
	if (exec)
		*exec = rw.exec;
	return rw.young;
}

unsigned int vmscan_page_referenced(struct vmscan_ctx *ctx, struct page *pg, bool clear,
				    bool *dirty)
{
	return vmscan_page_referenced_exec(ctx, pg, clear, dirty, NULL);
}

void vmscan_workingset_age(struct vmscan_ctx *ctx, uint64_t nr)
{
	ctx->core->nonresident_age += nr;
}

void vmscan_lru_note_cost(struct mm_core *core, bool file, uint64_t nr_io, uint64_t nr_rotated)
{
	const unsigned long *vm = core->pgdat->vmstat;
	uint64_t lrusize = vm[VMSTAT_NR_INACTIVE_ANON] + vm[VMSTAT_NR_ACTIVE_ANON] +
			   vm[VMSTAT_NR_INACTIVE_FILE] + vm[VMSTAT_NR_ACTIVE_FILE];
	uint64_t cost = nr_io * SWAP_CLUSTER_MAX + nr_rotated;

	if (file)
		core->file_cost += cost;
	else
		core->anon_cost += cost;
	if (core->file_cost + core->anon_cost > lrusize / 4) {
		core->file_cost /= 2;
		core->anon_cost /= 2;
	}
}

void vmscan_page_activated(struct vmscan_ctx *ctx, struct page *pg)
{
	if (page_flag_test(pg, PG_SWAPCACHE) && swap_vm_full(ctx->core))
		swap_free_swap(ctx->core, pg);
}

struct unmap_walk {
	struct mm_core *core;
	struct page *pg;
	pfn_t pfn;
	uint64_t slot;
	bool dirty;
};

/* Linux try_to_unmap_one()'s page_vma_mapped_walk(): true when the PTE at addr in vma's
 * mm maps uw->pfn (present, or PROT_NONE for NUMA hinting), with its address and value. */
static bool pte_maps_page(const struct unmap_walk *uw, const struct vma *vma, vaddr_t addr,
			  paddr_t *ea, uint64_t *pte)
{
	struct mm_core *core = uw->core;

	if (pgtable_pte_addr(core, vma->mm, addr, false, ea))
		return false;
	*pte = physmem_read64(core->pm, *ea);
	return (x86_pte_present(*pte) || anon_pte_protnone(*pte)) &&
	       x86_pte_pfn(*pte, core->cpu->maxphyaddr) == uw->pfn;
}

/* The end of try_to_unmap_one() once the PTE is cleared: the page loses the mapping and
 * its reference (the mapped counter drops with the last mapping); the TLB forgets addr. */
static void page_unmapped(struct unmap_walk *uw, struct mm_struct *mm, vaddr_t addr,
			  enum vmstat_item mapped, const char *what)
{
	struct mm_core *core = uw->core;

	if (--uw->pg->mapcount == 0)
		core_count_mod(core, mapped, -1);
	uw->pg->refcount--;
	core_tlb_flush_range(core, mm, addr, addr + X86_PAGE_SIZE, "reclaim unmapped a page");
	core_event(core, &(struct mm_event){
				 .kind = MM_EV_EVICT, .va = addr, .pfn = uw->pfn, .what = what });
}

/* Linux try_to_unmap_one(): the PTE becomes a swap entry; the mm loses a resident page. */
static bool unmap_one(void *ctx, struct vma *vma, vaddr_t addr)
{
	struct unmap_walk *uw = ctx;
	struct mm_core *core = uw->core;
	struct mm_struct *mm = vma->mm;
	uint64_t pte, swp;
	paddr_t ea;

	if (!pte_maps_page(uw, vma, addr, &ea, &pte))
		return true;
	if (x86_pte_dirty(pte))
		uw->dirty = true;
	swp = swap_pte_make(0, uw->slot);
	if (page_flag_test(uw->pg, PG_ANON_EXCLUSIVE))
		swp |= SWP_PTE_EXCLUSIVE;
	physmem_write64(core->pm, ea, swp);
	swap_entry_get(core, uw->slot);
	mm->rss_anon--;
	mm->swap_ents++;
	/* The mapping's reference goes; the swap cache still holds one. */
	page_unmapped(uw, mm, addr, VMSTAT_NR_ANON_MAPPED, "unmapped for swap-out");
	return true;
}

enum evict_result { EVICT_DONE, EVICT_BUSY, EVICT_NO_SWAP };

static bool page_is_shmem(const struct page *pg)
{
	return !page_flag_test(pg, PG_ANON) && page_flag_test(pg, PG_SWAPBACKED);
}

/* A page is busy while someone beyond its mappings and its cache (swap cache, a shmem
 * object or a file's cache) holds it (a fault in progress): reclaim leaves it (Linux: the
 * reference freeze in __remove_mapping fails). */
static bool page_busy(const struct page *pg)
{
	int cache =
		page_flag_test(pg, PG_SWAPCACHE) || page_is_shmem(pg) || filemap_page_is_file(pg)
			? 1
			: 0;

	/* Under writeback (the flusher's write in flight): Linux shrink_folio_list() keeps it
	 * (folio_test_writeback(), PG_reclaim) for a later pass. */
	return pg->refcount > pg->mapcount + cache || page_flag_test(pg, PG_WRITEBACK);
}

/* Linux try_to_unmap_one() for a shmem page: the PTE is cleared (the next fault finds the
 * page, or its swap slot, in the object). */
static bool unmap_shmem_one(void *ctx, struct vma *vma, vaddr_t addr)
{
	struct unmap_walk *uw = ctx;
	uint64_t pte;
	paddr_t ea;

	if (!pte_maps_page(uw, vma, addr, &ea, &pte))
		return true;
	physmem_write64(uw->core->pm, ea, 0);
	vma->mm->rss_shmem--;
	page_unmapped(uw, vma->mm, addr, VMSTAT_NR_FILE_MAPPED,
		      "shared page unmapped for swap-out");
	return true;
}

/* A shmem page goes to a swap slot its object's index holds (mmsim: always written). */
static enum evict_result evict_shmem(struct vmscan_ctx *ctx, struct page *pg)
{
	struct mm_core *core = ctx->core;
	struct unmap_walk uw = { .core = core, .pg = pg, .pfn = core_pfn(core, pg) };

	uw.slot = swap_slot_alloc(core);
	if (!uw.slot)
		return EVICT_NO_SWAP;
	rmap_walk(pg, unmap_shmem_one, &uw);
	MM_BUG_ON(pg->mapcount != 0);
	swap_slot_write(core, uw.slot, uw.pfn);
	/* Linux ages the non-resident clock when the page leaves the swap cache
	 * (workingset_eviction()); mmsim: shmem has no swap cache, so no shadow is kept. */
	if (workingset_enabled(core))
		workingset_eviction(core, pg);
	shmem_page_swapped_out(core, pg, uw.slot);
	core_lru_del(core, pg);
	core_put_page(core, uw.pfn); /* the object's reference: the frame is free */
	ctx->nr_reclaimed++;
	return EVICT_DONE;
}

static enum evict_result evict(struct vmscan_ctx *ctx, struct page *pg);

/* Splits the THP at head and evicts its tails; the caller goes on with the head. */
static void evict_split_tails(struct vmscan_ctx *ctx, struct page *head)
{
	struct mm_core *core = ctx->core;
	struct policy *p = core->policy;
	struct page *saved = p->evicting;
	pfn_t pfn = core_pfn(core, head);

	huge_split_page(core, head);
	for (unsigned int i = 1; i < HPAGE_PMD_NR; i++) {
		struct page *t = core_page(core, pfn + i);
		enum evict_result r;

		p->evicting = t;
		r = evict(ctx, t);
		if (r == EVICT_NO_SWAP)
			break;
	}
	p->evicting = saved;
}

/* Linux try_to_unmap_one() for a file page: the PTE is cleared, its dirty bit moves to
 * the page (the next fault finds the page, or reads it again, from the file). */
static bool unmap_file_one(void *ctx, struct vma *vma, vaddr_t addr)
{
	struct unmap_walk *uw = ctx;
	uint64_t pte;
	paddr_t ea;

	if (!pte_maps_page(uw, vma, addr, &ea, &pte))
		return true;
	if (x86_pte_dirty(pte))
		filemap_set_dirty(uw->core, uw->pg);
	physmem_write64(uw->core->pm, ea, 0);
	vma->mm->rss_file--;
	page_unmapped(uw, vma->mm, addr, VMSTAT_NR_FILE_MAPPED, "file page unmapped for reclaim");
	return true;
}

/* Linux shrink_folio_list() for a file page: unmapped, then dropped if clean or written
 * back first if dirty (pageout(); mmsim: the write completes at once). No swap needed. */
static enum evict_result evict_file(struct vmscan_ctx *ctx, struct page *pg)
{
	struct mm_core *core = ctx->core;
	struct unmap_walk uw = { .core = core, .pg = pg, .pfn = core_pfn(core, pg) };

	rmap_walk(pg, unmap_file_one, &uw);
	MM_BUG_ON(pg->mapcount != 0);
	if (page_flag_test(pg, PG_DIRTY))
		ctx->nr_pageout[1]++;
	core_lru_del(core, pg);
	filemap_evict(core, pg); /* the cache's reference: the frame is free */
	ctx->nr_reclaimed++;
	ctx->nr_reclaimed_file++;
	return EVICT_DONE;
}

/* Linux shrink_folio_list() for one anonymous page the policy chose. */
static enum evict_result evict(struct vmscan_ctx *ctx, struct page *pg)
{
	struct mm_core *core = ctx->core;
	struct unmap_walk uw = { .core = core, .pg = pg, .pfn = core_pfn(core, pg) };

	if (page_busy(pg))
		return EVICT_BUSY;
	if (page_is_shmem(pg))
		return evict_shmem(ctx, pg);
	if (filemap_page_is_file(pg))
		return evict_file(ctx, pg);
	/* Linux shrink_folio_list(): a THP is split before it goes to swap, and its tails
	 * join this pass (split_folio_to_list()): all 512 pages are reclaimed. */
	if (huge_page_is_thp(pg))
		evict_split_tails(ctx, pg);
	uw.slot = swap_add_to_cache(core, pg);
	if (!uw.slot)
		return EVICT_NO_SWAP;
	rmap_walk(pg, unmap_one, &uw);
	MM_BUG_ON(pg->mapcount != 0);
	page_flag_clear(pg, PG_ANON_EXCLUSIVE);
	/* A clean page already in swap is not written again. */
	if (uw.dirty || page_flag_test(pg, PG_DIRTY)) {
		swap_writepage(core, pg);
		ctx->nr_pageout[0]++;
	}
	core_lru_del(core, pg);
	/* Linux __remove_mapping(): the swap cache keeps a shadow entry, which ages the
	 * non-resident clock. mmsim: the shadow is kept only with anon_workingset=on (off by
	 * default, docs/files.md says why); the clock ages either way. */
	if (workingset_enabled(core))
		swap_store_shadow(core, uw.slot, workingset_eviction(core, pg));
	swap_cache_remove(core, pg); /* the last reference: the frame is free */
	ctx->nr_reclaimed++;
	return EVICT_DONE;
}

uint64_t vmscan_reclaim(struct mm_core *core, uint64_t nr, enum vmscan_mode mode)
{
	struct vmscan_ctx ctx = { .core = core, .mode = mode };
	struct policy *p = core->policy;
	unsigned int failures = 0;

	if (!p)
		return 0;
	static const char *const what[] = {
		[VMSCAN_KSWAPD] = "kswapd reclaims",
		[VMSCAN_DIRECT] = "direct reclaim",
		[VMSCAN_PROACTIVE] = "proactive reclaim (memory.reclaim)",
		[VMSCAN_HIBERNATE] = "shrink_all_memory (before hibernation)",
	};

	core_event(core, &(struct mm_event){ .kind = MM_EV_RECLAIM, .what = what[mode] });
	while (ctx.nr_reclaimed < nr && failures < VMSCAN_MAX_FAILURES) {
		struct page *pg = p->ops->pick_victim(p, &ctx);
		enum evict_result r;

		if (!pg)
			break;
		p->evicting = pg; /* page_removed(pg) now is an eviction */
		r = evict(&ctx, pg);
		p->evicting = NULL;
		if (r == EVICT_NO_SWAP)
			break;
		if (r == EVICT_BUSY) {
			/* The policy offers another page next time: its own way, or rotated. */
			if (p->ops->page_busy) {
				p->ops->page_busy(p, pg);
			} else {
				p->ops->page_removed(p, pg);
				p->ops->page_added(p, pg);
			}
			failures++;
		}
	}
	if (p->ops->reclaim_done)
		p->ops->reclaim_done(p, &ctx);
	/* Linux shrink_node() then shrink_slab(): here the shadow shrinker, the one slab
	 * shrinker whose objects mmsim models. */
	workingset_shrink_shadows(core);
	/* Linux mm/vmscan.c reclaimer_offset(): kswapd, proactive (6.15+), else direct. */
	if (mode == VMSCAN_KSWAPD) {
		core_count_mod(core, VMSTAT_PGSCAN_KSWAPD, (long)ctx.nr_scanned);
		core_count_mod(core, VMSTAT_PGSTEAL_KSWAPD, (long)ctx.nr_reclaimed);
	} else if (mode == VMSCAN_PROACTIVE) {
		core_count_mod(core, VMSTAT_PGSCAN_PROACTIVE, (long)ctx.nr_scanned);
		core_count_mod(core, VMSTAT_PGSTEAL_PROACTIVE, (long)ctx.nr_reclaimed);
	} else {
		core_count_mod(core, VMSTAT_PGSCAN_DIRECT, (long)ctx.nr_scanned);
		core_count_mod(core, VMSTAT_PGSTEAL_DIRECT, (long)ctx.nr_reclaimed);
	}
	core_count_mod(core, VMSTAT_PGSCAN_ANON, (long)(ctx.nr_scanned - ctx.nr_scanned_file));
	core_count_mod(core, VMSTAT_PGSCAN_FILE, (long)ctx.nr_scanned_file);
	core_count_mod(core, VMSTAT_PGSTEAL_ANON, (long)(ctx.nr_reclaimed - ctx.nr_reclaimed_file));
	core_count_mod(core, VMSTAT_PGSTEAL_FILE, (long)ctx.nr_reclaimed_file);
	return ctx.nr_reclaimed;
}

int vmscan_pageout_page(struct mm_core *core, struct page *pg)
{
	struct vmscan_ctx ctx = { .core = core, .mode = VMSCAN_DIRECT };

	if (!core->policy || !page_flag_test(pg, PG_LRU))
		return -EBUSY;
	/* evict() takes it off the LRU, so the policy forgets it as after any eviction. */
	switch (evict(&ctx, pg)) {
	case EVICT_DONE:
		return 0;
	case EVICT_NO_SWAP:
		return -ENOSPC;
	default:
		return -EBUSY;
	}
}

/*
 * Linux pgdat_balanced() (mm/vmscan.c, 6.6; the same rule since node-based reclaim in 4.8):
 * balanced as soon as one managed zone up to highest_zoneidx passes
 * zone_watermark_ok_safe(zone, order, high_wmark_pages(zone), highest_zoneidx), so a lower
 * zone must hold its high watermark plus its lowmem_reserve[highest_zoneidx]; a node with
 * no managed zone there needs no balancing. mmsim: no NUMA memory tiering (WMARK_PROMO)
 * and free counts are exact, so zone_watermark_ok() is the _safe variant.
 */
static bool balanced(const struct mm_core *core, unsigned int order, enum zone_type highest)
{
	bool managed = false;

	for (unsigned int i = 0; i <= (unsigned int)highest; i++) {
		const struct zone *z = &core->pgdat->zones[i];

		if (!zone_managed(z))
			continue;
		managed = true;
		if (zone_watermark_ok(z, order, zone_wmark_pages(z, ZONE_WMARK_HIGH), highest))
			return true;
	}
	return !managed;
}

void vmscan_run_kswapd(struct mm_core *core)
{
	unsigned int order = core->kswapd_order;
	enum zone_type highest =
		core->kswapd_highest_plus1 ? core->kswapd_highest_plus1 - 1 : ZONE_NR_TYPES - 1;
	uint64_t nr_reclaimed = 0;

	if (!core->kswapd_pending)
		return;
	/* Linux kswapd(): reads the wakers' order and highest_zoneidx, then resets them. */
	core->kswapd_pending = false;
	core->kswapd_order = 0;
	core->kswapd_highest_plus1 = 0;
	core_count(core, VMSTAT_PAGEOUTRUN);
	/* Linux balance_pgdat(): batches until pgdat_balanced(), with ZONE_RECLAIM_ACTIVE set
	 * meanwhile on the zones up to highest_zoneidx (set_reclaim_active()), so that the
	 * pages it frees reach the free lists instead of piling up on the per-CPU lists
	 * (nr_pcp_high()). kswapd_shrink_node(): once twice the order's pages are reclaimed
	 * (compact_gap()), the watermarks are checked at order 0. mmsim: a batch is 32 pages
	 * (Linux: the sum of the zones' high watermarks at a scan priority), and kswapd stops
	 * after a batch that reclaims nothing (Linux lowers the priority, and retries until
	 * kswapd_failures reaches MAX_RECLAIM_RETRIES). */
	pcp_set_reclaim_active(core->pgdat, highest, true);
	while (!balanced(core, order, highest)) {
		uint64_t n = vmscan_reclaim(core, SWAP_CLUSTER_MAX, VMSCAN_KSWAPD);

		if (!n)
			break;
		nr_reclaimed += n;
		if (order && nr_reclaimed >= 2ull << order)
			order = 0;
	}
	pcp_set_reclaim_active(core->pgdat, highest, false);
}

/* core->charge: the frames cap as a memcg-style limit (Linux try_charge_memcg()). */
static int charge(struct mm_core *core)
{
	uint64_t want;

	if (!core->frames_cap || core->nr_user_pages < core->frames_cap)
		return 0;
	want = core->demand ? 1 : SWAP_CLUSTER_MAX;
	vmscan_reclaim(core, want, VMSCAN_DIRECT);
	return core->nr_user_pages < core->frames_cap ? 0 : -ENOMEM;
}

void vmscan_note_access(struct mm_core *core, paddr_t pa, uint64_t next_use, bool faulted)
{
	pfn_t pfn = X86_PADDR_TO_PFN(pa);
	struct page *pg;

	if (pfn >= core->pgdat->nr_pfns)
		return;
	pg = core_page(core, pfn);
	if (page_flag_test(pg, PG_LRU)) {
		core->policy->faulted = faulted;
		core->policy->ops->page_accessed(core->policy, pg, next_use);
	}
}

/* Hooks for the page allocator's slow path (struct zone_reclaim_ops). */
static void hook_wakeup_kswapd(void *ctx, struct zone *zone, unsigned int order,
			       enum zone_type highest)
{
	struct mm_core *core = ctx;

	(void)zone;
	if (core->demand)
		return;
	/* Linux wakeup_kswapd(): the request is recorded (the highest zone index and the
	 * largest order asked for); a kswapd already awake takes it at its next run, an asleep
	 * one is woken unless the node is balanced for it already (pgdat_balanced(); mmsim
	 * has no watermark boost, so pgdat_watermark_boosted() is false). */
	if (core->kswapd_highest_plus1 < (unsigned int)highest + 1)
		core->kswapd_highest_plus1 = (unsigned int)highest + 1;
	if (core->kswapd_order < order)
		core->kswapd_order = order;
	if (!core->kswapd_pending && !balanced(core, order, highest))
		core->kswapd_pending = true;
}

static unsigned long hook_direct_reclaim(void *ctx, unsigned int order, gfp_t gfp,
					 enum zone_type highest)
{
	struct mm_core *core = ctx;

	(void)order, (void)gfp, (void)highest;
	return (unsigned long)vmscan_reclaim(core, core->demand ? 1 : SWAP_CLUSTER_MAX,
					     VMSCAN_DIRECT);
}

int vmscan_init(struct mm_core *core, const struct vmscan_config *cfg)
{
	uint64_t capacity = cfg->frames_cap;
	int err;

	/* Without a frames cap, c is every frame the buddy allocator manages. */
	for (unsigned int i = 0; !cfg->frames_cap && i < ZONE_NR_TYPES; i++)
		capacity += core->pgdat->zones[i].managed_pages;
	err = policy_create(core, cfg->policy, cfg->seed, capacity, &core->policy);
	if (err)
		return err;
	core->demand = cfg->demand;
	core->frames_cap = cfg->frames_cap;
	core->policy_sees_accesses = core->policy->sees_accesses;
	core->charge = charge;
	core->pgdat->reclaim = (struct zone_reclaim_ops){
		.wakeup_kswapd = hook_wakeup_kswapd,
		.direct_reclaim = hook_direct_reclaim,
		.ctx = core,
	};
	return 0;
}

void vmscan_fini(struct mm_core *core)
{
	core->pgdat->reclaim = (struct zone_reclaim_ops){ 0 };
	core->charge = NULL;
	policy_destroy(core->policy);
	core->policy = NULL;
}

bool vmscan_check(const struct mm_core *core, struct check_report *why)
{
	const struct policy *p = core->policy;

	/* The shadow shrinker sees every node workingset_nodes counts, and no other. */
	if (filemap_shadow_nodes(core) != core->pgdat->vmstat[VMSTAT_WORKINGSET_NODES])
		return check_fail(why,
				  "%llu shadow nodes on the shrinker's list, but workingset_nodes "
				  "is %llu",
				  (unsigned long long)filemap_shadow_nodes(core),
				  (unsigned long long)core->pgdat->vmstat[VMSTAT_WORKINGSET_NODES]);
	if (!p)
		return true;
	if (p->ops->check && !p->ops->check(p, why))
		return false;
	return swap_check(core, why);
}
