# khugepaged collapses 4 KiB pages into a huge page (Linux 6.12 mm/khugepaged.c
# hpage_collapse_scan_pmd(), collapse_huge_page()): a range is collapsed when its PTE table
# has at most max_ptes_none (511) empty or zero-page entries, at least one writable and one
# young entry. It scans pages_to_scan (4096) pages' worth every scan_sleep_millisecs
# (10000 ms), 512 per 2 MiB range; simulated time: 1 us an access, plus `sleep`.
config mem=64M thp=madvise
spawn P
# A: 512 pages, one aligned 2 MiB range. Ten pages touched before MADV_HUGEPAGE: ten 4 KiB
# faults, a PTE table.
P map A 512
P write A 0-9
expect P minflt 10
expect P rss 40
# MADV_HUGEPAGE lists P with khugepaged, which was idle: it wakes and scans at once, at the
# next access or sleep (khugepaged_wait_work()). 502 empty PTEs <= 511, ten young writable
# ones: collapsed. thp_collapse_alloc, rss 2 MiB, no fault, the PTE table is now the
# deposited one (VmPTE unchanged).
P madvise A 0-511 hugepage
sleep 1
expect sys thp_collapse_alloc 1
expect P anonhuge 2048
expect P rss 2048
expect P vmpte 12
P write A 100-511
expect P minflt 10
# B: one page touched is enough under max_ptes_none 511 (511 empty PTEs). P is listed
# already, so B waits for the next scan: 10 s after the first one was due (at the
# madvise of A, about 0.01 ms in; 1 ms and 413 accesses have passed since). At 9991.4 ms
# it has not run; at 10001.4 ms it has. A is a PMD leaf by then (SCAN_PMD_MAPPED).
P map B 512
P write B 0
P madvise B 0-511 hugepage
sleep 9990
expect sys thp_collapse_alloc 1
sleep 10
expect sys thp_collapse_alloc 2
expect P anonhuge 4096
expect P minflt 11
