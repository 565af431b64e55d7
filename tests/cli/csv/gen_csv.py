#!/usr/bin/env python3
"""tests/cli/csv/gen_csv.py: CSV request traces as libCacheSim's csv reader takes them, for
tests/cli/test_csv.sh. Written with Python's csv module from the conventions of libCacheSim's
traceReader/generalReader/csv.c and its cachesim guide (columns counted from 1, a delimiter
among tab , | :, an optional header), not by mmsim. Each file's libCacheSim -t parameters
are in params.txt ("FILE PARAMS"), the expected figures in expect.txt ("FILE KEY VALUE"):
the number of records, and the page of each request (objects numbered 0, 1, 2, ... in
order of first request, as mmsim maps them).

  python3 gen_csv.py DIR    (re-creates the samples in DIR; the test compares them)
"""
import csv
import os
import sys

BELADY = [1, 2, 3, 4, 1, 2, 5, 1, 2, 3, 4, 5]


def next_access(ids):
    """next_access_vtime of each request: index of the next request to its id, -1 if none."""
    nxt, last = [-1] * len(ids), {}
    for i in range(len(ids) - 1, -1, -1):
        nxt[i] = last.get(ids[i], -1)
        last[ids[i]] = i
    return nxt


def write(path, delimiter, header, rows):
    with open(path, "w", newline="") as f:
        w = csv.writer(f, delimiter=delimiter, lineterminator="\n")
        if header:
            w.writerow(header)
        w.writerows(rows)


def main(out):
    os.makedirs(out, exist_ok=True)
    expect, params = [], []
    # 1. oracleGeneral's fields as CSV with a header, numeric ids (Belady's string).
    nxt = next_access(BELADY)
    write(os.path.join(out, "belady.csv"), ",",
          ["time", "obj_id", "obj_size", "next_access_vtime"],
          [[t + 1, o, 4096, nxt[t]] for t, o in enumerate(BELADY)])
    params.append("belady.csv time-col=1,obj-id-col=2,obj-size-col=3,has-header=true,"
                  "obj-id-is-num=1")
    # 2. Tab-separated, no header, string ids: the same reference string, renamed.
    names = {o: "key%d" % o for o in BELADY}
    write(os.path.join(out, "belady.tsv"), "\t", None,
          [[t + 1, names[o], 512] for t, o in enumerate(BELADY)])
    params.append("belady.tsv time-col=1,obj-id-col=2,obj-size-col=3,delimiter=\\t,"
                  "has-header=false,obj-id-is-num=0")
    # 3. '|' with a header naming the id column first and quoted ids that hold the
    #    delimiter and a quote: 100 objects 5 times (OPT at 50 frames: 100 + 4 x 50 misses).
    loop = [i for _ in range(5) for i in range(100)]
    write(os.path.join(out, "loop.psv"), "|", ["key", "size"],
          [['obj|%d "x"' % o, 100] for o in loop])
    params.append("loop.psv obj-id-col=1,obj-size-col=2,delimiter=|,has-header=true,"
                  "obj-id-is-num=0")
    # 4. A layout the guesses get wrong, read right only with libCacheSim's -t: no header,
    #    "time;op;id;size" with ';' (not a delimiter libCacheSim guesses), numeric-looking
    #    ids that are strings ("7" and "007" are two objects: obj-id-is-num=0).
    ops = ["GET", "PUT"]
    ids4 = ["7", "007", "8", "7", "9", "007", "8", "10"]
    write(os.path.join(out, "ops.ssv"), ";", None,
          [[t + 1, ops[t % 2], o, 4096] for t, o in enumerate(ids4)])
    params.append("ops.ssv time-col=1,obj-id-col=3,obj-size-col=4,delimiter=;,"
                  "has-header=false,obj-id-is-num=0")
    for name, ids in (("belady.csv", BELADY), ("belady.tsv", BELADY), ("loop.psv", loop),
                      ("ops.ssv", ids4)):
        expect.append("%s records %d" % (name, len(ids)))
        first = {}
        pages = [first.setdefault(o, len(first)) for o in ids]
        expect.append("%s pages %s" % (name, ",".join(map(str, pages))))
    with open(os.path.join(out, "expect.txt"), "w") as f:
        f.write("\n".join(expect) + "\n")
    with open(os.path.join(out, "params.txt"), "w") as f:
        f.write("\n".join(params) + "\n")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__)))
