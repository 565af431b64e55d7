# Partial munmap, mprotect and madvise of a PMD-mapped huge page split it (Linux 6.12
# mm/huge_memory.c __split_huge_pmd(), counted thp_split_pmd; the VMA split first calls
# vma_adjust_trans_huge()). An operation over the whole 2 MiB keeps it whole
# (zap_huge_pmd(), change_huge_pmd()). mmsim splits the page with its PMD
# (split_huge_page(), thp_split_page) where Linux defers that; rss and the counts below
# are the same either way.
config mem=64M thp=madvise
spawn P
P map A 1024
P madvise A 0-1023 hugepage
P write A 0
P write A 512
expect sys thp_fault_alloc 2
expect P rss 4096
# munmap of 4 pages inside the first huge page: split, then 4 PTEs zapped.
P unmap A 10-13
expect sys thp_split_pmd 1
expect sys thp_split_page 1
expect P rss 4080
expect P anonhuge 2048
# The rest of the split range is still mapped (now by PTEs): no faults.
P write A 0-9
P write A 14-511
expect P minflt 2
# mprotect of the whole second huge page keeps it whole; then a write faults (the PMD
# is read-only) and makes it writable again only through a new mprotect.
P protect A 512-1023 r
expect sys thp_split_pmd 1
expect P anonhuge 2048
P read A 700
expect P signal none
P write A 700
expect P signal SEGV_ACCERR
P protect A 512-1023 rw
# change_huge_pmd() gives write access back at once to a huge page this process alone
# maps (can_change_pmd_writable()): no fault.
P write A 700
expect P minflt 2
# mprotect of part of it splits it.
P protect A 512-515 r
expect sys thp_split_pmd 2
expect P anonhuge 0
expect P rss 4080
# MADV_DONTNEED over a whole huge page frees it whole; over part of one, splits it.
spawn Q
Q map B 1024
Q madvise B 0-1023 hugepage
Q write B 0
Q write B 512
Q madvise B 512-1023 dontneed
expect sys thp_split_pmd 2
expect Q rss 2048
Q madvise B 0-1 dontneed
expect sys thp_split_pmd 3
expect Q rss 2040
Q write B 0
expect Q minflt 3
expect Q rss 2044
