# Shared anonymous memory is shmem: it stays shared across fork, and fork copies no page
# tables for it (Linux: mm/memory.c, vma_needs_copy()), so the child faults on first touch.
# A write fault maps one page; a read fault maps every cached page of its aligned 64 KiB
# window (fault-around, 16 pages). The region sits at a 64 KiB-aligned address so its
# 4 pages share one window.
spawn P
P map S 4 shared at=0x7f0000000000
P write S 0-3
expect P minflt 4
expect P rss 16                 # RssShmem counts in VmRSS
P fork Q
P fork R
expect Q rss 0                  # no page tables copied
Q read S 0                      # maps all 4 cached pages
expect Q minflt 1
Q read S 1-3
expect Q minflt 1
expect Q rss 16
R write S 0-3                   # write faults map one page each
expect R minflt 4
expect R rss 16
