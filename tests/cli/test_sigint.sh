#!/usr/bin/env bash
# End-to-end: ^C during a trace replay. The trace comes through a FIFO so the test decides
# when mmsim has read it (no sleeps, no timing): once 200,000 records are written, SIGINT
# goes to mmsim, then the FIFO is closed. mmsim must exit 130, say on standard error how
# far it got, print the summary of that part, and leave no --json or --timeline file (an
# older file at that path stays as it was) and no temporary file.
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
[ "$(cat old.json)" = '{"old": true}' ] || fail "old.json was replaced by a partial run"
[ ! -e tl.csv ] || fail "a partial timeline was left: $(head -2 tl.csv)"
ls | grep -q '\.tmp-' && fail "temporary file left: $(ls)"
echo "test_sigint: ok"
