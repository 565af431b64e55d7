# fork and a write to a shared huge page (Linux 6.12 mm/huge_memory.c copy_huge_pmd() and
# do_huge_pmd_wp_page()). fork shares the THP read-only in both processes (the child's
# PMD old, a table deposited for it). A later write reuses the huge page when nobody else
# holds it (folio_ref_count() == 1: the child is gone), else splits the PMD and falls back
# to the PTE fault, which copies only the 4 KiB page written (wp_page_copy()).
config mem=64M thp=madvise
spawn P
P map A 512
P madvise A 0-511 hugepage
P write A 0
P fork Q
expect Q rss 2048
expect Q anonhuge 2048
# Q's tables: PUD, PMD and the deposited PTE table.
expect Q vmpte 12
expect sys thp_fault_alloc 1
Q exit
# The child is gone: the write reuses the huge page in place (one fault, no copy).
P write A 1
expect P minflt 2
expect sys thp_split_pmd 0
expect sys thp_fault_alloc 1
expect P anonhuge 2048
# A child that stays: P's write splits and copies one 4 KiB page. rss stays 512 pages in
# each (511 shared + P's copy). Linux splits P's PMD only (thp_split_pmd 1) and leaves R's
# PMD mapping the now partly mapped page; mmsim splits the page, so R's PMD too:
# thp_split_pmd 2 (docs/kernel.md lists this difference).
P fork R
P write A 2
expect P minflt 3
expect sys thp_split_pmd 2
expect P rss 2048
expect R rss 2048
expect P anonhuge 0
expect R anonhuge 0
# R's write to page 2 is one fault (R alone maps that small page now).
R write A 2
expect R minflt 1
