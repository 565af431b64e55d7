/*
 * mmsim/workloads.h: built-in workloads: real computations whose memory lives in a
 * simulated machine (docs/workloads.md).
 *
 * Each workload spawns its processes, maps its memory with the machine's system calls and
 * computes through mmsim_read()/mmsim_write() of 8-byte words, so every load and store of
 * its data is a simulated access (TLB, page walk, faults, reclaim, swap). Only values of
 * constant size live on the host (loop counters, a PRNG, a few small tables of counts).
 * Each checks its own result at the end; a wrong answer is a failed run.
 *
 * A workload needs data mode (config data=on): mmsim_workload_configure() sets it, with the
 * machine size the workload was sized for (for example mem=16M swap=64M), so that reclaim
 * and swap happen in a default run of a few seconds. Options the caller applies after it
 * override those defaults. scale multiplies the work (docs/workloads.md says how for each).
 *
 * Workloads use a seeded PRNG (config seed, via opts->seed): the same seed, the same run.
 */
#ifndef MMSIM_WORKLOADS_H
#define MMSIM_WORKLOADS_H

#include "mmsim/export.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct mmsim_config;
struct mmsim_error;
struct mmsim_system;
struct mmsim_task;
struct mmsim_trace_writer;

struct mmsim_workload_info {
	const char *name;    /* as given to --workload */
	const char *summary; /* one line for `mmsim workloads` */
	const char *config;  /* what mmsim_workload_configure() sets, as "key=value ..." */
};

/* The workloads, in listing order: i < mmsim_workload_count(); NULL beyond. */
MMSIM_API size_t mmsim_workload_count(void);
MMSIM_API const struct mmsim_workload_info *mmsim_workload_at(size_t i);

/* The workload called name, or NULL. */
MMSIM_API const struct mmsim_workload_info *mmsim_workload_find(const char *name);

/* The workload `mmsim run` runs without a trace or --workload. */
MMSIM_API const struct mmsim_workload_info *mmsim_workload_default(void);

/* Applies w's machine defaults (w->config) and data=on to c. 0 or -EINVAL. */
MMSIM_API int mmsim_workload_configure(const struct mmsim_workload_info *w, struct mmsim_config *c,
				       struct mmsim_error *err);

enum mmsim_workload_task_event {
	MMSIM_WORKLOAD_TASK_STARTED, /* spawned or forked; the workload will use it */
	MMSIM_WORKLOAD_TASK_EXITING, /* about to exit (read its last stats now) */
};

struct mmsim_workload_opts {
	unsigned int scale; /* 1 or more; 0 means 1 */
	/* Tests and quick looks: data sizes and work divided by about 2^shrink (0 to 8); the
	 * result is still checked, but the default machine may then not need to reclaim. */
	unsigned int shrink;
	uint64_t seed; /* PRNG seed (the config's seed) */
	/* Called about every tick_accesses accesses, with the accesses made so far and the
	 * workload's estimate of its total (progress bars, timelines). 0: no ticks. */
	uint64_t tick_accesses;
	void (*tick)(void *ctx, uint64_t accesses, uint64_t planned);
	/* Called when a task starts and before it exits. NULL: not told. */
	void (*task_event)(void *ctx, struct mmsim_task *t, enum mmsim_workload_task_event ev);
	void *ctx;
	/* When not NULL, every access is also written to this trace (size 8, the task's pid),
	 * so the run can be replayed, for instance with policy=opt. Borrowed. */
	struct mmsim_trace_writer *trace;
	/* Asked at every tick (after tick()): true stops the workload there (^C). Then
	 * mmsim_workload_run() returns -EINTR; res counts the accesses made, passed is false
	 * and the verdict says it was interrupted. NULL: never stopped. */
	bool (*stop)(void *ctx);
};

struct mmsim_workload_result {
	bool passed;		/* the computation checked its result and it was right */
	char verdict[256];	/* one line: what was checked, or the first thing that was wrong */
	char notes[1024];	/* what each phase did (lines ending in \n), or "" */
	uint64_t accesses;	/* 8-byte loads and stores made */
	uint64_t loads, stores; /* of which */
	uint64_t planned;	/* the workload's estimate of accesses, made before it ran */
};

/*
 * Runs w on sys (which should have been configured with mmsim_workload_configure()).
 * The tasks it leaves alive stay in the system (the caller reports on them). Returns 0
 * when the workload ran to a verdict, right or wrong (res->passed), including when the
 * machine refused it memory or killed it (a simulated outcome, named in res->verdict);
 * -EINVAL for bad opts; -ENOMEM when the host runs out of memory; the trace writer's error;
 * -EINTR when opts->stop stopped it.
 */
MMSIM_API int mmsim_workload_run(struct mmsim_system *sys, const struct mmsim_workload_info *w,
				 const struct mmsim_workload_opts *opts,
				 struct mmsim_workload_result *res, struct mmsim_error *err);

#endif
