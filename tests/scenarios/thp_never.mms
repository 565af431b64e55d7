# thp=never (/sys/kernel/mm/transparent_hugepage/enabled): no huge page even with
# MADV_HUGEPAGE (Linux 6.12 include/linux/huge_mm.h thp_vma_allowable_order()); the fault
# is an ordinary 4 KiB demand-zero fault, and nothing counts a fallback.
config mem=64M thp=never
spawn P
P map A 512
P madvise A 0-511 hugepage
P write A 0
expect P minflt 1
expect P rss 4
expect sys thp_fault_alloc 0
expect sys thp_fault_fallback 0
P read A 1
expect sys thp_zero_page_alloc 0
