/*
 * replay/replay.c: a memory trace replayed through a simulated machine (mmsim/replay.h).
 *
 * Three pieces: the per-pid processes (spawned at a pid's first record), the VMA rule (a
 * trace has addresses, not mappings: the 2 MiB-aligned region around a first-touched
 * address is mapped anonymous, the stack's 8 MiB are left to the stack VMA to grow into),
 * and the pre-pass that gives a policy needing the future (opt) the next-use position of
 * every page access. Replay and pre-pass turn records into page accesses the same way
 * (replay_record_pages(), replay_kind_accesses() in replay/replay.h, which mrc.c uses too), so
 * their positions agree.
 *
 * Host state only (malloc): hash tables keyed by (pid or task, page or region).
 */
#include "mmsim/replay.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "mmsim/error.h"
#include "mmsim/mmsim.h"
#include "mmsim/trace.h"
#include "replay/replay.h"
#include "util/splitmix.h"

#define REGION_SHIFT 21
/* Linux: vm.mmap_min_addr defaults to 65536; nothing is mapped below it. */
#define MMAP_MIN_ADDR UINT64_C(65536)
/* Records read per mmsim_trace_read() call. */
#define BATCH 4096
/* Entries of the replay's cache of handled regions (a power of two). */
#define REPLAY_REGION_CACHE 4096
/* A distance kept in 32 bits: this value means "never again". */
#define DIST_NEVER UINT32_MAX

/* ---- A hash map from a two-word key to a word (open addressing, linear probing) --------- */

struct hslot {
	uint64_t k1; /* 0: empty slot; users keep it non-zero (a pid or index plus one) */
	uint64_t k2;
	uint64_t val;
};

struct hmap {
	struct hslot *slots; /* cap entries, a power of two; NULL until the first insert */
	uint64_t cap;
	uint64_t nr; /* used slots; kept at most cap / 2 */
};

static uint64_t hkey(uint64_t k1, uint64_t k2)
{
	return splitmix64_mix(k1 * UINT64_C(0x9e3779b97f4a7c15) ^ k2);
}

static void hmap_fini(struct hmap *m)
{
	free(m->slots);
	memset(m, 0, sizeof(*m));
}

/* The slot holding (k1, k2), or the empty slot where it would go. m->slots != NULL. */
static struct hslot *hmap_probe(const struct hmap *m, uint64_t k1, uint64_t k2)
{
	uint64_t mask = m->cap - 1;

	for (uint64_t i = hkey(k1, k2) & mask;; i = (i + 1) & mask) {
		struct hslot *s = &m->slots[i];

		if (!s->k1 || (s->k1 == k1 && s->k2 == k2))
			return s;
	}
}

static int hmap_grow(struct hmap *m)
{
	uint64_t cap = m->cap ? m->cap * 2 : 1024;
	struct hmap bigger = { .slots = calloc(cap, sizeof(struct hslot)), .cap = cap };

	if (!bigger.slots)
		return -ENOMEM;
	for (uint64_t i = 0; i < m->cap; i++) {
		if (m->slots[i].k1)
			*hmap_probe(&bigger, m->slots[i].k1, m->slots[i].k2) = m->slots[i];
	}
	bigger.nr = m->nr;
	free(m->slots);
	*m = bigger;
	return 0;
}

/* The value of (k1, k2), or NULL. */
static uint64_t *hmap_get(const struct hmap *m, uint64_t k1, uint64_t k2)
{
	struct hslot *s;

	if (!m->slots)
		return NULL;
	s = hmap_probe(m, k1, k2);
	return s->k1 ? &s->val : NULL;
}

/* The value of (k1, k2), inserted as val if absent (*added says which). NULL: no memory. */
static uint64_t *hmap_get_or_add(struct hmap *m, uint64_t k1, uint64_t k2, uint64_t val,
				 bool *added)
{
	struct hslot *s;

	if ((m->nr + 1) * 2 > m->cap && hmap_grow(m))
		return NULL;
	s = hmap_probe(m, k1, k2);
	*added = !s->k1;
	if (*added) {
		s->k1 = k1;
		s->k2 = k2;
		s->val = val;
		m->nr++;
	}
	return &s->val;
}

/* ---- Records as page accesses (shared by the replay and the pre-pass) -------------------- */

static int check_record(const struct mmsim_trace_record *rec, uint64_t nr, struct mmsim_error *err)
{
	if (mmsim_trace_kind_is_event(rec->kind) &&
	    (unsigned int)rec->kind < MMSIM_TRACE_NR_ALL_KINDS) {
		const char *why = mmsim_trace_event_invalid(rec);

		if (why)
			return mmsim_error_set(err, -EINVAL, "event after record %" PRIu64 ": %s",
					       nr, why);
		return 0;
	}
	if ((unsigned int)rec->kind >= MMSIM_TRACE_NR_KINDS)
		return mmsim_error_set(err, -EINVAL, "record %" PRIu64 ": unknown access kind %d",
				       nr + 1, (int)rec->kind);
	if (rec->size == 0)
		return mmsim_error_set(err, -EINVAL,
				       "record %" PRIu64
				       ": size 0 is invalid (an access has 1 byte "
				       "or more)",
				       nr + 1);
	return 0;
}

/* ---- The replay ---------------------------------------------------------------------------- */

struct replay_task {
	struct mmsim_task *task;
	uint32_t trace_pid;
	uint64_t as_id;	      /* its address space (new at spawn, fork, exec): keys regions */
	bool exited;	      /* an exit event came: a zombie; its pid may be a new process */
	uint64_t stack_top;   /* end of the [stack] VMA at spawn; nothing is mapped at or above */
	uint64_t stack_floor; /* stack_top - MMSIM_REPLAY_STACK_BYTES: the stack's zone begins */
	struct mmsim_replay_task_stats st;
};

struct mmsim_replay {
	struct mmsim_system *sys;
	bool needs_future;			  /* the system's policy takes next-use positions */
	unsigned int page_shift;		  /* 12, or a what-if base page (13, 14, 16) */
	const struct mmsim_replay_future *future; /* NULL: none */
	struct replay_task *tasks;		  /* by index, in order of first appearance */
	size_t cap_tasks;
	struct hmap pids;	       /* (trace pid + 1, 0) -> task index */
	struct hmap regions;	       /* (as_id, region number) -> 1: regions the rule handled */
	uint64_t last_as_id;	       /* the last address space given out (ids start at 1) */
	struct replay_task *last_task; /* the task of the previous record (cache) */
	/* Regions known handled (a cache of regions, direct-mapped by region number; k1 0:
	 * empty). The table only grows, so a cached key stays true. */
	struct {
		uint64_t k1; /* as_id */
		uint64_t region;
	} region_cache[REPLAY_REGION_CACHE];
	struct mmsim_replay_stats st;
	/* With a future and a policy that needs it: the next-use hook (replay_next_use()). */
	bool hooked;
	struct hmap next_use; /* (as_id, page) -> next use after its latest access */
	struct hmap by_task;  /* (struct mmsim_task *, 0) -> task index */
};

struct mmsim_replay_future {
	uint32_t *dist;	   /* by position: distance to the next use of the page, DIST_NEVER */
	uint64_t nr;	   /* positions */
	struct hmap first; /* (address space, page) -> its first position, for the address
			    * spaces of forked children, numbered as the replay numbers them
			    * (as_id) */
	uint64_t forks;	   /* fork events: without any, no page is shared */
	struct mmsim_replay_footprint fp;
};

int mmsim_replay_create(struct mmsim_system *sys, struct mmsim_replay **out,
			struct mmsim_error *err)
{
	struct mmsim_replay *rp = calloc(1, sizeof(*rp));

	if (!rp)
		return mmsim_error_set(err, -ENOMEM, "out of host memory");
	rp->sys = sys;
	rp->needs_future = mmsim_needs_future(sys);
	rp->page_shift = 12;
	*out = rp;
	return 0;
}

void mmsim_replay_destroy(struct mmsim_replay *rp)
{
	if (!rp)
		return;
	if (rp->hooked)
		mmsim_set_next_use_hook(rp->sys, NULL, NULL);
	hmap_fini(&rp->next_use);
	hmap_fini(&rp->by_task);
	hmap_fini(&rp->pids);
	hmap_fini(&rp->regions);
	free(rp->tasks);
	free(rp);
}

/*
 * The next-use hook (mmsim_set_next_use_hook()): when task t uses the page at va next. OPT
 * asks it for every task that maps a page a fork shared. After t's latest access to the
 * page, the future of that access; before its first (a child that has not touched a page it
 * inherited), the pre-pass's first position of the page in t's address space.
 */
static uint64_t replay_next_use(void *ctx, struct mmsim_task *t, uint64_t va)
{
	struct mmsim_replay *rp = ctx;
	uint64_t *idx = hmap_get(&rp->by_task, (uintptr_t)t, 0), *nu, as;

	if (!idx)
		return UINT64_MAX;
	as = rp->tasks[*idx].as_id;
	nu = hmap_get(&rp->next_use, as, va >> rp->page_shift);
	if (!nu)
		nu = hmap_get(&rp->future->first, as, va >> rp->page_shift);
	return nu ? *nu : UINT64_MAX;
}

/* A page access at a position with a future: remembers when the page is used next. */
static __attribute__((noinline)) int note_next_use(struct mmsim_replay *rp, struct replay_task *rt,
						   uint64_t va, uint64_t next_use,
						   struct mmsim_error *err)
{
	bool added;
	uint64_t *slot = hmap_get_or_add(&rp->next_use, rt->as_id, va >> rp->page_shift, 0, &added);

	if (!slot)
		return mmsim_error_set(err, -ENOMEM, "out of host memory");
	*slot = next_use;
	return 0;
}

void mmsim_replay_set_future(struct mmsim_replay *rp, const struct mmsim_replay_future *f)
{
	rp->future = f;
	rp->hooked = f && f->forks && rp->needs_future;
	mmsim_set_next_use_hook(rp->sys, rp->hooked ? replay_next_use : NULL, rp);
}

/* Where the stack of rt's (new) address space is: its top, and the floor of its zone. */
static void note_stack(struct replay_task *rt)
{
	struct mmsim_task_layout layout;

	/* Without a stack VMA (a layout without one), every user address follows the
	 * region rule. */
	if (mmsim_task_layout(rt->task, &layout) || !layout.stack_end) {
		rt->stack_top = UINT64_MAX;
		rt->stack_floor = UINT64_MAX;
	} else {
		rt->stack_top = layout.stack_end;
		rt->stack_floor = rt->stack_top - MMSIM_REPLAY_STACK_BYTES;
	}
}

/*
 * A new process for pid: spawned empty, or (parent not NULL) forked from parent, whose
 * regions it then shares. *out is valid until the next new task (the array may move).
 */
static int new_task(struct mmsim_replay *rp, uint32_t pid, struct replay_task *parent,
		    struct replay_task **out, struct mmsim_error *err);

static int spawn_task(struct mmsim_replay *rp, uint32_t pid, struct replay_task **out,
		      struct mmsim_error *err)
{
	return new_task(rp, pid, NULL, out, err);
}

/* Marks the regions of address space from as handled in address space to as well (fork:
 * the child has the parent's VMAs). */
static int copy_regions(struct mmsim_replay *rp, uint64_t from, uint64_t to)
{
	uint64_t *found = NULL, nr = 0;
	bool added;

	if (rp->regions.slots) {
		found = malloc((rp->regions.nr ? rp->regions.nr : 1) * sizeof(*found));
		if (!found)
			return -ENOMEM;
		for (uint64_t i = 0; i < rp->regions.cap; i++) {
			if (rp->regions.slots[i].k1 == from)
				found[nr++] = rp->regions.slots[i].k2;
		}
	}
	for (uint64_t i = 0; i < nr; i++) {
		if (!hmap_get_or_add(&rp->regions, to, found[i], 1, &added)) {
			free(found);
			return -ENOMEM;
		}
	}
	free(found);
	return 0;
}

static int new_task(struct mmsim_replay *rp, uint32_t pid, struct replay_task *parent,
		    struct replay_task **out, struct mmsim_error *err)
{
	size_t idx = rp->st.nr_tasks;
	size_t parent_idx = parent ? (size_t)(parent - rp->tasks) : 0;
	struct replay_task *rt;
	uint64_t *slot;
	bool added;
	int rc;

	if (idx == rp->cap_tasks) {
		size_t cap = rp->cap_tasks ? rp->cap_tasks * 2 : 8;
		struct replay_task *tasks = realloc(rp->tasks, cap * sizeof(*tasks));

		if (!tasks)
			return mmsim_error_set(err, -ENOMEM, "out of host memory");
		rp->tasks = tasks;
		rp->cap_tasks = cap;
		rp->last_task = NULL; /* it pointed into the old array */
	}
	parent = parent ? &rp->tasks[parent_idx] : NULL;
	slot = hmap_get_or_add(&rp->pids, (uint64_t)pid + 1, 0, idx, &added);
	if (!slot)
		return mmsim_error_set(err, -ENOMEM, "out of host memory");
	rt = &rp->tasks[idx];
	memset(rt, 0, sizeof(*rt));
	rt->trace_pid = pid;
	rt->st.killed_at = UINT64_MAX;
	rt->as_id = ++rp->last_as_id;
	if (parent)
		rc = mmsim_task_fork(parent->task, &rt->task);
	else
		rc = mmsim_task_spawn(rp->sys, &rt->task);
	if (rc)
		goto out_forget;
	if (parent) {
		rt->stack_top = parent->stack_top;
		rt->stack_floor = parent->stack_floor;
		if (copy_regions(rp, parent->as_id, rt->as_id)) {
			rc = -ENOMEM;
			/* The child exists in the system; the replay forgets it. */
			goto out_forget;
		}
	} else {
		note_stack(rt);
	}
	if (rp->hooked) {
		uint64_t *t = hmap_get_or_add(&rp->by_task, (uintptr_t)rt->task, 0, idx, &added);

		if (!t)
			return mmsim_error_set(err, -ENOMEM, "out of host memory");
		*t = idx; /* a task object may be reused after an exit */
	}
	*slot = idx; /* also after an earlier failed spawn for this pid */
	rp->st.nr_tasks++;
	*out = rt;
	return 0;

out_forget:
	/* Leave the pid unmapped: the slot is overwritten by the next spawn, and the pid
	 * table must not point at it. */
	*slot = SIZE_MAX;
	return mmsim_error_set(err, rc, "cannot %s a process for trace pid %" PRIu32 " (%s)",
			       parent ? "fork" : "spawn", pid,
			       rc == -ENOMEM ? "out of simulated memory" : "error");
}

static int find_task(struct mmsim_replay *rp, uint32_t pid, struct replay_task **out,
		     struct mmsim_error *err)
{
	uint64_t *idx = hmap_get(&rp->pids, (uint64_t)pid + 1, 0);

	if (idx && *idx != SIZE_MAX) {
		*out = &rp->tasks[*idx];
		return 0;
	}
	return spawn_task(rp, pid, out, err);
}

/* The region is in the cache of regions the VMA rule has handled for rt's address space. */
static inline bool region_cached(const struct mmsim_replay *rp, const struct replay_task *rt,
				 uint64_t region)
{
	return rp->region_cache[region & (REPLAY_REGION_CACHE - 1)].k1 == rt->as_id &&
	       rp->region_cache[region & (REPLAY_REGION_CACHE - 1)].region == region;
}

static void region_cache_put(struct mmsim_replay *rp, const struct replay_task *rt, uint64_t region)
{
	rp->region_cache[region & (REPLAY_REGION_CACHE - 1)].k1 = rt->as_id;
	rp->region_cache[region & (REPLAY_REGION_CACHE - 1)].region = region;
}

/* va lies where the rule maps nothing: below mmap_min_addr, or in the stack's zone. */
static bool rule_maps_nothing(const struct replay_task *rt, uint64_t va)
{
	return va < MMAP_MIN_ADDR || (va >= rt->stack_floor && va < rt->stack_top);
}

/* ensure_mapped() past its cache test: true when it called mmap. */
static __attribute__((noinline)) bool ensure_mapped_slow(struct mmsim_replay *rp,
							 struct replay_task *rt, uint64_t va)
{
	uint64_t key1 = rt->as_id;
	uint64_t region = va >> REGION_SHIFT;
	uint64_t start, end, addr, *slot;
	bool added, above = va >= rt->stack_top;
	int rc;

	if (rule_maps_nothing(rt, va))
		return false; /* never mapped, or the stack's */
	slot = hmap_get_or_add(&rp->regions, key1, region, 1, &added);
	if (!slot) {
		/* Out of host memory for the table: map nothing; the access faults. */
		rp->st.map_failures++;
		return false;
	}
	region_cache_put(rp, rt, region);
	if (!added)
		return false;
	start = region << REGION_SHIFT;
	end = start + MMSIM_REPLAY_REGION_BYTES;
	if (above) {
		/* Above the stack only 5-level paging has user space (up to 2^56); elsewhere
		 * mmap refuses, as Linux would, and the access ends in SIGSEGV. */
		if (start < rt->stack_top)
			start = rt->stack_top;
		if (end < start)
			end = UINT64_MAX & ~(UINT64_C(4095));
	} else {
		if (start < MMAP_MIN_ADDR)
			start = MMAP_MIN_ADDR;
		if (end > rt->stack_floor || end < start)
			end = rt->stack_floor;
	}
	rc = mmsim_mmap(rt->task, start, end - start,
			MMSIM_PROT_READ | MMSIM_PROT_WRITE | MMSIM_PROT_EXEC,
			MMSIM_MAP_PRIVATE | MMSIM_MAP_ANONYMOUS | MMSIM_MAP_FIXED_NOREPLACE, &addr);
	if (!rc)
		rp->st.regions_mapped++;
	else if (!above)
		rp->st.map_failures++;
	return true;
}

/*
 * The VMA rule (mmsim/replay.h, docs/run.md) for the page at va of rt. True when it called
 * mmap (which may reclaim: the caller asks again whether the task lives). The cache test and
 * the zone test of ensure_mapped_slow() both return with nothing done, so the cheaper goes
 * first.
 */
static inline bool ensure_mapped(struct mmsim_replay *rp, struct replay_task *rt, uint64_t va)
{
	if (region_cached(rp, rt, va >> REGION_SHIFT))
		return false;
	return ensure_mapped_slow(rp, rt, va);
}

/*
 * Whether ensure_mapped() for the page at va of rt would map nothing: the region is in the
 * cache, or (then cached, as ensure_mapped_slow() caches it) in the table, or in no region
 * the rule maps. False when it would call mmap.
 */
static __attribute__((noinline)) bool region_handled_slow(struct mmsim_replay *rp,
							  struct replay_task *rt, uint64_t va)
{
	uint64_t region = va >> REGION_SHIFT;

	if (rule_maps_nothing(rt, va))
		return true;
	if (!hmap_get(&rp->regions, rt->as_id, region))
		return false;
	region_cache_put(rp, rt, region);
	return true;
}

static inline bool region_handled(struct mmsim_replay *rp, struct replay_task *rt, uint64_t va)
{
	return region_cached(rp, rt, va >> REGION_SHIFT) || region_handled_slow(rp, rt, va);
}

static const enum mmsim_access access_of[MMSIM_TRACE_NR_KINDS] = {
	[MMSIM_TRACE_LOAD] = MMSIM_ACCESS_READ,
	[MMSIM_TRACE_STORE] = MMSIM_ACCESS_WRITE,
	[MMSIM_TRACE_MODIFY] = MMSIM_ACCESS_WRITE,
	[MMSIM_TRACE_IFETCH] = MMSIM_ACCESS_FETCH,
};

/* Counts an access made, by kind. */
static void count_kind(struct mmsim_replay *rp, enum mmsim_access kind)
{
	switch (kind) {
	case MMSIM_ACCESS_READ:
		rp->st.loads++;
		break;
	case MMSIM_ACCESS_WRITE:
		rp->st.stores++;
		break;
	case MMSIM_ACCESS_FETCH:
		rp->st.fetches++;
		break;
	}
}

/* Counts the signal the access at position pos of rt ended in. */
static void count_signal(struct mmsim_replay *rp, struct replay_task *rt, enum mmsim_signal sig,
			 uint64_t pos)
{
	switch (sig) {
	case MMSIM_SIG_NONE:
		break;
	case MMSIM_SIG_SEGV_MAPERR:
		rp->st.segv_maperr++;
		break;
	case MMSIM_SIG_SEGV_ACCERR:
		rp->st.segv_accerr++;
		break;
	case MMSIM_SIG_BUS_ADRERR:
		break;
	case MMSIM_SIG_KILLED:
		rp->st.killed++;
		rt->st.killed_at = pos + 1;
		break;
	}
}

/* One page access at the next position; alive: mmsim_task_alive(rt->task), asked by the
 * caller. */
static inline int access_page(struct mmsim_replay *rp, struct replay_task *rt, uint64_t va,
			      enum mmsim_access kind, bool alive, struct mmsim_error *err)
{
	uint64_t pos = rp->st.accesses++;
	uint64_t next_use = UINT64_MAX;
	enum mmsim_signal sig;

	if (rp->future) {
		if (pos >= rp->future->nr)
			return mmsim_error_set(err, -EINVAL,
					       "page access %" PRIu64 " lies beyond the pre-pass's "
					       "%" PRIu64
					       ": the trace changed between the two passes",
					       pos, rp->future->nr);
		next_use = mmsim_replay_future_next_use(rp->future, pos);
	}
	if (!alive) {
		rp->st.skipped++;
		rt->st.skipped++;
		if (rt->st.killed_at == UINT64_MAX)
			rt->st.killed_at = pos;
		return 0;
	}
	rt->st.accesses++;
	if (rp->hooked) {
		int rc = note_next_use(rp, rt, va, next_use, err);

		if (rc)
			return rc;
	}
	if (rp->needs_future)
		sig = mmsim_access_future(rt->task, va, kind, true, next_use);
	else
		sig = mmsim_access(rt->task, va, kind, true);
	count_kind(rp, kind);
	count_signal(rp, rt, sig, pos);
	return 0;
}

/* The live (not exited) process of pid, or NULL. */
static struct replay_task *live_task(struct mmsim_replay *rp, uint32_t pid)
{
	uint64_t *idx = hmap_get(&rp->pids, (uint64_t)pid + 1, 0);

	return idx && *idx != SIZE_MAX ? &rp->tasks[*idx] : NULL;
}

static int event_error(struct mmsim_replay *rp, struct mmsim_error *err, const char *what,
		       uint32_t pid)
{
	return mmsim_error_set(err, -EINVAL,
			       "event after record %" PRIu64 ": %s %" PRIu32
			       " (no record or fork made it a process, or it exited)",
			       rp->st.records, what, pid);
}

/* fork: the child is a copy-on-write copy of the parent (spawned first if unseen). */
static int replay_fork(struct mmsim_replay *rp, const struct mmsim_trace_record *ev,
		       struct mmsim_error *err)
{
	uint32_t child = (uint32_t)ev->addr;
	struct replay_task *parent, *rt;
	int rc;

	if (ev->addr > UINT32_MAX || child == ev->pid)
		return mmsim_error_set(
			err, -EINVAL, "fork event after record %" PRIu64 ": bad child pid %" PRIu64,
			rp->st.records, ev->addr);
	if (live_task(rp, child))
		return mmsim_error_set(err, -EINVAL,
				       "fork event after record %" PRIu64 ": pid %" PRIu32
				       " forks pid %" PRIu32
				       ", which is a process already (it has not exited)",
				       rp->st.records, ev->pid, child);
	rc = find_task(rp, ev->pid, &parent, err);
	if (rc)
		return rc;
	/* mmsim: a process the OOM killer killed has no memory to copy; its child starts
	 * empty (such a child could not exist on Linux; the trace says it ran). */
	if (!mmsim_task_alive(parent->task))
		rc = spawn_task(rp, child, &rt, err);
	else
		rc = new_task(rp, child, parent, &rt, err);
	if (!rc)
		rp->st.forks++;
	return rc;
}

/* An event (checked by the reader or check_record()). */
static int replay_event(struct mmsim_replay *rp, const struct mmsim_trace_record *ev,
			struct mmsim_error *err)
{
	struct replay_task *rt;
	int rc = 0;

	/* The region cache stays: an exec or fork gives a new as_id, which no cached key has. */
	rp->last_task = NULL;
	switch (ev->kind) {
	case MMSIM_TRACE_FORK:
		return replay_fork(rp, ev, err);
	case MMSIM_TRACE_EXEC:
		rc = find_task(rp, ev->pid, &rt, err);
		if (rc)
			return rc;
		rt->as_id = ++rp->last_as_id;
		rp->st.execs++;
		if (!mmsim_task_alive(rt->task))
			return 0; /* killed: stays dead, its records skipped */
		rc = mmsim_task_exec(rt->task);
		if (rc)
			return mmsim_error_set(err, rc,
					       "exec event after record %" PRIu64 ": pid %" PRIu32
					       " cannot exec (out of simulated memory)",
					       rp->st.records, ev->pid);
		note_stack(rt);
		return 0;
	case MMSIM_TRACE_EXIT:
		rt = live_task(rp, ev->pid);
		if (!rt)
			return event_error(rp, err, "exit of unknown pid", ev->pid);
		if (mmsim_task_alive(rt->task))
			mmsim_task_exit_zombie(rt->task);
		rt->exited = true;
		*hmap_get(&rp->pids, (uint64_t)ev->pid + 1, 0) = SIZE_MAX;
		rp->st.exits++;
		return 0;
	case MMSIM_TRACE_RECLAIM:
		rt = NULL;
		if (ev->size != MMSIM_TRACE_EVENT_ALL) {
			rt = live_task(rp, ev->pid);
			if (!rt)
				return event_error(rp, err, "reclaim from unknown pid", ev->pid);
		}
		rp->st.reclaims++;
		/* A killed target has nothing left to reclaim. */
		if (!rt || mmsim_task_alive(rt->task))
			mmsim_reclaim(rp->sys, rt ? rt->task : NULL, ev->addr, NULL);
		return 0;
	case MMSIM_TRACE_SHRINK_ALL:
		rp->st.reclaims++;
		mmsim_shrink_all(rp->sys, NULL);
		return 0;
	default:
		/* A mark: what comes after it is the new workload's cost. */
		rp->st.switches++;
		rp->st.switch_records = rp->st.records;
		mmsim_counter(rp->sys, "pgfault", &rp->st.switch_pgfault);
		mmsim_counter(rp->sys, "pgmajfault", &rp->st.switch_pgmajfault);
		mmsim_counter(rp->sys, "pswpin", &rp->st.switch_pswpin);
		return 0;
	}
}

/* mmsim_replay_record(), inlined in the loop of mmsim_replay_trace(). */
static inline __attribute__((always_inline)) int replay_record(struct mmsim_replay *rp,
							       const struct mmsim_trace_record *rec,
							       struct mmsim_error *err)
{
	struct replay_task *rt = rp->last_task;
	uint64_t first, last;
	int rc;

	/* check_record() passes an access of a known kind and non-zero size at once. */
	if ((unsigned int)rec->kind >= MMSIM_TRACE_NR_KINDS || rec->size == 0) {
		rc = check_record(rec, rp->st.records, err);
		if (rc)
			return rc;
		if (mmsim_trace_kind_is_event(rec->kind))
			return replay_event(rp, rec, err);
	}
	if (!rt || rt->trace_pid != rec->pid) {
		rc = find_task(rp, rec->pid, &rt, err);
		if (rc)
			return rc;
		rp->last_task = rt;
	}
	replay_record_pages(rec, rp->page_shift, &first, &last);
	/* Bounded by the record's size: at most size / 4096 + 1 pages. */
	for (uint64_t page = first;; page++) {
		uint64_t va = replay_page_va(rec->addr, page, first, rp->page_shift);
		bool alive = mmsim_task_alive(rt->task);

		if (alive && ensure_mapped(rp, rt, va))
			alive = mmsim_task_alive(rt->task);
		rc = access_page(rp, rt, va, access_of[rec->kind], alive, err);
		if (!rc && rec->kind == MMSIM_TRACE_MODIFY)
			rc = access_page(rp, rt, va, MMSIM_ACCESS_READ, mmsim_task_alive(rt->task),
					 err);
		if (rc)
			return rc;
		if (page == last)
			break;
	}
	rp->st.records++;
	return 0;
}

int mmsim_replay_record(struct mmsim_replay *rp, const struct mmsim_trace_record *rec,
			struct mmsim_error *err)
{
	return replay_record(rp, rec, err);
}

/*
 * Runs of records made through one mmsim_access_batch() call (issue 15: the per-access
 * work of the replay and of the API done once a run). A record joins a run when
 * replay_record() would make it plain accesses of the previous record's task, alive, with
 * nothing else to do: an access kind (not an event), one page, a region the VMA rule has
 * handled (region_handled()). With a future, each access carries its next-use position
 * (mmsim_access_batch_future()), as access_page() passes it; not while the next-use hook is
 * installed (a trace with forks), whose answers must follow each access as it is made
 * (note_next_use() before it). Counts and signals are taken as access_page() takes them, so
 * the result is the same.
 */
#define RUN_MAX 256 /* accesses in one run (a modify record makes two) */

/*
 * A run from recs[0], of at most n records and of accesses up to `budget` (the next tick:
 * the run ends with the record that reaches it). Returns the records replayed; 0 when
 * recs[0] cannot start a run (the caller replays it alone).
 */
static size_t replay_run(struct mmsim_replay *rp, const struct mmsim_trace_record *recs, size_t n,
			 uint64_t budget)
{
	struct replay_task *rt = rp->last_task;
	uint64_t va[RUN_MAX], next_use[RUN_MAX];
	enum mmsim_access kind[RUN_MAX];
	bool write_half[RUN_MAX]; /* the write of a modify record, its read next */
	size_t nr = 0, nr_recs = 0, made;
	uint64_t by_kind[3] = { 0 }; /* by enum mmsim_access */
	/* Accesses in the run; with a future, no more than it covers (access_page() fails
	 * beyond its end, so the records there go one by one). */
	uint64_t cap = RUN_MAX;
	enum mmsim_signal sig;
	uint64_t lim;
	/* replay_page_va() of a record's first page: the address itself at 4 KiB pages. */
	uint64_t va_mask =
		rp->page_shift == 12 ? UINT64_MAX : ~((UINT64_C(1) << rp->page_shift) - 1);
	/* A region region_handled() passed in this run: nothing maps while a run is gathered. */
	uint64_t handled = UINT64_MAX;

	if (!rt || !mmsim_task_alive(rt->task))
		return 0;
	if (rp->future && rp->future->nr < rp->st.accesses + cap)
		cap = rp->future->nr > rp->st.accesses ? rp->future->nr - rp->st.accesses : 0;
	/* nr < lim: below the tick's budget, and room for a modify record's two accesses. */
	lim = cap ? cap - 1 : 0;
	if (budget < lim)
		lim = budget;
	while (nr_recs < n && nr < lim) {
		const struct mmsim_trace_record *rec = &recs[nr_recs];
		bool modify = rec->kind == MMSIM_TRACE_MODIFY;

		if ((unsigned int)rec->kind >= MMSIM_TRACE_NR_KINDS || rec->size == 0 ||
		    rec->pid != rt->trace_pid ||
		    ((rec->addr ^ (rec->addr + (rec->size - 1))) >> rp->page_shift) != 0)
			break;
		if (rec->addr >> REGION_SHIFT != handled) {
			if (!region_handled(rp, rt, rec->addr))
				break;
			handled = rec->addr >> REGION_SHIFT;
		}
		va[nr] = rec->addr & va_mask;
		kind[nr] = access_of[rec->kind];
		by_kind[kind[nr]]++;
		write_half[nr] = modify;
		nr++;
		if (modify) {
			va[nr] = va[nr - 1];
			kind[nr] = MMSIM_ACCESS_READ;
			by_kind[MMSIM_ACCESS_READ]++;
			write_half[nr] = false;
			nr++;
		}
		nr_recs++;
	}
	if (!nr)
		return 0;
	if (rp->needs_future) {
		for (size_t i = 0; i < nr; i++)
			next_use[i] = rp->future ? mmsim_replay_future_next_use(rp->future,
										rp->st.accesses + i)
						 : UINT64_MAX;
		made = mmsim_access_batch_future(rt->task, va, kind, next_use, nr, &sig);
	} else {
		made = mmsim_access_batch(rt->task, va, kind, nr, &sig);
	}
	rp->st.accesses += made;
	rt->st.accesses += made;
	if (made == nr && sig == MMSIM_SIG_NONE) {
		rp->st.loads += by_kind[MMSIM_ACCESS_READ];
		rp->st.stores += by_kind[MMSIM_ACCESS_WRITE];
		rp->st.fetches += by_kind[MMSIM_ACCESS_FETCH];
		rp->st.records += nr_recs;
		return nr_recs;
	}
	/* Stopped at access made - 1: counted as access_page() counts, with its signal. */
	nr_recs = 0;
	for (size_t i = 0; i < made; i++) {
		count_kind(rp, kind[i]);
		nr_recs += !write_half[i];
	}
	count_signal(rp, rt, sig, rp->st.accesses - 1);
	/* A modify record's read follows its write whatever the write ended in. */
	if (write_half[made - 1]) {
		(void)access_page(rp, rt, va[made - 1], MMSIM_ACCESS_READ,
				  mmsim_task_alive(rt->task), NULL);
		nr_recs++;
	}
	rp->st.records += nr_recs;
	return nr_recs;
}

int mmsim_replay_trace(struct mmsim_replay *rp, struct mmsim_trace_reader *r,
		       const struct mmsim_replay_trace_opts *opts, struct mmsim_error *err)
{
	static const struct mmsim_replay_trace_opts none = { 0 };
	struct mmsim_trace_record *recs = malloc(BATCH * sizeof(*recs));
	uint64_t next_tick, done = 0;
	/* Not with the next-use hook: it must learn of each access just before it is made. */
	bool runs = !rp->hooked;
	int rc = 0;

	if (!recs)
		return mmsim_error_set(err, -ENOMEM, "out of host memory");
	if (!opts)
		opts = &none;
	mmsim_trace_reader_set_events(r, true);
	next_tick = opts->tick_accesses ? rp->st.accesses + opts->tick_accesses : UINT64_MAX;
	for (;;) {
		size_t n, want = BATCH;

		if (opts->max_records && opts->max_records - done < want)
			want = (size_t)(opts->max_records - done);
		if (want == 0)
			break;
		rc = mmsim_trace_read(r, recs, want, &n, err);
		/* Records read before an error are replayed, then the error is returned. */
		for (size_t i = 0; i < n;) {
			size_t used =
				runs ? replay_run(rp, &recs[i], n - i, next_tick - rp->st.accesses)
				     : 0;
			int rrc = 0;

			if (!used) {
				rrc = replay_record(rp, &recs[i], err);
				used = 1;
			}
			i += used;

			if (rrc) {
				char msg[MMSIM_ERROR_MSG_SIZE];

				snprintf(msg, sizeof(msg), "%s", err ? err->msg : "");
				rc = mmsim_error_set(err, rrc, "%s: %s", mmsim_trace_reader_name(r),
						     msg);
				goto out;
			}
			if (rp->st.accesses >= next_tick) {
				next_tick = rp->st.accesses + opts->tick_accesses -
					    rp->st.accesses % opts->tick_accesses;
				if (opts->tick && !opts->tick(opts->ctx, rp)) {
					rc = -EINTR;
					goto out;
				}
			}
		}
		done += n;
		if (!rc && n == 0 && rp->future && rp->st.accesses < rp->future->nr)
			/* OPT would have evicted by next uses that never come. */
			rc = mmsim_error_set(err, -EINVAL,
					     "%s: the trace ends at page access %" PRIu64
					     ", before the pre-pass's %" PRIu64
					     ": the trace changed between the two passes",
					     mmsim_trace_reader_name(r), rp->st.accesses,
					     rp->future->nr);
		if (rc || n == 0)
			break;
	}
out:
	free(recs);
	return rc;
}

void mmsim_replay_get_stats(const struct mmsim_replay *rp, struct mmsim_replay_stats *out)
{
	*out = rp->st;
}

struct mmsim_task *mmsim_replay_task(const struct mmsim_replay *rp, size_t i, uint32_t *trace_pid)
{
	if (i >= rp->st.nr_tasks)
		return NULL;
	if (trace_pid)
		*trace_pid = rp->tasks[i].trace_pid;
	return rp->tasks[i].task;
}

int mmsim_replay_task_stats(const struct mmsim_replay *rp, size_t i,
			    struct mmsim_replay_task_stats *out)
{
	if (i >= rp->st.nr_tasks)
		return -EINVAL;
	*out = rp->tasks[i].st;
	return 0;
}

/* ---- The pre-pass ---------------------------------------------------------------------- */

/*
 * The pre-pass's page tables, one per region a pid touches: for each of the region's
 * 2^(REGION_SHIFT - page_shift) pages, the position of the page's latest access plus one, 0
 * if none yet. A page is found through its region (looked up once per record, in a map of
 * regions small enough to stay in the host's cache), then by index: no hash lookup per page
 * in a map as large as the trace's footprint (that lookup was most of the pre-pass).
 * 4 KiB of host memory per region at 4 KiB pages, as the replay's PTE table for the region.
 *
 * The tables come from 2 MiB chunks of anonymous host memory (zero until written), each
 * asked to be one transparent huge page where the host has them: the tables are read at
 * random, one per access, and a table per host page would be a host TLB miss per access.
 */
#define TABLE_CHUNK (UINT64_C(2) << 20)

struct table_arena {
	void **chunks;
	size_t nr_chunks;
	uint64_t used; /* bytes of the last chunk handed out */
};

struct prepass {
	struct mmsim_replay_future *f; /* dist is grown only when keep_dist */
	bool keep_dist;
	unsigned int page_shift; /* pages are 2^page_shift bytes (replay_record_pages()) */
	uint64_t cap_dist;
	struct hmap pids;     /* (pid + 1, 0) -> 1 */
	struct hmap regions;  /* (pid + 1, region) -> its page table (region_table()) */
	uint64_t last_pid_k1; /* the previous record's pid + 1, already in pids */
	uint64_t last_region_k1, last_region;
	uint64_t *last_tab;	      /* the page table of (last_region_k1, last_region) */
	struct table_arena tables;    /* the page tables (region_table()) */
	struct hmap as_of;	      /* keep_dist: (pid + 1, 0) -> its address space * 2, + 1 for a
				       * fork's child; 0: exited */
	uint64_t last_as_id;	      /* the last address space given out */
	uint64_t last_as_k1, last_as; /* the previous record's pid + 1 and prepass_as() */
};

/*
 * keep_dist: the address space of pid, numbered as the replay numbers them (new_task(),
 * replay_event()): a new one at the first record of a pid without one, for a fork's child
 * (child) and at an exec (new). Returns it * 2, + 1 for a fork's child; 0: out of host
 * memory.
 */
static uint64_t prepass_as(struct prepass *pp, uint32_t pid, bool new, bool child)
{
	bool added;
	uint64_t *as = hmap_get_or_add(&pp->as_of, (uint64_t)pid + 1, 0, 0, &added);

	if (!as)
		return 0;
	if (!*as || new || child)
		*as = ++pp->last_as_id * 2 + child;
	return *as;
}

/* keep_dist: an event's effect on the address spaces, in the replay's order. */
static int prepass_event(struct prepass *pp, const struct mmsim_trace_record *ev)
{
	uint64_t *as;

	pp->last_as_k1 = 0; /* the cache of note_record() */
	switch (ev->kind) {
	case MMSIM_TRACE_FORK:
		pp->f->forks++;
		if (!prepass_as(pp, ev->pid, false, false) ||
		    !prepass_as(pp, (uint32_t)ev->addr, false, true))
			return -ENOMEM;
		return 0;
	case MMSIM_TRACE_EXEC:
		if (!prepass_as(pp, ev->pid, false, false) || !prepass_as(pp, ev->pid, true, false))
			return -ENOMEM;
		return 0;
	case MMSIM_TRACE_EXIT:
		as = hmap_get(&pp->as_of, (uint64_t)ev->pid + 1, 0);
		if (as)
			*as = 0;
		return 0;
	default:
		return 0;
	}
}

/* size bytes of zeroes (size <= TABLE_CHUNK, a multiple of 8), or NULL. */
static uint64_t *arena_zalloc(struct table_arena *a, uint64_t size)
{
	void **chunks, *p;

	if (!a->nr_chunks || a->used + size > TABLE_CHUNK) {
		chunks = realloc(a->chunks, (a->nr_chunks + 1) * sizeof(*chunks));
		if (!chunks)
			return NULL;
		a->chunks = chunks;
		p = mmap(NULL, TABLE_CHUNK, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1,
			 0);
		if (p == MAP_FAILED)
			return NULL;
#ifdef MADV_HUGEPAGE
		madvise(p, TABLE_CHUNK, MADV_HUGEPAGE); /* a hint: its failure changes nothing */
#endif
		a->chunks[a->nr_chunks++] = p;
		a->used = 0;
	}
	p = (char *)a->chunks[a->nr_chunks - 1] + a->used;
	a->used += size;
	return p;
}

static void arena_fini(struct table_arena *a)
{
	for (size_t i = 0; i < a->nr_chunks; i++)
		munmap(a->chunks[i], TABLE_CHUNK);
	free(a->chunks);
	memset(a, 0, sizeof(*a));
}

/* The page table of (pid + 1, region), made on the region's first access; NULL: no memory. */
static uint64_t *region_table(struct prepass *pp, uint64_t k1, uint64_t region)
{
	bool added;
	uint64_t *slot = hmap_get_or_add(&pp->regions, k1, region, 0, &added), *tab;

	if (!slot)
		return NULL;
	if (!added)
		return (uint64_t *)(uintptr_t)*slot;
	tab = arena_zalloc(&pp->tables, sizeof(*tab) << (REGION_SHIFT - pp->page_shift));
	if (!tab)
		return NULL; /* the region stays in the map without a table: the pre-pass fails */
	pp->f->fp.regions++;
	*slot = (uintptr_t)tab;
	return tab;
}

static int note_access(struct prepass *pp, uint64_t as, uint64_t page, uint64_t *last)
{
	struct mmsim_replay_future *f = pp->f;
	uint64_t pos = f->nr;
	bool added;

	if (pp->keep_dist) {
		if (pos == pp->cap_dist) {
			uint64_t cap = pp->cap_dist ? pp->cap_dist * 2 : 1 << 16;
			uint32_t *d = realloc(f->dist, cap * sizeof(*d));

			if (!d)
				return -ENOMEM;
			f->dist = d;
			pp->cap_dist = cap;
		}
		f->dist[pos] = DIST_NEVER;
		/* Only a fork's child maps pages it has not accessed (its parent's). */
		if ((as & 1) && !hmap_get_or_add(&f->first, as >> 1, page, pos, &added))
			return -ENOMEM;
	}
	if (!*last) {
		f->fp.pages++;
	} else if (pp->keep_dist) {
		uint64_t d = pos - (*last - 1);

		f->dist[*last - 1] = d >= DIST_NEVER ? DIST_NEVER - 1 : (uint32_t)d;
	}
	*last = pos + 1;
	f->nr++;
	return 0;
}

static int note_record(struct prepass *pp, const struct mmsim_trace_record *rec)
{
	uint64_t k1 = (uint64_t)rec->pid + 1, first, last, as = 0;
	unsigned int per_page = replay_kind_accesses(rec->kind);
	bool added;

	if (pp->keep_dist && k1 == pp->last_as_k1) {
		as = pp->last_as;
	} else if (pp->keep_dist) {
		if (!(as = prepass_as(pp, rec->pid, false, false)))
			return -ENOMEM;
		pp->last_as_k1 = k1;
		pp->last_as = as;
	}

	if (k1 != pp->last_pid_k1) {
		if (!hmap_get_or_add(&pp->pids, k1, 0, 1, &added))
			return -ENOMEM;
		if (added)
			pp->f->fp.pids++;
		pp->last_pid_k1 = k1;
	}
	replay_record_pages(rec, pp->page_shift, &first, &last);
	for (uint64_t page = first;; page++) {
		uint64_t region = page >> (REGION_SHIFT - pp->page_shift);
		uint64_t *tab;

		if (k1 != pp->last_region_k1 || region != pp->last_region) {
			pp->last_tab = region_table(pp, k1, region);
			if (!pp->last_tab)
				return -ENOMEM;
			pp->last_region_k1 = k1;
			pp->last_region = region;
		}
		tab = &pp->last_tab[page & ((UINT64_C(1) << (REGION_SHIFT - pp->page_shift)) - 1)];
		for (unsigned int i = 0; i < per_page; i++) {
			if (note_access(pp, as, page, tab))
				return -ENOMEM;
		}
		if (page == last)
			break;
	}
	pp->f->fp.records++;
	return 0;
}

static int prepass_run(struct mmsim_trace_reader *r, struct prepass *pp, struct mmsim_error *err)
{
	struct mmsim_trace_record *recs = malloc(BATCH * sizeof(*recs));
	int rc;

	if (!recs)
		return mmsim_error_set(err, -ENOMEM, "out of host memory");
	/* The future numbers address spaces at fork, exec and exit, as the replay does. */
	mmsim_trace_reader_set_events(r, pp->keep_dist);
	for (;;) {
		size_t n;

		rc = mmsim_trace_read(r, recs, BATCH, &n, err);
		for (size_t i = 0; i < n; i++) {
			int rrc = check_record(&recs[i], pp->f->fp.records, err);

			if (mmsim_trace_kind_is_event(recs[i].kind)) {
				/* no page accesses: positions are unchanged */
				if (rrc || !pp->keep_dist || !prepass_event(pp, &recs[i]))
					continue;
				rrc = mmsim_error_set(err, -ENOMEM, "out of host memory");
			}
			if (!rrc && note_record(pp, &recs[i]))
				rrc = mmsim_error_set(err, -ENOMEM,
						      "out of host memory in the pre-pass");
			if (rrc) {
				char msg[MMSIM_ERROR_MSG_SIZE];

				snprintf(msg, sizeof(msg), "%s", err ? err->msg : "");
				rc = mmsim_error_set(err, rrc, "%s: %s", mmsim_trace_reader_name(r),
						     msg);
				goto out;
			}
		}
		if (rc || n == 0)
			break;
	}
	pp->f->fp.accesses = pp->f->nr;
out:
	mmsim_trace_reader_set_events(r, false);
	free(recs);
	hmap_fini(&pp->pids);
	hmap_fini(&pp->regions);
	arena_fini(&pp->tables);
	hmap_fini(&pp->as_of);
	return rc;
}

static int page_shift_error(unsigned int page_shift, struct mmsim_error *err)
{
	return mmsim_error_set(err, -EINVAL,
			       "base page 2^%u bytes: want 2^12 (4 KiB), or the what-if sizes "
			       "2^13, 2^14 or 2^16 (8, 16 or 64 KiB)",
			       page_shift);
}

int mmsim_replay_set_page_shift(struct mmsim_replay *rp, unsigned int page_shift,
				struct mmsim_error *err)
{
	if (!replay_page_shift_ok(page_shift))
		return page_shift_error(page_shift, err);
	if (rp->st.records || rp->st.accesses)
		return mmsim_error_set(err, -EINVAL,
				       "the base page size is set before the first record");
	rp->page_shift = page_shift;
	return 0;
}

int mmsim_replay_future_build(struct mmsim_trace_reader *r, struct mmsim_replay_future **out,
			      struct mmsim_error *err)
{
	return mmsim_replay_future_build_at(r, 12, out, err);
}

int mmsim_replay_future_build_at(struct mmsim_trace_reader *r, unsigned int page_shift,
				 struct mmsim_replay_future **out, struct mmsim_error *err)
{
	struct prepass pp = { .keep_dist = true, .page_shift = page_shift };
	int rc;

	if (!replay_page_shift_ok(page_shift))
		return page_shift_error(page_shift, err);
	pp.f = calloc(1, sizeof(*pp.f));
	if (!pp.f)
		return mmsim_error_set(err, -ENOMEM, "out of host memory");
	rc = prepass_run(r, &pp, err);
	if (rc) {
		mmsim_replay_future_destroy(pp.f);
		return rc;
	}
	*out = pp.f;
	return 0;
}

void mmsim_replay_future_destroy(struct mmsim_replay_future *f)
{
	if (!f)
		return;
	free(f->dist);
	hmap_fini(&f->first);
	free(f);
}

uint64_t mmsim_replay_future_nr_accesses(const struct mmsim_replay_future *f)
{
	return f->nr;
}

uint64_t mmsim_replay_future_next_use(const struct mmsim_replay_future *f, uint64_t pos)
{
	if (pos >= f->nr || f->dist[pos] == DIST_NEVER)
		return UINT64_MAX;
	return pos + f->dist[pos];
}

void mmsim_replay_future_footprint(const struct mmsim_replay_future *f,
				   struct mmsim_replay_footprint *out)
{
	*out = f->fp;
}

int mmsim_replay_scan(struct mmsim_trace_reader *r, struct mmsim_replay_footprint *out,
		      struct mmsim_error *err)
{
	return mmsim_replay_scan_at(r, 12, out, err);
}

int mmsim_replay_scan_at(struct mmsim_trace_reader *r, unsigned int page_shift,
			 struct mmsim_replay_footprint *out, struct mmsim_error *err)
{
	struct mmsim_replay_future f = { 0 };
	struct prepass pp = { .f = &f, .keep_dist = false, .page_shift = page_shift };
	int rc;

	if (!replay_page_shift_ok(page_shift))
		return page_shift_error(page_shift, err);
	rc = prepass_run(r, &pp, err);

	if (!rc)
		*out = f.fp;
	return rc;
}
