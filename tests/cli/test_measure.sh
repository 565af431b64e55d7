#!/usr/bin/env bash
# End-to-end: the measurement controls (issue 13 §4): --skip N reads N records without
# simulating them, --warmup N simulates N records and counts from zero after them, both
# reported and in the JSON; swap is reported as "swap used" (slots now) apart from
# "swapped out/in" (traffic) in kB; `mmsim help CMD` is `mmsim CMD --help`.
#
# Independent values: Belady's string 1 2 3 4 1 2 5 1 2 3 4 5 twice, FIFO on 3 frames.
# --skip 12 leaves one copy on an empty machine: the textbook 9 faults (5 first touches,
# 4 swap-ins). The whole 24 records take 18 faults (9 + 9: the second copy starts with
# 3, 4, 5 resident and misses 9 times, worked by hand), so --warmup 12 counts those 9,
# all of them swap-ins (major).
#
#   test_measure.sh MMSIM_BINARY WORKDIR
set -u
mmsim=$1
work=$2
mkdir -p "$work" && cd "$work" || exit 1
fail() { echo "test_measure: $*" >&2; exit 1; }

for i in 1 2; do
	for p in 1 2 3 4 1 2 5 1 2 3 4 5; do printf ' S %x,8\n' $((0x10000000 + p * 4096)); done
done >b2.txt

faults() { awk '/^page faults/ { gsub(",", "", $3); print $3 }' "$1"; }
major() { awk '/^page faults/ { print $NF }' "$1"; }

"$mmsim" run -q --frames 3 --policy fifo b2.txt >all.txt || fail "whole: exit $?"
[ "$(faults all.txt)" = 18 ] || fail "whole trace: want 18 faults, got $(faults all.txt)"

"$mmsim" run -q --frames 3 --policy fifo --skip 12 b2.txt >skip.txt || fail "--skip: exit $?"
[ "$(faults skip.txt)" = 9 ] || fail "--skip 12: want 9 faults, got $(faults skip.txt)"
grep -q -- "--skip: the first 12 records were read and not simulated" skip.txt ||
	fail "--skip is reported"
grep -q "12 records, 1 process" skip.txt || fail "--skip: 12 records replayed"
# opt's pre-pass sees the same records: the textbook 7.
"$mmsim" run -q --frames 3 --policy opt --skip 12 b2.txt >opt.txt || fail "opt --skip"
[ "$(faults opt.txt)" = 7 ] || fail "opt --skip 12: want 7, got $(faults opt.txt)"

"$mmsim" run -q --frames 3 --policy fifo --warmup 12 --json w.json b2.txt >warm.txt ||
	fail "--warmup: exit $?"
[ "$(faults warm.txt)" = 9 ] || fail "--warmup 12: want 9 faults, got $(faults warm.txt)"
[ "$(major warm.txt)" = 9 ] || fail "--warmup 12: want 9 major, got $(major warm.txt)"
grep -q -- "--warmup: the first 12 records (12 page accesses, 9 page faults) were simulated and not counted" warm.txt ||
	fail "--warmup is reported: $(grep warmup warm.txt)"
grep -Eq '^accesses +12 ' warm.txt || fail "--warmup: 12 accesses counted"
# The warmup phase's own figures (the first copy: 5 first touches, 4 swap-ins).
grep -q '^warmup phase: the first 12 records, simulated and not counted above$' warm.txt ||
	fail "no warmup phase block: $(cat warm.txt)"
grep -Eq '^  accesses +12   ' warm.txt || fail "warmup phase: 12 accesses"
grep -Eq '^  page faults +9   minor 5, major 4$' warm.txt ||
	fail "warmup phase faults: $(grep '^  page faults' warm.txt)"
# 9 faults on 3 frames evict 6 pages, all written (stores): 6 swap-outs.
grep -Eq '^  swapped out +24 kB   6 pages written \(pswpout\); swapped in 16 kB, 4 pages' \
	warm.txt || fail "warmup phase swap: $(grep '^  swapped' warm.txt)"
grep -q '^warmup phase' all.txt && fail "a warmup block without --warmup"
python3 - w.json <<'PY' || fail "--warmup JSON"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["input"]["warmup_records"] == 12 and d["input"]["skip_records"] == 0, d["input"]
assert d["result"]["warmup"]["page_faults"] == 9, d["result"]["warmup"]
assert d["summary"]["major_faults"] == 9, d["summary"]
assert d["counters"]["pgfault"] == 9, d["counters"]["pgfault"]
PY

# sweep: the same controls, the same values; cold misses are the pages first touched
# after the warmup (none here: pages 1-5 were all touched by it).
"$mmsim" sweep -q --policies fifo,lru,opt --frames 3,4 --skip 12 b2.txt >s.csv || fail "sweep --skip"
got=$(awk -F, 'NR > 1 { printf "%s,%s,%s,%s,%s ", $1, $2, $9, $12, $5 }' s.csv)
want="fifo,3,12,5,9 fifo,4,12,5,10 lru,3,12,5,10 lru,4,12,5,8 opt,3,12,5,7 opt,4,12,5,6 "
[ "$got" = "$want" ] || fail "sweep --skip 12: want '$want', got '$got'"
"$mmsim" sweep -q --policies fifo --frames 3 --warmup 12 b2.txt >w.csv || fail "sweep --warmup"
got=$(awk -F, 'NR > 1 { print $1 "," $2 "," $9 "," $4 "," $11 "," $12 "," $5 }' w.csv)
[ "$got" = "fifo,3,12,12,9,0,9" ] || fail "sweep --warmup 12: want fifo,3,12,12,9,0,9, got $got"

# Errors: exit 2 with the reason.
expect_error() {
	local want=$1
	shift
	"$@" >out.txt 2>err.txt
	local rc=$?
	[ $rc -eq 2 ] || fail "$*: want exit 2, got $rc"
	grep -qF -- "$want" err.txt || fail "$*: want '$want' in: $(cat err.txt)"
}
expect_error "--skip 30: b2.txt has only 24 records" "$mmsim" run -q --skip 30 b2.txt
# A warmup or skip that takes every record leaves nothing to count: refused as an empty
# trace is, not a report of zeros with exit 0.
expect_error "--warmup 30: b2.txt has only 24 records: none is left to count" \
	"$mmsim" run -q --warmup 30 b2.txt
expect_error "--warmup 24: b2.txt has only 24 records: none is left to count" \
	"$mmsim" run -q --warmup 24 b2.txt
expect_error "--warmup 4: b2.txt has only 24 records, 4 after --skip 20: none is left to count" \
	"$mmsim" run -q --skip 20 --warmup 4 b2.txt
expect_error "--skip 24: b2.txt has only 24 records: none is left to count" \
	"$mmsim" run -q --skip 24 b2.txt
"$mmsim" run -q --allow-empty --warmup 24 b2.txt >out.txt || fail "--allow-empty --warmup 24: exit $?"
expect_error "--skip takes a number" "$mmsim" run -q --skip x b2.txt
expect_error "are for traces" "$mmsim" run -q --warmup 5
expect_error "give more than --warmup 12" "$mmsim" run -q --warmup 12 --max-records 10 b2.txt
expect_error "--warmup 30: b2.txt has only 24 records" "$mmsim" sweep -q --warmup 30 b2.txt
expect_error "--skip 30: b2.txt has only 24 records" "$mmsim" sweep -q --skip 30 b2.txt
# The same in sweep: rows of 0 accesses are not a result.
expect_error "--warmup 24: b2.txt has only 24 records after --skip: none is left to count" \
	"$mmsim" sweep -q --policies lru --frames 4 --warmup 24 b2.txt
expect_error "--warmup 4: b2.txt has only 4 records after --skip: none is left to count" \
	"$mmsim" sweep -q --policies lru --frames 4 --skip 20 --warmup 4 b2.txt
"$mmsim" sweep -q --policies lru --frames 4 --allow-empty --warmup 24 b2.txt >out.txt ||
	fail "sweep --allow-empty --warmup 24: exit $?"

# Swap: used (slots now) and traffic apart, in kB.
grep -Eq '^swap used +[0-9,]+ kB   slots in use at the end' all.txt || fail "swap used line"
grep -Eq '^swapped out +[0-9,]+ kB   [0-9,]+ pages written \(pswpout\); swapped in [0-9,]+ kB' all.txt ||
	fail "swapped out/in line"
grep -q '"swap_used_kB"' w.json || fail "JSON swap_used_kB"

# mmsim help CMD.
"$mmsim" help run >h1.txt || fail "help run: exit $?"
"$mmsim" run --help >h2.txt || fail "run --help"
cmp -s h1.txt h2.txt || fail "mmsim help run differs from mmsim run --help"
"$mmsim" help nope >out.txt 2>err.txt
[ $? -eq 2 ] || fail "help nope: want exit 2"
grep -q "unknown command 'nope'" err.txt || fail "help nope: $(cat err.txt)"
exit 0
