#!/usr/bin/env python3
"""A small trace with a fork, for the CLI tests (test_mrc_trust.sh, test_opt_busy.sh).

Process 1 stores to 100 pages, forks process 2, then the two take turns at random over
150 pages (loads and stores), 2,300 accesses in all, fixed seed. Written to stdout."""
import random

random.seed(5)
print("# mmsim pid 1")
for i in range(300):
    print(" S %x,8" % (0x10000000 + random.randrange(100) * 4096))
print("# mmsim fork 1 2")
for i in range(2000):
    print("# mmsim pid %d" % random.choice([1, 2]))
    print(" %s %x,8" % (random.choice("LLS"), 0x10000000 + random.randrange(150) * 4096))
