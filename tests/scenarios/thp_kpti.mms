# Page-table isolation with transparent huge pages: a huge fault that allocates the
# top-level entry must copy it into the user PGD too (Linux pti_set_user_pgtbl(), called
# by set_pgd() whatever level below it is a leaf). Without the copy, the user PGD never
# sees the PMD leaf and the access faults again forever (found by arch2, fixed in
# mm/pgtable.c pgtable_pmd_addr()). Counts as in thp_always.mms: one fault a huge page.
config mem=64M thp=always kpti=on pcid=on
spawn P
P map A 512             # one aligned 2 MiB range (mmap_thp_align.mms)
P write A 0
expect P signal none
expect P minflt 1
expect P anonhuge 2048
P write A 511
expect P minflt 1
P read A 300
expect P minflt 1
expect sys thp_fault_alloc 1
# A read fault on an untouched range maps the huge zero page, through the same path.
P map B 512
P read B 0
expect P signal none
expect P minflt 2
expect sys thp_zero_page_alloc 1
# A write to it replaces it with a new huge page, in one fault (thp_zero_page.mms).
P write B 0
expect P signal none
expect P minflt 3
expect sys thp_split_pmd 0
expect sys thp_fault_alloc 2
expect P anonhuge 4096
