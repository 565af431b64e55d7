#!/usr/bin/env bash
# scripts/flamegraph.py (docs/performance.md's flame graphs): folds `perf script` text into
# stacks, root first, counting identical stacks, and draws them as an SVG whose frame widths
# are the sample shares. Fed a fixed three-sample perf script text written here (the format
# of perf 6.x with --call-graph dwarf), not perf itself: no timing, no profiler needed.
# Without Debian's /usr/bin/python3 the test is skipped (exit 77).
#
#   test_flamegraph.sh MMSIM_BINARY WORKDIR
set -u
work=$2
src=$(cd "$(dirname "$0")/../.." && pwd)
fg=$src/scripts/flamegraph.py
mkdir -p "$work" && cd "$work" || exit 1
fail() { echo "test_flamegraph: $*" >&2; exit 1; }
[ -x /usr/bin/python3 ] || { echo "test_flamegraph: skipped: no /usr/bin/python3"; exit 77; }

cat >perf.txt <<'PERF'
mmsim 101 1000.000001:    1001001 cpu-clock:pppH: 
	    55d0c0ffee10 x86_walk_from+0x1a (/work/build/mmsim)
	    55d0c0ffee20 walk_fill+0x30 (/work/build/mmsim)
	    55d0c0ffee30 tlb_translate+0x44 (/work/build/mmsim)
	    55d0c0ffee40 main+0x10 (/work/build/mmsim)

mmsim 101 1000.001002:    1001001 cpu-clock:pppH: 
	    55d0c0ffee11 x86_walk_from+0x2b (/work/build/mmsim)
	    55d0c0ffee21 walk_fill+0x31 (/work/build/mmsim)
	    55d0c0ffee31 tlb_translate+0x45 (/work/build/mmsim)
	    55d0c0ffee41 main+0x11 (/work/build/mmsim)

mmsim 101 1000.002003:    1001001 cpu-clock:pppH: 
	    55d0c0ffee50 trace_bin_read+0x5 (/work/build/mmsim)
	    55d0c0ffee41 main+0x12 (/work/build/mmsim)
	    7f00deadbeef [unknown] ([unknown])

PERF
/usr/bin/python3 "$fg" --fold-only <perf.txt >folded.txt || fail "fold failed"
printf '%s\n' "mmsim;[unknown];main;trace_bin_read 1" "mmsim;main;tlb_translate;walk_fill;x86_walk_from 2" >want.txt
cmp -s folded.txt want.txt || { diff want.txt folded.txt >&2; fail "folded stacks differ"; }

/usr/bin/python3 "$fg" --title "test graph" <perf.txt >out.svg || fail "svg failed"
grep -q '<svg ' out.svg || fail "no <svg> element"
grep -q '<title>x86_walk_from (2 samples, 66.67%)</title>' out.svg || fail "x86_walk_from frame"
grep -q '<title>trace_bin_read (1 samples, 33.33%)</title>' out.svg || fail "trace_bin_read frame"
grep -q '<title>all (3 samples, 100.00%)</title>' out.svg || fail "root frame"
/usr/bin/python3 "$fg" --title "test graph" --folded <folded.txt >again.svg || fail "folded input failed"
cmp -s out.svg again.svg || fail "folded input draws a different graph"
: >empty.txt
if /usr/bin/python3 "$fg" <empty.txt >/dev/null 2>err.txt; then fail "no samples: want an error"; fi
grep -q "no samples" err.txt || fail "no samples: message"
echo "test_flamegraph: ok"
