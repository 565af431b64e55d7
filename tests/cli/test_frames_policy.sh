#!/usr/bin/env bash
# End-to-end: --frames N without --reclaim is the textbook model (demand reclaim: one
# victim, the policy's choice, each time a frame is needed) in run, sweep and scripts, so
# the policies give the textbook fault counts; an explicit --reclaim linux still works and
# the report says batch reclaim is on; a cap above the RAM's frames is refused.
#
# Independent values (worked by hand, any textbook): on 1 2 3 4 1 2 5 1 2 3 4 5, FIFO
# faults 9 times with 3 frames and 10 with 4 (Belady's anomaly), LRU 10 and 8, OPT 7 and 6.
# A loop over 100 pages, 5 times: with fewer than 100 frames FIFO and LRU miss on every
# access (500); OPT misses the 100 first touches, then on each later pass 100 - frames of
# them (it keeps the frames - 1 pages it needs soonest and cycles one frame): 50 frames
# give 100 + 4 x 50 = 300, 99 frames 100 + 4 x 1 = 104. With 100 or 101 frames every
# policy misses only the 100 first touches.
#
#   test_frames_policy.sh MMSIM_BINARY WORKDIR
set -u
mmsim=$1
work=$2
mkdir -p "$work" && cd "$work" || exit 1
fail() { echo "test_frames_policy: $*" >&2; exit 1; }

# faults POLICY FRAMES TRACE [OPTIONS...]: the report's page-fault count.
faults() {
	local pol=$1 frames=$2 trace=$3
	shift 3
	"$mmsim" run -q --policy "$pol" --frames "$frames" "$@" "$trace" >out.txt 2>err.txt ||
		fail "run --policy $pol --frames $frames $*: exit $? ($(cat err.txt))"
	awk '/^page faults/ { gsub(",", "", $3); print $3 }' out.txt
}

# Stores, so that no page is first mapped as the zero page.
for p in 1 2 3 4 1 2 5 1 2 3 4 5; do printf ' S %x,8\n' $((0x10000000 + p * 4096)); done >belady.txt
for i in 1 2 3 4 5; do
	for p in $(seq 0 99); do printf ' S %x,8\n' $((0x20000000 + p * 4096)); done
done >loop.txt

got=""
for pol in fifo lru opt; do
	for f in 3 4; do got="$got$pol,$f,$(faults $pol $f belady.txt) "; done
done
want="fifo,3,9 fifo,4,10 lru,3,10 lru,4,8 opt,3,7 opt,4,6 "
[ "$got" = "$want" ] || fail "Belady string: want '$want', got '$got'"
grep -q "reclaim demand" out.txt || fail "the report names demand reclaim: $(head -3 out.txt)"
grep -q "batch reclaim" out.txt && fail "demand reclaim is not batch reclaim"

got=""
for pol in fifo lru opt; do
	for f in 50 99 100 101; do got="$got$pol,$f,$(faults $pol $f loop.txt) "; done
done
want="fifo,50,500 fifo,99,500 fifo,100,100 fifo,101,100 lru,50,500 lru,99,500 lru,100,100 lru,101,100 opt,50,300 opt,99,104 opt,100,100 opt,101,100 "
[ "$got" = "$want" ] || fail "loop of 100 pages: want '$want', got '$got'"

# sweep: the same default, the same values.
"$mmsim" sweep -q --policies fifo,lru,opt --frames 50,99,100,101 loop.txt >loop.csv ||
	fail "sweep: exit $?"
got=$(cut -d, -f1,2,10 loop.csv | tail -n +2 | tr '\n' ' ')
[ "$got" = "$(echo "$want" | sed 's/ $//') " ] || fail "sweep loop: want '$want', got '$got'"

# The JSON says which reclaim ran and its batch.
"$mmsim" run -q --frames 3 --policy fifo --json run.json belady.txt >/dev/null || fail "json"
grep -q '"reclaim":[[:space:]]*"demand"' run.json || fail "JSON reclaim demand"
grep -q '"reclaim_batch_pages":[[:space:]]*1\b' run.json || fail "JSON batch 1"

# An explicit --reclaim linux: batches of 32, and the report says so.
faults fifo 3 belady.txt --reclaim linux >/dev/null
grep -q "reclaim linux" out.txt || fail "reclaim linux kept"
grep -q "batch reclaim is on: each time the cap is hit, 32 frames" out.txt ||
	fail "the report says batch reclaim is on: $(head -4 out.txt)"
"$mmsim" run -q --frames 3 --reclaim linux --json run.json belady.txt >/dev/null || fail "json"
grep -q '"reclaim_batch_pages":[[:space:]]*32' run.json || fail "JSON batch 32"
# No cap: Linux's reclaim, as before.
"$mmsim" run -q belady.txt >out.txt || fail "plain run"
grep -q "reclaim linux, no frames cap" out.txt || fail "no cap: reclaim linux"
grep -q "batch reclaim" out.txt && fail "no cap: no batch note"

# Scripts: frames= without reclaim= is demand too.
cat >belady.mms <<'MMS'
config mem=64M swap=16M frames=3 policy=fifo tlb=off
spawn P
P map A 6
P write A 1
P write A 2
P write A 3
P write A 4
P write A 1
P write A 2
P write A 5
P write A 1
P write A 2
P write A 3
P write A 4
P write A 5
expect P minflt == 5
expect P majflt == 4
MMS
"$mmsim" script belady.mms >out.txt 2>&1 || fail "script: frames=3 alone: $(cat out.txt)"

# A cap above the RAM's frames is refused, naming both.
"$mmsim" run -q --frames 100000 belady.txt >out.txt 2>err.txt
[ $? -eq 2 ] || fail "--frames 100000 on 64M: want exit 2"
grep -q "frames=100000: more than the 16384 frames of RAM (mem=64M)" err.txt ||
	fail "--frames too big: $(cat err.txt)"
[ ! -s out.txt ] || fail "--frames too big printed a report"
"$mmsim" sweep -q --mem 64M --frames 100000 belady.txt >out.txt 2>err.txt
[ $? -eq 2 ] || fail "sweep --frames 100000 --mem 64M: want exit 2"
grep -q "more than the 16384 frames" err.txt || fail "sweep too big: $(cat err.txt)"
exit 0
