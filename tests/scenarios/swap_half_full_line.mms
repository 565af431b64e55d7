# Both sides of the 50% line in one run (Linux: mm/swap.h vm_swap_full(): swap is full
# when free slots * 2 < total slots; mm/memory.c should_try_to_free_swap()).
#
# Machine: 4 resident user pages, demand reclaim, FIFO victims; swap=36K = 8 usable slots.
config mem=64M swap=36K frames=4 reclaim=demand policy=fifo
spawn P
P map A 7
# Writes 4-6 evict pages 0-2: 3 slots used. FIFO: [3 4 5 6].
P write A 0-6
expect sys pswpout 3
# Read 0: evicting 3 takes a 4th slot: 4 free, 4 * 2 = 8, not < 8: at most half full, so
# page 0 keeps its slot in the swap cache.
P read A 0
expect sys nr_swapcached 1
# Read 1: evicting 4 takes a 5th slot: 3 free, 3 * 2 = 6 < 8: full, so page 1's slot is
# freed at swap-in (back to 4 used) and page 1 is not in the swap cache.
P read A 1
expect sys nr_swapcached 1
expect sys pswpout 5
expect P majflt 2
