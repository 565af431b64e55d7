# With no swap, anonymous pages cannot be reclaimed: get_scan_count() scans the file lists
# only (SCAN_FILE, !can_reclaim_anon_pages(); Linux 6.12 mm/vmscan.c), even with
# swappiness at its maximum. Clean file pages are dropped without swap; a dirty one is
# written back to its file first (pageout(): pgpgout 4 kB). Cap of 16 user pages: 8 file
# pages + 8 anonymous ones; the 17th page reclaims a batch of 32, which finds the 8 file
# pages (page 0 made dirty through a shared mapping, then unmapped: munmap moves the PTE's
# dirty bit to the page) and nothing else it may take.
config mem=64M swap=0 frames=16 policy=linux reclaim=linux read_ahead_kb=0 swappiness=200
file f 8
spawn P
P map S file f shared rw
P write S 0
P unmap S 0-7
expect sys nr_dirty 1
P map A 16
P write A 0-7
P write A 8
expect sys pgscan_file 8
expect sys pgsteal_file 8
expect sys pgscan_anon 0
expect sys pswpout 0
expect sys pgpgout 4
expect cache f 0
expect sys nr_inactive_anon 9
