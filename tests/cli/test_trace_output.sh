#!/usr/bin/env bash
# End-to-end: the trace writers (convert, run --save-trace; record uses the same writer)
# write a temporary file in the output's directory and rename it into place once the trace
# is complete (src/util/atomic_file.c through src/trace/trace_sink.c): a finished write
# leaves the whole trace and no temporary; a failed one (bad input, a full disk) is an
# error, leaves an older file at the path as it was, and leaves no partial trace and no
# temporary file. (^C during convert: tests/cli/test_sigint.sh.)
#
#   test_trace_output.sh MMSIM_BINARY WORKDIR
set -u
mmsim=$1
work=$2
mkdir -p "$work" && cd "$work" || exit 1
rm -f ./*
fail() { echo "test_trace_output: $*" >&2; exit 1; }

for i in $(seq 0 499); do printf ' S %x,8\n' $((0x10000000 + i * 4096)); done >t.txt

# A finished conversion: the whole trace under its name, the mode a new file gets, nothing else.
umask 022
echo old >t.bin
"$mmsim" convert -q t.txt t.bin || fail "convert failed"
"$mmsim" run -q t.bin | grep -q '500 records' || fail "t.bin is not the whole trace"
[ "$(stat -c %a t.bin)" = 644 ] || fail "mode $(stat -c %a t.bin), not 644"
ls | grep -q '\.tmp-' && fail "temporary file left: $(ls)"

# A conversion that fails on its input: the older file stays, no temporary.
cp t.txt bad.txt
echo ' S 1x,8' >>bad.txt
"$mmsim" convert -q bad.txt t.bin >out.txt 2>&1
[ $? -eq 2 ] || fail "bad input: want exit 2"
grep -q 'bad.txt:501:' out.txt || fail "bad input: $(cat out.txt)"
"$mmsim" run -q t.bin | grep -q '500 records' || fail "t.bin changed after a failed convert"
"$mmsim" convert -q bad.txt new.bin >/dev/null 2>&1
[ ! -e new.bin ] || fail "a failed convert left a partial new.bin"
ls | grep -q '\.tmp-' && fail "temporary file left after a failure: $(ls)"

# A workload's --save-trace: written whole, or not at all.
"$mmsim" run -q --workload grow --save-trace g.bin >/dev/null || fail "--save-trace failed"
"$mmsim" run -q g.bin >/dev/null || fail "g.bin does not replay"
ls | grep -q '\.tmp-' && fail "temporary file left by --save-trace: $(ls)"

# A full disk: /dev/full is written directly (a device cannot be replaced), and the error
# names it.
if [ ! -w /dev/full ]; then
	echo "test_trace_output: /dev/full not available; the disk-full checks skipped"
	exit 77
fi
"$mmsim" convert -q t.txt /dev/full >out.txt 2>&1
[ $? -eq 2 ] || fail "convert to /dev/full: want exit 2"
grep -q '/dev/full: write failed: No space left on device' out.txt ||
	fail "convert to /dev/full: $(cat out.txt)"
"$mmsim" run -q --workload grow --save-trace /dev/full >out.txt 2>&1
[ $? -eq 2 ] || fail "--save-trace /dev/full: want exit 2"
grep -q '/dev/full: write failed: No space left on device' out.txt ||
	fail "--save-trace /dev/full: $(cat out.txt)"
exit 0
