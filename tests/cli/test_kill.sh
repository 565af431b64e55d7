#!/usr/bin/env bash
# End-to-end: a run whose process is OOM-killed is never a quiet success (issue 13 §2).
# 100,000 stores to distinct pages (390.6 MiB) on 64 MiB of RAM and 64 MiB of swap: the
# process is killed; the report's first and last lines say after how many accesses, how
# many were not simulated, its peak RSS (VmHWM, kept after death) and the --swap/--mem that
# would hold the trace; the exit status is 3 (0 with --allow-kill); the JSON has the same
# facts; the suggested sizes really hold the trace; sweep marks killed rows complete=no.
#
#   test_kill.sh MMSIM_BINARY WORKDIR
set -u
mmsim=$1
work=$2
mkdir -p "$work" && cd "$work" || exit 1
fail() { echo "test_kill: $*" >&2; exit 1; }
command -v python3 >/dev/null || { echo "python3 is missing" >&2; exit 77; }

python3 -c '
for p in range(100000): print(" S %x,8" % (0x10000000 + p * 4096))' >big.txt

"$mmsim" run -q --swap 64M --json run.json big.txt >out.txt 2>err.txt
rc=$?
[ $rc -eq 3 ] || fail "a kill: want exit 3, got $rc"
kill_line='^KILLED: pid 1 was OOM-killed after [0-9,]+ of 100,000 accesses; [0-9,]+ were not simulated; peak RSS \(VmHWM\) [0-9.]+ MiB$'
sed -n 2p out.txt | grep -Eq "$kill_line" || fail "line 2 names the kill: $(sed -n 2p out.txt)"
tail -3 out.txt | head -1 | grep -Eq "$kill_line" || fail "the last lines name the kill: $(tail -3 out.txt)"
grep -q 'the trace touches 390.6 MiB in all: --swap 407M (with this RAM) or --mem 441M would hold it' out.txt ||
	fail "the sizes that fit: $(sed -n 3p out.txt)"
tail -1 out.txt | grep -q 'exit status 3 (--allow-kill makes it 0)' || fail "last line: $(tail -1 out.txt)"
# The numbers add up: killed after N, 100,000 - N not simulated; VmHWM is not 0.
python3 - run.json <<'PY' || fail "JSON"
import json, sys
r = json.load(open(sys.argv[1]))["result"]
assert r["exit_status"] == 3, r
assert r["complete"] is False, r
k = r["killed_processes"]
assert len(k) == 1 and k[0]["pid"] == 1, k
k = k[0]
assert k["killed_after_accesses"] + k["accesses_not_simulated"] == 100000, k
assert k["accesses_made"] == k["killed_after_accesses"], k
assert k["VmHWM_kB"] > 32 * 1024, k
assert r["replay"]["skipped"] == k["accesses_not_simulated"], r
assert r["footprint_bytes"] == 100000 * 4096, r
PY
grep -q 'VmHWM' out.txt || fail "process table"
awk '$NF == "oom-killed" && $7 == 0 { bad = 1 } END { exit bad }' out.txt ||
	fail "the killed process's VmHWM is kept, not 0"

"$mmsim" run -q --swap 64M --allow-kill big.txt >out.txt || fail "--allow-kill: want 0, got $?"
grep -q '^KILLED: ' out.txt || fail "--allow-kill still reports the kill"
grep -q -- '--allow-kill: exit status 0' out.txt || fail "--allow-kill said"

# The suggested sizes hold the trace: no kill, exit 0.
"$mmsim" run -q --swap 407M big.txt >out.txt || fail "--swap 407M: exit $?"
grep -q 'KILLED' out.txt && fail "--swap 407M still killed"
"$mmsim" run -q --swap 64M --mem 441M big.txt >out.txt || fail "--mem 441M: exit $?"
# A run without a kill has no KILLED line and complete: true.
"$mmsim" run -q --swap 407M --json ok.json big.txt >/dev/null || fail "ok run"
grep -q '"complete":[[:space:]]*true' ok.json || fail "complete: true"
grep -q '"killed_processes":[[:space:]]*\[\]' ok.json || fail "killed_processes: []"

# sweep: killed runs say complete=no, leave misses and miss_ratio empty, and exit 3.
"$mmsim" sweep -q --policies fifo --frames 16 --mem 32M --swap 16M big.txt >s.csv 2>err.txt
rc=$?
[ $rc -eq 3 ] || fail "sweep with a kill: want exit 3, got $rc"
head -1 s.csv | grep -q ',oom_kills,not_simulated,complete$' || fail "sweep header: $(head -1 s.csv)"
tail -1 s.csv | grep -Eq '^fifo,16,[0-9]+,[0-9]+,,,.*,[0-9]+,[0-9]+,[0-9]+,1,[0-9]+,no$' ||
	fail "killed row: $(tail -1 s.csv)"
grep -q "1 of 1 runs had a process OOM-killed" err.txt || fail "sweep says: $(cat err.txt)"
"$mmsim" sweep -q --allow-kill --policies fifo --frames 16 --mem 32M --swap 16M big.txt \
	>/dev/null || fail "sweep --allow-kill: exit $?"
exit 0
