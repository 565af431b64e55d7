# Fault-around on shared anonymous memory (shmem): Linux 6.x mm/memory.c, do_fault_around(),
# with fault_around_bytes = 64 KiB = 16 pages. In PTE indices of the faulting page table
# (pte_off = the faulting PTE's index, vma_off = its page offset in the VMA):
#   from = max(ALIGN_DOWN(pte_off, 16), pte_off - min(pte_off, vma_off))
#   to   = min(from + 16, PTRS_PER_PTE = 512, pte_off + vma_pages - vma_off) - 1
# filemap_map_pages() then maps every page of [from, to] that is in the page cache and has
# no PTE yet. The window is clamped to the VMA, not shifted.
#
# S: 16 pages at 0x7f000000f000, one page below a 64 KiB boundary. 0x7f0000000000 is
# 2 MiB aligned, so S's pages 0..15 sit at PTE indices 15..30 of one page table.
spawn P
P map S 16 shared at=0x7f000000f000
P write S 0-15                  # write faults map one page each (do_shared_fault)
expect P minflt 16
expect P rss 64
P fork Q                        # shmem VMAs copy no page tables (vma_needs_copy())
P fork R
expect Q rss 0
# Q reads page 0 (pte_off 15, vma_off 0): from = max(0, 15 - 0) = 15,
# to = min(31, 512, 15 + 16 - 0) - 1 = 30: PTEs 15..30, all 16 pages, in one fault.
Q read S 0
expect Q minflt 1
expect Q rss 64
Q read S 0-15
expect Q minflt 1
# R reads the last page first (pte_off 30, vma_off 15): from = max(16, 30 - 15) = 16,
# to = min(32, 512, 30 + 16 - 15) - 1 = 30: PTEs 16..30 = pages 1-15, 60 kB.
R read S 15
expect R minflt 1
expect R rss 60
# Page 0 (pte_off 15) still needs its own fault: from = 15, to = 30; only PTE 15 is empty.
R read S 0-15
expect R minflt 2
expect R rss 64
