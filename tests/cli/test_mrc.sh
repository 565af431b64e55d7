#!/usr/bin/env bash
# End-to-end: `mmsim mrc` gives, at every size, the misses `mmsim sweep` counts with
# demand reclaim (lru and opt), on several traces: the textbook reference string (checked
# against the textbook too), a random multi-process trace with loads, stores, modifies,
# page-crossing records, the stack's zone and SIGSEGVs, every committed trace (the fuzz
# corpus and the other formats' samples), with the TLB on and off; a built-in workload's
# trace; a real program's (tests/data/traces). Also: the CSV columns (sweep's own first
# columns agree), JSON, a plot, non-stack policies through replays, sampling with its error
# against the exact curve, and refusals.
#
#   test_mrc.sh MMSIM_BINARY WORKDIR
set -u
mmsim=$1
work=$2
corpus=$(cd "$(dirname "$0")/../fuzz/corpus/trace" && pwd)
samples=$(cd "$(dirname "$0")/formats" && pwd)
data=$(cd "$(dirname "$0")/../data/traces" && pwd)
mkdir -p "$work" && cd "$work" || exit 1
fail() { echo "test_mrc: $*" >&2; exit 1; }

# same TRACE SIZES [machine options]: mrc's rows equal sweep's, column by column, for the
# policies in $pol (lru,opt unless set).
same() {
	local t=$1 sizes=$2 p=${pol:-lru,opt}
	shift 2
	"$mmsim" mrc -q --policy "$p" --sizes "$sizes" "$@" --csv mrc.csv "$t" ||
		fail "mrc $t: exit $?"
	"$mmsim" sweep -q -j 2 --policies "$p" --frames "$sizes" "$@" -o sweep.csv "$t" ||
		fail "sweep $t: exit $?"
	cut -d, -f1,2,4,5 mrc.csv | tail -n +2 >a.txt
	cut -d, -f1,2,4,5 sweep.csv | tail -n +2 >b.txt
	[ -s a.txt ] || fail "$t: no rows"
	cmp -s a.txt b.txt || { paste -d' ' a.txt b.txt | head -20; fail "$t $*: mrc != sweep"; }
	echo "test_mrc: $t $*: $(wc -l <a.txt) rows equal"
}

for p in 1 2 3 4 1 2 5 1 2 3 4 5; do printf ' S %x,8\n' $((0x10000000 + p * 4096)); done >ref.txt
"$mmsim" mrc -q --sizes 3,4 ref.txt >ref.csv || fail "mrc ref: exit $?"
head -1 ref.csv | grep -qx 'policy,frames,bytes,accesses,misses,miss_ratio' ||
	fail "header: $(head -1 ref.csv)"
want="lru,3,12288,12,10 lru,4,16384,12,8 opt,3,12288,12,7 opt,4,16384,12,6 "
got=$(cut -d, -f1-5 ref.csv | tail -n +2 | tr '\n' ' ')
[ "$got" = "$want" ] || fail "textbook: want '$want', got '$got'"
same ref.txt 1:6:+1

python3 - <<'PY' >mixed.txt
import random
random.seed(16)
pid = 0
for i in range(6000):
    if i % 700 == 0:
        pid = random.choice([0, 1, 7])
        print("# mmsim pid %d" % pid)
    page = int(random.paretovariate(1.1)) % 200
    base = 0x7ffffff00000 - 0x80000 if random.random() < 0.2 else 0x10000000
    addr = base + page * 4096 + random.randrange(4096)
    kind = random.choice("LLSM")
    print(" %s %x,%d" % (kind, addr, random.choice([1, 4, 8, 16, 64])))
    if i % 1000 == 0:
        print(" L %x,8" % random.randrange(4096, 65536))
PY
same mixed.txt 1:300:x1.3
same mixed.txt 1:300:x1.3 --tlb off
same mixed.txt 2,8,64 --layout la57
# Every committed trace that reads without error: the corpus (events included: on these the
# fork and exit events change no count, though mrc says it does not model them) and the
# samples of the other formats.
# Under ASan the two parser-shape traces are left to the plain suite: one record of each
# touches a million pages, all of them SIGSEGV, which takes a minute there.
for t in "$corpus"/*; do
	case $(basename "$t") in *bad* | *truncated* | empty) continue ;; esac
	[ -n "${ASAN_OPTIONS:-}" ] && case $(basename "$t") in *shapes*) continue ;; esac
	same "$t" 1:64:x2
done
for t in din:belady.din din:mixed.din pages:two.pages pages:belady.pages \
	oracleGeneral:belady.oracleGeneral champsim:sample.champsim.xz; do
	same "$samples/${t#*:}" 1:64:x2 --format "${t%%:*}"
done
# A real program's trace (tests/data/traces/README.md: zstd decompressing, 1.15M accesses,
# 44,795 pages). Its curves equal the sweep's; SHARDS at R = 0.01 (467 pages sampled) stays
# within 0.01 of the exact LRU curve, the issue's target (0.0040 when committed). Left to
# the plain suite under ASan (ASAN_OPTIONS set), where the replays are slow.
real=$data/zstd-d.trace.zst
if [ -z "${ASAN_OPTIONS:-}" ]; then
	pol=lru same "$real" 1000,20000,60000 # opt's one pass takes a second here
	"$mmsim" mrc --policy lru --sample 0.01 --compare-exact --csv /dev/null "$real" 2>s.err ||
		fail "real trace --sample 0.01: exit $?"
	grep -q 'lru: SHARDS, fixed rate, rate 0.010000: mean absolute error 0\.00' s.err ||
		fail "real trace, R = 0.01: $(cat s.err)"
fi
"$mmsim" run -q --workload grow --scale 1 --save-trace grow.trace >/dev/null ||
	fail "grow trace: exit $?"
same grow.trace 16:4096:x4

# sweep's CSV starts with the same columns.
"$mmsim" sweep -q --policies lru --frames 3 -o s.csv ref.txt || fail "sweep: exit $?"
head -1 s.csv | grep -q '^policy,frames,bytes,accesses,misses,miss_ratio' ||
	fail "sweep header: $(head -1 s.csv)"

# --sizes all: every frame count up to the flat part.
"$mmsim" mrc -q --policy lru --sizes all ref.txt | tail -n +2 | cut -d, -f2,5 |
	tr '\n' ' ' | grep -qx '1,12 2,12 3,10 4,8 5,5 ' || fail "--sizes all"

# Non-stack policies are replayed, and say so.
"$mmsim" mrc --policy fifo,lru --sizes 3,4 ref.txt >f.csv 2>f.err || fail "fifo: exit $?"
grep -q 'fifo is not a stack algorithm: 2 replays' f.err || fail "fifo: $(cat f.err)"
[ "$(grep '^fifo' f.csv | cut -d, -f5 | tr '\n' ' ')" = "9 10 " ] || fail "fifo: Belady 9 10"

# JSON.
"$mmsim" mrc -q --sizes 1:8:x2 --json c.json --csv /dev/null mixed.txt || fail "json: exit $?"
python3 -c '
import json, sys
d = json.load(open("c.json"))
assert [c["policy"] for c in d["curves"]] == ["lru", "opt"], d
assert d["curves"][0]["method"] == "exact, one pass"
assert len(d["curves"][1]["points"]) == 4
' || fail "JSON"

# Sampling: an estimate, with its error against the exact curve.
python3 - <<'PY' >big.txt
import random
random.seed(3)
for i in range(100000):
    page = random.randrange(500) if random.random() < 0.7 else random.randrange(5000)
    print(" %s %x,8" % ("S" if i % 3 else "L", 0x10000000 + page * 4096))
PY
"$mmsim" mrc --policy lru --sample 0.1 --compare-exact --sizes 100:5000:+100 \
	--csv s.csv big.txt 2>s.err || fail "--sample: exit $?"
grep -q 'lru: SHARDS, fixed rate, rate 0.100000: mean absolute error 0\.0[0-2]' s.err ||
	fail "--sample: $(cat s.err)"
"$mmsim" mrc --policy lru,opt --sample-max 512 --compare-exact --sizes 100:5000:+100 \
	--csv s.csv big.txt 2>s.err || fail "--sample-max: exit $?"
grep -q 'opt: SHARDS, fixed size' s.err || fail "--sample-max: $(cat s.err)"

# Default sizes of a sampled curve reach the trace's estimated footprint (sampled pages /
# R), not the number of pages in the sample (5000 pages here: about 500 at R = 0.1).
"$mmsim" mrc -q --policy lru --sample 0.1 --csv s.csv big.txt || fail "--sample default sizes: exit $?"
top=$(tail -1 s.csv | cut -d, -f2)
[ "$top" -gt 4000 ] && [ "$top" -lt 6000 ] ||
	fail "--sample: the default sizes end at $top frames, not about 5000: $(cut -d, -f2 s.csv | tr '\n' ' ')"
"$mmsim" mrc -q --policy lru --csv e.csv big.txt || fail "exact default sizes: exit $?"
"$mmsim" mrc -q --policy lru --sample 0.1 --compare-exact --csv s.csv big.txt 2>/dev/null ||
	fail "--compare-exact default sizes: exit $?"
cmp -s <(cut -d, -f2 e.csv) <(cut -d, -f2 s.csv) ||
	fail "--compare-exact: not the exact curve's sizes: $(tail -1 e.csv) / $(tail -1 s.csv)"

if command -v gnuplot >/dev/null 2>&1; then
	"$mmsim" mrc -q --sizes all --plot c.svg --csv /dev/null mixed.txt || fail "plot: exit $?"
	grep -q '<svg' c.svg || fail "an SVG"
else
	echo "test_mrc: gnuplot is not installed; the plot is not checked"
fi

expect2() {
	local want=$1
	shift
	"$@" >/dev/null 2>err.txt
	[ $? -eq 2 ] || fail "$*: want exit 2"
	grep -qF -- "$want" err.txt || fail "$*: want '$want' in: $(cat err.txt)"
}
expect2 "unknown policy 'belady'" "$mmsim" mrc --policy lru,belady ref.txt
expect2 "above 0 and below 1" "$mmsim" mrc --sample 2 ref.txt
expect2 "one or the other" "$mmsim" mrc --sample 0.1 --sample-max 10 ref.txt
expect2 "sampling is for lru and opt only" "$mmsim" mrc --policy fifo --sample 0.1 ref.txt
expect2 "--sizes all is for lru and opt only" "$mmsim" mrc --policy clock --sizes all ref.txt
expect2 "goes with --sample" "$mmsim" mrc --compare-exact ref.txt
expect2 "must end in .svg or .png" "$mmsim" mrc --plot x.pdf ref.txt
expect2 "missing TRACE" "$mmsim" mrc

# One page takes half the accesses: whether it falls in the sample moves the sampled
# accesses far from R x accesses. SHARDS_adj (docs/mrc.md) keeps the estimate close anyway;
# dividing by the sampled accesses instead is off by 0.05 or more here.
python3 - <<'PY' >hot.txt
import random
random.seed(9)
for i in range(60000):
    page = 0 if i % 2 else 1 + random.randrange(4000)
    print(" S %x,8" % (0x10000000 + page * 4096))
PY
for s in "--sample 0.1" "--sample 0.05" "--sample-max 300"; do
	# shellcheck disable=SC2086
	"$mmsim" mrc --policy lru $s --compare-exact --sizes 500:4000:+500 --csv /dev/null \
		hot.txt 2>s.err || fail "hot $s: exit $?"
	grep -q 'mean absolute error 0\.0[01]' s.err || fail "hot page, $s: $(cat s.err)"
done

# --format: a trace without a signature (oracleGeneral, committed for test_formats.sh) gives
# the same curve as sweep reads from it, fifo (replayed through sweep) too.
"$mmsim" mrc -q --format oracleGeneral --policy lru,opt,fifo --sizes 10,50,100 \
	--csv f.csv "$samples/loop.oracleGeneral" || fail "mrc --format: exit $?"
"$mmsim" sweep -q -j 2 --format oracleGeneral --policies lru,opt,fifo --frames 10,50,100 \
	-o fs.csv "$samples/loop.oracleGeneral" || fail "sweep --format: exit $?"
[ "$(cut -d, -f1-6 f.csv)" = "$(cut -d, -f1-6 fs.csv)" ] || fail "--format: mrc != sweep"
expect2 "--format takes" "$mmsim" mrc --format nosuch ref.txt
expect2 "" "$mmsim" mrc -q "$samples/loop.oracleGeneral"
# --allow-empty: an empty trace is an error unless accepted; accepted, every count is 0.
: >empty.txt
expect2 "the trace has no records (--allow-empty" "$mmsim" mrc -q empty.txt
"$mmsim" mrc -q --allow-empty --policy lru,fifo --sizes 4 empty.txt >e.csv ||
	fail "--allow-empty: exit $?"
[ "$(tail -n +2 e.csv | tr '\n' ' ')" = "lru,4,16384,0,0,0.000000 fifo,4,16384,0,0,0.000000 " ] ||
	fail "--allow-empty: $(cat e.csv)"
echo "test_mrc: ok$([ -n "${ASAN_OPTIONS:-}" ] && echo " (quick: under ASan)")"
