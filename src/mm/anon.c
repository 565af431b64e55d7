/*
 * mm/anon.c: anonymous and shmem pages under PTEs (see anon.h).
 * Linux: mm/memory.c, mm/rmap.c (folio_add_new_anon_rmap, page_try_dup_anon_rmap),
 * arch/x86/mm/pgprot.c (protection_map).
 */
#include "mm/anon.h"

#include <errno.h>
#include <string.h>

#include "arch/x86_64/physmem.h"
#include "mm/bug.h"
#include "mm/core.h"
#include "mm/filemap.h"
#include "mm/page.h"
#include "mm/policy.h"
#include "mm/rmap.h"
#include "mm/shmem.h"
#include "mm/swap.h"
#include "mm/vma.h"
#include "mm/vmstat.h"

static uint64_t base_flags(const struct vma *vma)
{
	uint64_t f = X86_PTE_P | X86_PTE_US | X86_PTE_A;

	if (!(vma->flags & VM_EXEC))
		f |= X86_PTE_XD;
	return f;
}

uint64_t anon_pte(const struct mm_core *core, const struct vma *vma, pfn_t pfn, bool writable,
		  bool dirty)
{
	uint64_t f = base_flags(vma);

	(void)core;
	if (pfn == core->zero_pfn)
		return x86_pte_make(X86_PFN_TO_PADDR(pfn), f | ANON_PTE_SPECIAL);
	if (writable && (vma->flags & VM_WRITE))
		f |= X86_PTE_RW;
	if (dirty)
		f |= X86_PTE_D;
	return x86_pte_make(X86_PFN_TO_PADDR(pfn), f);
}

uint64_t shmem_pte(const struct mm_core *core, const struct vma *vma, pfn_t pfn, bool dirty)
{
	uint64_t f = base_flags(vma);

	(void)core;
	if (vma->flags & VM_WRITE)
		f |= X86_PTE_RW; /* Linux PAGE_SHARED: no write notification for shmem */
	if (dirty)
		f |= X86_PTE_D;
	return x86_pte_make(X86_PFN_TO_PADDR(pfn), f);
}

uint64_t anon_pte_modify(const struct mm_core *core, uint64_t pte, const struct vma *vma,
			 bool keep_write)
{
	paddr_t pa = x86_pte_addr(pte, core->cpu->maxphyaddr);
	uint64_t keep = pte & (X86_PTE_A | X86_PTE_D | ANON_PTE_SPECIAL);
	uint64_t f;

	if (!(vma->flags & VM_ACCESS_FLAGS))
		return pa | (keep & ~X86_PTE_A) | ANON_PTE_PROTNONE; /* P clear */
	f = (base_flags(vma) & ~X86_PTE_A) | keep;
	if ((vma->flags & VM_SHARED) && (vma->flags & VM_WRITE))
		f |= X86_PTE_RW;
	else if (keep_write && (vma->flags & VM_WRITE))
		f |= X86_PTE_RW;
	return pa | f;
}

int anon_new_page(struct mm_core *core, struct vma *vma, vaddr_t va, pfn_t *pfn_out)
{
	struct anon_vma *av = anon_vma_prepare(vma, core->anon_vma_cache);
	struct page *pg;
	int err;

	if (!av)
		return -ENOMEM;
	core_lru_incoming(core, av, vma_page_index(vma, va));
	err = core_alloc_page(core, CORE_ALLOC_USER, pfn_out);
	if (err)
		return err;
	pg = core_page(core, *pfn_out);
	pg->flags |= PAGE_FLAG_MASK(PG_ANON) | PAGE_FLAG_MASK(PG_SWAPBACKED) |
		     PAGE_FLAG_MASK(PG_ANON_EXCLUSIVE);
	pg->mapping = av;
	pg->index = vma_page_index(vma, va);
	pg->mapcount = 1;
	core_count_mod(core, VMSTAT_NR_ANON_MAPPED, 1);
	core_lru_add(core, pg);
	core_event(core, &(struct mm_event){ .kind = MM_EV_FRAME_ALLOC,
					     .pfn = *pfn_out,
					     .va = va,
					     .what = "anonymous user page" });
	return 0;
}

bool anon_can_reuse(struct page *pg)
{
	if (!page_flag_test(pg, PG_ANON))
		return false;
	if (page_flag_test(pg, PG_ANON_EXCLUSIVE))
		return true;
	/* Linux wp_can_reuse_anon_folio(): the only reference is this mapping's (the caller
	 * has taken the page out of the swap cache if it could). */
	if (pg->refcount != 1 || pg->mapcount != 1)
		return false;
	page_flag_set(pg, PG_ANON_EXCLUSIVE);
	return true;
}

void anon_copy_data(struct mm_core *core, pfn_t dst, pfn_t src)
{
	if (!core->data_mode)
		return;
	memcpy(physmem_frame(core->pm, dst), physmem_frame(core->pm, src), X86_PAGE_SIZE);
}

bool anon_page_is_file_mapped(const struct page *pg)
{
	return !page_flag_test(pg, PG_ANON) &&
	       (page_flag_test(pg, PG_SWAPBACKED) || filemap_page_is_file(pg));
}

void anon_unmap_page(struct mm_core *core, pfn_t pfn)
{
	struct page *pg = core_page(core, pfn);

	MM_BUG_ON(pg->mapcount <= 0 || pg->refcount <= 0);
	pg->mapcount--;
	if (pg->mapcount == 0 && page_flag_test(pg, PG_ANON))
		core_count_mod(core, VMSTAT_NR_ANON_MAPPED, -1);
	else if (pg->mapcount == 0 && anon_page_is_file_mapped(pg))
		core_count_mod(core, VMSTAT_NR_FILE_MAPPED, -1);
	if (pg->mapcount > 0 && core->policy && core->policy->ops->page_unmap &&
	    page_flag_test(pg, PG_LRU))
		core->policy->ops->page_unmap(core->policy, pg);
	core_put_page(core, pfn);
	/* Linux free_swap_cache(): a page left only in the swap cache, its slot held by no
	 * PTE, has no reason to stay. */
	if (pg->mapcount == 0 && page_flag_test(pg, PG_SWAPCACHE) &&
	    core->swap->count[pg->private] == 0)
		swap_cache_remove(core, pg);
}

void anon_dup_page(struct mm_core *core, pfn_t pfn)
{
	struct page *pg = core_page(core, pfn);

	pg->mapcount++;
	pg->refcount++;
	page_flag_clear(pg, PG_ANON_EXCLUSIVE);
	if (core->policy && core->policy->ops->page_dup && page_flag_test(pg, PG_LRU))
		core->policy->ops->page_dup(core->policy, pg);
}

void shmem_page_mapped(struct mm_core *core, pfn_t pfn)
{
	struct page *pg = core_page(core, pfn);

	if (pg->mapcount++ == 0 && anon_page_is_file_mapped(pg))
		core_count_mod(core, VMSTAT_NR_FILE_MAPPED, 1);
	pg->refcount++;
}
