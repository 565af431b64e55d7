/*
 * arch/x86_64/ptbuild.h: building and editing x86-64 page tables in simulated memory.
 *
 * The CPU never writes tables except for A/D; software (the kernel layer, tests, the walk
 * demo) builds them. Table pages come from the caller through an allocator callback, which
 * must return a zeroed 4 KiB frame; intermediate entries are created present and writable,
 * and user when the leaf is a user page (the leaf decides the rights, as Linux's
 * _PAGE_TABLE does for user tables and _KERNPG_TABLE for kernel ones), unless table_flags
 * says otherwise.
 * Nothing here knows about Linux.
 */
#ifndef MMSIM_ARCH_X86_64_PTBUILD_H
#define MMSIM_ARCH_X86_64_PTBUILD_H

#include <stdint.h>

#include "arch/x86_64/types.h"

struct physmem;

struct x86_pt_alloc {
	/* Returns 0 with the physical address of a zeroed frame, or -ENOMEM. */
	int (*alloc_table)(void *ctx, paddr_t *pa_out);
	void *ctx;
};

struct x86_pt_ctx {
	struct physmem *pm;
	unsigned int levels;	 /* 4 or 5 */
	unsigned int maxphyaddr; /* as the CPU's */
	paddr_t root;		 /* physical address of the top-level table */
	uint64_t table_flags;	 /* flags of new non-leaf entries; 0: P|RW, plus US for user */
	const struct x86_pt_alloc *alloc;
};

/*
 * Maps the page of 2^page_shift bytes (12, 21 or 30) at va to pa with the leaf flags given
 * (P is added; PS is added for large pages). 0, -EINVAL (misaligned, bad size, non-leaf in
 * the way of a large page), -EEXIST (something is mapped there) or -ENOMEM.
 */
int x86_pt_map(const struct x86_pt_ctx *ctx, vaddr_t va, paddr_t pa, unsigned int page_shift,
	       uint64_t leaf_flags);

/*
 * Finds the entry that maps va: its physical address and level (1 PTE, 2 PDE, 3 PDPTE).
 * 0, or -ENOENT when a level on the way is not present (then *level_out is where).
 */
int x86_pt_lookup(const struct x86_pt_ctx *ctx, vaddr_t va, paddr_t *entry_addr_out,
		  unsigned int *level_out);

/* Clears the leaf mapping va and reports its page size; 0 or -ENOENT. Tables stay. */
int x86_pt_unmap(const struct x86_pt_ctx *ctx, vaddr_t va, unsigned int *page_shift_out);

#endif
