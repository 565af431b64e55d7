/*
 * arch/x86_64/tlb.c: the TLB hierarchy (Intel SDM Vol. 3A §4.10; see tlb.h for the rules).
 *
 * Layout. Every configured array is a set-associative store of entries, each split in a
 * 16-byte tag that lookups compare (dense, so a 12-way set is three host cache lines) and a
 * payload read only on a hit. A view is what one access consults at one level: the L1
 * arrays of its side (data or instruction), or the L2 arrays it sees (the shared STLB plus
 * the side's own L2). Views list their arrays by the smallest page size they hold, 4 KiB
 * first, and say for each page size which array a fill goes to and at what size (a smaller
 * one when the view has no array for the page's own size: the page is then cached in
 * pieces, as AMD's L2 "smashes" 1 GiB pages).
 *
 * A lookup forms key = (va & ~0xfff) | PCID once; a tag matches when (key & mask) == tag
 * key, which tests page and PCID (or global) at once (struct tlb_tag). The hit loop thus
 * does one AND and one compare per way.
 *
 * The hot path is tlb_translate() down to the rights check. It remembers, per side, the
 * entry the last access used and the 4 KiB page it was for: a next access to the same page
 * with the same PCID, with no TLB change in between, would find the same entry first (every
 * probe depends only on the page number) and touching the most recently used way changes no
 * replacement state (tlb_repl.h), so the shortcut skips the search and is exact. Every
 * invalidation forgets it; every L1 fill replaces it.
 */
#include "arch/x86_64/tlb.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "arch/x86_64/cr.h"
#include "arch/x86_64/pte.h"
#include "util/macros.h"

enum tlb_side {
	SIDE_DATA = 0,
	SIDE_INSTR = 1,
	NR_SIDES = 2,
};

#define NR_PAGE_SIZES 3 /* 4 KiB, 2 MiB, 1 GiB: size index 0, 1, 2 */
#define LAST_NONE UINT64_MAX

enum entry_flag {
	E_USER = 1u << 0,     /* U/S=1 at every level */
	E_WRITABLE = 1u << 1, /* R/W=1 at every level */
	E_NX_CLEAR = 1u << 2, /* XD=0 at every level; EFER.NXE applies at each hit */
	E_DIRTY = 1u << 3,    /* the leaf's D was 1 when cached */
	E_GLOBAL = 1u << 4,   /* the leaf's G, with CR4.PGE set */
};

/*
 * What a lookup compares. key is the first address covered with, for a non-global entry,
 * the PCID in its low 12 bits; mask keeps the covered address bits and, for a non-global
 * entry, the PCID bits. An invalid tag has mask 0 and key 1, which no lookup key matches.
 */
struct tlb_tag {
	uint64_t key;
	uint64_t mask;
};

#define KEY_PCID_BITS ((uint64_t)X86_CR3_PCID_MASK) /* low 12 bits of a key */

/* What a hit needs besides the tag, at the same index. */
struct tlb_entry {
	paddr_t pa;	    /* physical address of the first byte covered */
	uint16_t pcid;	    /* PCID current when made (0 with CR4.PCIDE=0) */
	uint8_t shift;	    /* bytes covered = 2^shift: 12, 21 or 30 */
	uint8_t page_shift; /* the page's size in the paging structures, >= shift */
	uint8_t flags;	    /* enum entry_flag */
	uint8_t pkey;	    /* the leaf's protection key */
	uint8_t probe;	    /* probe_of(its array, shift): its nr_valid[] count */
};

struct tlb_array {
	struct tlb_tag *tags;	   /* nr_sets * ways, set-major */
	struct tlb_entry *entries; /* payloads, same indexes */
	unsigned int nr_sets;	   /* power of two */
	unsigned int ways;
	unsigned int nr_probes; /* sets to look at: 1 if fully associative, else one per size */
	uint8_t probe_shift[NR_PAGE_SIZES];
	bool splintered; /* may hold pieces of larger pages: INVLPG scans every set */
	/* Valid entries a probe can find, by probe index (all under probe 0 with one set): a
	 * probe with none is skipped, which changes nothing a lookup finds or touches. */
	unsigned int nr_valid[NR_PAGE_SIZES];
	uint8_t probe_by_size[NR_PAGE_SIZES]; /* probe_of_slow() for each size index */
	enum tlb_struct_id where;
	struct tlb_repl repl;
};

struct tlb_view {
	unsigned int nr_arrays;
	struct tlb_array *arrays[NR_PAGE_SIZES];     /* lookup order; sizes are disjoint, so <= 3 */
	struct tlb_array *fill_array[NR_PAGE_SIZES]; /* by page size index; NULL: not cached */
	uint8_t fill_shift[NR_PAGE_SIZES];	     /* size of the entry made for that page */
	uint8_t fill_probe[NR_PAGE_SIZES];	     /* probe_of(fill_array, fill_shift) */
};

/* The entry the last access of a side used (see the file comment). */
struct tlb_last {
	uint64_t vpn; /* va >> 12 of that access; LAST_NONE when unset */
	uint16_t pcid;
	const struct tlb_entry *e;
};

/* A translation to cache: the page it lies in and what the CPU keeps of it. */
struct xlat {
	paddr_t page_pa;	 /* base of the whole page */
	unsigned int page_shift; /* 12, 21, 30 */
	unsigned int size_idx;	 /* size_index(page_shift) */
	uint16_t pcid;
	uint8_t flags;
	uint8_t pkey;
};

struct tlb {
	struct tlb_view l1[NR_SIDES];
	struct tlb_view l2[NR_SIDES];
	struct tlb_last last[NR_SIDES];
	uint64_t *lookups[3]; /* counter per access kind: dTLB-loads, dTLB-stores, iTLB-loads */
	uint64_t *misses[3];
	struct tlb_stats stats;
	struct pwc *pwc; /* NULL when no paging-structure cache is configured */
	unsigned int nr_arrays;
	unsigned int viewed[NR_SIDES]; /* bit i: arrays[i] is in the side's L1 or L2 view */
	bool bare; /* no array and no paging-structure cache: walk_bare() serves every miss */
	struct tlb_array arrays[TLB_MAX_ARRAYS];
	struct tlb_config cfg;
	tlb_walk_hook_fn walk_hook; /* explain mode: told of every walk; NULL when off */
	void *walk_ctx;
};

const struct tlb_stat_desc tlb_stat_names[] = {
	{ .name = "dTLB-loads", .offset = offsetof(struct tlb_stats, dtlb_loads) },
	{ .name = "dTLB-load-misses", .offset = offsetof(struct tlb_stats, dtlb_load_misses) },
	{ .name = "dTLB-stores", .offset = offsetof(struct tlb_stats, dtlb_stores) },
	{ .name = "dTLB-store-misses", .offset = offsetof(struct tlb_stats, dtlb_store_misses) },
	{ .name = "iTLB-loads", .offset = offsetof(struct tlb_stats, itlb_loads) },
	{ .name = "iTLB-load-misses", .offset = offsetof(struct tlb_stats, itlb_load_misses) },
	{ .name = "stlb_hits", .offset = offsetof(struct tlb_stats, stlb_hits) },
	{ .name = "page_walks", .offset = offsetof(struct tlb_stats, page_walks) },
	{ .name = "walk_mem_refs", .offset = offsetof(struct tlb_stats, walk_mem_refs) },
	{ .name = "walk_faults", .offset = offsetof(struct tlb_stats, walk_faults) },
	{ .name = "dirty_assists", .offset = offsetof(struct tlb_stats, dirty_assists) },
	{ .name = "rights_rewalks", .offset = offsetof(struct tlb_stats, rights_rewalks) },
	{ .name = "pwc_pde_hits", .offset = offsetof(struct tlb_stats, pwc_hits[PWC_PDE]) },
	{ .name = "pwc_pdpte_hits", .offset = offsetof(struct tlb_stats, pwc_hits[PWC_PDPTE]) },
	{ .name = "pwc_pml4e_hits", .offset = offsetof(struct tlb_stats, pwc_hits[PWC_PML4E]) },
	{ .name = "pwc_pml5e_hits", .offset = offsetof(struct tlb_stats, pwc_hits[PWC_PML5E]) },
	{ .name = "tlb_flush_all", .offset = offsetof(struct tlb_stats, tlb_flush_all) },
	{ .name = "tlb_flush_cr3", .offset = offsetof(struct tlb_stats, tlb_flush_cr3) },
	{ .name = "tlb_flush_pcid", .offset = offsetof(struct tlb_stats, tlb_flush_pcid) },
	{ .name = "invlpg", .offset = offsetof(struct tlb_stats, invlpg) },
	{ .name = "invpcid_addr", .offset = offsetof(struct tlb_stats, invpcid_addr) },
};

const unsigned int tlb_stat_count = ARRAY_SIZE(tlb_stat_names);

static inline unsigned int size_index(unsigned int page_shift)
{
	return (page_shift - X86_PAGE_SHIFT) / X86_PT_INDEX_BITS;
}

static unsigned int index_shift(unsigned int idx)
{
	return X86_PAGE_SHIFT + X86_PT_INDEX_BITS * idx;
}

static inline uint64_t lookup_key(vaddr_t va, uint16_t pcid)
{
	return (va & X86_PAGE_MASK) | pcid;
}

static inline bool tag_matches(const struct tlb_tag *t, uint64_t key)
{
	return (key & t->mask) == t->key;
}

static void tag_clear(struct tlb_tag *t)
{
	t->key = 1;
	t->mask = 0;
}

static bool tag_valid(const struct tlb_tag *t)
{
	return t->mask != 0;
}

static bool tag_global(const struct tlb_tag *t)
{
	return (t->mask & KEY_PCID_BITS) == 0;
}

/* The entry was made for the page that contains va (any piece of it). */
static bool entry_for_page(const struct tlb_tag *t, const struct tlb_entry *e, vaddr_t va)
{
	return tag_valid(t) && (((t->key & X86_PAGE_MASK) ^ va) >> e->page_shift) == 0;
}

/* The probe that finds an entry covering 2^shift bytes (computed by array_init()). */
static unsigned int probe_of_slow(const struct tlb_array *a, unsigned int shift)
{
	for (unsigned int p = 1; p < a->nr_probes; p++) {
		if (a->probe_shift[p] == shift)
			return p;
	}
	return 0;
}

static inline unsigned int probe_of(const struct tlb_array *a, unsigned int shift)
{
	return a->probe_by_size[size_index(shift)];
}

static unsigned int array_nr_valid(const struct tlb_array *a)
{
	return a->nr_valid[0] + a->nr_valid[1] + a->nr_valid[2];
}

/* Invalidates entry i of an array; under LRU it becomes the set's next victim. */
static void slot_clear(struct tlb_array *a, size_t i)
{
	if (!tag_valid(&a->tags[i]))
		return;
	a->nr_valid[a->entries[i].probe]--;
	tag_clear(&a->tags[i]);
	tlb_repl_forget(&a->repl, (unsigned int)(i / a->ways), (unsigned int)(i % a->ways));
}

static inline vaddr_t cover_low(const struct tlb_entry *e)
{
	return (UINT64_C(1) << e->shift) - 1;
}

static void forget_last(struct tlb *tlb)
{
	for (unsigned int s = 0; s < NR_SIDES; s++)
		tlb->last[s] = (struct tlb_last){ .vpn = LAST_NONE };
}

/* --- lookup and fill ------------------------------------------------------------------- */

/*
 * The lowest way of the probed sets whose tag matches key, touched as just used. The touch
 * is tlb_repl_touch_used(): a valid way is never a forgotten one, since slot_clear() forgets
 * each way it invalidates and a fill takes the victim, so under LRU the forgotten ways of a
 * set are exactly its invalid ones (tlb_check() verifies it).
 */
static inline struct tlb_entry *array_lookup(struct tlb_array *a, uint64_t key)
{
	for (unsigned int p = 0; p < a->nr_probes; p++) {
		unsigned int set;
		size_t first;
		const struct tlb_tag *t;

		/* First, so that an empty probe costs one load and a test. */
		if (!a->nr_valid[p])
			continue;
		set = (unsigned int)(key >> a->probe_shift[p]) & (a->nr_sets - 1);
		first = (size_t)set * a->ways;
		t = &a->tags[first];
		for (unsigned int w = 0; w < a->ways; w++) {
			if (tag_matches(&t[w], key)) {
				tlb_repl_touch_used(&a->repl, set, w);
				return &a->entries[first + w];
			}
		}
	}
	return NULL;
}

static inline struct tlb_entry *view_lookup(const struct tlb_view *v, uint64_t key)
{
	for (unsigned int i = 0; i < v->nr_arrays; i++) {
		struct tlb_entry *e = array_lookup(v->arrays[i], key);

		if (e)
			return e;
	}
	return NULL;
}

/* Caches x for va in the view; returns the entry made, or NULL if the view cannot hold it. */
static struct tlb_entry *view_fill(struct tlb_view *v, vaddr_t va, const struct xlat *x)
{
	unsigned int idx = x->size_idx;
	struct tlb_array *a = v->fill_array[idx];
	unsigned int shift = v->fill_shift[idx];
	unsigned int probe = v->fill_probe[idx];
	vaddr_t low = (UINT64_C(1) << shift) - 1;
	vaddr_t page_low = (UINT64_C(1) << x->page_shift) - 1;
	uint64_t pcid_bits = (x->flags & E_GLOBAL) ? 0 : KEY_PCID_BITS;
	unsigned int set, way;
	struct tlb_tag *t;
	size_t first;

	if (!a)
		return NULL;
	set = (unsigned int)(va >> shift) & (a->nr_sets - 1);
	first = (size_t)set * a->ways;
	t = &a->tags[first];
	way = 0;
	if (a->repl.kind != TLB_REPL_LRU) {
		while (way < a->ways && tag_valid(&t[way]))
			way++;
	}
	/* Under LRU invalid ways are the oldest (slot_clear), so the victim is one if any. */
	if (a->repl.kind == TLB_REPL_LRU || way == a->ways)
		way = tlb_repl_replace(&a->repl, set);
	else
		tlb_repl_touch(&a->repl, set, way);
	if (tag_valid(&t[way]))
		a->nr_valid[a->entries[first + way].probe]--;
	a->nr_valid[probe]++;
	t[way] = (struct tlb_tag){
		.key = (va & ~low) | (x->pcid & pcid_bits),
		.mask = ~low | pcid_bits,
	};
	a->entries[first + way] = (struct tlb_entry){
		.pa = x->page_pa | (va & page_low & ~low),
		.pcid = x->pcid,
		.shift = (uint8_t)shift,
		.page_shift = (uint8_t)x->page_shift,
		.flags = x->flags,
		.pkey = x->pkey,
		.probe = (uint8_t)probe,
	};
	if (shift < x->page_shift)
		a->splintered = true;
	return &a->entries[first + way];
}

/* The translation an entry that covers va holds (for an L2 hit refilling L1). */
static struct xlat xlat_of_entry(const struct tlb_entry *e, vaddr_t va)
{
	vaddr_t page_low = (UINT64_C(1) << e->page_shift) - 1;

	return (struct xlat){
		.page_pa = e->pa - (va & ~cover_low(e) & page_low),
		.page_shift = e->page_shift,
		.size_idx = size_index(e->page_shift),
		.pcid = e->pcid,
		.flags = e->flags,
		.pkey = e->pkey,
	};
}

/* x86_access_check() on the rights and key the entry cached: 0, or a #PF error code. */
static inline uint32_t cached_rights_check(const struct x86_cpu *cpu, const struct tlb_entry *e,
					   enum x86_access_kind kind, bool user)
{
	bool exec = !cpu->nxe || (e->flags & E_NX_CLEAR);

	return x86_access_check(cpu, e->flags & E_USER, e->flags & E_WRITABLE, exec,
				x86_pte_set_pkey(0, e->pkey), kind, user);
}

/*
 * The cached rights allow the access and, for a write, the cached leaf is dirty. A user
 * access with protection keys off is decided here from the flags alone, as
 * x86_access_check() decides it (SDM §4.6.1: U/S at every level; R/W for a write; XD clear
 * for a fetch when EFER.NXE=1), without the call.
 */
static inline bool hit_allows(const struct x86_cpu *cpu, const struct tlb_entry *e,
			      enum x86_access_kind kind, bool user)
{
	if (user && !cpu->pke) {
		unsigned int need = E_USER;

		if (kind == X86_ACCESS_WRITE)
			need |= E_WRITABLE | E_DIRTY;
		else if (kind == X86_ACCESS_FETCH && cpu->nxe)
			need |= E_NX_CLEAR;
		return (e->flags & need) == need;
	}
	if (cached_rights_check(cpu, e, kind, user))
		return false;
	return kind != X86_ACCESS_WRITE || (e->flags & E_DIRTY);
}

static inline void hit_result(const struct tlb_entry *e, vaddr_t va, enum tlb_source src,
			      struct tlb_result *res)
{
	res->outcome = X86_WALK_OK;
	res->source = src;
	res->pa = e->pa | (va & cover_low(e));
	res->page_shift = e->page_shift;
}

/* --- invalidation ---------------------------------------------------------------------- */

enum page_rule {
	PAGE_PCID_OR_GLOBAL, /* INVLPG, #PF: entries that would translate va in this PCID */
	PAGE_PCID_NONGLOBAL, /* INVPCID type 0 */
};

static bool page_rule_selects(const struct tlb_tag *t, const struct tlb_entry *e, vaddr_t va,
			      uint16_t pcid, enum page_rule rule)
{
	bool global = tag_global(t);

	if (!entry_for_page(t, e, va))
		return false;
	if (rule == PAGE_PCID_OR_GLOBAL)
		return e->pcid == pcid || global;
	return e->pcid == pcid && !global;
}

static void invalidate_page_in(struct tlb_array *a, vaddr_t va, uint16_t pcid, enum page_rule rule)
{
	if (!array_nr_valid(a))
		return;
	/* Whole pages sit in the set their own size selects; pieces may sit anywhere. */
	if (a->splintered || a->nr_sets == 1) {
		size_t n = (size_t)a->nr_sets * a->ways;

		for (size_t i = 0; i < n; i++) {
			if (page_rule_selects(&a->tags[i], &a->entries[i], va, pcid, rule))
				slot_clear(a, i);
		}
		return;
	}
	for (unsigned int p = 0; p < a->nr_probes; p++) {
		unsigned int set = (unsigned int)(va >> a->probe_shift[p]) & (a->nr_sets - 1);
		size_t first = (size_t)set * a->ways;

		if (!a->nr_valid[p])
			continue;
		for (size_t i = first; i < first + a->ways; i++) {
			const struct tlb_tag *t = &a->tags[i];

			/* Not splintered: every entry covers its whole page, so the tag alone
			 * says whether it is for va's page (what entry_for_page() decides). */
			if (!tag_valid(t) || ((t->key ^ va) & t->mask & X86_PAGE_MASK))
				continue;
			if (page_rule_selects(t, &a->entries[i], va, pcid, rule))
				slot_clear(a, i);
		}
	}
}

static void invalidate_page_all(struct tlb *tlb, vaddr_t va, uint16_t pcid, enum page_rule rule)
{
	if (tlb->bare)
		return; /* nothing cached, nothing remembered (tlb->last is set by L1 fills) */
	for (unsigned int i = 0; i < tlb->nr_arrays; i++)
		invalidate_page_in(&tlb->arrays[i], va, pcid, rule);
	forget_last(tlb);
}

/*
 * The #PF invalidation (rule 4) of a walk that missed the side's L1 and L2 views just
 * before (walk_fill()'s callers: translate_miss() after both lookups failed, hit_rewalk()
 * after it removed the page from both views), with no TLB change since. Such a search
 * found no entry covering va in this PCID or global, and in an array that holds no pieces
 * of larger pages every entry PAGE_PCID_OR_GLOBAL selects covers va: there is nothing to
 * remove in those arrays, so only the others are scanned. Without a walk hook only, so no
 * code outside this file runs between the search and here.
 */
static void invalidate_page_missed(struct tlb *tlb, unsigned int side, vaddr_t va, uint16_t pcid)
{
	if (tlb->walk_hook) {
		invalidate_page_all(tlb, va, pcid, PAGE_PCID_OR_GLOBAL);
		return;
	}
	for (unsigned int i = 0; i < tlb->nr_arrays; i++) {
		struct tlb_array *a = &tlb->arrays[i];

		if (!(tlb->viewed[side] >> i & 1) || a->splintered)
			invalidate_page_in(a, va, pcid, PAGE_PCID_OR_GLOBAL);
	}
	forget_last(tlb);
}

enum flush_rule {
	FLUSH_ALL,	      /* every entry */
	FLUSH_NONGLOBAL,      /* every non-global entry, any PCID */
	FLUSH_NONGLOBAL_PCID, /* the non-global entries of one PCID */
};

static void flush_entries(struct tlb *tlb, enum flush_rule rule, uint16_t pcid)
{
	if (tlb->bare)
		return;
	for (unsigned int i = 0; i < tlb->nr_arrays; i++) {
		struct tlb_array *a = &tlb->arrays[i];
		size_t n = (size_t)a->nr_sets * a->ways;
		bool splintered = false;

		/* An empty array has nothing to clear: the scan below would find no valid entry
		 * (a SIGSEGV storm under PTI without PCID flushes twice an access). */
		if (!array_nr_valid(a))
			n = 0;
		for (size_t j = 0; j < n; j++) {
			const struct tlb_entry *e = &a->entries[j];
			struct tlb_tag *t = &a->tags[j];
			bool global = tag_global(t);

			if (!tag_valid(t))
				continue;
			if (rule == FLUSH_ALL ||
			    (!global && (rule == FLUSH_NONGLOBAL || e->pcid == pcid)))
				slot_clear(a, j);
			else
				splintered |= e->shift < e->page_shift;
		}
		a->splintered = splintered;
	}
	forget_last(tlb);
}

/* --- the slow paths -------------------------------------------------------------------- */

/*
 * The 4 KiB PTE a faulting walk read last, or 0 when it stopped above level 1 or in the HLAT
 * tables (not the tables the kernel edits).
 */
static paddr_t walk_pte_addr(const struct x86_walk_result *w)
{
	if (!w->nr_steps || w->steps[w->nr_steps - 1].level != X86_LEVEL_PTE ||
	    w->paging == X86_PAGING_HLAT)
		return 0;
	return w->steps[w->nr_steps - 1].entry_addr;
}

/*
 * The walk of both slow paths: from start (with HLAT on, the whole x86_walk()), the walk
 * hook, the walk counters and res: true with pa and page_shift when va translates, false
 * with the fault's error code, cr2 and PTE address when it does not.
 */
static inline bool walk_counted(struct tlb *tlb, const struct x86_cpu *cpu, struct physmem *pm,
				vaddr_t va, enum x86_access_kind kind, bool user,
				const struct x86_walk_start *start, struct x86_walk_result *w,
				struct tlb_result *res)
{
	if (cpu->hlat)
		x86_walk(cpu, pm, va, kind, user, w);
	else
		x86_walk_from(cpu, pm, va, kind, user, start, w);
	if (tlb->walk_hook)
		tlb->walk_hook(tlb->walk_ctx, va, w);
	tlb->stats.page_walks++;
	tlb->stats.walk_mem_refs += w->mem_refs;
	res->source = TLB_SRC_WALK;
	res->outcome = w->outcome;
	if (w->outcome != X86_WALK_OK) {
		tlb->stats.walk_faults++;
		res->error_code = w->error_code;
		res->cr2 = w->cr2;
		res->pte_addr = walk_pte_addr(w);
		return false;
	}
	res->pa = w->pa;
	res->page_shift = w->page_shift;
	return true;
}

/*
 * A walk through the paging-structure caches; on success the translation is cached in the
 * side's L2 then L1 view. Rule 4 of tlb.h on failure.
 */
static void walk_fill(struct tlb *tlb, const struct x86_cpu *cpu, struct physmem *pm, vaddr_t va,
		      enum x86_access_kind kind, bool user, unsigned int side,
		      struct tlb_result *res)
{
	uint16_t pcid = x86_cr3_pcid(cpu);
	/* mmsim: with HLAT on, no paging-structure cache is used or filled (docs/x86.md). */
	bool use_pwc = tlb->pwc && !cpu->hlat;
	struct x86_walk_start start;
	struct x86_walk_result w;
	struct tlb_entry *e1;
	struct xlat x;

	if (use_pwc) {
		enum pwc_level hit = pwc_walk_start(tlb->pwc, cpu, va, &start);

		if (hit != PWC_MISS)
			tlb->stats.pwc_hits[hit]++;
	} else {
		start = x86_walk_start_at(cpu, x86_cr3_root(cpu));
	}
	if (!walk_counted(tlb, cpu, pm, va, kind, user, &start, &w, res)) {
		/* SDM §4.10.4.1: the #PF invalidates what would translate va in this PCID. */
		invalidate_page_missed(tlb, side, va, pcid);
		if (tlb->pwc)
			pwc_invalidate_va(tlb->pwc, va, pcid);
		return;
	}
	if (use_pwc)
		pwc_fill(tlb->pwc, cpu, va, &start, &w);

	x = (struct xlat){
		.page_pa = w.pa & ~((UINT64_C(1) << w.page_shift) - 1),
		.page_shift = w.page_shift,
		.size_idx = size_index(w.page_shift),
		.pcid = pcid,
		.flags = (uint8_t)((w.user ? E_USER : 0) | (w.writable ? E_WRITABLE : 0) |
				   (w.executable ? E_NX_CLEAR : 0) |
				   (x86_pte_dirty(w.leaf) ? E_DIRTY : 0) |
				   (x86_pte_global(w.leaf) && cpu->pge ? E_GLOBAL : 0)),
		.pkey = (uint8_t)x86_pte_pkey(w.leaf),
	};
	view_fill(&tlb->l2[side], va, &x);
	e1 = view_fill(&tlb->l1[side], va, &x);
	if (e1)
		tlb->last[side] =
			(struct tlb_last){ .vpn = va >> X86_PAGE_SHIFT, .pcid = pcid, .e = e1 };
}

/*
 * A hit that cannot complete: a write through an entry cached with D=0 (rule 2), or
 * cached rights that deny the access (rule 3). Drop what this side caches for the page,
 * then walk again.
 */
static __attribute__((noinline)) void hit_rewalk(struct tlb *tlb, const struct x86_cpu *cpu,
						 struct physmem *pm, vaddr_t va,
						 enum x86_access_kind kind, bool user,
						 unsigned int side, const struct tlb_entry *e,
						 struct tlb_result *res)
{
	uint16_t pcid = x86_cr3_pcid(cpu);

	if (cached_rights_check(cpu, e, kind, user))
		tlb->stats.rights_rewalks++;
	else
		tlb->stats.dirty_assists++;
	for (unsigned int i = 0; i < tlb->l1[side].nr_arrays; i++)
		invalidate_page_in(tlb->l1[side].arrays[i], va, pcid, PAGE_PCID_OR_GLOBAL);
	for (unsigned int i = 0; i < tlb->l2[side].nr_arrays; i++)
		invalidate_page_in(tlb->l2[side].arrays[i], va, pcid, PAGE_PCID_OR_GLOBAL);
	forget_last(tlb);
	walk_fill(tlb, cpu, pm, va, kind, user, side, res);
}

/*
 * A machine with no TLB array and no paging-structure cache: every lookup misses and every
 * walk starts at CR3, with the counters and the #PF rule of walk_fill() and nothing to
 * search, fill or invalidate.
 */
static inline void walk_bare(struct tlb *tlb, const struct x86_cpu *cpu, struct physmem *pm,
			     vaddr_t va, enum x86_access_kind kind, bool user,
			     struct tlb_result *res)
{
	struct x86_walk_start start = x86_walk_start_at(cpu, x86_cr3_root(cpu));
	struct x86_walk_result w;

	(*tlb->lookups[kind])++;
	(*tlb->misses[kind])++;
	walk_counted(tlb, cpu, pm, va, kind, user, &start, &w, res);
}

/* A non-canonical va: #GP, before any lookup (it never matches an entry). */
static void translate_gp(struct tlb_result *res)
{
	res->outcome = X86_WALK_GP;
	res->source = TLB_SRC_WALK;
}

/* tlb_translate() on a machine with nothing cached: translate_miss() without its lookups. */
static __attribute__((noinline)) void bare_translate(struct tlb *tlb, const struct x86_cpu *cpu,
						     struct physmem *pm, vaddr_t va,
						     enum x86_access_kind kind, bool user,
						     struct tlb_result *res)
{
	if (!x86_canonical(cpu, va))
		translate_gp(res);
	else
		walk_bare(tlb, cpu, pm, va, kind, user, res);
}

/* An L1 miss: the canonical check (a non-canonical va never matches an entry), L2, walk. */
static __attribute__((noinline)) void translate_miss(struct tlb *tlb, const struct x86_cpu *cpu,
						     struct physmem *pm, vaddr_t va,
						     enum x86_access_kind kind, bool user,
						     unsigned int side, struct tlb_result *res)
{
	uint16_t pcid = x86_cr3_pcid(cpu);
	struct tlb_entry *e2;

	if (!x86_canonical(cpu, va)) {
		translate_gp(res);
		return;
	}
	(*tlb->lookups[kind])++;
	e2 = view_lookup(&tlb->l2[side], lookup_key(va, pcid));
	if (!e2) {
		(*tlb->misses[kind])++;
		walk_fill(tlb, cpu, pm, va, kind, user, side, res);
		return;
	}
	tlb->stats.stlb_hits++;
	if (!hit_allows(cpu, e2, kind, user)) {
		hit_rewalk(tlb, cpu, pm, va, kind, user, side, e2, res);
		return;
	}
	{
		struct xlat x = xlat_of_entry(e2, va);
		struct tlb_entry *e1 = view_fill(&tlb->l1[side], va, &x);

		if (e1)
			tlb->last[side] = (struct tlb_last){ .vpn = va >> X86_PAGE_SHIFT,
							     .pcid = pcid,
							     .e = e1 };
	}
	hit_result(e2, va, TLB_SRC_L2, res);
}

/* --- the hot path ---------------------------------------------------------------------- */

void tlb_translate(struct tlb *tlb, const struct x86_cpu *cpu, struct physmem *pm, vaddr_t va,
		   enum x86_access_kind kind, bool user, struct tlb_result *res)
{
	unsigned int side = kind == X86_ACCESS_FETCH ? SIDE_INSTR : SIDE_DATA;
	struct tlb_last *last = &tlb->last[side];
	uint16_t pcid;
	const struct tlb_entry *e;

	/* Nothing cached (tlb=off): translate_miss() would come to walk_bare() at once. */
	if (tlb->bare) {
		bare_translate(tlb, cpu, pm, va, kind, user, res);
		return;
	}
	pcid = x86_cr3_pcid(cpu);
	if (last->vpn == va >> X86_PAGE_SHIFT && last->pcid == pcid) {
		e = last->e;
	} else {
		e = view_lookup(&tlb->l1[side], lookup_key(va, pcid));
		if (!e) {
			translate_miss(tlb, cpu, pm, va, kind, user, side, res);
			return;
		}
		*last = (struct tlb_last){ .vpn = va >> X86_PAGE_SHIFT, .pcid = pcid, .e = e };
	}
	(*tlb->lookups[kind])++;
	if (!hit_allows(cpu, e, kind, user)) {
		hit_rewalk(tlb, cpu, pm, va, kind, user, side, e, res);
		return;
	}
	hit_result(e, va, TLB_SRC_L1, res);
}

/* --- instructions ---------------------------------------------------------------------- */

bool tlb_write_cr3(struct tlb *tlb, struct x86_cpu *cpu, uint64_t new_cr3)
{
	uint64_t rsvd = ~((UINT64_C(1) << cpu->maxphyaddr) - 1) & ~X86_CR3_NOFLUSH;
	bool noflush = (new_cr3 & X86_CR3_NOFLUSH) != 0;
	uint16_t pcid;

	/* Bits MAXPHYADDR..62 are reserved; bit 63 is one only as PCIDE's no-flush hint. */
	if ((new_cr3 & rsvd) || (noflush && !cpu->pcide))
		return false;
	cpu->cr3 = new_cr3 & ~X86_CR3_NOFLUSH;
	forget_last(tlb);
	if (noflush)
		return true;
	pcid = x86_cr3_pcid(cpu);
	flush_entries(tlb, FLUSH_NONGLOBAL_PCID, pcid);
	if (tlb->pwc)
		pwc_flush_pcid(tlb->pwc, pcid);
	tlb->stats.tlb_flush_cr3++;
	return true;
}

void tlb_invlpg(struct tlb *tlb, const struct x86_cpu *cpu, vaddr_t va)
{
	uint16_t pcid = x86_cr3_pcid(cpu);

	tlb->stats.invlpg++;
	if (!x86_canonical(cpu, va))
		return;
	invalidate_page_all(tlb, va, pcid, PAGE_PCID_OR_GLOBAL);
	if (tlb->pwc)
		pwc_flush_pcid(tlb->pwc, pcid);
}

bool tlb_invpcid(struct tlb *tlb, const struct x86_cpu *cpu, unsigned int type, uint64_t pcid,
		 vaddr_t va)
{
	if (type > TLB_INVPCID_ALL_NONGLOBAL || pcid > X86_CR3_PCID_MASK)
		return false;
	if (type == TLB_INVPCID_ADDR && !x86_canonical(cpu, va))
		return false;
	if (type <= TLB_INVPCID_SINGLE && !cpu->pcide && pcid != 0)
		return false;

	switch ((enum tlb_invpcid_type)type) {
	case TLB_INVPCID_ADDR:
		tlb->stats.invpcid_addr++;
		invalidate_page_all(tlb, va, (uint16_t)pcid, PAGE_PCID_NONGLOBAL);
		if (tlb->pwc)
			pwc_flush_pcid(tlb->pwc, (uint16_t)pcid);
		break;
	case TLB_INVPCID_SINGLE:
		tlb->stats.tlb_flush_pcid++;
		flush_entries(tlb, FLUSH_NONGLOBAL_PCID, (uint16_t)pcid);
		if (tlb->pwc)
			pwc_flush_pcid(tlb->pwc, (uint16_t)pcid);
		break;
	case TLB_INVPCID_ALL_GLOBAL:
		tlb_flush_all(tlb);
		break;
	case TLB_INVPCID_ALL_NONGLOBAL:
		tlb->stats.tlb_flush_pcid++;
		flush_entries(tlb, FLUSH_NONGLOBAL, 0);
		if (tlb->pwc)
			pwc_flush_all(tlb->pwc);
		break;
	}
	return true;
}

void tlb_flush_all(struct tlb *tlb)
{
	tlb->stats.tlb_flush_all++;
	flush_entries(tlb, FLUSH_ALL, 0);
	if (tlb->pwc)
		pwc_flush_all(tlb->pwc);
}

/* --- set-up and inspection ------------------------------------------------------------- */

static int array_init(struct tlb_array *a, const struct tlb_array_config *c)
{
	size_t n = c->entries;

	a->nr_sets = c->entries / c->ways;
	a->ways = c->ways;
	a->where = c->where;
	a->nr_probes = 0;
	for (unsigned int idx = 0; idx < NR_PAGE_SIZES; idx++) {
		if ((c->sizes & (1u << idx)) && (a->nr_sets > 1 || a->nr_probes == 0))
			a->probe_shift[a->nr_probes++] = (uint8_t)index_shift(idx);
	}
	for (unsigned int idx = 0; idx < NR_PAGE_SIZES; idx++)
		a->probe_by_size[idx] = (uint8_t)probe_of_slow(a, index_shift(idx));
	a->tags = malloc(n * sizeof(*a->tags));
	a->entries = calloc(n, sizeof(*a->entries));
	if (!a->tags || !a->entries || tlb_repl_init(&a->repl, c->repl, a->nr_sets, a->ways)) {
		free(a->tags);
		free(a->entries);
		a->tags = NULL;
		a->entries = NULL;
		return -ENOMEM;
	}
	for (size_t i = 0; i < n; i++)
		tag_clear(&a->tags[i]);
	return 0;
}

/* The structures an access of a side consults at a level (1 or 2). */
static bool view_has(unsigned int side, unsigned int level, enum tlb_struct_id where)
{
	if (level == 1)
		return where == (side == SIDE_DATA ? TLB_DTLB : TLB_ITLB);
	return where == TLB_STLB || where == (side == SIDE_DATA ? TLB_L2DTLB : TLB_L2ITLB);
}

static void view_build(struct tlb *tlb, struct tlb_view *v, unsigned int side, unsigned int level)
{
	unsigned int sizes_of[NR_PAGE_SIZES] = { 0 };

	memset(v, 0, sizeof(*v));
	for (unsigned int i = 0; i < tlb->nr_arrays; i++) {
		const struct tlb_array_config *c = &tlb->cfg.arrays[i];
		unsigned int low = (unsigned int)__builtin_ctz(c->sizes);
		unsigned int at;

		if (!view_has(side, level, c->where))
			continue;
		/* Insert by the smallest size held: 4 KiB arrays are searched first. */
		for (at = v->nr_arrays; at > 0 && sizes_of[at - 1] > low; at--) {
			v->arrays[at] = v->arrays[at - 1];
			sizes_of[at] = sizes_of[at - 1];
		}
		v->arrays[at] = &tlb->arrays[i];
		sizes_of[at] = low;
		tlb->viewed[side] |= 1u << i;
		v->nr_arrays++;
		for (unsigned int idx = 0; idx < NR_PAGE_SIZES; idx++) {
			if (c->sizes & (1u << idx)) {
				v->fill_array[idx] = &tlb->arrays[i];
				v->fill_shift[idx] = (uint8_t)index_shift(idx);
			}
		}
	}
	/* A page size without an array is cached as pieces of the largest smaller size held. */
	for (unsigned int idx = 1; idx < NR_PAGE_SIZES; idx++) {
		if (!v->fill_array[idx] && v->fill_array[idx - 1]) {
			v->fill_array[idx] = v->fill_array[idx - 1];
			v->fill_shift[idx] = v->fill_shift[idx - 1];
		}
	}
	for (unsigned int idx = 0; idx < NR_PAGE_SIZES; idx++) {
		if (v->fill_array[idx])
			v->fill_probe[idx] =
				(uint8_t)probe_of(v->fill_array[idx], v->fill_shift[idx]);
	}
}

static bool pwc_configured(const struct pwc_config *c)
{
	for (unsigned int l = 0; l < PWC_NR_LEVELS; l++) {
		if (c->level[l].entries)
			return true;
	}
	return false;
}

int tlb_create(const struct tlb_config *cfg, struct tlb **out)
{
	struct tlb *tlb;
	int err;

	*out = NULL;
	err = tlb_config_validate(cfg, NULL);
	if (err)
		return err;
	tlb = calloc(1, sizeof(*tlb));
	if (!tlb)
		return -ENOMEM;
	tlb->cfg = *cfg;
	for (unsigned int i = 0; i < cfg->nr_arrays; i++) {
		err = array_init(&tlb->arrays[i], &tlb->cfg.arrays[i]);
		if (err)
			goto out_destroy;
		tlb->nr_arrays++;
	}
	if (pwc_configured(&cfg->pwc)) {
		err = pwc_create(&cfg->pwc, &tlb->pwc);
		if (err)
			goto out_destroy;
	}
	for (unsigned int s = 0; s < NR_SIDES; s++) {
		view_build(tlb, &tlb->l1[s], s, 1);
		view_build(tlb, &tlb->l2[s], s, 2);
	}
	tlb->lookups[X86_ACCESS_READ] = &tlb->stats.dtlb_loads;
	tlb->lookups[X86_ACCESS_WRITE] = &tlb->stats.dtlb_stores;
	tlb->lookups[X86_ACCESS_FETCH] = &tlb->stats.itlb_loads;
	tlb->misses[X86_ACCESS_READ] = &tlb->stats.dtlb_load_misses;
	tlb->misses[X86_ACCESS_WRITE] = &tlb->stats.dtlb_store_misses;
	tlb->misses[X86_ACCESS_FETCH] = &tlb->stats.itlb_load_misses;
	tlb->bare = tlb->nr_arrays == 0 && !tlb->pwc;
	forget_last(tlb);
	*out = tlb;
	return 0;

out_destroy:
	tlb_destroy(tlb);
	return err;
}

void tlb_destroy(struct tlb *tlb)
{
	if (!tlb)
		return;
	for (unsigned int i = 0; i < tlb->nr_arrays; i++) {
		tlb_repl_fini(&tlb->arrays[i].repl);
		free(tlb->arrays[i].tags);
		free(tlb->arrays[i].entries);
	}
	pwc_destroy(tlb->pwc);
	free(tlb);
}

const struct tlb_stats *tlb_get_stats(const struct tlb *tlb)
{
	return &tlb->stats;
}

void tlb_stats_reset(struct tlb *tlb)
{
	memset(&tlb->stats, 0, sizeof(tlb->stats));
}

const struct tlb_config *tlb_get_config(const struct tlb *tlb)
{
	return &tlb->cfg;
}

const struct pwc *tlb_get_pwc(const struct tlb *tlb)
{
	return tlb->pwc;
}

unsigned int tlb_count(const struct tlb *tlb, enum tlb_struct_id where)
{
	unsigned int count = 0;

	for (unsigned int i = 0; i < tlb->nr_arrays; i++) {
		const struct tlb_array *a = &tlb->arrays[i];
		size_t n = (size_t)a->nr_sets * a->ways;

		for (size_t j = 0; a->where == where && j < n; j++)
			count += tag_valid(&a->tags[j]);
	}
	return count;
}

void tlb_foreach_entry(const struct tlb *tlb, void (*fn)(void *ctx, const struct tlb_entry_view *v),
		       void *ctx)
{
	for (unsigned int i = 0; i < tlb->nr_arrays; i++) {
		const struct tlb_array *a = &tlb->arrays[i];
		size_t n = (size_t)a->nr_sets * a->ways;

		for (size_t j = 0; j < n; j++) {
			const struct tlb_tag *t = &a->tags[j];
			const struct tlb_entry *e = &a->entries[j];
			struct tlb_entry_view v;

			if (!tag_valid(t))
				continue;
			v = (struct tlb_entry_view){
				.where = a->where,
				.array = i,
				.set = (unsigned int)(j / a->ways),
				.way = (unsigned int)(j % a->ways),
				.va = t->key & X86_PAGE_MASK,
				.pa = e->pa,
				.shift = e->shift,
				.page_shift = e->page_shift,
				.pcid = tag_global(t) ? 0 : (uint16_t)(t->key & KEY_PCID_BITS),
				.global = tag_global(t),
				.user = (e->flags & E_USER) != 0,
				.writable = (e->flags & E_WRITABLE) != 0,
				.executable = (e->flags & E_NX_CLEAR) != 0,
				.dirty = (e->flags & E_DIRTY) != 0,
			};
			fn(ctx, &v);
		}
	}
}

bool tlb_check(const struct tlb *tlb)
{
	for (unsigned int i = 0; i < tlb->nr_arrays; i++) {
		const struct tlb_array *a = &tlb->arrays[i];
		unsigned int nr_valid[NR_PAGE_SIZES] = { 0 };
		bool by_forgetting = a->repl.nr_forgotten || a->repl.list;

		for (unsigned int set = 0; set < a->nr_sets; set++) {
			for (unsigned int w = 0; w < a->ways; w++) {
				size_t j = (size_t)set * a->ways + w;
				bool valid = tag_valid(&a->tags[j]);

				if (valid &&
				    a->entries[j].probe != probe_of(a, a->entries[j].shift))
					return false;
				if (valid)
					nr_valid[a->entries[j].probe]++;
				if (by_forgetting && valid == tlb_repl_forgotten(&a->repl, set, w))
					return false;
			}
		}
		if (memcmp(nr_valid, a->nr_valid, sizeof(nr_valid)) != 0)
			return false;
	}
	return true;
}

bool tlb_probe(const struct tlb *tlb, vaddr_t va, uint16_t pcid)
{
	uint64_t key = lookup_key(va, pcid);

	for (unsigned int i = 0; i < tlb->nr_arrays; i++) {
		const struct tlb_array *a = &tlb->arrays[i];

		for (unsigned int p = 0; p < a->nr_probes; p++) {
			unsigned int set =
				(unsigned int)(key >> a->probe_shift[p]) & (a->nr_sets - 1);
			const struct tlb_tag *t = &a->tags[(size_t)set * a->ways];

			for (unsigned int w = 0; w < a->ways; w++) {
				if (tag_matches(&t[w], key))
					return true;
			}
		}
	}
	return false;
}

void tlb_set_walk_hook(struct tlb *tlb, tlb_walk_hook_fn fn, void *ctx)
{
	tlb->walk_hook = fn;
	tlb->walk_ctx = ctx;
}
