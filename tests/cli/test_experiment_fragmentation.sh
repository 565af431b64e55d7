#!/usr/bin/env bash
# End-to-end: `mmsim experiment fragmentation` prints its huge-page part (order-9 blocks
# before and after compaction, three THP rows), JSON whose figures keep the books, a plot
# when gnuplot is there, and refuses a bad --fill with exit 2. 16 MiB, so it takes a second.
#
#   test_experiment_fragmentation.sh MMSIM_BINARY WORKDIR
set -u
mmsim=$1
work=$2
mkdir -p "$work" && cd "$work" || exit 1
fail() { echo "test_experiment_fragmentation: $*" >&2; exit 1; }
small=(--mem 16M --steps 2000 --sizes 4K:512K --fill 75)

"$mmsim" experiment fragmentation "${small[@]}" >t.txt 2>err.txt || fail "exit $?: $(cat err.txt)"
for row in "defrag=never" "defrag=madvise (direct)" "compact_memory, never" \
	"free 2 MiB blocks (order >= 9)" "unusable index, order 9"; do
	grep -qF "$row" t.txt || fail "no row '$row': $(cat t.txt)"
done

"$mmsim" experiment fragmentation "${small[@]}" --json >j.json || fail "--json: exit $?"
/usr/bin/python3 - j.json <<'PY' || fail "JSON: see above"
import json, sys
d = json.load(open(sys.argv[1]))
t = d["thp"]
assert d["config"]["fill_percent"] == 75
assert t["free_pages_after"] == t["free_pages_before"]
assert t["order9_after"] >= t["order9_before"]
assert list(t["rows"]) == ["never", "direct", "compacted"], list(t["rows"])
for name, r in t["rows"].items():
    assert r["attempts"] == t["free_pages_before"] // 512, (name, r)
    assert r["thp_fault_alloc"] + r["thp_fault_fallback"] == r["attempts"], (name, r)
    assert abs(r["success_fraction"] - r["thp_fault_alloc"] / r["attempts"]) < 1e-12
assert t["rows"]["never"]["compact_stall"] == 0
assert t["rows"]["compacted"]["order9_blocks"] == t["order9_after"]
PY

"$mmsim" experiment fragmentation "${small[@]}" --fill 0 --json >n.json || fail "--fill 0: exit $?"
grep -q '"thp"' n.json && fail "--fill 0 still ran the huge-page part"

if command -v gnuplot >/dev/null 2>&1; then
	"$mmsim" experiment fragmentation "${small[@]}" --plot f.svg >/dev/null ||
		fail "--plot: exit $?"
	grep -q "<svg" f.svg || fail "--plot wrote no SVG"
else
	echo "test_experiment_fragmentation: gnuplot is not installed; the plot is not checked"
fi

"$mmsim" experiment fragmentation --fill 95 >/dev/null 2>err.txt
[ $? -eq 2 ] || fail "--fill 95: want exit 2"
grep -qF -- "--fill takes a percentage from 0 to 90" err.txt || fail "--fill 95: $(cat err.txt)"
echo "test_experiment_fragmentation: passed"
