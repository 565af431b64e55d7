# kcompactd (Linux 6.12 mm/compaction.c kcompactd_do_work(), woken by kswapd through
# wakeup_kcompactd()): with defrag=defer a THP fault only wakes kswapd and kcompactd and
# falls back at once; kcompactd compacts after the access, and a later THP fault finds an
# order-9 block. compact_daemon_wake counts its runs; nothing is a direct compaction.
config mem=16M swap=0 thp=madvise defrag=defer khugepaged_max_ptes_none=0
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
expect sys thp_fault_fallback 1
expect sys compact_daemon_wake 1
expect sys compact_stall 0
expect sys pgmigrate_success > 0
P map D 512
P madvise D 0-511 hugepage
P write D 0
expect sys thp_fault_alloc 1
expect sys compact_daemon_wake 1
