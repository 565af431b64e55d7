/*
 * api/mmu.c: the public MMU model (mmsim/mmu.h) over arch/x86_64's walker, TLB and table
 * builder, on mmsim's own physical memory or on the caller's (read64/write64 callbacks,
 * arch/x86_64/physmem.h's physmem_init_ops()).
 */
#include "mmsim/mmu.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "arch/x86_64/cr.h"
#include "arch/x86_64/pfec.h"
#include "arch/x86_64/physmem.h"
#include "arch/x86_64/pte.h"
#include "arch/x86_64/ptbuild.h"
#include "arch/x86_64/tlb.h"
#include "arch/x86_64/walk.h"
#include "mmsim/error.h"
#include "util/strbuf.h"
#include "walk_result.h"

struct mmsim_mmu {
	struct physmem pm;
	struct x86_cpu cpu;
	pfn_t next_table_pfn;			   /* own RAM: tables handed out downward */
	int (*alloc_table)(void *ctx, uint64_t *); /* caller's memory: its table frames */
	void *alloc_ctx;
	struct tlb *tlb;		  /* mmsim_mmu_access()'s; the "off" preset by default */
	struct x86_walk_result last_walk; /* the TLB's last walk, valid when walked */
	bool walked;			  /* mmsim_mmu_access() ran a walk */
};

static_assert((int)MMSIM_ACCESS_READ == (int)X86_ACCESS_READ, "access kinds agree");
static_assert((int)MMSIM_ACCESS_WRITE == (int)X86_ACCESS_WRITE, "access kinds agree");
static_assert((int)MMSIM_ACCESS_FETCH == (int)X86_ACCESS_FETCH, "access kinds agree");
static_assert(MMSIM_PFEC_RSVD == X86_PFEC_RSVD && MMSIM_PFEC_PK == X86_PFEC_PK, "pfec agrees");
static_assert(MMSIM_PFEC_HLAT == X86_PFEC_HLAT, "pfec agrees");
static_assert(MMSIM_PTE_HLAT_RESTART == X86_PTE_HLAT_RESTART, "restart bit agrees");
static_assert(MMSIM_WALK_MAX_LEVELS == X86_WALK_MAX_STEPS, "walk lengths agree");
static_assert((int)MMSIM_PAGING_HLAT == (int)X86_PAGING_HLAT, "paging kinds agree");
static_assert((int)MMSIM_PAGING_HLAT_RESTART == (int)X86_PAGING_HLAT_RESTART, "paging kinds agree");

/* The TLB's walk hook: keeps the walk so that mmsim_mmu_access() can show its levels. */
static void keep_walk(void *ctx, vaddr_t va, const struct x86_walk_result *w)
{
	struct mmsim_mmu *mmu = ctx;

	(void)va;
	mmu->last_walk = *w;
	mmu->walked = true;
}

/* A TLB from spec into *out, told of every walk. 0, -EINVAL (with err) or -ENOMEM. */
static int make_tlb(struct mmsim_mmu *mmu, const char *spec, struct tlb **out,
		    struct mmsim_error *err)
{
	struct tlb_config cfg;
	int rc = tlb_config_parse(spec, &cfg, err);

	if (rc)
		return rc;
	rc = tlb_create(&cfg, out);
	if (rc)
		return mmsim_error_set(err, rc, "out of host memory for the TLB");
	tlb_set_walk_hook(*out, keep_walk, mmu);
	return 0;
}

/* The parts both constructors share, once mmu->pm is set up. Frees mmu on failure. */
static int finish_create(struct mmsim_mmu *mmu, struct mmsim_mmu **out)
{
	mmu->cpu = (struct x86_cpu){ .levels = 4, .maxphyaddr = 46, .wp = true, .nxe = true };
	mmu->next_table_pfn = physmem_nr_pfns(&mmu->pm);
	if (make_tlb(mmu, "off", &mmu->tlb, NULL)) {
		physmem_fini(&mmu->pm);
		free(mmu);
		return -ENOMEM;
	}
	*out = mmu;
	return 0;
}

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
	return finish_create(mmu, out);
}

int mmsim_mmu_create_phys(const struct mmsim_phys_ops *ops, struct mmsim_mmu **out)
{
	struct mmsim_mmu *mmu;
	int err;

	if (!ops)
		return -EINVAL;
	mmu = calloc(1, sizeof(*mmu));
	if (!mmu)
		return -ENOMEM;
	err = physmem_init_ops(&mmu->pm, &(struct physmem_ops){ .read64 = ops->read64,
								.write64 = ops->write64,
								.ctx = ops->ctx });
	if (err) {
		free(mmu);
		return err;
	}
	mmu->alloc_table = ops->alloc_table;
	mmu->alloc_ctx = ops->ctx;
	return finish_create(mmu, out);
}

void mmsim_mmu_destroy(struct mmsim_mmu *mmu)
{
	if (!mmu)
		return;
	tlb_destroy(mmu->tlb);
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
	if (c->hlat_prefix_size > 64)
		return mmsim_error_set(err, -EINVAL, "hlat_prefix_size must be 0..64, not %u",
				       c->hlat_prefix_size);
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
		.pcide = c->pcide,
		.pge = c->pge,
		.hlat = c->hlat,
		.hlatp = c->hlatp,
		.hlat_prefix_size = c->hlat_prefix_size,
	};
	tlb_flush_all(mmu->tlb);
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
		.pcide = mmu->cpu.pcide,
		.pge = mmu->cpu.pge,
		.hlat = mmu->cpu.hlat,
		.hlatp = mmu->cpu.hlatp,
		.hlat_prefix_size = mmu->cpu.hlat_prefix_size,
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

void api_translation_from_walk(const struct x86_walk_result *w, struct mmsim_translation *out)
{
	const struct x86_walk_result r = *w;

	*out = (struct mmsim_translation){ 0 };
	out->fault = r.outcome == X86_WALK_OK	? MMSIM_FAULT_NONE
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
	out->paging = (enum mmsim_paging)r.paging;
	out->nr_hlat_levels = r.nr_hlat_steps;
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

void mmsim_mmu_translate(struct mmsim_mmu *mmu, uint64_t va, enum mmsim_access access, bool user,
			 struct mmsim_translation *out)
{
	struct x86_walk_result r;

	x86_walk(&mmu->cpu, &mmu->pm, va, (enum x86_access_kind)access, user, &r);
	api_translation_from_walk(&r, out);
}

int mmsim_mmu_set_tlb(struct mmsim_mmu *mmu, const char *spec, struct mmsim_error *err)
{
	struct tlb *fresh;
	int rc = make_tlb(mmu, spec ? spec : "off", &fresh, err);

	if (rc)
		return rc;
	tlb_destroy(mmu->tlb);
	mmu->tlb = fresh;
	return 0;
}

void mmsim_mmu_access(struct mmsim_mmu *mmu, uint64_t va, enum mmsim_access access, bool user,
		      struct mmsim_translation *out, enum mmsim_tlb_source *source)
{
	struct tlb_result r;

	mmu->walked = false;
	tlb_translate(mmu->tlb, &mmu->cpu, &mmu->pm, va, (enum x86_access_kind)access, user, &r);
	if (mmu->walked)
		api_translation_from_walk(&mmu->last_walk, out);
	else
		*out = (struct mmsim_translation){ 0 };
	/* The TLB's answer is the access's: a dirty assist or re-walk may follow a hit. */
	out->fault = r.outcome == X86_WALK_OK	? MMSIM_FAULT_NONE
		     : r.outcome == X86_WALK_PF ? MMSIM_FAULT_PF
						: MMSIM_FAULT_GP;
	out->pa = r.outcome == X86_WALK_OK ? r.pa : 0;
	out->page_shift = r.outcome == X86_WALK_OK ? r.page_shift : 0;
	out->error_code = r.outcome == X86_WALK_PF ? r.error_code : 0;
	out->cr2 = r.outcome == X86_WALK_PF ? r.cr2 : 0;
	if (source)
		*source = mmu->walked		   ? MMSIM_TLB_WALK
			  : r.source == TLB_SRC_L1 ? MMSIM_TLB_L1
			  : r.source == TLB_SRC_L2 ? MMSIM_TLB_L2
						   : MMSIM_TLB_WALK;
}

int mmsim_mmu_write_cr3(struct mmsim_mmu *mmu, uint64_t cr3)
{
	return tlb_write_cr3(mmu->tlb, &mmu->cpu, cr3) ? 0 : -EINVAL;
}

void mmsim_mmu_invlpg(struct mmsim_mmu *mmu, uint64_t va)
{
	tlb_invlpg(mmu->tlb, &mmu->cpu, va);
}

int mmsim_mmu_invpcid(struct mmsim_mmu *mmu, unsigned int type, uint64_t pcid, uint64_t va)
{
	return tlb_invpcid(mmu->tlb, &mmu->cpu, type, pcid, va) ? 0 : -EINVAL;
}

void mmsim_mmu_flush_tlb(struct mmsim_mmu *mmu)
{
	tlb_flush_all(mmu->tlb);
}

int mmsim_mmu_tlb_counter(const struct mmsim_mmu *mmu, const char *name, uint64_t *value_out)
{
	const struct tlb_stats *ts = tlb_get_stats(mmu->tlb);

	for (unsigned int i = 0; name && i < tlb_stat_count; i++) {
		if (!strcmp(name, tlb_stat_names[i].name)) {
			*value_out = tlb_stat_value(ts, i);
			return 0;
		}
	}
	return -ENOENT;
}

static int alloc_table(void *ctx, paddr_t *pa_out)
{
	struct mmsim_mmu *mmu = ctx;

	if (mmu->alloc_table) {
		uint64_t pa;
		int rc = mmu->alloc_table(mmu->alloc_ctx, &pa);

		if (rc)
			return rc < 0 ? rc : -ENOMEM;
		/* A frame the entry cannot name would be filed under another one. */
		if ((pa & (X86_PAGE_SIZE - 1)) || (pa >> mmu->cpu.maxphyaddr))
			return -EINVAL;
		physmem_zero_frame(&mmu->pm, X86_PADDR_TO_PFN(pa));
		*pa_out = pa;
		return 0;
	}
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
	/* The leaf's address field (SDM 3A tables 4-18 to 4-20): bits page_shift up to
	 * MAXPHYADDR-1; flags there would name another frame. */
	const uint64_t addr_field =
		x86_pte_addr_mask(mmu->cpu.maxphyaddr) & ~((UINT64_C(1) << (page_shift & 63)) - 1);
	const struct x86_pt_ctx ctx = {
		.pm = &mmu->pm,
		.levels = mmu->cpu.levels,
		.maxphyaddr = mmu->cpu.maxphyaddr,
		.root = x86_cr3_root(&mmu->cpu),
		.alloc = &alloc,
	};

	/* The builder indexes by the low 48/57 bits: a non-canonical va (a #GP, SDM 3A §4.5)
	 * would land on its canonical alias; a frame above MAXPHYADDR would lose its top bits. */
	if (!x86_canonical(&mmu->cpu, va) || (pa >> mmu->cpu.maxphyaddr) ||
	    (leaf_flags & addr_field))
		return -EINVAL;
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

static const char *level_name(unsigned int level)
{
	static const char *const names[] = { "?", "PTE", "PDE", "PDPTE", "PML4E", "PML5E" };

	return level <= 5 ? names[level] : "?";
}

static const char *size_name(unsigned int shift)
{
	return shift == 30 ? "1 GiB" : shift == 21 ? "2 MiB" : "4 KiB";
}

static void print_indices(struct strbuf *sb, uint64_t va, unsigned int levels)
{
	static const char *const tname[] = { "", "PT", "PD", "PDPT", "PML4", "PML5" };

	strbuf_printf(sb, "  indices:");
	for (unsigned int l = levels; l >= 1; l--)
		strbuf_printf(sb, " %s %u", tname[l],
			      (unsigned int)(va >> (12 + 9 * (l - 1))) & 511);
	strbuf_printf(sb, ", offset 0x%03" PRIx64 "\n", va & 0xfff);
}

int mmsim_translation_text(const struct mmsim_translation *t, uint64_t va, unsigned int levels,
			   enum mmsim_access acc, bool user, char **text_out)
{
	static const char *const acc_name[] = { "read", "write", "fetch" };
	char flags[128];
	struct strbuf sbuf, *sb = &sbuf;

	if ((unsigned int)acc > MMSIM_ACCESS_FETCH || (levels != 4 && levels != 5))
		return -EINVAL;
	strbuf_init(sb);

	strbuf_printf(sb, "walk 0x%016" PRIx64 ": %s, %s mode, %u-level paging\n", va,
		      acc_name[acc], user ? "user" : "supervisor", levels);
	if (t->fault == MMSIM_FAULT_GP) {
		strbuf_printf(
			sb,
			"  -> #GP: the address is not canonical (bits %u..63 must all equal bit "
			"%u); no walk happens\n\n",
			levels == 5 ? 57 : 48, levels == 5 ? 56 : 47);
		goto out;
	}
	print_indices(sb, va, levels);
	for (unsigned int i = 0; i < t->nr_levels; i++) {
		const struct mmsim_walk_level *l = &t->levels[i];

		if (i == 0 && t->paging != MMSIM_PAGING_ORDINARY)
			strbuf_printf(sb, "  HLAT paging, from HLATP:\n");
		if (i == t->nr_hlat_levels && t->paging == MMSIM_PAGING_HLAT_RESTART)
			strbuf_printf(sb,
				      "  restart bit (11) set: HLAT paging ends; ordinary paging, "
				      "from CR3:\n");
		mmsim_mmu_describe_entry(l->entry, l->level, flags, sizeof(flags));
		strbuf_printf(sb,
			      "  %-6s table 0x%012" PRIx64 " [%3u] entry 0x%016" PRIx64 "  %s\n",
			      level_name(l->level), l->table, l->index, l->entry, flags);
		if (l->written != l->entry)
			strbuf_printf(sb, "  %-6s %28s now 0x%016" PRIx64 "  (the walk set %s)\n",
				      "", "", l->written,
				      ((l->written ^ l->entry) & X86_PTE_D) ? "A and D" : "A");
	}
	if (t->fault == MMSIM_FAULT_NONE) {
		strbuf_printf(sb,
			      "  -> physical address 0x%" PRIx64 " (%s page, frame 0x%" PRIx64
			      "); rights %s%s%s\n\n",
			      t->pa, size_name(t->page_shift), t->pa >> 12,
			      t->user ? "user " : "supervisor ", t->writable ? "rw" : "r-",
			      t->executable ? "x" : "-");
	} else {
		mmsim_mmu_describe_error(t->error_code, flags, sizeof(flags));
		strbuf_printf(sb, "  -> #PF error code 0x%x: %s; CR2 = 0x%" PRIx64 "\n\n",
			      t->error_code, flags, t->cr2);
	}
out:
	if (sb->failed) {
		strbuf_fini(sb);
		return -ENOMEM;
	}
	*text_out = sb->buf ? sb->buf : strdup("");
	return *text_out ? 0 : -ENOMEM;
}
