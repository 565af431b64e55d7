# A page read back from swap keeps its slot while swap is at most half full (Linux 6.x:
# mm/memory.c do_swap_page(), should_try_to_free_swap(); mm/swap.h vm_swap_full(): swap is
# "full" when free slots * 2 < total). It stays in the swap cache, so evicting it again
# costs no write when it is still clean.
#
# Machine: 4 resident user pages (frames=4), demand reclaim (one victim per needed frame),
# FIFO victims. swap=260K is 65 slots, one of them the header: 64 usable.
config mem=64M swap=260K frames=4 reclaim=demand policy=fifo
spawn P
P map A 6
# Writes 0-3 fill the 4 frames; writes 4 and 5 evict pages 0 and 1 (FIFO).
# FIFO: [2 3 4 5]; in swap: 0 1 (2 slots used).
P write A 0-5
expect P minflt 6
expect sys pswpout 2
# Read 0: its frame comes from evicting 2 (3 slots used, 61 free: 61 * 2 >= 64, not full).
# Page 0 comes back (pswpin 1) and keeps slot s0 in the swap cache. Its swap PTE had
# _PAGE_SWP_EXCLUSIVE, so it is mapped writable but clean (do_swap_page(), Linux 6.11 on).
# FIFO: [3 4 5 0].
P read A 0
expect P majflt 1
expect sys pswpout 3
expect sys nr_swapcached 1
# The write needs no fault: the PTE is writable already; the CPU sets D.
P write A 0
expect P minflt 6
# Reads 1, 2, 3 each evict the FIFO head (3, 4, 5) and read a page back, keeping its slot
# (at most 6 of 64 slots ever in use). FIFO: [0 1 2 3].
P read A 1-3
expect P majflt 4
expect sys pswpout 6
expect sys nr_swapcached 4
# Read 4 evicts page 0: dirty (written above), so it is written again, into the slot it
# kept (pswpout 7). Read 5 evicts page 1: clean and still in the swap cache, so it is not
# written at all (pswpout stays 7). FIFO: [2 3 4 5].
P read A 4-5
expect P majflt 6
expect sys pswpin 6
expect sys pswpout 7
# In memory: 2 3 4 5, each read back with its slot kept; in swap: 0 and 1.
expect sys nr_swapcached 4
expect P rss 16
expect P swap 8
