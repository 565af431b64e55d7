/*
 * tests/unit/kernel/test_stress.c: seeded random sequences of spawn, fork, mmap (private
 * and shared), touch, munmap, mprotect, madvise, mremap, brk and exit, with every checker
 * after every step (config paranoid=on aborts on a broken invariant; mmsim_check() is also
 * called here so a failure names the seed and the step). At the end every task exits and
 * the machine must have every frame back: no page, table or slab object leaks.
 */
#include <criterion/criterion.h>
#include <stdio.h>

#include "kernel/system.h"
#include "mm/pgdat.h"
#include "mmsim/mmsim.h"

#define MAX_TASKS 6
#define MAX_REGIONS 8

struct region {
	uint64_t addr, pages;
	bool used;
};

struct proc {
	struct mmsim_task *t;
	struct region r[MAX_REGIONS];
};

static uint64_t rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* Frames nobody holds: free, or waiting on a per-CPU page list (not in nr_free_pages). */
static uint64_t free_pages(struct mmsim_system *sys)
{
	uint64_t v = 0;

	cr_assert_eq(mmsim_counter(sys, "nr_free_pages", &v), 0);
	for (unsigned int t = 0; t < ZONE_NR_TYPES; t++)
		v += sys->pgdat->zones[t].pcp.count;
	return v;
}

static void touch(struct proc *p, uint64_t *seed)
{
	struct region *r = &p->r[rnd(seed) % MAX_REGIONS];
	enum mmsim_access k = (enum mmsim_access)(rnd(seed) % 2);

	if (!r->used)
		return;
	for (int i = 0; i < 8; i++)
		mmsim_access(p->t, r->addr + (rnd(seed) % r->pages) * 4096, k, true);
}

static void run_seed(uint64_t seed0, unsigned int steps)
{
	struct mmsim_config cfg;
	struct mmsim_system *sys;
	struct mmsim_error err = { 0 };
	struct proc procs[MAX_TASKS] = { 0 };
	uint64_t seed = seed0 * 2654435761u + 1, boot_free, brk;
	unsigned int nr = 0;

	static const char *const policies[] = { "linux", "fifo", "lru", "clock", "nru", "random" };

	mmsim_config_default(&cfg);
	cfg.paranoid = true;
	cfg.data_mode = (seed0 & 1) != 0;
	/* Two seeds in three run under memory pressure: a frame cap, swap, a policy. */
	if (seed0 % 3) {
		cfg.frames = 48 + seed0 % 40;
		cfg.swap_bytes = UINT64_C(4) << 20;
		snprintf(cfg.policy, sizeof(cfg.policy), "%s", policies[seed0 % 6]);
		snprintf(cfg.reclaim, sizeof(cfg.reclaim), "%s", seed0 % 2 ? "demand" : "linux");
	}
	cr_assert_eq(mmsim_system_create(&cfg, &sys, &err), 0, "%s", err.msg);
	boot_free = free_pages(sys);
	for (unsigned int step = 0; step < steps; step++) {
		unsigned int op = (unsigned int)(rnd(&seed) % 12);
		struct proc *p = nr ? &procs[rnd(&seed) % nr] : NULL;
		struct region *r = p ? &p->r[rnd(&seed) % MAX_REGIONS] : NULL;
		uint64_t a;

		if (!p || op == 0) {
			if (nr < MAX_TASKS && !mmsim_task_spawn(sys, &procs[nr].t))
				memset(procs[nr++].r, 0, sizeof(procs[0].r));
			continue;
		}
		switch (op) {
		case 1: /* fork */
			if (nr < MAX_TASKS && !mmsim_task_fork(p->t, &procs[nr].t)) {
				memcpy(procs[nr].r, p->r, sizeof(p->r));
				nr++;
			}
			break;
		case 2: /* map */
			if (!r->used) {
				uint64_t pages = 1 + rnd(&seed) % 40;
				int flags =
					MMSIM_MAP_ANONYMOUS |
					(rnd(&seed) % 3 ? MMSIM_MAP_PRIVATE : MMSIM_MAP_SHARED) |
					(rnd(&seed) % 5 ? 0 : MMSIM_MAP_POPULATE);

				if (!mmsim_mmap(p->t, 0, pages * 4096,
						MMSIM_PROT_READ | MMSIM_PROT_WRITE, flags, &a))
					*r = (struct region){ a, pages, true };
			}
			break;
		case 3:
		case 4:
		case 5:
			touch(p, &seed);
			break;
		case 6: /* unmap part */
			if (r->used) {
				uint64_t first = rnd(&seed) % r->pages;

				mmsim_munmap(p->t, r->addr + first * 4096, 4096);
				if (first == 0 && r->pages > 1) {
					r->addr += 4096;
					r->pages--;
				} else if (first == 0) {
					r->used = false;
				} else {
					r->pages = first;
				}
			}
			break;
		case 7: /* protect */
			if (r->used)
				mmsim_mprotect(p->t, r->addr, 4096 * (1 + rnd(&seed) % r->pages),
					       (int)(rnd(&seed) % 4));
			break;
		case 8: /* dontneed */
			if (r->used)
				mmsim_madvise(p->t, r->addr, 4096 * (1 + rnd(&seed) % r->pages),
					      MMSIM_MADV_DONTNEED);
			break;
		case 9: /* remap */
			if (r->used && !mmsim_mremap(p->t, r->addr, r->pages * 4096,
						     (r->pages + 1 + rnd(&seed) % 8) * 4096,
						     MMSIM_MREMAP_MAYMOVE, 0, &a)) {
				mmsim_mremap(p->t, a, 4096, 4096, 0, 0, &a);
				r->used = false; /* sizes vary: forget it, unmap at exit */
			}
			break;
		case 10: /* brk */
			mmsim_brk(p->t, 0, &brk);
			mmsim_brk(p->t, brk + ((int64_t)(rnd(&seed) % 9) - 3) * 4096, &brk);
			break;
		case 11: /* exit */
			mmsim_task_exit(p->t);
			*p = procs[--nr];
			break;
		}
		cr_assert_eq(mmsim_check(sys, &err), 0, "seed %llu step %u op %u: %s",
			     (unsigned long long)seed0, step, op, err.msg);
	}
	while (nr)
		mmsim_task_exit(procs[--nr].t);
	cr_assert_eq(mmsim_check(sys, &err), 0, "seed %llu at the end: %s",
		     (unsigned long long)seed0, err.msg);
	/* Slab caches keep empty slabs until shrunk; what else is not free is a leak. */
	mmsim_drop_caches(sys);
	cr_assert_eq(free_pages(sys), boot_free,
		     "seed %llu: %llu frames free after all exited, "
		     "%llu after boot",
		     (unsigned long long)seed0, (unsigned long long)free_pages(sys),
		     (unsigned long long)boot_free);
	mmsim_system_destroy(sys);
}

Test(stress, random_address_space_operations_keep_every_invariant)
{
	for (uint64_t seed = 1; seed <= 24; seed++)
		run_seed(seed, 400);
}
