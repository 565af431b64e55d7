# LIRS (SIGMETRICS 2002, §3) by hand, 3 frames: Lhirs = max(1, ⌊0.03⌋) = 1, Llirs = 2.
# Writes 1 2 1 2 3 4 5 1 2 3 4 3 1 4. S top..bottom (n = non-resident), Q front..end.
#   1 2 miss: LIR (warm-up). 1 2 hits.                   S = 2 1          Q = -
#   3 miss: HIR.                                         S = 3 2 1        Q = 3
#   4 miss: evict 3 (stays in S, non-resident).          S = 4 3n 2 1     Q = 4
#   5 miss: evict 4.                                     S = 5 4n 3n 2 1  Q = 5
#   1 hit; 2 hit: 2 left the bottom, pruning drops 3n 4n 5 from S.  S = 2 1  Q = 5
#   3 miss (refault): evict 5; 3 has no entry left: HIR. S = 3 2 1        Q = 3
#   4 miss (refault): evict 3.                           S = 4 3n 2 1     Q = 4
#   3 miss (refault): evict 4; 3n in S: LIR; the bottom LIR 1 goes to Q.  S = 3 4n 2  Q = 1
#   1 hit (resident HIR, not in S).                      S = 1 3 4n 2     Q = 1
#   4 miss (refault): evict 1; 4n in S: LIR; 2 goes to Q. S = 4 1n 3     Q = 2
# Refaults 4 (3, 4, 3, 4); evictions 6. LRU refaults 5 times: the scan 3 4 5 pushes out 1 2.
config mem=64M swap=16M reclaim=demand frames=3 policy=lirs tlb=off
spawn P
P map A 8
P write A 1
P write A 2
P write A 1
P write A 2
P write A 3
P write A 4
P write A 5
P write A 1
P write A 2
P write A 3
P write A 4
P write A 3
P write A 1
P write A 4
expect P majflt == 4
expect sys pswpin == 4
expect sys pgsteal_direct == 6
