/*
 * kernel/reclaim.c: reclaim asked for ahead of need (mmsim/mmsim.h mmsim_reclaim(),
 * mmsim_shrink_all()): cgroup v2 memory.reclaim (Linux mm/memcontrol.c memory_reclaim()),
 * process_madvise(MADV_PAGEOUT) over a process (mm/madvise.c), and shrink_all_memory()
 * (mm/vmscan.c), which hibernation runs before it writes its image. The mechanics are
 * mm's (vmscan.c, memory.c); this file only picks which and counts bytes.
 */
#include <errno.h>
#include <stdint.h>

#include "arch/x86_64/types.h"
#include "kernel/check.h"
#include "kernel/system.h"
#include "mm/pgtable.h"
#include "mm/vmscan.h"

static void put_bytes(uint64_t *out, uint64_t pages)
{
	if (out)
		*out = pages << X86_PAGE_SHIFT;
}

int mmsim_reclaim(struct mmsim_system *sys, struct mmsim_task *t, uint64_t bytes,
		  uint64_t *reclaimed_bytes)
{
	uint64_t pages = (bytes + X86_PAGE_SIZE - 1) >> X86_PAGE_SHIFT, done = 0;
	int rc = 0;

	if (!t) {
		/* memory_reclaim() loops try_to_free_mem_cgroup_pages() to the target. */
		done = vmscan_reclaim(&sys->core, pages, VMSCAN_PROACTIVE);
	} else if (!t->mm) {
		rc = -EINVAL;
	} else {
		rc = kernel_pageout(t, 0, pgtable_user_ceiling(&sys->core), pages, &done);
		/* The whole address space has holes; that is no error here. */
		if (rc == -ENOMEM)
			rc = 0;
	}
	kernel_paranoid_check(sys);
	put_bytes(reclaimed_bytes, done);
	return rc;
}

int mmsim_shrink_all(struct mmsim_system *sys, uint64_t *reclaimed_bytes)
{
	uint64_t done = vmscan_reclaim(&sys->core, UINT64_MAX, VMSCAN_HIBERNATE);

	kernel_paranoid_check(sys);
	put_bytes(reclaimed_bytes, done);
	return 0;
}
