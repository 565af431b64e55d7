/*
 * tests/unit/arch/test_pwc.c: the paging-structure caches (Intel SDM Vol. 3A §4.10.3).
 *
 * Tables are built by hand in sparse physical memory (PML4 at 0x1000, PDPT 0x2000, PD
 * 0x3000, PT 0x4000; PML5 at 0x5000 for 5-level), walked with x86_walk_from() from the
 * start pwc_walk_start() gives, and the caches filled from the result, as the TLB does.
 */
#include <criterion/criterion.h>
#include <errno.h>

#include "arch/x86_64/cr.h"
#include "arch/x86_64/pfec.h"
#include "arch/x86_64/physmem.h"
#include "arch/x86_64/pte.h"
#include "arch/x86_64/pwc.h"
#include "arch/x86_64/walk.h"

#define VA UINT64_C(0x00007f1234567000)
#define TBL (X86_PTE_P | X86_PTE_RW | X86_PTE_US | X86_PTE_A)
#define LEAF (X86_PTE_P | X86_PTE_RW | X86_PTE_US | X86_PTE_A | X86_PTE_D)

struct fix {
	struct physmem pm;
	struct x86_cpu cpu;
	struct pwc *pwc;
};

static paddr_t ea(paddr_t table, vaddr_t va, unsigned int level)
{
	return table + 8 * (paddr_t)x86_pt_index(va, level);
}

static void fix_init(struct fix *f, unsigned int levels)
{
	struct pwc_config cfg = { .level = {
					  [PWC_PDE] = { .entries = 8, .ways = 8 },
					  [PWC_PDPTE] = { .entries = 4, .ways = 4 },
					  [PWC_PML4E] = { .entries = 2, .ways = 2 },
					  [PWC_PML5E] = { .entries = 2, .ways = 2 },
				  } };
	paddr_t top = levels == 5 ? 0x5000 : 0x1000;

	cr_assert_eq(physmem_init(&f->pm, 0, true), 0);
	f->cpu = (struct x86_cpu){
		.levels = levels, .maxphyaddr = 40, .cr3 = top, .wp = true, .nxe = true
	};
	if (levels == 5)
		physmem_write64(&f->pm, ea(0x5000, VA, 5), 0x1000 | TBL);
	physmem_write64(&f->pm, ea(0x1000, VA, 4), 0x2000 | TBL);
	physmem_write64(&f->pm, ea(0x2000, VA, 3), 0x3000 | TBL);
	physmem_write64(&f->pm, ea(0x3000, VA, 2), 0x4000 | TBL);
	for (unsigned int i = 0; i < 4; i++)
		physmem_write64(&f->pm, ea(0x4000, VA + i * 0x1000, 1),
				(0x100000 + i * 0x1000) | LEAF);
	cr_assert_eq(pwc_create(&cfg, &f->pwc), 0);
}

static void fix_fini(struct fix *f)
{
	pwc_destroy(f->pwc);
	physmem_fini(&f->pm);
}

/* One walk as the TLB does it: start from the caches, walk, fill on success. */
static struct x86_walk_result walk(struct fix *f, vaddr_t va, enum pwc_level *hit, bool user)
{
	struct x86_walk_start start;
	struct x86_walk_result r;

	*hit = pwc_walk_start(f->pwc, &f->cpu, va, &start);
	x86_walk_from(&f->cpu, &f->pm, va, X86_ACCESS_READ, user, &start, &r);
	pwc_fill(f->pwc, &f->cpu, va, &start, &r);
	return r;
}

Test(pwc, empty_caches_start_at_cr3)
{
	struct fix f;
	struct x86_walk_start s;

	fix_init(&f, 4);
	cr_assert_eq(pwc_walk_start(f.pwc, &f.cpu, VA, &s), PWC_MISS);
	cr_assert_eq(s.level, 4);
	cr_assert_eq(s.table, 0x1000);
	cr_assert_eq(s.rights, X86_PTE_US | X86_PTE_RW | X86_PTE_XD);
	fix_fini(&f);
}

Test(pwc, each_level_caches_the_next_table)
{
	struct fix f;
	enum pwc_level hit;
	struct x86_walk_result r;
	struct x86_walk_start s;

	fix_init(&f, 4);
	r = walk(&f, VA, &hit, true);
	cr_assert_eq(hit, PWC_MISS);
	cr_assert_eq(r.mem_refs, 4);
	cr_assert_eq(pwc_count(f.pwc, PWC_PML4E), 1);
	cr_assert_eq(pwc_count(f.pwc, PWC_PDPTE), 1);
	cr_assert_eq(pwc_count(f.pwc, PWC_PDE), 1);
	cr_assert_eq(pwc_count(f.pwc, PWC_PML5E), 0, "4-level paging has no PML5E");

	/* The same 2 MiB region: the PDE cache names the page table. */
	cr_assert_eq(pwc_walk_start(f.pwc, &f.cpu, VA + 0x3000, &s), PWC_PDE);
	cr_assert_eq(s.level, 1);
	cr_assert_eq(s.table, 0x4000);
	r = walk(&f, VA + 0x3000, &hit, true);
	cr_assert_eq(r.outcome, X86_WALK_OK);
	cr_assert_eq(r.pa, 0x103000);
	cr_assert_eq(r.mem_refs, 1);

	/* Another 2 MiB region of the same GiB: the PDPTE cache names the page directory. */
	cr_assert_eq(pwc_walk_start(f.pwc, &f.cpu, VA + (UINT64_C(1) << 21), &s), PWC_PDPTE);
	cr_assert_eq(s.level, 2);
	cr_assert_eq(s.table, 0x3000);
	/* Another GiB of the same 512 GiB: the PML4E cache names the PDPT. */
	cr_assert_eq(pwc_walk_start(f.pwc, &f.cpu, VA + (UINT64_C(1) << 30), &s), PWC_PML4E);
	cr_assert_eq(s.level, 3);
	cr_assert_eq(s.table, 0x2000);
	fix_fini(&f);
}

Test(pwc, cached_rights_are_combined_over_the_upper_levels)
{
	struct fix f;
	enum pwc_level hit;
	struct x86_walk_result r;

	fix_init(&f, 4);
	/* A supervisor-only, non-executable PDPTE: every address below it is too. */
	physmem_write64(&f.pm, ea(0x2000, VA, 3),
			0x3000 | X86_PTE_P | X86_PTE_RW | X86_PTE_A | X86_PTE_XD);
	r = walk(&f, VA, &hit, false);
	cr_assert_eq(r.outcome, X86_WALK_OK);
	r = walk(&f, VA + 0x1000, &hit, true);
	cr_assert_eq(hit, PWC_PDE);
	cr_assert_eq(r.outcome, X86_WALK_PF, "U/S=0 above is remembered by the PDE-cache entry");
	cr_assert_eq(r.error_code, X86_PFEC_P | X86_PFEC_U);
	fix_fini(&f);
}

Test(pwc, no_entry_for_a_pde_that_maps_a_page)
{
	struct fix f;
	enum pwc_level hit;

	fix_init(&f, 4);
	physmem_write64(&f.pm, ea(0x3000, VA, 2), 0x200000 | LEAF | X86_PTE_PS);
	cr_assert_eq(walk(&f, VA, &hit, true).page_shift, 21);
	cr_assert_eq(pwc_count(f.pwc, PWC_PDE), 0);
	cr_assert_eq(pwc_count(f.pwc, PWC_PDPTE), 1);
	fix_fini(&f);
}

Test(pwc, a_faulting_walk_fills_nothing)
{
	struct fix f;
	enum pwc_level hit;

	fix_init(&f, 4);
	physmem_write64(&f.pm, ea(0x4000, VA, 1), 0);
	cr_assert_eq(walk(&f, VA, &hit, true).outcome, X86_WALK_PF);
	cr_assert_eq(pwc_count(f.pwc, PWC_PML4E) + pwc_count(f.pwc, PWC_PDPTE) +
			     pwc_count(f.pwc, PWC_PDE),
		     0);
	fix_fini(&f);
}

Test(pwc, entries_belong_to_their_pcid)
{
	struct fix f;
	enum pwc_level hit;
	struct x86_walk_start s;

	fix_init(&f, 4);
	f.cpu.pcide = true;
	f.cpu.cr3 = 0x1000 | 7;
	walk(&f, VA, &hit, true);
	cr_assert_eq(pwc_walk_start(f.pwc, &f.cpu, VA, &s), PWC_PDE);
	f.cpu.cr3 = 0x1000 | 8;
	cr_assert_eq(pwc_walk_start(f.pwc, &f.cpu, VA, &s), PWC_MISS, "no global entries here");
	walk(&f, VA, &hit, true);
	cr_assert_eq(pwc_count(f.pwc, PWC_PDE), 2);

	pwc_flush_pcid(f.pwc, 8);
	cr_assert_eq(pwc_count(f.pwc, PWC_PDE), 1);
	f.cpu.cr3 = 0x1000 | 7;
	pwc_invalidate_va(f.pwc, VA + (UINT64_C(1) << 21), 7); /* another region: nothing */
	cr_assert_eq(pwc_count(f.pwc, PWC_PDE), 1);
	cr_assert_eq(pwc_count(f.pwc, PWC_PDPTE), 0, "the PDPTE entry for VA's GiB went");
	pwc_invalidate_va(f.pwc, VA, 7);
	cr_assert_eq(pwc_count(f.pwc, PWC_PDE), 0);
	walk(&f, VA, &hit, true);
	pwc_flush_all(f.pwc);
	cr_assert_eq(pwc_count(f.pwc, PWC_PDE) + pwc_count(f.pwc, PWC_PML4E), 0);
	fix_fini(&f);
}

Test(pwc, five_level_paging_uses_the_pml5e_cache)
{
	struct fix f;
	enum pwc_level hit;
	struct x86_walk_start s;

	fix_init(&f, 5);
	cr_assert_eq(walk(&f, VA, &hit, true).mem_refs, 5);
	cr_assert_eq(pwc_count(f.pwc, PWC_PML5E), 1);
	cr_assert_eq(pwc_walk_start(f.pwc, &f.cpu, VA + (UINT64_C(1) << 39), &s), PWC_PML5E);
	cr_assert_eq(s.level, 4);
	cr_assert_eq(s.table, 0x1000);
	fix_fini(&f);
}

Test(pwc, a_full_cache_replaces_its_lru_entry)
{
	struct fix f;
	enum pwc_level hit;
	struct x86_walk_start s;

	/* The PML4E cache has 2 entries: three PDPTs under three PML4Es push the first out. */
	fix_init(&f, 4);
	for (unsigned int i = 1; i <= 2; i++) {
		vaddr_t va = VA - ((vaddr_t)i << 39);

		physmem_write64(&f.pm, ea(0x1000, va, 4), 0x2000 | TBL);
	}
	cr_assert_eq(walk(&f, VA, &hit, true).outcome, X86_WALK_OK);
	cr_assert_eq(walk(&f, VA - (UINT64_C(1) << 39), &hit, true).outcome, X86_WALK_OK);
	cr_assert_eq(walk(&f, VA - (UINT64_C(2) << 39), &hit, true).outcome, X86_WALK_OK);
	cr_assert_eq(pwc_count(f.pwc, PWC_PML4E), 2);
	cr_assert_eq(pwc_walk_start(f.pwc, &f.cpu, VA + (UINT64_C(1) << 30), &s), PWC_MISS);
	fix_fini(&f);
}

Test(pwc, an_invalidated_entry_is_replaced_before_a_valid_one)
{
	struct fix f;
	enum pwc_level hit;
	struct x86_walk_start s;
	vaddr_t a = VA, b = VA - (UINT64_C(1) << 39), c = VA - (UINT64_C(2) << 39);

	/* Two PML4E-cache entries, A then B; B is dropped; C must take B's place, not A's. */
	fix_init(&f, 4);
	physmem_write64(&f.pm, ea(0x1000, b, 4), 0x2000 | TBL);
	physmem_write64(&f.pm, ea(0x1000, c, 4), 0x2000 | TBL);
	walk(&f, a, &hit, true);
	walk(&f, b, &hit, true);
	pwc_invalidate_va(f.pwc, b, 0);
	walk(&f, c, &hit, true);
	cr_assert_eq(pwc_walk_start(f.pwc, &f.cpu, a + (UINT64_C(1) << 30), &s), PWC_PML4E);
	fix_fini(&f);
}

Test(pwc, shapes_are_checked)
{
	struct pwc *pwc;
	struct pwc_config bad = { .level = { [PWC_PDE] = { .entries = 12, .ways = 4 } } };
	struct pwc_config plru = {
		.level = { [PWC_PDE] = { .entries = 6, .ways = 6, .repl = TLB_REPL_PLRU } }
	};

	cr_assert_eq(pwc_create(&bad, &pwc), -EINVAL, "3 sets");
	cr_assert_null(pwc);
	cr_assert_eq(pwc_create(&plru, &pwc), -EINVAL, "PLRU over 6 ways");
	cr_assert_str_eq(pwc_level_name(PWC_PDPTE), "pdpte");
}
