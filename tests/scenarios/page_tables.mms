# Page tables are allocated lazily, level by level (Linux: __pte_alloc and friends): the
# first touch below an empty PML4 entry builds a PDPT, a PD and a PT (VmPTE 12 kB: every
# table below the top level). One page in each of K distinct 2 MiB regions costs K page
# tables; K consecutive pages share one. munmap frees the tables nothing else uses.
spawn P
P map A 2048 at=0x7f0000000000   # 8 MiB, 2 MiB aligned: four 2 MiB regions
P write A 0
expect P vmpte == 12             # PDPT + PD + PT
P write A 1-7                    # consecutive pages: the same page table
expect P vmpte == 12
P write A 512                    # one page in each of three more 2 MiB regions
P write A 1024
P write A 1536
expect P vmpte == 24             # + 3 page tables
expect P minflt == 11
P unmap A 0-2047
expect P vmpte == 0              # no VMA left below that PML4 entry: all tables freed
