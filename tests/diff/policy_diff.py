"""Differential test of mmsim's replacement policies against policy_ref.py (and mglru
against mglru_ref.py, which sees every access as the A bits do).

usage: policy_diff.py MMSIM WORKDIR [TRACE...] [--real TRACE...]

POLICY_DIFF_ONLY=spec,spec,... in the environment limits the run to those specs (for
debugging one policy).

Traces after --real (programs recorded with valgrind) are cut to their first 40000
records and run at 8 and 64 frames only, to keep the test short. Traces must be valid
user-address traces: the reference does not model SIGSEGV.

For every trace (generated reference strings written here as lackey stores, plus the
traces named on the command line), every policy and a few frame counts, runs
  mmsim run --policy P --frames N --reclaim demand --tlb off --json - TRACE
and checks that its major faults (pages brought back from swap) and its evictions
(pgsteal_direct) equal the reference's. The reference sees the trace's page accesses the
way mmsim's replay makes them (docs/run.md): a record touching several pages touches each;
a modify is a write then a read; a read or fetch of a private page never written maps the
shared zero page and takes no frame, so only a write (or any access after the first write)
is a reference to the page cache.
"""
import json
import os
import random
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import policy_ref  # noqa: E402
import mglru_ref  # noqa: E402

POLICIES = ["lru", "sieve", "sieve:abit=1", "s3fifo", "s3fifo:move=1", "s3fifo:abit=1", "arc", "arc:abit=1", "2q", "2q:kin=50:kout=100",
            "lirs", "lirs:hir=25:stack=100", "clockpro", "clockpro:cold=50", "clockpro:abit=1",
            "mglru", "mglru:enabled=3", "mglru:enabled=5"]


def page_accesses(path, max_records=None):
    """(pid, page, is_write) for each page access of a lackey text trace."""
    pid = 0
    records = 0
    with open(path) as f:
        for line in f:
            if max_records is not None and records >= max_records:
                return
            if line.startswith("# mmsim pid "):
                pid = int(line.split()[3])
                continue
            if len(line) < 3 or line[0] == "=" or line.startswith("#"):
                continue
            kind = line[:2].strip() or line[1]
            rest = line[2:].strip().split(",")
            if kind not in ("I", "L", "S", "M") or len(rest) != 2:
                continue
            records += 1
            addr, size = int(rest[0], 16), int(rest[1])
            first, last = addr >> 12, (addr + max(size, 1) - 1) >> 12
            for page in range(first, last + 1):
                if kind == "M":
                    yield pid, page, True
                    yield pid, page, False
                else:
                    yield pid, page, kind == "S"


def reference_mglru(path, spec, frames, max_records):
    """MGLRU sees A bits, so every access counts, zero-page reads included."""
    enabled = int(spec.split("enabled=")[1]) if "enabled=" in spec else 7
    m = mglru_ref.MGLRU(frames, enabled)
    for pid, page, write in page_accesses(path, max_records):
        m.access(pid, page, write)
    return m.refaults, m.evictions


def reference(path, spec, frames, max_records):
    if spec.startswith("mglru"):
        return reference_mglru(path, spec, frames, max_records)
    cache = policy_ref.make(spec, frames)
    written = set()
    refaults = 0
    for pid, page, write in page_accesses(path, max_records):
        key = (pid, page)
        if key not in written:
            if not write:
                continue  # the zero page: no frame
            written.add(key)
            cache.access(key)
            continue
        if not cache.access(key):
            refaults += 1
    return refaults, cache.evictions


def simulate(mmsim, path, spec, frames, max_records):
    limit = ["--max-records", str(max_records)] if max_records else []
    out = subprocess.run([mmsim, "run", "-q", "--policy", spec, "--frames", str(frames),
                          "--reclaim", "demand", "--tlb", "off", "--swap", "256M"] + limit +
                         ["--json", "-", path], capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit("mmsim run --policy %s --frames %d %s: exit %d: %s" %
                 (spec, frames, path, out.returncode, out.stderr.strip()))
    s = json.loads(out.stdout)["summary"]
    return s["major_faults"], s["pgsteal_direct"] + s["pgsteal_kswapd"]


def write_stores(path, pages):
    with open(path, "w") as f:
        for p in pages:
            f.write(" S %08x,4\n" % (0x10000000 + p * 4096))


def write_mixed(path, accesses):
    with open(path, "w") as f:
        for p, w in accesses:
            f.write(" %s %08x,8\n" % ("S" if w else "L", 0x10000000 + p * 4096 + 8))


def generated(work):
    rng = random.Random(19)
    traces = []
    belady = [1, 2, 3, 4, 1, 2, 5, 1, 2, 3, 4, 5]
    specs = {
        "belady": belady * 3,
        "uniform40": [rng.randrange(40) for _ in range(3000)],
        "zipf200": [min(int(rng.paretovariate(0.8)) - 1, 199) for _ in range(4000)],
        "loop_hot": [i % 60 if i % 3 else rng.randrange(8) + 100 for i in range(4000)],
        "scan_mix": [rng.randrange(12) if rng.random() < 0.5 else 200 + i for i in range(2500)],
        "phases": [(i // 700) * 30 + rng.randrange(30) for i in range(3500)],
    }
    for name, pages in specs.items():
        path = os.path.join(work, name + ".lackey")
        write_stores(path, pages)
        traces.append(path)
    path = os.path.join(work, "mixed.lackey")
    write_mixed(path, [(rng.randrange(50), rng.random() < 0.4) for _ in range(3000)])
    traces.append(path)
    return traces


def main():
    mmsim, work = sys.argv[1], sys.argv[2]
    os.makedirs(work, exist_ok=True)
    args = sys.argv[3:]
    only = os.environ.get("POLICY_DIFF_ONLY")
    if only:
        POLICIES[:] = only.split(",")
    real = args[args.index("--real") + 1:] if "--real" in args else []
    small = args[:args.index("--real")] if "--real" in args else args
    # Under ASan (ASAN_OPTIONS set: make test-asan) each run is a slow process start, and
    # the whole set takes minutes: there every policy runs on every other trace, at two of
    # the frame counts. The plain and coverage suites run everything.
    quick = bool(os.environ.get("ASAN_OPTIONS"))
    frames_small = (3, 16) if quick else (1, 3, 7, 16, 37)
    runs_of = [(t, frames_small, None) for t in generated(work) + small]
    runs_of += [(t, (8, 64), 40000) for t in real]
    bad = 0
    runs = 0
    for i, (path, frame_counts, max_records) in enumerate(runs_of):
        for j, spec in enumerate(POLICIES):
            if quick and (i + j) % 2:
                continue
            # MGLRU walks only an mm of at least 64 resident pages: larger caps too.
            more = (70, 130) if spec.startswith("mglru") and max_records is None else ()
            for frames in frame_counts + more:
                want = reference(path, spec, frames, max_records)
                got = simulate(mmsim, path, spec, frames, max_records)
                runs += 1
                if want != got:
                    bad += 1
                    print("MISMATCH %s %s frames=%d: mmsim (refaults, evictions) = %s, "
                          "reference = %s" % (os.path.basename(path), spec, frames, got, want))
    print("%d runs, %d mismatches%s" % (runs, bad, " (quick: under ASan)" if quick else ""))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
