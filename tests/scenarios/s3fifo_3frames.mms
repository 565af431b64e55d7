# S3-FIFO (SOSP 2023, Algorithm 1; the authors' code) by hand, 3 frames, small=34%: S holds
# 1 page, M 2, G 2 ids; move=2. Writes 1 1 1 2 3 4 2 5 1 6 2. Queues oldest first.
#   1 miss: S=[1].  1 1: hits, freq(1)=2.
#   2 3 miss: before any eviction a full S sends new pages to M: M=[2 3].
#   4 miss, full; M is not over its 2 and S is not empty, so from S: 1 (freq 2) moves to M
#     with freq 0, M=[2 3 1]; S is empty, so from M: 2 (freq 0) is evicted. S=[4].
#   2 miss (refault): from S: 4 (freq 0) is evicted, G=[4]. S=[2].
#   5 miss: 2 is evicted, G=[4 2]. S=[5].   1 hit.
#   6 miss: 5 is evicted, G=[2 5] (4 drops out). S=[6].
#   2 miss (refault): 2 is in G, taken out; 6 is evicted, G=[5 6]; 2 enters M=[3 1 2].
#   Refaults 2, evictions 5 (2 4 2 5 6).
config mem=64M swap=16M reclaim=demand frames=3 policy=s3fifo:small=34 tlb=off
spawn P
P map A 8
P write A 1
P write A 1
P write A 1
P write A 2
P write A 3
P write A 4
P write A 2
P write A 5
P write A 1
P write A 6
P write A 2
expect P majflt == 2
expect sys pswpin == 2
expect sys pgsteal_direct == 5
