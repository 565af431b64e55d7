/*
 * bench/bench_alloc.c: speed of the simulated page and slab allocators, each beside
 * glibc malloc/free of the same size in the same run.
 *
 * Patterns, each as alloc+free pairs:
 *   hot     allocate then free at once (the buddy splits and merges the same block each
 *           time: the worst case of an order-0 pair when memory is mostly free);
 *   window  a FIFO of WINDOW live objects: free the oldest, allocate a new one (memory
 *           stays fragmented at order 0, as under a running workload).
 * Each line is the fastest of ROUNDS rounds. Ratios are mmsim ops/s over malloc ops/s
 * (above 1: mmsim is faster).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "arch/x86_64/physmem.h"
#include "bench_util.h"
#include "mm/page_alloc.h"
#include "mm/pgdat.h"
#include "mm/slab.h"
#include "util/macros.h"

#define MEM_BYTES (UINT64_C(256) << 20)
#define PAIRS 4000000u
#define WINDOW 4096u
#define ROUNDS 3u

static double bench_pages_hot(struct pgdat *pgdat)
{
	double t0 = bench_now();
	uint64_t sum = 0;

	for (unsigned int i = 0; i < PAIRS; i++) {
		pfn_t pfn;

		if (page_alloc(pgdat, GFP_KERNEL, 0, &pfn))
			abort();
		sum += pfn;
		page_free(pgdat, pfn, 0);
	}
	bench_sink(sum);
	return bench_now() - t0;
}

static double bench_pages_window(struct pgdat *pgdat)
{
	pfn_t ring[WINDOW];
	double t0;
	uint64_t sum = 0;

	for (unsigned int i = 0; i < WINDOW; i++)
		if (page_alloc(pgdat, GFP_KERNEL, 0, &ring[i]))
			abort();
	t0 = bench_now();
	for (unsigned int i = 0; i < PAIRS; i++) {
		unsigned int slot = i % WINDOW;

		page_free(pgdat, ring[slot], 0);
		if (page_alloc(pgdat, GFP_KERNEL, 0, &ring[slot]))
			abort();
		sum += ring[slot];
	}
	t0 = bench_now() - t0;
	bench_sink(sum);
	for (unsigned int i = 0; i < WINDOW; i++)
		page_free(pgdat, ring[i], 0);
	return t0;
}

static double bench_malloc_hot(size_t size)
{
	double t0 = bench_now();
	uint64_t sum = 0;

	for (unsigned int i = 0; i < PAIRS; i++) {
		void *p = malloc(size);

		if (!p)
			abort();
		sum += (uintptr_t)p;
		free(p);
	}
	bench_sink(sum);
	return bench_now() - t0;
}

static double bench_malloc_window(size_t size)
{
	static void *ring[WINDOW];
	double t0;
	uint64_t sum = 0;

	for (unsigned int i = 0; i < WINDOW; i++)
		ring[i] = malloc(size);
	t0 = bench_now();
	for (unsigned int i = 0; i < PAIRS; i++) {
		unsigned int slot = i % WINDOW;

		free(ring[slot]);
		ring[slot] = malloc(size);
		if (!ring[slot])
			abort();
		sum += (uintptr_t)ring[slot];
	}
	t0 = bench_now() - t0;
	bench_sink(sum);
	for (unsigned int i = 0; i < WINDOW; i++)
		free(ring[i]);
	return t0;
}

static double bench_slab_hot(struct slab_cache *c)
{
	double t0 = bench_now();
	uint64_t sum = 0;

	for (unsigned int i = 0; i < PAIRS; i++) {
		void *p = slab_alloc(c);

		if (!p)
			abort();
		sum += (uintptr_t)p;
		slab_free(c, p);
	}
	bench_sink(sum);
	return bench_now() - t0;
}

static double bench_slab_window(struct slab_cache *c)
{
	static void *ring[WINDOW];
	double t0;
	uint64_t sum = 0;

	for (unsigned int i = 0; i < WINDOW; i++)
		ring[i] = slab_alloc(c);
	t0 = bench_now();
	for (unsigned int i = 0; i < PAIRS; i++) {
		unsigned int slot = i % WINDOW;

		slab_free(c, ring[slot]);
		ring[slot] = slab_alloc(c);
		if (!ring[slot])
			abort();
		sum += (uintptr_t)ring[slot];
	}
	t0 = bench_now() - t0;
	bench_sink(sum);
	for (unsigned int i = 0; i < WINDOW; i++)
		slab_free(c, ring[i]);
	return t0;
}

/* One measured pattern: the allocator under test or malloc, and its argument. */
struct bench_case {
	const char *name;
	double (*pages)(struct pgdat *pgdat);
	double (*slab)(struct slab_cache *c);
	double (*libc)(size_t size);
	struct pgdat *pgdat;
	struct slab_cache *cache;
	size_t size;
};

/* Runs a case ROUNDS times and reports the fastest round (the least disturbed one). */
static double run_case(const struct bench_case *bc)
{
	double best = 0;

	for (unsigned int r = 0; r < ROUNDS; r++) {
		double t = bc->pages  ? bc->pages(bc->pgdat)
			   : bc->slab ? bc->slab(bc->cache)
				      : bc->libc(bc->size);

		if (r == 0 || t < best)
			best = t;
	}
	return bench_report(bc->name, PAIRS, best);
}

int main(void)
{
	struct physmem pm;
	struct pgdat *pgdat;
	struct slab_cache *c64, *c256;

	if (physmem_init(&pm, MEM_BYTES, false) || pgdat_create(&pm, MEM_BYTES, &pgdat)) {
		fprintf(stderr, "bench_alloc: cannot boot a 256 MiB machine\n");
		return 1;
	}
	if (slab_cache_create(pgdat, "bench-64", 64, 0, 0, &c64) ||
	    slab_cache_create(pgdat, "bench-256", 256, 0, 0, &c256)) {
		fprintf(stderr, "bench_alloc: cannot create the slab caches\n");
		return 1;
	}
	printf("bench_alloc: %u alloc+free pairs per line, best of %u rounds, 256 MiB machine\n",
	       PAIRS, ROUNDS);
	{
		const struct bench_case cases[][2] = {
			{ { "page_alloc+page_free order 0, hot", bench_pages_hot, NULL, NULL, pgdat,
			    NULL, 0 },
			  { "malloc+free 4096 B, hot", NULL, NULL, bench_malloc_hot, NULL, NULL,
			    4096 } },
			{ { "page_alloc+page_free order 0, window", bench_pages_window, NULL, NULL,
			    pgdat, NULL, 0 },
			  { "malloc+free 4096 B, window", NULL, NULL, bench_malloc_window, NULL,
			    NULL, 4096 } },
			{ { "slab_alloc+slab_free 64 B, hot", NULL, bench_slab_hot, NULL, NULL, c64,
			    0 },
			  { "malloc+free 64 B, hot", NULL, NULL, bench_malloc_hot, NULL, NULL,
			    64 } },
			{ { "slab_alloc+slab_free 64 B, window", NULL, bench_slab_window, NULL,
			    NULL, c64, 0 },
			  { "malloc+free 64 B, window", NULL, NULL, bench_malloc_window, NULL, NULL,
			    64 } },
			{ { "slab_alloc+slab_free 256 B, window", NULL, bench_slab_window, NULL,
			    NULL, c256, 0 },
			  { "malloc+free 256 B, window", NULL, NULL, bench_malloc_window, NULL,
			    NULL, 256 } },
		};

		for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
			double ours = run_case(&cases[i][0]);
			double libc = run_case(&cases[i][1]);
			char label[64];

			snprintf(label, sizeof(label), "%s / malloc", cases[i][0].name);
			bench_ratio(label, ours, libc);
		}
	}
	pgdat_destroy(pgdat);
	physmem_fini(&pm);
	return 0;
}
