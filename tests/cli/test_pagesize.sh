#!/usr/bin/env bash
# `mmsim experiment pagesize` (docs/page-size.md): the "what if" that is not x86. A trace
# worked out by hand: one process touches bytes 0x1000, 0x1040 and 0x2000 (8 bytes each).
# At 4 and 8 KiB: 2 faults, 4 tables; at 64 KiB: 1 fault, 3 tables, 3 lines touched of 1024.
#
#   test_pagesize.sh MMSIM_BINARY WORKDIR
set -u
mmsim=$1
work=$2
mkdir -p "$work" && cd "$work" || exit 1
fail() { echo "test_pagesize: $*" >&2; exit 1; }
command -v python3 >/dev/null || { echo "python3 is missing" >&2; exit 77; }

printf ' L 00001000,8\n S 00001040,8\n L 00002000,8\n' >t.lackey
"$mmsim" experiment pagesize t.lackey >out.txt 2>err.txt || fail "exit $?: $(cat err.txt)"
grep -q "NOT x86" out.txt || fail "the table does not say it is not x86"
"$mmsim" experiment pagesize --json t.lackey >out.json || fail "--json: exit $?"
python3 - out.json <<'PY' || fail "figures differ"
import json, sys
rows = {r["page_bytes"]: r for r in json.load(open(sys.argv[1]))["page_sizes"]}
assert "NOT x86" in json.load(open(sys.argv[1]))["note"]
want = {4096: (4, 2, 4, 3), 8192: (4, 2, 4, 3), 16384: (4, 1, 4, 3), 65536: (3, 1, 3, 3)}
for size, (levels, faults, tables, lines) in want.items():
    r = rows[size]
    got = (r["levels"], r["faults"], r["table_pages"], r["touched_bytes"] // 64)
    assert got == (levels, faults, tables, lines), (size, got)
    assert r["mapped_bytes"] == faults * size and r["table_bytes"] == tables * size
PY
"$mmsim" experiment pagesize >/dev/null 2>&1 && fail "no trace: should be a usage error"
"$mmsim" experiment pagesize --format nosuch t.lackey >/dev/null 2>&1 && fail "bad format accepted"

# --page-size SIZE picks one size; the figures are those of the full run's row.
"$mmsim" experiment pagesize --page-size 64K --json t.lackey >one.json || fail "--page-size 64K: exit $?"
python3 - one.json <<'PY' || fail "--page-size 64K: wrong rows"
import json, sys
rows = json.load(open(sys.argv[1]))["page_sizes"]
assert [r["page_bytes"] for r in rows] == [65536], rows
assert (rows[0]["faults"], rows[0]["table_pages"]) == (1, 3), rows
PY
"$mmsim" experiment pagesize --page-size 16384 t.lackey >one.txt || fail "--page-size 16384: exit $?"
grep -q "NOT x86" one.txt && [ "$(grep -c KiB one.txt)" -ge 2 ] || fail "16384: $(cat one.txt)"
"$mmsim" experiment pagesize --page-size 3K t.lackey >/dev/null 2>&1 && fail "3K accepted"

# The simulating commands: 4K is the machine's own page (nothing changes).
"$mmsim" run -q --json a.json t.lackey >/dev/null || fail "run: exit $?"
"$mmsim" run -q --page-size 4K --json b.json t.lackey >/dev/null || fail "run --page-size 4K: exit $?"
python3 - a.json b.json <<'PY' || fail "--page-size 4K changed the result"
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:])
for d in (a, b):
    d["result"].pop("seconds", None)
    d.pop("input", None)
assert a["summary"] == b["summary"] and a["counters"] == b["counters"]
PY
# The what-if on the simulating commands (demand mode, TLB off). A trace worked out by hand:
# stores to 4 KiB pages 0 1 4 0 8 1 4 of 0x10000000, then 8 bytes across 0x10004000 (pages
# 3 and 4). At 16 KiB these are pages A A B A C A B, then A and B.
# LRU, 2 frames, 4 KiB: 0 1 4 0 8 1 4 all miss (4 cold, 3 back from swap), 3 cold, 4 hits:
#   5 minor faults, 3 major, 6 evictions; 9 page accesses.
# LRU, 2 frames, 16 KiB: A miss, A hit, B miss, A hit, C miss (evicts B), A hit, B miss
#   (evicts C, back from swap), A hit, B hit: 3 minor, 1 major, 2 evictions; 9 accesses.
# 1 frame, 16 KiB: every change of page misses: 8 misses (3 cold, 5 major).
printf ' S 10000000,4\n S 10001000,4\n S 10004000,4\n S 10000008,4\n S 10008000,4\n S 10001000,4\n S 10004000,4\n S 10003ffc,8\n' >h.lackey
for size in 4K 16K; do
	"$mmsim" run -q --policy lru --frames 2 --page-size $size --json run$size.json h.lackey \
		>/dev/null 2>err.txt || fail "run --page-size $size: exit $? $(cat err.txt)"
done
python3 - run4K.json run16K.json <<'PY' || fail "run --page-size: figures differ from the hand count"
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:])
def figs(d):
    s = d["summary"]
    return s["accesses"], s["minor_faults"], s["major_faults"], s["pgsteal_direct"]
assert figs(a) == (9, 5, 3, 6), figs(a)
assert figs(b) == (9, 3, 1, 2), figs(b)
assert "page_size" not in a
assert b["page_size"]["page_bytes"] == 16384 and "NOT x86" in b["page_size"]["note"], b
PY
"$mmsim" run --policy lru --frames 2 --page-size 16K h.lackey >out.txt || fail "run text: exit $?"
head -1 out.txt | grep -q "what-if page size 16 KiB: NOT x86" || fail "run text: $(head -3 out.txt)"
# sweep and mrc at 16 KiB agree (mrc's one-pass LRU and OPT, and its replays of fifo), and
# say so in every row.
"$mmsim" sweep -q --policies lru,opt,fifo --frames 1,2,3 --page-size 16K -o sweep.csv h.lackey ||
	fail "sweep --page-size 16K: exit $?"
"$mmsim" mrc -q --policy lru,opt,fifo --sizes 1,2,3 --page-size 16K -o mrc.csv --json mrc.json \
	h.lackey || fail "mrc --page-size 16K: exit $?"
python3 - sweep.csv mrc.csv mrc.json <<'PY' || fail "sweep and mrc at 16K differ"
import csv, json, sys
sw = list(csv.DictReader(open(sys.argv[1])))
mr = list(csv.DictReader(open(sys.argv[2])))
key = lambda r: (r["policy"], r["frames"], r["bytes"], r["accesses"], r["misses"], r["miss_ratio"])
assert [key(r) for r in sw] == [key(r) for r in mr], (sw, mr)
for r in sw + mr:
    assert r["page_bytes"] == "16384" and "NOT x86" in r["page_size_note"], r
lru = {r["frames"]: int(r["misses"]) for r in sw if r["policy"] == "lru"}
assert lru == {"1": 8, "2": 4, "3": 3}, lru
assert [r["bytes"] for r in sw[:3]] == ["16384", "32768", "49152"]
j = json.load(open(sys.argv[3]))
assert j["page_bytes"] == 16384 and "NOT x86" in j["page_size_note"], j
PY
# 4K: no extra columns, and the same figures as no --page-size.
"$mmsim" sweep -q --policies lru --frames 2 --page-size 4K h.lackey >s4.csv || fail "sweep 4K"
"$mmsim" sweep -q --policies lru --frames 2 h.lackey >s0.csv || fail "sweep"
cmp -s s4.csv s0.csv || fail "sweep --page-size 4K changed the CSV"
# Where it would not be exact, refused (exit 2) with the reason: the Linux reclaim mode, the
# TLB, a workload.
for args in "run h.lackey" "run --frames 4 --reclaim linux h.lackey" \
	"run --frames 4 --tlb skylake h.lackey" "run --frames 4 --timeline tl.csv h.lackey" \
	"sweep --policies lru --frames 4 --reclaim linux h.lackey" "run --frames 4 --workload kv"; do
	# shellcheck disable=SC2086
	"$mmsim" $args --page-size 16K >out.txt 2>err.txt
	rc=$?
	[ $rc -eq 2 ] || fail "$args --page-size 16K: exit $rc, want 2"
	grep -q "NOT x86" err.txt || fail "$args: $(cat err.txt)"
	[ -s out.txt ] && fail "$args --page-size 16K printed results"
done
for cmd in run sweep mrc; do
	"$mmsim" $cmd --page-size 5K t.lackey >/dev/null 2>err.txt && fail "$cmd: 5K accepted"
	grep -q "want 4K, 8K, 16K or 64K" err.txt || fail "$cmd 5K: $(cat err.txt)"
done
"$mmsim" run --help | grep -q -- "--page-size" || fail "run --help does not list --page-size"
"$mmsim" experiment pagesize --help | grep -q -- "--page-size" || fail "pagesize --help"
exit 0
