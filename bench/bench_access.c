/*
 * bench/bench_access.c: the whole machine's per-access path, through the public API:
 * mmsim_access() on a resident working set (TLB hits and misses, no faults), on first
 * touches (demand-zero faults), and under memory pressure (faults, reclaim, swap),
 * each beside a plain loop over the same addresses measured in the same run.
 */
#include <stdio.h>
#include <stdlib.h>

#include "bench_util.h"
#include "mmsim/mmsim.h"

#define PAGE 4096u

static struct mmsim_system *boot(const char *frames, const char *swap)
{
	struct mmsim_config c;
	struct mmsim_system *s;
	struct mmsim_error e = { 0 };

	mmsim_config_default(&c);
	if (frames)
		mmsim_config_set(&c, "frames", frames, &e);
	if (swap)
		mmsim_config_set(&c, "swap", swap, &e);
	if (mmsim_system_create(&c, &s, &e)) {
		fprintf(stderr, "boot: %s\n", e.msg);
		exit(1);
	}
	return s;
}

int main(void)
{
	struct mmsim_system *s = boot(NULL, NULL);
	struct mmsim_task *p;
	uint64_t a, x = 88172645463325252ull, sum = 0;
	const uint64_t pages = 4096, n = 20000000;
	double t0, t_hit, t_base, t_fault;

	mmsim_task_spawn(s, &p);
	mmsim_mmap(p, 0, pages * PAGE, 3, MMSIM_MAP_PRIVATE | MMSIM_MAP_ANONYMOUS, &a);
	t0 = bench_now();
	for (uint64_t i = 0; i < pages; i++)
		mmsim_access(p, a + i * PAGE, MMSIM_ACCESS_WRITE, true);
	t_fault = bench_now() - t0;
	bench_report("first touch (demand-zero fault)", pages, t_fault);

	/* 90 % of accesses within 16 pages, 10 % anywhere in 16 MiB: mostly TLB hits. */
	t0 = bench_now();
	for (uint64_t i = 0; i < n; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		sum += mmsim_access(p, a + (x % 10 ? x % (16 * PAGE) : x % (pages * PAGE)),
				    MMSIM_ACCESS_READ, true);
	}
	t_hit = bench_now() - t0;
	t0 = bench_now();
	for (uint64_t i = 0; i < n; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		sum += (x % 10 ? x % (16 * PAGE) : x % (pages * PAGE)) >> 12;
	}
	t_base = bench_now() - t0;
	bench_sink(sum);
	bench_report("resident access (mostly TLB hits)", n, t_hit);
	bench_report("baseline: the same address stream", n, t_base);
	bench_ratio("resident access / baseline time", t_hit, t_base);
	mmsim_system_destroy(s);

	/* Memory pressure: a 16 MiB working set in 1000 frames, random pages: faults + swap. */
	s = boot("1000", "64M");
	mmsim_task_spawn(s, &p);
	mmsim_mmap(p, 0, pages * PAGE, 3, MMSIM_MAP_PRIVATE | MMSIM_MAP_ANONYMOUS, &a);
	t0 = bench_now();
	for (uint64_t i = 0; i < 1000000; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		mmsim_access(p, a + (x % pages) * PAGE, MMSIM_ACCESS_WRITE, true);
	}
	bench_report("random writes, 4096 pages in 1000 frames", 1000000, bench_now() - t0);
	mmsim_system_destroy(s);
	return 0;
}
