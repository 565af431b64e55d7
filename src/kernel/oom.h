/*
 * kernel/oom.h: the OOM killer (Linux mm/oom_kill.c): when a fault needs a frame that
 * reclaim cannot free, a task is killed and its memory handed back.
 */
#ifndef MMSIM_KERNEL_OOM_H
#define MMSIM_KERNEL_OOM_H

#include "mmsim/mmsim.h"

struct mmsim_system;
struct mmsim_task;

/* Linux out_of_memory(): kills the live task with the highest badness (oom_badness()),
 * frees its address space and counts oom_kill. Returns MMSIM_SIG_KILLED when that was the
 * faulting task (or none could be killed), MMSIM_SIG_NONE when another task died and the
 * fault may be retried. */
enum mmsim_signal oom_kill(struct mmsim_system *sys, struct mmsim_task *faulting);

#endif
