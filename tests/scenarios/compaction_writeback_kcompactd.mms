# A file page under writeback and compaction's migrate modes (Linux 6.12): kcompactd runs in
# MIGRATE_SYNC_LIGHT: it isolates a page under writeback, whose migration then fails
# (migrate_folio_unmap(): -EBUSY outside MIGRATE_SYNC, counted in pgmigrate_fail).
# compact_memory runs in MIGRATE_SYNC, where Linux waits for the write
# (folio_wait_writeback()); mmsim does not wait: the page fails the same way.
# Machine, files and layout as in compaction_file.mms (pfns of each page there); the
# odd files go, so every pageblock from 1 up is half free. dirty_ratio=0 and
# dirty_background_ratio=0 start background writeback at each dirtying (file_writeback.mms):
# a write takes 100 + 8 = 108 us of the device, each access 1 us.
config mem=16M swap=0 thp=madvise defrag=defer khugepaged_max_ptes_none=0 dirty_ratio=0 dirty_background_ratio=0 disk_us=100 disk_mbps=500
spawn P
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
# Fault-around maps pages 0-15 of each even file (13 faults).
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
# f4 page 0 (pfn 972, pageblock 1) is written: dirty; then page 1: the flusher writes
# page 0, under writeback for the next 108 us; page 1 stays dirty. Each write faults once
# (write-notify) and flushes its PTE; page 0's writeback write-protects it (one more).
P write S4 0
P write S4 1
expect sys nr_writeback 1
expect sys nr_dirty 1
expect sys invlpg 3
# defrag=defer: C's huge-page fault falls back and wakes kswapd and kcompactd for order 9,
# both run after the access. No zone has a free order-9 block, so the node is not balanced
# for order 9 (wakeup_kswapd(), pgdat_balanced()): kswapd reclaims clean file pages until
# it has 2 << 9 = 1024 (compact_gap(), kswapd_shrink_node()), then checks at order 0 and
# stops. kcompactd then finds those pageblocks emptier than compaction_writeback_direct.mms
# does (639 pages moved there; mmsim's figures here, since the kswapd change): 31 pages
# move; the migrate scanner still covers pfns 1-1535, and f4 page 0 is isolated
# (compact_isolated) and fails: pgmigrate_fail 1. No PTE of it was touched (invlpg 3 + 31).
P map C 512
P madvise C 0-511 hugepage
P write C 0
expect sys thp_fault_fallback 1
expect sys compact_daemon_wake 1
expect sys compact_stall 0
expect sys pageoutrun 1
expect sys pgsteal_kswapd 1024
expect sys pgmigrate_success 31
expect sys pgmigrate_fail 1
expect sys compact_migrate_scanned 1535
expect sys invlpg 34
# compact_memory while the write is still in flight: what had not moved yet moves, and
# f4 page 0 fails again.
expect sys nr_writeback 1
compact_memory
expect sys pgmigrate_success 720
expect sys pgmigrate_fail 2
# Once the write has completed (sleep), compact_memory moves the page: no more failures.
sleep 1
expect sys nr_writeback 0
compact_memory
expect sys pgmigrate_success > 720
expect sys pgmigrate_fail 2
