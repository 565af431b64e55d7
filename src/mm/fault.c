/*
 * mm/fault.c: the page-fault handler, decision by decision (see fault.h).
 * Linux: arch/x86/mm/fault.c (do_user_addr_fault, access_error), mm/memory.c
 * (handle_pte_fault, do_anonymous_page, do_wp_page, wp_page_copy, do_read_fault,
 * do_fault_around, do_shared_fault), mm/mmap.c (expand_stack).
 */
#include "mm/fault.h"

#include <errno.h>
#include <string.h>

#include "arch/x86_64/pfec.h"
#include "arch/x86_64/physmem.h"
#include "arch/x86_64/pte.h"
#include "mm/anon.h"
#include "mm/bug.h"
#include "mm/core.h"
#include "mm/huge_memory.h"
#include "mm/filemap.h"
#include "mm/pgtable.h"
#include "mm/rmap.h"
#include "mm/page.h"
#include "mm/shmem.h"
#include "mm/swap.h"
#include "mm/vma.h"
#include "mm/vmstat.h"

/* Linux: the default RLIMIT_STACK of 8 MiB bounds how far the stack may grow. */
#define STACK_RLIMIT (UINT64_C(8) << 20)
/* Linux: stack_guard_gap, 256 pages. */
#define STACK_GUARD_GAP (UINT64_C(256) << X86_PAGE_SHIFT)

struct fault_ctx {
	struct mm_core *core;
	struct mm_struct *mm;
	struct vma *vma;
	vaddr_t va;  /* page-aligned faulting address */
	uint32_t ec; /* hardware error code */
	bool write;
	paddr_t pte_addr;
	uint64_t pte; /* value read at entry */
	struct fault_info *info;
};

/* Linux expand_stack(): a fault below a VM_GROWSDOWN VMA grows it, within the limits. */
static bool grow_stack(struct fault_ctx *fc, struct vma *stack, vaddr_t va)
{
	vaddr_t new_start = va & X86_PAGE_MASK;
	uint64_t grow;

	if (!(stack->flags & VM_GROWSDOWN) || stack->end - new_start > STACK_RLIMIT)
		return false;
	if (stack->prev && stack->prev->end + STACK_GUARD_GAP > new_start)
		return false;
	grow = (stack->start - new_start) >> X86_PAGE_SHIFT;
	stack->start = new_start;
	stack->pgoff -= grow;
	fc->mm->total_vm += grow;
	return true;
}

/* Linux access_error() for x86. */
static bool access_error(uint32_t ec, const struct vma *vma)
{
	if (ec & X86_PFEC_PK)
		return true;
	if (ec & X86_PFEC_W)
		return !(vma->flags & VM_WRITE);
	if (ec & X86_PFEC_P)
		return true; /* a read or fetch denied on a present page */
	return !(vma->flags & VM_ACCESS_FLAGS);
}

static void set_pte(struct fault_ctx *fc, uint64_t val)
{
	core_event(fc->core, &(struct mm_event){ .kind = MM_EV_PTE_WRITE,
						 .level = 1,
						 .va = fc->va,
						 .entry_addr = fc->pte_addr,
						 .old = fc->pte,
						 .new = val });
	physmem_write64(fc->core->pm, fc->pte_addr, val);
	fc->pte = val;
}

static enum fault_result decided(struct fault_ctx *fc, const char *what, pfn_t pfn)
{
	fc->info->decision = what;
	core_event(fc->core,
		   &(struct mm_event){
			   .kind = MM_EV_FAULT_DECISION, .va = fc->va, .pfn = pfn, .what = what });
	return FAULT_HANDLED;
}

/* Linux do_anonymous_page(). */
static enum fault_result do_anonymous_page(struct fault_ctx *fc)
{
	pfn_t pfn;

	if (!fc->write) {
		set_pte(fc, anon_pte(fc->core, fc->vma, fc->core->zero_pfn, false, false));
		return decided(fc,
			       "read of a never-touched page: the shared zero page is mapped "
			       "read-only",
			       fc->core->zero_pfn);
	}
	if (anon_new_page(fc->core, fc->vma, fc->va, &pfn))
		return FAULT_OOM;
	set_pte(fc, anon_pte(fc->core, fc->vma, pfn, true, true));
	fc->mm->rss_anon++;
	return decided(fc, "demand-zero: a new zeroed page is mapped", pfn);
}

/* Linux do_wp_page(): a write to a present, write-protected private page. */
static enum fault_result do_wp_page(struct fault_ctx *fc)
{
	pfn_t old_pfn = x86_pte_pfn(fc->pte, fc->core->cpu->maxphyaddr);
	struct page *old = core_page(fc->core, old_pfn);
	pfn_t pfn;

	if (fc->vma->flags & VM_SHARED) {
		/* Shared writable mappings are mapped writable; only mprotect leaves this, and
		 * file pages mapped by a read or cleaned by writeback (Linux wp_page_shared():
		 * the page is dirtied, then written through the PTE). */
		set_pte(fc, fc->pte | X86_PTE_RW | X86_PTE_D | X86_PTE_A);
		core_tlb_flush_page(fc->core, fc->va);
		if (filemap_page_is_file(old)) {
			filemap_page_dirtied(fc->core, old);
			return decided(fc,
				       "write to a clean shared file page: dirtied, made writable",
				       old_pfn);
		}
		return decided(fc, "write to a shared page: made writable", old_pfn);
	}
	/* Linux wp_can_reuse_anon_folio(): a page in the swap cache can be reused only once
	 * its slot can go (no other PTE holds the entry); the swap copy is stale from now on. */
	if (old_pfn != fc->core->zero_pfn && page_flag_test(old, PG_SWAPCACHE) &&
	    old->mapcount == 1)
		swap_free_swap(fc->core, old);
	if (old_pfn != fc->core->zero_pfn && !page_flag_test(old, PG_SWAPCACHE) &&
	    anon_can_reuse(old)) {
		set_pte(fc, fc->pte | X86_PTE_RW | X86_PTE_D | X86_PTE_A);
		core_tlb_flush_page(fc->core, fc->va);
		core_count(fc->core, VMSTAT_PGREUSE);
		return decided(fc,
			       "copy-on-write reuse: this process is the page's only user, "
			       "so it is made writable in place",
			       old_pfn);
	}
	/* Hold the old page while allocating: reclaim may run and must leave it alone. */
	if (old_pfn != fc->core->zero_pfn)
		page_get(old);
	if (anon_new_page(fc->core, fc->vma, fc->va, &pfn)) {
		if (old_pfn != fc->core->zero_pfn)
			core_put_page(fc->core, old_pfn);
		return FAULT_OOM;
	}
	if (old_pfn != fc->core->zero_pfn) {
		anon_copy_data(fc->core, pfn, old_pfn);
		core_put_page(fc->core, old_pfn);
	}
	set_pte(fc, anon_pte(fc->core, fc->vma, pfn, true, true));
	core_tlb_flush_page(fc->core, fc->va);
	if (old_pfn == fc->core->zero_pfn) {
		fc->mm->rss_anon++;
		return decided(fc, "write to the zero page: copy-on-write into a new zeroed page",
			       pfn);
	}
	if (filemap_page_is_file(old)) {
		/* Linux wp_page_copy() on a private file mapping: the page cache keeps the file's
		 * page; this mapping gets its own anonymous copy. */
		fc->mm->rss_file--;
		fc->mm->rss_anon++;
		anon_unmap_page(fc->core, old_pfn);
		return decided(fc,
			       "write to a private file page: copied into a new anonymous page "
			       "(the page cache keeps the file's)",
			       pfn);
	}
	anon_unmap_page(fc->core, old_pfn);
	return decided(fc, "copy-on-write: the shared page is copied into a new page", pfn);
}

/* Maps the shmem or file page pfn into the PTE at pte_addr (Linux set_pte_range()). A file
 * page is mapped writable only for a write (private mappings copy on write; shared ones
 * are write-notified, so writeback can tell a page written again). */
static void shmem_map(struct fault_ctx *fc, paddr_t pte_addr, vaddr_t va, pfn_t pfn, bool write)
{
	bool file = fc->vma->shmem->file != NULL;
	uint64_t pte = file ? anon_pte(fc->core, fc->vma, pfn, write, write)
			    : shmem_pte(fc->core, fc->vma, pfn, write);

	core_event(fc->core, &(struct mm_event){ .kind = MM_EV_PTE_WRITE,
						 .level = 1,
						 .va = va,
						 .entry_addr = pte_addr,
						 .old = 0,
						 .new = pte });
	physmem_write64(fc->core->pm, pte_addr, pte);
	shmem_page_mapped(fc->core, pfn);
	if (file)
		fc->mm->rss_file++;
	else
		fc->mm->rss_shmem++;
}

/*
 * Linux: mm/memory.c, do_fault_around() (6.x), then filemap_map_pages(): maps every cached
 * page of the window that has no PTE yet. In PTE indices of the faulting page table:
 *   from = max(ALIGN_DOWN(pte_off, 16), pte_off - min(pte_off, vma_off))
 *   to   = min(from + 16, PTRS_PER_PTE, pte_off + vma_pages - vma_off) - 1
 * where pte_off is the faulting PTE's index and vma_off its page offset in the VMA. The
 * window is clamped to the VMA's start, not shifted: its end is counted from the clamped
 * start, so a VMA starting just below a 64 KiB boundary still gets 16 pages.
 * For a file the window also maps the faulting page when it is cached (and not marked
 * for readahead: filemap_map_pages() leaves that one to filemap_fault()); returns true
 * then, and the fault is over (Linux do_read_fault() returns VM_FAULT_NOPAGE).
 */
static bool fault_around(struct fault_ctx *fc)
{
	bool file = fc->vma->shmem->file != NULL, own = false;
	const struct vma *vma = fc->vma;
	uint64_t pte_off = (fc->va >> X86_PAGE_SHIFT) & (X86_PT_ENTRIES - 1);
	uint64_t vma_off = (fc->va - vma->start) >> X86_PAGE_SHIFT;
	uint64_t from = pte_off & ~(uint64_t)(SHMEM_FAULT_AROUND_PAGES - 1);
	uint64_t vma_first = vma_off < pte_off ? pte_off - vma_off : 0; /* in this table */
	uint64_t to = X86_PT_ENTRIES;

	if (vma_first > from)
		from = vma_first;
	if (from + SHMEM_FAULT_AROUND_PAGES < to)
		to = from + SHMEM_FAULT_AROUND_PAGES;
	if (pte_off + vma_pages(vma) - vma_off < to)
		to = pte_off + vma_pages(vma) - vma_off;
	for (uint64_t i = from; i < to; i++) {
		vaddr_t a = fc->va + (i - pte_off) * X86_PAGE_SIZE;
		paddr_t ea = fc->pte_addr + (i - pte_off) * sizeof(uint64_t);
		pfn_t cached;

		if ((i == pte_off && !file) || physmem_read64(fc->core->pm, ea))
			continue;
		cached = file ? filemap_map_lookup(fc->core, vma->shmem, vma_page_index(vma, a))
			      : shmem_lookup(vma->shmem, vma_page_index(vma, a));
		if (cached == SHMEM_NO_PAGE)
			continue;
		shmem_map(fc, ea, a, cached, false);
		own |= i == pte_off;
	}
	return own;
}

/* Linux do_read_fault() with do_fault_around(), and do_shared_fault(). */
static enum fault_result do_shmem_fault(struct fault_ctx *fc)
{
	struct vma *vma = fc->vma;
	uint64_t index = vma_page_index(vma, fc->va);
	bool allocated = false, major = false;
	pfn_t pfn;

	/* Linux shmem_get_folio_gfp(): an index at or past the file's size is -EINVAL, which
	 * shmem_fault() turns into VM_FAULT_SIGBUS; no fault is counted. */
	if (index >= vma->shmem->nr_pages) {
		fc->info->decision = "shared memory beyond its object's end: SIGBUS (BUS_ADRERR)";
		return FAULT_SIGBUS;
	}
	if (!fc->write)
		fault_around(fc);
	if (shmem_get_page(fc->core, vma->shmem, index, &pfn, &allocated, &major))
		return FAULT_OOM;
	fc->info->major = major;
	shmem_map(fc, fc->pte_addr, fc->va, pfn, fc->write);
	fc->pte = physmem_read64(fc->core->pm, fc->pte_addr);
	if (major)
		return decided(fc, "shared memory in swap: the page is read back (major fault)",
			       pfn);
	if (fc->write)
		return decided(fc,
			       allocated ? "write to shared memory: a new zeroed shared page"
					 : "write to shared memory: the shared page is mapped",
			       pfn);
	return decided(fc,
		       allocated ? "read of shared memory: a new zeroed shared page (no "
				   "zero page for shmem), cached neighbours mapped too"
				 : "read of shared memory: the cached page and its cached "
				   "neighbours are mapped (fault-around)",
		       pfn);
}

/*
 * Linux do_read_fault(), do_cow_fault() and do_shared_fault() over filemap_fault() for a
 * page of a regular file. A read maps the cached pages around first, its own among them
 * when cached; otherwise filemap_fault() finds it (a hit, perhaps starting async
 * readahead) or reads it in with read-around (a major fault). A write to a private
 * mapping copies the file's page into a new anonymous page; a write to a shared one maps
 * the page writable and dirties it (then balance_dirty_pages()).
 */
static enum fault_result do_file_fault(struct fault_ctx *fc)
{
	struct vma *vma = fc->vma;
	uint64_t index = vma_page_index(vma, fc->va);
	bool major = false;
	struct page *pg;
	pfn_t pfn, copy;

	/* Linux filemap_fault(): an index at or past i_size is VM_FAULT_SIGBUS. */
	if (index >= vma->shmem->file->size_pages) {
		fc->info->decision = "file page beyond the file's end: SIGBUS (BUS_ADRERR)";
		return FAULT_SIGBUS;
	}
	fc->core->file_stats.faults++;
	if (!fc->write && fault_around(fc)) {
		fc->pte = physmem_read64(fc->core->pm, fc->pte_addr);
		return decided(fc,
			       "read of a cached file page: mapped with its cached neighbours "
			       "(fault-around)",
			       x86_pte_pfn(fc->pte, fc->core->cpu->maxphyaddr));
	}
	if (filemap_get_page(fc->core, vma->shmem, index, &pfn, &major))
		return FAULT_OOM;
	fc->info->major = major;
	fc->core->file_stats.major_faults += major;
	/* Linux filemap_fault() drops the mmap lock for the read (maybe_unlock_mmap_for_io())
	 * and returns VM_FAULT_RETRY; the fault runs again (FAULT_FLAG_TRIED, counted once, as
	 * major: mm_account_fault()), and do_read_fault()'s fault-around now finds the pages
	 * read-around brought in: the page is mapped with its cached neighbours. Linux maps
	 * those whose read has completed by then; mmsim's reads complete at once. */
	if (major && !fc->write && fault_around(fc)) {
		fc->pte = physmem_read64(fc->core->pm, fc->pte_addr);
		return decided(fc,
			       "file page not cached: read from the file with read-around (major "
			       "fault); the retried fault maps it with its cached neighbours",
			       x86_pte_pfn(fc->pte, fc->core->cpu->maxphyaddr));
	}
	pg = core_page(fc->core, pfn);
	if (fc->write && !(vma->flags & VM_SHARED)) {
		page_get(pg); /* reclaim must leave it while the copy is allocated */
		if (anon_new_page(fc->core, vma, fc->va, &copy)) {
			core_put_page(fc->core, pfn);
			return FAULT_OOM;
		}
		anon_copy_data(fc->core, copy, pfn);
		core_put_page(fc->core, pfn);
		set_pte(fc, anon_pte(fc->core, vma, copy, true, true));
		fc->mm->rss_anon++;
		return decided(
			fc,
			major ? "write to a private file page not cached: read from the "
				"file (major fault), copied into a new anonymous page"
			      : "write to a private file page: the cached page is copied into "
				"a new anonymous page",
			copy);
	}
	shmem_map(fc, fc->pte_addr, fc->va, pfn, fc->write);
	fc->pte = physmem_read64(fc->core->pm, fc->pte_addr);
	if (fc->write) {
		filemap_page_dirtied(fc->core, pg);
		return decided(fc,
			       major ? "write to a shared file page not cached: read from the file "
				       "(major fault), mapped writable and dirtied"
				     : "write to a shared file page: mapped writable and dirtied",
			       pfn);
	}
	return decided(fc,
		       major ? "file page not cached: read from the file with read-around "
			       "(major fault)"
			     : "read of a cached file page carrying the readahead mark: mapped, "
			       "async readahead started",
		       pfn);
}

static enum fault_result handle_pte_fault(struct fault_ctx *fc)
{
	if (fc->pte == 0 && fc->vma->shmem && fc->vma->shmem->file)
		return do_file_fault(fc);
	if (fc->pte == 0)
		return fc->vma->shmem ? do_shmem_fault(fc) : do_anonymous_page(fc);
	if (!x86_pte_present(fc->pte) && !anon_pte_protnone(fc->pte)) {
		const char *what;

		if (anon_swapin(fc->core, fc->mm, fc->vma, fc->va, fc->pte_addr, fc->write,
				&fc->info->major, &what))
			return FAULT_OOM;
		fc->pte = physmem_read64(fc->core->pm, fc->pte_addr);
		decided(fc, what, x86_pte_pfn(fc->pte, fc->core->cpu->maxphyaddr));
		/* Linux do_swap_page(): a write to a page others still share copies it now,
		 * in the same fault. */
		if (fc->write && !x86_pte_writable(fc->pte))
			return do_wp_page(fc);
		return FAULT_HANDLED;
	}
	if (fc->write && !x86_pte_writable(fc->pte))
		return do_wp_page(fc);
	/* The PTE allows the access: the fault came from a stale TLB entry. */
	set_pte(fc, fc->pte | X86_PTE_A | (fc->write ? X86_PTE_D : 0));
	core_tlb_flush_page(fc->core, fc->va);
	return decided(fc,
		       "spurious fault: the page table already allows the access (stale "
		       "TLB entry); the entry is refreshed",
		       0);
}

enum fault_result fault_handle(struct mm_core *core, struct mm_struct *mm, vaddr_t va, uint32_t ec,
			       struct fault_info *info)
{
	return fault_handle_pte(core, mm, va, ec, 0, info);
}

enum fault_result fault_handle_pte(struct mm_core *core, struct mm_struct *mm, vaddr_t va,
				   uint32_t ec, paddr_t pte_addr, struct fault_info *info)
{
	struct fault_ctx fc = { .core = core,
				.mm = mm,
				.va = va & X86_PAGE_MASK,
				.ec = ec,
				.write = (ec & X86_PFEC_W) != 0,
				.info = info };
	enum fault_result r;

	info->major = false;
	info->decision = NULL;
	MM_BUG_ON(ec & X86_PFEC_RSVD); /* mmsim never writes reserved bits */
	if (va >= mm->task_size) {
		info->decision = "access to a kernel address: SIGSEGV (SEGV_MAPERR)";
		return FAULT_SEGV_MAPERR;
	}
	/* Linux do_user_addr_fault(): a supervisor access to user memory that SMAP forbids
	 * (RFLAGS.AC clear), or a supervisor fetch from it (SMEP), is a bad area before
	 * anything else: mapping the page would only fault again. */
	if (!(ec & X86_PFEC_U) && (((ec & X86_PFEC_I) && core->cpu->smep) ||
				   (!(ec & X86_PFEC_I) && core->cpu->smap && !core->cpu->ac))) {
		info->decision = "supervisor access to user memory refused by SMAP/SMEP: an oops "
				 "on Linux, SIGSEGV (SEGV_ACCERR) here";
		return FAULT_SEGV_ACCERR;
	}
	fc.vma = vma_find_above(mm, va);
	if (!fc.vma || (fc.vma->start > va && !grow_stack(&fc, fc.vma, va))) {
		info->decision = "no VMA covers the address: SIGSEGV (SEGV_MAPERR)";
		return FAULT_SEGV_MAPERR;
	}
	if (access_error(ec, fc.vma)) {
		info->decision = "the VMA does not allow this access: SIGSEGV (SEGV_ACCERR)";
		return FAULT_SEGV_ACCERR;
	}
	/* Linux __handle_mm_fault(): the PMD level first (huge_memory.c). A walk that read a
	 * PTE came through a PMD that points to a page table: no huge page to handle there. */
	if (!pte_addr) {
		switch (huge_pmd_fault(core, mm, fc.vma, fc.va, fc.write, &info->decision)) {
		case HUGE_FAULT_DONE:
			core_count(core, VMSTAT_PGFAULT);
			return FAULT_HANDLED;
		case HUGE_FAULT_OOM:
			return FAULT_OOM;
		case HUGE_FAULT_FALLBACK:
			break;
		}
	}
	fc.pte_addr = pte_addr;
	if (!pte_addr && pgtable_pte_addr(core, mm, fc.va, true, &fc.pte_addr))
		return FAULT_OOM;
	fc.pte = physmem_read64(core->pm, fc.pte_addr);
	r = handle_pte_fault(&fc);
	if (r == FAULT_HANDLED) {
		core_count(core, VMSTAT_PGFAULT);
		if (info->major)
			core_count(core, VMSTAT_PGMAJFAULT);
	}
	return r;
}

int fault_populate(struct mm_core *core, struct mm_struct *mm, vaddr_t start, vaddr_t end,
		   uint64_t *nr_faults_out)
{
	*nr_faults_out = 0;
	for (vaddr_t a = start; a < end; a += X86_PAGE_SIZE) {
		struct vma *vma = vma_find(mm, a);
		bool write;
		uint64_t pte;
		struct fault_info info;

		if (!vma || !(vma->flags & VM_ACCESS_FLAGS))
			continue;
		/* Linux populate_vma_page_range(): FOLL_WRITE for writable private mappings. */
		write = (vma->flags & (VM_WRITE | VM_SHARED)) == VM_WRITE;
		pte = pgtable_read_pte(core, mm, a);
		if (x86_pte_present(pte) && (!write || x86_pte_writable(pte)))
			continue;
		switch (fault_handle(core, mm, a,
				     X86_PFEC_U | (write ? X86_PFEC_W : 0) |
					     (x86_pte_present(pte) ? X86_PFEC_P : 0),
				     &info)) {
		case FAULT_HANDLED:
			(*nr_faults_out)++;
			break;
		case FAULT_OOM:
			return -ENOMEM;
		default:
			break;
		}
	}
	return 0;
}
