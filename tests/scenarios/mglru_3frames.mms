# MGLRU (Linux 6.6 mm/vmscan.c lru_gen_*) by hand, 3 frames, demand reclaim, TLB off (every
# access walks and sets A). One process with 3 resident pages: fewer than MIN_LRU_BATCH (64),
# so aging walks no page table (should_skip_mm) and only opens a generation; A bits are
# found by rmap at eviction, where lru_gen_look_around() clears the young neighbours' A bits
# and moves them to the youngest generation (direct reclaim: folio_activate()).
# Notation: seq:[head..tail]; a fault adds at the head of max_seq; eviction scans tails.
# Boot: min_seq 0, max_seq 3.
#   W1 W2 W3 (new)                           3:[3 2 1]
#   W4: retire empty 0,1 (min 2); 2 gens: age (max 4); retire 2 (min 3); age (max 5).
#       Tail 1 is young: look-around clears A on 1 2 3, moves 2 then 3 up, keeps 1:
#       5:[1 3 2]. Retire 3 (min 4), age (6), retire 4 (min 5), age (7). Tail 2, not young:
#       evicted (shadow: min_seq 5).          5:[1 3]  7:[4]
#   W1 hit (A=1). W2 refault: 3 gens, young 1*2 <= 3, old 2*4 >= 3: no aging. Tail 3 not
#       young: evicted. 2's shadow has min_seq 5 = min_seq: a recent refault, so 2 gets
#       refs = 3 and PG_workingset (tier 3).  5:[1]  7:[2 4]
#   W5: young 2*2 > 3: age (max 8). Tail 1 young: look-around moves 2, 4 up, keeps 1:
#       8:[1 4 2]. Retire 5, 6 (min 7; 3's shadow dropped), age (9), retire 7, age (10).
#       Tail 2: refs 4 = BIT(LRU_REFS_WIDTH): protected, to 9 (pgrefill 1, refs cleared).
#       Tail 4 not young: evicted (shadow 8).   8:[1]  9:[2]  10:[5]
#   W1 W2 hits. W3 refault: no aging (1 1 1). Tail 1 young: look-around moves 2 to 10,
#       keeps 1: 10:[1 2 5]. Retire 8 (min 9; 4's shadow dropped), age (11), retire 9,
#       age (12). Tail 5 not young: evicted. 3's shadow is gone: not recent.  12:[3]
#   W4 refault: no aging (2 0 1). Tail 2 (A cleared at W3's look-around): evicted.
# Faults: 5 minor, 3 major (2, 3, 4). Evictions 5 (2 3 4 5 2), all dirty: pswpout 5.
# Pages isolated and checked (pgscan): 2 + 1 + 2 + 2 + 1 = 8; sorted by tier: 1.
# LRU on the same string refaults 4 times (1 2 3 4) and evicts 6 times.
config mem=64M swap=16M reclaim=demand frames=3 policy=mglru tlb=off
spawn P
P map A 8
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
expect P majflt == 3
expect P minflt == 5
expect sys pswpin == 3
expect sys pswpout == 5
expect sys pgsteal_direct == 5
expect sys pgscan_direct == 8
expect sys pgrefill == 1
