# Compaction moves regular file page-cache pages, mapped or not, clean or dirty (Linux 6.12
# mm/compaction.c isolate_migratepages_block(): any LRU folio whose mapping has
# ->migrate_folio; mm/migrate.c migrate_folio() -> folio_migrate_mapping() puts the new
# folio in the page-cache slot, folio_migrate_flags() moves PG_dirty, and every PTE that
# mapped the old one is rewritten through rmap, remove_migration_ptes(), with a flush).
# 16 MiB of RAM, one zone (DMA, pfns 1-4095: `show sys zoneinfo`), no swap; khugepaged kept
# out, defrag=never (a THP fault neither reclaims nor compacts).
config mem=16M swap=0 thp=madvise defrag=never khugepaged_max_ptes_none=0
spawn P
# Thirteen files of 256 pages (1 MiB), every page cached, each mapped shared. Where their
# pages lie (`show P walk` of each page), for the even files that stay:
#   f0 pages 0-51 at pfns 3980-4031, 52-179 at 384-511, 180-255 at 3840-3915
#   f2 0-51 at 3788-3839, 52-255 at 512-715      f4 0-51 at 972-1023, 52-255 at 3072-3275
#   f6 0-51 at 3532-3583, 52-255 at 1024-1227    f8 at 1484-1739, f10 at 1996-2251,
#   f12 at 2508-2763
# and the odd files fill the rest, so that once they go each pageblock from 1 up holds
# 256 pages of the even files and 256 free ones (pageblock 0 holds the kernel's frames).
file f0 256
file f1 256
file f2 256
file f3 256
file f4 256
file f5 256
file f6 256
file f7 256
file f8 256
file f9 256
file f10 256
file f11 256
file f12 256
P map S0 file f0 shared rw
P map S1 file f1 shared rw
P map S2 file f2 shared rw
P map S3 file f3 shared rw
P map S4 file f4 shared rw
P map S5 file f5 shared rw
P map S6 file f6 shared rw
P map S7 file f7 shared rw
P map S8 file f8 shared rw
P map S9 file f9 shared rw
P map S10 file f10 shared rw
P map S11 file f11 shared rw
P map S12 file f12 shared rw
# A read of page 0 of each maps it with fault-around: the even regions start at PTE index
# 255 of their table and get 16 pages (0-15), the odd ones at index 511 get one.
# nr_mapped = 7 x 16 + 6 = 118; 13 faults.
P read S0 0
P read S1 0
P read S2 0
P read S3 0
P read S4 0
P read S5 0
P read S6 0
P read S7 0
P read S8 0
P read S9 0
P read S10 0
P read S11 0
P read S12 0
expect sys nr_mapped 118
# A private read-only mapping of f8 maps f8 page 0 a second time (at PTE index 511: one
# page): that page has two PTEs. Then pages 0-3 of f8 are written through S8: each was
# mapped read-only (write-notify), so each write faults (4) and dirties the page.
P map Q file f8 private r
P read Q 0
P write S8 0-3
expect P minflt 18
expect sys nr_dirty 4
# The odd files leave: unmapped, then dropped from the cache. Every pageblock from 1 up is
# now half free (256 of 512 pages), no free block reaches order 9, and a THP fault falls
# back. The 7 x 256 = 1792 pages of the even files stay cached, 112 of them mapped.
P unmap S1 0-255
dropcache f1
P unmap S3 0-255
dropcache f3
P unmap S5 0-255
dropcache f5
P unmap S7 0-255
dropcache f7
P unmap S9 0-255
dropcache f9
P unmap S11 0-255
dropcache f11
expect sys nr_file_pages 1792
expect sys nr_mapped 112
P map C 512
P madvise C 0-511 hugepage
P write C 0
expect sys thp_fault_fallback 1
# compact_memory: the migrate scanner walks pageblocks 0-3 (pfns 1-2047), the free scanner
# takes the free pages of pageblocks 7-4 (pfns 2048-4095) and they meet at 2048: each pfn
# of the zone is scanned by one of them (free blocks counted whole), 2047 + 2048 = 4095.
# Every page-cache page below 2048 moves: 128 (pageblock 0) + 3 x 256 = 896, none fails.
# The pages mapped among them are f4 0-15 (pageblock 1), f8 0-15 (pageblock 2, page 0 in
# two PTEs) and f10 0-15 (pageblock 3): 49 PTEs rewritten, one invlpg each (the 4 before
# were the write faults' flushes). The dirty pages f8 0-3 stay dirty.
compact_memory
expect sys pgmigrate_success 896
expect sys pgmigrate_fail 0
expect sys compact_migrate_scanned 2047
expect sys compact_free_scanned 2048
expect sys compact_isolated > 896
expect sys invlpg 53
expect sys nr_file_pages 1792
expect sys nr_mapped 112
expect sys nr_dirty 4
# Pageblocks 1-3 are free now: a huge page fits.
P map D 512
P madvise D 0-511 hugepage
P write D 0
expect sys thp_fault_alloc 1
# Every PTE points at the page's new frame: the mapped pages read and the dirty ones write
# without a fault (minflt: 18 + C + D = 20); Q's pages 1-15 were never mapped: one fault
# maps them. msync writes exactly the four dirty pages back.
P read S4 0-15
P read S8 0-15
P read S10 0-15
P write S8 0-3
expect P minflt 20
P read Q 0-15
expect P minflt 21
P msync S8
expect sys file_written 4
expect sys nr_dirty 0
expect cache f8 256
