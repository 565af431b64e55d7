# shrink-all: Linux shrink_all_memory(), which hibernation runs before it writes its image:
# everything reclaimable goes. It sets no proactive flag, so Linux counts it as direct
# reclaim (mm/vmscan.c reclaimer_offset()).
config mem=64M swap=64M policy=lru reclaim=demand tlb=off
spawn P
P map A 32
P write A 0-31
spawn R
R map B 16
R read B 0-15                  # the zero page: nothing to reclaim
shrink-all
expect P rss 0
expect P swap 128
expect R rss 0                 # zero-page PTEs are not counted in RSS
expect sys pgsteal_direct 32
expect sys pswpout 32
P read A 0-31
expect P majflt 32
