#!/usr/bin/env bash
# scripts/flamegraphs.sh: the four flame graphs of docs/performance.md ("Flame graphs") in
# one command: hit, walk, demand miss and OPT. Makes each stream with the seeded generator
# printed in docs/performance.md, converts it to mmsim's binary format, profiles one
# `mmsim run` of it with `perf record -e cpu-clock --call-graph dwarf` and draws the graph
# with scripts/flamegraph.py into docs/flamegraphs/NAME.svg.
#
#   scripts/flamegraphs.sh [--mmsim BIN] [--out DIR] [--work DIR] [--only LIST]
#                          [--small] [--no-perf]
#
#   --mmsim BIN   the mmsim to profile (default: build/mmsim of this tree)
#   --out DIR     where the SVGs go (default: docs/flamegraphs of this tree)
#   --work DIR    streams, perf data and each graph's folded stacks (NAME.folded; default:
#                 a temporary directory, removed after)
#   --only LIST   some of hit,walk,miss,opt (comma-separated; default: all four)
#   --small       streams 1000x shorter (for tests/cli/test_flamegraphs.sh)
#   --no-perf     make the streams and run each command once without perf; no graph
#
# Needs python3 (standard library only) and, unless --no-perf, perf. Takes half a minute
# to a few minutes (the generators and perf script's DWARF unwinding are the slow parts).
set -euo pipefail

src=$(cd "$(dirname "$0")/.." && pwd)
mmsim=$src/build/mmsim
out=$src/docs/flamegraphs
work=
only=hit,walk,miss,opt
div=1
perf=1
py=python3
usage() { sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
while [ $# -gt 0 ]; do
	case $1 in
	--mmsim) mmsim=$2; shift 2 ;;
	--out) out=$2; shift 2 ;;
	--work) work=$2; shift 2 ;;
	--only) only=$2; shift 2 ;;
	--small) div=1000; shift ;;
	--no-perf) perf=0; shift ;;
	*) usage ;;
	esac
done
for name in ${only//,/ }; do
	case $name in hit | walk | miss | opt) ;; *) echo "flamegraphs: unknown graph '$name' (want hit, walk, miss, opt)" >&2; exit 2 ;; esac
done
[ -x "$mmsim" ] || { echo "flamegraphs: no mmsim at $mmsim (build first, or --mmsim)" >&2; exit 2; }
if [ "$perf" = 1 ] && ! command -v perf >/dev/null; then
	echo "flamegraphs: no perf (Debian: linux-perf)" >&2
	exit 2
fi
if [ -z "$work" ]; then
	work=$(mktemp -d)
	trap 'rm -rf "$work"' EXIT
fi
mkdir -p "$work" "$out"

# The generators, as printed in docs/performance.md (tests/cli/test_flamegraphs.sh checks
# that they give what the printed ones give).
# "Walk and miss paths": Zipf 0.9 over n pages, seed 1. Args: n count kind out.
cat >"$work/mk.py" <<'PY'
import bisect, itertools, random, sys
n, count, kind, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
r = random.Random(1)
cdf = list(itertools.accumulate(1.0 / (i + 1) ** 0.9 for i in range(n)))
perm = list(range(n)); r.shuffle(perm)
with open(out, "w") as f:
    for _ in range(count):
        p = perm[bisect.bisect_left(cdf, r.random() * cdf[-1])]
        f.write(" %s %x,8\n" % (kind, 0x10000000 + p * 4096 + r.randrange(512) * 8))
PY
# "Hit path (third round)": the bench's xorshift hit stream, 90 % of the loads on 64 pages,
# the rest over 4096 pages (16 MiB). Args: count out.
cat >"$work/hit.py" <<'PY'
import sys
n = int(sys.argv[1]); s = 88172645463325252; M = (1 << 64) - 1
with open(sys.argv[2], "w") as f:
    for i in range(n):
        s ^= (s << 13) & M; s ^= s >> 7; s ^= (s << 17) & M
        p = s // 10 % 64 if s % 10 else s // 10 % 4096
        f.write(" L %x,8\n" % (0x10000000 + (p << 12) + ((i * 8) & 4095)))
PY

# One stream: make its text with the generator, then the binary trace.
stream() { # name generator-args...
	local name=$1
	shift
	[ -s "$work/$name.bin" ] && return 0
	"$py" "$@"
	"$mmsim" convert -q "$work/$name.txt" "$work/$name.bin"
}

declare -A title args
title[hit]="mmsim hit path"
title[walk]="mmsim walk path"
title[miss]="mmsim demand-miss path"
title[opt]="mmsim OPT path"
demand="--mem 1G --swap 4G --frames 100000 --reclaim demand --tlb off"
args[hit]="--mem 64M hit.bin"
args[walk]="--mem 2G --swap 4G walk2m.bin"
args[miss]="$demand --policy lru zipf.bin"
args[opt]="$demand --policy opt zipf.bin"

for name in ${only//,/ }; do
	case $name in
	hit) stream hit "$work/hit.py" $((4000000 / div)) "$work/hit.txt" ;;
	walk) stream walk2m "$work/mk.py" 262144 $((2000000 / div)) L "$work/walk2m.txt" ;;
	miss | opt) stream zipf "$work/mk.py" 1048576 $((400000 / div)) S "$work/zipf.txt" ;;
	esac
	if [ "$perf" = 0 ]; then
		(cd "$work" && "$mmsim" run -q ${args[$name]} >/dev/null)
		echo "flamegraphs: $name: mmsim run -q ${args[$name]} (no perf)"
		continue
	fi
	(cd "$work" && perf record -q -e cpu-clock -F 9999 --call-graph dwarf,8192 -o "$name.data" \
		-- "$mmsim" run -q ${args[$name]} >/dev/null)
	# The folded stacks stay in the work directory (with --work) for counting shares.
	perf script -i "$work/$name.data" 2>/dev/null |
		"$py" "$src/scripts/flamegraph.py" --fold-only >"$work/$name.folded"
	"$py" "$src/scripts/flamegraph.py" --folded --title "${title[$name]}" \
		<"$work/$name.folded" >"$out/$name.svg.tmp"
	mv "$out/$name.svg.tmp" "$out/$name.svg"
	rm -f "$work/$name.data"
	echo "flamegraphs: $out/$name.svg (mmsim run -q ${args[$name]})"
done
