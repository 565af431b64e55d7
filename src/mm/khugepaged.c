/*
 * mm/khugepaged.c: khugepaged (see khugepaged.h). Linux 6.12 mm/khugepaged.c:
 * khugepaged_enter_vma, __khugepaged_enter, khugepaged_fork, khugepaged_exit,
 * khugepaged_do_scan, khugepaged_scan_mm_slot, hpage_collapse_scan_pmd, collapse_huge_page,
 * __collapse_huge_page_copy, khugepaged_wait_work.
 */
#include "mm/khugepaged.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "arch/x86_64/physmem.h"
#include "arch/x86_64/pte.h"
#include "mm/anon.h"
#include "mm/bug.h"
#include "mm/core.h"
#include "mm/gfp.h"
#include "mm/huge_memory.h"
#include "mm/page.h"
#include "mm/page_alloc.h"
#include "mm/pgtable.h"
#include "mm/rmap.h"
#include "mm/vma.h"
#include "mm/vmstat.h"

struct khugepaged {
	struct khugepaged_settings set;
	struct mm_struct **mms; /* mm_slots, in the order they joined */
	size_t nr, cap;
	size_t cur;	   /* khugepaged_scan.mm_slot: index in mms */
	vaddr_t address;   /* khugepaged_scan.address in mms[cur] */
	uint64_t slept_ns; /* simulated time spent in khugepaged_sleep() */
	uint64_t next_ns;  /* when the next scan is due; UINT64_MAX: not while idle */
	uint64_t full_scans;
};

static uint64_t now_ns(const struct mm_core *core)
{
	return core->nr_accesses * KHUGEPAGED_ACCESS_NS + core->khugepaged->slept_ns;
}

/* The access count at which the next scan is due (the access path compares only). */
static void set_due(struct mm_core *core)
{
	struct khugepaged *kh = core->khugepaged;
	uint64_t due_ns;

	if (kh->next_ns == UINT64_MAX || !kh->nr) {
		core->khugepaged_due = UINT64_MAX;
		return;
	}
	due_ns = kh->next_ns > kh->slept_ns ? kh->next_ns - kh->slept_ns : 0;
	core->khugepaged_due = (due_ns + KHUGEPAGED_ACCESS_NS - 1) / KHUGEPAGED_ACCESS_NS;
}

int khugepaged_init(struct mm_core *core, const struct khugepaged_settings *s)
{
	struct khugepaged *kh = calloc(1, sizeof(*kh));

	if (!kh)
		return -ENOMEM;
	kh->set = *s;
	kh->next_ns = UINT64_MAX;
	core->khugepaged = kh;
	core->khugepaged_due = UINT64_MAX;
	return 0;
}

void khugepaged_fini(struct mm_core *core)
{
	if (!core->khugepaged)
		return;
	free(core->khugepaged->mms);
	free(core->khugepaged);
	core->khugepaged = NULL;
}

unsigned int khugepaged_nr_mms(const struct mm_core *core)
{
	return core->khugepaged ? (unsigned int)core->khugepaged->nr : 0;
}

static bool listed(const struct khugepaged *kh, const struct mm_struct *mm)
{
	for (size_t i = 0; i < kh->nr; i++) {
		if (kh->mms[i] == mm)
			return true;
	}
	return false;
}

/* __khugepaged_enter(): appended; an idle daemon is woken and scans at once. */
static void enter(struct mm_core *core, struct mm_struct *mm)
{
	struct khugepaged *kh = core->khugepaged;

	if (!kh || listed(kh, mm))
		return;
	if (kh->nr == kh->cap) {
		size_t cap = kh->cap ? kh->cap * 2 : 8;
		struct mm_struct **m = realloc(kh->mms, cap * sizeof(*m));

		if (!m)
			return; /* host memory: the process is simply not scanned */
		kh->mms = m;
		kh->cap = cap;
	}
	kh->mms[kh->nr++] = mm;
	if (kh->nr == 1)
		kh->next_ns = now_ns(core);
	set_due(core);
}

void khugepaged_enter_vma(struct mm_core *core, struct vma *vma)
{
	if (huge_vma_thp_enabled(core, vma))
		enter(core, vma->mm);
}

void khugepaged_fork(struct mm_core *core, struct mm_struct *parent, struct mm_struct *child)
{
	if (core->khugepaged && listed(core->khugepaged, parent))
		enter(core, child);
}

void khugepaged_exit(struct mm_core *core, struct mm_struct *mm)
{
	struct khugepaged *kh = core->khugepaged;

	if (!kh)
		return;
	for (size_t i = 0; i < kh->nr; i++) {
		if (kh->mms[i] != mm)
			continue;
		memmove(&kh->mms[i], &kh->mms[i + 1], (kh->nr - i - 1) * sizeof(*kh->mms));
		kh->nr--;
		if (kh->cur > i) {
			kh->cur--;
		} else if (kh->cur == i) {
			kh->address = 0; /* the next process's scan starts at its beginning */
			if (kh->cur >= kh->nr)
				kh->cur = 0;
		}
		break;
	}
	if (!kh->nr)
		kh->next_ns = UINT64_MAX; /* nothing to do: it waits for work */
	set_due(core);
}

/* What hpage_collapse_scan_pmd() found in one PTE table. */
struct scan {
	unsigned int none_or_zero, shared, referenced;
	bool writable;
};

/* hpage_collapse_scan_pmd()'s per-PTE checks; false: the range is left. */
static bool scan_table(struct mm_core *core, paddr_t table, struct scan *sc)
{
	const struct khugepaged_settings *set = &core->khugepaged->set;

	memset(sc, 0, sizeof(*sc));
	for (unsigned int i = 0; i < X86_PT_ENTRIES; i++) {
		uint64_t pte = physmem_read64(core->pm, table + i * sizeof(uint64_t));
		struct page *pg;
		pfn_t pfn;

		if (!pte || (x86_pte_present(pte) &&
			     x86_pte_pfn(pte, core->cpu->maxphyaddr) == core->zero_pfn)) {
			if (++sc->none_or_zero <= set->max_ptes_none)
				continue;
			core_count(core, VMSTAT_THP_SCAN_EXCEED_NONE_PTE);
			return false;
		}
		/* mmsim: a swapped-out page (or a PROT_NONE one) keeps the range as it is;
		 * Linux swaps up to max_ptes_swap pages in. */
		if (!x86_pte_present(pte))
			return false;
		if (x86_pte_writable(pte))
			sc->writable = true;
		pfn = x86_pte_pfn(pte, core->cpu->maxphyaddr);
		pg = core_page(core, pfn);
		if (!page_flag_test(pg, PG_ANON) || !page_flag_test(pg, PG_LRU))
			return false;
		if (pg->mapcount > 1 && ++sc->shared > set->max_ptes_shared)
			return false;
		/* is_refcount_suitable(): no reference beyond the mappings and the swap cache. */
		if (pg->refcount != pg->mapcount + (page_flag_test(pg, PG_SWAPCACHE) ? 1 : 0))
			return false;
		if (x86_pte_accessed(pte) || page_flag_test(pg, PG_REFERENCED))
			sc->referenced++;
	}
	return sc->writable && sc->referenced > 0;
}

/* collapse_huge_page(): a new huge page takes the range's 4 KiB pages' place. */
static void collapse(struct mm_core *core, struct vma *vma, vaddr_t haddr, paddr_t pmd_addr)
{
	struct mm_struct *mm = vma->mm;
	/* khugepaged/defrag = 1: GFP_TRANSHUGE, direct reclaim allowed. */
	gfp_t gfp = ((GFP_HIGHUSER_MOVABLE | GFP_NOWARN) & ~GFP_RECLAIM) | GFP_DIRECT_RECLAIM |
		    (core->data_mode ? GFP_ZERO : 0);
	uint64_t pmd;
	paddr_t table;
	struct scan sc;
	struct page *head;
	pfn_t hpfn;

	if (!anon_vma_prepare(vma, core->anon_vma_cache))
		return;
	if ((core->frames_cap && core->nr_user_pages + HPAGE_PMD_NR > core->frames_cap) ||
	    page_alloc(core->pgdat, gfp, HPAGE_PMD_ORDER, &hpfn)) {
		core_count(core, VMSTAT_THP_COLLAPSE_ALLOC_FAILED);
		return;
	}
	core_count(core, VMSTAT_THP_COLLAPSE_ALLOC);
	core->nr_user_pages += HPAGE_PMD_NR;
	/* hugepage_vma_revalidate() and __collapse_huge_page_isolate(): the allocation may
	 * have reclaimed, so look again. */
	pmd = physmem_read64(core->pm, pmd_addr);
	table = x86_pte_addr(pmd, core->cpu->maxphyaddr);
	if (!x86_pte_present(pmd) || (pmd & X86_PTE_PS) || !scan_table(core, table, &sc)) {
		core->nr_user_pages -= HPAGE_PMD_NR;
		page_free(core->pgdat, hpfn, HPAGE_PMD_ORDER);
		return;
	}
	/* __collapse_huge_page_copy(): each page copied (holes stay zero), its PTE cleared,
	 * the old page unmapped. */
	for (unsigned int i = 0; i < X86_PT_ENTRIES; i++) {
		paddr_t ea = table + i * sizeof(uint64_t);
		uint64_t pte = physmem_read64(core->pm, ea);
		pfn_t pfn;

		if (!pte)
			continue;
		physmem_write64(core->pm, ea, 0);
		pfn = x86_pte_pfn(pte, core->cpu->maxphyaddr);
		if (pfn == core->zero_pfn)
			continue;
		anon_copy_data(core, hpfn + i, pfn);
		mm->rss_anon--;
		anon_unmap_page(core, pfn);
	}
	head = core_page(core, hpfn);
	huge_add_new_anon(core, vma, haddr, head);
	/* The emptied PTE table is deposited for the new PMD leaf. */
	huge_deposit(core, pmd_addr, X86_PADDR_TO_PFN(table));
	physmem_write64(core->pm, pmd_addr, huge_pmd_make(core, vma, hpfn, true, true));
	core_event(core, &(struct mm_event){ .kind = MM_EV_PTE_WRITE,
					     .level = X86_LEVEL_PDE,
					     .va = haddr,
					     .entry_addr = pmd_addr,
					     .old = pmd,
					     .new = physmem_read64(core->pm, pmd_addr) });
	mm->rss_anon += HPAGE_PMD_NR;
	/* pmdp_collapse_flush(): the old 4 KiB translations and the cached PDE go. */
	core_tlb_flush_range(core, mm, haddr, haddr + HPAGE_PMD_SIZE, "khugepaged collapse");
}

/* hpage_collapse_scan_pmd() for the 2 MiB at haddr. */
static void scan_pmd(struct mm_core *core, struct vma *vma, vaddr_t haddr)
{
	paddr_t pmd_addr;
	uint64_t pmd;
	struct scan sc;

	if (pgtable_pmd_addr(core, vma->mm, haddr, false, &pmd_addr))
		return; /* SCAN_PMD_NULL */
	pmd = physmem_read64(core->pm, pmd_addr);
	if (!x86_pte_present(pmd) || (pmd & X86_PTE_PS))
		return; /* SCAN_PMD_NONE, SCAN_PMD_MAPPED */
	if (scan_table(core, x86_pte_addr(pmd, core->cpu->maxphyaddr), &sc))
		collapse(core, vma, haddr, pmd_addr);
}

/* khugepaged_scan_mm_slot(): scans the current process from the saved address; moves on
 * to the next when its VMAs are done. Returns the progress made. */
static unsigned int scan_mm_slot(struct mm_core *core, unsigned int pages)
{
	struct khugepaged *kh = core->khugepaged;
	struct mm_struct *mm = kh->mms[kh->cur];
	unsigned int progress = 0;
	struct vma *vma;

	for (vma = vma_find_above(mm, kh->address); vma; vma = vma->next) {
		vaddr_t hstart = (vma->start + HPAGE_PMD_SIZE - 1) & HPAGE_PMD_MASK;
		vaddr_t hend = vma->end & HPAGE_PMD_MASK;

		if (!huge_vma_thp_enabled(core, vma) || kh->address > hend) {
			progress++;
			continue;
		}
		if (kh->address < hstart)
			kh->address = hstart;
		while (kh->address < hend) {
			scan_pmd(core, vma, kh->address);
			kh->address += HPAGE_PMD_SIZE;
			progress += HPAGE_PMD_NR;
			if (progress >= pages)
				return progress;
		}
	}
	/* Done with this process: the next one, from its start. */
	kh->address = 0;
	if (++kh->cur >= kh->nr) {
		kh->cur = 0;
		kh->full_scans++;
	}
	return progress;
}

/* khugepaged_do_scan(): pages_to_scan pages' worth, at most twice through the list. */
static void do_scan(struct mm_core *core)
{
	struct khugepaged *kh = core->khugepaged;
	unsigned int progress = 0, pass_through_head = 0;

	while (progress < kh->set.pages_to_scan && kh->nr) {
		if (kh->cur == 0 && kh->address == 0 && ++pass_through_head >= 2)
			break;
		progress += scan_mm_slot(core, kh->set.pages_to_scan - progress);
	}
}

static void run_until(struct mm_core *core, uint64_t now)
{
	struct khugepaged *kh = core->khugepaged;
	const uint64_t period = (uint64_t)kh->set.scan_sleep_ms * 1000000u;

	for (unsigned int n = 0; kh->nr && kh->next_ns <= now && n < KHUGEPAGED_MAX_CATCHUP; n++) {
		do_scan(core);
		kh->next_ns += period ? period : 1;
	}
	/* Scans beyond the catch-up bound are dropped, not queued. */
	if (kh->nr && kh->next_ns <= now)
		kh->next_ns = now + period;
	set_due(core);
}

void khugepaged_run_due(struct mm_core *core)
{
	if (core->khugepaged)
		run_until(core, now_ns(core));
}

void khugepaged_sleep(struct mm_core *core, uint64_t ms)
{
	struct khugepaged *kh = core->khugepaged;

	if (!kh)
		return;
	kh->slept_ns += ms * 1000000u;
	run_until(core, now_ns(core));
}
