#!/usr/bin/env bash
# End-to-end: `mmsim experiment switch` prints its table (four rows, one per preparation),
# JSON whose figures keep the books the table shows, a plot when gnuplot is there, and
# refuses bad options with exit 2 and a reason. Small machine, so it takes a second.
#
#   test_experiment_switch.sh MMSIM_BINARY WORKDIR
set -u
mmsim=$1
work=$2
mkdir -p "$work" && cd "$work" || exit 1
fail() { echo "test_experiment_switch: $*" >&2; exit 1; }
small=(--mem 16M --swap 64M --a 10M --b 10M --a-rounds 1 --b-rounds 1 --touches 2)

"$mmsim" experiment switch "${small[@]}" >t.txt 2>err.txt || fail "exit $?: $(cat err.txt)"
for p in none pageout memory.reclaim shrink-all; do
	grep -q "^$p " t.txt || fail "no row for $p: $(cat t.txt)"
done
grep -q "Time is a model" t.txt || fail "the table does not say its time is a model"

"$mmsim" experiment switch "${small[@]}" --cost major=100000 --json >j.json ||
	fail "--json: exit $?"
/usr/bin/python3 - j.json <<'PY' || fail "JSON: see above"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["experiment"] == "switch"
assert d["config"]["model_ns"]["major"] == 100000
pages = 10 * 256
rows = {r["prepare"]: r for r in d["rows"]}
assert list(rows) == ["none", "pageout", "memory.reclaim", "shrink-all"], list(rows)
for name, r in rows.items():
    b = r["b"]
    assert b["accesses"] == pages * 2 and b["minflt"] == pages, (name, b)
    want = (b["accesses"] * 1 + b["minflt"] * 1000 + b["majflt"] * 100000
            + b["pgscan_direct"] * 50 + b["pgsteal_direct"] * 5000) / 1e6
    assert abs(b["model_ms"] - want) < 1e-9, (name, b["model_ms"], want)
    assert len(r["b_model_ms_at"]) == 32 and abs(r["b_model_ms_at"][-1] - b["model_ms"]) < 1e-9
assert rows["none"]["reclaimed_bytes"] == 0
assert rows["pageout"]["reclaimed_bytes"] == 10 << 20
assert rows["pageout"]["a_back"]["majflt"] == pages
assert rows["none"]["b"]["pgsteal_kswapd"] + rows["none"]["b"]["pgsteal_direct"] > 0
PY

if command -v gnuplot >/dev/null 2>&1; then
	"$mmsim" experiment switch "${small[@]}" --plot s.svg >/dev/null || fail "--plot: exit $?"
	grep -q "<svg" s.svg || fail "--plot wrote no SVG"
	grep -q "modelled time" s.svg || fail "the plot's y axis is not labelled"
else
	echo "test_experiment_switch: gnuplot is not installed; the plot is not checked"
fi

expect2() {
	local want=$1
	shift
	"$mmsim" experiment switch "$@" >/dev/null 2>err.txt
	[ $? -eq 2 ] || fail "$*: want exit 2"
	grep -qF -- "$want" err.txt || fail "$*: want '$want' in: $(cat err.txt)"
}
expect2 "touches must divide 512" "${small[@]}" --touches 3
expect2 "do not fit in RAM plus swap" --mem 16M --swap 16M --a 20M --b 20M
expect2 "--cost: unknown key 'disk'" --cost disk=5
expect2 "--a takes a size" --a lots
expect2 "unknown or incomplete option" --frobnicate
expect2 "policy" --policy belady2 "${small[@]}"
echo "test_experiment_switch: ok"
