#!/usr/bin/env bash
# The sampled curves (SHARDS) on the real program's trace (tests/data/traces: zstd
# decompressing, 1.15M accesses) are pinned: `mmsim mrc --sample 0.01` (LRU and OPT, the
# fast skipping loop and the general path with a pre-pass), `--sample 0.1` and
# `--sample-max 1024` must write, byte for byte, the CSVs in tests/cli/golden_mrc/. A change
# that makes the sampled pass faster (reading, skipping, the probing machine) must leave
# them as they are; only a deliberate change of the estimate may rewrite them
# (MMSIM_GOLDEN_WRITE=1), and its commit says why.
#
#   test_mrc_sampled_golden.sh MMSIM_BINARY WORKDIR
set -u
mmsim=$1
work=$2
here=$(cd "$(dirname "$0")" && pwd)
golden=$here/golden_mrc
real=$here/../data/traces/zstd-d.trace.zst
mkdir -p "$work" && cd "$work" || exit 1
fail() { echo "test_mrc_sampled_golden: $*" >&2; exit 1; }

check() { # NAME POLICIES SAMPLE-OPTION...
	local name=$1 pol=$2
	shift 2
	"$mmsim" mrc -q --policy "$pol" "$@" --sizes 1:60000:x1.25 --csv "$name.csv" "$real" ||
		fail "$name: exit $?"
	if [ -n "${MMSIM_GOLDEN_WRITE:-}" ]; then
		cp "$name.csv" "$golden/zstd-d.$name.csv"
		return
	fi
	cmp -s "$name.csv" "$golden/zstd-d.$name.csv" ||
		fail "$name: the curve changed: $(diff "$golden/zstd-d.$name.csv" "$name.csv" | head -5)"
}

check sample-0.01 lru,opt --sample 0.01
check sample-0.1 lru --sample 0.1
check sample-max-1024 lru --sample-max 1024
