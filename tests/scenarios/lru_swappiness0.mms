# Separate anon and file LRUs; swappiness=0 reclaims file pages before anonymous ones
# (Linux 6.12 mm/vmscan.c get_scan_count(): SCAN_FRACT with ap = swappiness * ... = 0, so
# the anon lists get no scan target). The cap of 64 user pages holds the 32 pages of f
# (cached by `file`, on the inactive file list, never mapped) and 32 anonymous pages;
# the next anonymous page reclaims one batch of 32 (reclaim=linux, SWAP_CLUSTER_MAX).
# Inactive file sits below 4096 pages (no cache_trim_mode at DEF_PRIORITY), file + free
# pages are far above the high watermarks (not file_is_tiny), swap is free: SCAN_FRACT.
# The file pages have no PTE, so none is referenced: 32 scanned, 32 dropped, no swap.
config mem=64M swap=128M frames=64 policy=linux reclaim=linux read_ahead_kb=0 swappiness=0
file f 32
spawn P
P map A 40
P write A 0-31
expect sys nr_inactive_file 32
expect sys nr_inactive_anon 32
P write A 32
expect sys pgscan_file 32
expect sys pgsteal_file 32
expect sys pgscan_anon 0
expect sys pgsteal_anon 0
expect sys pswpout 0
expect cache f 0
expect sys nr_inactive_file 0
expect sys nr_inactive_anon 33
