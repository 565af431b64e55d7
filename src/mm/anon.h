/*
 * mm/anon.h: anonymous and shmem pages as mapped by PTEs: the PTE values Linux builds for
 * a VMA (arch/x86 protection_map, vm_get_page_prot), new anonymous pages with their rmap
 * fields, copy-on-write reuse, unmapping, and fork's sharing.
 *
 * PTE conventions (x86-64 Linux): a user PTE is P US A, RW only when writing is allowed
 * now (private mappings get RW at a write fault), D on a written page, XD unless VM_EXEC.
 * The zero page's PTE is marked special (_PAGE_SPECIAL, software bit 9). A PROT_NONE PTE
 * keeps its page with P clear and _PAGE_PROTNONE (bit 8, the G position) set.
 */
#ifndef MMSIM_MM_ANON_H
#define MMSIM_MM_ANON_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/x86_64/pte.h"
#include "arch/x86_64/types.h"

struct mm_core;
struct mm_struct;
struct vma;
struct page;

/* Linux _PAGE_SPECIAL (software bit 1 = bit 9): a PTE with no struct page to count. */
#define ANON_PTE_SPECIAL X86_PTE_AVL9
/* Linux _PAGE_PROTNONE: bit 8 (G position), meaningful only while P is clear. */
#define ANON_PTE_PROTNONE X86_PTE_G

static inline bool anon_pte_protnone(uint64_t pte)
{
	return !x86_pte_present(pte) && (pte & ANON_PTE_PROTNONE);
}

/* The PTE for pfn in vma, with write access granted now or not, dirty or not. */
uint64_t anon_pte(const struct mm_core *core, const struct vma *vma, pfn_t pfn, bool writable,
		  bool dirty);
/* The PTE for a shmem page: writable when the VMA is (shared mappings need no COW). */
uint64_t shmem_pte(const struct mm_core *core, const struct vma *vma, pfn_t pfn, bool dirty);
/* Rewrites a present (or PROT_NONE) PTE for new VMA rights (Linux pte_modify()). */
uint64_t anon_pte_modify(const struct mm_core *core, uint64_t pte, const struct vma *vma,
			 bool keep_write);

/*
 * A new zeroed anonymous page for a fault at va in vma: rmap fields set (anon_vma, index),
 * exclusive to this mapping, mapcount 1, on the LRU. 0 or -ENOMEM.
 */
int anon_new_page(struct mm_core *core, struct vma *vma, vaddr_t va, pfn_t *pfn_out);
/* Linux wp_can_reuse_anon_folio(): may a write fault reuse this page in place? */
bool anon_can_reuse(struct page *pg);
/* Copies page contents (data mode only). */
void anon_copy_data(struct mm_core *core, pfn_t dst, pfn_t src);
/* Is pg counted in nr_mapped (NR_FILE_MAPPED) while a PTE maps it? File and shmem pages
 * are, as in Linux (folio_add_file_rmap_ptes() counts every non-anonymous folio). */
bool anon_page_is_file_mapped(const struct page *pg);
/* One PTE stopped mapping pfn (anonymous or shmem): mapcount, rss gauges, refcount, and
 * the page freed when its last reference goes. The caller adjusts the mm's rss. */
void anon_unmap_page(struct mm_core *core, pfn_t pfn);
/* fork: a second PTE maps the page; an anonymous page stops being exclusive. */
void anon_dup_page(struct mm_core *core, pfn_t pfn);
/* A shmem page got one more PTE. */
void shmem_page_mapped(struct mm_core *core, pfn_t pfn);

/* Swap-in of the entry in the PTE at pte_addr (swap.c). 0 or -ENOMEM. */
int anon_swapin(struct mm_core *core, struct mm_struct *mm, struct vma *vma, vaddr_t va,
		paddr_t pte_addr, bool write, bool *major, const char **decision);

#endif
