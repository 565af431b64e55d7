/*
 * arch/x86_64/radix.h: a "what if" page walk with a base page other than 4 KiB. NOT x86:
 * x86-64 paging has 4 KiB base pages only. This is the generic radix layout arm64's
 * translation granules use (Arm ARM D8.2, 4/16/64 KiB granules), extended to 8 KiB (the
 * seed's page size): a table fills one page of 8-byte entries, so each level resolves
 * page_shift - 3 bits of the address, and the levels are as many as the virtual-address
 * bits above the page offset need; the top level may be partial (arm64's 16 KiB granule
 * with 48 bits has a 2-entry top level).
 *
 * Entries keep the x86 bit positions for P, R/W, U/S and A; the address field holds a
 * page-aligned physical address. No large pages, no rights check beyond P: this module
 * is for counting levels, tables and reach (docs/page-size.md), not for modelling a CPU.
 */
#ifndef MMSIM_ARCH_X86_64_RADIX_H
#define MMSIM_ARCH_X86_64_RADIX_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/x86_64/types.h"

struct physmem;

#define RADIX_MAX_LEVELS 6u

/* The shape of the tree for one page size and address width. */
struct radix_geometry {
	unsigned int page_shift;    /* 12, 13, 14 or 16 */
	unsigned int va_bits;	    /* 48 */
	unsigned int index_bits;    /* page_shift - 3: bits one full table resolves */
	unsigned int levels;	    /* tables on a walk, top to leaf table */
	unsigned int top_bits;	    /* bits the top table resolves (<= index_bits) */
	uint64_t entries_per_table; /* 2^index_bits */
};

/* 0, or -EINVAL unless page_shift is 12, 13, 14 or 16 and va_bits is 32..57. */
int radix_geometry_init(struct radix_geometry *g, unsigned int page_shift, unsigned int va_bits);

/* The index va selects at level (levels = the top ... 1 = the leaf table). */
unsigned int radix_index(const struct radix_geometry *g, vaddr_t va, unsigned int level);

/* Where tables come from: a zeroed page of 2^page_shift bytes. 0 or -ENOMEM. */
struct radix_alloc {
	int (*alloc_table)(void *ctx, paddr_t *pa_out);
	void *ctx;
};

/*
 * Maps the page at va (aligned to the page size) to pa, creating tables on the way.
 * 0, -EINVAL (misaligned, va beyond va_bits), -EEXIST or -ENOMEM.
 */
int radix_map(const struct radix_geometry *g, struct physmem *pm, paddr_t root,
	      const struct radix_alloc *alloc, vaddr_t va, paddr_t pa, uint64_t flags);

struct radix_walk_result {
	bool ok;	       /* translated: pa is valid */
	paddr_t pa;	       /* the physical address va reaches */
	unsigned int nr_steps; /* entries read; on a miss, the last was not present */
};

/* Walks from root as a CPU with this geometry would, setting A on every entry used. */
void radix_walk(const struct radix_geometry *g, struct physmem *pm, paddr_t root, vaddr_t va,
		struct radix_walk_result *res);

#endif
