#!/usr/bin/env bash
# End-to-end: the trace formats without a signature (issue 18), read with --format from
# the committed samples in tests/cli/formats/, which gen_samples.py wrote from each
# format's published layout (not with mmsim's writer). Checks:
#   1. the samples are exactly what the generator makes (nobody edited them by hand);
#   2. records, kinds, processes and distinct pages equal the generator's own counts
#      (expect.txt), and the Belady string gives the textbook FIFO/LRU/OPT fault counts
#      (9/10, 10/8, 7/6 at 3/4 frames) from din, page-list and oracleGeneral input alike;
#   3. convert writes din, pages and oracleGeneral; reading them back gives the same
#      records; the oracleGeneral written has next_access_vtime right, checked in Python;
#   4. strict errors (exit 2): truncated binary records name the byte offset, bad text
#      lines name FILE:LINE, and the formats are listed in `mmsim convert --help`.
#
#   test_formats.sh MMSIM_BINARY WORKDIR
set -u
mmsim=$(realpath "$1")
work=$2
src=$(cd "$(dirname "$0")/../.." && pwd)
samples=$src/tests/cli/formats
mkdir -p "$work" && cd "$work" || exit 1
fail() { echo "test_formats: $*" >&2; exit 1; }
command -v python3 >/dev/null || { echo "python3 is missing" >&2; exit 77; }
python3 -c 'import lzma' 2>/dev/null || { echo "python3 has no lzma" >&2; exit 77; }

# 1. The committed samples are the generator's.
mkdir -p regen
python3 "$samples/gen_samples.py" regen || fail "gen_samples.py failed"
for f in regen/*; do
	cmp -s "$f" "$samples/$(basename "$f")" || fail "$(basename "$f") differs from gen_samples.py's"
done

# replay FORMAT FILE KEY: a figure of result.replay in the JSON.
replay() {
	"$mmsim" run -q --format "$1" --json r.json "$2" >/dev/null 2>err.txt ||
		fail "run --format $1 $2: exit $? ($(cat err.txt))"
	python3 -c 'import json,sys; print(json.load(open("r.json"))["result"]["replay"][sys.argv[1]])' "$3"
}
faults() { # FORMAT FILE POLICY FRAMES
	"$mmsim" run -q --format "$1" --policy "$3" --frames "$4" "$2" >out.txt 2>err.txt ||
		fail "run --format $1 --policy $3 --frames $4 $2: exit $? ($(cat err.txt))"
	awk '/^page faults/ { gsub(",", "", $3); print $3 }' out.txt
}

# 2. Counts from the generator, and the textbook values.
while read -r name key value; do
	case $name in
	*.din) fmt=din ;;
	*.pages) fmt=pages ;;
	*.oracleGeneral) fmt=oracleGeneral ;;
	*.champsim.xz) fmt=champsim ;;
	*) fail "expect.txt: unknown sample $name" ;;
	esac
	if [ "$key" = pages ]; then
		# Every request is a write: with room for all, one fault per distinct page.
		got=$(faults "$fmt" "$samples/$name" lru 1000)
	else
		got=$(replay "$fmt" "$samples/$name" "$key")
	fi
	[ "$got" = "$value" ] || fail "$name: $key is $got, the generator says $value"
done <"$samples/expect.txt"

want="fifo,3,9 fifo,4,10 lru,3,10 lru,4,8 opt,3,7 opt,4,6 "
for input in din:belady.din pages:belady.pages oracleGeneral:belady.oracleGeneral; do
	got=""
	for pol in fifo lru opt; do
		for f in 3 4; do got="$got$pol,$f,$(faults "${input%%:*}" "$samples/${input#*:}" $pol $f) "; done
	done
	[ "$got" = "$want" ] || fail "Belady string from ${input#*:}: want '$want', got '$got'"
done
# A libCacheSim user's loop: 100 objects 5 times; OPT at 50 frames misses 100 + 4 x 50.
[ "$(faults oracleGeneral "$samples/loop.oracleGeneral" opt 50)" = 300 ] ||
	fail "loop.oracleGeneral: opt at 50 frames"
[ "$(faults oracleGeneral "$samples/loop.oracleGeneral" lru 50)" = 500 ] ||
	fail "loop.oracleGeneral: lru at 50 frames"
# ... compressed as such traces are published, and through sweep.
if command -v zstd >/dev/null; then
	zstd -q -f "$samples/loop.oracleGeneral" -o loop.oracleGeneral.zst || fail "zstd"
	[ "$(faults oracleGeneral loop.oracleGeneral.zst opt 50)" = 300 ] || fail "zstd oracleGeneral"
fi
"$mmsim" sweep -q --format oracleGeneral --policies lru,opt --frames 50,100 \
	"$samples/loop.oracleGeneral" >sweep.csv || fail "sweep --format oracleGeneral: exit $?"
got=$(cut -d, -f1,2,10 sweep.csv | tail -n +2 | tr '\n' ' ')
[ "$got" = "lru,50,500 lru,100,100 opt,50,300 opt,100,100 " ] || fail "sweep: got '$got'"

# 3. Writing: din, pages and oracleGeneral, and back.
records() { # FORMAT FILE: the records as lackey text
	"$mmsim" convert -q --from "$1" --format lackey "$2" - || fail "convert --from $1 $2"
}
"$mmsim" convert -q --from pages --format pages "$samples/two.pages" two.out ||
	fail "convert to pages"
diff <(records pages "$samples/two.pages") <(records pages two.out) >/dev/null ||
	fail "pages -> pages changed the records"
"$mmsim" convert -q --from din --format din "$samples/mixed.din" mixed.out || fail "to din"
diff <(records din "$samples/mixed.din") <(records din mixed.out) >/dev/null ||
	fail "din -> din changed the records"
"$mmsim" convert -q --from oracleGeneral --format oracleGeneral "$samples/loop.oracleGeneral" \
	loop.out || fail "convert to oracleGeneral"
diff <(records oracleGeneral "$samples/loop.oracleGeneral") <(records oracleGeneral loop.out) \
	>/dev/null || fail "oracleGeneral -> oracleGeneral changed the records"
python3 - loop.out <<'PY' || fail "the oracleGeneral written is wrong"
import struct, sys
data = open(sys.argv[1], "rb").read()
assert len(data) == 500 * 24, len(data)
reqs = [struct.unpack_from("<IQIq", data, i * 24) for i in range(500)]
ids = [r[1] for r in reqs]
assert len(set(ids)) == 100
for i, r in enumerate(reqs):
    later = [j for j in range(i + 1, 500) if ids[j] == ids[i]]
    assert r[3] == (later[0] if later else -1), (i, r)
PY
"$mmsim" convert -q --from champsim --format champsim "$samples/sample.champsim.xz" x 2>err.txt &&
	fail "writing ChampSim should be refused"
"$mmsim" convert --help | grep -q "oracleGeneral" || fail "convert --help lists no formats"
for f in binary lackey din oracleGeneral champsim pages; do
	"$mmsim" convert --help | grep -q "^  $f " || fail "convert --help does not list $f"
done

# 4. Strict errors.
expect_error() { # WANT COMMAND...
	local want=$1
	shift
	"$@" >/dev/null 2>err.txt
	local rc=$?
	[ $rc = 2 ] || fail "$*: exit $rc, want 2"
	grep -qF -- "$want" err.txt || fail "$*: want '$want' in: $(cat err.txt)"
}
head -c 250 "$samples/loop.oracleGeneral" >cut.oracleGeneral
expect_error "cut.oracleGeneral: byte 240: truncated oracleGeneral record (10 of 24 bytes)" \
	"$mmsim" run -q --format oracleGeneral cut.oracleGeneral
python3 -c '
import lzma, sys
raw = lzma.decompress(open(sys.argv[1], "rb").read())
open("cut.champsim.xz", "wb").write(lzma.compress(raw[:64 * 10 + 30]))' "$samples/sample.champsim.xz"
expect_error "cut.champsim.xz: byte 640: truncated ChampSim record (30 of 64 bytes)" \
	"$mmsim" run -q --format champsim cut.champsim.xz
head -c 700 "$samples/sample.champsim.xz" >cut2.xz
expect_error "cut2.xz: byte " "$mmsim" run -q --format champsim cut2.xz
printf '0 400000\n1 zz\n' >bad.din
expect_error "bad.din:2:3: expected a hex address" "$mmsim" run -q --format din bad.din
printf '0 400000\n3 400000\n' >esc.din
expect_error "esc.din:2:1: din label 3 is not an access" "$mmsim" run -q --format din esc.din
printf '1\n2\n1 2\n' >mixed.pages
expect_error "mixed.pages:3:1: 2 columns here, but line 1 had 1" \
	"$mmsim" run -q --format pages mixed.pages
expect_error "--format takes binary, lackey, din" "$mmsim" run --format nope x
# run, sweep and mrc share one reading of --format, --trace-params and --allow-empty: the
# message lists every format, and sweep and mrc take the long --trace-params too.
for cmd in run sweep mrc; do
	expect_error "mmsim $cmd: --format takes binary, lackey, din, oracleGeneral, champsim, pages or csv, not 'nope'" \
		"$mmsim" $cmd --format nope x
done
"$mmsim" sweep -q --format pages --trace-params 'obj-id-col=1' --policies fifo --frames 3 \
	-o tp.csv "$samples/belady.pages" >/dev/null 2>err.txt && fail "sweep -t on a page list: exit 0"
grep -q "trace parameters are for --format csv, not pages" err.txt ||
	fail "sweep --trace-params on a page list: $(cat err.txt)"
"$mmsim" mrc -q --format auto --policy lru --sizes 3 --csv m.csv "$samples/belady.pages" \
	>/dev/null 2>err.txt && fail "mrc --format auto read a page list as a trace"
# The README's two commands from a ChampSim or libCacheSim trace to a curve (the second,
# on the committed samples; the plot only with gnuplot): a CSV of LRU and OPT.
zstd -q -f "$samples/loop.oracleGeneral" -o w44.oracleGeneral.bin.zst 2>/dev/null ||
	cp "$samples/loop.oracleGeneral" w44.oracleGeneral.bin.zst
cp "$samples/sample.champsim.xz" 600.perlbench_s-210B.champsimtrace.xz
grep '^build/mmsim mrc --format' "$src/README.md" >readme.txt
[ "$(wc -l <readme.txt)" = 2 ] || fail "README: the two mrc lines: $(cat readme.txt)"
while read -r cmd; do
	set -- ${cmd#build/mmsim }
	command -v gnuplot >/dev/null || set -- "${@:1:$(($# - 2))}"
	"$mmsim" "$@" >curve.csv 2>err.txt || fail "README: mmsim $*: exit $? ($(cat err.txt))"
	grep -q '^lru,' curve.csv && grep -q '^opt,' curve.csv || fail "README: mmsim $*: $(cat curve.csv)"
	[ $# -lt 5 ] || [ -s "${@: -1}" ] || fail "README: mmsim $*: no plot"
done <readme.txt
# Without --format, a din file is not taken for anything.
expect_error "belady.din: not a memory trace" "$mmsim" run -q "$samples/belady.din"
expect_error "not a memory trace" "$mmsim" sweep -q "$samples/belady.pages"
# Text forced through a binary format without a signature fails at its first record, even
# when its length is a whole number of records (1920 bytes: 80 oracleGeneral, 30 ChampSim).
awk 'BEGIN { for (i = 0; i < 128; i++) printf " L %09x,8\n", 268435456 + i * 4096 }' >text.lk
[ "$(wc -c <text.lk)" = 1920 ] || fail "text.lk: $(wc -c <text.lk) bytes"
expect_error "text.lk: byte 16: not an oracleGeneral record" \
	"$mmsim" run -q --format oracleGeneral text.lk
expect_error "text.lk: byte 0: not a ChampSim record" "$mmsim" run -q --format champsim text.lk
exit 0
