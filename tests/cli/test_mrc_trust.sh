#!/usr/bin/env bash
# End-to-end: inputs and settings of `mmsim mrc`, `mmsim sweep` and `mmsim merge` that
# used to give a plausible wrong number with exit 0 (or hang) now fail loudly, and the
# curves of mrc stay those of sweep. Each section names what it guards.
#
#   test_mrc_trust.sh MMSIM_BINARY WORKDIR
set -u
here=$(cd "$(dirname "$0")" && pwd)
mmsim=$1
work=$2
mkdir -p "$work" && cd "$work" || exit 1
fail() { echo "test_mrc_trust: $*" >&2; exit 1; }

# refuse WANT_IN_MESSAGE ARGS...: exit 2 and the message says WANT.
refuse() {
	local want=$1
	shift
	timeout 20 "$mmsim" "$@" >out.txt 2>err.txt
	local rc=$?
	[ $rc = 2 ] || fail "$*: exit $rc, want 2 ($(head -3 out.txt) $(cat err.txt))"
	grep -q -- "$want" err.txt || fail "$*: message '$(cat err.txt)' lacks '$want'"
}

for i in $(seq 0 199); do printf ' S %x,8\n' $((0x10000000 + (i * 7919 % 97) * 4096)); done >t.txt

# --- --sizes / --frames: a number that does not fit, a negative one, a step that never
# moves, a size whose bytes overflow: refused, not wrapped, clamped or looped on.
for cmd in "mrc -q --policy lru --sizes" "sweep -q --policies lru --frames"; do
	refuse "at most 1099511627776 frames" $cmd 18446744073709551616 t.txt
	refuse "at most" $cmd 4,99999999999999999999 t.txt
	refuse "want 1 <= START <= END" $cmd 1:-1:x2 t.txt
	refuse "want 1 <= START <= END" $cmd -1:8:x2 t.txt
	refuse "at most" $cmd 99999999999999999 t.txt
	refuse "at most" $cmd 1:18446744073709551615:x2 t.txt
	refuse "factor" $cmd 1:1000:x1.0000000000000002 t.txt
	refuse "want START:END" $cmd 4,8, t.txt
done

# --- SHARDS: a rate at which no page of the trace is sampled gave a curve of 0 misses (the
# trace has 97 pages: at R = 0.001 the hash keeps none of them). Refused; a sample of a few
# pages says that its error is large.
refuse "holds none of the trace's pages" mrc -q --policy lru --sample 0.001 t.txt
refuse "holds none of the trace's pages" mrc -q --policy lru,opt --sample 0.0001 --compare-exact t.txt
"$mmsim" mrc -q --policy lru --sample 0.1 --csv s.csv t.txt 2>err.txt || fail "--sample 0.1: exit $?"
grep -q "the sample holds only [0-9]* pages" err.txt || fail "--sample 0.1: $(cat err.txt)"

# --- Machine settings the one pass cannot model: with thp=always (huge pages) or --mem and
# --swap (a machine that refuses sizes or OOM-kills) mrc's one-pass lru and opt differed from
# sweep's replays with exit 0. Now lru and opt are replayed once per size, with a note, and
# sampling or --sizes all (which need the one pass) are refused.
python3 - <<'PY' >thp.txt
import random
random.seed(3)
for i in range(3000):
    page = random.randrange(1024) if random.random() < 0.5 else random.randrange(64)
    print(" %s %x,8" % (random.choice("SLM"), 0x40000000 + page * 4096))
PY
"$mmsim" mrc -q --policy lru,opt --sizes 64,512 --config thp=always --csv a.csv thp.txt \
	2>err.txt || fail "mrc thp=always: exit $?"
grep -q "note: thp=always: .*replayed once per size" err.txt || fail "thp note: $(cat err.txt)"
"$mmsim" sweep -q --policies lru,opt --frames 64,512 --config thp=always -o b.csv thp.txt ||
	fail "sweep thp=always: exit $?"
cut -d, -f1-6 b.csv | cmp - a.csv || fail "mrc thp=always != sweep: $(paste -d' ' a.csv b.csv)"
refuse "sampling needs the one pass" mrc -q --policy lru --sample 0.5 --config thp=always thp.txt
refuse "--sizes all needs the one pass" mrc -q --policy lru --sizes all --config thp=always thp.txt
# --mem 16M holds 4096 frames: sweep refuses 8000; so does mrc now.
refuse "more than the 4096 frames of RAM" mrc -q --policy lru --sizes 16,8000 --mem 16M thp.txt
# 20,000 pages on 32M of RAM and 16M of swap: sweep's runs are OOM-killed (exit 3); mrc
# printed a miss ratio of 1.0 with exit 0. Now its replays fail, exit 2.
python3 -c "
for i in range(20000): print(' S %x,8' % (0x10000000 + i * 4096))" >kill.txt
"$mmsim" mrc -q --policy lru --sizes 16,32 --mem 32M --swap 16M --csv k.csv kill.txt 2>err.txt
rc=$?
[ $rc = 2 ] && [ ! -e k.csv ] || fail "mrc on a machine that kills: exit $rc, $(cat k.csv 2>&1)"

# --- A trace with events, lru (one pass: events not modelled) beside fifo (replays: events
# modelled) in one output: at 16 frames lru showed 1773 misses to fifo's 2026, where sweep's
# lru has 2032: a comparison of two models. Now lru and opt are replayed too, with a note;
# lru alone keeps the one pass and its note.
python3 "$here/fork_trace.py" >fork.txt || fail "fork_trace.py: exit $?"
"$mmsim" mrc -q --policy lru,fifo --sizes 16,64,256 --csv a.csv fork.txt 2>err.txt ||
	fail "mrc lru,fifo fork.txt: exit $?"
grep -q "lru and opt are replayed once per size too" err.txt || fail "events note: $(cat err.txt)"
"$mmsim" sweep -q --policies lru,fifo --frames 16,64,256 -o b.csv fork.txt ||
	fail "sweep fork.txt: exit $?"
cut -d, -f1-6 b.csv | cmp - a.csv || fail "mrc lru,fifo != sweep on events: $(paste -d' ' a.csv b.csv)"
"$mmsim" mrc -q --policy lru --sizes 16 fork.txt >/dev/null 2>err.txt || fail "mrc lru: exit $?"
grep -q "are not modelled by the curves .* may differ from mmsim sweep's" err.txt ||
	fail "lru alone: $(cat err.txt)"

# --- SIGTERM to mrc while its sweep replays a non-stack policy: the sweep ran on to its end,
# orphaned (about 10 s of replays here). Now it ends with mrc. Bounded polls, no fixed sleep.
awk 'BEGIN { s = 1; for (i = 0; i < 60000; i++) {
	s = (s * 1103515245 + 12345) % 2147483648
	printf " S %x,8\n", 268435456 + (int(s / 65536) % 30000) * 4096 } }' >long.txt
command -v pgrep >/dev/null || { echo "test_mrc_trust: no pgrep"; exit 77; }
"$mmsim" mrc -q --policy fifo --sizes 64:30000:x1.05 -j 1 --csv term.csv long.txt 2>/dev/null &
mrc_pid=$!
child=""
for _ in $(seq 1 200); do
	child=$(pgrep -P $mrc_pid)
	[ -n "$child" ] && break
	sleep 0.05
done
[ -n "$child" ] || fail "mrc started no sweep"
kill -TERM $mrc_pid
wait $mrc_pid
for _ in $(seq 1 40); do
	kill -0 "$child" 2>/dev/null || break
	sleep 0.05
done
if kill -0 "$child" 2>/dev/null; then
	kill "$child"
	fail "the sweep of a killed mrc still runs"
fi
[ ! -e term.csv ] || fail "a killed mrc wrote term.csv"

# --- A part changed after mmsim wrote it (a number edited by hand, a bit flipped): merge
# took it and wrote the changed number with exit 0. Each part now ends with a sum of its
# bytes, and merge refuses a part whose bytes do not match it, or that has none.
sw=(sweep -q -j 1 --policies fifo,lru --frames 8,16,32)
for k in 1 2; do "$mmsim" "${sw[@]}" --shard $k/2 -o s$k.part t.txt || fail "sweep $k/2"; done
"$mmsim" merge -o s.csv s1.part s2.part || fail "merge: exit $?"
grep -q '^sum fnv1a64:[0-9a-f]\{16\}$' s1.part || fail "s1.part has no sum line"
# The first row's accesses (200) made 201: the same shape, a plausible number.
sed 's/^\(row [0-9]*\) 200 /\1 201 /' s2.part >edited.part
cmp -s s2.part edited.part && fail "the edit changed nothing"
refuse "edited.part: its sum line says .* the part was changed after mmsim wrote it" \
	merge s1.part edited.part
grep -v '^sum ' s2.part >nosum.part
refuse "nosum.part: no sum line" merge s1.part nosum.part
sed '1s/.*/mmsim-partial 1/' s2.part >old.part
refuse "old.part:1: a part of format 1" merge s1.part old.part
mr=(mrc -q --policy lru,fifo --sizes 4,8,16)
for k in 1 2; do "$mmsim" "${mr[@]}" --shard $k/2 -o m$k.part t.txt || fail "mrc $k/2"; done
"$mmsim" merge m1.part m2.part >m.csv || fail "merge mrc: exit $?"
awk '/^row / && !done { $3 = $3 + 1; done = 1 } 1' m1.part >medit.part
refuse "medit.part: its sum line says" merge medit.part m2.part

# --- A merge that cannot write its output named the command of the parts ("mmsim sweep:
# <stdout>: write failed"), not merge.
if [ -w /dev/full ]; then
	"$mmsim" merge s1.part s2.part >/dev/full 2>err.txt
	rc=$?
	[ $rc = 2 ] && grep -q '^mmsim merge: <stdout>: write failed' err.txt ||
		fail "merge to a full disk: exit $rc, $(cat err.txt)"
	"$mmsim" merge m1.part m2.part >/dev/full 2>err.txt
	rc=$?
	[ $rc = 2 ] && grep -q '^mmsim merge: <stdout>: write failed' err.txt ||
		fail "merge mrc parts to a full disk: exit $rc, $(cat err.txt)"
fi

echo "test_mrc_trust: ok"
