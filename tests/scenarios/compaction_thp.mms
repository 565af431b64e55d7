# Compaction leaves huge pages where they are (Linux 6.12 mm/compaction.c
# isolate_migratepages_block(): a compound page whose order is pageblock_order or more is
# skipped whole, skip_isolation_on_order(), its pages counted as scanned: nr_scanned +=
# (1 << order) - 1). A THP is order 9 = pageblock_order on x86-64: compaction never
# migrates it, whatever the free blocks above it. Free blocks are skipped the same way.
# 16 MiB of RAM, one zone (DMA: start_pfn 1, spanned 4095, `show sys zoneinfo`).
config mem=16M swap=0 thp=madvise defrag=never khugepaged_max_ptes_none=0
spawn P
# A takes 2048 pages; then two huge pages, at pfns 1536 and 2048 (`show P walk`); then A
# goes. The huge pages are the only user pages left.
P map A 2048
P write A 0-2047
P map H 1024
P madvise H 0-1023 hugepage
P write H 0
P write H 512
expect sys thp_fault_alloc 2
P unmap A 0-2047
expect P rss 4096
# compact_memory: nothing is isolated (compact_isolated 0), so the free scanner never
# runs (compact_free_scanned 0) and the migrate scanner walks the whole zone: pfns
# 1-4095, each counted once (the huge pages' 1024 and the free blocks' pages with them).
compact_memory
expect sys compact_migrate_scanned 4095
expect sys compact_free_scanned 0
expect sys compact_isolated 0
expect sys pgmigrate_success 0
expect sys pgmigrate_fail 0
# Both stay mapped by their PMDs, unsplit: touching every page takes no fault (minflt:
# A's 2048 and the two huge faults).
expect sys nr_anon_transparent_hugepages 2
expect sys thp_split_pmd 0
P read H 0-1023
expect P minflt 2050
