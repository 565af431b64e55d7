/*
 * api/explore.c: looking inside a running system without changing it (mmsim/explore.h):
 * probe walks, the TLB's entries, and every frame with its owner.
 *
 * Frame owners come from the page tables, as a person would find them: every live task's
 * user half is walked (tables and leaves) and each frame reached is marked with that task's
 * pid, or "several" when two tasks reach it (COW-shared and shmem pages, shared tables
 * never). The walk reads entries only; it is host work proportional to the tables' size.
 */
#include "mmsim/explore.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "arch/x86_64/physmem.h"
#include "arch/x86_64/pte.h"
#include "arch/x86_64/tlb.h"
#include "arch/x86_64/walk.h"
#include "kernel/system.h"
#include "mm/page.h"
#include "mm/pgdat.h"
#include "walk_result.h"

int mmsim_task_walk(struct mmsim_task *t, uint64_t va, enum mmsim_access kind,
		    struct mmsim_translation *out)
{
	struct mmsim_system *sys = t->sys;
	struct x86_cpu cpu = sys->cpu;
	struct x86_walk_result r;

	if (!t->mm)
		return -EINVAL;
	/* A user-mode walk: with kpti, through the user PGD. */
	cpu.cr3 = t->mm->pgd | (sys->cfg.kpti ? PTI_USER_PGTABLE_MASK : 0);
	x86_walk(&cpu, &sys->pm, va, (enum x86_access_kind)kind, true, &r);
	/* A probe, not an access: put back every entry the walk changed (A/D), last first. */
	for (unsigned int i = r.nr_steps; i-- > 0;)
		physmem_write64(&sys->pm, r.steps[i].entry_addr, r.steps[i].entry);
	api_translation_from_walk(&r, out);
	for (unsigned int i = 0; i < out->nr_levels; i++)
		out->levels[i].written = out->levels[i].entry; /* put back: nothing written */
	return 0;
}

struct tlb_walk_ctx {
	void (*fn)(void *ctx, const struct mmsim_tlb_entry *e);
	void *ctx;
	unsigned long count;
};

static void tlb_entry_cb(void *ctx, const struct tlb_entry_view *v)
{
	struct tlb_walk_ctx *w = ctx;
	struct mmsim_tlb_entry e = {
		.structure = tlb_struct_name(v->where),
		.array = v->array,
		.set = v->set,
		.way = v->way,
		.va = v->va,
		.pa = v->pa,
		.shift = v->shift,
		.page_shift = v->page_shift,
		.pcid = v->pcid,
		.global = v->global,
		.user = v->user,
		.writable = v->writable,
		.executable = v->executable,
		.dirty = v->dirty,
	};

	w->count++;
	if (w->fn)
		w->fn(w->ctx, &e);
}

unsigned long mmsim_tlb_foreach(const struct mmsim_system *sys,
				void (*fn)(void *ctx, const struct mmsim_tlb_entry *e), void *ctx)
{
	struct tlb_walk_ctx w = { .fn = fn, .ctx = ctx };

	if (sys->tlb)
		tlb_foreach_entry(sys->tlb, tlb_entry_cb, &w);
	return w.count;
}

int mmsim_tlb_array(const struct mmsim_system *sys, unsigned int i, const char **structure,
		    unsigned int *sets, unsigned int *ways)
{
	const struct tlb_config *cfg;

	if (!sys->tlb)
		return -1;
	cfg = tlb_get_config(sys->tlb);
	if (i >= cfg->nr_arrays)
		return -1;
	*structure = tlb_struct_name(cfg->arrays[i].where);
	*ways = cfg->arrays[i].ways;
	*sets = cfg->arrays[i].entries / cfg->arrays[i].ways;
	return 0;
}

uint64_t mmsim_nr_frames(const struct mmsim_system *sys)
{
	return sys->pgdat->nr_pfns;
}

#define OWNER_SEVERAL (-1)

static void mark(int *owner, uint64_t nr, uint64_t pfn, uint64_t count, int pid)
{
	for (uint64_t p = pfn; p < pfn + count && p < nr; p++)
		owner[p] = owner[p] == 0 || owner[p] == pid ? pid : OWNER_SEVERAL;
}

/* Marks the table at pa and everything below it that is present, for entries [lo, hi). */
static void mark_table(const struct mmsim_system *sys, int *owner, paddr_t pa, unsigned int level,
		       unsigned int lo, unsigned int hi, int pid)
{
	unsigned int maxphy = sys->cpu.maxphyaddr;
	uint64_t nr = sys->pgdat->nr_pfns;

	mark(owner, nr, pa >> X86_PAGE_SHIFT, 1, pid);
	for (unsigned int i = lo; i < hi; i++) {
		uint64_t e = physmem_read64(&sys->pm, pa + 8u * i);

		if (!x86_pte_present(e))
			continue;
		if (level == 1 || ((level == 2 || level == 3) && x86_pte_large(e))) {
			uint64_t frames = UINT64_C(1) << (x86_level_shift(level) - X86_PAGE_SHIFT);

			mark(owner, nr, x86_pte_addr(e, maxphy) >> X86_PAGE_SHIFT, frames, pid);
			continue;
		}
		mark_table(sys, owner, x86_pte_addr(e, maxphy), level - 1, 0, X86_PT_ENTRIES, pid);
	}
}

static enum mmsim_frame_kind frame_kind(const struct page *pg)
{
	if (page_flag_test(pg, PG_RESERVED))
		return MMSIM_FRAME_RESERVED;
	if (page_flag_test(pg, PG_PGTABLE))
		return MMSIM_FRAME_PAGE_TABLE;
	if (page_flag_test(pg, PG_SLAB))
		return MMSIM_FRAME_SLAB;
	if (page_flag_test(pg, PG_ZERO_PAGE))
		return MMSIM_FRAME_ZERO_PAGE;
	if (page_flag_test(pg, PG_ANON))
		return MMSIM_FRAME_ANON;
	if (page_flag_test(pg, PG_SWAPBACKED))
		return MMSIM_FRAME_SHMEM;
	return MMSIM_FRAME_KERNEL_OTHER;
}

int mmsim_frames_foreach(struct mmsim_system *sys, uint64_t first, uint64_t nr,
			 void (*fn)(void *ctx, const struct mmsim_frame *f), void *ctx)
{
	const struct pgdat *pgdat = sys->pgdat;
	uint64_t end =
		first + nr < first || first + nr > pgdat->nr_pfns ? pgdat->nr_pfns : first + nr;
	int *owner = calloc(pgdat->nr_pfns ? pgdat->nr_pfns : 1, sizeof(*owner));
	unsigned int top = sys->cpu.levels;
	unsigned int free_order = 0;
	uint64_t free_end = 0;

	if (!owner)
		return -ENOMEM;
	pgdat_memmap_materialize(sys->pgdat); /* every frame's struct page says its state */
	for (const struct mmsim_task *t = sys->tasks; t; t = t->next) {
		if (t->mm)
			mark_table(sys, owner, t->mm->pgd, top, 0, X86_PT_ENTRIES / 2, t->pid);
	}
	for (uint64_t pfn = 0; pfn < end; pfn++) {
		const struct page *pg = pgdat_page(pgdat, pfn);
		struct mmsim_frame f = { .pfn = pfn };

		/* A free block's head carries its order; the frames after it belong to it. */
		if (page_flag_test(pg, PG_BUDDY)) {
			free_order = pg->order;
			free_end = pfn + (UINT64_C(1) << pg->order);
		}
		if (pfn < free_end) {
			f.kind = MMSIM_FRAME_FREE;
			f.order = free_order;
		} else if (!pgdat_pfn_is_ram(pgdat, pfn)) {
			f.kind = MMSIM_FRAME_HOLE;
		} else {
			const struct page *head =
				pgdat_page(pgdat, memmap_head_pfn(&pgdat->memmap, pfn));

			f.kind = frame_kind(head);
			f.pid = owner[pfn];
			f.mapcount = pg->mapcount;
			f.dirty = page_flag_test(pg, PG_DIRTY);
			f.swapcache = page_flag_test(pg, PG_SWAPCACHE);
			f.active = page_flag_test(pg, PG_ACTIVE);
		}
		if (pfn >= first)
			fn(ctx, &f);
	}
	free(owner);
	return 0;
}
