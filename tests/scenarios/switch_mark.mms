# A workload switch marked in a script (`switch`, the trace event of the same name) and
# what comes after it (`expect switch COUNTER`, counted from the last mark; the run ends
# with "after the last workload switch (line N): ..." as mmsim run does after a trace's
# last switch event). demand reclaim under a cap of 32 frames: each new page over the cap
# evicts exactly one, the least recently used (policy=lru).
config mem=64M swap=128M frames=32 policy=lru reclaim=demand
spawn A
A map X 32
A write X 0-31
spawn B
B map Y 16
# Proactive reclaim before the switch: process_madvise(MADV_PAGEOUT) of A's lowest 64 KiB,
# pages 0..15, written to swap now, while nothing waits for them.
reclaim 64K A
expect sys pswpout 16
switch
# B's 16 first writes fill the 16 frames the reclaim freed: 16 minor faults, no eviction.
B write Y 0-15
expect switch pgfault 16
expect switch pgmajfault 0
expect switch pswpout 0
# A comes back for pages 0..15: each is a major fault that swaps it in, and, the cap being
# full (A's 16..31 and B's 0..15), evicts the least recently used page: A's 16..31, written
# before B's.
switch
A read X 0-15
expect switch pgfault 16
expect switch pgmajfault 16
expect switch pswpin 16
expect switch pswpout 16
# Since the script began: 32 + 16 + 16 faults, 16 + 16 pages swapped out.
expect sys pgfault 64
expect sys pswpout 32
# A level reads as it is after a switch too: 32 pages resident (A's 0..15, B's 0..15).
expect switch nr_anon_pages 32
