# Direct compaction (Linux 6.12 mm/page_alloc.c __alloc_pages_slowpath() ->
# __alloc_pages_direct_compact() before direct reclaim for a costly order): with
# defrag=madvise a THP fault in a MADV_HUGEPAGE range may compact. The fragmented memory of
# compaction.mms: no free order-9 block, yet the fault gets its huge page after one
# compaction (compact_stall 1, compact_success 1) and no reclaim (swap=0 anyway).
config mem=16M swap=0 thp=madvise defrag=madvise khugepaged_max_ptes_none=0
spawn P
# A takes the free memory: its page tables first (one 4 KiB page in each 2 MiB), then all
# of it; then every other 256 pages (1 MiB) are unmapped. Free memory is plentiful (6.5
# MiB), but in blocks of order 8 at most (show sys buddyinfo).
P map A 3328
P write A 0
P write A 512
P write A 1024
P write A 1536
P write A 2048
P write A 2560
P write A 3072
P write A 0-3327
P unmap A 0-255
P unmap A 512-767
P unmap A 1024-1279
P unmap A 1536-1791
P unmap A 2048-2303
P unmap A 2560-2815
P unmap A 3072-3199
P map C 512
P madvise C 0-511 hugepage
P write C 0
expect sys compact_stall 1
expect sys compact_success 1
expect sys compact_fail 0
expect sys thp_fault_alloc 1
expect sys thp_fault_fallback 0
expect sys pgmigrate_success > 0
expect P anonhuge 2048
# Without MADV_HUGEPAGE under thp=always the same defrag=madvise would not compact: see
# compaction_kcompactd.mms for defrag=defer.
