/*
 * bench/bench_tlb.c: translations per second through the TLB (arch/x86_64/tlb.h), on the hit
 * path and on the miss path with and without paging-structure caches, beside x86_walk() alone,
 * with the ratios in one run.
 *
 * The address space: 16384 pages of 4 KiB (64 MiB, 32 page tables) in 64 MiB of simulated RAM.
 * Cases:
 *   walk        x86_walk() over the 16384 pages in order: the cost of a full 4-level walk
 *   hit-same    tlb_translate() on one page: the last-translation shortcut
 *   hit-l1      32 pages in turn: L1 dTLB set search, no shortcut (Skylake: 16 sets x 4 ways)
 *   miss-pwc    16384 pages in turn: misses L1 and the STLB, walks from the PDE cache
 *   miss-nopwc  the same with pwc:off: every miss walks from CR3
 *   off         tlb=off: tlb_translate() when nothing is cached
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arch/x86_64/cr.h"
#include "arch/x86_64/physmem.h"
#include "arch/x86_64/ptbuild.h"
#include "arch/x86_64/pte.h"
#include "arch/x86_64/tlb.h"
#include "arch/x86_64/walk.h"
#include "bench_util.h"
#include "mmsim/error.h"

#define RAM (UINT64_C(64) << 20)
#define TABLES_AT (UINT64_C(32) << 20)
#define NR_PAGES_ORDER 14u
#define NR_PAGES (1u << NR_PAGES_ORDER)
#define BASE_VA UINT64_C(0x00007f0000000000)
#define MIN_SECONDS 0.4
#define BLOCK 65536u

struct bench {
	struct physmem pm;
	struct x86_cpu cpu;
	paddr_t next_table;
};

static int alloc_table(void *ctx, paddr_t *pa_out)
{
	struct bench *b = ctx;

	*pa_out = b->next_table;
	b->next_table += X86_PAGE_SIZE;
	physmem_zero_frame(&b->pm, X86_PADDR_TO_PFN(*pa_out));
	return 0;
}

static int setup(struct bench *b)
{
	struct x86_pt_alloc alloc = { .alloc_table = alloc_table, .ctx = b };
	struct x86_pt_ctx pt = { .pm = &b->pm, .levels = 4, .maxphyaddr = 40, .alloc = &alloc };
	int err = physmem_init(&b->pm, RAM, false);

	if (err)
		return err;
	b->next_table = TABLES_AT;
	alloc_table(b, &pt.root);
	for (unsigned int i = 0; i < NR_PAGES; i++) {
		err = x86_pt_map(&pt, BASE_VA + (vaddr_t)i * X86_PAGE_SIZE,
				 (paddr_t)i * X86_PAGE_SIZE, 12,
				 X86_PTE_RW | X86_PTE_US | X86_PTE_A | X86_PTE_D);
		if (err)
			return err;
	}
	b->cpu = (struct x86_cpu){
		.levels = 4, .maxphyaddr = 40, .cr3 = pt.root, .wp = true, .nxe = true, .pge = true
	};
	return 0;
}

/* Address i of a cycle over 2^order pages, 64 bytes further each lap (no division). */
static inline vaddr_t addr(unsigned int i, unsigned int order)
{
	vaddr_t page = i & ((1u << order) - 1);
	vaddr_t lap = (vaddr_t)(i >> order);

	return BASE_VA + (page << X86_PAGE_SHIFT) + ((lap << 6) & 0xfc0);
}

static double run_walk(struct bench *b)
{
	struct x86_walk_result r;
	uint64_t ops = 0, sum = 0;
	double t0 = bench_now(), t;

	do {
		for (unsigned int i = 0; i < BLOCK; i++) {
			x86_walk(&b->cpu, &b->pm, addr(i, NR_PAGES_ORDER), X86_ACCESS_READ, true,
				 &r);
			sum += r.pa;
		}
		ops += BLOCK;
		t = bench_now() - t0;
	} while (t < MIN_SECONDS);
	bench_sink(sum);
	return bench_report("x86_walk alone (4 levels)", ops, t);
}

static double run_tlb(struct bench *b, const char *name, const char *spec, unsigned int order)
{
	struct mmsim_error err = { 0 };
	struct tlb_config cfg;
	struct tlb_result r;
	struct tlb *tlb;
	uint64_t ops = 0, sum = 0;
	const struct tlb_stats *s;
	double t0, t, rate;

	if (tlb_config_parse(spec, &cfg, &err) || tlb_create(&cfg, &tlb)) {
		fprintf(stderr, "bench_tlb: %s: %s\n", spec, err.msg);
		exit(1);
	}
	for (unsigned int i = 0; i < 2 * NR_PAGES; i++) /* warm up */
		tlb_translate(tlb, &b->cpu, &b->pm, addr(i, order), X86_ACCESS_READ, true, &r);
	tlb_stats_reset(tlb);
	t0 = bench_now();
	do {
		for (unsigned int i = 0; i < BLOCK; i++) {
			tlb_translate(tlb, &b->cpu, &b->pm, addr(i, order), X86_ACCESS_READ, true,
				      &r);
			sum += r.pa;
		}
		ops += BLOCK;
		t = bench_now() - t0;
	} while (t < MIN_SECONDS);
	bench_sink(sum);
	rate = bench_report(name, ops, t);
	s = tlb_get_stats(tlb);
	printf("    walks/access %.3f, memory refs/walk %.2f, pde-cache hits/walk %.2f\n",
	       (double)s->page_walks / (double)ops,
	       s->page_walks ? (double)s->walk_mem_refs / (double)s->page_walks : 0.0,
	       s->page_walks ? (double)s->pwc_hits[PWC_PDE] / (double)s->page_walks : 0.0);
	tlb_destroy(tlb);
	return rate;
}

/* `bench_tlb` runs every case and prints the ratios; `bench_tlb CASE` runs one (walk, same,
 * l1, miss-pwc, miss-nopwc, off), for profiling. */
int main(int argc, char **argv)
{
	const char *only = argc > 1 ? argv[1] : NULL;
	struct bench b;
	double walk, same, l1, miss_pwc, miss_nopwc, off;

	if (setup(&b)) {
		fprintf(stderr, "bench_tlb: set-up failed\n");
		return 1;
	}
	if (only) {
		if (strcmp(only, "walk") == 0)
			run_walk(&b);
		else if (strcmp(only, "same") == 0)
			run_tlb(&b, "tlb hit, same page (skylake)", "skylake", 0);
		else if (strcmp(only, "l1") == 0)
			run_tlb(&b, "tlb hit, 32 pages in L1 (skylake)", "skylake", 5);
		else if (strcmp(only, "miss-pwc") == 0)
			run_tlb(&b, "tlb miss, with pwc (skylake)", "skylake", NR_PAGES_ORDER);
		else if (strcmp(only, "miss-nopwc") == 0)
			run_tlb(&b, "tlb miss, no pwc", "skylake,pwc:off", NR_PAGES_ORDER);
		else if (strcmp(only, "off") == 0)
			run_tlb(&b, "tlb=off", "off", NR_PAGES_ORDER);
		else
			fprintf(stderr, "bench_tlb: unknown case '%s'\n", only);
		physmem_fini(&b.pm);
		return 0;
	}
	walk = run_walk(&b);
	same = run_tlb(&b, "tlb hit, same page (skylake)", "skylake", 0);
	l1 = run_tlb(&b, "tlb hit, 32 pages in L1 (skylake)", "skylake", 5);
	miss_pwc = run_tlb(&b, "tlb miss, with pwc (skylake)", "skylake", NR_PAGES_ORDER);
	miss_nopwc = run_tlb(&b, "tlb miss, no pwc (skylake,pwc:off)", "skylake,pwc:off",
			     NR_PAGES_ORDER);
	off = run_tlb(&b, "tlb=off (every access walks)", "off", NR_PAGES_ORDER);
	bench_ratio("hit-same / walk", same, walk);
	bench_ratio("hit-l1 / walk", l1, walk);
	bench_ratio("miss-pwc / walk", miss_pwc, walk);
	bench_ratio("miss-nopwc / walk", miss_nopwc, walk);
	bench_ratio("off / walk", off, walk);
	bench_ratio("miss-pwc / miss-nopwc", miss_pwc, miss_nopwc);
	physmem_fini(&b.pm);
	return 0;
}
