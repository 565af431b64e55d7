# 2Q, full version (VLDB 1994, §2.1) by hand, 4 frames: Kin = 1, Kout = 2.
# Writes 1 2 3 4 5 1 2 1 6 1. Lists oldest first.
#   1 2 3 4 miss: A1in=[1 2 3 4].
#   5 miss: |A1in| = 4 > Kin: 1 is evicted, A1out=[1]. A1in=[2 3 4 5].
#   1 miss in A1out (refault): 2 is evicted, A1out=[2]; Am=[1].
#   2 miss in A1out (refault): 3 is evicted, A1out=[3]; Am=[1 2].
#   1 hit in Am: Am=[2 1].
#   6 miss: |A1in| = 2 > 1: 4 is evicted, A1out=[3 4]. A1in=[5 6].   1 hit.
#   Refaults 2, evictions 4.
config mem=64M swap=16M reclaim=demand frames=4 policy=2q tlb=off
spawn P
P map A 8
P write A 1
P write A 2
P write A 3
P write A 4
P write A 5
P write A 1
P write A 2
P write A 1
P write A 6
P write A 1
expect P majflt == 2
expect sys pswpin == 2
expect sys pgsteal_direct == 4
