/*
 * tests/unit/kernel/test_swap.c: swap and reclaim end to end.
 *  - the swap PTE encoding of x86-64 Linux, at every field's edges;
 *  - data integrity: data mode, a working set several times the frame cap, fork, writes
 *    and reads in a seeded order; every byte read equals the last byte written there, in
 *    the process that wrote it (copy-on-write keeps parent and child apart); every
 *    checker after every step; after all exit, no frame and no swap slot is left;
 *  - clean pages are not written again; kswapd versus direct reclaim; the OOM killer.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/system.h"
#include "mm/pgdat.h"
#include "mm/swap.h"
#include "mmsim/mmsim.h"
#include "util/macros.h"

#define PAGE 4096u

Test(swap, pte_encoding_round_trips_at_the_edges)
{
	static const uint64_t offsets[] = { 1, 2, 0x1234, (UINT64_C(1) << 32) - 1,
					    (UINT64_C(1) << SWP_OFFSET_BITS) - 1 };

	for (unsigned int type = 0; type < 32; type += 31) {
		for (size_t i = 0; i < ARRAY_SIZE(offsets); i++) {
			uint64_t pte = swap_pte_make(type, offsets[i]);

			cr_assert_eq(swap_pte_type(pte), type);
			cr_assert_eq(swap_pte_offset(pte), offsets[i]);
			cr_assert_eq(pte & 0x1ff, 0, "bits 0-8 (P .. PROTNONE) stay clear");
			cr_assert(swap_pte_is_entry(pte | SWP_PTE_EXCLUSIVE));
			cr_assert_eq(swap_pte_offset(pte | SWP_PTE_EXCLUSIVE), offsets[i]);
		}
	}
	/* The offset is stored inverted: a small slot number sets the high address bits. */
	cr_assert_eq(swap_pte_make(0, 1) >> 58 & 1, 1);
	cr_assert_eq(swap_pte_make(0, 1), UINT64_C(0x07fffffffffffc00));
}

static struct mmsim_system *boot(const char *frames, const char *swap, const char *reclaim,
				 const char *mem)
{
	struct mmsim_config c;
	struct mmsim_system *s;
	struct mmsim_error e = { 0 };

	mmsim_config_default(&c);
	c.paranoid = true;
	c.data_mode = true;
	if (frames)
		cr_assert_eq(mmsim_config_set(&c, "frames", frames, &e), 0, "%s", e.msg);
	if (swap)
		cr_assert_eq(mmsim_config_set(&c, "swap", swap, &e), 0, "%s", e.msg);
	if (reclaim)
		cr_assert_eq(mmsim_config_set(&c, "reclaim", reclaim, &e), 0, "%s", e.msg);
	if (mem)
		cr_assert_eq(mmsim_config_set(&c, "mem", mem, &e), 0, "%s", e.msg);
	cr_assert_eq(mmsim_system_create(&c, &s, &e), 0, "%s", e.msg);
	return s;
}

static uint64_t counter(struct mmsim_system *s, const char *name)
{
	uint64_t v = 0;

	cr_assert_eq(mmsim_counter(s, name, &v), 0, "%s", name);
	return v;
}

/* Frames nobody holds: free, or waiting on a per-CPU page list (not in nr_free_pages). */
static uint64_t unheld_pages(struct mmsim_system *s)
{
	uint64_t v = counter(s, "nr_free_pages");

	for (unsigned int t = 0; t < ZONE_NR_TYPES; t++)
		v += s->pgdat->zones[t].pcp.count;
	return v;
}

static uint64_t rnd(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

enum { PROCS = 4, PAGES = 96 };

Test(swap, data_written_is_data_read_back)
{
	static const char *const policies[] = { "linux", "fifo", "clock", "nru", "random", "lru" };

	for (size_t pi = 0; pi < ARRAY_SIZE(policies); pi++) {
		struct mmsim_config c;
		struct mmsim_system *s;
		struct mmsim_error e = { 0 };
		struct mmsim_task *t[PROCS];
		static uint8_t shadow[PROCS][PAGES]; /* the byte each process last wrote */
		uint64_t a, x = 7 + pi, boot_free;
		int nr = 1;

		mmsim_config_default(&c);
		c.paranoid = true;
		c.data_mode = true;
		cr_assert_eq(mmsim_config_set(&c, "frames", "40", &e), 0);
		cr_assert_eq(mmsim_config_set(&c, "swap", "4M", &e), 0);
		cr_assert_eq(mmsim_config_set(&c, "policy", policies[pi], &e), 0);
		cr_assert_eq(mmsim_system_create(&c, &s, &e), 0, "%s", e.msg);
		boot_free = unheld_pages(s);
		cr_assert_eq(mmsim_task_spawn(s, &t[0]), 0);
		cr_assert_eq(mmsim_mmap(t[0], 0, PAGES * PAGE, MMSIM_PROT_READ | MMSIM_PROT_WRITE,
					MMSIM_MAP_PRIVATE | MMSIM_MAP_ANONYMOUS, &a),
			     0);
		memset(shadow, 0, sizeof(shadow));
		for (int step = 0; step < 1500; step++) {
			int who = (int)(rnd(&x) % (uint64_t)nr);
			unsigned int pg = (unsigned int)(rnd(&x) % PAGES);
			uint64_t va = a + pg * PAGE + (rnd(&x) % PAGE);
			uint8_t b;

			if (step % 300 == 299 && nr < PROCS) {
				cr_assert_eq(mmsim_task_fork(t[who], &t[nr]), 0);
				memcpy(shadow[nr], shadow[who], PAGES);
				nr++;
				continue;
			}
			if (rnd(&x) % 2) {
				b = (uint8_t)(rnd(&x) | 1);
				cr_assert_eq(mmsim_write(t[who], a + pg * PAGE, &b, 1),
					     MMSIM_SIG_NONE);
				shadow[who][pg] = b;
			} else {
				cr_assert_eq(mmsim_read(t[who], a + pg * PAGE, &b, 1),
					     MMSIM_SIG_NONE);
				cr_assert_eq(b, shadow[who][pg],
					     "%s step %d pid %d page %u: read %u, "
					     "wrote %u",
					     policies[pi], step, who, pg, b, shadow[who][pg]);
				(void)va;
			}
		}
		cr_assert_gt(counter(s, "pswpout"), 0, "%s: the test must swap", policies[pi]);
		cr_assert_gt(counter(s, "pswpin"), 0);
		while (nr)
			mmsim_task_exit(t[--nr]);
		cr_assert_eq(mmsim_check(s, &e), 0, "%s", e.msg);
		mmsim_drop_caches(s);
		cr_assert_eq(unheld_pages(s), boot_free, "%s: frames leaked", policies[pi]);
		{
			char *text;

			cr_assert_eq(mmsim_report(s, NULL, "meminfo", &text, &e), 0);
			cr_assert(strstr(text, "SwapTotal:          4092 kB"), "%s", text);
			cr_assert(strstr(text, "SwapFree:           4092 kB"), "slots leaked:\n%s",
				  text);
			free(text);
		}
		mmsim_system_destroy(s);
	}
}

Test(swap, clean_pages_are_not_written_again)
{
	struct mmsim_system *s = boot("8", "1M", "demand", NULL);
	struct mmsim_task *p;
	uint64_t a, out;
	struct mmsim_task_stats st;

	cr_assert_eq(mmsim_task_spawn(s, &p), 0);
	cr_assert_eq(mmsim_mmap(p, 0, 16 * PAGE, MMSIM_PROT_READ | MMSIM_PROT_WRITE,
				MMSIM_MAP_PRIVATE | MMSIM_MAP_ANONYMOUS, &a),
		     0);
	for (int i = 0; i < 16; i++)
		cr_assert_eq(mmsim_access(p, a + i * PAGE, MMSIM_ACCESS_WRITE, true), 0);
	cr_assert_eq(counter(s, "pswpout"), 8, "8 pages had to go out");
	/* One round of reads: every page goes out once, then all are clean copies of swap. */
	for (int i = 0; i < 16; i++)
		cr_assert_eq(mmsim_access(p, a + i * PAGE, MMSIM_ACCESS_READ, true), 0);
	out = counter(s, "pswpout");
	cr_assert_eq(out, 16, "the other 8 went out once");
	/* A swap-in by a read keeps the slot: evicting the page again writes nothing. */
	for (int round = 0; round < 2; round++)
		for (int i = 0; i < 16; i++)
			cr_assert_eq(mmsim_access(p, a + i * PAGE, MMSIM_ACCESS_READ, true), 0);
	cr_assert_eq(counter(s, "pswpout"), out, "clean pages went out without a write");
	cr_assert_gt(counter(s, "pswpin"), 0);
	mmsim_task_stats(p, &st);
	cr_assert_gt(st.majflt, 0);
	mmsim_system_destroy(s);
}

Test(swap, kswapd_and_direct_reclaim)
{
	struct mmsim_system *s = boot(NULL, "256M", "linux", "64M");
	struct mmsim_task *p;
	uint64_t a;
	const uint64_t pages = 20000; /* 78 MiB on a 64 MiB machine */

	cr_assert_eq(mmsim_task_spawn(s, &p), 0);
	cr_assert_eq(mmsim_mmap(p, 0, pages * PAGE, MMSIM_PROT_READ | MMSIM_PROT_WRITE,
				MMSIM_MAP_PRIVATE | MMSIM_MAP_ANONYMOUS, &a),
		     0);
	for (uint64_t i = 0; i < pages; i++)
		cr_assert_eq(mmsim_access(p, a + i * PAGE, MMSIM_ACCESS_WRITE, true), 0);
	cr_assert_gt(counter(s, "pageoutrun"), 0, "kswapd was woken below low");
	cr_assert_gt(counter(s, "pgsteal_kswapd"), 0);
	cr_assert_gt(counter(s, "pswpout"), 0);
	cr_assert_eq(counter(s, "oom_kill"), 0);
	mmsim_system_destroy(s);
}

Test(swap, oom_kill_when_nothing_can_be_reclaimed)
{
	struct mmsim_system *s = boot("64", "0", "linux", NULL);
	struct mmsim_task *p, *q;
	uint64_t a, b;
	enum mmsim_signal sig = MMSIM_SIG_NONE;

	cr_assert_eq(mmsim_task_spawn(s, &p), 0);
	cr_assert_eq(mmsim_task_spawn(s, &q), 0);
	cr_assert_eq(mmsim_mmap(p, 0, 48 * PAGE, MMSIM_PROT_READ | MMSIM_PROT_WRITE,
				MMSIM_MAP_PRIVATE | MMSIM_MAP_ANONYMOUS, &a),
		     0);
	cr_assert_eq(mmsim_mmap(q, 0, 20 * PAGE, MMSIM_PROT_READ | MMSIM_PROT_WRITE,
				MMSIM_MAP_PRIVATE | MMSIM_MAP_ANONYMOUS, &b),
		     0);
	for (int i = 0; i < 48; i++)
		cr_assert_eq(mmsim_access(p, a + i * PAGE, MMSIM_ACCESS_WRITE, true), 0);
	/* No swap: q's 17th page does not fit under the cap; p is the biggest, so p dies. */
	for (int i = 0; i < 20 && sig == MMSIM_SIG_NONE; i++)
		sig = mmsim_access(q, b + i * PAGE, MMSIM_ACCESS_WRITE, true);
	cr_assert_eq(sig, MMSIM_SIG_NONE, "q goes on: the killer chose p");
	cr_assert_eq(counter(s, "oom_kill"), 1);
	cr_assert_not(mmsim_task_alive(p));
	cr_assert_eq(mmsim_access(p, a, MMSIM_ACCESS_READ, true), MMSIM_SIG_KILLED);
	mmsim_system_destroy(s);
}

Test(swap, shared_memory_goes_to_swap_and_comes_back)
{
	struct mmsim_system *s = boot("24", "2M", "linux", NULL);
	struct mmsim_task *p, *q;
	static uint8_t shadow[PAGES]; /* shared: the last byte either process wrote */
	uint64_t a, x = 99, boot_free;
	struct mmsim_error e = { 0 };

	boot_free = unheld_pages(s);
	cr_assert_eq(mmsim_task_spawn(s, &p), 0);
	cr_assert_eq(mmsim_mmap(p, 0, PAGES * PAGE, MMSIM_PROT_READ | MMSIM_PROT_WRITE,
				MMSIM_MAP_SHARED | MMSIM_MAP_ANONYMOUS, &a),
		     0);
	cr_assert_eq(mmsim_task_fork(p, &q), 0);
	memset(shadow, 0, sizeof(shadow));
	for (int step = 0; step < 3000; step++) {
		struct mmsim_task *t = rnd(&x) % 2 ? p : q;
		unsigned int pg = (unsigned int)(rnd(&x) % PAGES);
		uint8_t b;

		if (rnd(&x) % 2) {
			b = (uint8_t)(rnd(&x) | 1);
			cr_assert_eq(mmsim_write(t, a + pg * PAGE + 7, &b, 1), MMSIM_SIG_NONE);
			shadow[pg] = b;
		} else {
			cr_assert_eq(mmsim_read(t, a + pg * PAGE + 7, &b, 1), MMSIM_SIG_NONE);
			cr_assert_eq(b, shadow[pg], "step %d page %u: read %u, last written %u",
				     step, pg, b, shadow[pg]);
		}
	}
	cr_assert_gt(counter(s, "pswpout"), 0, "shared pages went to swap");
	cr_assert_gt(counter(s, "pswpin"), 0, "and came back");
	mmsim_task_exit(q);
	mmsim_task_exit(p);
	cr_assert_eq(mmsim_check(s, &e), 0, "%s", e.msg);
	mmsim_drop_caches(s);
	cr_assert_eq(unheld_pages(s), boot_free, "frames leaked");
	{
		char *text;

		cr_assert_eq(mmsim_report(s, NULL, "meminfo", &text, &e), 0);
		cr_assert(strstr(text, "SwapFree:           2044 kB"), "slots leaked:\n%s", text);
		free(text);
	}
	mmsim_system_destroy(s);
}
