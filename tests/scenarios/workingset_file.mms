# Workingset detection on file pages with shadow entries (Linux 6.12 mm/workingset.c:
# workingset_eviction(), workingset_refault(), workingset_test_recent()). The clock (the
# non-resident age) advances by one at each eviction and each activation; an eviction
# leaves a shadow holding the clock and PG_workingset. A refault is recent when
# clock_now - clock_at_eviction <= workingset size, which for a file page with free swap
# is active file + active anon + inactive anon. swappiness=0 makes every reclaim take a
# file page (get_scan_count(): ap = 0); frames=24 reclaims one page per allocation
# (demand mode); read_ahead_kb=0 reads one page per miss; 1-page mappings keep
# fault-around out of the way.
config mem=64M swap=128M frames=24 policy=linux read_ahead_kb=0 swappiness=0
spawn P
P map A 16
P write A 0-15
# 16 anon + 8 file pages fill the cap; pages 8..15 each evict the inactive file tail:
# pages 0..7 go with clocks 0..7 (clock now 8), none referenced (no PTE).
file f 16
expect cache f 8
expect sys pgsteal_file 8
expect sys workingset_nodes 0
# Refault of page 0: its allocation evicts page 8 (clock 8 -> 9); distance 9 - 0 = 9 <=
# 0 + 0 + 16 inactive anon: activated (clock 10). Page 0 was never deactivated: no restore.
P map F file f pages=1 shared r
P read F 0
expect P majflt 1
expect sys workingset_refault_file 1
expect sys workingset_activate_file 1
expect sys workingset_restore_file 0
expect sys nr_active_file 1
expect sys nr_inactive_file 7
# A refault activated since the last reclaim: this reclaim first deactivates the active
# file list once (prepare_scan_control(), DEACTIVATE_FILE): page 0 goes to the inactive
# head with PG_workingset. Page 9 is evicted (clock 10 -> 11); page 1 refaults at distance
# 11 - 1 = 10 <= 16: activated (clock 12).
P map G file f offset=1 pages=1 shared r
P read G 0
expect sys pgdeactivate 1
expect sys workingset_refault_file 2
expect sys workingset_activate_file 2
expect sys nr_active_file 1
expect sys nr_inactive_file 7
# Seven anonymous pages, each evicting one file page: the first reclaim deactivates page 1
# (refaults again), then pages 10..15 go (clocks 12..17) and page 0, PG_workingset, unmapped
# from F (clock 18 -> 19). Inactive file: page 1 alone.
P map B 8
P write B 0-6
expect sys pgdeactivate 2
expect sys pgsteal_file 17
expect cache f 1
expect P rssfile 4
# Page 0 refaults: its allocation evicts page 1 (clock 19 -> 20); distance 20 - 18 = 2 <=
# 16 + 7 inactive anon: activated, and it was workingset: restored.
P read F 0
expect sys workingset_refault_file 3
expect sys workingset_activate_file 3
expect sys workingset_restore_file 1
expect sys nr_active_file 1
expect sys nr_inactive_file 0
expect sys pgscan_anon 0
expect sys pswpout 0
