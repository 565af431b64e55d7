# read() and pread() of a file: Linux 6.12 mm/filemap.c filemap_read() ->
# filemap_get_pages(): a cache miss runs page_cache_sync_ra(), a page carrying the readahead
# mark runs page_cache_async_ra() (mm/readahead.c). read_ahead_kb=128: ra_pages = 32.
# Windows: get_init_ra_size(size, 32) = 4 * roundup_pow_of_two(size) up to 32/32, then x2
# up to 32/4, else 32; get_next_ra_size(cur, 32) = 4 * cur below 32/16, 2 * cur up to
# 32/2, else 32. read() moves the file position; nothing is copied into P's memory.
config mem=64M read_ahead_kb=128
file f 256
dropcache f
expect cache f 0
spawn P
# read(1 page) at position 0: a miss at the file's first page: a new window of
# get_init_ra_size(1) = 4 pages, async_size 4 - 1 = 3: pages 0-3 read, page 1 marked.
P read file f
expect cache f 4
expect sys file_ra_pages 4
expect sys pgpgin 16
# A read is no page fault.
expect P minflt 0
expect P majflt 0
expect sys pgmajfault 0
# Position 1 carries the mark, where the window expects it (start + size - async_size =
# 0 + 4 - 3): the window moves on: start 4, size get_next_ra_size(4) = 8 (4 is not below
# 32/16 = 2), all async: pages 4-11, page 4 marked.
P read file f
expect cache f 12
P read file f pages=2
expect cache f 12
# Position 4: start 12, size 16: pages 12-27, mark on 12.
P read file f
expect cache f 28
P read file f pages=7
expect cache f 28
# One read of pages 12-27 meets the mark on its first page: start 28, size 32 (16 <= 32/2):
# pages 28-59, mark on 28.
P read file f pages=16
expect cache f 60
# Position 28: start 60, size 32 (the cap): pages 60-91. 4 + 8 + 16 + 32 + 32 = 92 pages.
P read file f
expect cache f 92
expect sys file_ra_pages 92
expect sys pgpgin 368
# pread() of page 200, far from the last read (prev_index 29): the page before it is not
# cached, so the cached run is 0 pages, not longer than the request: a random read, read as
# asked (1 page, no mark) without touching the stream's state.
P read file f offset=200
expect cache f 93
# pread() of page 92, right after the cached run 60-91: page_cache_prev_miss() finds no
# hole in the 32 pages before it, so a sequential stream left them: a window of
# min(32 + 1, 32) = 32 pages from 92 (pages 92-123), async_size 1 (mark on 123).
P read file f offset=92
expect cache f 125
expect sys file_ra_pages 125
# The file position was not moved by pread: read() goes on at 29, a cached page.
P read file f
expect cache f 125
# A second process has its own open file: its first read at position 0 is cached (no I/O).
spawn Q
Q read file f pages=4
expect sys pgpgin 500
# Reads stop at the file's end: pread of 8 pages at 252, none cached, no cached run
# before it: a random read of the request, clamped by do_page_cache_ra() to the file's
# last page: pages 252-255 (16 kB).
P read file f offset=252 pages=8
expect cache f 129
expect sys pgpgin 516
