/*
 * tests/unit/api/test_mmu_misuse.c: mmsim/mmu.h refuses what it cannot do right with
 * -EINVAL instead of doing something else: a mapping of a non-canonical address (the
 * table builder would file it under the canonical alias), a frame beyond MAXPHYADDR or
 * leaf flags that overlap the frame's address bits (the entry would name another frame),
 * a table frame from alloc_table beyond MAXPHYADDR, and a translation text asked for an
 * access kind or paging depth that does not exist (it read past its name tables).
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdlib.h>

#include "mmsim/mmu.h"

static struct mmsim_mmu *mmu_4m(void)
{
	struct mmsim_mmu *m = NULL;

	cr_assert_eq(mmsim_mmu_create(4 << 20, false, &m), 0);
	return m;
}

Test(mmu_misuse, map_refuses_a_non_canonical_address)
{
	struct mmsim_mmu *m = mmu_4m();
	struct mmsim_translation t;

	/* 4-level paging: bit 47 set and bits 48..63 clear is not canonical (SDM 3A §4.5). */
	cr_assert_eq(mmsim_mmu_map(m, 0x800000000000ULL, 0x2000, 12, MMSIM_PTE_RW), -EINVAL);
	/* ... and nothing was mapped at its canonical alias either. */
	mmsim_mmu_translate(m, 0xffff800000000000ULL, MMSIM_ACCESS_READ, false, &t);
	cr_assert_eq(t.fault, MMSIM_FAULT_PF);
	cr_assert_eq(mmsim_mmu_map(m, 0xffff800000000000ULL, 0x2000, 12, MMSIM_PTE_RW), 0);
	mmsim_mmu_destroy(m);
}

Test(mmu_misuse, map_refuses_a_frame_beyond_maxphyaddr)
{
	struct mmsim_mmu *m = mmu_4m(); /* MAXPHYADDR 46 */

	cr_assert_eq(mmsim_mmu_map(m, 0x5000, 1ULL << 46, 12, MMSIM_PTE_RW), -EINVAL);
	cr_assert_eq(mmsim_mmu_map(m, 0x5000, (1ULL << 46) - 4096, 12, MMSIM_PTE_RW), 0);
	mmsim_mmu_destroy(m);
}

Test(mmu_misuse, map_refuses_flags_in_the_address_field)
{
	struct mmsim_mmu *m = mmu_4m();
	struct mmsim_translation t;

	cr_assert_eq(mmsim_mmu_map(m, 0x5000, 0x2000, 12, MMSIM_PTE_RW | 0x10000), -EINVAL);
	cr_assert_eq(mmsim_mmu_map(m, 0x200000, 0x200000, 21, MMSIM_PTE_RW | 0x400000), -EINVAL);
	/* The PAT bit of a large page (bit 12) and XD, PK are flags, not address bits. */
	cr_assert_eq(mmsim_mmu_map(m, 0x200000, 0x200000, 21,
				   MMSIM_PTE_RW | MMSIM_PTE_PAT_LARGE | MMSIM_PTE_XD),
		     0);
	mmsim_mmu_translate(m, 0x200000, MMSIM_ACCESS_READ, false, &t);
	cr_assert_eq(t.fault, MMSIM_FAULT_NONE);
	cr_assert_eq(t.pa, 0x200000);
	mmsim_mmu_destroy(m);
}

static uint64_t rd(void *ctx, uint64_t pa)
{
	(void)ctx;
	(void)pa;
	return 0;
}

static void wr(void *ctx, uint64_t pa, uint64_t v)
{
	(void)ctx;
	(void)pa;
	(void)v;
}

static int alloc_far(void *ctx, uint64_t *pa)
{
	(void)ctx;
	*pa = 1ULL << 50;
	return 0;
}

Test(mmu_misuse, alloc_table_beyond_maxphyaddr_is_refused)
{
	struct mmsim_phys_ops ops = { .read64 = rd, .write64 = wr, .alloc_table = alloc_far };
	struct mmsim_mmu *m = NULL;
	uint64_t pa = 0;

	cr_assert_eq(mmsim_mmu_create_phys(&ops, &m), 0);
	cr_assert_eq(mmsim_mmu_alloc_table(m, &pa), -EINVAL);
	cr_assert_eq(mmsim_mmu_map(m, 0x5000, 0x2000, 12, MMSIM_PTE_RW), -EINVAL);
	mmsim_mmu_destroy(m);
}

Test(mmu_misuse, translation_text_refuses_bad_access_and_levels)
{
	struct mmsim_mmu *m = mmu_4m();
	struct mmsim_translation t;
	char *text = (char *)1;

	mmsim_mmu_translate(m, 0x1000, MMSIM_ACCESS_READ, true, &t);
	cr_assert_eq(mmsim_translation_text(&t, 0x1000, 4, (enum mmsim_access)3, true, &text),
		     -EINVAL);
	cr_assert_eq(mmsim_translation_text(&t, 0x1000, 6, MMSIM_ACCESS_READ, true, &text),
		     -EINVAL);
	cr_assert_eq(mmsim_translation_text(&t, 0x1000, 3, MMSIM_ACCESS_READ, true, &text),
		     -EINVAL);
	cr_assert_eq(text, (char *)1, "text_out is left alone on an error");
	cr_assert_eq(mmsim_translation_text(&t, 0x1000, 4, MMSIM_ACCESS_FETCH, true, &text), 0);
	free(text);
	mmsim_mmu_destroy(m);
}
