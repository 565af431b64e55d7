/*
 * replay/replay.h: what the trace layer shares with replay.c beyond the public mmsim/replay.h:
 * where a task's stack is, which the VMA rule and the built-in workloads both need.
 */
#ifndef MMSIM_TRACE_REPLAY_H
#define MMSIM_TRACE_REPLAY_H

#include <stdint.h>

struct mmsim_system;
struct mmsim_task;

/*
 * The [stack] VMA of t, from its /proc/PID/maps view (the public API's only window on it):
 * *start and *end in bytes. 0, -ENOENT when t has no stack VMA, or -ENOMEM.
 */
int replay_stack_vma(struct mmsim_system *sys, struct mmsim_task *t, uint64_t *start,
		     uint64_t *end);

#endif
