#!/usr/bin/env bash
# End-to-end: a sweep and an mrc cut into N shards run through GNU parallel (Debian package
# parallel), as docs/cluster.md shows, merged by `mmsim merge`: the result is the
# single-machine run's, byte for byte (CSV, JSON). Skipped (exit 77) without parallel.
#
#   test_parallel.sh MMSIM_BINARY WORKDIR
set -u
mmsim=$1
work=$2
mkdir -p "$work" && cd "$work" || exit 1
fail() { echo "test_parallel: $*" >&2; exit 1; }
if ! command -v parallel >/dev/null 2>&1 || ! parallel --version 2>/dev/null | grep -q GNU; then
	echo "test_parallel: GNU parallel is not installed (Debian: apt-get install parallel): skipped"
	exit 77
fi

python3 - <<'PY' >t.txt
import random
random.seed(5)
for i in range(3000):
    page = int(random.paretovariate(1.2)) % 120
    print(" %s %x,8" % (random.choice("LS"), 0x10000000 + page * 4096))
PY

n=5
"$mmsim" sweep -q -j 1 --policies fifo,lru,clock,opt --frames 4:120:x2 -o one.csv t.txt ||
	fail "sweep: exit $?"
seq 1 $n | parallel --will-cite -j 2 --halt now,fail=1 "$mmsim" sweep -q -j 1 \
	--policies fifo,lru,clock,opt --frames 4:120:x2 --shard {}/$n -o part{}.sweep t.txt ||
	fail "parallel sweep shards: exit $?"
"$mmsim" merge -o merged.csv part*.sweep || fail "merge: exit $?"
cmp one.csv merged.csv || fail "sweep: merged shards differ from the single run"

"$mmsim" mrc -q --policy lru,opt,clock --sizes 2:120:x1.5 --csv one.csv --json one.json t.txt ||
	fail "mrc: exit $?"
seq 1 $n | parallel --will-cite -j 2 --halt now,fail=1 "$mmsim" mrc -q -j 1 \
	--policy lru,opt,clock --sizes 2:120:x1.5 --shard {}/$n -o part{}.mrc t.txt ||
	fail "parallel mrc shards: exit $?"
"$mmsim" merge -o merged.csv --json merged.json part*.mrc || fail "merge mrc: exit $?"
cmp one.csv merged.csv || fail "mrc: merged CSV differs from the single run"
cmp one.json merged.json || fail "mrc: merged JSON differs from the single run"
echo "test_parallel: $n shards through GNU parallel merge to the single run's results"
