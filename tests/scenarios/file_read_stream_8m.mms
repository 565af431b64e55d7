# A sequential read() stream with read_ahead_kb=8192 (ra_pages = 2048), as disks are often
# set: the async window grows x4 while below 2048/16 = 128 pages, then x2 up to the cap.
# Linux 6.12 mm/readahead.c page_cache_sync_ra(), page_cache_async_ra(), get_init_ra_size(),
# get_next_ra_size(); mm/filemap.c filemap_read(). Each read below ends on the marked page
# of the window before, so each starts the next window.
config mem=64M read_ahead_kb=8192
file g 4096
dropcache g
spawn P
# Position 0: get_init_ra_size(1, 2048) = 4 (1 <= 2048/32): pages 0-3, mark on 1.
P read file g
expect cache g 4
# Position 1 (the mark): window 4-19 (4 * 4 = 16 pages), mark on 4.
P read file g
expect cache g 20
# Pages 2-4 (4 marked): window 20-83 (4 * 16 = 64), mark on 20.
P read file g pages=3
expect cache g 84
# Pages 5-20: window 84-339 (4 * 64 = 256), mark on 84.
P read file g pages=16
expect cache g 340
# Pages 21-84: 256 is not below 128, so x2: window 340-851 (512), mark on 340.
P read file g pages=64
expect cache g 852
# Pages 85-340: window 852-1875 (1024), mark on 852.
P read file g pages=256
expect cache g 1876
# Pages 341-852: 1024 <= 2048/2, so x2: window 1876-3923 (2048, the cap), mark on 1876.
P read file g pages=512
expect cache g 3924
# Pages 853-1876: the next window (2048 from 3924) is cut at the file's end: 172 pages.
P read file g pages=1024
expect cache g 4096
expect sys file_ra_pages 4096
expect sys pgpgin 16384
expect P majflt 0
