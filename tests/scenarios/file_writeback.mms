# meminfo Writeback: a page the flusher writes is under writeback (PG_writeback,
# nr_writeback) until its device request completes (Linux 6.12 mm/page-writeback.c
# folio_start_writeback()/folio_end_writeback(); wb_writeback() for background work is
# asynchronous). mmsim's clock: each user access takes 1 us, `sleep` adds time; the device
# serves one request at a time, disk_us + 4 kB at disk_mbps each:
# 100 + 4 * 1000 / (500 * 1000 / 1024 = 488 KiB/ms) = 100 + 8 = 108 us a page.
# dirty_ratio=0 and dirty_background_ratio=0 start background writeback at every dirtying;
# the flusher leaves the page being dirtied (docs/files.md).
config mem=64M dirty_ratio=0 dirty_background_ratio=0 read_ahead_kb=0 disk_us=100 disk_mbps=500
file f 8
spawn P
P map S file f shared rw
# Access 1 dirties page 0; nothing else is dirty.
P write S 0
expect sys nr_dirty 1
expect sys nr_writeback 0
# Access 2 dirties page 1; the flusher writes page 0 at 2 us: done at 2 + 108 = 110 us.
P write S 1
expect sys nr_dirty 1
expect sys nr_writeback 1
# Unmapped and clean (writeback write-protected it), page 0 would go with dropcache, but
# a page under writeback stays (mapping_evict_folio()); pages 2..7 go, page 1 is dirty.
P unmap S 0
dropcache f
expect cache f 2
# Accesses 3..109: still in flight; access 110: the clock reaches 110 us, it completes
# and dropcache may take it.
P map A 200
P write A 0-106
expect sys nr_writeback 1
P write A 107
expect sys nr_writeback 0
dropcache f
expect cache f 1
# Access 111 reads page 2 back (a major fault) and dirties it; the flusher writes page 1
# at 111 us, done at 219 us; a sleep of 1 ms passes that.
P write S 2
expect P majflt 1
expect sys nr_writeback 1
sleep 1
expect sys nr_writeback 0
expect sys file_written 2
expect sys nr_dirty 1
