/*
 * api/pagesize.c: the page-size "what if" of mmsim/experiment.h (NOT x86; docs/page-size.md).
 *
 * Each process gets radix tables (arch/x86_64/radix.h) in sparse simulated memory; data
 * frames are numbered from 0 and never touched (only their numbers matter), table pages
 * come from 2^40 up. A TLB miss in both TLBs walks; a walk that finds nothing is a fault
 * that maps the next data frame, then the walk is done again.
 */
#include "mmsim/experiment.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "arch/x86_64/physmem.h"
#include "arch/x86_64/pte.h"
#include "arch/x86_64/radix.h"

#define TABLES_BASE (UINT64_C(1) << 40) /* table pages; data frames stay below */
#define LINE_SHIFT 6u			/* 64-byte lines */
#define VA_BITS 48u

/* Skylake's L1 dTLB (64 entries, 4-way) and STLB (1,536 entries, 12-way) shapes. */
#define L1_SETS 16u
#define L1_WAYS 4u
#define L2_SETS 128u
#define L2_WAYS 12u

struct ps_tlb_entry {
	uint64_t vpn;
	uint64_t frame;
	uint64_t stamp; /* last use, for LRU; 0: empty */
	uint32_t pid;
};

struct ps_proc {
	uint32_t pid;
	paddr_t root;
};

struct mmsim_pagesize {
	struct radix_geometry g;
	struct physmem pm;
	struct radix_alloc alloc;
	paddr_t next_table;
	uint64_t next_frame;
	struct ps_proc *procs;
	size_t nr_procs, cap_procs;
	size_t last_proc;
	uint64_t *lines;     /* per data frame, a bitmap of the lines touched */
	size_t lines_words;  /* words per frame */
	size_t lines_frames; /* frames the bitmap array holds */
	uint64_t clock;
	struct ps_tlb_entry l1[L1_SETS * L1_WAYS];
	struct ps_tlb_entry l2[L2_SETS * L2_WAYS];
	struct mmsim_pagesize_result res;
};

static int alloc_table(void *ctx, paddr_t *pa_out)
{
	struct mmsim_pagesize *ps = ctx;

	/* The sparse store reads unwritten memory as 0: a fresh table is zeroed. */
	*pa_out = ps->next_table;
	ps->next_table += UINT64_C(1) << ps->g.page_shift;
	ps->res.table_pages++;
	return 0;
}

int mmsim_pagesize_create(unsigned int page_shift, struct mmsim_pagesize **out)
{
	struct mmsim_pagesize *ps = calloc(1, sizeof(*ps));
	int err;

	if (!ps)
		return -ENOMEM;
	err = radix_geometry_init(&ps->g, page_shift, VA_BITS);
	if (err)
		goto out_free;
	err = physmem_init(&ps->pm, 0, true);
	if (err)
		goto out_free;
	ps->alloc = (struct radix_alloc){ .alloc_table = alloc_table, .ctx = ps };
	ps->next_table = TABLES_BASE;
	ps->lines_words = ((UINT64_C(1) << page_shift) >> LINE_SHIFT) / 64;
	ps->res.page_shift = page_shift;
	ps->res.levels = ps->g.levels;
	*out = ps;
	return 0;
out_free:
	free(ps);
	return err;
}

void mmsim_pagesize_destroy(struct mmsim_pagesize *ps)
{
	if (!ps)
		return;
	physmem_fini(&ps->pm);
	free(ps->procs);
	free(ps->lines);
	free(ps);
}

/* The tables of process pid, made on its first access. NULL on -ENOMEM. */
static struct ps_proc *proc_of(struct mmsim_pagesize *ps, uint32_t pid)
{
	struct ps_proc *p;

	if (ps->nr_procs && ps->procs[ps->last_proc].pid == pid)
		return &ps->procs[ps->last_proc];
	for (size_t i = 0; i < ps->nr_procs; i++) {
		if (ps->procs[i].pid == pid) {
			ps->last_proc = i;
			return &ps->procs[i];
		}
	}
	if (ps->nr_procs == ps->cap_procs) {
		size_t cap = ps->cap_procs ? 2 * ps->cap_procs : 8;
		struct ps_proc *n = realloc(ps->procs, cap * sizeof(*n));

		if (!n)
			return NULL;
		ps->procs = n;
		ps->cap_procs = cap;
	}
	p = &ps->procs[ps->nr_procs];
	p->pid = pid;
	alloc_table(ps, &p->root);
	ps->last_proc = ps->nr_procs++;
	return p;
}

/* Looks (pid, vpn) up in a set-associative LRU array; fills it on a miss. */
static bool tlb_lookup(struct ps_tlb_entry *arr, unsigned int sets, unsigned int ways,
		       uint64_t stamp, uint32_t pid, uint64_t vpn, uint64_t *frame)
{
	struct ps_tlb_entry *set = &arr[(vpn % sets) * ways];

	for (unsigned int w = 0; w < ways; w++) {
		if (set[w].stamp && set[w].vpn == vpn && set[w].pid == pid) {
			set[w].stamp = stamp;
			*frame = set[w].frame;
			return true;
		}
	}
	return false;
}

static void tlb_fill(struct ps_tlb_entry *arr, unsigned int sets, unsigned int ways, uint64_t stamp,
		     uint32_t pid, uint64_t vpn, uint64_t frame)
{
	struct ps_tlb_entry *set = &arr[(vpn % sets) * ways], *victim = &set[0];

	for (unsigned int w = 1; w < ways; w++) {
		if (set[w].stamp < victim->stamp)
			victim = &set[w];
	}
	*victim = (struct ps_tlb_entry){ .vpn = vpn, .frame = frame, .stamp = stamp, .pid = pid };
}

/* The frame behind (pid, va): the TLBs, else a walk, else a fault and a walk. */
static int translate(struct mmsim_pagesize *ps, uint32_t pid, vaddr_t va, uint64_t *frame)
{
	uint64_t vpn = va >> ps->g.page_shift, stamp = ++ps->clock;
	struct radix_walk_result w;
	struct ps_proc *p;
	int err;

	if (tlb_lookup(ps->l1, L1_SETS, L1_WAYS, stamp, pid, vpn, frame))
		return 0;
	ps->res.l1_misses++;
	if (!tlb_lookup(ps->l2, L2_SETS, L2_WAYS, stamp, pid, vpn, frame)) {
		ps->res.l2_misses++;
		p = proc_of(ps, pid);
		if (!p)
			return -ENOMEM;
		radix_walk(&ps->g, &ps->pm, p->root, va, &w);
		ps->res.walks_steps += w.nr_steps;
		if (!w.ok) {
			err = radix_map(&ps->g, &ps->pm, p->root, &ps->alloc,
					vpn << ps->g.page_shift, ps->next_frame << ps->g.page_shift,
					X86_PTE_RW | X86_PTE_US);
			if (err)
				return err;
			ps->next_frame++;
			ps->res.faults++;
			radix_walk(&ps->g, &ps->pm, p->root, va, &w);
		}
		*frame = w.pa >> ps->g.page_shift;
		tlb_fill(ps->l2, L2_SETS, L2_WAYS, stamp, pid, vpn, *frame);
	}
	tlb_fill(ps->l1, L1_SETS, L1_WAYS, stamp, pid, vpn, *frame);
	return 0;
}

/* Marks lines [first, last] of frame as touched. */
static int touch_lines(struct mmsim_pagesize *ps, uint64_t frame, uint64_t first, uint64_t last)
{
	uint64_t *bits;

	if (frame >= ps->lines_frames) {
		size_t n = ps->lines_frames ? 2 * ps->lines_frames : 1024;
		uint64_t *grown;

		while (n <= frame)
			n *= 2;
		grown = realloc(ps->lines, n * ps->lines_words * sizeof(uint64_t));
		if (!grown)
			return -ENOMEM;
		memset(grown + ps->lines_frames * ps->lines_words, 0,
		       (n - ps->lines_frames) * ps->lines_words * sizeof(uint64_t));
		ps->lines = grown;
		ps->lines_frames = n;
	}
	bits = ps->lines + frame * ps->lines_words;
	for (uint64_t l = first; l <= last; l++) {
		uint64_t m = UINT64_C(1) << (l % 64);

		if (!(bits[l / 64] & m)) {
			bits[l / 64] |= m;
			ps->res.touched_bytes += UINT64_C(1) << LINE_SHIFT;
		}
	}
	return 0;
}

int mmsim_pagesize_access(struct mmsim_pagesize *ps, uint32_t pid, uint64_t addr, uint32_t size)
{
	uint64_t page = UINT64_C(1) << ps->g.page_shift;
	uint64_t end = addr + (size ? size : 1) - 1; /* last byte */

	if (end < addr || (end >> VA_BITS))
		return -EINVAL;
	for (uint64_t va = addr & ~(page - 1); va <= end; va += page) {
		uint64_t lo = va > addr ? va : addr, hi = end < va + page - 1 ? end : va + page - 1;
		uint64_t frame;
		int err = translate(ps, pid, va, &frame);

		if (err)
			return err;
		ps->res.accesses++;
		err = touch_lines(ps, frame, (lo - va) >> LINE_SHIFT, (hi - va) >> LINE_SHIFT);
		if (err)
			return err;
		if (va + page - 1 >= end)
			break;
	}
	return 0;
}

void mmsim_pagesize_result(const struct mmsim_pagesize *ps, struct mmsim_pagesize_result *out)
{
	*out = ps->res;
	out->table_bytes = ps->res.table_pages << ps->g.page_shift;
	out->mapped_bytes = ps->res.faults << ps->g.page_shift;
}
