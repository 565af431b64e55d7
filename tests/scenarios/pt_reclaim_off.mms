# pt_reclaim=off: kernels before 6.14 (or CONFIG_PT_RECLAIM=n) keep every page table that
# MADV_DONTNEED empties, until munmap frees it (free_pgtables()). Same steps as
# pt_reclaim_dontneed.mms, where VmPTE drops to 12 kB.
config pt_reclaim=off
spawn P
P map A 1024 at=0x7f0000000000
P write A 0-1023
expect P vmpte 16               # PUD + PMD + 2 PTs
P advise A 0-511 dontneed
expect P rss 2048
expect P vmpte 16               # the emptied PTE page stays
P advise A 512-1023 dontneed
expect P rss 0
expect P vmpte 16
P write A 0                     # the table is still there: no new one
expect P vmpte 16
# munmap frees both PTE pages, the PMD and the PUD (nothing else is mapped under them).
P unmap A 0-1023
expect P vmpte 0
