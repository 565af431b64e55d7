#!/usr/bin/env bash
# End-to-end: two outputs of one command given the same file (or an output given the trace
# or a part it reads) are refused with exit 2 before anything is written: before, the one
# written last silently replaced the other, and `mrc --csv t.txt t.txt` replaced the trace.
#
#   test_outputs_distinct.sh MMSIM_BINARY WORKDIR
set -u
mmsim=$1
work=$2
mkdir -p "$work" && cd "$work" || exit 1
fail() { echo "test_outputs_distinct: $*" >&2; exit 1; }

# refuse WANT_IN_MESSAGE ARGS...: exit 2 and the message says WANT.
refuse() {
	local want=$1
	shift
	"$mmsim" "$@" >out.txt 2>err.txt
	local rc=$?
	[ $rc = 2 ] || fail "$*: exit $rc, want 2 ($(cat err.txt))"
	grep -q -- "$want" err.txt || fail "$*: message '$(cat err.txt)' lacks '$want'"
}

python3 -c "
for i in range(300): print(' S %x,8' % (0x10000000 + (i % 97) * 4096))" >t.txt
cp t.txt t.orig
rm -f x.csv y.csv
refuse "--csv and --json name the same file x.csv" mrc -q --csv x.csv --json x.csv t.txt
[ ! -e x.csv ] || fail "mrc wrote x.csv although it refused"
refuse "--csv and the TRACE name the same file t.txt" mrc -q --csv t.txt t.txt
cmp -s t.txt t.orig || fail "mrc --csv t.txt t.txt changed the trace"
touch x.csv
ln -sf x.csv y.csv
refuse "--csv and --json name the same file y.csv" mrc -q --csv x.csv --json y.csv t.txt
refuse "-o and the TRACE name the same file t.txt" sweep -q -o t.txt t.txt
cmp -s t.txt t.orig || fail "sweep -o t.txt t.txt changed the trace"
refuse "-o and --plot name the same file s.svg" sweep -q -o s.svg --plot s.svg t.txt
"$mmsim" sweep -q --policies lru --frames 8,16 --shard 1/1 -o p1.part t.txt || fail "sweep --shard"
cp p1.part p1.orig
refuse "-o and a PART name the same file p1.part" merge -o p1.part p1.part
cmp -s p1.part p1.orig || fail "merge -o p1.part p1.part changed the part"
# Distinct files still work.
"$mmsim" mrc -q --csv a.csv --json a.json t.txt || fail "mrc --csv a.csv --json a.json: exit $?"
[ -s a.csv ] && [ -s a.json ] || fail "mrc wrote no a.csv or a.json"
"$mmsim" merge -o m.csv p1.part || fail "merge -o m.csv: exit $?"
echo "test_outputs_distinct: ok"
