#!/usr/bin/env python3
"""Reduce a lackey-text trace without changing its LRU miss counts at any size of 2 frames
or more (used to make tests/data/traces/*.zst small enough to commit: tests/data/traces/README.md).

    mmsim convert -q --format lackey BIG.trace - | scripts/reduce_trace.py [--no-pairs] >small.txt

A record (one line: kind, address, size) touches one or two pages; pages are keyed by
(pid, page). What mmsim's frames see (docs/mrc.md, "What is counted") is each page's
accesses from its first write on; a read or fetch of a page never written maps the zero
page, and its first reference counts once as a first touch. The frames' reference string
is therefore the references of records to pages already written (or written by the record
itself: S, M). A record is dropped when:

 1. it is not the first reference of any of its pages, reaches no frame (a read or fetch
    of pages not yet written: text, read-only data, buffers only the kernel fills), and so
    changes neither the first touches nor the frames' string;
 2. its frame references are exactly the page on top of the LRU stack (stack distance 1):
    a hit at every size that leaves the stack as it is;
 3. with the stack's top two pages [y, x], it refers to x alone and the next record to y
    alone (a copy loop's L x, S y, L x, S y ...): both hit at every size of 2 frames or
    more, and the whole stack after them is the stack before them; both are dropped.

Rules 1 and 2 keep every LRU and OPT miss count at every size; rule 3 keeps the LRU miss
counts at every size of 2 frames or more (at 1 frame, each pair dropped was 2 misses), not
OPT's (the next uses it sees change); --no-pairs leaves rule 3 out.
Records that are kept are written unchanged. Events and other lines stop the script: it is
for single-process traces (`# mmsim pid N` lines are followed). The counts go to stderr.
"""
import sys

PAGE_SHIFT = 12


def main():
    pairs = "--no-pairs" not in sys.argv[1:]
    out = sys.stdout
    seen = set()
    written = set()
    top1 = top2 = None  # the LRU stack's top two frame references
    held = None  # (line, key): a rule-3 candidate waiting for the next record
    pid = 0
    n_in = n_out = 0
    dropped = [0, 0, 0, 0]

    def emit(line, key):
        nonlocal n_out, top1, top2
        out.write(line)
        n_out += 1
        if key is not None and key != top1:
            top1, top2 = key, top1

    for line in sys.stdin:
        if line.startswith("# mmsim pid "):
            if held is not None:
                emit(*held)
                held = None
            pid = int(line.split()[3])
            out.write(line)
            continue
        if len(line) < 4 or line[0] not in " I" or "," not in line:
            sys.exit("reduce_trace: not a lackey access line: %r" % line)
        n_in += 1
        kind = "I" if line[0] == "I" else line[1]
        addr_s, size_s = line[3:].strip().split(",")
        addr, size = int(addr_s, 16), int(size_s)
        first = (pid, addr >> PAGE_SHIFT)
        last = (pid, (addr + size - 1) >> PAGE_SHIFT)
        pages = [first] if first == last else [first, last]
        new = any(p not in seen for p in pages)
        if kind in "SM":
            frames = pages
            new = new or any(p not in written for p in pages)
        else:
            frames = [p for p in pages if p in written]
        if not new and not frames:
            dropped[1] += 1  # rule 1 (also between the two records of a rule-3 pair)
            continue
        # What the record's frame references are, as one key when they are one page.
        one = frames[0] if len(frames) == 1 else None
        if held is not None:
            hline, hkey = held
            held = None
            if not new and one is not None and one == top1 and hkey == top2:
                dropped[3] += 2  # rule 3: [y, x] then x, y
                continue
            emit(hline, hkey)
        for p in pages:
            seen.add(p)
        if kind in "SM":
            for p in pages:
                written.add(p)
        if not new and one is not None and one == top1:
            dropped[2] += 1
            continue
        if pairs and not new and one is not None and one == top2:
            held = (line, one)
            continue
        if len(frames) == 0:
            out.write(line)
            n_out += 1
            continue
        for k in frames[:-1]:
            if k != top1:
                top1, top2 = k, top1
        emit(line, frames[-1])
    if held is not None:
        emit(*held)
    sys.stderr.write(
        "reduce_trace: %d records in, %d out; dropped: %d reach no frame, "
        "%d at distance 1, %d in repeated pairs; %d pages, %d written\n"
        % (n_in, n_out, dropped[1], dropped[2], dropped[3], len(seen), len(written))
    )


if __name__ == "__main__":
    main()
