# A private anonymous mapping without an address whose length is a multiple of 2 MiB is
# placed on a 2 MiB boundary (Linux 6.13+, CONFIG_TRANSPARENT_HUGEPAGE=y: mm/mmap.c
# __get_unmapped_area() calls mm/huge_memory.c __thp_get_unmapped_area()): it searches
# top-down for len + 2 MiB, getting ret = gap_top - len - 2 MiB, then moves ret up by
# off_sub = (0 - ret) & (2 MiB - 1), or by a whole 2 MiB when off_sub is 0.
# mmap_base = 0x7ffff7fff000 (TASK_SIZE - 128 MiB, no randomisation).
spawn P
# A: 512 pages = 2 MiB. ret = 0x7ffff7fff000 - 0x200000 - 0x200000 = 0x7ffff7bff000,
# off_sub = 0x1000, so A = [0x7ffff7c00000, 0x7ffff7e00000): one whole page table.
P map A 512
P access 0x7ffff7c00000 w
expect P signal none
P access 0x7ffff7dff000 w
expect P signal none
P access 0x7ffff7bff000 r
expect P signal SEGV_MAPERR
P access 0x7ffff7e00000 r       # the 2 MiB - 4 kB above A stay free
expect P signal SEGV_MAPERR
# Two pages at both ends of A share one PT: PUD + PMD + PT = 12 kB. Unaligned, A would
# span two page tables (16 kB).
expect P vmpte 12
# B: 4 pages, not a multiple of 2 MiB: the highest gap is [0x7ffff7e00000, 0x7ffff7fff000),
# so B = [0x7ffff7ffb000, 0x7ffff7fff000).
P map B 4
P access 0x7ffff7ffb000 r
expect P signal none
# C: 512 shared pages in a new process: shmem_get_unmapped_area() aligns only with shmem
# huge pages on (off by default), so C sits at the very top of the gap:
# [0x7ffff7fff000 - 0x200000, 0x7ffff7fff000) = [0x7ffff7dff000, 0x7ffff7fff000).
spawn R
R map C 512 shared
R access 0x7ffff7dff000 r
expect R signal none
R access 0x7ffff7dfe000 r
expect R signal SEGV_MAPERR
# Its two ends lie in two page tables (0x7ffff7dff000 is the last page below the 2 MiB
# boundary 0x7ffff7e00000): PUD + PMD + 2 PTs = 16 kB.
R access 0x7ffff7ffe000 r
expect R vmpte 16
