# Belady's reference string 1 2 3 4 1 2 5 1 2 3 4 5 with demand reclaim (the textbook model:
# one victim when a frame is needed) and policy=lru on 4 frames: 8 faults. Every
# access is a write, so each page's first touch is a minor fault (a new zeroed page) and a
# touch after eviction a major one (swap-in). FIFO takes 9 faults with 3 frames and 10 with
# 4 (Belady's anomaly); LRU takes 10 and 8. tlb=off: no policy here reads A bits, but the
# counts should not depend on a TLB either.
config mem=64M swap=16M reclaim=demand frames=4 policy=lru tlb=off
spawn P
P map A 6
P write A 1
P write A 2
P write A 3
P write A 4
P write A 1
P write A 2
P write A 5
P write A 1
P write A 2
P write A 3
P write A 4
P write A 5
expect P minflt == 5
expect P majflt == 3
expect sys pswpin == 3
