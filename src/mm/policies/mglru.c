/*
 * mm/policies/mglru.c: Linux's multi-generational LRU (CONFIG_LRU_GEN), following Linux 6.6:
 * mm/vmscan.c (lru_gen_*), include/linux/mm_inline.h (lru_gen_add_folio), mm/swap.c
 * (folio_add_lru), mm/workingset.c (lru_gen_eviction, lru_gen_refault) and
 * Documentation/mm/multigen_lru.rst.
 *
 * Pages sit in generations numbered by sequence, min_seq (oldest) to max_seq (youngest),
 * MIN_NR_GENS = 2 to MAX_NR_GENS = 4 of them; a generation's list is seq % MAX_NR_GENS.
 * 1. A page faulted in joins the youngest generation (folio_add_lru() marks it active
 *    inside a fault; lru_gen_add_folio()).
 * 2. Aging (try_to_inc_max_seq(), walk_mm()) walks the page tables of every mm: each PTE
 *    with its Accessed bit set has it cleared and its page's generation set to max_seq
 *    (folio_update_gen(); the page stays where it is on the lists until eviction or
 *    inc_min_seq() sorts it). PTE tables whose PMD entry has A clear are skipped, and the
 *    PMD's A bit is cleared (the non-leaf young capability). Then max_seq grows by one.
 *    Aging runs when only MIN_NR_GENS generations are left, or with three when the
 *    youngest holds more than half the pages or the oldest less than a quarter
 *    (should_run_aging()).
 * 3. Eviction (evict_folios(), scan_folios()) takes pages from the tail of the oldest
 *    generation: a page whose generation was raised moves to that list (sort_folio()); one
 *    in a tier the PID controller protects moves one generation up; the rest are checked
 *    through rmap (folio_referenced() with lru_gen_look_around(), which also promotes the
 *    young neighbours within the page table): a young page is activated into the youngest
 *    generation, an old one is evicted and leaves a shadow (token: min_seq, refs, tier).
 *    An empty oldest generation is retired (try_to_inc_min_seq()).
 * 4. A refault whose shadow's min_seq is still the current one is recent: counted in its
 *    tier's refaulted total for the PID controller (get_tier_idx()), and the page gets
 *    refs = max and PG_workingset, which protects it from the next eviction scan
 *    (lru_gen_refault(); sort_folio()).
 * 5. min_ttl_ms: when the oldest generation is younger than min_ttl_ms, nothing is evicted
 *    and the allocation ends in the OOM killer (lru_gen_age_node(), lruvec_is_reclaimable()).
 * Knobs (/sys/kernel/mm/lru_gen): enabled (bit 0 the core, bit 1 the page-table walks,
 * bit 2 non-leaf PMD young; default 7 as on x86; bit 0 clear runs the classic two-list
 * `linux` policy instead, as writing n to `enabled` does) and min_ttl_ms.
 * Sees: Accessed bits of PTEs and PMD entries (page-table walks, rmap); nothing else.
 * Simplifications (each marked mmsim: below; docs/policies.md, docs/kernel.md): one LRU type
 * (anonymous and shmem pages are both Linux's anon type; there are no file pages), one
 * victim per call instead of batches of MIN_LRU_BATCH, no bloom filter (every young PMD's
 * table is walked), every mm counts as used since the last walk, time is user accesses.
 * Cost: O(1) per arrival; per eviction, the pages sorted and checked, plus the walks.
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>

#include "arch/x86_64/physmem.h"
#include "arch/x86_64/pte.h"
#include "mm/bug.h"
#include "mm/check.h"
#include "mm/core.h"
#include "mm/page.h"
#include "mm/pgdat.h"
#include "mm/pgtable.h"
#include "mm/policy.h"
#include "mm/rmap.h"
#include "mm/vma.h"
#include "mm/vmscan.h"
#include "mm/vmstat.h"

#define MIN_NR_GENS 2u /* include/linux/mmzone.h */
#define MAX_NR_GENS 4u
#define MAX_NR_TIERS 4u
#define LRU_REFS_WIDTH 2u	 /* MAX_NR_TIERS - 2: refs 0..3 */
#define LRU_REFS_MAX 3u		 /* LRU_REFS_MASK */
#define MIN_LRU_BATCH 64u	 /* BITS_PER_LONG */
#define PMD_PAGES X86_PT_ENTRIES /* PTEs a PMD entry's table holds */

/* Bits of `enabled` (enum lru_gen_caps). */
enum mglru_cap {
	CAP_CORE = 1u << 0,	     /* LRU_GEN_CORE */
	CAP_MM_WALK = 1u << 1,	     /* LRU_GEN_MM_WALK */
	CAP_NONLEAF_YOUNG = 1u << 2, /* LRU_GEN_NONLEAF_YOUNG */
};

enum { PARAM_ENABLED, PARAM_MIN_TTL_MS, PARAM_ACCESS_NS };

/* A shadow entry (Linux keeps it in the swap cache slot the page left): what
 * lru_gen_eviction() packs into the token. Host memory, owned by the state. */
struct shadow {
	struct policy_hnode h; /* the evicted page's key */
	struct list_head fifo; /* eviction order; seq never decreases along it */
	uint64_t seq;	       /* min_seq when the page was evicted */
	uint8_t refs;	       /* max(refs - 1, 0) of the evicted page */
	uint8_t workingset;    /* its PG_workingset */
};

struct mglru_state {
	struct list_head lists[MAX_NR_GENS]; /* lrugen->folios: head youngest, tail scanned next */
	uint64_t nr_pages[MAX_NR_GENS];	     /* pages whose gen is this one (not where they sit) */
	uint64_t timestamps[MAX_NR_GENS];    /* birth of each generation, in nr_accesses */
	uint64_t min_seq, max_seq;
	/* The PID controller's inputs by tier, NR_HIST_GENS = 1 (no CONFIG_LRU_GEN_STATS). */
	uint64_t avg_refaulted[MAX_NR_TIERS], avg_total[MAX_NR_TIERS];
	uint64_t refaulted[MAX_NR_TIERS], evicted[MAX_NR_TIERS];
	uint64_t protected_pages[MAX_NR_TIERS - 1];
	struct policy_hash shadows; /* evicted pages' keys -> struct shadow */
	struct list_head shadow_fifo;
	unsigned int caps;
	uint64_t min_ttl;	     /* min_ttl_ms in accesses; 0: off */
	long nr_active, nr_inactive; /* what the Active(anon)/Inactive(anon) gauges hold */
	struct policy classic;	     /* enabled without CAP_CORE: the two-list runs here */
	bool classic_on;
	struct vmscan_ctx *ctx; /* the reclaim in progress (walks, look-around) */
};

static struct mglru_state *state(const struct policy *p)
{
	return p->state;
}

static unsigned int gen_of_seq(uint64_t seq)
{
	return (unsigned int)(seq % MAX_NR_GENS);
}

/* folio_lru_gen(): the page's generation, or -1. */
static int page_gen(const struct page *pg)
{
	return (int)pg->policy.mglru.gen - 1;
}

static unsigned int nr_gens(const struct mglru_state *st)
{
	return (unsigned int)(st->max_seq - st->min_seq + 1);
}

/* folio_lru_refs(): accesses beyond PG_referenced, PG_workingset counting as one more. */
static unsigned int page_refs(const struct page *pg)
{
	return pg->policy.mglru.refs + pg->policy.mglru.workingset;
}

/* lru_tier_from_refs(): order_base_2(refs + 1). */
static unsigned int tier_from_refs(unsigned int refs)
{
	unsigned int tier = 0;

	while ((1u << tier) < refs + 1)
		tier++;
	return tier;
}

/* Linux lru_gen_is_active(): the two youngest generations count as the active list. */
static void sync_gauges(struct policy *p)
{
	struct mglru_state *st = state(p);
	long active = (long)(st->nr_pages[gen_of_seq(st->max_seq)] +
			     st->nr_pages[gen_of_seq(st->max_seq - 1)]);
	long inactive = (long)p->nr_pages - active;

	core_count_mod(p->core, VMSTAT_NR_ACTIVE_ANON, active - st->nr_active);
	core_count_mod(p->core, VMSTAT_NR_INACTIVE_ANON, inactive - st->nr_inactive);
	st->nr_active = active;
	st->nr_inactive = inactive;
}

/* The page's generation flag changes (its list does not). */
static void set_gen(struct mglru_state *st, struct page *pg, unsigned int gen)
{
	int old = page_gen(pg);

	if (old >= 0)
		st->nr_pages[old]--;
	st->nr_pages[gen]++;
	pg->policy.mglru.gen = (uint8_t)(gen + 1);
}

static void clear_refs(struct page *pg)
{
	/* LRU_REFS_MASK | LRU_REFS_FLAGS (PG_referenced, PG_workingset). */
	pg->policy.mglru.refs = 0;
	pg->policy.mglru.workingset = 0;
	pg->policy.mglru.referenced = 0;
}

/* ---- The PID controller (read_ctrl_pos, reset_ctrl_pos, positive_ctrl_err) ---------- */

struct ctrl_pos {
	uint64_t refaulted, total, gain;
};

static struct ctrl_pos read_ctrl_pos(const struct mglru_state *st, unsigned int tier, uint64_t gain)
{
	struct ctrl_pos pos = {
		.refaulted = st->avg_refaulted[tier] + st->refaulted[tier],
		.total = st->avg_total[tier] + st->evicted[tier],
		.gain = gain,
	};

	if (tier)
		pos.total += st->protected_pages[tier - 1];
	return pos;
}

/* When min_seq moves on: the running averages take half of the generation's counts. */
static void reset_ctrl_pos(struct mglru_state *st)
{
	for (unsigned int tier = 0; tier < MAX_NR_TIERS; tier++) {
		uint64_t total = st->avg_total[tier] + st->evicted[tier];

		if (tier)
			total += st->protected_pages[tier - 1];
		st->avg_refaulted[tier] = (st->avg_refaulted[tier] + st->refaulted[tier]) / 2;
		st->avg_total[tier] = total / 2;
		st->refaulted[tier] = 0;
		st->evicted[tier] = 0;
		if (tier)
			st->protected_pages[tier - 1] = 0;
	}
}

/* Is pv's refault rate no worse than sp's (the setpoint)? */
static bool positive_ctrl_err(const struct ctrl_pos *sp, const struct ctrl_pos *pv)
{
	return pv->refaulted < MIN_LRU_BATCH ||
	       pv->refaulted * (sp->total + MIN_LRU_BATCH) * sp->gain <=
		       (sp->refaulted + 1) * pv->total * pv->gain;
}

/* get_tier_idx(): tiers above the returned one are protected from eviction; tier 0 (pages
 * used once) is the setpoint, each higher tier the process variable with gain 2. */
static unsigned int get_tier_idx(const struct mglru_state *st)
{
	struct ctrl_pos sp = read_ctrl_pos(st, 0, 1);
	unsigned int tier;

	for (tier = 1; tier < MAX_NR_TIERS; tier++) {
		struct ctrl_pos pv = read_ctrl_pos(st, tier, 2);

		if (!positive_ctrl_err(&sp, &pv))
			break;
	}
	return tier - 1;
}

/* ---- Shadows (mm/workingset.c) ------------------------------------------------------- */

static void shadow_free(struct mglru_state *st, struct shadow *sh)
{
	policy_hash_del(&st->shadows, &sh->h);
	list_del(&sh->fifo);
	free(sh);
}

/* Shadows older than min_seq can never be recent again (lru_gen_test_recent()). */
static void prune_shadows(struct mglru_state *st)
{
	while (!list_empty(&st->shadow_fifo)) {
		struct shadow *sh = list_entry(st->shadow_fifo.next, struct shadow, fifo);

		if (sh->seq >= st->min_seq)
			break;
		shadow_free(st, sh);
	}
}

/* lru_gen_eviction(): the token of an evicted page; its tier's evicted count. */
static void record_eviction(struct mglru_state *st, struct page *pg)
{
	unsigned int refs = page_refs(pg);
	struct shadow *sh;
	struct policy_hnode *old = policy_hash_find(&st->shadows, policy_page_key(pg));

	st->evicted[tier_from_refs(refs)]++;
	if (old)
		shadow_free(st, (struct shadow *)((char *)old - offsetof(struct shadow, h)));
	sh = malloc(sizeof(*sh));
	/* mmsim: Linux's shadow lives in the swap cache's slot; losing one here would only
	 * make a refault look distant, so a failed allocation is not fatal. */
	if (!sh)
		return;
	sh->h.key = policy_page_key(pg);
	sh->seq = st->min_seq;
	sh->refs = (uint8_t)(refs ? refs - 1 : 0);
	sh->workingset = pg->policy.mglru.workingset;
	policy_hash_add(&st->shadows, &sh->h);
	list_add_tail(&sh->fifo, &st->shadow_fifo);
}

/* lru_gen_refault(), inside a fault (lru_gen_in_fault()). */
static void refault(struct mglru_state *st, struct page *pg)
{
	struct policy_hnode *h = policy_hash_find(&st->shadows, policy_page_key(pg));
	struct shadow *sh;
	unsigned int refs;

	if (!h)
		return;
	sh = (struct shadow *)((char *)h - offsetof(struct shadow, h));
	if (sh->seq == st->min_seq) {
		refs = sh->refs + sh->workingset;
		st->refaulted[tier_from_refs(refs)]++;
		/* A page accessed through page tables that refaults at once was pushed out by
		 * hotter pages: it is protected from the next eviction scan. */
		pg->policy.mglru.refs = LRU_REFS_MAX;
		pg->policy.mglru.workingset = 1;
	}
	shadow_free(st, sh);
}

/* ---- Generations ---------------------------------------------------------------------- */

/* folio_inc_gen(): a page of the oldest generation moves to the next one (or to the one it
 * was already promoted to). Returns its generation. */
static unsigned int inc_gen(struct mglru_state *st, struct page *pg)
{
	unsigned int old_gen = gen_of_seq(st->min_seq);
	int gen = page_gen(pg);

	if (gen >= 0 && (unsigned int)gen != old_gen)
		return (unsigned int)gen;
	clear_refs(pg);
	set_gen(st, pg, (old_gen + 1) % MAX_NR_GENS);
	return (old_gen + 1) % MAX_NR_GENS;
}

/* inc_min_seq(): every page of the oldest generation moves up; min_seq grows. */
static void inc_min_seq(struct mglru_state *st)
{
	struct list_head *head = &st->lists[gen_of_seq(st->min_seq)];

	/* Bounded: each step takes a page off this list. */
	while (!list_empty(head)) {
		struct page *pg = list_entry(head->prev, struct page, lru);

		list_move_tail(&pg->lru, &st->lists[inc_gen(st, pg)]);
	}
	reset_ctrl_pos(st);
	st->min_seq++;
	prune_shadows(st);
}

/* try_to_inc_min_seq(): retires empty oldest generations, keeping MIN_NR_GENS. */
static bool try_to_inc_min_seq(struct mglru_state *st)
{
	bool moved = false;

	while (st->min_seq + MIN_NR_GENS <= st->max_seq &&
	       list_empty(&st->lists[gen_of_seq(st->min_seq)])) {
		reset_ctrl_pos(st);
		st->min_seq++;
		moved = true;
	}
	if (moved)
		prune_shadows(st);
	return moved;
}

/* inc_max_seq(): a new, empty youngest generation, born now. */
static void inc_max_seq(struct policy *p)
{
	struct mglru_state *st = state(p);

	if (nr_gens(st) == MAX_NR_GENS)
		inc_min_seq(st);
	st->timestamps[gen_of_seq(st->max_seq + 1)] = p->core->nr_accesses;
	st->max_seq++;
}

/* ---- Aging: page-table walks (walk_mm, walk_pmd_range, walk_pte_range) ---------------- */

struct walk {
	struct policy *p;
	struct mm_core *core;
	unsigned int new_gen;
	vaddr_t block; /* the 2 MiB block decided last, with its decision */
	bool block_scan;
	paddr_t pte_table;
	uint64_t young; /* PTEs found young (MM_LEAF_YOUNG) */
};

/* The page an entry maps, if it is one of ours (get_pte_pfn(), get_pfn_folio()). */
static struct page *lru_page(struct mm_core *core, uint64_t pte)
{
	pfn_t pfn = x86_pte_pfn(pte, core->cpu->maxphyaddr);
	struct page *pg;

	if (!x86_pte_present(pte) || pfn == core->zero_pfn || pfn >= core->pgdat->nr_pfns)
		return NULL;
	pg = core_page(core, pfn);
	return page_flag_test(pg, PG_LRU) ? pg : NULL;
}

/* The physical address of the PMD entry (PDE) mapping va, or 0 when a level above is
 * absent or a large page. */
static paddr_t pde_addr(struct mm_core *core, struct mm_struct *mm, vaddr_t va)
{
	paddr_t table = mm->pgd;

	for (unsigned int level = core->cpu->levels; level > X86_LEVEL_PDE; level--) {
		uint64_t e = physmem_read64(core->pm, table + x86_pt_index(va, level) * 8u);

		if (!x86_pte_present(e) || x86_pte_large(e))
			return 0;
		table = x86_pte_addr(e, core->cpu->maxphyaddr);
	}
	return table + x86_pt_index(va, X86_LEVEL_PDE) * 8u;
}

/* walk_pmd_range() for one block: whether its PTE table is walked. A PMD entry whose A bit
 * is clear saw no walk since the last aging, so no PTE under it can be young; with
 * CAP_NONLEAF_YOUNG the bit is cleared (pmdp_test_and_clear_young(), no TLB flush). */
static bool decide_block(struct walk *w, struct mm_struct *mm, vaddr_t block)
{
	struct mglru_state *st = state(w->p);
	paddr_t ea = pde_addr(w->core, mm, block);
	uint64_t pde;

	w->block = block;
	w->block_scan = false;
	if (!ea)
		return false;
	pde = physmem_read64(w->core->pm, ea);
	if (!x86_pte_present(pde) || x86_pte_large(pde))
		return false;
	if (st->caps & CAP_NONLEAF_YOUNG) {
		if (!x86_pte_accessed(pde))
			return false;
		physmem_write64(w->core->pm, ea, pde & ~X86_PTE_A);
	}
	w->pte_table = x86_pte_addr(pde, w->core->cpu->maxphyaddr);
	w->block_scan = true;
	return true;
}

/* walk_pte_range() over [start, end) of one PTE table. */
static void walk_ptes(struct walk *w, vaddr_t start, vaddr_t end)
{
	struct mglru_state *st = state(w->p);

	for (vaddr_t va = start; va < end; va += X86_PAGE_SIZE) {
		paddr_t ea = w->pte_table + x86_pt_index(va, X86_LEVEL_PTE) * 8u;
		uint64_t pte = physmem_read64(w->core->pm, ea);
		struct page *pg;

		if (!x86_pte_accessed(pte))
			continue;
		pg = lru_page(w->core, pte);
		if (!pg)
			continue;
		/* ptep_test_and_clear_young(): x86 Linux does not flush the TLB for it. */
		physmem_write64(w->core->pm, ea, pte & ~X86_PTE_A);
		w->young++;
		/* folio_update_gen(): the flag moves, the page stays put on its list. */
		clear_refs(pg);
		set_gen(st, pg, w->new_gen);
	}
}

/* walk_mm() with should_skip_mm() and should_skip_vma(). */
static void walk_mm(void *arg, struct mm_struct *mm)
{
	struct walk *w = arg;

	/* should_skip_mm(): an mm with fewer than MIN_LRU_BATCH resident pages is skipped. */
	if (mm->rss_anon + mm->rss_shmem < MIN_LRU_BATCH)
		return;
	w->block = 1; /* no block decided yet (blocks are 2 MiB aligned) */
	for (struct vma *v = mm->vma_first; v; v = v->next) {
		if (!(v->flags & VM_ACCESS_FLAGS) || (v->flags & VM_LOCKED))
			continue;
		for (vaddr_t va = v->start; va < v->end;) {
			vaddr_t block = va & ~(vaddr_t)(PMD_PAGES * X86_PAGE_SIZE - 1);
			vaddr_t next = block + PMD_PAGES * X86_PAGE_SIZE;
			vaddr_t end = next < v->end && next > block ? next : v->end;

			/* Neighbouring VMAs may share a PTE table: one decision per table. */
			if (block == w->block ? w->block_scan : decide_block(w, mm, block))
				walk_ptes(w, va, end);
			va = end;
		}
	}
}

/* try_to_inc_max_seq(): the walk of every mm (CAP_MM_WALK), then a new generation. */
static void try_to_inc_max_seq(struct policy *p)
{
	struct mglru_state *st = state(p);
	struct walk w = { .p = p, .core = p->core, .new_gen = gen_of_seq(st->max_seq) };

	if ((st->caps & CAP_MM_WALK) && p->core->for_each_mm)
		p->core->for_each_mm(p->core, walk_mm, &w);
	inc_max_seq(p);
	sync_gauges(p);
}

/* should_run_aging(). mmsim: asked before every victim (Linux asks before each batch, and
 * only below DEF_PRIORITY; here there are no priorities). */
static bool should_run_aging(const struct mglru_state *st)
{
	uint64_t young, old, total = 0;

	if (st->min_seq + MIN_NR_GENS > st->max_seq)
		return true;
	if (st->min_seq + MIN_NR_GENS < st->max_seq)
		return false;
	for (uint64_t seq = st->min_seq; seq <= st->max_seq; seq++)
		total += st->nr_pages[gen_of_seq(seq)];
	young = st->nr_pages[gen_of_seq(st->max_seq)];
	old = st->nr_pages[gen_of_seq(st->min_seq)];
	return young * MIN_NR_GENS > total || old * (MIN_NR_GENS + 2) < total;
}

/* ---- Eviction ------------------------------------------------------------------------- */

/* sort_folio(): true when the page was moved rather than offered for eviction. */
static bool sort_page(struct policy *p, struct page *pg, unsigned int tier_idx)
{
	struct mglru_state *st = state(p);
	unsigned int oldest = gen_of_seq(st->min_seq);
	unsigned int refs = page_refs(pg);
	unsigned int tier = tier_from_refs(refs);
	int gen = page_gen(pg);

	/* Promoted by a walk or look-around: to the head of its generation. */
	if (gen >= 0 && (unsigned int)gen != oldest) {
		list_move(&pg->lru, &st->lists[gen]);
		return true;
	}
	/* Protected by its tier, or a recent refault (refs at the maximum). */
	if (tier > tier_idx || refs == (1u << LRU_REFS_WIDTH)) {
		list_move_tail(&pg->lru, &st->lists[inc_gen(st, pg)]);
		st->protected_pages[tier - 1]++;
		return true;
	}
	return false;
}

struct look {
	struct policy *p;
	struct mm_core *core;
	struct page *victim; /* isolated: not promoted, marked referenced instead */
	bool lazy;	     /* a walk is in progress (kswapd): update flags, not lists */
	unsigned int young;
};

/* Activation inside reclaim (folio_activate() for lru_gen): to the youngest list now. */
static void activate(struct mglru_state *st, struct page *pg)
{
	list_move(&pg->lru, &st->lists[gen_of_seq(st->max_seq)]);
	set_gen(st, pg, gen_of_seq(st->max_seq));
}

/* lru_gen_look_around(): the young PTEs near a young one, within its page table and VMA,
 * at most MIN_LRU_BATCH pages around it. */
static void look_around(struct look *lk, struct vma *vma, vaddr_t addr, paddr_t pte_ea)
{
	struct mglru_state *st = state(lk->p);
	const vaddr_t pmd_size = PMD_PAGES * X86_PAGE_SIZE, batch = MIN_LRU_BATCH * X86_PAGE_SIZE;
	vaddr_t start = addr & ~(pmd_size - 1), end = start + pmd_size;
	unsigned int new_gen = gen_of_seq(st->max_seq);
	paddr_t table = pte_ea - x86_pt_index(addr, X86_LEVEL_PTE) * 8u;

	if (start < vma->start)
		start = vma->start;
	if (end > vma->end)
		end = vma->end;
	if (end - start > batch) {
		if (addr - start < batch / 2)
			end = start + batch;
		else if (end - addr < batch / 2)
			start = end - batch;
		else {
			start = addr - batch / 2;
			end = addr + batch / 2;
		}
	}
	for (vaddr_t va = start; va < end; va += X86_PAGE_SIZE) {
		paddr_t ea = table + x86_pt_index(va, X86_LEVEL_PTE) * 8u;
		uint64_t pte = physmem_read64(lk->core->pm, ea);
		struct page *pg;

		if (!x86_pte_accessed(pte))
			continue;
		pg = lru_page(lk->core, pte);
		if (!pg)
			continue;
		physmem_write64(lk->core->pm, ea, pte & ~X86_PTE_A);
		lk->young++;
		if (pg == lk->victim) {
			pg->policy.mglru.referenced = 1; /* off the LRU: folio_set_referenced() */
			continue;
		}
		if (lk->lazy) {
			clear_refs(pg);
			set_gen(st, pg, new_gen);
		} else if (page_gen(pg) != (int)new_gen) {
			activate(st, pg);
		}
	}
}

/* folio_referenced_one() for MGLRU: a young PTE leads to lru_gen_look_around(). */
static bool referenced_one(void *arg, struct vma *vma, vaddr_t addr)
{
	struct look *lk = arg;
	paddr_t ea;
	uint64_t pte;

	if (pgtable_pte_addr(lk->core, vma->mm, addr, false, &ea))
		return true;
	pte = physmem_read64(lk->core->pm, ea);
	if (!x86_pte_present(pte) ||
	    x86_pte_pfn(pte, lk->core->cpu->maxphyaddr) != core_pfn(lk->core, lk->victim))
		return true;
	if (x86_pte_accessed(pte))
		look_around(lk, vma, addr, ea);
	return true;
}

/* min_ttl_ms (lru_gen_age_node(), lruvec_is_reclaimable()): the oldest generation is
 * younger than min_ttl, so the working set of that long is kept and reclaim fails.
 * mmsim: checked in every reclaim, not only kswapd's; the failed allocation then OOM-kills
 * as Linux's kswapd does through out_of_memory(). */
static bool too_young(const struct policy *p)
{
	const struct mglru_state *st = state(p);
	uint64_t birth = st->timestamps[gen_of_seq(st->min_seq)];

	return st->min_ttl && p->core->nr_accesses - birth < st->min_ttl;
}

static struct page *mglru_pick(struct policy *p, struct vmscan_ctx *ctx)
{
	struct mglru_state *st = state(p);
	unsigned int tier_idx;
	struct page *victim = NULL;

	if (st->classic_on) {
		victim = policy_linux.pick_victim(&st->classic, ctx);
		return victim;
	}
	if (!p->nr_pages || too_young(p))
		return NULL;
	st->ctx = ctx;
	tier_idx = get_tier_idx(st);
	/* Bounded: each pass retires a generation, ages, or moves a page up; a page moves up
	 * at most MAX_NR_GENS times through sorting and once more as young (its A bits are
	 * then clear, and nothing runs in between to set them). */
	for (uint64_t n = 0; n < 8 * (p->nr_pages + MAX_NR_GENS); n++) {
		struct list_head *oldest;
		struct page *pg;
		struct look lk = { .p = p,
				   .core = p->core,
				   .lazy = ctx->mode == VMSCAN_KSWAPD ||
					   ctx->mode == VMSCAN_PROACTIVE };

		/* get_nr_to_scan(): the aging decision comes before a batch; within it, only
		 * running out of generations to scan (MIN_NR_GENS left) ages again. */
		if (should_run_aging(st) && (!n || nr_gens(st) <= MIN_NR_GENS)) {
			try_to_inc_max_seq(p);
			continue;
		}
		oldest = &st->lists[gen_of_seq(st->min_seq)];
		if (list_empty(oldest)) {
			if (!try_to_inc_min_seq(st))
				try_to_inc_max_seq(p);
			continue;
		}
		pg = list_entry(oldest->prev, struct page, lru);
		if (sort_page(p, pg, tier_idx)) {
			core_count(p->core, VMSTAT_PGREFILL);
			continue;
		}
		/* isolate_folio(): refs survive only on a page marked referenced. */
		if (!pg->policy.mglru.referenced) {
			pg->policy.mglru.refs = 0;
			pg->policy.mglru.workingset = 0;
		}
		pg->policy.mglru.referenced = 0;
		ctx->nr_scanned++;
		/* shrink_folio_list(), folio_check_references(). */
		lk.victim = pg;
		rmap_walk(pg, referenced_one, &lk);
		if (!lk.young) {
			victim = pg;
			break;
		}
		/* Kept: look-around marked it referenced, so folio_check_references() activates
		 * it; evict_folios() puts it back active, refs cleared: the youngest. */
		vmscan_page_activated(ctx, pg);
		clear_refs(pg);
		activate(st, pg);
	}
	if (!victim) {
		struct list_head *oldest = &st->lists[gen_of_seq(st->min_seq)];

		victim = list_empty(oldest) ? NULL : list_entry(oldest->prev, struct page, lru);
	}
	sync_gauges(p);
	st->ctx = NULL;
	return victim;
}

/* ---- Arrivals and departures ----------------------------------------------------------- */

static void mglru_added(struct policy *p, struct page *pg)
{
	struct mglru_state *st = state(p);
	unsigned int gen = gen_of_seq(st->max_seq);

	if (st->classic_on) {
		policy_linux.page_added(&st->classic, pg);
		p->nr_pages = st->classic.nr_pages;
		return;
	}
	pg->policy.raw = 0;
	refault(st, pg);
	/* folio_add_lru() in a fault marks the page active: lru_gen_add_folio() puts it in the
	 * youngest generation, at the head. A page that reclaim could not take now (busy) goes
	 * back there too (evict_folios() sets PG_active on what it returns). */
	pg->policy.mglru.gen = (uint8_t)(gen + 1);
	st->nr_pages[gen]++;
	list_add(&pg->lru, &st->lists[gen]);
	p->nr_pages++;
	sync_gauges(p);
}

static void mglru_removed(struct policy *p, struct page *pg)
{
	struct mglru_state *st = state(p);
	int gen = page_gen(pg);

	if (st->classic_on) {
		policy_linux.page_removed(&st->classic, pg);
		p->nr_pages = st->classic.nr_pages;
		return;
	}
	MM_BUG_ON(gen < 0);
	if (p->evicting == pg)
		record_eviction(st, pg);
	list_del(&pg->lru);
	st->nr_pages[gen]--;
	pg->policy.raw = 0;
	p->nr_pages--;
	sync_gauges(p);
}

/* ---- Set-up --------------------------------------------------------------------------- */

static int mglru_init(struct policy *p)
{
	struct mglru_state *st = calloc(1, sizeof(*st));
	int err;

	if (!st)
		return -ENOMEM;
	p->state = st;
	st->caps = (unsigned int)p->param[PARAM_ENABLED];
	/* msecs_to_jiffies(): ms in accesses of access_ns each, rounded up. */
	st->min_ttl = (p->param[PARAM_MIN_TTL_MS] * 1000000u + p->param[PARAM_ACCESS_NS] - 1) /
		      p->param[PARAM_ACCESS_NS];
	if (!(st->caps & CAP_CORE)) {
		st->classic = *p;
		st->classic.ops = &policy_linux;
		st->classic.state = NULL;
		st->classic_on = true;
		/* Linux workingset_eviction() without lru_gen_enabled(): classic shadows. */
		p->workingset = true;
		err = policy_linux.init(&st->classic);
		if (err) {
			free(st);
			return err;
		}
		return 0;
	}
	/* lru_gen_init_lruvec(): max_seq = MIN_NR_GENS + 1, every generation born now. */
	for (unsigned int i = 0; i < MAX_NR_GENS; i++)
		list_init(&st->lists[i]);
	st->max_seq = MIN_NR_GENS + 1;
	list_init(&st->shadow_fifo);
	err = policy_hash_init(&st->shadows);
	if (err) {
		free(st);
		return err;
	}
	return 0;
}

static void mglru_fini(struct policy *p)
{
	struct mglru_state *st = state(p);

	if (st->classic_on) {
		policy_linux.fini(&st->classic);
	} else {
		while (!list_empty(&st->shadow_fifo))
			shadow_free(st, list_entry(st->shadow_fifo.next, struct shadow, fifo));
		policy_hash_fini(&st->shadows);
	}
	free(st);
}

static bool mglru_check(const struct policy *p, struct check_report *why)
{
	const struct mglru_state *st = state(p);
	uint64_t by_flag[MAX_NR_GENS] = { 0 };
	uint64_t on_lists = 0;

	if (st->classic_on)
		return policy_linux.check(&st->classic, why);
	if (nr_gens(st) < MIN_NR_GENS || nr_gens(st) > MAX_NR_GENS)
		return check_fail(why, "mglru: %llu generations (min_seq %llu, max_seq %llu)",
				  (unsigned long long)nr_gens(st), (unsigned long long)st->min_seq,
				  (unsigned long long)st->max_seq);
	for (uint64_t seq = st->min_seq; seq <= st->max_seq; seq++) {
		unsigned int list = gen_of_seq(seq);
		const struct list_head *pos;

		for (pos = st->lists[list].next; pos != &st->lists[list] && on_lists <= p->nr_pages;
		     pos = pos->next) {
			const struct page *pg = list_entry(pos, struct page, lru);
			int gen = page_gen(pg);
			uint64_t gseq;

			on_lists++;
			if (gen < 0)
				return check_fail(why, "mglru: a page on list %u has no generation",
						  list);
			by_flag[gen]++;
			/* A flag only moves to younger generations: never older than its list. */
			gseq = st->max_seq - (st->max_seq - (uint64_t)gen) % MAX_NR_GENS;
			if (gseq < seq)
				return check_fail(
					why, "mglru: a page of seq %llu on the list of %llu",
					(unsigned long long)gseq, (unsigned long long)seq);
		}
	}
	if (on_lists != p->nr_pages)
		return check_fail(why, "mglru: %llu pages on the lists, %llu counted",
				  (unsigned long long)on_lists, (unsigned long long)p->nr_pages);
	for (unsigned int g = 0; g < MAX_NR_GENS; g++) {
		if (by_flag[g] != st->nr_pages[g])
			return check_fail(why,
					  "mglru: generation %u holds %llu pages, counted %llu", g,
					  (unsigned long long)by_flag[g],
					  (unsigned long long)st->nr_pages[g]);
	}
	return true;
}

static const struct policy_param mglru_params[] = {
	[PARAM_ENABLED] = { "enabled", 7, 0, 7,
			    "/sys/kernel/mm/lru_gen/enabled: 1 core, 2 page-table walks, 4 "
			    "non-leaf PMD young (x86 default 7); 0 runs the two-list linux" },
	[PARAM_MIN_TTL_MS] = { "min_ttl_ms", 0, 0, UINT32_MAX,
			       "/sys/kernel/mm/lru_gen/min_ttl_ms: keep the working set of the "
			       "last N ms, OOM-kill instead (0: off)" },
	[PARAM_ACCESS_NS] = { "access_ns", 1000, 1, 1000000000,
			      "mmsim's clock for min_ttl_ms: simulated ns per user access" },
};

const struct policy_ops policy_mglru = {
	.name = "mglru",
	.summary = "Linux's multi-generational LRU (6.6): generations aged by page-table walks",
	.params = mglru_params,
	.nr_params = 3,
	.init = mglru_init,
	.fini = mglru_fini,
	.page_added = mglru_added,
	.page_removed = mglru_removed,
	.pick_victim = mglru_pick,
	.check = mglru_check,
};
