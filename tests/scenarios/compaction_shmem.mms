# Compaction moves shmem pages (Linux 6.12 mm/migrate.c: migrate_folio() ->
# folio_migrate_mapping() replaces the folio in its mapping's page cache, and every PTE
# that mapped it is rewritten through rmap, remove_migration_ptes()).
# 16 MiB of RAM, one zone (DMA), no swap; khugepaged kept out, defrag=never (a THP fault
# neither reclaims nor compacts).
config mem=16M swap=0 thp=madvise defrag=never khugepaged_max_ptes_none=0
spawn P
# Thirteen shared anonymous regions of 256 pages (1 MiB each): each is a shmem object.
# Page 0 of each first, so that the page tables are allocated before the data; then all.
# Shared write faults map one page each: 13 x 256 = 3328 faults.
P map S0 256 rw shared
P map S1 256 rw shared
P map S2 256 rw shared
P map S3 256 rw shared
P map S4 256 rw shared
P map S5 256 rw shared
P map S6 256 rw shared
P map S7 256 rw shared
P map S8 256 rw shared
P map S9 256 rw shared
P map S10 256 rw shared
P map S11 256 rw shared
P map S12 256 rw shared
P write S0 0
P write S1 0
P write S2 0
P write S3 0
P write S4 0
P write S5 0
P write S6 0
P write S7 0
P write S8 0
P write S9 0
P write S10 0
P write S11 0
P write S12 0
P write S0 0-255
P write S1 0-255
P write S2 0-255
P write S3 0-255
P write S4 0-255
P write S5 0-255
P write S6 0-255
P write S7 0-255
P write S8 0-255
P write S9 0-255
P write S10 0-255
P write S11 0-255
P write S12 0-255
expect P minflt 3328
# Unmapping every other region frees its object and its pages: holes of 1 MiB between
# regions that stay, so no free block reaches order 9 and a THP fault falls back.
P unmap S1 0-255
P unmap S3 0-255
P unmap S5 0-255
P unmap S7 0-255
P unmap S9 0-255
P unmap S11 0-255
expect sys nr_shmem 1792
P map C 512
P madvise C 0-511 hugepage
P write C 0
expect sys thp_fault_alloc 0
expect sys thp_fault_fallback 1
# The only movable pages are the 1792 shmem pages (and C's one anonymous page): once they
# move, free pages merge and a huge page fits. Before shmem pages were migrated, nothing
# moved here and D fell back as C did.
compact_memory
expect sys pgmigrate_success > 0
expect sys pgmigrate_fail 0
expect sys nr_shmem 1792
P map D 512
P madvise D 0-511 hugepage
P write D 0
expect sys thp_fault_alloc 1
# Every remaining shmem page is still mapped where it was: reading them all takes no
# fault (minflt = 3328 + C's fault + D's fault), and rss = 7 x 1 MiB of shmem + C's page +
# D's huge page = 7168 + 4 + 2048 kB.
P read S0 0-255
P read S2 0-255
P read S4 0-255
P read S6 0-255
P read S8 0-255
P read S10 0-255
P read S12 0-255
expect P minflt 3330
expect P rss 9220
