#!/usr/bin/env bash
# The Python package (python/, issue 18) under pytest, against the library and the command
# of this build: MMSIM_LIBRARY is the build's libmmsim.so, MMSIM_BINARY its mmsim, so
# every Python result is compared with the command line's on the same input. Builds
# nothing. Debian's interpreter (/usr/bin/python3) is used: its python3-pytest and
# python3-pandas are not in other interpreters on PATH.
#
# An ASan build's library cannot be loaded into a Python that was not started with the
# ASan runtime ("ASan runtime does not come first in initial library list"): the runtimes
# the library links (readelf -d) are then preloaded, with leak detection off (the
# interpreter's own allocations at exit are not mmsim's leaks; the C suites check those).
#
#   test_python.sh MMSIM_BINARY WORKDIR
set -u
mmsim=$(realpath "$1")
work=$(mkdir -p "$2" && cd "$2" && pwd)
src=$(cd "$(dirname "$0")/../.." && pwd)
build=$(dirname "$mmsim")
py=/usr/bin/python3
[ -x $py ] || { echo "test_python: $py is missing" >&2; exit 77; }
$py -c 'import pytest' 2>/dev/null || {
	echo "test_python: pytest is missing (Debian: python3-pytest)" >&2
	exit 77
}
lib=$build/libmmsim.so
[ -e "$lib" ] || { echo "test_python: $lib is missing" >&2; exit 1; }
export MMSIM_LIBRARY=$lib MMSIM_BINARY=$mmsim PYTHONDONTWRITEBYTECODE=1
if readelf -d "$lib" 2>/dev/null | grep -q 'libasan'; then
	pre=""
	for rt in libasan libubsan; do
		readelf -d "$lib" | grep -q "$rt" || continue
		f=$(ldd "$lib" | awk -v rt="$rt" '$1 ~ "^"rt { print $3 }')
		[ -n "$f" ] || { echo "test_python: $rt of $lib not found (ldd)" >&2; exit 77; }
		pre="$pre${pre:+:}$f"
	done
	export LD_PRELOAD=$pre
	export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0
fi
cd "$work" || exit 1
exec $py -m pytest -q -p no:cacheprovider --basetemp="$work/tmp" "$src/python/tests"
