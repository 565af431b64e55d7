/*
 * kernel/fork.c: fork(), Linux's dup_mm()/dup_mmap(): the child gets a copy of every VMA;
 * private anonymous pages become copy-on-write in both (copy_page_range), shared anonymous
 * memory stays shared, and the child's counters start at zero (Linux zeroes rusage).
 */
#include <errno.h>

#include "arch/x86_64/tlb.h"
#include "kernel/check.h"
#include "kernel/system.h"
#include "mm/khugepaged.h"
#include "mm/memory.h"
#include "mm/rmap.h"
#include "mm/shmem.h"
#include "mm/vma.h"

static int dup_mmap(struct mmsim_system *sys, struct mm_struct *dst, struct mm_struct *src)
{
	dst->mmap_base = src->mmap_base;
	dst->start_brk = src->start_brk;
	dst->brk = src->brk;
	dst->start_stack = src->start_stack;
	dst->hiwater_rss = 0;
	dst->hiwater_vm = src->hiwater_vm; /* Linux dup_mm() copies the whole mm first */
	for (struct vma *v = src->vma_first; v; v = v->next) {
		struct vma *c = vma_dup(&sys->vma_alloc, v);
		int err;

		if (!c)
			return -ENOMEM;
		vma_link_new(dst, c); /* goes last: O(log n) */
		dst->total_vm += vma_pages(c);
		c->anon_vma = NULL;
		c->av_prev = c->av_next = NULL;
		if (v->anon_vma)
			anon_vma_link(c, v->anon_vma);
		/* A VMA off its file's list would be freed as if on it: harmless (put
		 * finds nothing to drop). */
		if (v->shmem && shmem_get(v->shmem, c))
			return -ENOMEM;
		err = memory_copy_range(&sys->core, dst, c, src, v);
		if (err)
			return err;
	}
	return 0;
}

int mmsim_task_fork(struct mmsim_task *parent, struct mmsim_task **child_out)
{
	PTI_SYSCALL(parent);
	struct mmsim_system *sys = parent->sys;
	struct mm_struct *mm;
	struct mmsim_task *child;
	int err;

	if (!parent->mm)
		return -EINVAL;
	err = system_mm_create(sys, &mm);
	if (err)
		return err;
	err = dup_mmap(sys, mm, parent->mm);
	/* Linux dup_mmap() ends with flush_tlb_mm(oldmm): the parent lost write access. */
	core_tlb_flush_mm(&sys->core, parent->mm, "fork write-protected the parent's pages");
	if (err) {
		system_mm_destroy(sys, mm);
		return err;
	}
	err = task_create(sys, mm, &child);
	if (err) {
		system_mm_destroy(sys, mm);
		return err;
	}
	child->ppid = parent->pid;
	child->sid = parent->sid;
	khugepaged_fork(&sys->core, parent->mm, mm);
	*child_out = child;
	kernel_paranoid_check(sys);
	return 0;
}
