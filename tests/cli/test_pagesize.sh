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
exit 0
