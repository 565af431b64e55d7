# The huge zero page (Linux 6.12 mm/huge_memory.c do_huge_pmd_anonymous_page(): a read fault
# in a THP-eligible range with use_zero_page=1 maps the huge zero page read-only through
# the PMD, allocated at its first use, mm_get_huge_zero_folio(), thp_zero_page_alloc).
config mem=64M thp=always
spawn P
P map A 1024            # two aligned 2 MiB ranges (mmap_thp_align.mms)
P read A 0
# One fault; no memory charged to P (the zero page is nobody's); a deposited table.
expect P minflt 1
expect P rss 0
expect P anonhuge 0
expect sys thp_zero_page_alloc 1
expect sys thp_fault_alloc 0
expect P vmpte 12
# Reads anywhere in the 2 MiB hit the same PMD: no fault.
P read A 1-511
expect P minflt 1
# The second range shares the same huge zero page: no second allocation.
P read A 512
expect P minflt 2
expect sys thp_zero_page_alloc 1
# A write to a huge-zero PMD: do_huge_pmd_wp_page() -> do_huge_zero_wp_pmd() (Linux 6.13+)
# allocates a huge page (vma_alloc_anon_folio_pmd(), thp_fault_alloc) and maps it in the
# zero page's place (map_anon_folio_pmd()): one fault, 2 MiB of rss, no split; the
# deposited table stays deposited (VmPTE unchanged). Measured on Linux 6.18
# (tests/diff/test_realk_diff.sh).
P write A 5
expect P minflt 3
expect sys thp_split_pmd 0
expect sys thp_fault_alloc 1
expect P rss 2048
expect P anonhuge 2048
expect P vmpte 16
# The rest of that range is the new huge page, writable: no fault.
P read A 6-511
P write A 6
expect P minflt 3
expect P rss 2048
# With no huge page to be had (thp_fault_fallback), Linux 6.12's path: the PMD is split
# into 512 PTEs of the small zero page (__split_huge_zero_page_pmd(), thp_split_pmd) and
# the PTE fault copies the one 4 KiB zero page written (wp_page_copy): 4 kB of rss; the
# deposited table became the page table.
