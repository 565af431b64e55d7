/*
 * workloads/matmul.c: naive against tiled matrix multiply: the same arithmetic in two
 * loop orders, to see the TLB and locality at work.
 *
 * C = A x B for n x n matrices of 8-byte integers (arithmetic modulo 2^64, so every result
 * is exact). Each row starts a new page (a leading dimension of 512 words: a
 * power-of-two-sized array, as so much numeric code has), so walking a column of B touches
 * n pages: with n = 128 that is twice what an L1 dTLB of 64 entries holds.
 * 1. Fill A and B from splitmix64_mix() (so the host can compute any element again).
 * 2. Naive: for i, for j, for k: C1[i][j] += A[i][k] * B[k][j] (B walked down a column).
 * 3. Tiled: the same in TILE x TILE blocks, so a block of B's rows stays within the TLB.
 * 4. Check: C1 and C2 equal the product computed on the host.
 * The notes give each multiply's L1 dTLB misses and page walks.
 *
 * Memory: the four matrices take 2 MiB, so the workload caps resident user pages at 256
 * (frames=256, 1 MiB, as a memory cgroup limit would): filling and checking them swaps,
 * while each multiply's working set (B and a row of A and C) fits.
 * Scale multiplies n by the cube root of scale (the work grows as n^3), rounded to whole tiles.
 */
#include <inttypes.h>
#include <math.h>
#include <stdint.h>

#include "workloads/workloads_impl.h"

#define N_BASE 128
#define LD 512 /* words per row: 4 KiB */
#define TILE 16

struct matrices {
	struct mmsim_task *t;
	uint64_t n;
	uint64_t a, b, c1, c2; /* addresses of the four matrices */
};

static uint64_t at(uint64_t base, uint64_t i, uint64_t j)
{
	return base + (i * LD + j) * 8;
}

static uint64_t elem_a(uint64_t n, uint64_t i, uint64_t j)
{
	return splitmix64_mix(i * n + j) & 0xffff; /* small values keep products readable */
}

static uint64_t elem_b(uint64_t n, uint64_t i, uint64_t j)
{
	return splitmix64_mix(n * n + i * n + j) & 0xffff;
}

static void naive(struct workload_run *w, const struct matrices *m)
{
	for (uint64_t i = 0; i < m->n && workload_ok(w); i++) {
		for (uint64_t j = 0; j < m->n; j++) {
			uint64_t s = 0;

			for (uint64_t k = 0; k < m->n; k++)
				s += workload_load(w, m->t, at(m->a, i, k)) *
				     workload_load(w, m->t, at(m->b, k, j));
			workload_store(w, m->t, at(m->c1, i, j), s);
		}
	}
}

/* Each C2 block is accumulated over the k blocks: C2 starts as zeros (fresh pages). */
static void tiled(struct workload_run *w, const struct matrices *m)
{
	for (uint64_t ii = 0; ii < m->n && workload_ok(w); ii += TILE) {
		for (uint64_t kk = 0; kk < m->n; kk += TILE) {
			for (uint64_t jj = 0; jj < m->n; jj += TILE) {
				for (uint64_t i = ii; i < ii + TILE; i++) {
					for (uint64_t j = jj; j < jj + TILE; j++) {
						uint64_t s =
							workload_load(w, m->t, at(m->c2, i, j));

						for (uint64_t k = kk; k < kk + TILE; k++)
							s += workload_load(w, m->t,
									   at(m->a, i, k)) *
							     workload_load(w, m->t, at(m->b, k, j));
						workload_store(w, m->t, at(m->c2, i, j), s);
					}
				}
			}
		}
	}
}

struct phase {
	uint64_t loads, stlb_hits, walks;
};

static void phase_begin(struct workload_run *w, struct phase *p)
{
	p->loads = workload_counter(w, "dTLB-loads");
	p->stlb_hits = workload_counter(w, "stlb_hits");
	p->walks = workload_counter(w, "page_walks");
}

/* L1 dTLB misses are the STLB hits plus the walks (docs/tlb.md). */
static void phase_note(struct workload_run *w, const struct phase *p, const char *what)
{
	uint64_t loads = workload_counter(w, "dTLB-loads") - p->loads;
	uint64_t walks = workload_counter(w, "page_walks") - p->walks;
	uint64_t l1_misses = workload_counter(w, "stlb_hits") - p->stlb_hits + walks;

	workload_note(w,
		      "%s: %" PRIu64 " dTLB lookups, %" PRIu64 " L1 dTLB misses (%.1f%%), %" PRIu64
		      " page walks",
		      what, loads, l1_misses,
		      loads ? 100.0 * (double)l1_misses / (double)loads : 0.0, walks);
}

static void matmul_run(struct workload_run *w)
{
	uint64_t n =
		(uint64_t)(N_BASE * cbrt((double)w->scale) / (1 << w->shrink / 2) / TILE + 0.5) *
		TILE;
	uint64_t bytes;
	struct matrices m = { .n = n };
	struct phase p;

	if (n < TILE)
		n = m.n = TILE;
	if (n > LD)
		n = m.n = LD; /* a row must fit its page: beyond scale 64, n stays 512 */
	bytes = n * LD * 8;
	w->res->planned = 4 * n * n * n + 2 * n * n * n / TILE + 6 * n * n;
	m.t = workload_spawn(w);
	if (!m.t)
		return;
	m.a = workload_mmap(w, m.t, bytes);
	m.b = workload_mmap(w, m.t, bytes);
	m.c1 = workload_mmap(w, m.t, bytes);
	m.c2 = workload_mmap(w, m.t, bytes);
	/* 1. Fill. */
	for (uint64_t i = 0; i < n && workload_ok(w); i++) {
		for (uint64_t j = 0; j < n; j++) {
			workload_store(w, m.t, at(m.a, i, j), elem_a(n, i, j));
			workload_store(w, m.t, at(m.b, i, j), elem_b(n, i, j));
		}
	}
	/* 2. and 3. */
	phase_begin(w, &p);
	naive(w, &m);
	phase_note(w, &p, "naive");
	phase_begin(w, &p);
	tiled(w, &m);
	phase_note(w, &p, "tiled");
	/* 4. The reference, element by element on the host. */
	for (uint64_t i = 0; i < n && workload_ok(w); i++) {
		for (uint64_t j = 0; j < n && workload_ok(w); j++) {
			uint64_t want = 0, c1, c2;

			for (uint64_t k = 0; k < n; k++)
				want += elem_a(n, i, k) * elem_b(n, k, j);
			c1 = workload_load(w, m.t, at(m.c1, i, j));
			c2 = workload_load(w, m.t, at(m.c2, i, j));
			if (c1 != want || c2 != want)
				workload_fail(w,
					      "C[%" PRIu64 "][%" PRIu64 "]: naive 0x%" PRIx64
					      ", tiled 0x%" PRIx64 ", want 0x%" PRIx64,
					      i, j, c1, c2, want);
		}
	}
	workload_pass(w,
		      "%" PRIu64 "x%" PRIu64 " product, naive and tiled, equal to the host's "
		      "reference",
		      n, n);
}

const struct workload_def workload_matmul = {
	.info = {
		.name = "matmul",
		.summary = "naive against tiled 128x128 matrix multiply, rows a page apart (TLB, "
			   "locality)",
		.config = "mem=16M swap=64M frames=256",
	},
	.run = matmul_run,
};
