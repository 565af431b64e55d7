# A huge page is split before it goes to swap (Linux 6.12 mm/vmscan.c shrink_folio_list():
# a THP that cannot be swapped whole is split, split_folio_to_list(); mmsim always
# splits). MADV_PAGEOUT of a THP this process alone maps (mm/madvise.c
# madvise_cold_or_pageout_pte_range()) reclaims all of its 512 pages.
config mem=64M swap=64M thp=madvise
spawn P
P map A 512
P madvise A 0-511 hugepage
P write A 0-511
expect P minflt 1
P madvise A 0-511 pageout
expect sys thp_split_pmd 1
expect sys thp_split_page 1
expect sys pswpout 512
expect P swap 2048
expect P rss 0
expect P anonhuge 0
# Each page comes back alone, a major fault each.
P read A 0-1
expect P majflt 2
expect P rss 8
# A huge page shared with a child is left alone by MADV_PAGEOUT (mapped more than once).
spawn Q
Q map B 512
Q madvise B 0-511 hugepage
Q write B 0
Q fork R
Q madvise B 0-511 pageout
expect sys thp_split_pmd 1
expect sys pswpout 512
expect Q anonhuge 2048
