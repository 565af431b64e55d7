# The workingset shadow shrinker (Linux 6.12 mm/workingset.c count_shadow_nodes() and
# shadow_lru_isolate(), mm/shrinker.c do_shrink_slab(); src/mm/workingset.c), run after
# each reclaim pass as shrink_node() runs shrink_slab(). A 16 MiB machine has 3,998
# present pages (show sys zoneinfo): max_nodes = 3998 >> (XA_CHUNK_SHIFT - 3) = 499
# shadow-only index nodes of 64 entries. Beyond that they are freeable; with seeks 0 a
# call scans freeable / 2 (plus deferred work >> priority 12, which stays 0 below 4,096)
# in batches of 128 while a whole batch is left: nothing goes until 256 nodes are
# freeable (755 nodes), then the 128 oldest go (workingset_nodereclaim) with every shadow
# in them. demand reclaim under a cap of 64 frames evicts exactly one page, the oldest,
# for each page over the cap; each eviction is a reclaim pass.
config mem=16M swap=0 frames=64 policy=linux reclaim=demand read_ahead_kb=0
# 48,320 = 64 + 64 * 754 pages: writing them evicts pages 0..48,255, so index nodes 0..753
# hold shadows only (754 nodes, 255 freeable: 127 to scan, less than a batch).
file a 48320
expect cache a 64
expect sys workingset_nodes 754
expect sys workingset_nodereclaim 0
# A second file's 64 pages evict a's last 64: node 754 becomes shadow-only, 755 nodes,
# 256 freeable: one batch of 128 goes, the oldest, nodes 0..127 (a's pages 0..8,191).
file b 64
expect cache a 0
expect cache b 64
expect sys workingset_nodes 627
expect sys workingset_nodereclaim 128
# Page 0's shadow went with its node: reading it back is no refault. Page 8,192 (node
# 128) still has its shadow: a refault (too old to be activated), and its node holds a
# page again, so it leaves the list.
spawn P
P read file a offset=0
expect sys workingset_refault_file 0
expect sys workingset_nodes 627
P read file a offset=8192
expect sys workingset_refault_file 1
expect sys workingset_activate_file 0
expect sys workingset_nodes 626
expect sys workingset_nodereclaim 128
