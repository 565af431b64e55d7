#!/usr/bin/env python3
"""tests/cli/formats/gen_samples.py: the committed trace samples of tests/cli/test_formats.sh.

Each sample is written here from the format's published layout, not by mmsim's writer, so
that mmsim's readers are checked against an independent producer:
  - Dinero IV din: "LABEL ADDRESS" a line, label 0 read, 1 write, 2 fetch, hex address;
  - libCacheSim oracleGeneral: packed little-endian <uint32 clock_time, uint64 obj_id,
    uint32 obj_size, int64 next_access_vtime> (libCacheSim oracleGeneralBin.h), with
    next_access_vtime the index of the next request to the object, -1 when none;
  - ChampSim input_instr: <uint64 ip; uint8 is_branch, branch_taken; uint8 dst_regs[2],
    src_regs[4]; uint64 dst_mem[2], src_mem[4]> = 64 bytes (ChampSim
    inc/trace_instruction.h), xz-compressed with Python's lzma module;
  - page lists: "PAGE" or "PID PAGE" a line.
The expected figures (records, kinds, distinct pages) are computed here and written to
expect.txt, one "NAME KEY VALUE" a line.

  python3 gen_samples.py DIR    (re-creates the samples in DIR; the test compares them)
"""
import lzma
import os
import struct
import sys

BELADY = [1, 2, 3, 4, 1, 2, 5, 1, 2, 3, 4, 5]
BASE = 0x10000000  # where mmsim puts page 0 of a page list


def lcg(seed):
    """A fixed 64-bit LCG (Knuth's MMIX constants): same bytes on every Python."""
    x = seed
    while True:
        x = (x * 6364136223846793005 + 1442695040888963407) % (1 << 64)
        yield x >> 33  # the high bits: an LCG's low bits cycle fast


def main(out):
    expect = []
    # din: the Belady string as writes at page-list addresses, plus reads and fetches.
    with open(os.path.join(out, "belady.din"), "w") as f:
        for p in BELADY:
            f.write("1 %x\n" % (BASE + p * 4096))
    expect.append("belady.din records %d" % len(BELADY))
    rnd = lcg(1)
    kinds = {0: 0, 1: 0, 2: 0}
    with open(os.path.join(out, "mixed.din"), "w") as f:
        f.write("\n")  # a blank line is skipped
        for i in range(500):
            label = next(rnd) % 3
            kinds[label] += 1
            addr = 0x400000 + (next(rnd) % 64) * 4096 + (next(rnd) % 4096)
            f.write("%d %x\n" % (label, addr))
    expect.append("mixed.din loads %d" % kinds[0])
    expect.append("mixed.din stores %d" % kinds[1])
    expect.append("mixed.din fetches %d" % kinds[2])

    # Page lists: the Belady string, one column, with a comment; and two processes.
    with open(os.path.join(out, "belady.pages"), "w") as f:
        f.write("# Belady's anomaly: FIFO faults 9 times with 3 frames, 10 with 4\n")
        for p in BELADY:
            f.write("%d\n" % p)
    with open(os.path.join(out, "two.pages"), "w") as f:
        for i in range(40):
            f.write("%d %d\n" % (1 + i % 2, i % 7))
    expect.append("two.pages processes 2")
    expect.append("two.pages records 40")

    # oracleGeneral: the Belady string, then a loop over 100 objects 5 times, with
    # 64-bit hash-like ids (libCacheSim's ids are hashes).
    ids = {}
    def oid(k):
        if k not in ids:
            ids[k] = (k * 0x9E3779B97F4A7C15 + 0x1234567) % (1 << 64) | (1 << 63)
        return ids[k]
    for name, seq in (("belady.oracleGeneral", BELADY),
                      ("loop.oracleGeneral", [p for _ in range(5) for p in range(100)])):
        nxt = [-1] * len(seq)
        last = {}
        for i in range(len(seq) - 1, -1, -1):
            nxt[i] = last.get(seq[i], -1)
            last[seq[i]] = i
        with open(os.path.join(out, name), "wb") as f:
            for i, k in enumerate(seq):
                f.write(struct.pack("<IQIq", i, oid(k), 4096, nxt[i]))
        expect.append("%s records %d" % (name, len(seq)))
        expect.append("%s pages %d" % (name, len(set(seq))))

    # ChampSim: 300 instructions, ip stepping by 4, loads and stores from the LCG.
    rnd = lcg(2)
    recs = bytearray()
    n = {"fetches": 0, "loads": 0, "stores": 0}
    ip = 0x401000
    for i in range(300):
        src = [0, 0, 0, 0]
        dst = [0, 0]
        for j in range(next(rnd) % 3):
            src[j] = 0x7f0000000000 + (next(rnd) % 32) * 4096 + 8 * (next(rnd) % 512)
        for j in range(next(rnd) % 2):
            dst[j] = 0x7f0000000000 + (next(rnd) % 32) * 4096 + 8 * (next(rnd) % 512)
        recs += struct.pack("<QBB2B4B2Q4Q", ip, 0, 0, 0, 0, 1, 2, 0, 0, *dst, *src)
        n["fetches"] += 1
        n["loads"] += sum(1 for a in src if a)
        n["stores"] += sum(1 for a in dst if a)
        ip += 4
    assert len(recs) == 300 * 64
    with open(os.path.join(out, "sample.champsim.xz"), "wb") as f:
        f.write(lzma.compress(bytes(recs), format=lzma.FORMAT_XZ))
    for k, v in n.items():
        expect.append("sample.champsim.xz %s %d" % (k, v))

    with open(os.path.join(out, "expect.txt"), "w") as f:
        f.write("\n".join(expect) + "\n")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__)))
