/*
 * mm/memory.c: zap, copy and protect ranges of PTEs (see memory.h).
 */
#include "mm/memory.h"

#include <errno.h>
#include <stdlib.h>

#include "arch/x86_64/physmem.h"
#include "arch/x86_64/pte.h"
#include "mm/anon.h"
#include "mm/bug.h"
#include "mm/core.h"
#include "mm/huge_memory.h"
#include "mm/filemap.h"
#include "mm/page.h"
#include "mm/pgtable.h"
#include "mm/swap.h"
#include "mm/vmscan.h"
#include "mm/vma.h"

uint64_t *memory_rss_counter(struct mm_struct *mm, const struct page *pg)
{
	if (page_flag_test(pg, PG_ANON))
		return &mm->rss_anon;
	return page_flag_test(pg, PG_SWAPBACKED) ? &mm->rss_shmem : &mm->rss_file;
}

struct zap_ctx {
	struct mm_core *core;
	struct vma *vma;
};

static void zap_one(void *ctx, vaddr_t va, paddr_t pte_addr, uint64_t pte)
{
	struct zap_ctx *zc = ctx;
	struct mm_core *core = zc->core;
	struct mm_struct *mm = zc->vma->mm;
	struct page *pg;

	physmem_write64(core->pm, pte_addr, 0);
	core_event(core, &(struct mm_event){ .kind = MM_EV_PTE_WRITE,
					     .level = 1,
					     .va = va,
					     .entry_addr = pte_addr,
					     .old = pte,
					     .new = 0 });
	if (!x86_pte_present(pte) && !anon_pte_protnone(pte)) {
		swap_free_entry(core, pte);
		mm->swap_ents--;
		return;
	}
	if (x86_pte_pfn(pte, core->cpu->maxphyaddr) == core->zero_pfn)
		return;
	pg = core_page(core, x86_pte_pfn(pte, core->cpu->maxphyaddr));
	/* Linux zap_present_ptes(): a file page's dirty bit moves to the page. */
	if (filemap_page_is_file(pg) && x86_pte_dirty(pte))
		filemap_set_dirty(core, pg);
	(*memory_rss_counter(mm, pg))--;
	anon_unmap_page(core, x86_pte_pfn(pte, core->cpu->maxphyaddr));
}

void memory_zap_range(struct mm_core *core, struct vma *vma, vaddr_t start, vaddr_t end)
{
	struct zap_ctx zc = { .core = core, .vma = vma };

	huge_zap_range(core, vma, start, end);
	pgtable_for_each_pte(core, vma->mm, start, end, zap_one, &zc);
	core_tlb_flush_range(core, vma->mm, start, end, "pages unmapped");
}

struct pageout_ctx {
	struct mm_core *core;
	pfn_t *pfns; /* candidates, in address order */
	uint64_t nr, cap;
};

static void pageout_one(void *ctx, vaddr_t va, paddr_t pte_addr, uint64_t pte)
{
	struct pageout_ctx *pc = ctx;
	struct mm_core *core = pc->core;
	struct page *pg;
	pfn_t pfn;

	(void)va, (void)pte_addr;
	if (pc->nr == pc->cap || (!x86_pte_present(pte) && !anon_pte_protnone(pte)))
		return;
	pfn = x86_pte_pfn(pte, core->cpu->maxphyaddr);
	if (pfn == core->zero_pfn)
		return;
	pg = core_page(core, pfn);
	if (!page_flag_test(pg, PG_ANON) || pg->mapcount != 1)
		return;
	pc->pfns[pc->nr++] = pfn;
}

uint64_t memory_pageout_range(struct mm_core *core, struct vma *vma, vaddr_t start, vaddr_t end,
			      uint64_t max_pages, bool *stopped)
{
	uint64_t span = (end - start) >> X86_PAGE_SHIFT;
	struct pageout_ctx pc = { .core = core, .cap = max_pages < span ? max_pages : span };
	uint64_t done = 0;

	*stopped = false;
	if (vma->shmem || pc.cap == 0)
		return 0;
	/* Isolate first (Linux builds a folio list under the page-table lock), then reclaim:
	 * reclaiming rewrites the very PTEs being walked. */
	pc.pfns = malloc(pc.cap * sizeof(*pc.pfns));
	if (!pc.pfns) {
		*stopped = true;
		return 0;
	}
	/* Linux madvise_cold_or_pageout_pte_range(): a THP only this process maps is split
	 * and its pages reclaimed (shrink_folio_list() splits it before swap-out). */
	huge_split_range(core, vma, start, end, true);
	pgtable_for_each_pte(core, vma->mm, start, end, pageout_one, &pc);
	for (uint64_t i = 0; i < pc.nr; i++) {
		int rc = vmscan_pageout_page(core, core_page(core, pc.pfns[i]));

		if (rc == -ENOSPC) {
			*stopped = true;
			break;
		}
		done += rc == 0;
	}
	free(pc.pfns);
	return done;
}

struct copy_ctx {
	struct mm_core *core;
	struct mm_struct *dst, *src;
	struct vma *vma;
	int err;
};

static void copy_one(void *ctx, vaddr_t va, paddr_t src_pte_addr, uint64_t pte)
{
	struct copy_ctx *cc = ctx;
	struct mm_core *core = cc->core;
	paddr_t dst_pte_addr;
	pfn_t pfn;

	if (cc->err)
		return;
	cc->err = pgtable_pte_addr(core, cc->dst, va, true, &dst_pte_addr);
	if (cc->err)
		return;
	if (!x86_pte_present(pte) && !anon_pte_protnone(pte)) {
		swap_dup_entry(core, pte);
		cc->dst->swap_ents++;
		/* Linux copy_nonpresent_pte(): the entry is shared now, in both. */
		if (pte & SWP_PTE_EXCLUSIVE) {
			pte &= ~SWP_PTE_EXCLUSIVE;
			physmem_write64(core->pm, src_pte_addr, pte);
		}
		physmem_write64(core->pm, dst_pte_addr, pte);
		return;
	}
	pfn = x86_pte_pfn(pte, core->cpu->maxphyaddr);
	/* Linux copy_present_pte(): COW mappings lose write access in both. */
	if (!(cc->vma->flags & VM_SHARED) && x86_pte_writable(pte)) {
		pte &= ~X86_PTE_RW;
		physmem_write64(core->pm, src_pte_addr, pte);
	}
	if (cc->vma->flags & VM_SHARED)
		pte &= ~X86_PTE_D;
	physmem_write64(core->pm, dst_pte_addr, pte & ~X86_PTE_A); /* the child's PTE is old */
	if (pfn == core->zero_pfn)
		return;
	anon_dup_page(core, pfn);
	(*memory_rss_counter(cc->dst, core_page(core, pfn)))++;
}

int memory_copy_range(struct mm_core *core, struct mm_struct *dst, struct vma *dst_vma,
		      struct mm_struct *src, struct vma *src_vma)
{
	struct copy_ctx cc = { .core = core, .dst = dst, .src = src, .vma = src_vma };

	(void)dst_vma;
	if (!src_vma->anon_vma)
		return 0; /* Linux vma_needs_copy(): page faults will fill it correctly */
	cc.err = huge_copy_range(core, dst, src, src_vma);
	if (cc.err)
		return cc.err;
	pgtable_for_each_pte(core, src, src_vma->start, src_vma->end, copy_one, &cc);
	return cc.err;
}

struct prot_ctx {
	struct mm_core *core;
	struct vma *vma;
	uint64_t changed;
	bool flush;
};

/* Linux can_change_pte_writable(): a private page this mapping owns alone may get write
 * access back at once; the zero page and pages shared by a fork may not. */
static bool can_keep_write(struct mm_core *core, const struct vma *vma, uint64_t pte)
{
	pfn_t pfn = x86_pte_pfn(pte, core->cpu->maxphyaddr);
	struct page *pg;

	if (vma->flags & VM_SHARED)
		return x86_pte_dirty(pte);
	if (pfn == core->zero_pfn)
		return false;
	pg = core_page(core, pfn);
	return page_flag_test(pg, PG_ANON) && page_flag_test(pg, PG_ANON_EXCLUSIVE);
}

static void protect_one(void *ctx, vaddr_t va, paddr_t pte_addr, uint64_t pte)
{
	struct prot_ctx *pc = ctx;
	uint64_t npte;

	(void)va;
	if (!x86_pte_present(pte) && !anon_pte_protnone(pte))
		return; /* swap entries keep no rights */
	npte = anon_pte_modify(pc->core, pte, pc->vma, can_keep_write(pc->core, pc->vma, pte));
	if (npte == pte)
		return;
	/* Rights removed need a shootdown; rights added do not (a stale entry only faults). */
	if ((x86_pte_present(pte) && !x86_pte_present(npte)) ||
	    (x86_pte_writable(pte) && !x86_pte_writable(npte)) ||
	    (!x86_pte_xd(pte) && x86_pte_xd(npte)))
		pc->flush = true;
	physmem_write64(pc->core->pm, pte_addr, npte);
	pc->changed++;
}

uint64_t memory_change_protection(struct mm_core *core, struct vma *vma, vaddr_t start, vaddr_t end)
{
	struct prot_ctx pc = { .core = core, .vma = vma };

	pc.changed = huge_change_protection(core, vma, start, end);
	pgtable_for_each_pte(core, vma->mm, start, end, protect_one, &pc);
	/* Linux flushes the range after change_protection() whatever changed. */
	core_tlb_flush_range(core, vma->mm, start, end, "mprotect changed rights");
	return pc.changed;
}
