#!/bin/sh
# tests/fuzz/run_fuzz.sh: build a libFuzzer target with ASan and UBSan and run it for a while.
#
#   tests/fuzz/run_fuzz.sh [SECONDS [TARGET [LIBFUZZER OPTIONS...]]]
#
# SECONDS defaults to 60, TARGET to trace (tests/fuzz/fuzz_TARGET.c, with the dictionary
# tests/fuzz/TARGET.dict when there is one). The seeds in
# tests/fuzz/corpus/TARGET/ are only read; what the fuzzer learns goes to
# $MMSIM_FUZZ_DIR/corpus/TARGET (default build-fuzz/ at the top of the tree), and a crashing
# input to $MMSIM_FUZZ_DIR/crash-*. Not part of `make test`: it takes as long as it is told.
# CC defaults to clang-14, or clang.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
secs=${1:-60}
target=${2:-trace}
[ $# -gt 2 ] && shift 2 || set --
out=${MMSIM_FUZZ_DIR:-$root/build-fuzz}
cc=${CC:-$(command -v clang-14 || command -v clang)}

# Each target's sources and libraries: only the layer it fuzzes and what that needs.
case $target in
trace | trace_din | trace_pages | trace_oracle | trace_champsim | trace_csv)
	srcs="$root/src/trace/trace_*.c $root/src/util/*.c"
	libs="-lzstd -lz -llzma"
	;;
script | kernel | walk)
	# The whole library below the command (the script parser's size and address words,
	# the machine, or the standalone MMU).
	srcs=$(find "$root/src" -name '*.c' ! -path '*/src/cli/*' | sort)
	libs="-lcjson -lzstd -lz -llzma -lpthread -lm"
	;;
*)
	echo "run_fuzz.sh: unknown target '$target' (want trace, trace_din, trace_pages, trace_oracle, trace_champsim, trace_csv, script, kernel or walk)" >&2
	exit 2
	;;
esac

# The library's version, as CMake passes it (project(mmsim VERSION ...)).
version=$(sed -n 's/^project(mmsim VERSION \([0-9.]*\).*/\1/p' "$root/CMakeLists.txt")
dict=""
[ -f "$here/$target.dict" ] && dict="$here/$target.dict"
mkdir -p "$out/corpus/$target"
# shellcheck disable=SC2086 # $srcs and $libs are word lists on purpose
"$cc" -g -O1 -std=c11 -D_GNU_SOURCE -Wall -Wextra \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	-DMMSIM_LIB_VERSION="\"$version\"" -I"$root/include" -I"$root/src" \
	"$here/fuzz_$target.c" $srcs $libs -o "$out/fuzz_$target"

set -- -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
	-artifact_prefix="$out/" ${dict:+-dict="$dict"} "$@"
exec "$out/fuzz_$target" "$@" "$out/corpus/$target" "$here/corpus/$target"
