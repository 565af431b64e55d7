#!/usr/bin/env bash
# End-to-end: trace events (fork, exec, exit, reclaim, shrink-all, switch; docs/trace-format.md)
# through `mmsim convert`: lackey text -> binary version 2 -> lackey gives the same bytes;
# formats without events refuse them (exit 2) or drop them loudly with --drop-events;
# malformed events are refused with the byte offset or line:column (exit 2).
#
#   test_trace_events.sh MMSIM_BINARY WORKDIR
set -u
mmsim=$1
work=$2
mkdir -p "$work" && cd "$work" || exit 1
fail() { echo "test_trace_events: $*" >&2; exit 1; }

rm -f out.din out.csv ev.bin ev.zst x
cat >ev.txt <<'TXT'
# mmsim pid 5
 S 00001000,8
# mmsim fork 5 300
# mmsim pid 300
 L 00001008,4
# mmsim exec 300
# mmsim exit 5
# mmsim reclaim 1048576 300
# mmsim reclaim 4096 all
# mmsim shrink-all
# mmsim switch
 L 00001010,4
TXT
"$mmsim" convert ev.txt ev.bin 2>msg.txt || fail "to binary: exit $? $(cat msg.txt)"
grep -q '3 records and 7 events written to ev.bin (binary)' msg.txt || fail "closing: $(cat msg.txt)"
# Version 2 header: magic, then 02 00.
[ "$(od -An -tx1 -j8 -N2 ev.bin | tr -d ' ')" = 0200 ] || fail "version field"
"$mmsim" convert -q --format lackey ev.bin back.txt || fail "to lackey: exit $?"
cmp -s ev.txt back.txt || { diff ev.txt back.txt; fail "lackey round trip changed bytes"; }
"$mmsim" convert -q --zstd ev.txt ev.zst && "$mmsim" convert -q --format lackey ev.zst z.txt &&
	cmp -s ev.txt z.txt || fail "zstd round trip"

# din cannot say fork: refused, and the output is not written.
"$mmsim" convert --format din ev.txt out.din 2>err.txt
[ $? -eq 2 ] || fail "din with events: want exit 2"
grep -q 'a fork event, which din cannot carry' err.txt || fail "din refusal: $(cat err.txt)"
[ ! -e out.din ] || fail "din output written despite the refusal"
# --drop-events: written, with a warning even under -q.
"$mmsim" convert -q --drop-events --format din ev.txt out.din 2>err.txt || fail "drop: exit $?"
grep -q 'warning: 7 events .* dropped: din cannot carry them' err.txt || fail "drop: $(cat err.txt)"
[ "$(wc -l <out.din)" -eq 3 ] || fail "din lines: $(cat out.din)"
"$mmsim" convert --drop-events --format csv ev.txt out.csv 2>err.txt || fail "csv drop"
grep -q 'warning: 7 events' err.txt || fail "csv drop: $(cat err.txt)"

# A version-1 file with an event control byte is refused as before; a malformed version-2
# event names its byte.
printf '\x89MMTR\r\n\x1a\x01\x00\x00\x00\x00\x00\x00\x00\x81\x05\x06\x80\x01' >v1ev.bin
"$mmsim" convert v1ev.bin x 2>err.txt
[ $? -eq 2 ] || fail "v1 event: want exit 2"
grep -q 'v1ev.bin: byte 16: unknown control byte 0x81' err.txt || fail "$(cat err.txt)"
printf '\x89MMTR\r\n\x1a\x02\x00\x00\x00\x00\x00\x00\x00\x84\x00\x00\x80\x01' >bad.bin
"$mmsim" convert bad.bin x 2>err.txt
[ $? -eq 2 ] || fail "reclaim 0: want exit 2"
grep -q 'bad.bin: byte 16: reclaim: 0 bytes' err.txt || fail "$(cat err.txt)"
printf '# mmsim fork 3 3\n' >bad.txt
"$mmsim" convert bad.txt x 2>err.txt
[ $? -eq 2 ] || fail "fork to itself: want exit 2"
grep -q 'bad.txt:1:16: fork: the child pid equals the parent' err.txt || fail "$(cat err.txt)"
echo "test_trace_events: ok"
