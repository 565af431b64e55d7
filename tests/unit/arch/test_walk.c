/*
 * tests/unit/arch/test_walk.c: the page walker, rule by rule (Intel SDM Vol. 3A §4.5-§4.8).
 *
 * Each test builds a tiny hierarchy by hand in sparse physical memory: PML4 at 0x1000, PDPT
 * at 0x2000, PD at 0x3000, PT at 0x4000 (PML5 at 0x5000 for 5-level), mapping the address
 * VA below, so the expected outcome can be worked out from the SDM alone.
 */
#include <criterion/criterion.h>

#include "arch/x86_64/cr.h"
#include "arch/x86_64/pfec.h"
#include "arch/x86_64/physmem.h"
#include "arch/x86_64/pte.h"
#include "arch/x86_64/walk.h"
#include "util/macros.h"

#define VA UINT64_C(0x00007f1234567abc)
#define TBL (X86_PTE_P | X86_PTE_RW | X86_PTE_US)
#define FRAME UINT64_C(0xabcde000)

struct fix {
	struct physmem pm;
	struct x86_cpu cpu;
};

static paddr_t ea(paddr_t table, unsigned int level)
{
	return table + 8 * (paddr_t)x86_pt_index(VA, level);
}

/* PML4 -> PDPT -> PD -> PT -> FRAME with the given leaf flags; tables fully permissive. */
static void build4k(struct fix *f, uint64_t leaf)
{
	cr_assert_eq(physmem_init(&f->pm, 0, true), 0);
	f->cpu = (struct x86_cpu){
		.levels = 4, .maxphyaddr = 40, .cr3 = 0x1000, .wp = true, .nxe = true
	};
	physmem_write64(&f->pm, ea(0x1000, 4), 0x2000 | TBL);
	physmem_write64(&f->pm, ea(0x2000, 3), 0x3000 | TBL);
	physmem_write64(&f->pm, ea(0x3000, 2), 0x4000 | TBL);
	physmem_write64(&f->pm, ea(0x4000, 1), FRAME | X86_PTE_P | leaf);
}

/* The address of build4k()'s entry at level (4: the PML4E, ..., 1: the PTE). */
static paddr_t entry4k(unsigned int level)
{
	static const paddr_t tables[5] = { 0, 0x4000, 0x3000, 0x2000, 0x1000 };

	return ea(tables[level], level);
}

/* Clears, then sets, bits of build4k()'s entry at level. */
static void entry4k_edit(struct fix *f, unsigned int level, uint64_t clear, uint64_t set)
{
	paddr_t a = entry4k(level);

	physmem_write64(&f->pm, a, (physmem_read64(&f->pm, a) & ~clear) | set);
}

static struct x86_walk_result walk(struct fix *f, enum x86_access_kind k, bool user)
{
	struct x86_walk_result r;

	x86_walk(&f->cpu, &f->pm, VA, k, user, &r);
	return r;
}

static void expect_pf(struct fix *f, enum x86_access_kind k, bool user, uint32_t ec)
{
	struct x86_walk_result r = walk(f, k, user);

	cr_assert_eq(r.outcome, X86_WALK_PF, "expected #PF for kind %d user %d", k, user);
	cr_assert_eq(r.error_code, ec, "error code 0x%x, want 0x%x", r.error_code, ec);
	cr_assert_eq(r.cr2, VA);
}

static void expect_ok(struct fix *f, enum x86_access_kind k, bool user)
{
	struct x86_walk_result r = walk(f, k, user);

	cr_assert_eq(r.outcome, X86_WALK_OK, "expected success for kind %d user %d (ec 0x%x)", k,
		     user, r.error_code);
}

Test(walk, translates_4k_and_sets_accessed_everywhere)
{
	struct fix f;
	struct x86_walk_result r;

	build4k(&f, X86_PTE_RW | X86_PTE_US);
	r = walk(&f, X86_ACCESS_READ, true);
	cr_assert_eq(r.outcome, X86_WALK_OK);
	cr_assert_eq(r.pa, FRAME | (VA & 0xfff));
	cr_assert_eq(r.page_shift, 12);
	cr_assert_eq(r.nr_steps, 4);
	cr_assert(x86_pte_accessed(physmem_read64(&f.pm, ea(0x1000, 4))));
	cr_assert(x86_pte_accessed(physmem_read64(&f.pm, ea(0x2000, 3))));
	cr_assert(x86_pte_accessed(physmem_read64(&f.pm, ea(0x3000, 2))));
	cr_assert(x86_pte_accessed(physmem_read64(&f.pm, ea(0x4000, 1))));
	cr_assert_not(x86_pte_dirty(physmem_read64(&f.pm, ea(0x4000, 1))), "a read sets no D");
	physmem_fini(&f.pm);
}

Test(walk, write_sets_dirty_on_leaf_only)
{
	struct fix f;

	build4k(&f, X86_PTE_RW | X86_PTE_US);
	expect_ok(&f, X86_ACCESS_WRITE, true);
	cr_assert(x86_pte_dirty(physmem_read64(&f.pm, ea(0x4000, 1))));
	cr_assert_not(x86_pte_dirty(physmem_read64(&f.pm, ea(0x3000, 2))), "no D on a non-leaf");
	physmem_fini(&f.pm);
}

Test(walk, not_present_at_each_level)
{
	for (unsigned int level = 4; level >= 1; level--) {
		struct fix f;

		build4k(&f, X86_PTE_RW | X86_PTE_US);
		entry4k_edit(&f, level, UINT64_MAX, 0);
		expect_pf(&f, X86_ACCESS_WRITE, true, X86_PFEC_W | X86_PFEC_U);
		/* Levels above the missing one were used, so they got A (walk.h's rule). */
		for (unsigned int up = 4; up > level; up--)
			cr_assert(x86_pte_accessed(physmem_read64(&f.pm, entry4k(up))));
		physmem_fini(&f.pm);
	}
}

Test(walk, user_needs_us_at_every_level)
{
	for (unsigned int level = 4; level >= 1; level--) {
		struct fix f;

		build4k(&f, X86_PTE_RW | X86_PTE_US);
		entry4k_edit(&f, level, X86_PTE_US, 0);
		expect_pf(&f, X86_ACCESS_READ, true, X86_PFEC_P | X86_PFEC_U);
		expect_ok(&f, X86_ACCESS_READ, false);
		physmem_fini(&f.pm);
	}
}

Test(walk, faulting_leaf_gets_no_accessed_bit)
{
	struct fix f;

	build4k(&f, X86_PTE_US); /* read-only */
	expect_pf(&f, X86_ACCESS_WRITE, true, X86_PFEC_P | X86_PFEC_W | X86_PFEC_U);
	cr_assert_not(x86_pte_accessed(physmem_read64(&f.pm, ea(0x4000, 1))));
	cr_assert(x86_pte_accessed(physmem_read64(&f.pm, ea(0x3000, 2))));
	physmem_fini(&f.pm);
}

Test(walk, writes_need_rw_at_every_level_and_wp_binds_supervisor)
{
	for (unsigned int level = 4; level >= 1; level--) {
		struct fix f;

		build4k(&f, X86_PTE_RW | X86_PTE_US);
		entry4k_edit(&f, level, X86_PTE_RW, 0);
		expect_pf(&f, X86_ACCESS_WRITE, true, X86_PFEC_P | X86_PFEC_W | X86_PFEC_U);
		f.cpu.wp = true;
		f.cpu.smap = false;
		expect_pf(&f, X86_ACCESS_WRITE, false, X86_PFEC_P | X86_PFEC_W);
		f.cpu.wp = false;
		expect_ok(&f, X86_ACCESS_WRITE, false);
		expect_pf(&f, X86_ACCESS_WRITE, true, X86_PFEC_P | X86_PFEC_W | X86_PFEC_U);
		physmem_fini(&f.pm);
	}
}

Test(walk, xd_blocks_fetch_only_with_nxe)
{
	struct fix f;

	build4k(&f, X86_PTE_RW | X86_PTE_US | X86_PTE_XD);
	expect_ok(&f, X86_ACCESS_READ, true);
	expect_pf(&f, X86_ACCESS_FETCH, true, X86_PFEC_P | X86_PFEC_U | X86_PFEC_I);
	expect_pf(&f, X86_ACCESS_FETCH, false, X86_PFEC_P | X86_PFEC_I);
	/* Without NXE, bit 63 is reserved: RSVD fault on any access. */
	f.cpu.nxe = false;
	expect_pf(&f, X86_ACCESS_READ, true, X86_PFEC_P | X86_PFEC_U | X86_PFEC_RSVD);
	physmem_fini(&f.pm);
}

Test(walk, xd_in_a_non_leaf_blocks_fetch)
{
	struct fix f;

	build4k(&f, X86_PTE_RW | X86_PTE_US);
	physmem_write64(&f.pm, ea(0x2000, 3), 0x3000 | TBL | X86_PTE_XD);
	expect_pf(&f, X86_ACCESS_FETCH, true, X86_PFEC_P | X86_PFEC_U | X86_PFEC_I);
	expect_ok(&f, X86_ACCESS_WRITE, true);
	physmem_fini(&f.pm);
}

Test(walk, fetch_error_code_reports_i_only_with_nxe_or_smep)
{
	struct fix f;

	build4k(&f, X86_PTE_RW | X86_PTE_US);
	physmem_write64(&f.pm, ea(0x4000, 1), 0);
	f.cpu.nxe = false;
	f.cpu.smep = false;
	expect_pf(&f, X86_ACCESS_FETCH, true, X86_PFEC_U);
	f.cpu.smep = true;
	expect_pf(&f, X86_ACCESS_FETCH, true, X86_PFEC_U | X86_PFEC_I);
	f.cpu.smep = false;
	f.cpu.nxe = true;
	expect_pf(&f, X86_ACCESS_FETCH, true, X86_PFEC_U | X86_PFEC_I);
	physmem_fini(&f.pm);
}

Test(walk, smep_blocks_supervisor_fetch_from_user_pages)
{
	struct fix f;

	build4k(&f, X86_PTE_RW | X86_PTE_US);
	expect_ok(&f, X86_ACCESS_FETCH, false);
	f.cpu.smep = true;
	expect_pf(&f, X86_ACCESS_FETCH, false, X86_PFEC_P | X86_PFEC_I);
	expect_ok(&f, X86_ACCESS_READ, false); /* SMEP is about fetches only */
	expect_ok(&f, X86_ACCESS_FETCH, true); /* and about supervisor mode only */
	physmem_fini(&f.pm);
}

Test(walk, smap_blocks_supervisor_data_access_unless_ac)
{
	struct fix f;

	build4k(&f, X86_PTE_RW | X86_PTE_US);
	f.cpu.smap = true;
	expect_pf(&f, X86_ACCESS_READ, false, X86_PFEC_P);
	expect_pf(&f, X86_ACCESS_WRITE, false, X86_PFEC_P | X86_PFEC_W);
	f.cpu.wp = false; /* WP=0 does not lift SMAP */
	expect_pf(&f, X86_ACCESS_WRITE, false, X86_PFEC_P | X86_PFEC_W);
	f.cpu.ac = true;
	expect_ok(&f, X86_ACCESS_READ, false);
	expect_ok(&f, X86_ACCESS_WRITE, false);
	f.cpu.ac = false;
	expect_ok(&f, X86_ACCESS_FETCH, false); /* SMAP does not cover fetches */
	expect_ok(&f, X86_ACCESS_READ, true);
	physmem_fini(&f.pm);
}

Test(walk, supervisor_pages_are_not_subject_to_smap_or_smep)
{
	struct fix f;

	build4k(&f, X86_PTE_RW);
	f.cpu.smap = true;
	f.cpu.smep = true;
	expect_ok(&f, X86_ACCESS_READ, false);
	expect_ok(&f, X86_ACCESS_FETCH, false);
	physmem_fini(&f.pm);
}

Test(walk, protection_keys)
{
	struct fix f;

	build4k(&f, x86_pte_set_pkey(X86_PTE_RW | X86_PTE_US, 5));
	f.cpu.pke = true;
	f.cpu.pkru = 1u << (2 * 5); /* AD for key 5 */
	expect_pf(&f, X86_ACCESS_READ, true, X86_PFEC_P | X86_PFEC_U | X86_PFEC_PK);
	expect_pf(&f, X86_ACCESS_READ, false, X86_PFEC_P | X86_PFEC_PK); /* supervisor too */
	expect_ok(&f, X86_ACCESS_FETCH, true); /* keys never block fetches */
	f.cpu.pkru = 2u << (2 * 5);	       /* WD for key 5 */
	expect_ok(&f, X86_ACCESS_READ, true);
	expect_pf(&f, X86_ACCESS_WRITE, true, X86_PFEC_P | X86_PFEC_W | X86_PFEC_U | X86_PFEC_PK);
	expect_pf(&f, X86_ACCESS_WRITE, false, X86_PFEC_P | X86_PFEC_W | X86_PFEC_PK);
	f.cpu.wp = false; /* WD binds supervisor writes only with WP */
	expect_ok(&f, X86_ACCESS_WRITE, false);
	f.cpu.pkru = 3u << (2 * 4); /* other keys don't matter */
	f.cpu.wp = true;
	expect_ok(&f, X86_ACCESS_WRITE, true);
	f.cpu.pke = false; /* without CR4.PKE the key bits are ignored */
	f.cpu.pkru = UINT32_MAX;
	expect_ok(&f, X86_ACCESS_WRITE, true);
	physmem_fini(&f.pm);
}

Test(walk, pk_flag_is_reported_even_when_rw_also_denies)
{
	struct fix f;

	build4k(&f, x86_pte_set_pkey(X86_PTE_US, 1)); /* read-only, key 1 */
	f.cpu.pke = true;
	f.cpu.pkru = 2u << 2; /* WD1 */
	expect_pf(&f, X86_ACCESS_WRITE, true, X86_PFEC_P | X86_PFEC_W | X86_PFEC_U | X86_PFEC_PK);
	physmem_fini(&f.pm);
}

Test(walk, keys_do_not_apply_to_supervisor_pages)
{
	struct fix f;

	build4k(&f, x86_pte_set_pkey(X86_PTE_RW, 2));
	f.cpu.pke = true;
	f.cpu.pkru = UINT32_MAX;
	expect_ok(&f, X86_ACCESS_WRITE, false);
	physmem_fini(&f.pm);
}

Test(walk, reserved_address_bits_above_maxphyaddr)
{
	for (unsigned int level = 4; level >= 1; level--) {
		struct fix f;

		build4k(&f, X86_PTE_RW | X86_PTE_US);
		entry4k_edit(&f, level, 0, UINT64_C(1) << 45);
		expect_pf(&f, X86_ACCESS_READ, true, X86_PFEC_P | X86_PFEC_U | X86_PFEC_RSVD);
		/* The same bit is an address bit when MAXPHYADDR is 46 or more. */
		f.cpu.maxphyaddr = 46;
		cr_assert_neq(walk(&f, X86_ACCESS_READ, true).error_code & X86_PFEC_RSVD,
			      X86_PFEC_RSVD);
		physmem_fini(&f.pm);
	}
}

Test(walk, reserved_bits_are_checked_before_rights)
{
	struct fix f;

	build4k(&f, X86_PTE_RW); /* supervisor page */
	physmem_write64(&f.pm, ea(0x4000, 1), FRAME | X86_PTE_P | (UINT64_C(1) << 50));
	expect_pf(&f, X86_ACCESS_READ, true, X86_PFEC_P | X86_PFEC_U | X86_PFEC_RSVD);
	physmem_fini(&f.pm);
}

Test(walk, ps_is_reserved_in_pml4e_and_pml5e)
{
	struct fix f;

	build4k(&f, X86_PTE_RW | X86_PTE_US);
	physmem_write64(&f.pm, ea(0x1000, 4), 0x2000 | TBL | X86_PTE_PS);
	expect_pf(&f, X86_ACCESS_READ, true, X86_PFEC_P | X86_PFEC_U | X86_PFEC_RSVD);
	physmem_fini(&f.pm);

	build4k(&f, X86_PTE_RW | X86_PTE_US);
	f.cpu.levels = 5;
	f.cpu.cr3 = 0x5000;
	physmem_write64(&f.pm, 0x5000 + 8 * (paddr_t)x86_pt_index(VA, 5),
			0x1000 | TBL | X86_PTE_PS);
	expect_pf(&f, X86_ACCESS_READ, true, X86_PFEC_P | X86_PFEC_U | X86_PFEC_RSVD);
	physmem_fini(&f.pm);
}

Test(walk, large_pages_2m_and_1g)
{
	struct fix f;
	struct x86_walk_result r;

	build4k(&f, 0);
	physmem_write64(&f.pm, ea(0x3000, 2), UINT64_C(0x40000000) | TBL | X86_PTE_PS);
	r = walk(&f, X86_ACCESS_WRITE, true);
	cr_assert_eq(r.outcome, X86_WALK_OK);
	cr_assert_eq(r.page_shift, 21);
	cr_assert_eq(r.pa, UINT64_C(0x40000000) | (VA & 0x1fffff));
	cr_assert_eq(r.nr_steps, 3);
	cr_assert(x86_pte_dirty(physmem_read64(&f.pm, ea(0x3000, 2))));

	physmem_write64(&f.pm, ea(0x2000, 3), UINT64_C(0x80000000) | TBL | X86_PTE_PS);
	r = walk(&f, X86_ACCESS_READ, true);
	cr_assert_eq(r.outcome, X86_WALK_OK);
	cr_assert_eq(r.page_shift, 30);
	cr_assert_eq(r.pa, UINT64_C(0x80000000) | (VA & 0x3fffffff));
	physmem_fini(&f.pm);
}

Test(walk, large_page_pat_bit_is_not_address)
{
	struct fix f;
	struct x86_walk_result r;

	build4k(&f, 0);
	physmem_write64(&f.pm, ea(0x3000, 2),
			UINT64_C(0x40000000) | TBL | X86_PTE_PS | X86_PTE_PATLARGE);
	r = walk(&f, X86_ACCESS_READ, true);
	cr_assert_eq(r.outcome, X86_WALK_OK);
	cr_assert_eq(r.pa, UINT64_C(0x40000000) | (VA & 0x1fffff));
	physmem_fini(&f.pm);
}

Test(walk, misaligned_large_pages_are_reserved_bit_faults)
{
	struct fix f;

	build4k(&f, 0);
	physmem_write64(&f.pm, ea(0x3000, 2), UINT64_C(0x40002000) | TBL | X86_PTE_PS);
	expect_pf(&f, X86_ACCESS_READ, true, X86_PFEC_P | X86_PFEC_U | X86_PFEC_RSVD);
	cr_assert_not(x86_pte_accessed(physmem_read64(&f.pm, ea(0x3000, 2))));
	physmem_fini(&f.pm);

	build4k(&f, 0);
	physmem_write64(&f.pm, ea(0x2000, 3), UINT64_C(0x40200000) | TBL | X86_PTE_PS);
	expect_pf(&f, X86_ACCESS_READ, true, X86_PFEC_P | X86_PFEC_U | X86_PFEC_RSVD);
	physmem_fini(&f.pm);
}

/* mmsim: QEMU 5.0 sets A on a 1 GiB leaf before checking rights; we follow the SDM's
 * "A only on a translation that is used" for every page size (docs/vectors.md). */
Test(walk, faulting_1g_leaf_gets_no_accessed_bit)
{
	struct fix f;

	build4k(&f, 0);
	physmem_write64(&f.pm, ea(0x2000, 3),
			UINT64_C(0x80000000) | X86_PTE_P | X86_PTE_US | X86_PTE_PS);
	expect_pf(&f, X86_ACCESS_WRITE, true, X86_PFEC_P | X86_PFEC_W | X86_PFEC_U);
	cr_assert_not(x86_pte_accessed(physmem_read64(&f.pm, ea(0x2000, 3))));
	cr_assert(x86_pte_accessed(physmem_read64(&f.pm, ea(0x1000, 4))));
	physmem_fini(&f.pm);
}

Test(walk, canonical_addresses_4_and_5_level)
{
	struct fix f;
	struct x86_walk_result r;

	build4k(&f, X86_PTE_RW | X86_PTE_US);
	x86_walk(&f.cpu, &f.pm, UINT64_C(0x0000800000000000), X86_ACCESS_READ, true, &r);
	cr_assert_eq(r.outcome, X86_WALK_GP);
	cr_assert_eq(r.nr_steps, 0, "no walk on #GP");
	x86_walk(&f.cpu, &f.pm, UINT64_C(0xffff800000000000), X86_ACCESS_READ, false, &r);
	cr_assert_eq(r.outcome, X86_WALK_PF, "canonical upper half walks");
	f.cpu.levels = 5;
	cr_assert(x86_canonical(&f.cpu, UINT64_C(0x0000800000000000)));
	cr_assert(x86_canonical(&f.cpu, UINT64_C(0x00ff800000000000)));
	cr_assert_not(x86_canonical(&f.cpu, UINT64_C(0x0100000000000000)));
	cr_assert(x86_canonical(&f.cpu, UINT64_C(0xff00000000000000)));
	cr_assert_not(x86_canonical(&f.cpu, UINT64_C(0xfe00000000000000)));
	physmem_fini(&f.pm);
}

Test(walk, five_level_walk_uses_pml5)
{
	struct fix f;
	struct x86_walk_result r;
	vaddr_t va57 = VA | (UINT64_C(3) << 48);

	build4k(&f, X86_PTE_RW | X86_PTE_US);
	f.cpu.levels = 5;
	f.cpu.cr3 = 0x5000;
	physmem_write64(&f.pm, 0x5000 + 8 * (paddr_t)x86_pt_index(va57, 5), 0x1000 | TBL);
	x86_walk(&f.cpu, &f.pm, va57, X86_ACCESS_READ, true, &r);
	cr_assert_eq(r.outcome, X86_WALK_OK);
	cr_assert_eq(r.nr_steps, 5);
	cr_assert_eq(r.steps[0].level, 5);
	cr_assert_eq(r.pa, FRAME | (VA & 0xfff));
	physmem_fini(&f.pm);
}

Test(walk, ignored_bits_do_not_fault)
{
	struct fix f;
	uint64_t soft = X86_PTE_AVL9 | X86_PTE_AVL10 | X86_PTE_AVL11 | X86_PTE_AVLHI_MASK;

	build4k(&f, X86_PTE_RW | X86_PTE_US | soft | X86_PTE_G | X86_PTE_PAT4K | X86_PTE_PWT |
			    X86_PTE_PCD | x86_pte_set_pkey(0, 15));
	expect_ok(&f, X86_ACCESS_WRITE, true); /* PKE off: key bits ignored */
	physmem_write64(&f.pm, ea(0x3000, 2), 0x4000 | TBL | soft | X86_PTE_G | X86_PTE_D);
	expect_ok(&f, X86_ACCESS_WRITE, true); /* G and D ignored in non-leaves */
	physmem_fini(&f.pm);
}

Test(walk, mem_refs_count_reads_and_writebacks)
{
	struct fix f;
	struct x86_walk_result r;

	build4k(&f, X86_PTE_RW | X86_PTE_US);
	r = walk(&f, X86_ACCESS_WRITE, true);
	cr_assert_eq(r.mem_refs, 4 + 4, "4 reads and 4 A/D write-backs the first time");
	r = walk(&f, X86_ACCESS_WRITE, true);
	cr_assert_eq(r.mem_refs, 4, "only reads once A and D are set");
	physmem_fini(&f.pm);
}

Test(walk, walk_from_resumes_with_combined_rights)
{
	struct fix f;
	struct x86_walk_result r;
	struct x86_walk_start start = { .level = 2,
					.table = 0x3000,
					.rights = X86_PTE_RW | X86_PTE_XD };

	build4k(&f, X86_PTE_RW | X86_PTE_US);
	/* Upper levels (cached) said supervisor-only: a user access must fault. */
	x86_walk_from(&f.cpu, &f.pm, VA, X86_ACCESS_READ, true, &start, &r);
	cr_assert_eq(r.outcome, X86_WALK_PF);
	cr_assert_eq(r.nr_steps, 2);
	physmem_fini(&f.pm);
}

Test(pte, bits_round_trip)
{
	static const uint64_t bits[] = { X86_PTE_P,   X86_PTE_RW,	X86_PTE_US, X86_PTE_PWT,
					 X86_PTE_PCD, X86_PTE_A,	X86_PTE_D,  X86_PTE_PS,
					 X86_PTE_G,   X86_PTE_PATLARGE, X86_PTE_XD };

	for (size_t i = 0; i < ARRAY_SIZE(bits); i++) {
		cr_assert_eq(__builtin_popcountll(bits[i]), 1);
		for (size_t j = 0; j < i; j++)
			cr_assert_neq(bits[i], bits[j]);
	}
	cr_assert(x86_pte_present(X86_PTE_P));
	cr_assert(x86_pte_writable(X86_PTE_RW));
	cr_assert(x86_pte_user(X86_PTE_US));
	cr_assert(x86_pte_accessed(X86_PTE_A));
	cr_assert(x86_pte_dirty(X86_PTE_D));
	cr_assert(x86_pte_large(X86_PTE_PS));
	cr_assert(x86_pte_global(X86_PTE_G));
	cr_assert(x86_pte_xd(X86_PTE_XD));
	for (unsigned int k = 0; k < 16; k++) {
		uint64_t e = x86_pte_set_pkey(UINT64_MAX, k);

		cr_assert_eq(x86_pte_pkey(e), k);
		cr_assert_eq(e | X86_PTE_PKEY_MASK, UINT64_MAX, "other bits untouched");
	}
	cr_assert_eq(x86_pte_addr(UINT64_MAX, 40), UINT64_C(0xfffffff000));
	cr_assert_eq(x86_pte_addr(UINT64_MAX, 52), UINT64_C(0xffffffffff000));
	cr_assert_eq(x86_pte_rsvd_hi_mask(40), UINT64_C(0x000fff0000000000));
	cr_assert_eq(x86_pte_rsvd_hi_mask(52), 0);
	cr_assert_eq(x86_pte_pfn(x86_pte_make(0x1234000, X86_PTE_P), 46), 0x1234);
}

Test(pfec, describe_names_every_bit)
{
	char buf[128];

	x86_pfec_describe(0x3f, buf, sizeof(buf));
	cr_assert_str_eq(buf, "P(protection) W(write) U(user) RSVD I(fetch) PK");
	x86_pfec_describe(0, buf, sizeof(buf));
	cr_assert_str_eq(buf, "!P(not-present) R(read) S(supervisor)");
}

/*
 * HLAT (SDM Vol. 3A §4.5.1): a second hierarchy from HLATP (PML4 at 0x10000, PDPT 0x11000,
 * PD 0x12000, PT 0x13000) maps VA to HFRAME; the ordinary one from CR3 maps it to FRAME.
 */
#define HFRAME UINT64_C(0x77777000)

static void build_hlat(struct fix *f, unsigned int restart_level)
{
	build4k(f, X86_PTE_RW | X86_PTE_US);
	f->cpu.hlat = true;
	f->cpu.hlatp = 0x10000;
	for (unsigned int level = 4; level >= 1; level--) {
		paddr_t table = 0x10000 + 0x1000 * (4 - level);
		uint64_t next = level == 1 ? HFRAME : table + 0x1000;
		uint64_t e = next | TBL | (level == restart_level ? X86_PTE_HLAT_RESTART : 0);

		physmem_write64(&f->pm, ea(table, level), e);
	}
}

Test(walk, hlat_walks_from_hlatp_and_ignores_cr3)
{
	struct fix f;
	struct x86_walk_result r;

	build_hlat(&f, 0);
	r = walk(&f, X86_ACCESS_READ, true);
	cr_assert_eq(r.outcome, X86_WALK_OK);
	cr_assert_eq(r.pa, HFRAME | (VA & 0xfff));
	cr_assert_eq(r.paging, X86_PAGING_HLAT);
	cr_assert_eq(r.nr_steps, 4);
	cr_assert_eq(r.nr_hlat_steps, 4);
	cr_assert_eq(r.steps[0].entry_addr, ea(0x10000, 4));
	cr_assert_not(x86_pte_accessed(physmem_read64(&f.pm, ea(0x1000, 4))), "CR3 tables unread");
	physmem_fini(&f.pm);
}

Test(walk, hlat_restart_at_each_level_walks_again_from_cr3)
{
	for (unsigned int level = 4; level >= 1; level--) {
		struct fix f;
		struct x86_walk_result r;
		unsigned int nr_hlat = 4 - level + 1;

		build_hlat(&f, level);
		r = walk(&f, X86_ACCESS_WRITE, true);
		cr_assert_eq(r.outcome, X86_WALK_OK, "restart at level %u", level);
		cr_assert_eq(r.pa, FRAME | (VA & 0xfff), "restart at level %u", level);
		cr_assert_eq(r.paging, X86_PAGING_HLAT_RESTART);
		cr_assert_eq(r.nr_hlat_steps, nr_hlat, "level %u", level);
		cr_assert_eq(r.nr_steps, nr_hlat + 4, "level %u", level);
		cr_assert_eq(r.steps[nr_hlat].entry_addr, ea(0x1000, 4));
		/* The restart entry is left as it was: no A. The HLAT entries above it got A. */
		cr_assert_eq(r.steps[nr_hlat - 1].written, r.steps[nr_hlat - 1].entry);
		cr_assert_not(x86_pte_accessed(r.steps[nr_hlat - 1].written));
		for (unsigned int i = 0; i + 1 < nr_hlat; i++)
			cr_assert(x86_pte_accessed(r.steps[i].written), "level %u step %u", level,
				  i);
		cr_assert(x86_pte_dirty(physmem_read64(&f.pm, ea(0x4000, 1))), "CR3 leaf dirty");
		physmem_fini(&f.pm);
	}
}

/*
 * SDM Vol. 3A §4.10.2.1 (page numbers): a restart of HLAT paging sets a maximum page size,
 * the size an entry of the restarting entry's level maps; the translation's page size is the
 * smaller of it and the ordinary walk's. The SDM's own example: a restart at a PDE, then a
 * 1 GiB page from CR3, gives a 2 MiB translation. The physical address is the same.
 */
Test(walk, hlat_restart_caps_the_page_size_by_the_restart_level)
{
	static const struct {
		unsigned int restart_level; /* 4 PML4E .. 1 PTE */
		unsigned int cr3_leaf;	    /* 3: 1 GiB page at the PDPTE, 2: 2 MiB, 1: 4 KiB */
		unsigned int want_shift;
	} cases[] = {
		{ 2, 3, 21 }, /* the SDM's example */
		{ 1, 3, 12 }, { 1, 2, 12 }, { 1, 1, 12 }, { 2, 2, 21 }, { 2, 1, 12 },
		{ 3, 3, 30 }, { 3, 2, 21 }, { 4, 3, 30 }, { 4, 2, 21 }, { 4, 1, 12 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct fix f;
		struct x86_walk_result r;
		paddr_t big = UINT64_C(0x80000000);

		build_hlat(&f, cases[i].restart_level);
		if (cases[i].cr3_leaf == 3)
			physmem_write64(&f.pm, ea(0x2000, 3), big | TBL | X86_PTE_PS);
		else if (cases[i].cr3_leaf == 2)
			physmem_write64(&f.pm, ea(0x3000, 2), big | TBL | X86_PTE_PS);
		r = walk(&f, X86_ACCESS_READ, true);
		cr_assert_eq(r.outcome, X86_WALK_OK, "case %zu", i);
		cr_assert_eq(r.paging, X86_PAGING_HLAT_RESTART, "case %zu", i);
		cr_assert_eq(r.page_shift, cases[i].want_shift,
			     "case %zu: restart level %u, leaf %u", i, cases[i].restart_level,
			     cases[i].cr3_leaf);
		if (cases[i].cr3_leaf == 1)
			cr_assert_eq(r.pa, FRAME | (VA & 0xfff), "case %zu", i);
		else
			cr_assert_eq(
				r.pa,
				big | (VA &
				       ((UINT64_C(1) << x86_level_shift(cases[i].cr3_leaf)) - 1)),
				"case %zu", i);
		physmem_fini(&f.pm);
	}
}

Test(walk, hlat_faults_carry_the_hlat_bit_and_cr3_faults_do_not)
{
	struct fix f;

	build_hlat(&f, 0);
	physmem_write64(&f.pm, ea(0x12000, 2), 0); /* HLAT PDE not present */
	expect_pf(&f, X86_ACCESS_READ, true, X86_PFEC_U | X86_PFEC_HLAT);
	physmem_fini(&f.pm);

	build_hlat(&f, 0);
	physmem_write64(&f.pm, ea(0x13000, 1), HFRAME | X86_PTE_P | X86_PTE_US); /* read-only */
	expect_pf(&f, X86_ACCESS_WRITE, true, X86_PFEC_P | X86_PFEC_W | X86_PFEC_U | X86_PFEC_HLAT);
	physmem_fini(&f.pm);

	build_hlat(&f, 4);
	physmem_write64(&f.pm, ea(0x4000, 1), 0); /* after the restart, the CR3 PTE is absent */
	expect_pf(&f, X86_ACCESS_READ, true, X86_PFEC_U);
	physmem_fini(&f.pm);
}

Test(walk, hlat_prefix_size_selects_the_protected_linear_range)
{
	struct fix f;

	build_hlat(&f, 0);
	cr_assert(x86_hlat_applies(&f.cpu, VA));
	f.cpu.hlat_prefix_size = 1; /* only addresses with bit 63 set */
	cr_assert_not(x86_hlat_applies(&f.cpu, VA));
	cr_assert(x86_hlat_applies(&f.cpu, UINT64_C(0xffff800000000000)));
	cr_assert_eq(walk(&f, X86_ACCESS_READ, true).pa, FRAME | (VA & 0xfff));
	f.cpu.hlat_prefix_size = 17;
	cr_assert(x86_hlat_applies(&f.cpu, UINT64_C(0xffff800000000000)));
	cr_assert_not(x86_hlat_applies(&f.cpu, UINT64_C(0xffff7fffffffffff)));
	f.cpu.hlat = false;
	cr_assert_not(x86_hlat_applies(&f.cpu, UINT64_C(0xffff800000000000)));
	physmem_fini(&f.pm);
}
