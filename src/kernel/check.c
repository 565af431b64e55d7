/*
 * kernel/check.c: whole-system invariants over every address space (run after each
 * operation by --paranoid and by the stress tests):
 *  - a user PTE names the zero page or a user page: never a free frame, a page table, a
 *    slab or a reserved (kernel) frame: processes are isolated from the kernel;
 *  - every user page's mapcount equals the number of PTEs that map it, across all mms;
 *    its refcount is mapcount plus one if a shmem object holds it;
 *  - each mm's rss_anon/rss_shmem equal the pages its PTEs map;
 *  - a mapped shmem or file page is the one its VMA's object holds at the index the PTE's
 *    address maps to: page->mapping is the object, page->index that index (Linux
 *    linear_page_index(): (va - vm_start) / PAGE_SIZE + vm_pgoff), and the object's slot
 *    at that index names this frame (Linux filemap_fault() maps the folio found at
 *    vmf->pgoff; mm/rmap.c finds the PTE back from (mapping, index) the same way).
 * kernel_check_all() runs these after mm's own checkers (node, VMAs, page tables, LRU).
 */
#include "kernel/check.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arch/x86_64/physmem.h"
#include "arch/x86_64/pte.h"
#include "kernel/system.h"
#include "mm/anon.h"
#include "mm/check.h"
#include "mm/page.h"
#include "mm/pgdat.h"
#include "mm/huge_memory.h"
#include "mm/pgtable.h"
#include "mm/shmem.h"
#include "mm/vma.h"
#include "mm/vmscan.h"

struct pte_census {
	struct mmsim_system *sys;
	uint32_t *maps;		    /* per pfn: PTEs seen */
	uint64_t anon, shmem, file; /* pages this mm maps */
	struct vma *vma;
	struct check_report *why;
	bool ok;
};

/* A shmem or file page mapped at va: its (mapping, index) is the page-cache slot the VMA
 * maps va to, and that slot holds it. */
static bool census_cache_page(struct pte_census *c, vaddr_t va, pfn_t pfn, const struct page *pg)
{
	const struct shmem_obj *obj = c->vma->shmem;
	uint64_t index = obj ? vma_page_index(c->vma, va) : 0;

	if (!obj || pg->mapping != obj)
		return check_fail(c->why,
				  "va %#llx maps pfn %#llx of mapping %p, but its VMA maps %s %p",
				  (unsigned long long)va, (unsigned long long)pfn, pg->mapping,
				  obj ? "object" : "no object", (const void *)obj);
	if (pg->index != index)
		return check_fail(c->why,
				  "va %#llx maps index %llu of its mapping (pgoff %llu), but pfn "
				  "%#llx has index %llu",
				  (unsigned long long)va, (unsigned long long)index,
				  (unsigned long long)c->vma->pgoff, (unsigned long long)pfn,
				  (unsigned long long)pg->index);
	if (index >= obj->nr_pages || obj->pages[index] != pfn)
		return check_fail(c->why,
				  "va %#llx maps pfn %#llx at index %llu, but the page-cache slot "
				  "holds %#llx",
				  (unsigned long long)va, (unsigned long long)pfn,
				  (unsigned long long)index,
				  (unsigned long long)(index < obj->nr_pages ? obj->pages[index]
									     : SHMEM_NO_PAGE));
	return true;
}

static void census_pte(void *ctx, vaddr_t va, paddr_t pte_addr, uint64_t pte)
{
	struct pte_census *c = ctx;
	struct page *pg;
	pfn_t pfn;

	(void)pte_addr;
	if (!c->ok || (!x86_pte_present(pte) && !anon_pte_protnone(pte)))
		return;
	pfn = x86_pte_pfn(pte, c->sys->cpu.maxphyaddr);
	if (pfn == c->sys->core.zero_pfn) {
		if (x86_pte_writable(pte))
			c->ok = check_fail(c->why, "va %#llx: the zero page is mapped writable",
					   (unsigned long long)va);
		return;
	}
	if (pfn >= c->sys->pgdat->nr_pfns) {
		c->ok = check_fail(c->why, "va %#llx maps pfn %#llx beyond RAM",
				   (unsigned long long)va, (unsigned long long)pfn);
		return;
	}
	pg = pgdat_page(c->sys->pgdat, pfn);
	if (pg->flags & (PAGE_FLAG_MASK(PG_BUDDY) | PAGE_FLAG_MASK(PG_PGTABLE) |
			 PAGE_FLAG_MASK(PG_SLAB) | PAGE_FLAG_MASK(PG_RESERVED)) ||
	    pg->refcount <= 0) {
		c->ok = check_fail(c->why,
				   "va %#llx maps pfn %#llx, which is not a user page "
				   "(flags %#x refcount %d)",
				   (unsigned long long)va, (unsigned long long)pfn, pg->flags,
				   pg->refcount);
		return;
	}
	if (!x86_pte_user(pte) && x86_pte_present(pte)) {
		c->ok = check_fail(c->why, "va %#llx: user page mapped supervisor-only",
				   (unsigned long long)va);
		return;
	}
	if (!page_flag_test(pg, PG_ANON) && !census_cache_page(c, va, pfn, pg)) {
		c->ok = false;
		return;
	}
	c->maps[pfn]++;
	if (page_flag_test(pg, PG_ANON))
		c->anon++;
	else if (page_flag_test(pg, PG_SWAPBACKED))
		c->shmem++;
	else
		c->file++;
}

/* A PMD leaf: the huge zero page (read-only), or an anonymous THP counted once at its
 * head with its 512 pages of rss (mm/huge_memory.h). */
static void census_pmd(void *ctx, vaddr_t va, paddr_t pmd_addr, uint64_t pmd)
{
	struct pte_census *c = ctx;
	pfn_t pfn = x86_pte_pfn(pmd, c->sys->cpu.maxphyaddr);

	(void)pmd_addr;
	if (!c->ok)
		return;
	if (pfn == c->sys->core.huge_zero_pfn) {
		if (x86_pte_writable(pmd))
			c->ok = check_fail(c->why,
					   "va %#llx: the huge zero page is mapped writable",
					   (unsigned long long)va);
		return;
	}
	if (pfn >= c->sys->pgdat->nr_pfns || c->vma->shmem ||
	    !huge_page_is_thp(pgdat_page(c->sys->pgdat, pfn))) {
		c->ok = check_fail(c->why, "va %#llx: a PMD leaf maps pfn %#llx, not a THP",
				   (unsigned long long)va, (unsigned long long)pfn);
		return;
	}
	c->maps[pfn]++;
	c->anon += HPAGE_PMD_NR;
}

bool kernel_check_pages(struct mmsim_system *sys, struct check_report *why)
{
	struct pte_census c = { .sys = sys, .why = why, .ok = true };
	pfn_t n = sys->pgdat->nr_pfns;

	c.maps = calloc(n, sizeof(*c.maps));
	if (!c.maps)
		return true; /* no host memory to check with: say nothing */
	for (struct mmsim_task *t = sys->tasks; t && c.ok; t = t->next) {
		if (!t->mm)
			continue;
		c.anon = c.shmem = c.file = 0;
		for (struct vma *v = t->mm->vma_first; v && c.ok; v = v->next) {
			c.vma = v;
			pgtable_for_each_leaf(&sys->core, t->mm, v->start, v->end, census_pte,
					      census_pmd, &c);
		}
		if (c.ok && (c.anon != t->mm->rss_anon || c.shmem != t->mm->rss_shmem ||
			     c.file != t->mm->rss_file))
			c.ok = check_fail(why,
					  "pid %d: rss_anon %llu rss_shmem %llu rss_file %llu, but "
					  "PTEs map %llu, %llu and %llu",
					  t->pid, (unsigned long long)t->mm->rss_anon,
					  (unsigned long long)t->mm->rss_shmem,
					  (unsigned long long)t->mm->rss_file,
					  (unsigned long long)c.anon, (unsigned long long)c.shmem,
					  (unsigned long long)c.file);
	}
	for (pfn_t pfn = 0; pfn < n && c.ok; pfn++) {
		struct page *pg = pgdat_page(sys->pgdat, pfn);
		/* shmem and file pages: their object's index holds a reference. */
		bool in_cache =
			!page_flag_test(pg, PG_ANON) && pg->mapping &&
			!(pg->flags & (PAGE_FLAG_MASK(PG_BUDDY) | PAGE_FLAG_MASK(PG_SLAB) |
				       PAGE_FLAG_MASK(PG_PGTABLE) | PAGE_FLAG_MASK(PG_HEAD) |
				       PAGE_FLAG_MASK(PG_TAIL) | PAGE_FLAG_MASK(PG_RESERVED)));
		int want_ref;

		if (!page_flag_test(pg, PG_ANON) && !in_cache) {
			if (c.maps[pfn])
				c.ok = check_fail(why, "pfn %#llx is mapped but is no user page",
						  (unsigned long long)pfn);
			continue;
		}
		want_ref = (int)c.maps[pfn] + (in_cache ? 1 : 0) +
			   (page_flag_test(pg, PG_SWAPCACHE) ? 1 : 0);
		if ((uint32_t)pg->mapcount != c.maps[pfn] || pg->refcount != want_ref)
			c.ok = check_fail(why,
					  "pfn %#llx: mapcount %d refcount %d, but %u PTEs map "
					  "it (refcount should be %d)",
					  (unsigned long long)pfn, pg->mapcount, pg->refcount,
					  c.maps[pfn], want_ref);
	}
	free(c.maps);
	return c.ok;
}

int kernel_check_all(struct mmsim_system *sys, struct check_report *why)
{
	if (!check_node(sys->pgdat, why))
		return -EFAULT;
	for (struct mmsim_task *t = sys->tasks; t; t = t->next) {
		if (!t->mm)
			continue;
		if (!vma_check(t->mm, why) || !pgtable_check(&sys->core, t->mm, why)) {
			char tmp[CHECK_REPORT_SIZE];

			memcpy(tmp, why->reason, sizeof(tmp));
			check_fail(why, "pid %d: %.200s", t->pid, tmp);
			return -EFAULT;
		}
	}
	if (!vmscan_check(&sys->core, why))
		return -EFAULT;
	return kernel_check_pages(sys, why) ? 0 : -EFAULT;
}

void kernel_paranoid_check(struct mmsim_system *sys)
{
	struct check_report why = { { 0 } };

	if (!sys->cfg.paranoid)
		return;
	if (kernel_check_all(sys, &why)) {
		fprintf(stderr, "mmsim: invariant broken: %s\n", why.reason);
		abort();
	}
}
