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

case $target in
trace | trace_din | trace_pages | trace_oracle | trace_champsim | trace_csv | script | kernel | walk) ;;
*)
	echo "run_fuzz.sh: unknown target '$target' (want trace, trace_din, trace_pages, trace_oracle, trace_champsim, trace_csv, script, kernel or walk)" >&2
	exit 2
	;;
esac

# The library's version, as CMake passes it (project(mmsim VERSION ...)).
version=$(sed -n 's/^project(mmsim VERSION \([0-9.]*\).*/\1/p' "$root/CMakeLists.txt")
dict=""
[ -f "$here/$target.dict" ] && dict="$here/$target.dict"
mkdir -p "$out/corpus/$target" "$out/lib"
cflags="-g -O1 -std=c11 -D_GNU_SOURCE -Wall -Wextra -fno-sanitize-recover=all"
cflags="$cflags -DMMSIM_LIB_VERSION=\"$version\" -I$root/include -I$root/src"

# The whole library below the command (src/ but src/cli/), compiled once for every target
# into $out/lib/libmmsim_fuzz.a with libFuzzer's instrumentation, and again only when a
# source, a header or the flags change (a stamp of their contents). A target links what
# it calls from it: the trace targets only the trace layer and util, as before. Several
# run_fuzz.sh at once (make fuzz-ci) wait for one build under a lock.
lib=$out/lib/libmmsim_fuzz.a
(
	flock 8
	stamp=$(cd "$root" && {
		find src include -type f \( -name '*.c' -o -name '*.h' \) ! -path 'src/cli/*' | sort | xargs cat
		echo "$cc $cflags"
	} | sha1sum | cut -d' ' -f1)
	[ -f "$lib" ] && [ "$(cat "$out/lib/stamp" 2>/dev/null)" = "$stamp" ] && exit 0
	rm -f "$out/lib"/*.o "$lib" "$out/lib/stamp"
	# shellcheck disable=SC2016 # expanded by the inner sh
	find "$root/src" -name '*.c' ! -path '*/src/cli/*' | sort |
		CC="$cc" CFLAGS="$cflags" ROOT="$root" OBJ="$out/lib" xargs -P "${JOBS:-2}" -I{} sh -c '
			o=$OBJ/$(echo "{}" | sed "s|^$ROOT/src/||; s|/|_|g; s|\.c$|.o|")
			exec $CC $CFLAGS -fsanitize=fuzzer-no-link,address,undefined -c "{}" -o "$o"' ||
		exit 1
	ar rcs "$lib" "$out/lib"/*.o
	echo "$stamp" >"$out/lib/stamp"
) 8>"$out/lib/.lock" || { echo "run_fuzz.sh: building $lib failed" >&2; exit 1; }

# shellcheck disable=SC2086 # $cflags is a word list on purpose
"$cc" $cflags -fsanitize=fuzzer,address,undefined "$here/fuzz_$target.c" "$lib" \
	-lcjson -lzstd -lz -llzma -lpthread -lm -o "$out/fuzz_$target"

set -- -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
	-artifact_prefix="$out/" ${dict:+-dict="$dict"} "$@"
exec "$out/fuzz_$target" "$@" "$out/corpus/$target" "$here/corpus/$target"
