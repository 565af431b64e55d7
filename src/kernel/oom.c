/*
 * kernel/oom.c: the OOM killer (see oom.h). Linux: mm/oom_kill.c, out_of_memory(),
 * select_bad_process(), oom_badness(), oom_kill_process().
 * mmsim: no oom_score_adj and no reaper thread: the victim's memory is freed at once.
 */
#include "kernel/oom.h"

#include "kernel/system.h"
#include "mm/event.h"
#include "mm/pgdat.h"
#include "mm/vma.h"
#include "mm/vmstat.h"

/* Linux oom_badness(): resident pages + swap entries + page-table pages. */
static uint64_t badness(const struct mmsim_task *t)
{
	const struct mm_struct *mm = t->mm;

	return mm ? mm->rss_anon + mm->rss_shmem + mm->swap_ents + mm->pgtables_pages : 0;
}

enum mmsim_signal oom_kill(struct mmsim_system *sys, struct mmsim_task *faulting)
{
	struct mmsim_task *victim = NULL;

	for (struct mmsim_task *t = sys->tasks; t; t = t->next) {
		if (t->alive && t->mm && (!victim || badness(t) > badness(victim)))
			victim = t;
	}
	if (!victim)
		return MMSIM_SIG_KILLED;
	core_event(&sys->core, &(struct mm_event){ .kind = MM_EV_OOM_KILL, .pid = victim->pid });
	sys->pgdat->vmstat[VMSTAT_OOM_KILL]++;
	victim->alive = false;
	kernel_update_hiwater(victim->mm);
	victim->maxrss_pages = (uint32_t)victim->mm->hiwater_rss; /* Linux: exit_mm() keeps it */
	system_mm_destroy(sys, victim->mm);
	victim->mm = NULL;
	return victim == faulting ? MMSIM_SIG_KILLED : MMSIM_SIG_NONE;
}
