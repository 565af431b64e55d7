#!/usr/bin/env bash
# End-to-end: OPT on a trace with a fork. A page reclaim cannot evict (held by a fault in
# progress) used to be "rotated" by taking it out and adding it again, which made it OPT's
# top once more, until reclaim gave up and the OOM killer killed a process with swap to
# spare (complete=no, exit 3). Now OPT offers its next page (mm/policies/opt.c opt_busy()).
#
#   test_opt_busy.sh MMSIM_BINARY WORKDIR
set -u
here=$(cd "$(dirname "$0")" && pwd)
mmsim=$1
work=$2
mkdir -p "$work" && cd "$work" || exit 1
fail() { echo "test_opt_busy: $*" >&2; exit 1; }

python3 "$here/fork_trace.py" >fork.txt || fail "fork_trace.py: exit $?"
"$mmsim" sweep -q -j 1 --policies opt,lru --frames 16,64 -o s.csv fork.txt 2>err.txt ||
	fail "sweep opt,lru: exit $? ($(cat err.txt))"
# policy,frames,bytes,accesses,misses,...,oom_kills,not_simulated,complete
awk -F, 'NR > 1 && ($16 != 0 || $18 != "yes") { bad = 1; print "killed: " $0 } END { exit bad }' \
	s.csv || fail "a run was OOM-killed"
opt16=$(awk -F, '$1 == "opt" && $2 == 16 { print $5 }' s.csv)
lru16=$(awk -F, '$1 == "lru" && $2 == 16 { print $5 }' s.csv)
[ -n "$opt16" ] && [ -n "$lru16" ] || fail "no opt or lru row at 16 frames: $(cat s.csv)"
[ "$opt16" -le "$lru16" ] || fail "opt misses $opt16 > lru's $lru16 at 16 frames"
# The checkers after every step (paranoid) hold OPT's heap and the busy notes' return.
"$mmsim" run -q --paranoid --policy opt --frames 16 fork.txt >run.txt 2>&1 ||
	fail "run --paranoid --policy opt: exit $? ($(tail -3 run.txt))"
echo "test_opt_busy: ok"
