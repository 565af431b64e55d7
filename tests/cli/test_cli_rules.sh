#!/usr/bin/env bash
# End-to-end: the command line's rules (issue 13 §5, §1): addresses are hexadecimal with or
# without 0x everywhere (walk, scripts); --timeline rows fall exactly every --interval
# accesses for any interval; an option that would change nothing is an error.
#
#   test_cli_rules.sh MMSIM_BINARY WORKDIR
set -u
mmsim=$1
work=$2
mkdir -p "$work" && cd "$work" || exit 1
fail() { echo "test_cli_rules: $*" >&2; exit 1; }
command -v python3 >/dev/null || { echo "python3 is missing" >&2; exit 77; }

"$mmsim" walk 400000 >a.txt || fail "walk 400000: exit $?"
"$mmsim" walk 0x400000 >b.txt || fail "walk 0x400000: exit $?"
cmp -s a.txt b.txt || fail "walk 400000 and 0x400000 differ"
grep -q '^walk 0x0000000000400000:' a.txt || fail "400000 is 0x400000: $(head -1 a.txt)"
"$mmsim" walk 40g000 >out.txt 2>err.txt
[ $? -eq 2 ] || fail "walk 40g000: want exit 2"
grep -q "hexadecimal, with or without 0x" err.txt || fail "walk 40g000: $(cat err.txt)"

cat >hex.mms <<'MMS'
spawn P
P map A 4 at=7f0000000000
P access 7f0000001234 w
P access 0x7f0000002000 r
expect P minflt == 2
MMS
"$mmsim" script hex.mms >out.txt 2>&1 || fail "script with hex addresses: $(cat out.txt)"
# A passing script says so in one line.
[ "$(cat out.txt)" = "hex.mms: 1 expectation passed" ] || fail "script summary: $(cat out.txt)"
printf 'spawn P\nP map A 1\nP write A 0\nexpect P minflt == 1\nexpect P majflt == 0\n' >two.mms
[ "$("$mmsim" script two.mms)" = "two.mms: 2 expectations passed" ] || fail "2 expectations"
printf 'spawn P\nP access 12zz w\n' >bad.mms
"$mmsim" script bad.mms >out.txt 2>&1
[ $? -eq 2 ] || fail "script bad address: want exit 2"
grep -q "bad.mms:2:.*address '12zz' is not hexadecimal" out.txt || fail "script: $(cat out.txt)"

# Timeline rows at every multiple of the interval, above 65,536 too, and the end once.
for p in $(seq 0 4999); do printf ' S %x,8\n' $((0x10000000 + p * 4096)); done >one.txt
for i in $(seq 1 60); do cat one.txt; done >t.txt
for n in 100000 70001 7; do
	"$mmsim" run -q --timeline tl.csv --interval $n t.txt >/dev/null || fail "--interval $n"
	want=$(python3 -c "
n = $n
rows = [0] + list(range(n, 300001, n))
if rows[-1] != 300000: rows.append(300000)
print(' '.join(map(str, rows)))")
	got=$(tail -n +2 tl.csv | cut -d, -f1 | tr '\n' ' ' | sed 's/ $//')
	[ "$got" = "$want" ] || fail "--interval $n: want rows at '$(echo "$want" | cut -c1-80)...', got '$(echo "$got" | cut -c1-80)...'"
done

"$mmsim" layout --mem 1G >out.txt 2>err.txt
[ $? -eq 2 ] || fail "layout --mem: want exit 2"
grep -q "does nothing here" err.txt || fail "layout --mem: $(cat err.txt)"
exit 0
