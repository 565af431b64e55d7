/*
 * experiments/switch.c: a workload switch with and without proactive reclaim before it
 * (mmsim/experiment.h).
 *
 * Every preparation gets a fresh machine booted from the same config, so the rows differ
 * only in what was done before B started:
 *  - none: B's faults find too few free frames; kswapd and direct reclaim evict A's pages
 *    while B runs (mm/vmscan.c: shrink_node() from kswapd, try_to_free_pages() from the
 *    allocation slow path, counted as allocstall_*).
 *  - pageout: process_madvise(MADV_PAGEOUT) over A (mm/madvise.c
 * madvise_cold_or_pageout_pte_range): A's pages go to swap whatever their Accessed bits.
 *  - memory.reclaim: cgroup v2's memory.reclaim of B's size (mm/memcontrol.c
 *    memory_reclaim(), try_to_free_mem_cgroup_pages()): the policy picks the victims.
 *  - shrink-all: hibernation's shrink_all_memory() (mm/vmscan.c): everything reclaimable.
 * Then B writes its set and A writes its set once more: proactive reclaim moves work off
 * B's path and onto the step before the switch, and A pays for it when it comes back.
 * Only the public API is used (mmsim/mmsim.h); the machine does all the counting.
 */
#include "mmsim/experiment.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "mmsim/error.h"
#include "mmsim/mmsim.h"

#define PAGE_BYTES UINT64_C(4096)

static const char *const prep_names[MMSIM_SWITCH_NR_PREPS] = {
	[MMSIM_SWITCH_NONE] = "none",
	[MMSIM_SWITCH_PAGEOUT] = "pageout",
	[MMSIM_SWITCH_MEMORY_RECLAIM] = "memory.reclaim",
	[MMSIM_SWITCH_SHRINK_ALL] = "shrink-all",
};

const char *mmsim_switch_prep_name(enum mmsim_switch_prep p)
{
	return (unsigned int)p < MMSIM_SWITCH_NR_PREPS ? prep_names[p] : NULL;
}

void mmsim_switch_config_default(struct mmsim_switch_config *cfg)
{
	*cfg = (struct mmsim_switch_config){
		.seed = 1,
		.mem_bytes = UINT64_C(64) << 20,
		.swap_bytes = UINT64_C(256) << 20,
		.policy = "linux",
		.a_bytes = UINT64_C(40) << 20,
		.b_bytes = UINT64_C(40) << 20,
		.a_rounds = 2,
		.b_rounds = 2,
		.touches = 8,
		.access_ns = 1,
		.minor_ns = 1000,
		.major_ns = 25000,
		.scan_ns = 50,
		.pageout_ns = 5000,
	};
}

/* The system counters a phase reports, read before and after it. */
struct snap {
	uint64_t allocstall, pgscan_direct, pgsteal_direct, pgscan_kswapd, pgsteal_kswapd;
	uint64_t pswpin, pswpout;
	struct mmsim_task_stats task;
};

static uint64_t counter(const struct mmsim_system *sys, const char *name)
{
	uint64_t v = 0;

	mmsim_counter(sys, name, &v); /* a name the kernel has: never -ENOENT */
	return v;
}

static void take(const struct mmsim_system *sys, const struct mmsim_task *t, struct snap *s)
{
	static const char *const stalls[] = { "allocstall_dma", "allocstall_dma32",
					      "allocstall_normal", "allocstall_movable",
					      "allocstall_device" };

	*s = (struct snap){ 0 };
	for (size_t i = 0; i < sizeof(stalls) / sizeof(stalls[0]); i++)
		s->allocstall += counter(sys, stalls[i]);
	s->pgscan_direct = counter(sys, "pgscan_direct");
	s->pgsteal_direct = counter(sys, "pgsteal_direct");
	s->pgscan_kswapd = counter(sys, "pgscan_kswapd");
	s->pgsteal_kswapd = counter(sys, "pgsteal_kswapd");
	s->pswpin = counter(sys, "pswpin");
	s->pswpout = counter(sys, "pswpout");
	if (t)
		mmsim_task_stats(t, &s->task);
}

static double model_ms(const struct mmsim_switch_config *c, const struct mmsim_switch_phase *p)
{
	double ns = (double)p->accesses * (double)c->access_ns +
		    (double)p->minflt * (double)c->minor_ns +
		    (double)p->majflt * (double)c->major_ns +
		    (double)p->pgscan_direct * (double)c->scan_ns +
		    (double)p->pgsteal_direct * (double)c->pageout_ns;

	return ns / 1e6;
}

static void diff(const struct mmsim_switch_config *c, const struct snap *a, const struct snap *b,
		 uint64_t accesses, struct mmsim_switch_phase *p)
{
	*p = (struct mmsim_switch_phase){
		.accesses = accesses,
		.minflt = b->task.minflt - a->task.minflt,
		.majflt = b->task.majflt - a->task.majflt,
		.allocstall = b->allocstall - a->allocstall,
		.pgscan_direct = b->pgscan_direct - a->pgscan_direct,
		.pgsteal_direct = b->pgsteal_direct - a->pgsteal_direct,
		.pgscan_kswapd = b->pgscan_kswapd - a->pgscan_kswapd,
		.pgsteal_kswapd = b->pgsteal_kswapd - a->pgsteal_kswapd,
		.pswpin = b->pswpin - a->pswpin,
		.pswpout = b->pswpout - a->pswpout,
	};
	p->time_ms = model_ms(c, p);
	p->kswapd_ms = ((double)p->pgscan_kswapd * (double)c->scan_ns +
			(double)p->pgsteal_kswapd * (double)c->pageout_ns) /
		       1e6;
}

/* Anonymous private read-write memory for t: its address, or 0 (err says why). */
static uint64_t map_set(struct mmsim_task *t, uint64_t bytes, const char *who,
			struct mmsim_error *err)
{
	uint64_t addr = 0;
	int rc = mmsim_mmap(t, 0, bytes, MMSIM_PROT_READ | MMSIM_PROT_WRITE,
			    MMSIM_MAP_PRIVATE | MMSIM_MAP_ANONYMOUS, &addr);

	if (rc) {
		mmsim_error_set(err, rc, "switch: mmap of %s's %llu bytes failed (%d)", who,
				(unsigned long long)bytes, rc);
		return 0;
	}
	return addr;
}

/*
 * rounds passes over [addr, addr + bytes), touches evenly spaced stores per page, in
 * address order. Between points, when at is not NULL, the phase so far is measured into
 * at[] (B's curve). 0, or -EFAULT when the process was killed or faulted (err says).
 */
static int passes(struct mmsim_system *sys, struct mmsim_task *t, const char *who, uint64_t addr,
		  uint64_t bytes, unsigned int rounds, const struct mmsim_switch_config *c,
		  const struct snap *start, double *at, struct mmsim_error *err)
{
	uint64_t pages = bytes / PAGE_BYTES, step = PAGE_BYTES / c->touches;
	uint64_t total = pages * rounds * c->touches, done = 0;
	unsigned int point = 0;

	for (unsigned int r = 0; r < rounds; r++) {
		for (uint64_t pg = 0; pg < pages; pg++) {
			for (unsigned int k = 0; k < c->touches; k++) {
				enum mmsim_signal sig =
					mmsim_access(t, addr + pg * PAGE_BYTES + k * step,
						     MMSIM_ACCESS_WRITE, true);

				if (sig != MMSIM_SIG_NONE)
					return mmsim_error_set(
						err, -EFAULT,
						"switch: %s's store at 0x%llx ended in %s (%s)",
						who, (unsigned long long)(addr + pg * PAGE_BYTES),
						sig == MMSIM_SIG_KILLED ? "an OOM kill"
									: "a signal",
						"give more --mem or --swap, or smaller sets");
				done++;
			}
			while (at && point < MMSIM_SWITCH_POINTS &&
			       done * MMSIM_SWITCH_POINTS >= total * (point + 1)) {
				struct snap now;
				struct mmsim_switch_phase p;

				take(sys, t, &now);
				diff(c, start, &now, done, &p);
				at[point++] = p.time_ms;
			}
		}
	}
	return 0;
}

static int prepare(struct mmsim_system *sys, struct mmsim_task *a, enum mmsim_switch_prep prep,
		   const struct mmsim_switch_config *c, uint64_t *freed)
{
	*freed = 0;
	switch (prep) {
	case MMSIM_SWITCH_PAGEOUT:
		return mmsim_reclaim(sys, a, c->a_bytes, freed);
	case MMSIM_SWITCH_MEMORY_RECLAIM:
		return mmsim_reclaim(sys, NULL, c->b_bytes, freed);
	case MMSIM_SWITCH_SHRINK_ALL:
		return mmsim_shrink_all(sys, freed);
	default:
		return 0;
	}
}

static int one_row(const struct mmsim_switch_config *c, enum mmsim_switch_prep prep,
		   struct mmsim_switch_row *row, struct mmsim_error *err)
{
	struct mmsim_config mc;
	struct mmsim_system *sys = NULL;
	struct mmsim_task *a = NULL, *b = NULL;
	struct snap s0, s1;
	uint64_t a_addr, b_addr;
	int rc;

	*row = (struct mmsim_switch_row){ .prep = prep };
	mmsim_config_default(&mc);
	mc.mem_bytes = c->mem_bytes;
	mc.swap_bytes = c->swap_bytes;
	mc.seed = c->seed;
	rc = mmsim_config_set(&mc, "policy", c->policy, err);
	if (!rc)
		rc = mmsim_system_create(&mc, &sys, err);
	if (rc)
		return rc;
	rc = mmsim_task_spawn(sys, &a);
	if (!rc)
		rc = mmsim_task_spawn(sys, &b);
	if (rc) {
		mmsim_error_set(err, rc, "switch: cannot start the processes (%d)", rc);
		goto out;
	}
	a_addr = map_set(a, c->a_bytes, "A", err);
	b_addr = a_addr ? map_set(b, c->b_bytes, "B", err) : 0;
	if (!b_addr) {
		rc = err->code;
		goto out;
	}
	/* A works, then goes idle. */
	take(sys, a, &s0);
	rc = passes(sys, a, "A", a_addr, c->a_bytes, c->a_rounds, c, &s0, NULL, err);
	if (rc)
		goto out;
	take(sys, a, &s1);
	diff(c, &s0, &s1, c->a_bytes / PAGE_BYTES * c->a_rounds * c->touches, &row->a);
	/* The preparation. */
	s0 = s1;
	rc = prepare(sys, a, prep, c, &row->reclaimed_bytes);
	if (rc) {
		mmsim_error_set(err, rc, "switch: %s failed (%d)", prep_names[prep], rc);
		goto out;
	}
	take(sys, a, &s1);
	row->prep_pswpout = s1.pswpout - s0.pswpout;
	row->prep_ms = (double)(row->reclaimed_bytes / PAGE_BYTES) * (double)c->pageout_ns / 1e6;
	/* The switch: B works. */
	take(sys, b, &s0);
	rc = passes(sys, b, "B", b_addr, c->b_bytes, c->b_rounds, c, &s0, row->b_ms_at, err);
	if (rc)
		goto out;
	take(sys, b, &s1);
	diff(c, &s0, &s1, c->b_bytes / PAGE_BYTES * c->b_rounds * c->touches, &row->b);
	/* A comes back for one pass. */
	take(sys, a, &s0);
	rc = passes(sys, a, "A", a_addr, c->a_bytes, 1, c, &s0, NULL, err);
	if (rc)
		goto out;
	take(sys, a, &s1);
	diff(c, &s0, &s1, c->a_bytes / PAGE_BYTES * c->touches, &row->a_back);
	rc = mmsim_check(sys, err);
out:
	mmsim_system_destroy(sys);
	return rc;
}

int mmsim_experiment_switch(const struct mmsim_switch_config *cfg, struct mmsim_switch_result *out,
			    struct mmsim_error *err)
{
	const struct mmsim_switch_config *c = cfg;

	if (!c->a_bytes || !c->b_bytes || c->a_bytes % PAGE_BYTES || c->b_bytes % PAGE_BYTES)
		return mmsim_error_set(err, -EINVAL,
				       "switch: the working sets must be whole pages, not empty");
	if (!c->a_rounds || !c->b_rounds || c->a_rounds > 1000 || c->b_rounds > 1000)
		return mmsim_error_set(err, -EINVAL, "switch: rounds must be 1 to 1000");
	if (!c->touches || c->touches > PAGE_BYTES / 8 || (PAGE_BYTES / 8) % c->touches)
		return mmsim_error_set(err, -EINVAL,
				       "switch: touches must divide 512 (1, 2, 4, ... 512), not %u",
				       c->touches);
	if (c->a_bytes > UINT64_MAX - c->b_bytes ||
	    c->a_bytes + c->b_bytes > c->mem_bytes + c->swap_bytes)
		return mmsim_error_set(err, -EINVAL,
				       "switch: A and B (%llu + %llu MiB) do not fit in RAM plus "
				       "swap (%llu + %llu MiB)",
				       (unsigned long long)(c->a_bytes >> 20),
				       (unsigned long long)(c->b_bytes >> 20),
				       (unsigned long long)(c->mem_bytes >> 20),
				       (unsigned long long)(c->swap_bytes >> 20));
	memset(out, 0, sizeof(*out));
	out->config = *c;
	for (unsigned int p = 0; p < MMSIM_SWITCH_NR_PREPS; p++) {
		int rc = one_row(c, (enum mmsim_switch_prep)p, &out->rows[p], err);

		if (rc)
			return rc == -EINVAL || rc == -ENOMEM ? rc : -EFAULT;
	}
	return 0;
}
