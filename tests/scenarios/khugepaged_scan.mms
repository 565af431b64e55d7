# khugepaged's pace (Linux 6.12 mm/khugepaged.c khugepaged_do_scan(),
# khugepaged_scan_mm_slot()): each scan covers pages_to_scan pages' worth, 512 for every
# 2 MiB range looked at, and resumes where it stopped. With pages_to_scan=1024 a scan covers
# two ranges; the next comes scan_sleep_millisecs later.
config mem=64M thp=madvise khugepaged_pages_to_scan=1024 khugepaged_scan_sleep_ms=5000
spawn P
P map E 2048            # four aligned 2 MiB ranges, the lowest VMA of P
P write E 0
P write E 512
P write E 1024
P write E 1536
P madvise E 0-2047 hugepage
sleep 1
expect sys thp_collapse_alloc 2
expect P anonhuge 4096
sleep 4990
expect sys thp_collapse_alloc 2
sleep 10
expect sys thp_collapse_alloc 4
expect P anonhuge 8192
# Leaving removes P from khugepaged's list.
P exit
sleep 10000
expect sys thp_collapse_alloc 4
