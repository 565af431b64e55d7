#!/usr/bin/env bash
# End-to-end: `mmsim layout` prints the three maps; `mmsim walk` shows walks on its demo address space; `--vectors` passes a good
# file (exit 0), names a failing case (exit 1) and rejects malformed files with FILE:LINE
# and the reason (exit 2).
#
#   test_walk.sh MMSIM_BINARY WORKDIR
set -u
mmsim=$1
work=$2
mkdir -p "$work" && cd "$work" || exit 1
fail() { echo "test_walk: $*" >&2; exit 1; }

out=$("$mmsim" walk 0x7f0000012345 --access w) || fail "demo walk: exit $?"
echo "$out" | grep -q 'physical address 0x1012345 (2 MiB page' || fail "2 MiB walk: $out"
out=$("$mmsim" walk 0x400123 --access w) || fail "exit $?"
echo "$out" | grep -q '#PF error code 0x7: P(protection) W(write) U(user)' || fail "RO page: $out"
out=$("$mmsim" walk --kernel 0xffff888000200010) || fail "exit $?"
echo "$out" | grep -q 'rights supervisor rw-' || fail "direct map: $out"
out=$("$mmsim" walk 0x0000800000000000) || fail "exit $?"
echo "$out" | grep -q '#GP' || fail "non-canonical: $out"
"$mmsim" walk --levels 6 0x1000 2>/dev/null && fail "--levels 6 accepted"
[ $? -eq 2 ] || fail "--levels 6: want exit 2"
"$mmsim" walk nonsense 2>/dev/null; [ $? -eq 2 ] || fail "a bad address: want exit 2"
"$mmsim" walk --help | grep -q -- '--vectors FILE' || fail "--help"

# One good case (4-level read of a 4 KiB page at 0x5000) and the same case with a wrong pa.
good='{"id":"g1","cpu":{"levels":4,"maxphyaddr":40,"cr3":"0x1000","wp":true,"nxe":true,"smep":false,"smap":false,"ac":false,"pke":false,"pkru":"0x0"},"mem":{"0x1000":"0x2027","0x2000":"0x3027","0x3000":"0x4027","0x4008":"0x5025"},"access":{"va":"0x1234","op":"r","cpl":3},"result":{"fault":"none","pa":"0x5234"},"after":{}}'
echo "$good" >good.jsonl
out=$("$mmsim" walk --vectors good.jsonl) || fail "good file: exit $? ($out)"
[ "$out" = "1 passed, 0 failed" ] || fail "good file: $out"
echo "${good/0x5234/0x6234}" | sed 's/"g1"/"w1"/' >wrong.jsonl
out=$("$mmsim" walk --vectors wrong.jsonl); rc=$?
[ $rc -eq 1 ] || fail "a failing case: want exit 1, got $rc"
echo "$out" | grep -q '^FAIL w1: expected pa 0x6234, got pa 0x5234' || fail "failing case: $out"

printf '%s\n{"id": x}\n' "$good" >bad.jsonl
err=$("$mmsim" walk --vectors bad.jsonl 2>&1 >/dev/null); rc=$?
[ $rc -eq 2 ] || fail "malformed: want exit 2, got $rc"
echo "$err" | grep -q 'bad.jsonl:2:8: not a JSON object' || fail "malformed: $err"
echo "${good/\"op\":\"r\"/\"op\":\"q\"}" >badop.jsonl
err=$("$mmsim" walk --vectors badop.jsonl 2>&1 >/dev/null); rc=$?
[ $rc -eq 2 ] && echo "$err" | grep -q 'badop.jsonl:1: access.op must be' || fail "bad op: $err"
err=$("$mmsim" walk --vectors missing.jsonl 2>&1 >/dev/null); rc=$?
[ $rc -eq 2 ] && echo "$err" | grep -q 'missing.jsonl: No such file' || fail "missing: $err"
# mmsim layout: each map with its direct map where Linux puts it.
"$mmsim" layout --layout classic | grep -q 'ffff880000000000 | ffffc7ffffffffff' || fail "classic"
"$mmsim" layout | grep -q 'ffff888000000000 | ffffc87fffffffff' || fail "modern"
"$mmsim" layout --layout la57 | grep -q 'ff11000000000000 | ff90ffffffffffff' || fail "la57"
"$mmsim" layout --layout bogus 2>/dev/null; [ $? -eq 2 ] || fail "a bad layout: want exit 2"
# An empty vector file (or only blank lines) checks nothing: an error, not a pass.
: >empty.jsonl
err=$("$mmsim" walk --vectors empty.jsonl 2>&1 >/dev/null); rc=$?
[ $rc -eq 2 ] || fail "empty vector file: want exit 2, got $rc"
echo "$err" | grep -q "no vectors" || fail "empty vector file: $err"
echo "walk: all checks passed"
