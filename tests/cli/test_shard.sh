#!/usr/bin/env bash
# End-to-end: `mmsim sweep --shard K/N` and `mmsim mrc --shard K/N` write partial results,
# and `mmsim merge` joins them into exactly (cmp) the CSV, JSON and plot of one unsharded
# run, whatever order the parts come in; with more slices than cells (empty slices); for
# mrc's one-pass curves, its replayed policies and --sizes all. Parts that do not fit
# together are refused with exit 2 and a message naming the file: a slice missing or
# repeated, another trace, other settings, another command, a truncated or foreign file.
#
#   test_shard.sh MMSIM_BINARY WORKDIR
set -u
mmsim=$1
work=$2
mkdir -p "$work" && cd "$work" || exit 1
fail() { echo "test_shard: $*" >&2; exit 1; }

python3 - <<'PY' >mixed.txt
import random
random.seed(17)
pid = 0
for i in range(4000):
    if i % 700 == 0:
        pid = random.choice([0, 1, 7])
        print("# mmsim pid %d" % pid)
    page = int(random.paretovariate(1.1)) % 150
    addr = 0x10000000 + page * 4096 + random.randrange(4096)
    print(" %s %x,%d" % (random.choice("LLSM"), addr, random.choice([1, 8, 64])))
PY
plot=""
command -v gnuplot >/dev/null && plot=yes

# --- sweep: 3 policies x 6 sizes in 4 slices, merged in a shuffled order ----------------------
sw=(sweep -q -j 2 --policies fifo,lru,clock --frames 4:150:x2)
"$mmsim" "${sw[@]}" -o full.csv ${plot:+--plot full.svg} mixed.txt || fail "sweep: exit $?"
for k in 1 2 3 4; do
	"$mmsim" "${sw[@]}" --shard $k/4 -o s$k.part mixed.txt || fail "sweep --shard $k/4: exit $?"
done
head -1 s1.part | grep -qx 'mmsim-partial 2' || fail "s1.part: $(head -1 s1.part)"
grep -qx 'shard 3/4' s3.part || fail "s3.part names no slice"
grep -q '^trace_hash fnv1a64:[0-9a-f]\{16\}$' s1.part || fail "s1.part has no trace hash"
[ "$(grep -c '^row ' s1.part)" = 5 ] || fail "slice 1/4 of 18 runs: want 5 rows"
"$mmsim" merge -o merged.csv ${plot:+--plot merged.svg} s3.part s1.part s4.part s2.part ||
	fail "merge sweep: exit $?"
cmp full.csv merged.csv || fail "merged sweep CSV differs from the unsharded one"
[ -z "$plot" ] || cmp full.svg merged.svg || fail "merged sweep plot differs"
"$mmsim" merge s1.part s2.part s3.part s4.part | cmp - full.csv || fail "merge to stdout"

# More slices than runs: the empty slices still count.
for k in $(seq 1 20); do
	"$mmsim" sweep -q -j 1 --policies lru --frames 8,64 --shard "$k/20" -o e$k.part mixed.txt ||
		fail "sweep --shard $k/20: exit $?"
done
"$mmsim" sweep -q -j 1 --policies lru --frames 8,64 -o e.csv mixed.txt || fail "sweep 2 runs"
"$mmsim" merge -o em.csv e*.part || fail "merge 20 slices of 2 runs: exit $?"
cmp e.csv em.csv || fail "20 slices of 2 runs differ"

# --- mrc: lru and opt in one pass, fifo replayed; CSV, JSON and plot --------------------------
mr=(mrc -q --policy lru,fifo,opt --sizes 2:150:x1.5)
"$mmsim" "${mr[@]}" --csv full.csv --json full.json ${plot:+--plot full.svg} mixed.txt ||
	fail "mrc: exit $?"
for k in 1 2 3; do
	"$mmsim" "${mr[@]}" --shard $k/3 -o m$k.part mixed.txt || fail "mrc --shard $k/3: exit $?"
done
"$mmsim" merge -o merged.csv --json merged.json ${plot:+--plot merged.svg} m2.part m3.part \
	m1.part || fail "merge mrc: exit $?"
cmp full.csv merged.csv || fail "merged mrc CSV differs"
cmp full.json merged.json || fail "merged mrc JSON differs"
[ -z "$plot" ] || cmp full.svg merged.svg || fail "merged mrc plot differs"

"$mmsim" mrc -q --sizes all --csv all.csv mixed.txt || fail "mrc --sizes all"
for k in 1 2; do "$mmsim" mrc -q --sizes all --shard $k/2 -o a$k.part mixed.txt || fail "a$k"; done
"$mmsim" merge a2.part a1.part >allm.csv || fail "merge --sizes all: exit $?"
cmp all.csv allm.csv || fail "merged --sizes all differs"

# Killed runs (complete=no, empty misses) survive the merge; exit 3 as the sweep's, or 0 with
# --allow-kill.
python3 -c "
for i in range(20000): print(' S %x,8' % (0x10000000 + i * 4096))" >kill.txt
ks=(sweep -q --policies fifo,lru --frames 16,32 --mem 32M --swap 16M)
"$mmsim" "${ks[@]}" -o kfull.csv kill.txt 2>/dev/null
[ $? = 3 ] || fail "sweep with kills: want exit 3"
for k in 1 2; do
	"$mmsim" "${ks[@]}" --shard $k/2 -o k$k.part kill.txt 2>/dev/null
	[ $? = 3 ] || fail "shard $k/2 with kills: want exit 3"
done
"$mmsim" merge -o km.csv k1.part k2.part 2>/dev/null
[ $? = 3 ] || fail "merge of killed runs: want exit 3"
cmp kfull.csv km.csv || fail "merged killed runs differ"
grep -q ',no$' km.csv || fail "no killed row in the test"
"$mmsim" merge --allow-kill -o km.csv k1.part k2.part || fail "merge --allow-kill: exit $?"

# --- parts that do not fit: exit 2, the file named ---------------------------------------------
refuse() { # refuse WANT_IN_MESSAGE ARGS...
	local want=$1
	shift
	"$mmsim" "$@" >out.txt 2>err.txt
	local rc=$?
	[ $rc = 2 ] || fail "$*: exit $rc, want 2"
	grep -q -- "$want" err.txt || fail "$*: message '$(cat err.txt)' lacks '$want'"
}
refuse "slice 4/4 is missing" merge s1.part s2.part s3.part
refuse "s2.part: slice 2/4 repeated (s2.part" merge s1.part s2.part s2.part s3.part s4.part
refuse "m1.part: a part of mmsim mrc" merge s1.part m1.part s2.part s3.part s4.part
sed 1d mixed.txt >other.txt
"$mmsim" "${sw[@]}" --shard 2/4 -o other.part other.txt || fail "sweep other.txt"
refuse "other.part: another trace" merge s1.part other.part s3.part s4.part
"$mmsim" sweep -q -j 2 --policies fifo,lru,clock --frames 4:150:x2 --tlb off --shard 2/4 \
	-o tlb.part mixed.txt || fail "sweep --tlb off"
refuse "tlb.part: its machine" merge s1.part tlb.part s3.part s4.part
"$mmsim" "${sw[@]}" --shard 2/5 -o five.part mixed.txt || fail "sweep 2/5"
# A part of another mmsim version (whose model may differ) is refused like other settings.
grep -qx "mmsim_version $("$mmsim" --version | cut -d' ' -f2)" s2.part || fail "s2.part: no mmsim_version"
sed 's/^mmsim_version .*/mmsim_version 0.0.1/' s2.part >old.part
refuse "old.part: its mmsim_version (0.0.1) differs" merge s1.part old.part s3.part s4.part
refuse "five.part: slice 2/5, but s1.part is slice 1/4" merge s1.part five.part s3.part s4.part
grep -v '^end$' s2.part >cut.part
refuse "cut.part: no end line" merge s1.part cut.part s3.part s4.part
awk '/^row /&&!d{d=1;next}1' s2.part >lost.part
refuse "lost.part: 4 rows, but slice 2/4" merge s1.part lost.part s3.part s4.part
sed 's/^row 1 .*/row 1 5 x/' s2.part >bad.part
refuse "bad.part: row 1: want 12 numbers" merge s1.part bad.part s3.part s4.part
echo "policy,frames" >foreign.csv
refuse "foreign.csv:1: not a partial result" merge foreign.csv
refuse "nothere.part:" merge nothere.part
refuse "missing PART" merge
refuse "writes no JSON" merge --json x.json s1.part s2.part s3.part s4.part
refuse "--allow-kill is for parts of mmsim sweep" merge --allow-kill m1.part m2.part m3.part
# A line break in the trace name or a setting would write lines merge reads as others.
cp mixed.txt "$(printf 'nl\nrow 1.txt')"
refuse "the trace name has a line break" sweep --shard 1/2 -o nl.part "$(printf 'nl\nrow 1.txt')"
refuse "the trace name has a line break" mrc --shard 1/2 -o nl.part "$(printf 'nl\nrow 1.txt')"
refuse "the value of swappiness has a line break" sweep --shard 1/2 -o nl.part \
	--config "$(printf 'swappiness=60\nrow 1')" mixed.txt
refuse "--shard takes K/N" sweep --shard 0/4 mixed.txt
refuse "--shard takes K/N" sweep --shard 5/4 mixed.txt
refuse "--shard takes K/N" mrc --shard 1 mixed.txt
refuse "--shard takes K/N" mrc --shard 1/x mixed.txt
refuse "give --plot to mmsim merge" sweep --shard 1/2 --plot x.svg mixed.txt
refuse "give --json and --plot to mmsim merge" mrc --shard 1/2 --json x.json mixed.txt
refuse "not with --shard" mrc --shard 1/2 --sample 0.5 --compare-exact mixed.txt
"$mmsim" merge --help | grep -q "usage: mmsim merge" || fail "merge --help"
"$mmsim" help merge | grep -q "usage: mmsim merge" || fail "help merge"
"$mmsim" --help | grep -q "^  merge " || fail "mmsim --help lists no merge"
echo "test_shard: ok"
