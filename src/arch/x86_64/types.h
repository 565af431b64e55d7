/*
 * arch/x86_64/types.h: the units every layer talks in.
 *
 * A pfn_t is a physical frame number (physical address >> 12), a paddr_t a physical byte
 * address, a vaddr_t a linear (virtual) byte address. They are all uint64_t; the names say
 * which number a variable holds. Page sizes and shifts are the architectural ones.
 */
#ifndef MMSIM_ARCH_X86_64_TYPES_H
#define MMSIM_ARCH_X86_64_TYPES_H

#include <stdint.h>

typedef uint64_t pfn_t;
typedef uint64_t paddr_t;
typedef uint64_t vaddr_t;

#define X86_PAGE_SHIFT 12u
#define X86_PAGE_SIZE (UINT64_C(1) << X86_PAGE_SHIFT)
#define X86_PAGE_MASK (~(X86_PAGE_SIZE - 1))
#define X86_PMD_SHIFT 21u /* a PDE maps 2 MiB */
#define X86_PUD_SHIFT 30u /* a PDPTE maps 1 GiB */
#define X86_PT_ENTRIES 512u
#define X86_PT_INDEX_BITS 9u

#define X86_PFN_TO_PADDR(pfn) ((paddr_t)(pfn) << X86_PAGE_SHIFT)
#define X86_PADDR_TO_PFN(pa) ((pfn_t)((pa) >> X86_PAGE_SHIFT))

#endif
