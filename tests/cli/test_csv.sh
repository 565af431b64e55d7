#!/usr/bin/env bash
# CSV request traces read with libCacheSim's CSV conventions (issue 18): `--format csv`.
# The samples in tests/cli/csv/ are written by gen_csv.py with Python's csv module (not by
# mmsim): a comma file with a header and numeric ids (oracleGeneral's four fields), a tab
# file without a header and string ids, a '|' file whose header names the id column "key"
# and whose quoted ids hold the delimiter and quotes. Checks: the samples are the
# generator's; records and the page of every request are the generator's; Belady's string
# gives the textbook fault counts (FIFO 9/10, LRU 10/8, OPT 7/6 at 3/4 frames) from both
# Belady files; a 100-object loop gives OPT 300 and LRU 500 faults at 50 frames, also through
# sweep; wrong input is refused with FILE:LINE:COL, exit 2.
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

# 2. Records and the page of each request, as the generator numbers them.
while read -r name key value; do
	case $key in
	records)
		"$mmsim" run -q --format csv --json r.json "$samples/$name" >/dev/null 2>err.txt ||
			fail "run --format csv $name: $(cat err.txt)"
		got=$(python3 -c 'import json; print(json.load(open("r.json"))["result"]["replay"]["records"])')
		;;
	pages)
		got=$("$mmsim" convert -q --from csv --format pages "$samples/$name" - |
			awk '{ print $2 }' | paste -sd, -) || fail "convert --from csv $name"
		;;
	*) fail "expect.txt: unknown key $key" ;;
	esac
	[ "$got" = "$value" ] || fail "$name: $key is '$got', the generator says '$value'"
done <"$samples/expect.txt"

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
# Read only.
"$mmsim" convert -q --from csv --format csv "$samples/belady.csv" x.csv >/dev/null 2>err.txt &&
	fail "convert wrote CSV"
grep -q "does not write" err.txt || fail "convert to csv: $(cat err.txt)"
exit 0
