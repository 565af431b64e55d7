# Compaction on demand (Linux 6.12 mm/compaction.c compact_zone(), as writing 1 to
# /proc/sys/vm/compact_memory): the migrate scanner moves movable pages from the bottom of
# the zone into free pages the free scanner takes from its top, so that free pages merge
# into order-9 blocks, and a huge page fits again.
# 16 MiB of RAM: one zone (DMA). khugepaged kept out (max_ptes_none=0), defrag=never: a
# THP fault neither reclaims nor compacts.
config mem=16M swap=0 thp=madvise defrag=never khugepaged_max_ptes_none=0
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
# No order-9 block: the THP fault falls back to a 4 KiB page (thp_fault_fallback).
P map C 512
P madvise C 0-511 hugepage
P write C 0
expect sys thp_fault_alloc 0
expect sys thp_fault_fallback 1
# compact_memory: pages migrate (each PTE rewritten through rmap), no direct compaction.
compact_memory
expect sys pgmigrate_success > 0
expect sys compact_migrate_scanned > 0
expect sys compact_free_scanned > 0
expect sys compact_stall 0
# Now a huge page fits: D's first fault maps one. Every page of A is still mapped, with
# its contents: rss = (3328 - 1664 unmapped) pages + C's page + D's huge page = 8708 kB.
P map D 512
P madvise D 0-511 hugepage
P write D 0
expect sys thp_fault_alloc 1
expect P rss 8708
P read A 256-511
P read A 3200-3327
expect P minflt 3330
