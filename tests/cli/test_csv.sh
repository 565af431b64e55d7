#!/usr/bin/env bash
# CSV request traces read with libCacheSim's CSV conventions (issue 18): `--format csv`.
# The samples in tests/cli/csv/ are written by gen_csv.py with Python's csv module (not by
# mmsim): a comma file with a header and numeric ids (oracleGeneral's four fields), a tab
# file without a header and string ids, a '|' file whose header names the id column "key"
# and whose quoted ids hold the delimiter and quotes. Checks: the samples are the
# generator's; records and the page of every request are the generator's; Belady's string
# gives the textbook fault counts (FIFO 9/10, LRU 10/8, OPT 7/6 at 3/4 frames) from both
# Belady files; a 100-object loop gives OPT 300 and LRU 500 faults at 50 frames, also through
# sweep; wrong input is refused with FILE:LINE:COL, exit 2. libCacheSim's -t parameters
# (params.txt: what its cachesim is given for each file) give the generator's pages for
# every file, ops.ssv included, whose layout (';', id in column 3, "7" and "007" two string
# ids) the guesses get wrong; bad parameters are refused. convert --format csv writes
# "time,obj_id,obj_size" rows, checked with Python's csv module, that read back the same.
#   test_csv.sh MMSIM_BINARY WORKDIR
set -u
mmsim=$(realpath "$1")
work=$(mkdir -p "$2" && cd "$2" && pwd)
samples=$(cd "$(dirname "$0")/csv" && pwd)
fail() { echo "test_csv: $*" >&2; exit 1; }
command -v python3 >/dev/null || { echo "python3 is missing" >&2; exit 77; }
cd "$work" || exit 1

# 1. The committed samples are what the generator writes.
rm -rf gen && python3 "$samples/gen_csv.py" gen || fail "gen_csv.py"
for f in gen/*; do
	cmp -s "$f" "$samples/$(basename "$f")" || fail "$(basename "$f") differs from gen_csv.py's"
done

# 2. Records and the page of each request, as the generator numbers them: with libCacheSim's
#    -t parameters for every file, and with the guesses alone for the first three.
params_of() { awk -v f="$1" '$1 == f { print $2 }' "$samples/params.txt"; }
while read -r name key value; do
	for how in params guess; do
		t=$(params_of "$name")
		if [ $how = guess ]; then
			[ "$name" = ops.ssv ] && continue
			t=
		fi
		case $key in
		records)
			"$mmsim" run -q --format csv ${t:+-t "$t"} --json r.json "$samples/$name" \
				>/dev/null 2>err.txt || fail "run --format csv $name ($how): $(cat err.txt)"
			got=$(python3 -c 'import json; print(json.load(open("r.json"))["result"]["replay"]["records"])')
			;;
		pages)
			got=$("$mmsim" convert -q --from csv ${t:+-t "$t"} --format pages \
				"$samples/$name" - | awk '{ print $2 }' | paste -sd, -) ||
				fail "convert --from csv $name ($how)"
			;;
		*) fail "expect.txt: unknown key $key" ;;
		esac
		[ "$got" = "$value" ] || fail "$name ($how): $key is '$got', the generator says '$value'"
	done
done <"$samples/expect.txt"
# The guesses alone misread ops.ssv: one column (no tab , | :), every line its own object.
got=$("$mmsim" convert -q --from csv --format pages "$samples/ops.ssv" - | awk '{ print $2 }' |
	paste -sd, -)
[ "$got" = "0,1,2,3,4,5,6,7" ] || fail "ops.ssv guessed: $got"
# Each parameter alone: the id column makes "007" the number 7; obj-id-is-num=0 splits them.
pages_t() { "$mmsim" convert -q --from csv -t "$1" --format pages "$samples/ops.ssv" - |
	awk '{ print $2 }' | paste -sd, -; }
[ "$(pages_t 'delimiter=;, obj_id_col=3')" = "0,0,1,0,2,0,1,3" ] || fail "ops.ssv numeric ids"
[ "$(pages_t 'DELIMITER=;,obj-id-col=3,obj-id-is-num=no')" = "0,1,2,0,3,1,2,4" ] ||
	fail "ops.ssv string ids"
# Bad parameters: refused by name, exit 2.
expect_t() { # PARAMS FORMAT WANT
	"$mmsim" run -q --format "$2" -t "$1" "$samples/belady.csv" >/dev/null 2>err.txt
	rc=$?
	[ $rc = 2 ] || fail "-t '$1': exit $rc, want 2"
	grep -qF "$3" err.txt || fail "-t '$1': message '$(cat err.txt)' lacks '$3'"
}
expect_t 'obj-id-col=0' csv "obj-id-col=0: not a column number (1 to 64; columns count from 1)"
expect_t 'obj-id-col=9' csv "belady.csv:1:1: obj-id-col=9, but the first line has 4 fields"
expect_t 'has-header=maybe' csv "has-header=maybe: want true or false"
expect_t 'colour=red' csv "unknown key 'colour'"
expect_t 'obj-id-col' csv "'obj-id-col' has no '='"
expect_t 'obj-id-col=2' din "trace parameters are for --format csv, not din"
expect_t 'has-header=false,obj-id-is-num=1' csv "belady.csv:1:6: object id 'obj_id' is not a number (obj-id-is-num=1)"
"$mmsim" run -q -t 'obj-id-col=2' >/dev/null 2>err.txt && fail "-t without a trace"
grep -q 'are for traces' err.txt || fail "-t without a trace: $(cat err.txt)"

# CSV out: libCacheSim's layout with a header, read by Python's csv module; and back.
"$mmsim" convert -q --from pages --format csv "$(dirname "$samples")/formats/belady.pages" \
	out.csv || fail "convert --format csv"
python3 - out.csv <<'PY' || fail "the written CSV"
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="")))
assert rows[0] == ["time", "obj_id", "obj_size"], rows[0]
base = 0x10000000 // 4096
pages = [1, 2, 3, 4, 1, 2, 5, 1, 2, 3, 4, 5]
assert rows[1:] == [[str(i), str(base + p), "4096"] for i, p in enumerate(pages)], rows
PY
got=$("$mmsim" convert -q --from csv -t 'time-col=1,obj-id-col=2,obj-size-col=3,has-header=true' \
	--format pages out.csv - | awk '{ print $2 }' | paste -sd, -)
[ "$got" = "0,1,2,3,0,1,4,0,1,2,3,4" ] || fail "written CSV read back: $got"

faults() { # FILE POLICY FRAMES
	"$mmsim" run -q --format csv --policy "$2" --frames "$3" "$1" >out.txt 2>err.txt ||
		fail "run --format csv --policy $2 --frames $3 $1: exit $? ($(cat err.txt))"
	awk '/^page faults/ { gsub(",", "", $3); print $3 }' out.txt
}
want="fifo,3,9 fifo,4,10 lru,3,10 lru,4,8 opt,3,7 opt,4,6 "
for name in belady.csv belady.tsv; do
	got=""
	for pol in fifo lru opt; do
		for f in 3 4; do got="$got$pol,$f,$(faults "$samples/$name" $pol $f) "; done
	done
	[ "$got" = "$want" ] || fail "Belady string from $name: want '$want', got '$got'"
done
[ "$(faults "$samples/loop.psv" opt 50)" = 300 ] || fail "loop.psv: opt at 50 frames"
[ "$(faults "$samples/loop.psv" lru 50)" = 500 ] || fail "loop.psv: lru at 50 frames"
"$mmsim" sweep -q --format csv --policies lru,opt --frames 50,100 "$samples/loop.psv" \
	>sweep.csv || fail "sweep --format csv: exit $?"
got=$(cut -d, -f1,2,10 sweep.csv | tail -n +2 | tr '\n' ' ')
[ "$got" = "lru,50,500 lru,100,100 opt,50,300 opt,100,100 " ] || fail "sweep: got '$got'"

# 3. Wrong input: refused with the place and the reason, exit 2.
expect_error() { # FILE-CONTENT WANT
	printf "$1" >bad.csv
	"$mmsim" run -q --format csv bad.csv >/dev/null 2>err.txt
	rc=$?
	[ $rc = 2 ] || fail "'$1': exit $rc, want 2"
	grep -qF "$2" err.txt || fail "'$1': message '$(cat err.txt)' lacks '$2'"
}
expect_error 'time,size\n1,2\n' "bad.csv:1:1: a header without an object id column"
expect_error '1,10,4096\n2,11\n' "bad.csv:2:1: 2 fields here, but the first line has 3"
expect_error '1,10,4096\n2,k11,4096\n' "bad.csv:2:3: object id 'k11' is not a number"
expect_error '1,"10,4096\n' "bad.csv:1:3: unterminated quoted field"
expect_error '1,,4096\n' "bad.csv:1:3: empty object id"
# Not detected: a CSV file needs --format csv.
"$mmsim" run -q "$samples/belady.csv" >/dev/null 2>err.txt && fail "belady.csv detected as a trace"
grep -q "not a memory trace" err.txt || fail "undetected CSV: $(cat err.txt)"
exit 0
