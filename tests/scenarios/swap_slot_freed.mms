# When swap is more than half full, a page read back gives its slot up at once (Linux 6.x:
# mm/memory.c do_swap_page() -> should_try_to_free_swap() -> mem_cgroup_swap_full() ->
# vm_swap_full(): free slots * 2 < total; then folio_free_swap()). So a working set larger
# than memory keeps cycling through a small swap area instead of running out of slots.
#
# Machine: 4 resident user pages (frames=4), demand reclaim, FIFO victims. swap=36K is
# 9 slots, one of them the header: 8 usable, "full" once fewer than 4 are free.
config mem=64M swap=36K frames=4 reclaim=demand policy=fifo
spawn P
P map A 11
# Writes 4-10 evict pages 0-6: 7 slots used, 1 free (full). FIFO: [7 8 9 10].
P write A 0-10
expect P minflt 11
expect sys pswpout 7
# Read 0 evicts 7 into the last free slot (0 free), then reads page 0 back: swap is full,
# so its slot is freed (1 free) and page 0 leaves the swap cache, dirty.
# (Were the slot kept, read 1 would find no slot for page 8, and P would be OOM-killed.)
# Reads 1, 2, 3 do the same with victims 8, 9, 10. FIFO: [0 1 2 3].
P read A 0-3
expect P signal none
expect P majflt 4
expect sys pswpout 11
expect sys nr_swapcached 0
# Read 4 evicts page 0: it has no slot any more, so it takes a new one (the one page 4
# gives back next) and is written again. Reads 5 and 6 the same with pages 1 and 2.
P read A 4-6
expect P signal none
expect P majflt 7
expect sys pswpin 7
expect sys pswpout 14
expect sys nr_swapcached 0
expect sys oom_kill 0
# In memory: 3 4 5 6; in swap: 7 8 9 10 0 1 2 (7 slots, 1 free).
expect P rss 16
expect P swap 28
