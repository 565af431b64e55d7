#!/usr/bin/env bash
# End-to-end: `mmsim run TRACE` on small synthetic traces made here: the report's numbers
# for a trace whose faults are worked out by hand, the same result for every encoding of
# one trace (lackey, binary, zstd, gzip, standard input), the JSON, the timeline, --show,
# and policy opt's two passes.
#
#   test_run_trace.sh MMSIM_BINARY WORKDIR
set -u
mmsim=$1
work=$2
mkdir -p "$work" && cd "$work" || exit 1
fail() { echo "test_run_trace: $*" >&2; exit 1; }

# 1. By hand: pid 0 stores to 16 pages of one 2 MiB region, then loads them again; pid 5
# reads 4 pages of another region (zero page: 4 faults) and writes one of them (a copy on
# write: 1 more fault). Faults: 16 + 5 = 21, all minor; 2 processes; 2 regions.
{
	for i in $(seq 0 15); do printf ' S %x,8\n' $((0x10000000 + i * 4096)); done
	for i in $(seq 0 15); do printf ' L %x,8\n' $((0x10000000 + i * 4096)); done
	echo '# mmsim pid 5'
	for i in 0 1 2 3; do printf ' L %x,4\n' $((0x20000000 + i * 4096)); done
	printf ' S %x,4\n' $((0x20000000 + 4096))
	printf 'I  %x,3\n' $((0x20000010))
} >hand.txt
"$mmsim" run -q hand.txt >hand.out || fail "run hand.txt: exit $?"
grep -q '^page faults  *21   minor 21, major 0$' hand.out || { cat hand.out; fail "want 21 minor faults"; }
grep -q '38 records, 2 processes' hand.out || { cat hand.out; fail "want 38 records, 2 processes"; }
grep -q 'result: replayed; 2 regions of 2 MiB mapped' hand.out || { cat hand.out; fail "want 2 regions"; }
grep -Eq '^ +[0-9]+ +5 +5 +0 ' hand.out || { cat hand.out; fail "want pid 5 with 5 minor faults"; }
grep -q 'fetches 1 ' hand.out || { cat hand.out; fail "want one fetch"; }

# 2. One bigger trace in every encoding: identical results.
python3 - <<'PY' >big.txt || fail "making big.txt"
import random
r = random.Random(7)
print("==1== valgrind's banner lines are skipped")
for i in range(30000):
    if i % 5000 == 0:
        print("# mmsim pid %d" % (i // 5000 % 3))
    page = r.randrange(3000) if r.random() < 0.5 else int(r.paretovariate(1.2)) % 3000
    kind = r.choice("ILSM")
    addr = 0x4000000 + page * 4096 + r.randrange(4000)
    if kind == "I":
        print("I  %08x,%d" % (addr, r.randrange(1, 12)))
    else:
        print(" %s %08x,%d" % (kind, addr, r.choice((1, 2, 4, 8, 16))))
PY
"$mmsim" convert -q big.txt big.bin || fail "convert to binary"
"$mmsim" convert -q --zstd big.txt big.bin.zst || fail "convert to zstd"
"$mmsim" convert -q --gzip --format lackey big.bin big.txt.gz || fail "convert to gzip text"
zstd -q -f big.txt -o big.txt.zst || fail "zstd"
gzip -c big.bin >big.bin.gz || fail "gzip"
opts="--mem 16M --swap 32M --frames 800 -q"
for t in big.txt big.bin big.bin.zst big.txt.gz big.txt.zst big.bin.gz; do
	# shellcheck disable=SC2086
	"$mmsim" run $opts --json "$t.json" "$t" >"$t.out" || fail "run $t: exit $?"
done
# shellcheck disable=SC2086
"$mmsim" run $opts --json stdin.json - <big.bin.zst >stdin.out || fail "run - : exit $?"
python3 - big.txt.json big.bin.json big.bin.zst.json big.txt.gz.json big.txt.zst.json \
	big.bin.gz.json stdin.json <<'PY' || fail "encodings disagree"
import json, sys
def core(path):
    j = json.load(open(path))
    return (j["counters"], j["processes"], j["summary"], j["result"]["replay"], j["config"])
ref = core(sys.argv[1])
assert ref[0]["pswpout"] > 0, "the frames cap should have made the run swap"
assert ref[3]["records"] == 30000
for p in sys.argv[2:]:
    if core(p) != ref:
        sys.exit("%s differs from %s" % (p, sys.argv[1]))
PY
for t in big.bin big.bin.zst big.txt.gz stdin; do
	diff <(grep -v -e '^mmsim run: trace' -e '^time:' -e 'valgrind line' big.txt.out) \
		<(grep -v -e '^mmsim run: trace' -e '^time:' "$t.out") >/dev/null ||
		fail "summary of $t differs from big.txt's"
done
grep -q '(lackey, gzip)' big.txt.gz.out || fail "the report names the format and compression"

# --max-records stops early.
"$mmsim" run -q --max-records 100 big.bin | grep -q '100 records, 1 process$' ||
	fail "--max-records 100"

# 3. Timeline and views.
"$mmsim" run -q --mem 16M --frames 800 --timeline tl.csv --interval 5000 --show vmstat,maps \
	big.bin >views.out || fail "run with timeline: exit $?"
head -1 tl.csv | grep -q '^accesses,free_kb,rss_kb,swap_kb,' || fail "timeline header"
rows=$(($(wc -l <tl.csv) - 1))
[ "$rows" -ge 8 ] || fail "want at least 8 timeline rows, got $rows"
python3 - tl.csv <<'PY' || fail "timeline rows"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
acc = [int(r["accesses"]) for r in rows]
assert acc == sorted(acc), "accesses grow"
assert all(int(r["pgfault"]) <= int(s["pgfault"]) for r, s in zip(rows, rows[1:]))
PY
grep -q '^== vmstat ==$' views.out || fail "--show vmstat"
grep -q '^pgfault ' views.out || fail "vmstat content"
[ "$(grep -c '^== pid [0-9]* maps ==$' views.out)" -eq 3 ] || fail "--show maps for 3 processes"
grep -q 'rwxp' views.out || fail "maps shows the rwx regions"

# 4. opt: two passes over a file; standard input cannot give them.
"$mmsim" run -q --policy opt --reclaim demand --frames 500 big.bin >opt.out ||
	fail "run --policy opt: exit $?"
grep -q 'policy opt is an oracle' opt.out || fail "the report says opt is an oracle"
"$mmsim" run -q --policy opt - <big.bin >/dev/null 2>opt.err
rc=$?
[ $rc -eq 2 ] || fail "opt on standard input: want exit 2, got $rc"
grep -q 'give a trace file' opt.err || { cat opt.err; fail "opt on stdin: message"; }
echo "test_run_trace: ok"
