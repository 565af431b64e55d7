# Fault-around stops at the page table's end (Linux 6.x mm/memory.c, do_fault_around():
# to = min(from + 16, PTRS_PER_PTE, VMA end) - 1) and at the VMA's end.
#
# S: 16 shared pages at 0x7f00001ff000. 0x7f0000200000 is a 2 MiB boundary, so page 0 is
# PTE 511 of one page table and pages 1..15 are PTEs 0..14 of the next.
spawn P
P map S 16 shared at=0x7f00001ff000
P write S 0-15
expect P minflt 16
P fork Q
# Page 0: pte_off 511, vma_off 0: from = max(496, 511) = 511,
# to = min(527, 512, 527) - 1 = 511: page 0 alone.
Q read S 0
expect Q minflt 1
expect Q rss 4
# Page 1: pte_off 0, vma_off 1: from = max(0, 0 - min(0, 1)) = 0,
# to = min(16, 512, 0 + 16 - 1) - 1 = 14: PTEs 0..14 = pages 1-15.
Q read S 1
expect Q minflt 2
expect Q rss 64
Q read S 0-15
expect Q minflt 2
# Two page tables now, plus one PMD table and one PUD table below Q's PML4: VmPTE 16 kB.
expect Q vmpte 16
