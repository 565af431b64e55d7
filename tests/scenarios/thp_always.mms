# thp=always: every private anonymous VMA qualifies except those with MADV_NOHUGEPAGE
# (Linux 6.12 thp_vma_allowable_order()); shared anonymous memory (shmem, shmem_enabled
# "never") never does.
config mem=64M thp=always
spawn P
P map A 512             # one aligned 2 MiB range (mmap_thp_align.mms)
P write A 0
expect P minflt 1
expect P anonhuge 2048
P map B 512
P madvise B 0-511 nohugepage
P write B 0
expect P minflt 2
expect P anonhuge 2048
expect sys thp_fault_alloc 1
P map C 512 shared
P write C 0
expect sys thp_fault_alloc 1
# MADV_NOHUGEPAGE leaves a huge page already mapped alone.
P madvise A 0-511 nohugepage
expect P anonhuge 2048
