# A write to the huge zero page when no huge page can be had (Linux 6.13+ mm/huge_memory.c
# do_huge_pmd_wp_page(): do_huge_zero_wp_pmd() gets no folio from
# vma_alloc_anon_folio_pmd(), thp_fault_fallback, and the fault falls back as Linux 6.12
# did): the PMD is split into 512 PTEs of the small zero page (__split_huge_zero_page_pmd(),
# thp_split_pmd) and the PTE fault copies the 4 KiB zero page written (wp_page_copy()).
# frames=500 caps user memory below one huge page: the charge fails (mmsim's frames cap
# stands for the memcg limit: thp_fault_fallback_charge too).
config mem=64M thp=always frames=500
spawn P
P map A 1024            # two aligned 2 MiB ranges (mmap_thp_align.mms)
P read A 0              # the huge zero page: nobody's memory, so no charge
expect P minflt 1
expect sys thp_zero_page_alloc 1
P write A 5
expect P minflt 2
expect sys thp_fault_fallback 1
expect sys thp_fault_fallback_charge 1
expect sys thp_fault_alloc 0
expect sys thp_split_pmd 1
expect P rss 4
expect P anonhuge 0
# The rest of the range reads the small zero page without faults.
P read A 6-511
expect P minflt 2
