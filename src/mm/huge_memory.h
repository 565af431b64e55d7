/*
 * mm/huge_memory.h: transparent huge pages for private anonymous memory (Linux 6.x:
 * mm/huge_memory.c, mm/memory.c __handle_mm_fault, include/linux/huge_mm.h).
 *
 * A THP is an order-9 block (2 MiB) mapped by one PDE with PS set (a "PMD leaf"). The
 * settings are /sys/kernel/mm/transparent_hugepage/{enabled,defrag,use_zero_page}.
 *
 * State of a THP: the block's head page carries PG_ANON (rmap through mapping/index as a
 * small page), PG_HEAD and order 9; its mapcount is the number of PMDs mapping it and each
 * of them holds one reference. It sits on the LRU as one entry. rss_anon and nr_anon_pages
 * count 512 pages for each mapping, nr_anon_transparent_hugepages one huge page.
 * Every PMD leaf has a page table deposited for it (Linux pgtable_trans_huge_deposit()):
 * counted in VmPTE, kept on a list hung from the PD page's struct page (private = first
 * deposited pfn + 1, each deposited page's private = next + 1), used when the PMD splits.
 *
 * mmsim: splitting a PMD splits the page itself (split_huge_page()): every other PMD that
 * maps it becomes PTEs too, and thp_split_pmd counts each. Linux splits only the one PMD
 * and leaves the page PTE-mapped in this process and PMD-mapped in others, splitting the
 * page later (deferred split). So a THP here is always either PMD-mapped only, or 512
 * ordinary pages. Also mmsim: a PROT_NONE mprotect of a whole PMD splits it (Linux keeps
 * a PROT_NONE PMD leaf), and mremap splits the PMDs it moves (Linux moves aligned ones
 * whole, move_huge_pmd()). docs/kernel.md lists these.
 */
#ifndef MMSIM_MM_HUGE_MEMORY_H
#define MMSIM_MM_HUGE_MEMORY_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/x86_64/types.h"

struct mm_core;
struct mm_struct;
struct page;
struct vma;
struct check_report;

#define HPAGE_PMD_ORDER 9u
#define HPAGE_PMD_NR (1u << HPAGE_PMD_ORDER)
#define HPAGE_PMD_SIZE (UINT64_C(1) << X86_PMD_SHIFT)
#define HPAGE_PMD_MASK (~(HPAGE_PMD_SIZE - 1))

/* /sys/kernel/mm/transparent_hugepage/enabled */
enum thp_enabled {
	THP_ENABLED_NEVER,
	THP_ENABLED_MADVISE, /* only VMAs with MADV_HUGEPAGE (mmsim's default, see kernel.md) */
	THP_ENABLED_ALWAYS,  /* every VMA but those with MADV_NOHUGEPAGE */
};

/* /sys/kernel/mm/transparent_hugepage/defrag: how hard a fault tries for a huge page. */
enum thp_defrag {
	THP_DEFRAG_ALWAYS,	  /* direct reclaim and compaction */
	THP_DEFRAG_DEFER,	  /* wake kswapd/kcompactd, fail at once */
	THP_DEFRAG_DEFER_MADVISE, /* direct for MADV_HUGEPAGE VMAs, else defer */
	THP_DEFRAG_MADVISE,	  /* direct for MADV_HUGEPAGE VMAs, else nothing (default) */
	THP_DEFRAG_NEVER,	  /* no reclaim, no compaction */
};

struct thp_settings {
	enum thp_enabled enabled;
	enum thp_defrag defrag;
	bool use_zero_page; /* read faults map the huge zero page (default 1) */
};

/* The names as the sysfs files take them; NULL past the end. Parse: 0 or -EINVAL. */
const char *thp_enabled_name(unsigned int i);
const char *thp_defrag_name(unsigned int i);
int thp_enabled_parse(const char *s, enum thp_enabled *out);
int thp_defrag_parse(const char *s, enum thp_defrag *out);

/* Linux thp_vma_allowable_order() for the VMA as a whole: the settings and its
 * MADV_(NO)HUGEPAGE allow huge pages, and it is private anonymous. */
bool huge_vma_thp_enabled(const struct mm_core *core, const struct vma *vma);
/* Linux thp_vma_allowable_order() with thp_vma_suitable_order() for a PMD at haddr: the
 * settings and the VMA's MADV_(NO)HUGEPAGE allow it, it is private anonymous, and
 * [haddr, haddr + 2 MiB) lies inside it. */
bool huge_vma_allowed(const struct mm_core *core, const struct vma *vma, vaddr_t haddr);

enum huge_fault_result {
	HUGE_FAULT_FALLBACK, /* go on at the PTE level (Linux VM_FAULT_FALLBACK) */
	HUGE_FAULT_DONE,     /* handled at the PMD level */
	HUGE_FAULT_OOM,
};

/*
 * The PMD half of Linux __handle_mm_fault() for an access at va in vma (already checked by
 * access_error): an empty PMD in a THP-eligible range gets a huge page, or the huge zero
 * page on a read (do_huge_pmd_anonymous_page()); a write to a read-only PMD leaf reuses or
 * splits it (do_huge_pmd_wp_page()); other faults on a leaf only mark it young
 * (huge_pmd_set_accessed()). *decision says what was done when DONE.
 */
enum huge_fault_result huge_pmd_fault(struct mm_core *core, struct mm_struct *mm, struct vma *vma,
				      vaddr_t va, bool write, const char **decision);

/* Splits every PMD leaf of mm meeting [start, end) of vma (all of them, not only partial
 * ones). exclusive_only: only THPs this mapping owns alone (MADV_PAGEOUT's rule). */
void huge_split_range(struct mm_core *core, struct vma *vma, vaddr_t start, vaddr_t end,
		      bool exclusive_only);
/* Splits the PMD leaf covering addr if addr is not 2 MiB aligned (Linux
 * vma_adjust_trans_huge() before a VMA is split at addr). */
void huge_split_address(struct mm_core *core, struct mm_struct *mm, vaddr_t addr);

/* munmap/MADV_DONTNEED/exit: PMD leaves wholly inside [start, end) are unmapped whole
 * (zap_huge_pmd()); those it covers in part are split first (__split_huge_pmd()), and the
 * PTE zap that follows does the rest. */
void huge_zap_range(struct mm_core *core, struct vma *vma, vaddr_t start, vaddr_t end);

/* mprotect over [start, end) of vma (flags already set): whole PMD leaves get the new
 * rights (change_huge_pmd()), others are split for the PTE pass. Returns the leaves
 * changed; the caller flushes the TLB for the range. */
uint64_t huge_change_protection(struct mm_core *core, struct vma *vma, vaddr_t start, vaddr_t end);

/* fork: copies src_vma's PMD leaves into dst (copy_huge_pmd()): the THP is shared
 * write-protected in both, the child's PMD old. 0 or -ENOMEM. */
int huge_copy_range(struct mm_core *core, struct mm_struct *dst, struct mm_struct *src,
		    struct vma *src_vma);

/* Linux split_huge_page(): every PMD mapping the THP at head becomes 512 PTEs, and the
 * block becomes 512 order-0 anonymous pages (tails join the LRU after the head). */
void huge_split_page(struct mm_core *core, struct page *head);

/* Is pg the head of an anonymous THP? */
bool huge_page_is_thp(const struct page *pg);

/* kB of anonymous THPs mapped by PMDs in mm (smaps AnonHugePages, summed). */
uint64_t huge_anon_kb(struct mm_core *core, struct mm_struct *mm, vaddr_t start, vaddr_t end);

/* The huge zero page's pfn, allocating it on first use (mm_get_huge_zero_folio()).
 * 0 and *pfn_out, or -ENOMEM. */
int huge_zero_page(struct mm_core *core, pfn_t *pfn_out);

/* Deposit and withdraw of the page table kept for the PMD leaf at pmd_addr. */
void huge_deposit(struct mm_core *core, paddr_t pmd_addr, pfn_t table);
pfn_t huge_withdraw(struct mm_core *core, paddr_t pmd_addr);

/* Linux folio_add_new_anon_rmap() and folio_add_lru_vma() for a new anonymous THP at
 * haddr in vma: the head becomes exclusive anon, mapped once, counted and on the LRU. */
void huge_add_new_anon(struct mm_core *core, struct vma *vma, vaddr_t haddr, struct page *head);

/* The PMD leaf value for a THP (or the huge zero page) at pfn in vma. */
uint64_t huge_pmd_make(const struct mm_core *core, const struct vma *vma, pfn_t pfn, bool writable,
		       bool dirty);

#endif
