#!/usr/bin/env bash
# Differential test: mmsim's page walker against QEMU's x86 MMU (through Unicorn).
#
#   test_walk_diff.sh MMSIM_BINARY WORKDIR
#
# Generates a fixed-seed set of 2,500 walk vectors on Unicorn into WORKDIR, then checks
# them with `MMSIM_BINARY walk --vectors` and exits with its status. The generator and
# the vector format are described in docs/vectors.md.
set -u

if [ $# -ne 2 ]; then
	echo "usage: $0 MMSIM_BINARY WORKDIR" >&2
	exit 2
fi
mmsim=$1
work=$2
here=$(cd "$(dirname "$0")" && pwd)
# Debian's interpreter: python3-unicorn is installed for it, not for other Pythons on PATH.
python=/usr/bin/python3
seed=1
count=2500

if ! "$python" -c 'import unicorn' 2>/dev/null; then
	echo "test_walk_diff: $python cannot import the unicorn module; install it with:" >&2
	echo "  apt-get update && apt-get install -y python3-unicorn" >&2
	exit 77
fi

mkdir -p "$work" || exit 1
vectors=$work/walk-diff-seed$seed.jsonl
if ! "$python" "$here/gen_walk_vectors.py" --seed "$seed" --count "$count" --out "$vectors"; then
	echo "test_walk_diff: generating the vectors failed" >&2
	exit 1
fi
"$mmsim" walk --vectors "$vectors"
