#!/usr/bin/env bash
# End-to-end: SIGTERM (kill's default, what a batch system or timeout(1) sends) during a
# trace replay, a convert and a record. It used to kill mmsim outright: exit by the signal,
# no word of how far it got, and the --timeline or OUT temporary left behind. It is now
# handled as ^C is (test_sigint.sh): the run stops, says it was terminated and how far it
# got, prints the summary of that part saying so, leaves no output file and no temporary,
# and exits 143 (128 + SIGTERM). The trace comes through a FIFO so the test decides when
# mmsim has read it: no sleeps.
#
#   test_sigterm.sh MMSIM_BINARY WORKDIR
set -u
mmsim=$1
work=$2
mkdir -p "$work" && cd "$work" || exit 1
rm -rf ./*
fail() { echo "test_sigterm: $*" >&2; exit 1; }
command -v mkfifo >/dev/null || { echo "test_sigterm: no mkfifo; skipped"; exit 77; }
feed() { awk 'BEGIN { for (i = 0; i < 200000; i++) printf " S %x,8\n", 268435456 + (i % 5000) * 4096 }'; }

mkfifo trace.fifo
echo '{"old": true}' >old.json
"$mmsim" run -q --json old.json --timeline tl.csv --interval 1000 trace.fifo \
	>out.txt 2>err.txt &
pid=$!
exec 3>trace.fifo
feed >&3
kill -TERM $pid
exec 3>&-
wait $pid
rc=$?
[ $rc -eq 143 ] || fail "run: want exit 143, got $rc: $(cat err.txt)"
grep -q "terminated (SIGTERM) after [0-9]* records" err.txt || fail "run: $(cat err.txt)"
grep -q "no --json or --timeline file was written" err.txt || fail "run: $(cat err.txt)"
grep -q '^result: INTERRUPTED by SIGTERM after [0-9,]* records' out.txt ||
	fail "run: the summary does not say it was terminated: $(grep result out.txt)"
[ "$(cat old.json)" = '{"old": true}' ] || fail "run: old.json was replaced by a partial run"
[ ! -e tl.csv ] || fail "run: a partial timeline was left"
ls | grep -q '\.tmp-' && fail "run: temporary file left: $(ls)"

rm -f ./*
mkfifo in.fifo
echo old >conv.bin
"$mmsim" convert in.fifo conv.bin >out.txt 2>err.txt &
pid=$!
exec 3>in.fifo
feed >&3
kill -TERM $pid
exec 3>&-
wait $pid
rc=$?
[ $rc -eq 143 ] || fail "convert: want exit 143, got $rc: $(cat err.txt)"
grep -q "mmsim convert: terminated (SIGTERM) after [0-9]* records; conv.bin was not written" \
	err.txt || fail "convert: $(cat err.txt)"
[ "$(cat conv.bin)" = old ] || fail "convert: conv.bin was replaced"
ls | grep -q '\.tmp-' && fail "convert: temporary file left: $(ls)"

# record: SIGTERM comes to mmsim alone (the program does not get it, as it gets ^C): the
# recording stops, COMMAND's valgrind is ended, and no trace, temporary or log directory
# is left. mmsim is sent SIGTERM once it catches SIGINT (SigCgt bit 2 in /proc/PID/status),
# which it starts to catch just after SIGTERM.
command -v valgrind >/dev/null || { echo "test_sigterm: no valgrind; record skipped"; exit 0; }
[ -r /proc/self/status ] || { echo "test_sigterm: no /proc; record skipped"; exit 0; }
rm -rf ./*
mkdir tmp
echo old >rec.trace
TMPDIR=$PWD/tmp "$mmsim" record -q -o rec.trace -- sh -c 'while :; do :; done' \
	>out.txt 2>err.txt &
pid=$!
caught=
for ((i = 0; i < 2000000; i++)); do
	[ -r /proc/$pid/status ] || break
	while read -r line 2>/dev/null; do
		case $line in
		SigCgt:*) (( 0x${line#SigCgt:*[[:space:]]} & 2 )) && caught=1 ;;
		esac
	done </proc/$pid/status
	[ -n "$caught" ] && break
done
[ -n "$caught" ] || fail "record: mmsim never caught SIGINT: $(cat err.txt)"
kill -TERM $pid
wait $pid
rc=$?
[ $rc -eq 143 ] || fail "record: want exit 143, got $rc: $(cat err.txt)"
grep -q "terminated (SIGTERM): the recording is incomplete; rec.trace was not written" err.txt ||
	fail "record: $(cat err.txt)"
[ "$(cat rec.trace)" = old ] || fail "record: rec.trace was replaced"
ls | grep -q '\.tmp-' && fail "record: temporary file left: $(ls)"
[ -z "$(ls tmp | grep mmsim-record)" ] || fail "record: log directory left: $(ls tmp)"
exit 0
