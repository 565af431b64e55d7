#!/usr/bin/env bash
# scripts/flamegraphs.sh (docs/performance.md's four flame graphs in one command), at
# 1/1000 of its streams: its generators give what the generators printed in
# docs/performance.md give, and each graph's `mmsim run` command runs on its stream
# (--no-perf). When perf may record here, one small graph is drawn end to end. No timing.
# Without python3 the test is skipped (exit 77).
#
#   test_flamegraphs.sh MMSIM_BINARY WORKDIR
set -u
mmsim=$1
work=$2
src=$(cd "$(dirname "$0")/../.." && pwd)
script=$src/scripts/flamegraphs.sh
fail() { echo "test_flamegraphs: $*" >&2; exit 1; }
command -v python3 >/dev/null || { echo "test_flamegraphs: skipped: no python3"; exit 77; }
rm -rf "$work" && mkdir -p "$work" || exit 1
cd "$work" || exit 1

bash "$script" --mmsim "$mmsim" --work w --small --no-perf >log.txt 2>&1 ||
	{ cat log.txt >&2; fail "--small --no-perf failed"; }
for name in hit walk miss opt; do
	grep -q "^flamegraphs: $name: mmsim run" log.txt || fail "no run of $name"
done
[ "$(wc -l <w/hit.txt)" -eq 4000 ] || fail "hit stream: want 4000 records"
[ "$(wc -l <w/walk2m.txt)" -eq 2000 ] || fail "walk stream: want 2000 records"
[ "$(wc -l <w/zipf.txt)" -eq 400 ] || fail "demand stream: want 400 records"

# The generators printed in docs/performance.md: the code block that begins with each
# first line, up to its closing fence.
doc_block() { # first-line
	awk -v first="$1" '$0 == first { on = 1 } on && /^```/ { exit } on { print }' \
		"$src/docs/performance.md"
}
doc_block "import bisect, itertools, random, sys" >doc_mk.py
doc_block "import sys" >doc_hit.py
[ -s doc_mk.py ] && [ -s doc_hit.py ] || fail "generators not found in docs/performance.md"
python3 doc_mk.py 262144 2000 L doc_walk.txt && cmp -s doc_walk.txt w/walk2m.txt ||
	fail "walk stream differs from the generator in docs/performance.md"
python3 doc_mk.py 1048576 400 S doc_zipf.txt && cmp -s doc_zipf.txt w/zipf.txt ||
	fail "demand stream differs from the generator in docs/performance.md"
python3 doc_hit.py 4000 doc_hit.txt && cmp -s doc_hit.txt w/hit.txt ||
	fail "hit stream differs from the generator in docs/performance.md"

if bash "$script" --only nosuch >/dev/null 2>err.txt; then fail "--only nosuch: want an error"; fi
grep -q "unknown graph 'nosuch'" err.txt || fail "--only nosuch: message"

# End to end with perf, where this machine lets perf record (not in every container).
if command -v perf >/dev/null && perf record -q -e cpu-clock -o p.data -- true >/dev/null 2>&1; then
	bash "$script" --mmsim "$mmsim" --work w --out svg --only hit --small >log2.txt 2>&1 ||
		{ cat log2.txt >&2; fail "perf run failed"; }
	grep -q '<svg ' svg/hit.svg || fail "hit.svg: no <svg> element"
	grep -q '<title>all (' svg/hit.svg || fail "hit.svg: no root frame"
	[ -s w/hit.folded ] || fail "no folded stacks of hit"
fi
echo "test_flamegraphs: ok"
