/*
 * tests/unit/api/test_mmu_constants.c: the entry-bit and page-size constants of mmsim/mmu.h
 * are the walker's own (arch/x86_64/pte.h), bit for bit, and the SDM's positions.
 */
#include <criterion/criterion.h>

#include "arch/x86_64/pte.h"
#include "mmsim/mmu.h"

Test(mmu_constants, entry_bits_are_the_walkers)
{
	cr_assert_eq(MMSIM_PTE_P, X86_PTE_P);
	cr_assert_eq(MMSIM_PTE_RW, X86_PTE_RW);
	cr_assert_eq(MMSIM_PTE_US, X86_PTE_US);
	cr_assert_eq(MMSIM_PTE_PWT, X86_PTE_PWT);
	cr_assert_eq(MMSIM_PTE_PCD, X86_PTE_PCD);
	cr_assert_eq(MMSIM_PTE_A, X86_PTE_A);
	cr_assert_eq(MMSIM_PTE_D, X86_PTE_D);
	cr_assert_eq(MMSIM_PTE_PS, X86_PTE_PS);
	cr_assert_eq(MMSIM_PTE_PAT_4K, X86_PTE_PAT4K);
	cr_assert_eq(MMSIM_PTE_G, X86_PTE_G);
	cr_assert_eq(MMSIM_PTE_PAT_LARGE, X86_PTE_PATLARGE);
	cr_assert_eq(MMSIM_PTE_XD, X86_PTE_XD);
	cr_assert_eq(MMSIM_PTE_PK_SHIFT, X86_PTE_PKEY_SHIFT);
	cr_assert_eq(MMSIM_PTE_PK_MASK, X86_PTE_PKEY_MASK);
}

Test(mmu_constants, sdm_positions_and_page_sizes)
{
	/* SDM Vol. 3A table 4-19 (a PTE mapping a 4 KiB page), by hand. */
	cr_assert_eq(MMSIM_PTE_P | MMSIM_PTE_RW | MMSIM_PTE_US | MMSIM_PTE_A | MMSIM_PTE_D, 0x67);
	cr_assert_eq(MMSIM_PTE_G, 0x100);
	cr_assert_eq(MMSIM_PTE_XD, 0x8000000000000000ULL);
	cr_assert_eq(MMSIM_PTE_PK_MASK, 0x7800000000000000ULL);
	cr_assert_eq(MMSIM_PAGE_SIZE_4K, 4096);
	cr_assert_eq(MMSIM_PAGE_SIZE_2M, 2 * 1024 * 1024);
	cr_assert_eq(MMSIM_PAGE_SIZE_1G, 1024 * 1024 * 1024);
	cr_assert_eq(MMSIM_PTE_ADDR_MASK & MMSIM_PTE_XD, 0);
	cr_assert_eq(MMSIM_PTE_ADDR_MASK & (MMSIM_PAGE_SIZE_4K - 1), 0);
}
