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

# The simulating commands: 4K is the machine's own page (nothing changes); any other size is
# refused with a message that says why and names the what-if (never silently ignored).
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
for cmd in "run" "sweep --policies lru --frames 4" "mrc"; do
	for size in 8K 16K 64K; do
		# shellcheck disable=SC2086
		"$mmsim" $cmd --page-size $size t.lackey >out.txt 2>err.txt
		rc=$?
		[ $rc -eq 2 ] || fail "$cmd --page-size $size: exit $rc, want 2"
		grep -q "4 KiB only" err.txt && grep -q "experiment pagesize --page-size $size" err.txt ||
			fail "$cmd --page-size $size: $(cat err.txt)"
		[ -s out.txt ] && fail "$cmd --page-size $size printed results"
	done
	# shellcheck disable=SC2086
	"$mmsim" $cmd --page-size 5K t.lackey >/dev/null 2>err.txt && fail "$cmd: 5K accepted"
	grep -q "want 4K, 8K, 16K or 64K" err.txt || fail "$cmd 5K: $(cat err.txt)"
done
"$mmsim" run --help | grep -q -- "--page-size" || fail "run --help does not list --page-size"
"$mmsim" experiment pagesize --help | grep -q -- "--page-size" || fail "pagesize --help"
exit 0
