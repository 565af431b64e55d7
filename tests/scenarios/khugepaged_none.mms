# khugepaged's limits (Linux 6.12 mm/khugepaged.c hpage_collapse_scan_pmd()): more than
# max_ptes_none empty (or zero-page) PTEs leave the range (thp_scan_exceed_none_pte); a
# range without a writable PTE is left (SCAN_PAGE_RO); an empty PMD (no PTE table) is never
# collapsed (SCAN_PMD_NONE).
config mem=64M thp=madvise khugepaged_max_ptes_none=500
spawn P
P map A 512
P write A 0-9           # 502 empty PTEs > 500
P map B 512
P write B 0-19          # 492 empty PTEs <= 500
P map C 512
P read C 0-99           # read faults: zero-page PTEs count as empty: 512 > 500
P map D 512             # nothing touched: no PTE table
P madvise A 0-511 hugepage
P madvise B 0-511 hugepage
P madvise C 0-511 hugepage
P madvise D 0-511 hugepage
sleep 1
expect sys thp_scan_exceed_none_pte 2
expect sys thp_collapse_alloc 1
expect P anonhuge 2048
# B's 20 pages are now inside a huge page: rss 2 MiB; A keeps its 10 pages.
expect P rss 2088
