/*
 * kernel/mmap.c: the address-space system calls: mmap, munmap, mprotect, madvise(DONTNEED),
 * mremap and brk, with Linux's semantics and error returns (mm/mmap.c, mm/mprotect.c,
 * mm/madvise.c, mm/mremap.c). Anonymous memory only: mmsim has no files.
 */
#include <errno.h>

#include "arch/x86_64/physmem.h"
#include "arch/x86_64/pte.h"
#include "kernel/check.h"
#include "kernel/system.h"
#include "mm/anon.h"
#include "mm/fault.h"
#include "mm/huge_memory.h"
#include "mm/khugepaged.h"
#include "mm/memory.h"
#include "mm/pgtable.h"
#include "mm/rmap.h"
#include "mm/filemap.h"
#include "mm/shmem.h"
#include "mm/vma.h"

/* Linux: PMD_SIZE, the size of a transparent huge page on x86-64. */
#define THP_SIZE (UINT64_C(1) << X86_PMD_SHIFT)

static uint64_t page_align(uint64_t len)
{
	return (len + X86_PAGE_SIZE - 1) & X86_PAGE_MASK;
}

static uint32_t prot_to_vm(int prot)
{
	uint32_t f = VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC;

	if (prot & MMSIM_PROT_READ)
		f |= VM_READ;
	if (prot & MMSIM_PROT_WRITE)
		f |= VM_WRITE;
	if (prot & MMSIM_PROT_EXEC)
		f |= VM_EXEC;
	return f;
}

/*
 * Linux: mm/mmap.c __get_unmapped_area() (6.13 on, CONFIG_TRANSPARENT_HUGEPAGE=y): a private
 * anonymous mapping without a hint whose length is a multiple of 2 MiB goes on a 2 MiB
 * boundary. mm/huge_memory.c __thp_get_unmapped_area() searches top-down for len + 2 MiB,
 * then moves the result up to the next boundary (by a full 2 MiB when it was aligned
 * already), which leaves it as high as an aligned range in that gap can be. Shared
 * anonymous memory goes through shmem_get_unmapped_area(), which aligns only when shmem
 * huge pages are enabled (they are not by default). mmsim does not map huge pages itself.
 */
static int get_unmapped_area(struct mm_struct *mm, uint64_t len, bool anon_private,
			     vaddr_t *addr_out)
{
	vaddr_t addr;

	if (anon_private && len % THP_SIZE == 0 && len <= UINT64_MAX - THP_SIZE &&
	    !vma_get_unmapped_area(mm, len + THP_SIZE, &addr)) {
		uint64_t off_sub = (0 - addr) & (THP_SIZE - 1);

		*addr_out = addr + (off_sub ? off_sub : THP_SIZE);
		return 0;
	}
	return vma_get_unmapped_area(mm, len, addr_out);
}

/* Makes [start, end) start and end on VMA boundaries by splitting. 0 or -ENOMEM. */
static int split_at_bounds(struct mm_core *core, struct mm_struct *mm, vaddr_t start, vaddr_t end)
{
	struct vma *v;

	/* Linux vma_adjust_trans_huge(): a PMD leaf across a new VMA boundary is split. */
	huge_split_address(core, mm, start);
	huge_split_address(core, mm, end);
	v = vma_find(mm, start);
	if (v && v->start < start && !vma_split(mm, v, start))
		return -ENOMEM;
	v = vma_find(mm, end - 1);
	if (v && v->end > end && !vma_split(mm, v, end))
		return -ENOMEM;
	return 0;
}

/* Linux do_vmi_munmap(): removes every mapping in [start, end). 0 or -ENOMEM. */
static int unmap_range(struct mmsim_system *sys, struct mm_struct *mm, vaddr_t start, vaddr_t end)
{
	struct vma *v, *prev, *next;
	int err;

	if (vma_range_free(mm, start, end))
		return 0;
	err = split_at_bounds(&sys->core, mm, start, end);
	if (err)
		return err;
	v = vma_find_above(mm, start);
	prev = v->prev;
	while (v && v->start < end) {
		next = v->next;
		memory_zap_range(&sys->core, v, v->start, v->end);
		/* Linux do_vmi_align_munmap(): update_hiwater_vm() before the unmap. */
		if (mm->total_vm > mm->hiwater_vm)
			mm->hiwater_vm = mm->total_vm;
		mm->total_vm -= vma_pages(v);
		if (v->shmem)
			shmem_put(&sys->core, v->shmem, v);
		vma_remove(mm, v);
		v = next;
	}
	/* Linux free_pgtables(): tables only the removed range used go too. */
	pgtable_free_range(&sys->core, mm, start, end, prev ? prev->end : 0,
			   v ? v->start : pgtable_user_ceiling(&sys->core));
	return 0;
}

/* Linux do_mmap(): anonymous memory (file NULL), or pages of a file's cache from page
 * pgoff on. */
static int do_mmap(struct mmsim_task *t, uint64_t addr, uint64_t len, int prot, int flags,
		   struct shmem_obj *file, uint64_t pgoff, uint64_t *addr_out)
{
	PTI_SYSCALL(t);
	struct mmsim_system *sys = t->sys;
	struct mm_struct *mm = t->mm;
	int type = flags & (MMSIM_MAP_SHARED | MMSIM_MAP_PRIVATE);
	bool fixed = flags & (MMSIM_MAP_FIXED | MMSIM_MAP_FIXED_NOREPLACE);
	struct shmem_obj *shmem = NULL;
	uint32_t vm_flags;
	struct vma *v;
	int err;

	if (!mm)
		return -EINVAL;
	if (len == 0 || (type != MMSIM_MAP_SHARED && type != MMSIM_MAP_PRIVATE))
		return -EINVAL;
	if (prot & ~(MMSIM_PROT_READ | MMSIM_PROT_WRITE | MMSIM_PROT_EXEC))
		return -EINVAL;
	len = page_align(len);
	if (len == 0 || len > mm->task_size)
		return -ENOMEM;
	if (fixed) {
		if (addr & (X86_PAGE_SIZE - 1))
			return -EINVAL;
		if (addr + len > mm->task_size || addr + len < addr)
			return -ENOMEM;
		if (!vma_range_free(mm, addr, addr + len)) {
			if (flags & MMSIM_MAP_FIXED_NOREPLACE)
				return -EEXIST;
			err = unmap_range(sys, mm, addr, addr + len);
			if (err)
				return err;
		}
	} else {
		/* A hint is taken when it is free (Linux get_unmapped_area()). */
		bool hint = addr != 0;

		addr &= X86_PAGE_MASK;
		/* Linux mmap_address_hint_valid(): TASK_SIZE - len < addr, which cannot wrap. */
		if (!addr || addr < VMA_MMAP_MIN_ADDR || addr > mm->task_size - len ||
		    !vma_range_free(mm, addr, addr + len)) {
			err = get_unmapped_area(mm, len,
						type == MMSIM_MAP_PRIVATE && !file && !hint, &addr);
			if (err)
				return err;
		}
	}
	vm_flags = prot_to_vm(prot);
	if (file) {
		/* A private file mapping accounts like anonymous memory when writable. */
		shmem = file;
		if (type == MMSIM_MAP_SHARED)
			vm_flags |= VM_SHARED | VM_MAYSHARE;
		else if (prot & MMSIM_PROT_WRITE)
			vm_flags |= VM_ACCOUNT;
	} else if (type == MMSIM_MAP_SHARED) {
		vm_flags |= VM_SHARED | VM_MAYSHARE;
		shmem = shmem_create(&sys->core, len >> X86_PAGE_SHIFT);
		if (!shmem)
			return -ENOMEM;
	} else if (prot & MMSIM_PROT_WRITE) {
		vm_flags |= VM_ACCOUNT;
	}
	v = vma_insert(mm, addr, addr + len, vm_flags,
		       file    ? pgoff
		       : shmem ? 0
			       : addr >> X86_PAGE_SHIFT,
		       shmem);
	if (!v) {
		if (shmem)
			shmem_put(&sys->core, shmem, NULL);
		return -ENOMEM;
	}
	if (shmem && shmem_get(shmem, v)) {
		v->shmem = NULL; /* never linked: nothing to drop */
		err = unmap_range(sys, mm, addr, addr + len);
		return err ? err : -ENOMEM;
	}
	khugepaged_enter_vma(&sys->core, v); /* Linux __mmap_region() */
	mm->total_vm += len >> X86_PAGE_SHIFT;
	*addr_out = addr;
	/* Linux: MAP_POPULATE faults the range in now, charged to the caller. */
	if (flags & MMSIM_MAP_POPULATE) {
		uint64_t nr;

		if (t->sys->current != t)
			system_switch_to(sys, t);
		fault_populate(&sys->core, mm, addr, addr + len, &nr);
		t->minflt += nr;
		kernel_update_hiwater(mm);
	}
	kernel_paranoid_check(sys);
	return 0;
}

int mmsim_mmap(struct mmsim_task *t, uint64_t addr, uint64_t len, int prot, int flags,
	       uint64_t *addr_out)
{
	if (!(flags & MMSIM_MAP_ANONYMOUS))
		return -EBADF; /* files are mapped by name: mmsim_mmap_file() */
	return do_mmap(t, addr, len, prot, flags, NULL, 0, addr_out);
}

int mmsim_mmap_file(struct mmsim_task *t, uint64_t addr, uint64_t len, int prot, int flags,
		    const char *name, uint64_t offset_pages, uint64_t *addr_out)
{
	struct filemap_file *f = name ? filemap_find(&t->sys->core, name) : NULL;

	if (!f)
		return -ENOENT;
	if (flags & MMSIM_MAP_ANONYMOUS)
		return -EINVAL;
	/* Linux do_mmap(): the page offset plus the length must not wrap. */
	if (offset_pages > (UINT64_MAX >> X86_PAGE_SHIFT) - (page_align(len) >> X86_PAGE_SHIFT))
		return -EOVERFLOW;
	return do_mmap(t, addr, len, prot, flags, f->obj, offset_pages, addr_out);
}

/* Linux msync(MS_SYNC): each shared file mapping in the range writes its dirty pages
 * back (vfs_fsync_range() over the file offsets the range covers). */
int mmsim_msync(struct mmsim_task *t, uint64_t addr, uint64_t len, uint64_t *written)
{
	struct mm_struct *mm = t->mm;
	uint64_t end, done = 0;

	if (written)
		*written = 0;
	if (!mm || (addr & (X86_PAGE_SIZE - 1)))
		return -EINVAL;
	end = addr + page_align(len);
	if (end < addr)
		return -ENOMEM;
	for (struct vma *v = vma_find_above(mm, addr); v && v->start < end; v = v->next) {
		vaddr_t s = v->start > addr ? v->start : addr, e = v->end < end ? v->end : end;

		if (!v->shmem || !v->shmem->file || !(v->flags & VM_SHARED))
			continue;
		done += filemap_write_range(&t->sys->core, v->shmem, vma_page_index(v, s),
					    vma_page_index(v, e - X86_PAGE_SIZE));
	}
	if (written)
		*written = done;
	kernel_paranoid_check(t->sys);
	return 0;
}

int mmsim_munmap(struct mmsim_task *t, uint64_t addr, uint64_t len)
{
	PTI_SYSCALL(t);
	int err;

	if (!t->mm || (addr & (X86_PAGE_SIZE - 1)) || len == 0)
		return -EINVAL;
	len = page_align(len);
	if (addr + len > t->mm->task_size || addr + len < addr)
		return -EINVAL;
	err = unmap_range(t->sys, t->mm, addr, addr + len);
	kernel_paranoid_check(t->sys);
	return err;
}

/* True when VMAs cover all of [start, end) without holes. */
static bool range_mapped(struct mm_struct *mm, vaddr_t start, vaddr_t end)
{
	struct vma *v = vma_find(mm, start);

	while (v && v->end < end) {
		if (!v->next || v->next->start != v->end)
			return false;
		v = v->next;
	}
	return v != NULL;
}

int mmsim_mprotect(struct mmsim_task *t, uint64_t addr, uint64_t len, int prot)
{
	PTI_SYSCALL(t);
	struct mmsim_system *sys = t->sys;
	struct mm_struct *mm = t->mm;
	vaddr_t end;
	struct vma *v;
	int err;

	if (!mm || (addr & (X86_PAGE_SIZE - 1)))
		return -EINVAL;
	if (prot & ~(MMSIM_PROT_READ | MMSIM_PROT_WRITE | MMSIM_PROT_EXEC))
		return -EINVAL;
	len = page_align(len);
	end = addr + len;
	if (end < addr)
		return -ENOMEM;
	if (len == 0)
		return 0;
	/* mmsim: Linux changes the mapped part before a hole and then fails; here a hole
	 * fails the call before anything changes. */
	if (!range_mapped(mm, addr, end))
		return -ENOMEM;
	err = split_at_bounds(&sys->core, mm, addr, end);
	if (err)
		return err;
	for (v = vma_find(mm, addr); v && v->start < end; v = v->next) {
		v->flags = (v->flags & ~VM_ACCESS_FLAGS) | (prot_to_vm(prot) & VM_ACCESS_FLAGS);
		if (!(v->flags & VM_SHARED))
			v->flags = (prot & MMSIM_PROT_WRITE) ? v->flags | VM_ACCOUNT
							     : v->flags & ~VM_ACCOUNT;
		memory_change_protection(&sys->core, v, v->start, v->end);
	}
	/* Linux vma_modify_flags(): merge with neighbours that now match. */
	v = vma_find(mm, addr);
	if (v && v->prev && vma_try_merge_next(mm, v->prev))
		v = vma_find(mm, addr);
	while (v && v->start < end && vma_try_merge_next(mm, v))
		;
	for (v = vma_find(mm, end - 1); v && v->start < end && v->next; v = v->next) {
		if (!vma_try_merge_next(mm, v))
			break;
	}
	kernel_paranoid_check(sys);
	return 0;
}

/*
 * madvise(MADV_PAGEOUT) (Linux 5.4+, mm/madvise.c madvise_pageout()): reclaims the pages of
 * [addr, end) that only this process maps, up to max_pages. Returns how many went in
 * *done; -ENOMEM over a hole (after doing the mapped parts, as Linux does).
 */
int kernel_pageout(struct mmsim_task *t, uint64_t addr, uint64_t end, uint64_t max_pages,
		   uint64_t *done)
{
	struct mm_struct *mm = t->mm;
	bool holes = !range_mapped(mm, addr, end), stopped = false;

	*done = 0;
	for (struct vma *v = vma_find_above(mm, addr); v && v->start < end && !stopped;
	     v = v->next) {
		vaddr_t s = v->start > addr ? v->start : addr;
		vaddr_t e = v->end < end ? v->end : end;

		if (*done == max_pages)
			break;
		*done += memory_pageout_range(&t->sys->core, v, s, e, max_pages - *done, &stopped);
	}
	kernel_paranoid_check(t->sys);
	return holes ? -ENOMEM : 0;
}

/*
 * Linux CONFIG_PT_RECLAIM (6.14 on, default y on x86-64): madvise(MADV_DONTNEED) zaps with
 * zap_details.reclaim_pt set, and zap_pte_range() frees the PTE page of a 2 MiB block when
 * the zap covered the whole block (reclaim_pt_is_enabled(): end - start >= PMD_SIZE for
 * that page table) and left every entry none (try_get_and_clear_pmd(), try_to_free_pte()).
 * A zap over part of a block keeps its table, even when the table ends up empty; so do
 * the tables above the PTE level. Without it (pt_reclaim=off, kernels before 6.14) every
 * table stays until munmap.
 */
static void reclaim_pte_tables(struct mm_core *core, struct mm_struct *mm, vaddr_t start,
			       vaddr_t end)
{
	const vaddr_t block = UINT64_C(1) << X86_PMD_SHIFT;

	for (vaddr_t b = (start + block - 1) & ~(block - 1); b >= start && b + block <= end;
	     b += block) {
		if (pgtable_free_pte_table(core, mm, b))
			core_tlb_flush_range(core, mm, b, b + block,
					     "page-table reclaim freed a PTE page");
	}
}

/*
 * madvise(MADV_HUGEPAGE / MADV_NOHUGEPAGE) (Linux mm/madvise.c madvise_vma_behavior(),
 * mm/khugepaged.c hugepage_madvise()): sets VM_HUGEPAGE (clearing VM_NOHUGEPAGE) or the
 * reverse on the VMAs of the range, split at its ends and merged again where they match.
 * Pages already mapped stay as they are. -ENOMEM over a hole, after the mapped parts.
 */
static int madvise_hugepage(struct mmsim_task *t, vaddr_t addr, vaddr_t end, bool huge)
{
	struct mm_struct *mm = t->mm;
	bool holes = !range_mapped(mm, addr, end);
	uint32_t set = huge ? VM_HUGEPAGE : VM_NOHUGEPAGE;
	uint32_t clear = huge ? VM_NOHUGEPAGE : VM_HUGEPAGE;
	struct vma *v;

	if (vma_range_free(mm, addr, end))
		return -ENOMEM;
	if (split_at_bounds(&t->sys->core, mm, addr, end))
		return -ENOMEM;
	for (v = vma_find_above(mm, addr); v && v->start < end; v = v->next) {
		v->flags = (v->flags & ~clear) | set;
		khugepaged_enter_vma(&t->sys->core, v); /* hugepage_madvise() */
	}
	v = vma_find_above(mm, addr);
	if (v && v->prev && vma_try_merge_next(mm, v->prev))
		v = vma_find_above(mm, addr);
	while (v && v->start < end && vma_try_merge_next(mm, v))
		;
	for (v = vma_find(mm, end - 1); v && v->start < end && v->next; v = v->next) {
		if (!vma_try_merge_next(mm, v))
			break;
	}
	kernel_paranoid_check(t->sys);
	return holes ? -ENOMEM : 0;
}

int mmsim_madvise(struct mmsim_task *t, uint64_t addr, uint64_t len, int advice)
{
	PTI_SYSCALL(t);
	struct mm_struct *mm = t->mm;
	uint64_t done;
	vaddr_t end;
	bool holes;

	if (!mm || (addr & (X86_PAGE_SIZE - 1)) ||
	    (advice != MMSIM_MADV_DONTNEED && advice != MMSIM_MADV_PAGEOUT &&
	     advice != MMSIM_MADV_HUGEPAGE && advice != MMSIM_MADV_NOHUGEPAGE))
		return -EINVAL;
	if (advice == MMSIM_MADV_HUGEPAGE || advice == MMSIM_MADV_NOHUGEPAGE) {
		len = page_align(len);
		if (addr + len < addr)
			return -EINVAL;
		return len ? madvise_hugepage(t, addr, addr + len, advice == MMSIM_MADV_HUGEPAGE)
			   : 0;
	}
	if (advice == MMSIM_MADV_PAGEOUT) {
		len = page_align(len);
		if (addr + len < addr)
			return -EINVAL;
		return len ? kernel_pageout(t, addr, addr + len, UINT64_MAX, &done) : 0;
	}
	len = page_align(len);
	end = addr + len;
	if (end < addr)
		return -EINVAL;
	if (len == 0)
		return 0;
	holes = !range_mapped(mm, addr, end);
	/* Linux madvise_dontneed_single_vma(): zap_page_range_single() per VMA. */
	for (struct vma *v = vma_find_above(mm, addr); v && v->start < end; v = v->next) {
		vaddr_t s = v->start > addr ? v->start : addr;
		vaddr_t e = v->end < end ? v->end : end;

		memory_zap_range(&t->sys->core, v, s, e);
		if (t->sys->cfg.pt_reclaim)
			reclaim_pte_tables(&t->sys->core, mm, s, e);
	}
	kernel_paranoid_check(t->sys);
	return holes ? -ENOMEM : 0;
}

/* Moves the PTEs of [old, old + len) to new_addr (Linux move_page_tables()). */
static int move_ptes(struct mmsim_system *sys, struct mm_struct *mm, vaddr_t old, vaddr_t new_addr,
		     uint64_t len)
{
	for (uint64_t off = 0; off < len; off += X86_PAGE_SIZE) {
		paddr_t from, to;
		uint64_t pte;
		int err;

		if (pgtable_pte_addr(&sys->core, mm, old + off, false, &from))
			continue;
		pte = physmem_read64(&sys->pm, from);
		if (!pte)
			continue;
		err = pgtable_pte_addr(&sys->core, mm, new_addr + off, true, &to);
		if (err)
			return err;
		physmem_write64(&sys->pm, to, pte);
		physmem_write64(&sys->pm, from, 0);
	}
	core_tlb_flush_range(&sys->core, mm, old, old + len, "mremap moved the pages");
	return 0;
}

int mmsim_mremap(struct mmsim_task *t, uint64_t old_addr, uint64_t old_len, uint64_t new_len,
		 int flags, uint64_t new_addr, uint64_t *addr_out)
{
	PTI_SYSCALL(t);
	struct mmsim_system *sys = t->sys;
	struct mm_struct *mm = t->mm;
	struct vma *v, *nv;
	int err;

	if (!mm || (old_addr & (X86_PAGE_SIZE - 1)) || new_len == 0 ||
	    (flags & ~(MMSIM_MREMAP_MAYMOVE | MMSIM_MREMAP_FIXED)))
		return -EINVAL;
	if ((flags & MMSIM_MREMAP_FIXED) && !(flags & MMSIM_MREMAP_MAYMOVE))
		return -EINVAL;
	if (flags & MMSIM_MREMAP_FIXED)
		return -EINVAL; /* mmsim: MREMAP_FIXED is not modelled */
	(void)new_addr;
	old_len = page_align(old_len);
	new_len = page_align(new_len);
	if (!new_len) /* Linux: PAGE_ALIGN() wrapped to 0 */
		return -EINVAL;
	v = vma_find(mm, old_addr);
	if (!v)
		return -EFAULT;
	/* Linux: a shrinking remap only needs a VMA at old_addr; it unmaps the tail (with
	 * munmap's rule: the range ends at or below TASK_SIZE; compared without wrapping). */
	if (new_len <= old_len) {
		if (old_len > mm->task_size - old_addr)
			return -EINVAL;
		err = unmap_range(sys, mm, old_addr + new_len, old_addr + old_len);
		*addr_out = old_addr;
		kernel_paranoid_check(sys);
		return err;
	}
	if (old_len > v->end - old_addr)
		return -EFAULT;
	if (new_len > mm->task_size)
		return -ENOMEM; /* Linux: get_unmapped_area() refuses it, in place or moved */
	/* Grow in place when the whole VMA is remapped and the space after it is free. */
	if (old_addr + old_len == v->end && new_len <= mm->task_size - old_addr &&
	    vma_range_free(mm, v->end, old_addr + new_len)) {
		uint64_t grow = (old_addr + new_len - v->end) >> X86_PAGE_SHIFT;

		v->end = old_addr + new_len;
		mm->total_vm += grow;
		vma_try_merge_next(mm, v);
		*addr_out = old_addr;
		kernel_paranoid_check(sys);
		return 0;
	}
	if (!(flags & MMSIM_MREMAP_MAYMOVE))
		return -ENOMEM;
	/* Move: a new VMA elsewhere with the same backing and page offsets. */
	if (split_at_bounds(&sys->core, mm, old_addr, old_addr + old_len))
		return -ENOMEM;
	v = vma_find(mm, old_addr);
	/* mmsim: the PMD leaves moved are split (Linux moves aligned ones whole). */
	huge_split_range(&sys->core, v, old_addr, old_addr + old_len, false);
	err = get_unmapped_area(mm, new_len, !v->shmem, &new_addr);
	if (err)
		return err;
	nv = vma_dup(&sys->vma_alloc, v);
	if (!nv)
		return -ENOMEM;
	nv->start = new_addr;
	nv->end = new_addr + new_len;
	nv->anon_vma = NULL;
	nv->av_prev = nv->av_next = NULL;
	vma_link_new(mm, nv);
	if (v->anon_vma)
		anon_vma_link(nv, v->anon_vma);
	mm->total_vm += new_len >> X86_PAGE_SHIFT;
	if (v->shmem && shmem_get(v->shmem, nv))
		return -ENOMEM; /* nv stays mapped, empty; the old range keeps the pages */
	err = move_ptes(sys, mm, old_addr, new_addr, old_len);
	if (err)
		return err;
	/* The old range has no pages left: unmapping it frees its VMA and tables. */
	err = unmap_range(sys, mm, old_addr, old_addr + old_len);
	*addr_out = new_addr;
	kernel_paranoid_check(sys);
	return err;
}

int mmsim_brk(struct mmsim_task *t, uint64_t new_brk, uint64_t *brk_out)
{
	PTI_SYSCALL(t);
	struct mmsim_system *sys = t->sys;
	struct mm_struct *mm = t->mm;
	vaddr_t old_end, new_end;

	if (!mm)
		return -EINVAL;
	*brk_out = mm->brk;
	if (new_brk == 0 || new_brk < mm->start_brk || new_brk > mm->mmap_base)
		return 0; /* Linux returns the unchanged break */
	old_end = page_align(mm->brk);
	new_end = page_align(new_brk);
	if (new_end < old_end) {
		if (unmap_range(sys, mm, new_end, old_end))
			return 0;
	} else if (new_end > old_end) {
		/* Linux checks the new range plus one guard page is free. */
		if (!vma_range_free(mm, old_end, new_end + X86_PAGE_SIZE))
			return 0;
		struct vma *hv = vma_insert(mm, old_end, new_end,
					    VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE |
						    VM_MAYEXEC | VM_ACCOUNT,
					    old_end >> X86_PAGE_SHIFT, NULL);

		if (!hv)
			return 0;
		khugepaged_enter_vma(&sys->core, hv); /* Linux do_brk_flags() */
		mm->total_vm += (new_end - old_end) >> X86_PAGE_SHIFT;
	}
	mm->brk = new_brk;
	*brk_out = new_brk;
	kernel_paranoid_check(sys);
	return 0;
}
