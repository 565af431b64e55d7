/*
 * mm/core.c: the mm layer's link to the machine (see core.h): page allocation with the
 * right GFP mask and accounting, references, LRU membership, counters, TLB shootdowns.
 * Linux: arch/x86/mm/tlb.c (flush_tlb_mm_range, tlb_single_page_flush_ceiling).
 */
#include "mm/core.h"

#include "arch/x86_64/cr.h"
#include "arch/x86_64/tlb.h"
#include "mm/bug.h"
#include "mm/gfp.h"
#include "mm/page.h"
#include "mm/page_alloc.h"
#include "mm/pgdat.h"
#include "mm/policy.h"
#include "mm/vma.h"
#include "mm/vmstat.h"

/* Linux tlb_single_page_flush_ceiling: above 33 pages a range flush flushes everything. */
#define TLB_SINGLE_PAGE_FLUSH_CEILING 33u

struct page *core_page(const struct mm_core *core, pfn_t pfn)
{
	return pgdat_page(core->pgdat, pfn);
}

pfn_t core_pfn(const struct mm_core *core, const struct page *pg)
{
	return pgdat_pfn(core->pgdat, pg);
}

int core_alloc_page(struct mm_core *core, enum core_alloc_kind kind, pfn_t *pfn_out)
{
	gfp_t gfp;
	int err;

	if (kind == CORE_ALLOC_TABLE) {
		err = page_alloc(core->pgdat, GFP_KERNEL | GFP_ZERO, 0, pfn_out);
		if (err)
			return err;
		/* Every table page counts in nr_page_table_pages (the kernel's too: mmsim). */
		page_flag_set(core_page(core, *pfn_out), PG_PGTABLE);
		core->pgdat->vmstat[VMSTAT_NR_PAGETABLE]++;
		return 0;
	}
	err = core->charge ? core->charge(core) : 0;
	if (err)
		return err;
	/* New user pages are zero-filled; without data mode nobody can tell, so skip it. */
	gfp = GFP_HIGHUSER_MOVABLE | (core->data_mode ? GFP_ZERO : 0);
	err = page_alloc(core->pgdat, gfp, 0, pfn_out);
	if (!err)
		core->nr_user_pages++;
	return err;
}

void core_free_page(struct mm_core *core, pfn_t pfn, enum core_alloc_kind kind)
{
	struct page *pg = core_page(core, pfn);

	if (kind == CORE_ALLOC_TABLE) {
		MM_BUG_ON(!page_flag_test(pg, PG_PGTABLE));
		page_flag_clear(pg, PG_PGTABLE);
		core->pgdat->vmstat[VMSTAT_NR_PAGETABLE]--;
	}
	page_free(core->pgdat, pfn, 0);
}

bool core_page_is_table(struct mm_core *core, pfn_t pfn)
{
	return pfn < core->pgdat->nr_pfns && page_flag_test(core_page(core, pfn), PG_PGTABLE);
}

void core_put_page(struct mm_core *core, pfn_t pfn)
{
	struct page *pg = core_page(core, pfn);

	MM_BUG_ON(pg->refcount <= 0);
	if (pg->refcount == 1) {
		MM_BUG_ON(pg->mapcount != 0);
		if (page_flag_test(pg, PG_LRU))
			core_lru_del(core, pg);
		pg->flags &= ~(PAGE_FLAG_MASK(PG_ANON) | PAGE_FLAG_MASK(PG_SWAPBACKED) |
			       PAGE_FLAG_MASK(PG_ANON_EXCLUSIVE) | PAGE_FLAG_MASK(PG_DIRTY) |
			       PAGE_FLAG_MASK(PG_REFERENCED) | PAGE_FLAG_MASK(PG_ACTIVE) |
			       PAGE_FLAG_MASK(PG_WORKINGSET));
		pg->mapping = NULL;
		pg->index = 0;
		pg->private = 0;
		pg->policy.raw = 0;
		core->nr_user_pages -= page_flag_test(pg, PG_HEAD) ? UINT64_C(1) << pg->order : 1;
		core_event(core, &(struct mm_event){ .kind = MM_EV_FRAME_FREE,
						     .pfn = pfn,
						     .what = "user page" });
	}
	page_put(core->pgdat, pg);
}

/* Anonymous and shmem pages (both swap-backed) and file pages (in a file's cache: a
 * mapping, not anonymous) are evictable. */
void core_lru_add(struct mm_core *core, struct page *pg)
{
	if (!core->policy ||
	    (!page_flag_test(pg, PG_SWAPBACKED) && (!pg->mapping || page_flag_test(pg, PG_ANON))))
		return;
	page_flag_set(pg, PG_LRU);
	core->policy->ops->page_added(core->policy, pg);
	core->policy->has_incoming = false;
}

void core_lru_incoming(struct mm_core *core, const void *mapping, uint64_t index)
{
	if (!core->policy)
		return;
	core->policy->has_incoming = true;
	core->policy->incoming =
		(struct policy_key){ .mapping = (uintptr_t)mapping, .index = index };
}

void core_lru_del(struct mm_core *core, struct page *pg)
{
	if (!page_flag_test(pg, PG_LRU))
		return;
	page_flag_clear(pg, PG_LRU);
	core->policy->ops->page_removed(core->policy, pg);
}

void core_count(struct mm_core *core, enum vmstat_item item)
{
	core->pgdat->vmstat[item]++;
}

void core_count_mod(struct mm_core *core, enum vmstat_item item, long delta)
{
	core->pgdat->vmstat[item] += (unsigned long)delta;
}

void core_event_slow(struct mm_core *core, struct mm_event *ev)
{
	if (!ev->pid)
		ev->pid = core->current_pid;
	core->event_cb(core->event_ctx, ev);
}

/* kpti: the PCID of mm that is not loaded now (with PCIDE), as flush_tlb_one_user() needs. */
static uint16_t pti_other_pcid(const struct mm_core *core, const struct mm_struct *mm)
{
	bool user_loaded = (core->cpu->cr3 & PTI_USER_PGTABLE_MASK) != 0;

	return (uint16_t)(user_loaded ? mm->pcid : mm->pcid | PTI_USER_PCID_MASK);
}

void core_tlb_flush_page(struct mm_core *core, vaddr_t va)
{
	tlb_invlpg(core->tlb, core->cpu, va);
	/* Linux flush_tlb_one_user(): with PTI and INVPCID, the user PCID's entry too. */
	if (core->kpti && core->cpu->pcide && core->current_mm)
		tlb_invpcid(core->tlb, core->cpu, TLB_INVPCID_ADDR,
			    pti_other_pcid(core, core->current_mm), va);
}

void core_tlb_flush_mm(struct mm_core *core, struct mm_struct *mm, const char *why)
{
	core_event(core, &(struct mm_event){ .kind = MM_EV_TLB_FLUSH, .va = 0, .what = why });
	if (mm == core->current_mm || core->cpu->pcide)
		tlb_invpcid(core->tlb, core->cpu, TLB_INVPCID_SINGLE,
			    core->cpu->pcide ? mm->pcid : 0, 0);
	/* Without PCID another mm has no entries: they went at the switch away from it. */
	if (!core->kpti || !core->cpu->pcide)
		return;
	/* Linux flush_tlb_local(): the user PCID waits for the return to user mode, unless
	 * user mode's tables are loaded now (or mm is not running): then flush it at once. */
	if (mm == core->current_mm && !(core->cpu->cr3 & PTI_USER_PGTABLE_MASK))
		mm->pti_user_flush_pending = true;
	else
		tlb_invpcid(core->tlb, core->cpu, TLB_INVPCID_SINGLE, mm->pcid | PTI_USER_PCID_MASK,
			    0);
}

void core_tlb_flush_pmd(struct mm_core *core, struct mm_struct *mm, vaddr_t haddr, const char *why)
{
	core_event(core, &(struct mm_event){ .kind = MM_EV_TLB_FLUSH, .va = haddr, .what = why });
	if (mm == core->current_mm)
		tlb_invlpg(core->tlb, core->cpu, haddr);
	else if (core->cpu->pcide)
		tlb_invpcid(core->tlb, core->cpu, TLB_INVPCID_ADDR, mm->pcid, haddr);
}

void core_tlb_flush_range(struct mm_core *core, struct mm_struct *mm, vaddr_t start, vaddr_t end,
			  const char *why)
{
	uint64_t pages = (end - start) >> 12;

	if (pages > TLB_SINGLE_PAGE_FLUSH_CEILING) {
		core_tlb_flush_mm(core, mm, why);
		return;
	}
	core_event(core, &(struct mm_event){ .kind = MM_EV_TLB_FLUSH, .va = start, .what = why });
	for (vaddr_t va = start; va < end; va += 4096) {
		if (mm == core->current_mm) {
			core_tlb_flush_page(core, va);
		} else if (core->cpu->pcide) {
			tlb_invpcid(core->tlb, core->cpu, TLB_INVPCID_ADDR, mm->pcid, va);
			if (core->kpti)
				tlb_invpcid(core->tlb, core->cpu, TLB_INVPCID_ADDR,
					    mm->pcid | PTI_USER_PCID_MASK, va);
		}
	}
}
