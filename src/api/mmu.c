/*
 * api/mmu.c: the public MMU model (mmsim/mmu.h) over arch/x86_64's walker and table builder.
 */
#include "mmsim/mmu.h"

#include <errno.h>
#include <stdlib.h>

#include "arch/x86_64/cr.h"
#include "arch/x86_64/pfec.h"
#include "arch/x86_64/physmem.h"
#include "arch/x86_64/pte.h"
#include "arch/x86_64/ptbuild.h"
#include "arch/x86_64/walk.h"
#include "mmsim/error.h"

struct mmsim_mmu {
	struct physmem pm;
	struct x86_cpu cpu;
	pfn_t next_table_pfn; /* alloc_table hands out frames downward from here */
};

static_assert((int)MMSIM_ACCESS_READ == (int)X86_ACCESS_READ, "access kinds agree");
static_assert((int)MMSIM_ACCESS_WRITE == (int)X86_ACCESS_WRITE, "access kinds agree");
static_assert((int)MMSIM_ACCESS_FETCH == (int)X86_ACCESS_FETCH, "access kinds agree");
static_assert(MMSIM_PFEC_RSVD == X86_PFEC_RSVD && MMSIM_PFEC_PK == X86_PFEC_PK, "pfec agrees");

int mmsim_mmu_create(uint64_t ram_bytes, bool sparse, struct mmsim_mmu **out)
{
	struct mmsim_mmu *mmu = calloc(1, sizeof(*mmu));
	int err;

	if (!mmu)
		return -ENOMEM;
	err = physmem_init(&mmu->pm, ram_bytes, sparse);
	if (err) {
		free(mmu);
		return err;
	}
	mmu->cpu = (struct x86_cpu){ .levels = 4, .maxphyaddr = 46, .wp = true, .nxe = true };
	mmu->next_table_pfn = physmem_nr_pfns(&mmu->pm);
	*out = mmu;
	return 0;
}

void mmsim_mmu_destroy(struct mmsim_mmu *mmu)
{
	if (!mmu)
		return;
	physmem_fini(&mmu->pm);
	free(mmu);
}

int mmsim_mmu_set_cpu(struct mmsim_mmu *mmu, const struct mmsim_cpu_state *c,
		      struct mmsim_error *err)
{
	if (c->levels != 4 && c->levels != 5)
		return mmsim_error_set(err, -EINVAL, "levels must be 4 or 5, not %u", c->levels);
	if (c->maxphyaddr < X86_MAXPHYADDR_MIN || c->maxphyaddr > X86_MAXPHYADDR_MAX)
		return mmsim_error_set(err, -EINVAL, "maxphyaddr must be %u..%u, not %u",
				       X86_MAXPHYADDR_MIN, X86_MAXPHYADDR_MAX, c->maxphyaddr);
	mmu->cpu = (struct x86_cpu){
		.levels = c->levels,
		.maxphyaddr = c->maxphyaddr,
		.cr3 = c->cr3,
		.wp = c->wp,
		.nxe = c->nxe,
		.smep = c->smep,
		.smap = c->smap,
		.ac = c->ac,
		.pke = c->pke,
		.pkru = c->pkru,
	};
	return 0;
}

void mmsim_mmu_get_cpu(const struct mmsim_mmu *mmu, struct mmsim_cpu_state *c)
{
	*c = (struct mmsim_cpu_state){
		.levels = mmu->cpu.levels,
		.maxphyaddr = mmu->cpu.maxphyaddr,
		.cr3 = mmu->cpu.cr3,
		.wp = mmu->cpu.wp,
		.nxe = mmu->cpu.nxe,
		.smep = mmu->cpu.smep,
		.smap = mmu->cpu.smap,
		.ac = mmu->cpu.ac,
		.pke = mmu->cpu.pke,
		.pkru = mmu->cpu.pkru,
	};
}

uint64_t mmsim_mmu_read64(const struct mmsim_mmu *mmu, uint64_t pa)
{
	return physmem_read64(&mmu->pm, pa & ~UINT64_C(7));
}

void mmsim_mmu_write64(struct mmsim_mmu *mmu, uint64_t pa, uint64_t value)
{
	physmem_write64(&mmu->pm, pa & ~UINT64_C(7), value);
}

void mmsim_mmu_translate(struct mmsim_mmu *mmu, uint64_t va, enum mmsim_access access, bool user,
			 struct mmsim_translation *out)
{
	struct x86_walk_result r;

	x86_walk(&mmu->cpu, &mmu->pm, va, (enum x86_access_kind)access, user, &r);
	*out = (struct mmsim_translation){ 0 };
	out->fault = r.outcome == X86_WALK_OK   ? MMSIM_FAULT_NONE
		     : r.outcome == X86_WALK_PF ? MMSIM_FAULT_PF
						: MMSIM_FAULT_GP;
	out->pa = r.pa;
	out->page_shift = r.page_shift;
	out->error_code = r.error_code;
	out->cr2 = r.cr2;
	out->user = r.user;
	out->writable = r.writable;
	out->executable = r.executable;
	out->nr_levels = r.nr_steps;
	for (unsigned int i = 0; i < r.nr_steps; i++) {
		const struct x86_walk_step *s = &r.steps[i];

		out->levels[i] = (struct mmsim_walk_level){
			.level = s->level,
			.table = s->entry_addr & ~(X86_PAGE_SIZE - 1),
			.index = (unsigned int)((s->entry_addr & (X86_PAGE_SIZE - 1)) / 8),
			.entry = s->entry,
			.written = s->written,
		};
	}
}

static int alloc_table(void *ctx, paddr_t *pa_out)
{
	struct mmsim_mmu *mmu = ctx;

	if (mmu->next_table_pfn == 0)
		return -ENOMEM;
	mmu->next_table_pfn--;
	physmem_zero_frame(&mmu->pm, mmu->next_table_pfn);
	*pa_out = X86_PFN_TO_PADDR(mmu->next_table_pfn);
	return 0;
}

int mmsim_mmu_alloc_table(struct mmsim_mmu *mmu, uint64_t *pa_out)
{
	return alloc_table(mmu, pa_out);
}

int mmsim_mmu_map(struct mmsim_mmu *mmu, uint64_t va, uint64_t pa, unsigned int page_shift,
		  uint64_t leaf_flags)
{
	const struct x86_pt_alloc alloc = { .alloc_table = alloc_table, .ctx = mmu };
	const struct x86_pt_ctx ctx = {
		.pm = &mmu->pm,
		.levels = mmu->cpu.levels,
		.maxphyaddr = mmu->cpu.maxphyaddr,
		.root = x86_cr3_root(&mmu->cpu),
		.alloc = &alloc,
	};

	return x86_pt_map(&ctx, va, pa, page_shift, leaf_flags);
}

void mmsim_mmu_describe_entry(uint64_t entry, unsigned int level, char *buf, unsigned int size)
{
	x86_pte_describe(entry, level, buf, size);
}

void mmsim_mmu_describe_error(uint32_t error_code, char *buf, unsigned int size)
{
	x86_pfec_describe(error_code, buf, size);
}
