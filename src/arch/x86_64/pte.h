/*
 * arch/x86_64/pte.h: the paging-structure entry, bit by bit (Intel SDM Vol. 3A §4.5, tables
 * 4-15 to 4-20). The same 64-bit layout serves PML5E, PML4E, PDPTE, PDE and PTE; what a bit
 * means depends on the level and on PS. Nobody outside this header shifts or masks entry bits.
 */
#ifndef MMSIM_ARCH_X86_64_PTE_H
#define MMSIM_ARCH_X86_64_PTE_H

#include <assert.h>
#include <stdbool.h>
#include <stdint.h>

#include "arch/x86_64/types.h"

enum x86_pte_bit {
	X86_PTE_BIT_P = 0,   /* present; when clear the CPU ignores bits 1..63 */
	X86_PTE_BIT_RW = 1,  /* writable; binds supervisor writes only if CR0.WP=1 */
	X86_PTE_BIT_US = 2,  /* user access; must be set at every level of the walk */
	X86_PTE_BIT_PWT = 3, /* page-level write-through */
	X86_PTE_BIT_PCD = 4, /* page-level cache disable */
	X86_PTE_BIT_A = 5,   /* set by the walker on each entry a walk uses */
	X86_PTE_BIT_D = 6,   /* set by the walker on the leaf, on a write; ignored in non-leaves */
	X86_PTE_BIT_PS = 7,  /* leaf at PDPTE/PDE level; reserved in PML4E/PML5E */
	X86_PTE_BIT_PAT4K = 7, /* in a PTE (4 KiB leaf) the PS position is the PAT bit */
	X86_PTE_BIT_G = 8,     /* global: survives CR3 writes; leaf only */
	X86_PTE_BIT_AVL9 = 9,  /* bits 9..11: ignored by the CPU, free for software */
	X86_PTE_BIT_AVL10 = 10,
	X86_PTE_BIT_AVL11 = 11,
	/*
	 * HLAT's restart bit (SDM Vol. 3A §4.5.1, "Ordinary paging and HLAT paging"): ignored
	 * by ordinary paging; an entry with P=1 and bit 11 set, met by an HLAT walk, ends it
	 * and the translation starts again with ordinary paging from CR3. The seed placed it
	 * at bit 9; the SDM gives bit 11 (docs/x86.md).
	 */
	X86_PTE_BIT_HLAT_RESTART = 11,
	X86_PTE_BIT_PATLARGE =
		12,	     /* PAT in a 2 MiB/1 GiB leaf (address bit 12 is not used there) */
	X86_PTE_BIT_XD = 63, /* no fetch when EFER.NXE=1; a reserved bit otherwise */
};

#define X86_PTE_P (UINT64_C(1) << X86_PTE_BIT_P)
#define X86_PTE_RW (UINT64_C(1) << X86_PTE_BIT_RW)
#define X86_PTE_US (UINT64_C(1) << X86_PTE_BIT_US)
#define X86_PTE_PWT (UINT64_C(1) << X86_PTE_BIT_PWT)
#define X86_PTE_PCD (UINT64_C(1) << X86_PTE_BIT_PCD)
#define X86_PTE_A (UINT64_C(1) << X86_PTE_BIT_A)
#define X86_PTE_D (UINT64_C(1) << X86_PTE_BIT_D)
#define X86_PTE_PS (UINT64_C(1) << X86_PTE_BIT_PS)
#define X86_PTE_PAT4K (UINT64_C(1) << X86_PTE_BIT_PAT4K)
#define X86_PTE_G (UINT64_C(1) << X86_PTE_BIT_G)
#define X86_PTE_AVL9 (UINT64_C(1) << X86_PTE_BIT_AVL9)
#define X86_PTE_AVL10 (UINT64_C(1) << X86_PTE_BIT_AVL10)
#define X86_PTE_AVL11 (UINT64_C(1) << X86_PTE_BIT_AVL11)
#define X86_PTE_HLAT_RESTART (UINT64_C(1) << X86_PTE_BIT_HLAT_RESTART)
#define X86_PTE_PATLARGE (UINT64_C(1) << X86_PTE_BIT_PATLARGE)
#define X86_PTE_XD (UINT64_C(1) << X86_PTE_BIT_XD)

/* Address field: bits 12..51 at most; bits MAXPHYADDR..51 are reserved (must be 0). */
#define X86_PTE_ADDR_SHIFT 12u
#define X86_PTE_ADDR_TOP 52u /* first bit above the widest possible address field */
#define X86_PTE_ADDR_MAX_MASK (((UINT64_C(1) << X86_PTE_ADDR_TOP) - 1) & ~UINT64_C(0xfff))

/* Bits 52..58: ignored by the CPU, free for software. */
#define X86_PTE_AVLHI_SHIFT 52u
#define X86_PTE_AVLHI_WIDTH 7u
#define X86_PTE_AVLHI_MASK (((UINT64_C(1) << X86_PTE_AVLHI_WIDTH) - 1) << X86_PTE_AVLHI_SHIFT)

/* Protection key: bits 59..62 of a leaf mapping a user page, when CR4.PKE=1. */
#define X86_PTE_PKEY_SHIFT 59u
#define X86_PTE_PKEY_WIDTH 4u
#define X86_PTE_PKEY_MASK (((UINT64_C(1) << X86_PTE_PKEY_WIDTH) - 1) << X86_PTE_PKEY_SHIFT)

/* MAXPHYADDR: the CPU's physical-address width (CPUID 80000008H:EAX[7:0]); 52 at most. */
#define X86_MAXPHYADDR_MIN 32u
#define X86_MAXPHYADDR_MAX 52u

static_assert(X86_PT_ENTRIES * sizeof(uint64_t) == X86_PAGE_SIZE, "a table fills a page");

/* Entry levels, counted as the SDM's figures do: 1 = PTE ... 5 = PML5E. */
enum x86_level {
	X86_LEVEL_PTE = 1,
	X86_LEVEL_PDE = 2,
	X86_LEVEL_PDPTE = 3,
	X86_LEVEL_PML4E = 4,
	X86_LEVEL_PML5E = 5,
};

/* Bits of the address field that exist for a given MAXPHYADDR (bits 12..maxphyaddr-1). */
static inline uint64_t x86_pte_addr_mask(unsigned int maxphyaddr)
{
	return ((UINT64_C(1) << maxphyaddr) - 1) & ~UINT64_C(0xfff);
}

/* Bits maxphyaddr..51: reserved in every present entry. */
static inline uint64_t x86_pte_rsvd_hi_mask(unsigned int maxphyaddr)
{
	return X86_PTE_ADDR_MAX_MASK & ~x86_pte_addr_mask(maxphyaddr);
}

static inline bool x86_pte_present(uint64_t e)
{
	return (e & X86_PTE_P) != 0;
}
static inline bool x86_pte_writable(uint64_t e)
{
	return (e & X86_PTE_RW) != 0;
}
static inline bool x86_pte_user(uint64_t e)
{
	return (e & X86_PTE_US) != 0;
}
static inline bool x86_pte_accessed(uint64_t e)
{
	return (e & X86_PTE_A) != 0;
}
static inline bool x86_pte_dirty(uint64_t e)
{
	return (e & X86_PTE_D) != 0;
}
static inline bool x86_pte_large(uint64_t e)
{
	return (e & X86_PTE_PS) != 0;
}
static inline bool x86_pte_global(uint64_t e)
{
	return (e & X86_PTE_G) != 0;
}
static inline bool x86_pte_xd(uint64_t e)
{
	return (e & X86_PTE_XD) != 0;
}

static inline unsigned int x86_pte_pkey(uint64_t e)
{
	return (unsigned int)((e & X86_PTE_PKEY_MASK) >> X86_PTE_PKEY_SHIFT);
}

static inline uint64_t x86_pte_set_pkey(uint64_t e, unsigned int pkey)
{
	return (e & ~X86_PTE_PKEY_MASK) |
	       (((uint64_t)pkey << X86_PTE_PKEY_SHIFT) & X86_PTE_PKEY_MASK);
}

/* The physical address an entry names: a table for a non-leaf, a 4 KiB frame for a PTE. */
static inline paddr_t x86_pte_addr(uint64_t e, unsigned int maxphyaddr)
{
	return e & x86_pte_addr_mask(maxphyaddr);
}

static inline pfn_t x86_pte_pfn(uint64_t e, unsigned int maxphyaddr)
{
	return X86_PADDR_TO_PFN(x86_pte_addr(e, maxphyaddr));
}

/* Base of a large page: the address field without its low bits (PAT sits at bit 12). */
static inline paddr_t x86_pte_large_base(uint64_t e, unsigned int maxphyaddr,
					 unsigned int page_shift)
{
	return e & x86_pte_addr_mask(maxphyaddr) & ~((UINT64_C(1) << page_shift) - 1);
}

static inline uint64_t x86_pte_make(paddr_t pa, uint64_t flags)
{
	return (pa & X86_PTE_ADDR_MAX_MASK) | flags;
}

/* The index a linear address selects at a level (1 = PT ... 5 = PML5). */
static inline unsigned int x86_pt_index(vaddr_t va, unsigned int level)
{
	return (unsigned int)(va >> (X86_PAGE_SHIFT + X86_PT_INDEX_BITS * (level - 1))) &
	       (X86_PT_ENTRIES - 1);
}

/* The page size a leaf at a level maps: 12, 21 or 30. */
static inline unsigned int x86_level_shift(unsigned int level)
{
	return X86_PAGE_SHIFT + X86_PT_INDEX_BITS * (level - 1);
}

/* Writes a short human-readable flag list ("P RW US A D PS G XD pkey=3") into buf. */
void x86_pte_describe(uint64_t e, unsigned int level, char *buf, unsigned int buf_size);

#endif
