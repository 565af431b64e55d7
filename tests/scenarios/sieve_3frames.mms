# SIEVE (NSDI 2024, Algorithm 1) by hand, 3 frames, writes 1 2 3 1 4 2 5 1.
# Queue newest..oldest, * = visited, h = where the hand waits:
#   1 2 3 miss: 3 2 1.   1 hit: 3 2 1*.
#   4 miss: hand starts at the oldest, 1* -> clear, 2 unvisited: evict 2; hand on 3.  4 3 1
#   2 miss (refault): hand on 3, unvisited: evict 3; hand on 4.                        2 4 1
#   5 miss: evict 4; hand on 2.                                                         5 2 1
#   1 hit.   Refaults 1 (page 2); evictions 3. (LRU would refault twice: 2 and 1.)
config mem=64M swap=16M reclaim=demand frames=3 policy=sieve tlb=off
spawn P
P map A 8
P write A 1
P write A 2
P write A 3
P write A 1
P write A 4
P write A 2
P write A 5
P write A 1
expect P majflt == 1
expect sys pswpin == 1
expect sys pgsteal_direct == 3
