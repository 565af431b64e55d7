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

/* An allocator under test: alloc makes one object, a pfn or an address, in *h (non-zero:
 * it could not); release frees it. */
struct alloc_ops {
	int (*alloc)(void *ctx, uintptr_t *h);
	void (*release)(void *ctx, uintptr_t h);
};

static int pages_alloc(void *pgdat, uintptr_t *h)
{
	pfn_t pfn;
	int rc = page_alloc(pgdat, GFP_KERNEL, 0, &pfn);

	*h = (uintptr_t)pfn;
	return rc;
}

static void pages_release(void *pgdat, uintptr_t h)
{
	page_free(pgdat, (pfn_t)h, 0);
}

static int slab_alloc_one(void *c, uintptr_t *h)
{
	*h = (uintptr_t)slab_alloc(c);
	return *h == 0;
}

static void slab_release(void *c, uintptr_t h)
{
	slab_free(c, (void *)h);
}

static int malloc_one(void *size, uintptr_t *h)
{
	*h = (uintptr_t)malloc(*(const size_t *)size);
	return *h == 0;
}

static void malloc_release(void *size, uintptr_t h)
{
	(void)size;
	free((void *)h);
}

static const struct alloc_ops page_ops = { pages_alloc, pages_release };
static const struct alloc_ops slab_ops = { slab_alloc_one, slab_release };
static const struct alloc_ops malloc_ops = { malloc_one, malloc_release };

/* The hot pattern. Inlined into each caller with o constant, so the measured loop calls the
 * allocator directly. */
static inline __attribute__((always_inline)) double pairs_hot(const struct alloc_ops *o, void *ctx)
{
	double t0 = bench_now();
	uint64_t sum = 0;

	for (unsigned int i = 0; i < PAIRS; i++) {
		uintptr_t h;

		if (o->alloc(ctx, &h))
			abort();
		sum += h;
		o->release(ctx, h);
	}
	bench_sink(sum);
	return bench_now() - t0;
}

/* The window pattern, inlined as pairs_hot() is. */
static inline __attribute__((always_inline)) double pairs_window(const struct alloc_ops *o,
								 void *ctx)
{
	static uintptr_t ring[WINDOW];
	double t0;
	uint64_t sum = 0;

	for (unsigned int i = 0; i < WINDOW; i++)
		if (o->alloc(ctx, &ring[i]))
			abort();
	t0 = bench_now();
	for (unsigned int i = 0; i < PAIRS; i++) {
		unsigned int slot = i % WINDOW;

		o->release(ctx, ring[slot]);
		if (o->alloc(ctx, &ring[slot]))
			abort();
		sum += ring[slot];
	}
	t0 = bench_now() - t0;
	bench_sink(sum);
	for (unsigned int i = 0; i < WINDOW; i++)
		o->release(ctx, ring[i]);
	return t0;
}

static double bench_pages_hot(struct pgdat *pgdat)
{
	return pairs_hot(&page_ops, pgdat);
}

static double bench_pages_window(struct pgdat *pgdat)
{
	return pairs_window(&page_ops, pgdat);
}

static double bench_malloc_hot(size_t size)
{
	return pairs_hot(&malloc_ops, &size);
}

static double bench_malloc_window(size_t size)
{
	return pairs_window(&malloc_ops, &size);
}

static double bench_slab_hot(struct slab_cache *c)
{
	return pairs_hot(&slab_ops, c);
}

static double bench_slab_window(struct slab_cache *c)
{
	return pairs_window(&slab_ops, c);
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
