/*
 * mm/pgtable.h: Linux's side of the page tables: allocating table pages lazily level by
 * level, reading and writing PTEs of an mm, freeing tables a munmap leaves unused
 * (Linux: mm/memory.c __pte_alloc/free_pgtables, arch/x86/mm/pgtable.c).
 *
 * Table pages come from the buddy allocator (GFP_KERNEL | __GFP_ZERO), are marked PG_pgtable
 * and counted in nr_page_table_pages and the mm's VmPTE (every level below the top, as
 * Linux's mm_pgtables_bytes). Upper entries are _PAGE_TABLE (P RW US A D) for user space
 * as on Linux; rights are decided at the leaf.
 */
#ifndef MMSIM_MM_PGTABLE_H
#define MMSIM_MM_PGTABLE_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/x86_64/types.h"

struct mm_core;
struct mm_struct;
struct check_report;

/* Linux _PAGE_TABLE: the flags of a user non-leaf entry. */
#define PGTABLE_USER_TABLE_FLAGS (X86_PTE_P | X86_PTE_RW | X86_PTE_US | X86_PTE_A | X86_PTE_D)
/* Linux _KERNPG_TABLE: a kernel non-leaf entry. */
#define PGTABLE_KERNEL_TABLE_FLAGS (X86_PTE_P | X86_PTE_RW | X86_PTE_A | X86_PTE_D)

/* Allocates a zeroed table page: 0 and its pfn, or -ENOMEM. Counts it for mm (may be NULL
 * for the kernel's own tables). */
int pgtable_alloc_table(struct mm_core *core, struct mm_struct *mm, pfn_t *pfn_out);
void pgtable_free_table(struct mm_core *core, struct mm_struct *mm, pfn_t pfn);

/*
 * The physical address of the PTE (4 KiB level) for va in mm, allocating missing tables
 * when alloc is set. 0, -ENOENT (absent, alloc not set) or -ENOMEM.
 */
int pgtable_pte_addr(struct mm_core *core, struct mm_struct *mm, vaddr_t va, bool alloc,
		     paddr_t *pte_addr_out);

/*
 * The physical address of the PDE (2 MiB level) for va, allocating missing tables above it
 * when alloc is set (Linux pmd_alloc()). 0, -ENOENT or -ENOMEM. pgtable_pte_addr() returns
 * -EEXIST where the PDE is a 2 MiB leaf (PS set): there is no PTE to give.
 */
int pgtable_pmd_addr(struct mm_core *core, struct mm_struct *mm, vaddr_t va, bool alloc,
		     paddr_t *pmd_addr_out);

/* Reads the PTE for va (0 when any level above is absent). Inside a 2 MiB leaf: the PTE
 * that splitting it would write for va. */
uint64_t pgtable_read_pte(struct mm_core *core, struct mm_struct *mm, vaddr_t va);

/* Calls fn for each present-or-swap PTE slot in [start, end) that is not zero. */
typedef void (*pgtable_pte_fn)(void *ctx, vaddr_t va, paddr_t pte_addr, uint64_t pte);
void pgtable_for_each_pte(struct mm_core *core, struct mm_struct *mm, vaddr_t start, vaddr_t end,
			  pgtable_pte_fn fn, void *ctx);

/* Like pgtable_for_each_pte(), and calls pmd_fn for each 2 MiB leaf (PDE with PS) that
 * meets [start, end), with the leaf's first address. Either function may be NULL;
 * pgtable_for_each_pte() skips 2 MiB leaves. */
void pgtable_for_each_leaf(struct mm_core *core, struct mm_struct *mm, vaddr_t start, vaddr_t end,
			   pgtable_pte_fn pte_fn, pgtable_pte_fn pmd_fn, void *ctx);

/*
 * Frees the tables that only covered [start, end), given that no VMA lies in
 * [floor, ceiling) outside it (Linux free_pgtables()/free_pgd_range(): a table is freed when
 * its whole span lies within [floor, ceiling)). The PTEs there must already be zapped.
 */
void pgtable_free_range(struct mm_core *core, struct mm_struct *mm, vaddr_t start, vaddr_t end,
			vaddr_t floor, vaddr_t ceiling);

/* Frees the PTE page mapping the 2 MiB block at va (2 MiB aligned) when every entry in it
 * is none, clearing its PDE (Linux try_to_free_pte()). True if a page was freed. */
bool pgtable_free_pte_table(struct mm_core *core, struct mm_struct *mm, vaddr_t va);

/* The end of the user half of the address space (Linux USER_PGTABLES_CEILING): the
 * ceiling for freeing tables above the last VMA. */
vaddr_t pgtable_user_ceiling(const struct mm_core *core);

/* Every present upper entry names a PG_pgtable page; VmPTE matches the tables found (a
 * 2 MiB leaf counts the table deposited for it, as Linux's mm_inc_nr_ptes() does). */
bool pgtable_check(struct mm_core *core, struct mm_struct *mm, struct check_report *why);

#endif
