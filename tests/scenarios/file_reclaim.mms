# Reclaim of file pages: a clean page is dropped, a dirty one is written back first, and
# neither needs swap (Linux 6.12 mm/vmscan.c shrink_folio_list(), pageout(); mm/rmap.c
# try_to_unmap_one() moves a PTE's dirty bit to the page). FIFO and a cap of 8 resident
# user pages make each victim the oldest page; read_ahead_kb=0 reads one page a miss.
config mem=64M swap=0 frames=8 policy=fifo read_ahead_kb=0
file f 8
expect cache f 8
spawn P
# One page over the cap: the oldest page, file page 0, is clean: dropped, no I/O.
P map A 1
P write A 0
expect cache f 7
expect sys pgsteal_file 1
expect sys pgpgout 0
# A shared write dirties page 1 (a cache hit: no new page).
P map S file f shared rw at=0x7f0000000000
P write S 1
expect sys nr_dirty 1
expect P rssfile 4
# The next victim is page 1, dirty and mapped: unmapped, written (4 kB), dropped.
P map B 2
P write B 0
expect sys pgpgout 4
expect sys nr_dirty 0
expect sys pgsteal_file 2
expect cache f 6
expect P rssfile 0
# Reading page 1 again: fault-around maps the cached pages 2..7 first; the miss on page 1
# is a major fault whose new page evicts the oldest, page 2, just mapped (unmapped again).
# RssFile: 6 - 1 + 1 pages = 24 kB.
P read S 1
expect P majflt 1
expect sys pgpgin 4
expect cache f 6
expect P rssfile 24
expect sys pswpout 0
