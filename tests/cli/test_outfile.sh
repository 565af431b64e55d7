#!/usr/bin/env bash
# End-to-end: output files (--json, --timeline, sweep --output) are written to a
# temporary file and renamed into place (src/cli/outfile.c): a finished run leaves the
# whole file and no temporary; a write that fails (/dev/full) is an error with a message,
# and an older file at the same path is never left half-written.
#
#   test_outfile.sh MMSIM_BINARY WORKDIR
set -u
mmsim=$1
work=$2
mkdir -p "$work" && cd "$work" || exit 1
rm -f ./*
fail() { echo "test_outfile: $*" >&2; exit 1; }

for i in $(seq 0 199); do printf ' S %x,8\n' $((0x10000000 + i * 4096)); done >t.txt

# A finished run: the whole JSON, the whole CSV, no temporary left beside them.
"$mmsim" run -q --json out.json --timeline tl.csv --interval 50 t.txt >/dev/null ||
	fail "run --json --timeline failed"
python3 -c 'import json,sys; json.load(open("out.json"))' || fail "out.json is not whole JSON"
[ "$(wc -l <tl.csv)" -ge 5 ] || fail "timeline too short: $(cat tl.csv)"
ls | grep -q '\.tmp-' && fail "temporary file left: $(ls)"

# Replacing an older file: the new content, same name, and the mode a plain file gets.
echo old >out.json
"$mmsim" run -q --json out.json t.txt >/dev/null || fail "second run failed"
grep -q '"counters"' out.json || fail "out.json not replaced"
[ "$(stat -c %a out.json)" = "$(umask -S >/dev/null; touch probe; stat -c %a probe)" ] ||
	fail "mode $(stat -c %a out.json) differs from a new file's"

# sweep --output
"$mmsim" sweep -q -j1 --policies fifo,lru --frames 8,16 --output sweep.csv t.txt >/dev/null ||
	fail "sweep failed"
[ "$(wc -l <sweep.csv)" -eq 5 ] || fail "sweep.csv: $(cat sweep.csv)"
ls | grep -q '\.tmp-' && fail "temporary file left after sweep: $(ls)"

# A full disk is an error, never a silent success.
if [ ! -w /dev/full ]; then
	echo "test_outfile: /dev/full not available; skipped the disk-full checks"
	exit 77
fi
"$mmsim" run -q --json /dev/full t.txt >out.txt 2>err.txt
rc=$?
[ $rc -ne 0 ] || fail "--json /dev/full exited 0"
grep -q "/dev/full" err.txt || fail "--json /dev/full: message does not name the file: $(cat err.txt)"
"$mmsim" sweep -q -j1 --policies fifo --frames 8 --output /dev/full t.txt >out.txt 2>err.txt
[ $? -ne 0 ] || fail "sweep --output /dev/full exited 0"
grep -q "/dev/full" err.txt || fail "sweep /dev/full: $(cat err.txt)"
"$mmsim" run -q --timeline /dev/full t.txt >out.txt 2>err.txt
[ $? -ne 0 ] || fail "--timeline /dev/full exited 0"
# sweep's partial result and mrc's CSV, JSON and partial result share one writer.
"$mmsim" sweep -q -j1 --policies fifo --frames 8 --shard 1/2 -o /dev/full t.txt >out.txt 2>err.txt
[ $? -eq 2 ] || fail "sweep --shard -o /dev/full: want exit 2: $(cat err.txt)"
grep -q "mmsim sweep: /dev/full: write failed" err.txt || fail "sweep --shard /dev/full: $(cat err.txt)"
for out in "--csv /dev/full" "--json /dev/full" "--shard 1/2 --csv /dev/full"; do
	# shellcheck disable=SC2086
	"$mmsim" mrc -q --policy lru --sizes 8,16 $out t.txt >out.txt 2>err.txt
	[ $? -eq 2 ] || fail "mrc $out: want exit 2: $(cat err.txt)"
	grep -q "mmsim mrc: /dev/full: write failed" err.txt || fail "mrc $out: $(cat err.txt)"
done
exit 0
