# A file mapping's faults: page-cache hits are minor faults with fault-around, a miss is a
# major fault with mmap read-around (Linux 6.12 mm/memory.c do_read_fault(),
# do_fault_around(); mm/filemap.c filemap_fault(), do_sync_mmap_readahead(),
# do_async_mmap_readahead(); mm/readahead.c page_cache_ra_unbounded(),
# page_cache_async_ra()). read_ahead_kb=128: ra_pages = 32.
config mem=64M read_ahead_kb=128
file data 64
spawn P
# at= puts page 0 on a 64 KiB boundary, so fault-around windows are pages 16k..16k+15.
P map D file data private r at=0x7f0000000000
# `file` leaves every page cached: the read is a minor fault; fault-around maps the whole
# aligned 16-page window (its own page first of all): 16 pages = 64 kB.
P read D 0
expect P majflt 0
expect P minflt 1
expect P rssfile 64
# POSIX_FADV_DONTNEED drops clean pages nobody maps: 64 - 16 mapped = 48 go.
dropcache data
expect cache data 16
# Page 32 is not cached: fault-around finds nothing to map in [32, 48); filemap_fault()
# misses, a major fault; read-around: start = 32 - 32/2 = 16, size 32, async_size 8:
# pages [16, 48) are read (32 pages = 128 kB of pgpgin), and page 16 + 32 - 8 = 40 gets
# the readahead mark. filemap_fault() dropped the mmap lock for the I/O, so the fault
# returns VM_FAULT_RETRY and runs again (FAULT_FLAG_TRIED; counted once, as major): the
# retry's fault-around maps the window [32, 48) but the marked page 40, its own page
# among them: 15 pages, 60 kB (the I/O is complete by then: mmsim's completes at once;
# measured on Linux 6.18, tests/diff/test_realk_diff.sh).
P read D 32
expect P majflt 1
expect P minflt 1
expect sys pgpgin 128
expect sys pgmajfault 1
expect cache data 48
expect P rssfile 124
# Page 33 is mapped already: no fault.
P read D 33
expect P minflt 1
expect P majflt 1
expect P rssfile 124
# Page 40 carries the mark: a hit (minor) that starts async readahead. It is the expected
# mark (start + size - async_size = 40), so the window moves on: start 48, size 32, clamped
# to the file's end: pages [48, 64) are read (64 kB); no mark (the window was cut short).
P read D 40
expect P minflt 2
expect sys pgpgin 192
expect cache data 64
expect P rssfile 128
