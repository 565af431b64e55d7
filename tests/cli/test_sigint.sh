#!/usr/bin/env bash
# End-to-end: ^C during a trace replay. The trace comes through a FIFO so the test decides
# when mmsim has read it (no sleeps, no timing): once 200,000 records are written, SIGINT
# goes to mmsim, then the FIFO is closed. mmsim must exit 130, say on standard error how
# far it got, print the summary of that part (saying it is a part), and leave no --json or
# --timeline file (an older file at that path stays as it was) and no temporary file.
#
# Then ^C during a workload run (with --save-trace), during a sweep and during a convert:
# the test waits until mmsim has installed its SIGINT handler (SigCgt in /proc/PID/status;
# a bounded poll, no sleep) and sends SIGINT at once, into work that lasts far longer. The
# same rules hold: exit 130, what was done on standard error, no output file, no
# temporary left, an older file at the output path unchanged.
#
#   test_sigint.sh MMSIM_BINARY WORKDIR
set -u
mmsim=$1
work=$2
mkdir -p "$work" && cd "$work" || exit 1
rm -rf ./*
fail() { echo "test_sigint: $*" >&2; exit 1; }
command -v mkfifo >/dev/null || { echo "test_sigint: no mkfifo; skipped"; exit 77; }

mkfifo trace.fifo
echo '{"old": true}' >old.json
"$mmsim" run -q --json old.json --timeline tl.csv --interval 1000 trace.fifo \
	>out.txt 2>err.txt &
pid=$!
exec 3>trace.fifo
awk 'BEGIN { for (i = 0; i < 200000; i++) printf " S %x,8\n", 268435456 + (i % 5000) * 4096 }' >&3
kill -INT $pid
exec 3>&-
wait $pid
rc=$?
[ $rc -eq 130 ] || fail "want exit 130, got $rc: $(cat err.txt)"
grep -q "interrupted after [0-9]* records" err.txt || fail "no progress in: $(cat err.txt)"
grep -q "no --json or --timeline file was written" err.txt || fail "$(cat err.txt)"
[ -s out.txt ] || fail "no partial summary on standard output"
grep -q '^result: INTERRUPTED by \^C after [0-9,]* records' out.txt ||
	fail "the summary does not say it was interrupted: $(grep result out.txt)"
grep -q 'covers only that part of the trace' out.txt || fail "summary: $(grep -A1 result out.txt)"
grep -q 'result: replayed' out.txt && fail "an interrupted run says 'result: replayed'"
[ "$(cat old.json)" = '{"old": true}' ] || fail "old.json was replaced by a partial run"
[ ! -e tl.csv ] || fail "a partial timeline was left: $(head -2 tl.csv)"
ls | grep -q '\.tmp-' && fail "temporary file left: $(ls)"

# Waits until process $1 catches SIGINT (bit 2 of SigCgt), polling /proc a bounded number
# of times; fails if it exits first.
wait_caught() {
	local i line
	for ((i = 0; i < 2000000; i++)); do
		[ -r /proc/$1/status ] || return 1
		while read -r line 2>/dev/null; do
			case $line in
			SigCgt:*) (( 0x${line#SigCgt:*[[:space:]]} & 2 )) && return 0 ;;
			esac
		done </proc/$1/status
	done
	return 1
}
[ -r /proc/self/status ] || { echo "test_sigint: no /proc; the rest skipped"; exit 77; }

# A workload: stopped at its next tick, no verdict, no output files.
rm -f ./*
echo old >old.trace
"$mmsim" run -q --workload sort --scale 16 --timeline wtl.csv --json w.json \
	--save-trace old.trace >out.txt 2>err.txt &
pid=$!
wait_caught $pid || fail "workload: mmsim never caught SIGINT: $(cat err.txt)"
kill -INT $pid
wait $pid
rc=$?
[ $rc -eq 130 ] || fail "workload: want exit 130, got $rc: $(cat err.txt)"
grep -q "mmsim run: interrupted after [0-9]* of about [0-9]* accesses of workload sort" err.txt ||
	fail "workload: $(cat err.txt)"
grep -q "no --json, --timeline or --save-trace file was written" err.txt ||
	fail "workload files: $(cat err.txt)"
grep -q '^result: INTERRUPTED by \^C' out.txt || fail "workload summary: $(cat out.txt)"
grep -q 'result: PASS\|result: FAIL' out.txt && fail "an interrupted workload has a verdict"
[ "$(cat old.trace)" = old ] || fail "workload: --save-trace replaced the old file"
[ ! -e wtl.csv ] && [ ! -e w.json ] || fail "workload: output left: $(ls)"
ls | grep -q '\.tmp-' && fail "workload: temporary file left: $(ls)"

# A sweep: finished runs are said, no CSV is written.
awk 'BEGIN { for (i = 0; i < 300000; i++) printf " S %x,8\n", 268435456 + (i % 3000) * 4096 }' \
	>big.trace
echo old >old.csv
"$mmsim" sweep -q -j1 --policies fifo,lru --frames 100:3000:+100 -o old.csv big.trace \
	>out.txt 2>err.txt &
pid=$!
wait_caught $pid || fail "sweep: mmsim never caught SIGINT: $(cat err.txt)"
kill -INT $pid
wait $pid
rc=$?
[ $rc -eq 130 ] || fail "sweep: want exit 130, got $rc: $(cat err.txt)"
grep -q "mmsim sweep: interrupted: [0-9]* of 60 runs finished" err.txt || fail "sweep: $(cat err.txt)"
grep -q "no CSV or plot was written" err.txt || fail "sweep: $(cat err.txt)"
[ "$(cat old.csv)" = old ] || fail "sweep: old.csv was replaced"
[ ! -s out.txt ] || fail "sweep: a partial CSV on standard output: $(head -3 out.txt)"
ls | grep -q '\.tmp-' && fail "sweep: temporary file left: $(ls)"

# A convert: the input comes through a FIFO, as for run above; OUT is not written.
rm -f ./*
mkfifo in.fifo
echo old >conv.bin
"$mmsim" convert in.fifo conv.bin >out.txt 2>err.txt &
pid=$!
exec 3>in.fifo
awk 'BEGIN { for (i = 0; i < 200000; i++) printf " S %x,8\n", 268435456 + (i % 5000) * 4096 }' >&3
kill -INT $pid
exec 3>&-
wait $pid
rc=$?
[ $rc -eq 130 ] || fail "convert: want exit 130, got $rc: $(cat err.txt)"
grep -q "mmsim convert: interrupted after [0-9]* records; conv.bin was not written" err.txt ||
	fail "convert: $(cat err.txt)"
[ "$(cat conv.bin)" = old ] || fail "convert: conv.bin was replaced"
ls | grep -q '\.tmp-' && fail "convert: temporary file left: $(ls)"

# An mrc: the one pass (the trace through a FIFO, as for run above), then the replays that
# mrc hands to mmsim sweep (the ^C is passed on). Nothing is written either way.
rm -f ./*
mkfifo mrc.fifo
echo old >mrc.csv
"$mmsim" mrc -q --policy lru -o mrc.csv mrc.fifo >out.txt 2>err.txt &
pid=$!
exec 3>mrc.fifo
awk 'BEGIN { for (i = 0; i < 200000; i++) printf " S %x,8\n", 268435456 + (i % 5000) * 4096 }' >&3
kill -INT $pid
exec 3>&-
wait $pid
rc=$?
[ $rc -eq 130 ] || fail "mrc: want exit 130, got $rc: $(cat err.txt)"
grep -q "mmsim mrc: interrupted after [0-9]* accesses of mrc.fifo; no CSV, JSON, plot" err.txt ||
	fail "mrc: $(cat err.txt)"
[ "$(cat mrc.csv)" = old ] || fail "mrc: mrc.csv was replaced"
[ ! -s out.txt ] || fail "mrc: output on standard output: $(head -3 out.txt)"
ls | grep -q '\.tmp-' && fail "mrc: temporary file left: $(ls)"

awk 'BEGIN { for (i = 0; i < 300000; i++) printf " S %x,8\n", 268435456 + (i % 3000) * 4096 }' \
	>big.trace
"$mmsim" mrc -q -j1 --policy fifo --sizes 100:3000:+100 -o mrc.csv big.trace >out.txt 2>err.txt &
pid=$!
# mrc catches SIGINT before it starts the sweep, so wait for the sweep to exist too.
children() { cat /proc/$1/task/$1/children 2>/dev/null; }
[ -r /proc/self/task/$BASHPID/children ] || { echo "test_sigint: no /proc children; mrc replays skipped"; exit 77; }
child=
for ((i = 0; i < 2000000; i++)); do
	child=$(children $pid)
	[ -n "$child" ] && break
	kill -0 $pid 2>/dev/null || break
done
child=${child%% *}
[ -n "$child" ] || fail "mrc: the sweep never started: $(cat err.txt)"
wait_caught "$child" || true
kill -INT $pid
wait $pid
rc=$?
[ $rc -eq 130 ] || fail "mrc replays: want exit 130, got $rc: $(cat err.txt)"
grep -q "mmsim mrc: interrupted during the replays of fifo; no CSV" err.txt ||
	fail "mrc replays: $(cat err.txt)"
[ "$(cat mrc.csv)" = old ] || fail "mrc replays: mrc.csv was replaced"
kill -0 "$child" 2>/dev/null && fail "mrc replays: the sweep still runs"

echo "test_sigint: ok"
