# `P load LIB`: a shared library mapped the way glibc's ld.so maps it
# (elf/dl-map-segments.h _dl_map_segments(); docs/files.md "Shared libraries"): one
# mmap(PROT_READ|PROT_EXEC, MAP_PRIVATE) of the file over the whole span, the data segment
# mmap(MAP_FIXED, PROT_READ|PROT_WRITE, MAP_PRIVATE) from its file offset, and the bss
# anonymous (MAP_FIXED). Faults as Linux 6.12 mm/memory.c: do_read_fault() with
# do_fault_around(), do_wp_page() -> wp_page_copy(), do_anonymous_page(); Pss as
# fs/proc/task_mmu.c smaps_account().
config mem=64M
# 8 text pages (file pages 0-7), 2 data pages (file pages 8-9), 3 bss pages: region M is
# pages 0-7 text, 8-9 data, 10-12 bss.
lib libm.so text=8 data=2 bss=3
expect cache libm.so 10
spawn P
spawn Q
P load libm.so as M
Q load libm.so as M
# The first mmap in a fresh process lands just below mmap_base (0x7ffff7fff000): the span
# is 0x7ffff7ff2000-0x7ffff7fff000, inside one aligned 64 KiB fault-around window
# (0x7ffff7ff0000-0x7ffff8000000).
# An instruction fetch is a read fault: fault-around maps every cached page of the window
# inside the text VMA, all 8 pages, in one minor fault.
P exec M 0
expect P minflt 1
expect P majflt 0
expect P rssfile 32
expect P pss 32
Q exec M 0-7
expect Q minflt 1
expect Q rssfile 32
# Q maps the very same frames: each text page has two mappers, Pss 8 * 4 kB / 2 = 16 kB
# each, and the page cache still holds the file's 10 pages (no copy was made).
expect P pss 16
expect Q pss 16
expect cache libm.so 10
expect sys nr_file_pages 10
# Data: a read maps the cached pages read-only (fault-around: pages 8 and 9).
P read M 8
Q read M 9
expect P rssfile 40
expect Q rssfile 40
expect P pss 20
# A write to a data page copies it (write fault on a read-only private PTE): P's page 8 is
# now its own anonymous page; the cache's page 8 has Q as its only mapper.
# P: text 16 + page 9 (2 mappers) 2 + anonymous page 4 = 22 kB; Q: 16 + 4 + 2 = 22 kB.
P write M 8
expect P minflt 3
expect P rssfile 36
expect P rssanon 4
expect P pss 22
expect Q pss 22
expect cache libm.so 10
# bss is anonymous: a write allocates a zeroed page, a read maps the shared zero page
# (not counted in Rss).
P write M 10
P read M 11
expect P minflt 5
expect P rssanon 8
expect P pss 26
expect Q rssanon 0
expect P signal none
# A library whose cache was dropped. ld.so first read()s the ELF header (832 bytes of page
# 0) from the newly opened file: a miss at index 0, so page_cache_sync_ra() opens a window of
# get_init_ra_size(1, 32) = 4 pages with async_size 4 - 1 = 3: pages 0-3 are read (16 kB of
# pgpgin) and page 1 carries the readahead mark.
lib libz.so text=4 data=1
dropcache libz.so
expect cache libz.so 0
P load libz.so as Z
expect cache libz.so 4
expect sys pgpgin 16
# The fetch of page 0 then hits: a minor fault; fault-around maps the window's cached text
# pages but the marked page 1 (filemap_map_pages() leaves it to its own fault): 0, 2, 3.
P exec Z 0
expect P majflt 0
expect P minflt 6
expect P rssfile 48
# Page 1's fault finds the mark: async readahead (do_async_mmap_readahead()). The mapping's
# readahead state has no window yet (mmsim: one per file for faults), so page_cache_async_ra()
# ramps up from the cached run after the mark: the window starts at page 4, the file's last
# page, and reads it (pgpgin 20 kB).
P exec Z 1
expect P majflt 0
expect P minflt 7
expect cache libz.so 5
expect sys pgpgin 20
expect P rssfile 52
