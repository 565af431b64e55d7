# Page-table reclaim on MADV_DONTNEED (Linux 6.14+, CONFIG_PT_RECLAIM=y, the x86-64
# default): madvise_dontneed_single_vma() zaps with zap_details.reclaim_pt set; for each
# page table, zap_pte_range() frees the PTE page when the zap covered its whole 2 MiB block
# (reclaim_pt_is_enabled(): end - start >= PMD_SIZE) and every entry is then none. A zap of
# part of a block keeps the table, even once it is empty. Tables above stay.
# VmPTE counts every table below the PML4 (4 kB each).
spawn P
# A: 1024 pages at 0x7f0000000000 (2 MiB aligned): blocks 0x7f0000000000 and 0x7f0000200000.
P map A 1024 at=0x7f0000000000
P write A 0-1023
expect P minflt 1024
expect P vmpte 16               # PUD + PMD + 2 PTs
# The whole first block: its PTE page goes.
P advise A 0-511 dontneed
expect P vmpte 12
expect P rss 2048
# 511 of the 512 pages of the second block: the table stays.
P advise A 512-1022 dontneed
expect P vmpte 12
# The last page: the table is empty now, but this zap covers 1 page, not 2 MiB: it stays.
P advise A 1023 dontneed
expect P vmpte 12
expect P rss 0
# B: one block at 0x7f0000600000, split into two VMAs by mprotect. One madvise over the
# whole block zaps each VMA apart (256 pages each): neither zap covers 2 MiB, the table stays.
P map B 512 at=0x7f0000600000
P write B 0-511
expect P vmpte 16               # one more PT (same PMD table)
P protect B 256-511 r
P advise B 0-511 dontneed
expect P rss 0
expect P vmpte 16
# Touching the first block again builds its PTE page anew: one fault, one table.
P write A 0
expect P minflt 1537
expect P vmpte 20
