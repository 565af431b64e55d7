# Under a frames cap (a memcg limit: mem_cgroup_charge()), a huge page that would go over
# the cap is refused: thp_fault_fallback and thp_fault_fallback_charge, and the fault falls
# back to 4 KiB pages (Linux 6.12 mm/huge_memory.c vma_alloc_anon_folio_pmd(); mmsim:
# refused without reclaiming first, as a charge with __GFP_NORETRY may). Reclaim splits the
# huge pages it picks before they go to swap.
config mem=64M swap=64M frames=1100 thp=always policy=fifo reclaim=linux
spawn P
P map A 1536            # three aligned 2 MiB ranges
P write A 0
P write A 512
expect sys thp_fault_alloc 2
expect P rss 4096
# 1024 + 512 > 1100: refused, one 4 KiB page instead.
P write A 1024
expect sys thp_fault_alloc 2
expect sys thp_fault_fallback 1
expect sys thp_fault_fallback_charge 1
expect P rss 4100
expect P minflt 3
# 4 KiB faults past the cap reclaim: FIFO picks the oldest page, the first huge page,
# which is split; its 512 pages go to swap in that one pass (split_folio_to_list() puts the
# tails on the list being reclaimed), which leaves room for the rest. The second huge page
# stays whole.
P write A 1025-1100
expect sys thp_split_page 1
expect sys pswpout 512
expect P anonhuge 2048
expect P swap 2048
