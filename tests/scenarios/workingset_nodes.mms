# Shadow entries in the page-cache index and workingset_nodes (Linux 6.12 mm/workingset.c
# workingset_update_node(): an xarray leaf node of 64 entries counts while every entry in
# it is a shadow). No swap: reclaim takes file pages only (get_scan_count(): SCAN_FILE),
# and the workingset size of a file refault is the active file list alone.
config mem=64M swap=0 frames=64 policy=linux read_ahead_kb=0
# 128 pages under a cap of 64: pages 64..127 each evict the oldest, so pages 0..63 leave
# shadows with clocks 0..63 (clock 64). Index 0..63 is one leaf node of shadows only;
# 64..127 holds pages.
spawn P
file f 128
expect cache f 64
expect sys workingset_nodes 1
expect sys workingset_refault_file 0
# Page 0 refaults: its allocation evicts page 64 (clock 65); distance 65 - 0 = 65 > 0
# active file pages: counted as a refault, not activated. Node 0..63 now holds a page.
P map F file f pages=1 shared r
P read F 0
expect sys workingset_refault_file 1
expect sys workingset_activate_file 0
expect sys nr_active_file 0
expect sys workingset_nodes 0
# dropcache leaves no shadows (invalidate_mapping_pages(): not reclaim): the 63 unmapped
# cached pages 65..127 go, leaving index 64..127 with shadow 64 alone: a shadow node.
dropcache f
expect cache f 1
expect sys workingset_nodes 1
