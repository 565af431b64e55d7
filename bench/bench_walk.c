/*
 * bench/bench_walk.c: page walks per second, 4-level and 5-level, on a table built once:
 * 4096 pages of 4 KiB spread over 8 page tables, walked in a fixed pseudo-random order with
 * A and D already set (the steady state of a walk: reads only). Beside it, the same loop
 * reading one 8-byte word per step from the same memory, as a baseline measured in the
 * same run (the ratio says what a walk costs compared with a memory read).
 */
#include <stdio.h>
#include <stdlib.h>

#include "arch/x86_64/cr.h"
#include "arch/x86_64/physmem.h"
#include "arch/x86_64/pte.h"
#include "arch/x86_64/ptbuild.h"
#include "arch/x86_64/walk.h"
#include "bench_util.h"

#define RAM_BYTES (UINT64_C(64) << 20)
#define NR_PAGES 4096u
#define ITERS 4000000u

struct bump {
	pfn_t next;
	struct physmem *pm;
};

static int bump_alloc(void *ctx, paddr_t *pa_out)
{
	struct bump *b = ctx;

	physmem_zero_frame(b->pm, b->next);
	*pa_out = X86_PFN_TO_PADDR(b->next++);
	return 0;
}

static double run(unsigned int levels)
{
	struct physmem pm;
	struct bump b = { .next = 1, .pm = &pm };
	const struct x86_pt_alloc alloc = { .alloc_table = bump_alloc, .ctx = &b };
	struct x86_cpu cpu = { .levels = levels, .maxphyaddr = 46, .wp = true, .nxe = true };
	struct x86_pt_ctx ctx;
	struct x86_walk_result r;
	paddr_t root;
	vaddr_t *vas = malloc(NR_PAGES * sizeof(*vas));
	uint64_t sum = 0, x = 88172645463325252ull;
	double t0, t_walk, t_read;
	char name[64];

	if (!vas || physmem_init(&pm, RAM_BYTES, false))
		exit(1);
	bump_alloc(&b, &root);
	cpu.cr3 = root;
	ctx = (struct x86_pt_ctx){
		.pm = &pm, .levels = levels, .maxphyaddr = 46, .root = root, .alloc = &alloc
	};
	for (unsigned int i = 0; i < NR_PAGES; i++) {
		vaddr_t va = UINT64_C(0x7f0000000000) + (vaddr_t)i * 4096 * 64;

		vas[i] = va;
		x86_pt_map(&ctx, va, UINT64_C(0x2000000) + (paddr_t)i * 4096, 12,
			   X86_PTE_RW | X86_PTE_US | X86_PTE_A | X86_PTE_D);
	}
	for (unsigned int i = 0; i < NR_PAGES; i++) /* warm: A/D of upper levels */
		x86_walk(&cpu, &pm, vas[i], X86_ACCESS_WRITE, true, &r);

	t0 = bench_now();
	for (unsigned int i = 0; i < ITERS; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		x86_walk(&cpu, &pm, vas[x % NR_PAGES], X86_ACCESS_READ, true, &r);
		sum += r.pa;
	}
	t_walk = bench_now() - t0;
	t0 = bench_now();
	for (unsigned int i = 0; i < ITERS; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		sum += physmem_read64(&pm, UINT64_C(0x2000000) + (x % NR_PAGES) * 4096);
	}
	t_read = bench_now() - t0;
	bench_sink(sum);
	snprintf(name, sizeof(name), "walk %u-level (4 KiB pages)", levels);
	bench_report(name, ITERS, t_walk);
	snprintf(name, sizeof(name), "baseline: one 8-byte read per step");
	bench_report(name, ITERS, t_read);
	snprintf(name, sizeof(name), "walk %u-level / baseline time", levels);
	bench_ratio(name, t_walk, t_read);
	physmem_fini(&pm);
	free(vas);
	return (double)ITERS / t_walk;
}

int main(void)
{
	printf("# page walks per second (x86_walk), one core\n");
	run(4);
	run(5);
	return 0;
}
