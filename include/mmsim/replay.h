/*
 * mmsim/replay.h: a memory trace (mmsim/trace.h) replayed through a simulated machine
 * (mmsim/mmsim.h), as `mmsim run TRACE` and `mmsim sweep` do it.
 *
 * Every trace pid becomes a process of the machine, spawned at its first record, or made by
 * the trace's events (docs/trace-format.md, "Events"; mmsim_trace_reader_set_events()):
 *   - fork P C: C becomes a copy-on-write copy of P (mmsim_task_fork()), with P's regions;
 *     C must not be a live process already (-EINVAL);
 *   - exec P: P's address space is replaced by a new empty one (mmsim_task_exec()); its
 *     pid, fault counts and place in the task list stay;
 *   - exit P: P's memory is freed (mmsim_task_exit_zombie(); the handle stays readable);
 *     a later record of P makes a new process (pid reuse);
 *   - reclaim BYTES P|all, shrink-all: mmsim_reclaim(), mmsim_shrink_all();
 *   - switch: counted, with the counters at the last one (stats.switch_*).
 * An event naming a process that does not exist (exit, reclaim) is -EINVAL. A trace
 * names addresses, not mappings, so the replay maps what the addresses need, by one
 * deterministic rule (docs/run.md, "The VMA rule"):
 *   - an address in the 8 MiB below the top of the [stack] VMA (Linux's default
 *     RLIMIT_STACK) belongs to the stack, which the fault handler grows down to it;
 *   - any other address: on its first touch, the 2 MiB-aligned region around it is
 *     mapped anonymous, private, read-write-execute (mmap MAP_FIXED_NOREPLACE), clipped
 *     below at 64 KiB (mmap_min_addr) and at the stack's top, and above at the bottom of
 *     the stack's 8 MiB. Above the stack, only 5-level paging has user space: elsewhere
 *     (and for kernel addresses) mmap refuses and the accesses end in SIGSEGV, as on
 *     Linux; so do accesses below 64 KiB, which is never mapped.
 *
 * A record becomes page accesses (mmsim_access()): one per 4 KiB page its bytes touch (or per
 * page of the what-if size, mmsim_replay_set_page_shift()), in
 * address order; a load is a read, a store a write, an instruction fetch a fetch, and a
 * modify a write followed by a read of each page (an x86 read-modify-write instruction
 * checks write rights before it reads, so its first fault is a write fault). Page accesses
 * are numbered from 0 in trace order: these are the positions a policy that needs the
 * future (opt) is told about, from a pre-pass (struct mmsim_replay_future).
 *
 * Replay runs in metadata mode: configure the system with data=off (the default).
 * Simulated outcomes (SIGSEGV, an OOM kill) are counted, never errors. A task killed by the
 * OOM killer stays dead: its later records are counted as skipped.
 *
 * Ownership: a replay borrows its system, which must outlive it; the tasks it spawns belong
 * to the system and stay there after mmsim_replay_destroy(). A future is immutable once
 * built and may be shared by any number of replays, in any number of threads.
 */
#ifndef MMSIM_REPLAY_H
#define MMSIM_REPLAY_H

#include "mmsim/export.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct mmsim_error;
struct mmsim_system;
struct mmsim_task;
struct mmsim_trace_reader;
struct mmsim_trace_record;

struct mmsim_replay;
struct mmsim_replay_future;

/* Bytes of the regions the VMA rule maps, and the stack's reach below its top. */
#define MMSIM_REPLAY_REGION_BYTES (UINT64_C(2) << 20)
#define MMSIM_REPLAY_STACK_BYTES (UINT64_C(8) << 20)

/* What a replay did so far. */
struct mmsim_replay_stats {
	uint64_t records;  /* trace records replayed */
	uint64_t accesses; /* page accesses (numbered positions), skipped ones included */
	uint64_t loads, stores, fetches; /* page accesses made, by kind (a modify: one of each) */
	uint64_t skipped;		 /* page accesses of tasks already killed (not made) */
	uint64_t segv_maperr;		 /* page accesses that ended in SIGSEGV, SEGV_MAPERR */
	uint64_t segv_accerr;		 /* ... SEGV_ACCERR */
	uint64_t killed;		 /* page accesses whose task was killed by them (OOM) */
	uint64_t regions_mapped;	 /* regions the VMA rule mapped */
	uint64_t map_failures;		 /* regions below the stack whose mmap failed (no memory) */
	uint64_t nr_tasks; /* processes made: one per trace pid, and one more each time a pid
			      is forked or used again after its exit */
	uint64_t forks;	   /* events replayed: fork, exec, exit */
	uint64_t execs;
	uint64_t exits;
	uint64_t reclaims; /* reclaim and shrink-all events */
	uint64_t switches; /* workload-switch marks */
	/* At the last switch mark (all 0 before one): the records replayed before it and the
	 * system's pgfault, pgmajfault and pswpin then, so that what the workload after the
	 * switch cost is the final count minus these. */
	uint64_t switch_records;
	uint64_t switch_pgfault;
	uint64_t switch_pgmajfault;
	uint64_t switch_pswpin;
};

/*
 * A replay into sys (borrowed). 0, or -ENOMEM (host memory). Tasks are spawned lazily.
 */
MMSIM_API int mmsim_replay_create(struct mmsim_system *sys, struct mmsim_replay **out,
				  struct mmsim_error *err);

/* Frees rp; the tasks stay in the system. Accepts NULL. */
MMSIM_API void mmsim_replay_destroy(struct mmsim_replay *rp);

/*
 * Makes rp give every page access its next-use position from f (borrowed; it must outlive
 * rp), and the system's policy (mmsim_needs_future()) those positions. Call before the
 * first record. The records replayed must then be exactly the trace f was built from:
 * a record beyond f's end is -EINVAL ("the trace changed between the two passes"), and so
 * is a trace that mmsim_replay_trace() reads to its end before f's end.
 */
MMSIM_API void mmsim_replay_set_future(struct mmsim_replay *rp,
				       const struct mmsim_replay_future *f);

/*
 * The base page size of the replay: 2^page_shift bytes. 12 (the default) is x86's 4 KiB.
 * 13, 14 and 16 are a "what if" that is NOT x86 (docs/page-size.md): page accesses are
 * numbered per page of that size (a record touching one 16 KiB page makes one access), and
 * every access to such a page goes to its first 4 KiB, so that one 4 KiB page of the machine
 * stands for each what-if page (one fault, one frame, one entry of the policy). Exact only
 * where nothing else of the machine sees the page size: demand reclaim (mmsim_config's
 * reclaim "demand"), TLB off. Call before the first record. 0, or -EINVAL (another shift,
 * or records already replayed).
 */
MMSIM_API int mmsim_replay_set_page_shift(struct mmsim_replay *rp, unsigned int page_shift,
					  struct mmsim_error *err);

/*
 * Replays one record or event. 0; -EINVAL for a record that cannot be valid (size 0,
 * unknown kind), an event about a process that does not exist, or a record that runs past
 * the future; -ENOMEM when a task cannot be spawned or host memory runs
 * out. err names the record by its number.
 */
MMSIM_API int mmsim_replay_record(struct mmsim_replay *rp, const struct mmsim_trace_record *rec,
				  struct mmsim_error *err);

/* Called every tick_accesses page accesses or so (between records) by mmsim_replay_trace().
 * Returns false to stop the replay early (mmsim_replay_trace() then returns -EINTR). */
typedef bool (*mmsim_replay_tick_fn)(void *ctx, struct mmsim_replay *rp);

struct mmsim_replay_trace_opts {
	uint64_t tick_accesses; /* 0: no ticks */
	mmsim_replay_tick_fn tick;
	void *ctx;
	uint64_t max_records; /* stop after this many records; 0: the whole trace */
};

/*
 * Reads r to its end (or opts->max_records: records and events) and replays every record
 * and event (it asks r for events: mmsim_trace_reader_set_events(r, true)). opts may be NULL.
 * 0; a reader's error (its message names the file and the place); -EINTR when tick said
 * stop; or an error of mmsim_replay_record().
 */
MMSIM_API int mmsim_replay_trace(struct mmsim_replay *rp, struct mmsim_trace_reader *r,
				 const struct mmsim_replay_trace_opts *opts,
				 struct mmsim_error *err);

MMSIM_API void mmsim_replay_get_stats(const struct mmsim_replay *rp,
				      struct mmsim_replay_stats *out);

/* The processes spawned so far, in order of first appearance: i < stats.nr_tasks.
 * *trace_pid (if not NULL) gets the pid the trace gave it. The task may have been killed
 * (mmsim_task_alive()). */
MMSIM_API struct mmsim_task *mmsim_replay_task(const struct mmsim_replay *rp, size_t i,
					       uint32_t *trace_pid);

/* What one process of the trace did: its page accesses made and not made. */
struct mmsim_replay_task_stats {
	uint64_t accesses;  /* page accesses made (the one during which it was killed too) */
	uint64_t skipped;   /* page accesses not made: the process had been killed */
	uint64_t killed_at; /* the trace's page accesses before which it was dead (killed by
			       its own access: that access included; by another process's
			       allocation: its first access not made); UINT64_MAX: not seen
			       dead */
};

/* Stats of process i (as mmsim_replay_task()). 0, or -EINVAL for no such process. */
MMSIM_API int mmsim_replay_task_stats(const struct mmsim_replay *rp, size_t i,
				      struct mmsim_replay_task_stats *out);

/* ---- The pre-pass: the future of every page access, and the trace's footprint ----------- */

/*
 * Reads r from where it stands to its end, numbering page accesses exactly as replay does,
 * and records for each the distance to the next access to the same (pid, page). Events
 * make no page accesses; fork, exec and exit number the address spaces as replay does, and
 * the future keeps each page's first position in each address space. A page that a fork
 * shares is used next by whichever mapper comes first: the replay answers OPT's question
 * for each (mmsim_set_next_use_hook(): the future of a mapper's latest access to the page,
 * or its first access in the child). Host memory: 4 bytes per page access plus hash
 * tables of the distinct pages (per pid and per address space). Distances
 * of 2^32 - 1 page accesses or more are kept as "never again", so positions are exact for
 * traces under 4 billion page accesses. The caller rewinds r for the replay itself.
 * 0, -ENOMEM, or the reader's error.
 */
MMSIM_API int mmsim_replay_future_build(struct mmsim_trace_reader *r,
					struct mmsim_replay_future **out, struct mmsim_error *err);

/* As mmsim_replay_future_build(), numbering page accesses at a base page of 2^page_shift
 * bytes (mmsim_replay_set_page_shift(); the replay must use the same). -EINVAL for a shift
 * other than 12, 13, 14 or 16. */
MMSIM_API int mmsim_replay_future_build_at(struct mmsim_trace_reader *r, unsigned int page_shift,
					   struct mmsim_replay_future **out,
					   struct mmsim_error *err);

MMSIM_API void mmsim_replay_future_destroy(struct mmsim_replay_future *f);

/* Page accesses in the trace (positions 0 .. n-1). */
MMSIM_API uint64_t mmsim_replay_future_nr_accesses(const struct mmsim_replay_future *f);

/* Position of the next access to the page of access pos, by the same pid; UINT64_MAX for
 * none (or pos out of range). */
MMSIM_API uint64_t mmsim_replay_future_next_use(const struct mmsim_replay_future *f, uint64_t pos);

/* What a trace touches, without replaying it. */
struct mmsim_replay_footprint {
	uint64_t records;  /* trace records */
	uint64_t accesses; /* page accesses, numbered as replay numbers them */
	uint64_t pages;	   /* distinct (pid, page) pairs: the resident set of an unlimited run */
	uint64_t pids;	   /* distinct pids */
	uint64_t regions;  /* distinct (pid, 2 MiB region) pairs: what the VMA rule would map,
			      stack zone included */
};

MMSIM_API void mmsim_replay_future_footprint(const struct mmsim_replay_future *f,
					     struct mmsim_replay_footprint *out);

/*
 * As mmsim_replay_future_build() without keeping the distances: only the footprint.
 * Host memory: the hash tables only.
 */
MMSIM_API int mmsim_replay_scan(struct mmsim_trace_reader *r, struct mmsim_replay_footprint *out,
				struct mmsim_error *err);
/* As mmsim_replay_scan() at a base page of 2^page_shift bytes: pages are of that size. */
MMSIM_API int mmsim_replay_scan_at(struct mmsim_trace_reader *r, unsigned int page_shift,
				   struct mmsim_replay_footprint *out, struct mmsim_error *err);

#endif
