#!/usr/bin/env python3
"""The input file zstd-d.trace.zst's program decompresses (README.md): NB blocks of 1 MiB
on standard output. Each block is new random bytes (the first 2, then with probability
0.05) or a copy of an earlier block, picked with probability proportional to
1 / (its distance in blocks), so that the decompressor copies from near and far back.

    gen_input.py 200 >in200
"""
import random
import sys

nb = int(sys.argv[1])
rng = random.Random(2015)
blocks = []
out = sys.stdout.buffer
for j in range(nb):
    if j < 2 or rng.random() < 0.05:
        b = rng.randbytes(1 << 20)
    else:
        w = [1.0 / (j - k) for k in range(j)]
        b = blocks[rng.choices(range(j), weights=w)[0]]
    blocks.append(b)
    out.write(b)
