# Transparent huge pages on an anonymous write fault (Linux 6.12 mm/memory.c
# __handle_mm_fault() -> create_huge_pmd() -> mm/huge_memory.c do_huge_pmd_anonymous_page()).
# thp=madvise (the default here, as on most distributions): only MADV_HUGEPAGE VMAs qualify,
# and a fault qualifies when its PMD is empty and the aligned 2 MiB around it lies inside
# the VMA (thp_vma_suitable_order()).
config mem=64M thp=madvise
spawn P
# 1024 pages = 4 MiB, a multiple of 2 MiB: mmap places it 2 MiB aligned (mmap_thp_align.mms),
# so A holds two whole PMD ranges, pages 0-511 and 512-1023.
P map A 1024
P madvise A 0-1023 hugepage
P write A 0
# One fault maps the whole 2 MiB: one order-9 page (thp_fault_alloc), rss 512 pages.
expect P minflt 1
expect sys thp_fault_alloc 1
expect sys thp_fault_fallback 0
expect P rss 2048
expect P anonhuge 2048
# smaps_account() on the PMD: the 512 pages have one mapper, so Pss is their whole size.
expect P pss 2048
# VmPTE: the PUD and PMD tables, plus the PTE table Linux deposits for every huge PMD
# (pgtable_trans_huge_deposit(), mm_inc_nr_ptes()): 3 pages = 12 kB.
expect P vmpte 12
# The other 511 pages of the 2 MiB are mapped already: no fault. The TLB caches one
# 2 MiB translation, so the sweep needs no page walk: the only two walks are the first
# write's (it faulted) and its retry.
P write A 1-511
expect P minflt 1
expect sys page_walks 2
# The second PMD range: one more fault, one more huge page and deposited table.
P write A 1023
expect P minflt 2
expect sys thp_fault_alloc 2
expect P anonhuge 4096
expect P vmpte 16
expect sys nr_anon_transparent_hugepages 2
# Without MADV_HUGEPAGE, under thp=madvise, the same access pattern faults page by page.
P map B 1024
P write B 0-3
expect P minflt 6
expect sys thp_fault_alloc 2
expect P anonhuge 4096
# MADV_HUGEPAGE over part of C: the VMA splits; only a 2 MiB range wholly inside the
# madvised VMA qualifies. C = 1024 pages, 2 MiB aligned; pages 256-1023 madvised: the range
# of pages 0-511 is not wholly inside the hugepage VMA, so page 300 falls back to 4 KiB
# without counting thp_fault_fallback (no huge page was tried); page 600 gets one.
P map C 1024
P madvise C 256-1023 hugepage
P write C 300
expect sys thp_fault_alloc 2
expect sys thp_fault_fallback 0
P write C 600
expect sys thp_fault_alloc 3
expect P anonhuge 6144
# Leaving: every huge page is freed whole (zap_huge_pmd(), no split).
P exit
expect sys thp_split_pmd 0
expect sys nr_anon_transparent_hugepages 0
