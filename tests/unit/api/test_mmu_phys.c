/*
 * tests/unit/api/test_mmu_phys.c: the stand-alone MMU over the caller's memory
 * (mmsim_mmu_create_phys(), issue 18). On every case of the committed walk vectors, an MMU
 * whose page tables live in this test's own store (reached only through read64/write64)
 * must give exactly what the MMU over mmsim's own memory gives: outcome, address, error
 * code, every level read and written, and the same memory afterwards. mmsim_mmu_access()
 * with the TLB off must equal the walk; with a TLB, a repeat of an access that translated
 * must hit without reading memory. Table building goes through the caller's alloc_table.
 */
#include <criterion/criterion.h>
#include <cjson/cJSON.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mmsim/error.h"
#include "mmsim/mmu.h"

/* The "emulator's" memory: a list of 8-byte words; absent words read 0 (so writing 0 to
 * one, as zeroing a new table does, need not add it). */
#define STORE_MAX 256

struct store {
	unsigned int n;
	uint64_t pa[STORE_MAX], val[STORE_MAX];
	unsigned long reads, writes;
	uint64_t next_table; /* alloc_table hands out frames upward from here */
};

static uint64_t *slot(struct store *s, uint64_t pa, bool create)
{
	for (unsigned int i = 0; i < s->n; i++)
		if (s->pa[i] == pa)
			return &s->val[i];
	if (!create)
		return NULL;
	cr_assert_lt(s->n, STORE_MAX, "store full");
	s->pa[s->n] = pa;
	s->val[s->n] = 0;
	return &s->val[s->n++];
}

static uint64_t store_read64(void *ctx, uint64_t pa)
{
	struct store *s = ctx;
	uint64_t *v = slot(s, pa, false);

	cr_assert_eq(pa & 7, 0, "unaligned read 0x%" PRIx64, pa);
	s->reads++;
	return v ? *v : 0;
}

static void store_write64(void *ctx, uint64_t pa, uint64_t value)
{
	struct store *s = ctx;

	cr_assert_eq(pa & 7, 0, "unaligned write 0x%" PRIx64, pa);
	s->writes++;
	if (value || slot(s, pa, false))
		*slot(s, pa, true) = value;
}

static int store_alloc_table(void *ctx, uint64_t *pa_out)
{
	struct store *s = ctx;

	*pa_out = s->next_table;
	s->next_table += 0x1000;
	return 0;
}

static uint64_t hex(const cJSON *o, const char *name)
{
	const cJSON *it = name ? cJSON_GetObjectItemCaseSensitive(o, name) : o;

	cr_assert(cJSON_IsString(it), "field %s", name ? name : "?");
	return strtoull(it->valuestring, NULL, 16);
}

static bool flag(const cJSON *o, const char *name)
{
	return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, name));
}

static void same_translation(const struct mmsim_translation *a, const struct mmsim_translation *b,
			     const char *id)
{
	cr_expect_eq(a->fault, b->fault, "%s: fault", id);
	cr_expect_eq(a->pa, b->pa, "%s: pa", id);
	cr_expect_eq(a->page_shift, b->page_shift, "%s: page_shift", id);
	cr_expect_eq(a->error_code, b->error_code, "%s: error code", id);
	cr_expect_eq(a->cr2, b->cr2, "%s: cr2", id);
	cr_expect_eq(a->user, b->user, "%s: user", id);
	cr_expect_eq(a->writable, b->writable, "%s: writable", id);
	cr_expect_eq(a->executable, b->executable, "%s: executable", id);
	cr_assert_eq(a->nr_levels, b->nr_levels, "%s: levels", id);
	for (unsigned int i = 0; i < a->nr_levels; i++) {
		cr_expect_eq(a->levels[i].level, b->levels[i].level, "%s: level %u", id, i);
		cr_expect_eq(a->levels[i].table, b->levels[i].table, "%s: table %u", id, i);
		cr_expect_eq(a->levels[i].index, b->levels[i].index, "%s: index %u", id, i);
		cr_expect_eq(a->levels[i].entry, b->levels[i].entry, "%s: entry %u", id, i);
		cr_expect_eq(a->levels[i].written, b->levels[i].written, "%s: written %u", id, i);
	}
}

/* One vector case: the same access on mmsim's memory, on the store, and through the TLB. */
static void run_case(const cJSON *c, unsigned int *nr_ok, unsigned int *nr_pf)
{
	const char *id = cJSON_GetObjectItemCaseSensitive(c, "id")->valuestring;
	const cJSON *cpu = cJSON_GetObjectItemCaseSensitive(c, "cpu");
	const cJSON *mem = cJSON_GetObjectItemCaseSensitive(c, "mem");
	const cJSON *acc = cJSON_GetObjectItemCaseSensitive(c, "access");
	const char *op = cJSON_GetObjectItemCaseSensitive(acc, "op")->valuestring;
	struct mmsim_cpu_state st = {
		.levels = (unsigned int)cJSON_GetObjectItemCaseSensitive(cpu, "levels")->valueint,
		.maxphyaddr =
			(unsigned int)cJSON_GetObjectItemCaseSensitive(cpu, "maxphyaddr")->valueint,
		.cr3 = hex(cpu, "cr3"),
		.wp = flag(cpu, "wp"),
		.nxe = flag(cpu, "nxe"),
		.smep = flag(cpu, "smep"),
		.smap = flag(cpu, "smap"),
		.ac = flag(cpu, "ac"),
		.pke = flag(cpu, "pke"),
		.pkru = (uint32_t)hex(cpu, "pkru"),
	};
	enum mmsim_access kind = op[0] == 'r'	? MMSIM_ACCESS_READ
				 : op[0] == 'w' ? MMSIM_ACCESS_WRITE
						: MMSIM_ACCESS_FETCH;
	bool user = cJSON_GetObjectItemCaseSensitive(acc, "cpl")->valueint == 3;
	uint64_t va = hex(acc, "va");
	struct store s = { 0 }, s2 = { 0 };
	struct mmsim_phys_ops ops = { .read64 = store_read64, .write64 = store_write64, .ctx = &s };
	struct mmsim_phys_ops ops2 = { .read64 = store_read64,
				       .write64 = store_write64,
				       .ctx = &s2 };
	struct mmsim_mmu *own, *cb, *tlb;
	struct mmsim_translation t_own, t_cb, t_tlb, t_again;
	enum mmsim_tlb_source src;
	const cJSON *it;

	cr_assert_eq(mmsim_mmu_create(0, true, &own), 0);
	cr_assert_eq(mmsim_mmu_create_phys(&ops, &cb), 0);
	cr_assert_eq(mmsim_mmu_create_phys(&ops2, &tlb), 0);
	cr_assert_eq(mmsim_mmu_set_cpu(own, &st, NULL), 0, "%s", id);
	cr_assert_eq(mmsim_mmu_set_cpu(cb, &st, NULL), 0);
	cr_assert_eq(mmsim_mmu_set_cpu(tlb, &st, NULL), 0);
	cJSON_ArrayForEach(it, mem)
	{
		uint64_t pa = strtoull(it->string, NULL, 16), v = hex(it, NULL);

		mmsim_mmu_write64(own, pa, v);
		*slot(&s, pa, true) = v;
		*slot(&s2, pa, true) = v;
	}
	mmsim_mmu_translate(own, va, kind, user, &t_own);
	mmsim_mmu_translate(cb, va, kind, user, &t_cb);
	same_translation(&t_own, &t_cb, id);
	/* Memory afterwards: every word of the store as mmsim's own memory has it. */
	for (unsigned int i = 0; i < s.n; i++)
		cr_expect_eq(s.val[i], mmsim_mmu_read64(own, s.pa[i]), "%s: word 0x%" PRIx64, id,
			     s.pa[i]);
	if (t_own.fault != MMSIM_FAULT_GP)
		cr_expect_gt(s.reads, 0, "%s: the walk never read the caller's memory", id);

	/* The TLB path with the TLB off is the walk. */
	mmsim_mmu_access(tlb, va, kind, user, &t_tlb, &src);
	same_translation(&t_own, &t_tlb, id);
	cr_expect_eq(src, MMSIM_TLB_WALK);

	/* With a TLB: a translated access repeated hits and reads no memory. */
	if (t_own.fault == MMSIM_FAULT_NONE) {
		unsigned long reads;

		cr_assert_eq(mmsim_mmu_set_tlb(tlb, "skylake", NULL), 0);
		mmsim_mmu_access(tlb, va, kind, user, &t_tlb, &src);
		reads = s2.reads;
		mmsim_mmu_access(tlb, va, kind, user, &t_again, &src);
		cr_expect_eq(src, MMSIM_TLB_L1, "%s: the repeat missed", id);
		cr_expect_eq(s2.reads, reads, "%s: a hit read memory", id);
		cr_expect_eq(t_again.pa, t_own.pa, "%s", id);
		cr_expect_eq(t_again.nr_levels, 0);
		(*nr_ok)++;
	} else if (t_own.fault == MMSIM_FAULT_PF) {
		(*nr_pf)++;
	}
	mmsim_mmu_destroy(own);
	mmsim_mmu_destroy(cb);
	mmsim_mmu_destroy(tlb);
}

static char *slurp(const char *rel)
{
	const char *here = __FILE__, *cut = strstr(here, "tests/unit/api/");
	char path[1024], *text;
	FILE *f;
	long n;

	cr_assert(cut);
	snprintf(path, sizeof(path), "%.*s%s", (int)(cut - here), here, rel);
	f = fopen(path, "rb");
	cr_assert(f, "cannot open %s", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	text = calloc(1, (size_t)n + 1);
	cr_assert(text);
	cr_assert_eq(fread(text, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	return text;
}

Test(mmu_phys, walk_vectors_agree_with_own_memory)
{
	char *text = slurp("tests/vectors/x86walk-sample-50.jsonl");
	unsigned int nr = 0, nr_ok = 0, nr_pf = 0;

	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		cJSON *c = cJSON_Parse(line);

		cr_assert(c, "vector line %u does not parse", nr + 1);
		run_case(c, &nr_ok, &nr_pf);
		cJSON_Delete(c);
		nr++;
	}
	free(text);
	cr_expect_eq(nr, 50);
	/* The sample has both outcomes, so both paths were compared. */
	cr_expect_gt(nr_ok, 0);
	cr_expect_gt(nr_pf, 0);
}

Test(mmu_phys, callbacks_required)
{
	struct mmsim_phys_ops ops = { .read64 = store_read64 };
	struct mmsim_mmu *mmu;

	cr_expect_eq(mmsim_mmu_create_phys(&ops, &mmu), -EINVAL);
	cr_expect_eq(mmsim_mmu_create_phys(NULL, &mmu), -EINVAL);
}

/* mmsim_mmu_map() over the caller's memory takes the caller's table frames, zeroes them through
 * write64, and the result translates as the same map on mmsim's own memory. */
Test(mmu_phys, map_through_alloc_table)
{
	struct store s = { .next_table = 0x10000 };
	struct mmsim_phys_ops ops = { .read64 = store_read64,
				      .write64 = store_write64,
				      .alloc_table = store_alloc_table,
				      .ctx = &s };
	struct store s_bare = { 0 };
	struct mmsim_phys_ops no_alloc = { .read64 = store_read64,
					   .write64 = store_write64,
					   .ctx = &s_bare };
	struct mmsim_mmu *cb, *own, *bare;
	struct mmsim_cpu_state st;
	struct mmsim_translation a, b;
	uint64_t root;
	const uint64_t rw_user = MMSIM_PTE_RW | MMSIM_PTE_US;

	cr_assert_eq(mmsim_mmu_create_phys(&ops, &cb), 0);
	cr_assert_eq(mmsim_mmu_create(UINT64_C(1) << 20, false, &own), 0);
	cr_assert_eq(mmsim_mmu_alloc_table(cb, &root), 0);
	cr_expect_eq(root, 0x10000);
	mmsim_mmu_get_cpu(cb, &st);
	st.cr3 = root;
	cr_assert_eq(mmsim_mmu_set_cpu(cb, &st, NULL), 0);
	cr_assert_eq(mmsim_mmu_alloc_table(own, &st.cr3), 0);
	cr_assert_eq(mmsim_mmu_set_cpu(own, &st, NULL), 0);
	cr_assert_eq(mmsim_mmu_map(cb, 0x7f0000001000, 0x5000, 12, rw_user), 0);
	cr_assert_eq(mmsim_mmu_map(own, 0x7f0000001000, 0x5000, 12, rw_user), 0);
	cr_expect_eq(s.next_table, 0x10000 + 4 * 0x1000, "PDPT, PD and PT allocated");
	cr_expect_eq(mmsim_mmu_map(cb, 0x7f0000001000, 0x6000, 12, rw_user), -EEXIST);
	mmsim_mmu_translate(cb, 0x7f0000001abc, MMSIM_ACCESS_WRITE, true, &a);
	mmsim_mmu_translate(own, 0x7f0000001abc, MMSIM_ACCESS_WRITE, true, &b);
	cr_expect_eq(a.fault, MMSIM_FAULT_NONE);
	cr_expect_eq(a.pa, 0x5abc);
	cr_expect_eq(b.pa, 0x5abc);
	cr_expect_eq(a.nr_levels, b.nr_levels);
	/* The leaf in the caller's memory has A and D now. */
	cr_expect_eq(a.levels[3].written & (MMSIM_PTE_A | MMSIM_PTE_D), MMSIM_PTE_A | MMSIM_PTE_D);
	cr_expect_eq(*slot(&s, a.levels[3].table + 8 * a.levels[3].index, false),
		     a.levels[3].written);

	cr_assert_eq(mmsim_mmu_create_phys(&no_alloc, &bare), 0);
	cr_expect_eq(mmsim_mmu_map(bare, 0x1000, 0x1000, 12, rw_user), -ENOMEM);
	mmsim_mmu_destroy(bare);
	mmsim_mmu_destroy(cb);
	mmsim_mmu_destroy(own);
}

/* TLB maintenance through the API: a stale entry survives a PTE change until INVLPG, a
 * CR3 write drops non-global entries but keeps global ones (CR4.PGE), and the counters. */
Test(mmu_phys, tlb_maintenance)
{
	struct store s = { .next_table = 0x10000 };
	struct mmsim_phys_ops ops = { .read64 = store_read64,
				      .write64 = store_write64,
				      .alloc_table = store_alloc_table,
				      .ctx = &s };
	struct mmsim_mmu *mmu;
	struct mmsim_cpu_state st;
	struct mmsim_translation t;
	enum mmsim_tlb_source src;
	uint64_t root, v;

	cr_assert_eq(mmsim_mmu_create_phys(&ops, &mmu), 0);
	cr_assert_eq(mmsim_mmu_alloc_table(mmu, &root), 0);
	mmsim_mmu_get_cpu(mmu, &st);
	st.cr3 = root;
	st.pge = true;
	cr_assert_eq(mmsim_mmu_set_cpu(mmu, &st, NULL), 0);
	cr_assert_eq(mmsim_mmu_set_tlb(mmu, "skylake", NULL), 0);
	cr_assert_eq(mmsim_mmu_map(mmu, 0x1000, 0x8000, 12, MMSIM_PTE_RW | MMSIM_PTE_US), 0);
	cr_assert_eq(mmsim_mmu_map(mmu, 0x2000, 0x9000, 12, MMSIM_PTE_RW | MMSIM_PTE_G), 0);

	mmsim_mmu_access(mmu, 0x1010, MMSIM_ACCESS_READ, true, &t, &src);
	cr_expect_eq(src, MMSIM_TLB_WALK);
	mmsim_mmu_access(mmu, 0x2010, MMSIM_ACCESS_READ, false, &t, &src);
	cr_expect_eq(src, MMSIM_TLB_WALK);
	cr_expect_eq(t.pa, 0x9010);
	/* Unmap 0x1000 behind the TLB's back: still translated until INVLPG. */
	mmsim_mmu_translate(mmu, 0x1010, MMSIM_ACCESS_READ, true, &t);
	*slot(&s, t.levels[3].table + 8 * t.levels[3].index, false) = 0;
	mmsim_mmu_access(mmu, 0x1010, MMSIM_ACCESS_READ, true, &t, &src);
	cr_expect_eq(src, MMSIM_TLB_L1);
	cr_expect_eq(t.pa, 0x8010);
	mmsim_mmu_invlpg(mmu, 0x1000);
	mmsim_mmu_access(mmu, 0x1010, MMSIM_ACCESS_READ, true, &t, &src);
	cr_expect_eq(t.fault, MMSIM_FAULT_PF);
	cr_expect_eq(t.error_code, MMSIM_PFEC_U);
	/* A CR3 write keeps the global 0x2000 (served from the TLB). */
	cr_expect_eq(mmsim_mmu_write_cr3(mmu, root), 0);
	mmsim_mmu_access(mmu, 0x2010, MMSIM_ACCESS_READ, false, &t, &src);
	cr_expect_neq(src, MMSIM_TLB_WALK, "the global entry did not survive MOV to CR3");
	mmsim_mmu_flush_tlb(mmu);
	mmsim_mmu_access(mmu, 0x2010, MMSIM_ACCESS_READ, false, &t, &src);
	cr_expect_eq(src, MMSIM_TLB_WALK);
	/* Bit 63 without CR4.PCIDE is a #GP: refused, nothing changed. */
	cr_expect_eq(mmsim_mmu_write_cr3(mmu, root | (UINT64_C(1) << 63)), -EINVAL);
	cr_expect_eq(mmsim_mmu_invpcid(mmu, 4, 0, 0), -EINVAL);
	cr_assert_eq(mmsim_mmu_tlb_counter(mmu, "dTLB-loads", &v), 0);
	cr_expect_eq(v, 6);
	cr_assert_eq(mmsim_mmu_tlb_counter(mmu, "invlpg", &v), 0);
	cr_expect_eq(v, 1);
	cr_expect_eq(mmsim_mmu_tlb_counter(mmu, "nosuch", &v), -ENOENT);
	cr_expect_eq(mmsim_mmu_set_tlb(mmu, "dtlb4k:3x2", NULL), -EINVAL);
	mmsim_mmu_destroy(mmu);
}
