# ARC (FAST 2003, Figure 4) by hand, c = 2 frames, writes 1 2 1 3 2 1 3 2. Lists LRU first.
#   1 2 miss: T1=[1 2].  1 hit: T1=[2] T2=[1].
#   3 miss (case IV, |T1|+|B1| = 1 < 2, all lists 2 = c): REPLACE: |T1| = 1 > p = 0, so
#     2 goes to B1. T1=[3].
#   2 miss in B1: p = 0 + 1 = 1; REPLACE: |T1| = 1 is not > p: 1 goes to B2. T2=[2].
#   1 miss in B2: p = 1 - 1 = 0; REPLACE: 3 goes to B1. T2=[2 1].
#   3 miss in B1 (|B1| = 1 >= |B2| = 0): p = 1; REPLACE: T1 empty, 2 goes to B2. T2=[1 3].
#   2 miss in B2: p = 0; REPLACE: 1 goes to B2. T2=[3 2].
#   Refaults 4 (2 1 3 2), evictions 5.
config mem=64M swap=16M reclaim=demand frames=2 policy=arc tlb=off
spawn P
P map A 8
P write A 1
P write A 2
P write A 1
P write A 3
P write A 2
P write A 1
P write A 3
P write A 2
expect P majflt == 4
expect sys pswpin == 4
expect sys pgsteal_direct == 5
