# Compaction moves pages that are in the swap cache (Linux 6.12 mm/migrate.c:
# folio_migrate_mapping() moves the swap-cache slot to the new folio, which takes over
# the swap entry; every PTE that mapped the page is rewritten through rmap).
# 16 MiB of RAM, one zone (DMA), 64 MiB of swap (so swap stays less than half full and
# pages read back keep their slot: should_try_to_free_swap()); khugepaged kept out,
# defrag=never.
config mem=16M swap=64M thp=madvise defrag=never khugepaged_max_ptes_none=0
spawn P
# A takes the free memory as in compaction.mms: page tables first, then every page.
P map A 3328
P write A 0
P write A 512
P write A 1024
P write A 1536
P write A 2048
P write A 2560
P write A 3072
P write A 0-3327
# Out to swap and read back: 3328 pages each way; the reads keep every page in the swap
# cache (a read fault, swap not half full), mapped once: refcount = mapcount + 1.
P advise A 0-3327 pageout
expect sys pswpout 3328
P read A 0-3327
expect sys pswpin 3328
expect sys nr_swapcached 3328
# Holes of 1 MiB: every other 256 pages unmapped (their swap-cache pages go with them).
P unmap A 0-255
P unmap A 512-767
P unmap A 1024-1279
P unmap A 1536-1791
P unmap A 2048-2303
P unmap A 2560-2815
P unmap A 3072-3199
expect sys nr_swapcached 1664
P map C 512
P madvise C 0-511 hugepage
P write C 0
expect sys thp_fault_alloc 0
expect sys thp_fault_fallback 1
# The movable pages are A's 1664 swap-cache pages and C's one page: once they move, a
# huge page fits (before swap-cache pages were migrated, D fell back as C did).
compact_memory
expect sys pgmigrate_success > 0
expect sys pgmigrate_fail 0
expect sys nr_swapcached 1664
P map D 512
P madvise D 0-511 hugepage
P write D 0
expect sys thp_fault_alloc 1
# The moved pages kept their slots: paged out again, clean swap-cache pages are dropped
# without a write (pswpout stays 3328), and read back they are major faults again
# (pswpin 3328 + 256; majflt 3328 + 256).
P advise A 256-511 pageout
expect sys pswpout 3328
P read A 256-511
expect sys pswpin 3584
expect P majflt 3584
