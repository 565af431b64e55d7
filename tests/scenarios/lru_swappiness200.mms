# swappiness=200 (the maximum since Linux 5.8): get_scan_count()'s file fraction
# fp = (200 - swappiness) * ... = 0, so only the anon lists are scanned (Linux 6.12
# mm/vmscan.c). Same machine as lru_swappiness0.mms. The 32 anonymous pages were each
# written once: the first look at each finds its Accessed bit (folio_check_references():
# PG_referenced set, kept on the inactive list, bit cleared); 32 scans go round, then the
# second look finds no bit and reclaims it: 32 + 32 = 64 scanned, 32 swapped out, the
# file pages untouched.
config mem=64M swap=128M frames=64 policy=linux reclaim=linux read_ahead_kb=0 swappiness=200
file f 32
spawn P
P map A 40
P write A 0-31
P write A 32
expect sys pgscan_anon 64
expect sys pgsteal_anon 32
expect sys pswpout 32
expect sys pgscan_file 0
expect sys pgsteal_file 0
expect cache f 32
expect sys nr_inactive_anon 1
