/*
 * mm/huge_memory.c: transparent huge pages for private anonymous memory (see
 * huge_memory.h). Linux 6.12: mm/huge_memory.c (do_huge_pmd_anonymous_page,
 * __do_huge_pmd_anonymous_page, set_huge_zero_folio, mm_get_huge_zero_folio,
 * do_huge_pmd_wp_page (6.13+: do_huge_zero_wp_pmd, map_anon_folio_pmd), huge_pmd_set_accessed,
 * zap_huge_pmd, change_huge_pmd, copy_huge_pmd,
 * __split_huge_pmd_locked, __split_huge_zero_page_pmd, split_huge_page_to_list_to_order,
 * vma_adjust_trans_huge), include/linux/huge_mm.h (thp_vma_allowable_order,
 * thp_vma_suitable_order), mm/memory.c (__handle_mm_fault), mm/pgtable-generic.c
 * (pgtable_trans_huge_deposit/withdraw).
 */
#include "mm/huge_memory.h"

#include <errno.h>
#include <string.h>

#include "arch/x86_64/physmem.h"
#include "arch/x86_64/pte.h"
#include "mm/anon.h"
#include "mm/bug.h"
#include "mm/core.h"
#include "mm/gfp.h"
#include "mm/khugepaged.h"
#include "mm/page.h"
#include "mm/page_alloc.h"
#include "mm/pgtable.h"
#include "mm/rmap.h"
#include "mm/vma.h"
#include "mm/vmstat.h"

static const char *const enabled_names[] = {
	[THP_ENABLED_NEVER] = "never",
	[THP_ENABLED_MADVISE] = "madvise",
	[THP_ENABLED_ALWAYS] = "always",
};

static const char *const defrag_names[] = {
	[THP_DEFRAG_ALWAYS] = "always",
	[THP_DEFRAG_DEFER] = "defer",
	[THP_DEFRAG_DEFER_MADVISE] = "defer+madvise",
	[THP_DEFRAG_MADVISE] = "madvise",
	[THP_DEFRAG_NEVER] = "never",
};

#define NR_ENABLED (sizeof(enabled_names) / sizeof(enabled_names[0]))
#define NR_DEFRAG (sizeof(defrag_names) / sizeof(defrag_names[0]))

const char *thp_enabled_name(unsigned int i)
{
	return i < NR_ENABLED ? enabled_names[i] : NULL;
}

const char *thp_defrag_name(unsigned int i)
{
	return i < NR_DEFRAG ? defrag_names[i] : NULL;
}

int thp_enabled_parse(const char *s, enum thp_enabled *out)
{
	for (unsigned int i = 0; i < NR_ENABLED; i++) {
		if (!strcmp(s, enabled_names[i])) {
			*out = (enum thp_enabled)i;
			return 0;
		}
	}
	return -EINVAL;
}

int thp_defrag_parse(const char *s, enum thp_defrag *out)
{
	for (unsigned int i = 0; i < NR_DEFRAG; i++) {
		if (!strcmp(s, defrag_names[i])) {
			*out = (enum thp_defrag)i;
			return 0;
		}
	}
	return -EINVAL;
}

bool huge_page_is_thp(const struct page *pg)
{
	return page_flag_test(pg, PG_HEAD) && page_flag_test(pg, PG_ANON) &&
	       pg->order == HPAGE_PMD_ORDER;
}

bool huge_vma_thp_enabled(const struct mm_core *core, const struct vma *vma)
{
	/* Anonymous private memory only (Linux vma_is_anonymous()): shmem and file mappings,
	 * private ones too, have vma->shmem set; shmem's huge= is "never" by default, and
	 * mmsim has no file THPs. */
	if (vma->shmem || (vma->flags & (VM_SHARED | VM_NOHUGEPAGE)))
		return false;
	switch (core->thp.enabled) {
	case THP_ENABLED_NEVER:
		return false;
	case THP_ENABLED_MADVISE:
		if (!(vma->flags & VM_HUGEPAGE))
			return false;
		break;
	case THP_ENABLED_ALWAYS:
		break;
	}
	return true;
}

bool huge_vma_allowed(const struct mm_core *core, const struct vma *vma, vaddr_t haddr)
{
	/* thp_vma_suitable_order(): the aligned 2 MiB lies wholly inside the VMA. */
	return huge_vma_thp_enabled(core, vma) && haddr >= vma->start &&
	       haddr + HPAGE_PMD_SIZE <= vma->end;
}

uint64_t huge_pmd_make(const struct mm_core *core, const struct vma *vma, pfn_t pfn, bool writable,
		       bool dirty)
{
	uint64_t e = anon_pte(core, vma, pfn, writable, dirty) | X86_PTE_PS;

	if (pfn == core->huge_zero_pfn)
		e = (e & ~X86_PTE_RW) | ANON_PTE_SPECIAL; /* Linux 6.12 pmd_mkspecial() */
	return e;
}

static void set_pmd(struct mm_core *core, vaddr_t haddr, paddr_t pmd_addr, uint64_t old,
		    uint64_t val)
{
	core_event(core, &(struct mm_event){ .kind = MM_EV_PTE_WRITE,
					     .level = X86_LEVEL_PDE,
					     .va = haddr,
					     .entry_addr = pmd_addr,
					     .old = old,
					     .new = val });
	physmem_write64(core->pm, pmd_addr, val);
}

void huge_add_new_anon(struct mm_core *core, struct vma *vma, vaddr_t haddr, struct page *head)
{
	head->flags |= PAGE_FLAG_MASK(PG_ANON) | PAGE_FLAG_MASK(PG_SWAPBACKED) |
		       PAGE_FLAG_MASK(PG_ANON_EXCLUSIVE);
	head->mapping = vma->anon_vma;
	head->index = vma_page_index(vma, haddr);
	head->mapcount = 1;
	core_count_mod(core, VMSTAT_NR_ANON_MAPPED, HPAGE_PMD_NR);
	core_count(core, VMSTAT_NR_ANON_THPS);
	core_lru_add(core, head);
}

void huge_deposit(struct mm_core *core, paddr_t pmd_addr, pfn_t table)
{
	struct page *pd = core_page(core, X86_PADDR_TO_PFN(pmd_addr));
	struct page *t = core_page(core, table);

	t->private = pd->private;
	pd->private = table + 1;
}

pfn_t huge_withdraw(struct mm_core *core, paddr_t pmd_addr)
{
	struct page *pd = core_page(core, X86_PADDR_TO_PFN(pmd_addr));
	pfn_t table;
	struct page *t;

	MM_BUG_ON(pd->private == 0); /* every PMD leaf has a table deposited */
	table = (pfn_t)(pd->private - 1);
	t = core_page(core, table);
	pd->private = t->private;
	t->private = 0;
	return table;
}

/*
 * Linux mm_get_huge_zero_folio(): the huge zero page is allocated at its first use with
 * (GFP_TRANSHUGE | __GFP_ZERO) & ~__GFP_MOVABLE, counted in thp_zero_page_alloc (or
 * _failed). mmsim: it stays allocated for the system's life (Linux frees it through a
 * shrinker when no PMD maps it).
 */
int huge_zero_page(struct mm_core *core, pfn_t *pfn_out)
{
	int err;

	if (core->huge_zero_pfn) {
		*pfn_out = core->huge_zero_pfn;
		return 0;
	}
	err = page_alloc(core->pgdat, GFP_HIGHUSER | GFP_NOWARN | GFP_ZERO, HPAGE_PMD_ORDER,
			 pfn_out);
	if (err) {
		core_count(core, VMSTAT_THP_ZERO_PAGE_ALLOC_FAILED);
		return err;
	}
	page_flag_set(core_page(core, *pfn_out), PG_ZERO_PAGE);
	core->huge_zero_pfn = *pfn_out;
	core_count(core, VMSTAT_THP_ZERO_PAGE_ALLOC);
	return 0;
}

/*
 * Linux vma_thp_gfp_mask(): GFP_TRANSHUGE_LIGHT (no reclaim of any kind, no warning) plus
 * what the defrag setting allows: direct reclaim and compaction (always; defer+madvise and
 * madvise for MADV_HUGEPAGE VMAs), or only waking kswapd/kcompactd (defer; defer+madvise
 * for other VMAs).
 */
static gfp_t thp_gfp(const struct mm_core *core, const struct vma *vma)
{
	const gfp_t light = (GFP_HIGHUSER_MOVABLE | GFP_NOWARN) & ~GFP_RECLAIM;
	bool madvised = (vma->flags & VM_HUGEPAGE) != 0;

	switch (core->thp.defrag) {
	case THP_DEFRAG_ALWAYS:
		return light | GFP_DIRECT_RECLAIM;
	case THP_DEFRAG_DEFER:
		return light | GFP_KSWAPD_RECLAIM;
	case THP_DEFRAG_DEFER_MADVISE:
		return light | (madvised ? GFP_DIRECT_RECLAIM : GFP_KSWAPD_RECLAIM);
	case THP_DEFRAG_MADVISE:
		return light | (madvised ? GFP_DIRECT_RECLAIM : 0);
	case THP_DEFRAG_NEVER:
		break;
	}
	return light;
}

/* Linux vma_alloc_anon_folio_pmd(): a huge page for a fault, or thp_fault_fallback
 * (thp_fault_fallback_charge too when the memcg charge fails: mmsim's frames cap, which
 * refuses it without reclaiming). */
static int alloc_thp(struct mm_core *core, struct vma *vma, vaddr_t haddr, pfn_t *pfn_out)
{
	gfp_t gfp = thp_gfp(core, vma) | (core->data_mode ? GFP_ZERO : 0);

	if (core->frames_cap && core->nr_user_pages + HPAGE_PMD_NR > core->frames_cap) {
		core_count(core, VMSTAT_THP_FAULT_FALLBACK);
		core_count(core, VMSTAT_THP_FAULT_FALLBACK_CHARGE);
		return -ENOMEM;
	}
	core_lru_incoming(core, vma->anon_vma, vma_page_index(vma, haddr));
	if (page_alloc(core->pgdat, gfp, HPAGE_PMD_ORDER, pfn_out)) {
		core_count(core, VMSTAT_THP_FAULT_FALLBACK);
		return -ENOMEM;
	}
	core->nr_user_pages += HPAGE_PMD_NR;
	return 0;
}

static void fault_decided(struct mm_core *core, vaddr_t va, pfn_t pfn, const char *what,
			  const char **decision)
{
	*decision = what;
	core_event(core,
		   &(struct mm_event){
			   .kind = MM_EV_FAULT_DECISION, .va = va, .pfn = pfn, .what = what });
}

/* Linux map_anon_folio_pmd(): a new anonymous huge page mapped by the PMD at haddr (whose
 * page table is deposited already), in place of old_pmd (0, or the huge zero page). */
static void map_anon_thp_pmd(struct mm_core *core, struct mm_struct *mm, struct vma *vma,
			     vaddr_t haddr, paddr_t pmd_addr, uint64_t old_pmd, pfn_t pfn)
{
	huge_add_new_anon(core, vma, haddr, core_page(core, pfn));
	core_event(core, &(struct mm_event){ .kind = MM_EV_FRAME_ALLOC,
					     .pfn = pfn,
					     .va = haddr,
					     .what = "anonymous huge page (order 9)" });
	/* mk_huge_pmd() then maybe_pmd_mkwrite(pmd_mkdirty()): dirty even on a read. */
	set_pmd(core, haddr, pmd_addr, old_pmd, huge_pmd_make(core, vma, pfn, true, true));
	mm->rss_anon += HPAGE_PMD_NR;
	core_count(core, VMSTAT_THP_FAULT_ALLOC);
}

/* Linux do_huge_pmd_anonymous_page() and __do_huge_pmd_anonymous_page(). */
static enum huge_fault_result do_huge_pmd_anonymous_page(struct mm_core *core, struct mm_struct *mm,
							 struct vma *vma, vaddr_t haddr,
							 paddr_t pmd_addr, bool write,
							 const char **decision)
{
	pfn_t pfn, table;

	if (!anon_vma_prepare(vma, core->anon_vma_cache))
		return HUGE_FAULT_OOM;
	khugepaged_enter_vma(core, vma);
	if (!write && core->thp.use_zero_page) {
		if (pgtable_alloc_table(core, mm, &table))
			return HUGE_FAULT_OOM;
		if (huge_zero_page(core, &pfn)) {
			pgtable_free_table(core, mm, table);
			core_count(core, VMSTAT_THP_FAULT_FALLBACK);
			return HUGE_FAULT_FALLBACK;
		}
		huge_deposit(core, pmd_addr, table);
		set_pmd(core, haddr, pmd_addr, 0, huge_pmd_make(core, vma, pfn, false, false));
		fault_decided(core, haddr, pfn,
			      "read of an untouched 2 MiB range: the huge zero page is mapped "
			      "read-only by the PMD",
			      decision);
		return HUGE_FAULT_DONE;
	}
	if (alloc_thp(core, vma, haddr, &pfn))
		return HUGE_FAULT_FALLBACK;
	if (pgtable_alloc_table(core, mm, &table)) {
		core->nr_user_pages -= HPAGE_PMD_NR;
		page_free(core->pgdat, pfn, HPAGE_PMD_ORDER);
		return HUGE_FAULT_OOM;
	}
	huge_deposit(core, pmd_addr, table);
	map_anon_thp_pmd(core, mm, vma, haddr, pmd_addr, 0, pfn);
	fault_decided(core, haddr, pfn,
		      "fault in an untouched 2 MiB range: a new huge page (order 9) is mapped "
		      "by the PMD",
		      decision);
	return HUGE_FAULT_DONE;
}

/* Linux __split_huge_zero_page_pmd(): 512 PTEs of the small zero page. */
static void split_zero_pmd(struct mm_core *core, struct vma *vma, vaddr_t haddr, paddr_t pmd_addr,
			   uint64_t pmd)
{
	pfn_t table = huge_withdraw(core, pmd_addr);
	paddr_t base = X86_PFN_TO_PADDR(table);
	uint64_t pte = anon_pte(core, vma, core->zero_pfn, false, false);

	for (unsigned int i = 0; i < X86_PT_ENTRIES; i++)
		physmem_write64(core->pm, base + i * sizeof(uint64_t), pte);
	set_pmd(core, haddr, pmd_addr, pmd, x86_pte_make(base, PGTABLE_USER_TABLE_FLAGS));
	core_tlb_flush_pmd(core, vma->mm, haddr, "huge zero page PMD split");
	core_count(core, VMSTAT_THP_SPLIT_PMD);
}

/* Linux __split_huge_pmd_locked() for an anonymous THP: each PTE keeps the PMD's rights,
 * young and dirty bits, and names its 4 KiB piece. */
static void split_thp_pmd(struct mm_core *core, struct mm_struct *mm, vaddr_t haddr,
			  paddr_t pmd_addr, uint64_t pmd)
{
	const unsigned int maxphy = core->cpu->maxphyaddr;
	pfn_t table = huge_withdraw(core, pmd_addr);
	paddr_t base = X86_PFN_TO_PADDR(table);
	uint64_t flags = pmd & ~(X86_PTE_PS | x86_pte_addr_mask(maxphy));
	paddr_t pa = x86_pte_addr(pmd, maxphy);

	for (unsigned int i = 0; i < X86_PT_ENTRIES; i++)
		physmem_write64(core->pm, base + i * sizeof(uint64_t),
				x86_pte_make(pa + ((paddr_t)i << X86_PAGE_SHIFT), flags));
	set_pmd(core, haddr, pmd_addr, pmd, x86_pte_make(base, PGTABLE_USER_TABLE_FLAGS));
	core_tlb_flush_pmd(core, mm, haddr, "huge PMD split into PTEs");
	core_count(core, VMSTAT_THP_SPLIT_PMD);
}

struct split_walk {
	struct mm_core *core;
	pfn_t pfn;
};

static bool split_one(void *ctx, struct vma *vma, vaddr_t addr)
{
	struct split_walk *sw = ctx;
	vaddr_t haddr = addr & HPAGE_PMD_MASK;
	paddr_t pmd_addr;
	uint64_t pmd;

	if (addr != haddr || pgtable_pmd_addr(sw->core, vma->mm, haddr, false, &pmd_addr))
		return true;
	pmd = physmem_read64(sw->core->pm, pmd_addr);
	if (!x86_pte_present(pmd) || !(pmd & X86_PTE_PS) ||
	    x86_pte_pfn(pmd, sw->core->cpu->maxphyaddr) != sw->pfn)
		return true;
	split_thp_pmd(sw->core, vma->mm, haddr, pmd_addr, pmd);
	return true;
}

void huge_split_page(struct mm_core *core, struct page *head)
{
	struct split_walk sw = { .core = core, .pfn = core_pfn(core, head) };
	const uint32_t keep = PAGE_FLAG_MASK(PG_ANON) | PAGE_FLAG_MASK(PG_SWAPBACKED) |
			      PAGE_FLAG_MASK(PG_ANON_EXCLUSIVE) | PAGE_FLAG_MASK(PG_DIRTY);

	MM_BUG_ON(!huge_page_is_thp(head));
	/* 1. unmap_folio() with TTU_SPLIT_HUGE_PMD: every PMD becomes 512 PTEs. */
	rmap_walk(head, split_one, &sw);
	/* 2. __split_huge_page(): each piece an order-0 anonymous page, mapped and
	 *    referenced by every PTE that maps it. */
	for (unsigned int i = 1; i < HPAGE_PMD_NR; i++) {
		struct page *t = core_page(core, sw.pfn + i);

		MM_BUG_ON(!page_flag_test(t, PG_TAIL));
		t->flags = (t->flags & ~PAGE_FLAG_MASK(PG_TAIL)) | (head->flags & keep);
		t->order = 0;
		t->mapping = head->mapping;
		t->index = head->index + i;
		t->private = 0;
		t->policy.raw = 0;
		t->mapcount = head->mapcount;
		t->refcount = head->mapcount;
	}
	page_flag_clear(head, PG_HEAD);
	head->order = 0;
	if (head->mapcount)
		core_count_mod(core, VMSTAT_NR_ANON_THPS, -1);
	core_count(core, VMSTAT_THP_SPLIT_PAGE);
	/* 3. lru_add_split_folio(): the tails join the LRU after the head. */
	if (page_flag_test(head, PG_LRU)) {
		for (unsigned int i = 1; i < HPAGE_PMD_NR; i++)
			core_lru_add(core, core_page(core, sw.pfn + i));
	}
}

/* Splits the PMD leaf at haddr, whatever it maps. */
static void split_leaf(struct mm_core *core, struct vma *vma, vaddr_t haddr, paddr_t pmd_addr,
		       uint64_t pmd)
{
	pfn_t pfn = x86_pte_pfn(pmd, core->cpu->maxphyaddr);

	if (pfn == core->huge_zero_pfn)
		split_zero_pmd(core, vma, haddr, pmd_addr, pmd);
	else
		huge_split_page(core, core_page(core, pfn));
}

/* Linux do_huge_pmd_wp_page(). */
static enum huge_fault_result do_huge_pmd_wp_page(struct mm_core *core, struct mm_struct *mm,
						  struct vma *vma, vaddr_t haddr, paddr_t pmd_addr,
						  uint64_t pmd, const char **decision)
{
	pfn_t pfn = x86_pte_pfn(pmd, core->cpu->maxphyaddr);
	struct page *head;
	uint64_t npmd;

	if (pfn == core->huge_zero_pfn) {
		pfn_t thp;

		/* Linux 6.13+ do_huge_zero_wp_pmd(): a new huge page takes the huge zero
		 * page's place (pmdp_huge_clear_flush(), map_anon_folio_pmd()); the deposited
		 * table stays deposited. */
		if (!alloc_thp(core, vma, haddr, &thp)) {
			map_anon_thp_pmd(core, mm, vma, haddr, pmd_addr, pmd, thp);
			core_tlb_flush_pmd(core, mm, haddr,
					   "huge zero page replaced by a huge page");
			fault_decided(core, haddr, thp,
				      "write to the huge zero page: a new huge page (order 9) "
				      "replaces it in the PMD",
				      decision);
			return HUGE_FAULT_DONE;
		}
		/* No huge page (thp_fault_fallback): split, and the PTE fault then copies the
		 * 4 KiB zero page that is written. */
		split_zero_pmd(core, vma, haddr, pmd_addr, pmd);
		return HUGE_FAULT_FALLBACK;
	}
	head = core_page(core, pfn);
	if (!page_flag_test(head, PG_ANON_EXCLUSIVE)) {
		/* Shared (by a fork): reuse only when no one else holds a reference. */
		if (head->refcount != 1) {
			huge_split_page(core, head);
			return HUGE_FAULT_FALLBACK;
		}
		page_flag_set(head, PG_ANON_EXCLUSIVE);
	}
	npmd = pmd | X86_PTE_RW | X86_PTE_D | X86_PTE_A;
	set_pmd(core, haddr, pmd_addr, pmd, npmd);
	core_tlb_flush_pmd(core, mm, haddr, "huge page made writable");
	fault_decided(core, haddr, pfn,
		      "write to a write-protected huge page this process alone maps: made "
		      "writable in place (reuse)",
		      decision);
	return HUGE_FAULT_DONE;
}

enum huge_fault_result huge_pmd_fault(struct mm_core *core, struct mm_struct *mm, struct vma *vma,
				      vaddr_t va, bool write, const char **decision)
{
	vaddr_t haddr = va & HPAGE_PMD_MASK;
	bool allowed = huge_vma_allowed(core, vma, haddr);
	paddr_t pmd_addr;
	uint64_t pmd;
	int err;

	/* Without THP for this range only an existing leaf matters: do not allocate tables
	 * here, so that the PTE path allocates them in its usual order. */
	err = pgtable_pmd_addr(core, mm, va, allowed, &pmd_addr);
	if (err)
		return err == -ENOENT ? HUGE_FAULT_FALLBACK : HUGE_FAULT_OOM;
	pmd = physmem_read64(core->pm, pmd_addr);
	if (pmd == 0)
		return allowed ? do_huge_pmd_anonymous_page(core, mm, vma, haddr, pmd_addr, write,
							    decision)
			       : HUGE_FAULT_FALLBACK;
	if (!x86_pte_present(pmd) || !(pmd & X86_PTE_PS))
		return HUGE_FAULT_FALLBACK;
	if (write && !x86_pte_writable(pmd))
		return do_huge_pmd_wp_page(core, mm, vma, haddr, pmd_addr, pmd, decision);
	/* huge_pmd_set_accessed(): a stale translation; the leaf is made young. */
	set_pmd(core, haddr, pmd_addr, pmd, pmd | X86_PTE_A | (write ? X86_PTE_D : 0));
	core_tlb_flush_pmd(core, mm, haddr, "huge PMD refreshed");
	fault_decided(core, haddr, x86_pte_pfn(pmd, core->cpu->maxphyaddr),
		      "spurious fault on a 2 MiB page: the PMD already allows the access "
		      "(stale TLB entry); it is refreshed",
		      decision);
	return HUGE_FAULT_DONE;
}

struct range_walk {
	struct mm_core *core;
	struct vma *vma;
	vaddr_t start, end;
	bool exclusive_only;
	uint64_t count;
	struct mm_struct *dst;
	int err;
};

static bool whole(const struct range_walk *rw, vaddr_t haddr)
{
	return haddr >= rw->start && haddr + HPAGE_PMD_SIZE <= rw->end;
}

static void split_pmd_fn(void *ctx, vaddr_t haddr, paddr_t pmd_addr, uint64_t pmd)
{
	struct range_walk *rw = ctx;
	pfn_t pfn = x86_pte_pfn(pmd, rw->core->cpu->maxphyaddr);

	if (rw->exclusive_only &&
	    (pfn == rw->core->huge_zero_pfn || core_page(rw->core, pfn)->mapcount != 1))
		return;
	split_leaf(rw->core, rw->vma, haddr, pmd_addr, pmd);
}

void huge_split_range(struct mm_core *core, struct vma *vma, vaddr_t start, vaddr_t end,
		      bool exclusive_only)
{
	struct range_walk rw = { .core = core, .vma = vma, .exclusive_only = exclusive_only };

	pgtable_for_each_leaf(core, vma->mm, start, end, NULL, split_pmd_fn, &rw);
}

void huge_split_address(struct mm_core *core, struct mm_struct *mm, vaddr_t addr)
{
	vaddr_t haddr = addr & HPAGE_PMD_MASK;
	struct vma *vma;
	paddr_t pmd_addr;
	uint64_t pmd;

	if (addr == haddr || pgtable_pmd_addr(core, mm, haddr, false, &pmd_addr))
		return;
	pmd = physmem_read64(core->pm, pmd_addr);
	vma = vma_find(mm, haddr);
	if (!x86_pte_present(pmd) || !(pmd & X86_PTE_PS) || !vma)
		return;
	split_leaf(core, vma, haddr, pmd_addr, pmd);
}

/* Linux zap_huge_pmd(). The caller flushes the TLB for the range. */
static void zap_pmd_fn(void *ctx, vaddr_t haddr, paddr_t pmd_addr, uint64_t pmd)
{
	struct range_walk *rw = ctx;
	struct mm_core *core = rw->core;
	struct mm_struct *mm = rw->vma->mm;
	pfn_t pfn = x86_pte_pfn(pmd, core->cpu->maxphyaddr);
	struct page *head;

	if (!whole(rw, haddr)) {
		split_leaf(core, rw->vma, haddr, pmd_addr, pmd);
		return;
	}
	set_pmd(core, haddr, pmd_addr, pmd, 0);
	pgtable_free_table(core, mm, huge_withdraw(core, pmd_addr));
	if (pfn == core->huge_zero_pfn)
		return;
	head = core_page(core, pfn);
	MM_BUG_ON(head->mapcount <= 0);
	mm->rss_anon -= HPAGE_PMD_NR;
	if (--head->mapcount == 0) {
		core_count_mod(core, VMSTAT_NR_ANON_MAPPED, -(long)HPAGE_PMD_NR);
		core_count_mod(core, VMSTAT_NR_ANON_THPS, -1);
	}
	core_put_page(core, pfn);
}

void huge_zap_range(struct mm_core *core, struct vma *vma, vaddr_t start, vaddr_t end)
{
	struct range_walk rw = { .core = core, .vma = vma, .start = start, .end = end };

	pgtable_for_each_leaf(core, vma->mm, start, end, NULL, zap_pmd_fn, &rw);
}

/* Linux change_huge_pmd(): pmd_modify(), write access kept for an exclusive THP
 * (can_change_pmd_writable()). */
static void protect_pmd_fn(void *ctx, vaddr_t haddr, paddr_t pmd_addr, uint64_t pmd)
{
	struct range_walk *rw = ctx;
	struct mm_core *core = rw->core;
	pfn_t pfn = x86_pte_pfn(pmd, core->cpu->maxphyaddr);
	bool keep_write;
	uint64_t npmd;

	if (!whole(rw, haddr) || !(rw->vma->flags & VM_ACCESS_FLAGS)) {
		split_leaf(core, rw->vma, haddr, pmd_addr, pmd);
		return;
	}
	keep_write = pfn != core->huge_zero_pfn &&
		     page_flag_test(core_page(core, pfn), PG_ANON_EXCLUSIVE);
	npmd = anon_pte_modify(core, pmd, rw->vma, keep_write) | X86_PTE_PS;
	if (npmd == pmd)
		return;
	set_pmd(core, haddr, pmd_addr, pmd, npmd);
	rw->count++;
}

uint64_t huge_change_protection(struct mm_core *core, struct vma *vma, vaddr_t start, vaddr_t end)
{
	struct range_walk rw = { .core = core, .vma = vma, .start = start, .end = end };

	pgtable_for_each_leaf(core, vma->mm, start, end, NULL, protect_pmd_fn, &rw);
	return rw.count;
}

/* Linux copy_huge_pmd(). */
static void copy_pmd_fn(void *ctx, vaddr_t haddr, paddr_t src_pmd_addr, uint64_t pmd)
{
	struct range_walk *rw = ctx;
	struct mm_core *core = rw->core;
	pfn_t pfn = x86_pte_pfn(pmd, core->cpu->maxphyaddr);
	paddr_t dst_pmd_addr;
	pfn_t table;

	if (rw->err)
		return;
	rw->err = pgtable_pmd_addr(core, rw->dst, haddr, true, &dst_pmd_addr);
	if (!rw->err)
		rw->err = pgtable_alloc_table(core, rw->dst, &table);
	if (rw->err)
		return;
	if (pfn != core->huge_zero_pfn) {
		struct page *head = core_page(core, pfn);

		head->mapcount++;
		head->refcount++;
		page_flag_clear(head, PG_ANON_EXCLUSIVE);
		rw->dst->rss_anon += HPAGE_PMD_NR;
	}
	huge_deposit(core, dst_pmd_addr, table);
	/* pmdp_set_wrprotect() in the parent; the child's copy read-only and old. */
	if (x86_pte_writable(pmd)) {
		pmd &= ~X86_PTE_RW;
		physmem_write64(core->pm, src_pmd_addr, pmd);
	}
	physmem_write64(core->pm, dst_pmd_addr, pmd & ~X86_PTE_A);
}

int huge_copy_range(struct mm_core *core, struct mm_struct *dst, struct mm_struct *src,
		    struct vma *src_vma)
{
	struct range_walk rw = { .core = core, .vma = src_vma, .dst = dst };

	pgtable_for_each_leaf(core, src, src_vma->start, src_vma->end, NULL, copy_pmd_fn, &rw);
	return rw.err;
}

static void anon_kb_fn(void *ctx, vaddr_t haddr, paddr_t pmd_addr, uint64_t pmd)
{
	struct range_walk *rw = ctx;

	(void)haddr, (void)pmd_addr;
	if (x86_pte_pfn(pmd, rw->core->cpu->maxphyaddr) != rw->core->huge_zero_pfn)
		rw->count += HPAGE_PMD_SIZE / 1024;
}

uint64_t huge_anon_kb(struct mm_core *core, struct mm_struct *mm, vaddr_t start, vaddr_t end)
{
	struct range_walk rw = { .core = core };

	pgtable_for_each_leaf(core, mm, start, end, NULL, anon_kb_fn, &rw);
	return rw.count;
}
