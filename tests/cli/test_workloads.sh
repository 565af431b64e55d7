#!/usr/bin/env bash
# End-to-end: `mmsim workloads` lists them; `mmsim run --workload grow` computes, checks
# and reports (exit 0, PASS), with JSON; a saved trace replays; every subcommand answers
# --help; --version.
#
#   test_workloads.sh MMSIM_BINARY WORKDIR
set -u
mmsim=$1
work=$2
mkdir -p "$work" && cd "$work" || exit 1
fail() { echo "test_workloads: $*" >&2; exit 1; }

"$mmsim" workloads >list.txt || fail "workloads: exit $?"
[ "$(wc -l <list.txt)" -eq 5 ] || fail "want 5 workloads: $(cat list.txt)"
for w in server sort matmul kv grow; do
	grep -q "^$w " list.txt || fail "$w is not listed"
done
grep -q '^server .*(default)$' list.txt || fail "server is the default"

"$mmsim" run -q --workload grow --json grow.json --save-trace grow.trace >grow.out ||
	fail "run --workload grow: exit $?"
grep -q '^result: PASS: ' grow.out || fail "grow: $(grep result grow.out)"
grep -q '^mmsim run: workload grow (scale 1, seed 1)' grow.out || fail "the first line"
grep -q '^machine: 16 MiB RAM, 64 MiB swap' grow.out || fail "grow's machine"
grep -Eq '^swapped out +[0-9,]+ kB   [1-9][0-9,]* pages written \(pswpout\); swapped in [0-9,]+ kB' grow.out ||
	fail "grow swaps: $(grep ^swap grow.out)"
grep -Eq '^ +1 +[0-9,]+ +[0-9,]+ +[0-9]+ kB' grow.out || fail "the process table"
python3 - grow.json <<'PY' || fail "grow's JSON"
import json, sys
j = json.load(open(sys.argv[1]))
assert j["input"] == {"kind": "workload", "name": "grow", "scale": 1, "seed": 1}, j["input"]
assert j["result"]["passed"] is True and j["result"]["exit_status"] == 0
assert j["config"]["mem_bytes"] == 16 << 20 and j["config"]["data_mode"] is True
assert j["counters"]["pswpout"] > 0 and j["summary"]["swap_outs"] == j["counters"]["pswpout"]
assert len(j["processes"]) == 1 and j["processes"][0]["VmHWM_kB"] > 0
assert any("stack" in n for n in j["result"]["notes"])
PY
"$mmsim" run -q --mem 64M grow.trace >replay.out || fail "replaying grow's trace: exit $?"
grep -q '(binary, zstd)' replay.out || fail "the saved trace is zstd binary"
"$mmsim" run -q --workload matmul --seed 3 --json - >mm.json || fail "--json -: exit $?"
python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); assert j["result"]["passed"]' mm.json ||
	fail "--json - writes JSON only"

for c in run sweep record convert workloads walk script layout experiment; do
	"$mmsim" "$c" --help >help.txt 2>&1 || fail "$c --help: exit $?"
	grep -q "^usage: mmsim $c" help.txt || fail "$c --help: $(head -1 help.txt)"
done
"$mmsim" --help | grep -q '^  run ' || fail "mmsim --help lists run"
"$mmsim" --version | grep -Eq '^mmsim [0-9]+\.[0-9]+' || fail "--version"
echo "test_workloads: ok"
