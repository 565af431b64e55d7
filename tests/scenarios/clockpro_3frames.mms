# CLOCK-Pro (USENIX ATC 2005, §4) by hand, 3 frames: m = 3, m_c starts at max(1, ⌊0.15⌋) = 1
# and stays in [1, 2]. Writes 1 2 3 1 2 4 5 1 4. The clock from HAND_hot round; c = cold,
# h = hot, t = in its test period, * = reference bit, n = non-resident. New pages enter
# cold, in test, just behind HAND_hot.
#   1 2 3 miss.   1 2 hits.                      1ct* 2ct* 3ct       (all hands on 1)
#   4 miss: HAND_cold: 1 reused in test -> hot, to the head, m_c = 2; 2 the same, m_c = 2
#     (at most m - 1). Hot pages 2 + m_c 2 > 3: HAND_hot ends 3's test (no reuse: m_c = 1)
#     and turns 1 cold. HAND_cold: 3 unreferenced, out of test: evicted, forgotten.
#     4 enters behind HAND_hot (on 2).           2h 1c 4ct
#   5 miss: HAND_cold on 1: evicted, out of test: forgotten.   2h 4ct 5ct
#   1 miss (refault): 4 evicted in its test: kept, non-resident.  2h 4n 5ct 1ct
#   4 miss (refault): 5 evicted, kept; 4 was non-resident in test: hot at the head,
#     m_c = 2; hot pages 2 + 2 > 3: HAND_hot turns 2 cold.    2c 5n 1ct 4h
# Refaults 2 (1 and 4); evictions 4.
config mem=64M swap=16M reclaim=demand frames=3 policy=clockpro tlb=off
spawn P
P map A 8
P write A 1
P write A 2
P write A 3
P write A 1
P write A 2
P write A 4
P write A 5
P write A 1
P write A 4
expect P majflt == 2
expect sys pswpin == 2
expect sys pgsteal_direct == 4
