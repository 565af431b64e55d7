/*
 * workloads/workloads_impl.h: what the built-in workloads share (workloads*.c only): the
 * registry entry each defines, the run context, and 8-byte loads and stores through the
 * simulated machine that count, tick, record the trace and turn a signal into a verdict.
 *
 * A workload's body gets a struct workload_run and returns nothing: it stops early when
 * workload_ok() turns false (a failed access, a failed system call, a host error) and
 * calls workload_pass() or workload_fail() with its verdict at the end.
 */
#ifndef MMSIM_WORKLOADS_WORKLOADS_IMPL_H
#define MMSIM_WORKLOADS_WORKLOADS_IMPL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mmsim/mmsim.h"
#include "mmsim/trace.h"
#include "mmsim/workloads.h"
#include "util/splitmix.h"

struct workload_run;

struct workload_def {
	struct mmsim_workload_info info;
	/* The work at scale 1..; sets *planned before it starts the real work. */
	void (*run)(struct workload_run *w);
};

extern const struct workload_def workload_server, workload_sort, workload_matmul, workload_kv,
	workload_grow;

struct workload_run {
	struct mmsim_system *sys;
	const struct mmsim_workload_opts *opts;
	struct mmsim_workload_result *res;
	unsigned int scale;	 /* 1 or more */
	unsigned int shrink;	 /* 0 to 8: sizes divided by 2^shrink (workload_size()) */
	uint64_t rng;		 /* splitmix64 state */
	uint64_t next_tick;	 /* res->accesses value of the next tick; UINT64_MAX: none */
	bool tracing;		 /* opts->trace: every access takes workload_access_slow() */
	bool stopped;		 /* a verdict (failure) is set, or host_error: stop working */
	bool interrupted;	 /* opts->stop said stop: no verdict */
	int host_error;		 /* a negative errno for mmsim_workload_run() to return, or 0 */
	struct mmsim_error *err; /* host_error's message */
};

static inline bool workload_ok(const struct workload_run *w)
{
	return !w->stopped;
}

/* base * scale >> shrink, at least min: a size at this run's scale. */
static inline uint64_t workload_size(const struct workload_run *w, uint64_t base, uint64_t min)
{
	uint64_t v = (base * w->scale) >> w->shrink;

	return v < min ? min : v;
}

/* Sets the failing verdict (the first one wins) and stops the workload. */
void workload_fail(struct workload_run *w, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Sets the passing verdict, unless the run already failed. */
void workload_pass(struct workload_run *w, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Appends a line (without its newline) to res->notes. */
void workload_note(struct workload_run *w, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* A failed access, a trace to write, a tick due: the rare part of every access. */
void workload_access_slow(struct workload_run *w, struct mmsim_task *t, uint64_t va, bool store,
			  enum mmsim_signal sig);

static inline uint64_t workload_load(struct workload_run *w, struct mmsim_task *t, uint64_t va)
{
	uint64_t v = 0;
	enum mmsim_signal sig = mmsim_read(t, va, &v, sizeof(v));

	w->res->loads++;
	w->res->accesses++;
	if (sig != MMSIM_SIG_NONE || w->tracing || w->res->accesses >= w->next_tick)
		workload_access_slow(w, t, va, false, sig);
	return v;
}

static inline void workload_store(struct workload_run *w, struct mmsim_task *t, uint64_t va,
				  uint64_t v)
{
	enum mmsim_signal sig = mmsim_write(t, va, &v, sizeof(v));

	w->res->stores++;
	w->res->accesses++;
	if (sig != MMSIM_SIG_NONE || w->tracing || w->res->accesses >= w->next_tick)
		workload_access_slow(w, t, va, true, sig);
}

/* Process life cycle, telling opts->task_event. Failures fail the workload (NULL). */
struct mmsim_task *workload_spawn(struct workload_run *w);
struct mmsim_task *workload_fork(struct workload_run *w, struct mmsim_task *parent);
void workload_exit(struct workload_run *w, struct mmsim_task *t);

/* mmap of bytes, anonymous, private, read-write; 0 (and the workload failed) on error. */
uint64_t workload_mmap(struct workload_run *w, struct mmsim_task *t, uint64_t bytes);

/* A counter of the machine by name (0 if unknown), for the notes of a phase. */
uint64_t workload_counter(struct workload_run *w, const char *name);

/* The seeded PRNG (splitmix64): 64 random bits; a number below n (n > 0). */
uint64_t workload_rand(struct workload_run *w);
uint64_t workload_rand_below(struct workload_run *w, uint64_t n);

#endif
