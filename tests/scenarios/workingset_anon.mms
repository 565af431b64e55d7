# anon_workingset=on: swap-outs leave shadow entries in the swap cache and a swap-in that
# finds one is an anon refault (Linux 5.9+, here 6.12 mm/workingset.c and mm/swap_state.c
# __read_swap_cache_async()). The workingset size of an anon refault is active file +
# inactive file + (free swap) active anon. swappiness=200 scans anon only while both types
# exist; the 16 never-mapped pages of f are the inactive file list. frames=24 reclaims one
# page per allocation (demand mode). The clock advances at each eviction and activation.
config mem=64M swap=128M frames=24 policy=linux anon_workingset=on swappiness=200
file f 16
spawn P
P map A 16
P write A 0-7
# Page 8 over the cap: the first look at pages 0..7 finds each referenced (kept, bit
# cleared, PG_referenced); the second look at page 0 evicts it (clock 0 -> 1).
P write A 8
expect sys pswpout 1
expect sys pgscan_anon 9
# Page 0 comes back: its allocation evicts page 1 (clock 2); distance 2 - 0 = 2 <= 16:
# read in active (clock 3). Never deactivated: no restore.
P read A 0
expect sys workingset_refault_anon 1
expect sys workingset_activate_anon 1
expect sys workingset_restore_anon 0
expect sys nr_active_anon 1
# Page 1 comes back: the refault since the last reclaim deactivates the active anon list
# once (page 0 to the inactive head, PG_workingset); page 2 goes (clock 4); distance
# 4 - 1 = 3: activated (clock 5).
P read A 1
expect sys pgdeactivate 1
expect sys workingset_activate_anon 2
# Six new pages: the first reclaim deactivates page 1; pages 3..7 go (clocks 5..9); the
# sixth passes page 8 (referenced once: kept) and evicts page 0 with PG_workingset
# (clock 10 -> 11).
P write A 9-14
expect sys pgdeactivate 2
expect sys pswpout 8
# Page 0 again: page 1 goes (clock 12, clean in swap: not written again); distance
# 12 - 10 = 2: activated, and restored.
P read A 0
expect sys workingset_refault_anon 3
expect sys workingset_activate_anon 3
expect sys workingset_restore_anon 1
expect sys pswpin 3
expect sys pswpout 8
