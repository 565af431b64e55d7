#!/usr/bin/env bash
# The Python package installs offline with Debian's tools alone (issue 18):
# `pip install --no-build-isolation --no-index --target SCRATCH ./python` with
# python3-pip, python3-setuptools and python3-wheel, nothing from PyPI; the installed
# copy then imports and runs against this build's library.
#
#   test_install.sh MMSIM_BINARY WORKDIR
set -u
mmsim=$(realpath "$1")
work=$(mkdir -p "$2" && cd "$2" && pwd)
src=$(cd "$(dirname "$0")/../.." && pwd)
build=$(dirname "$mmsim")
py=/usr/bin/python3
fail() { echo "test_install: $*" >&2; exit 1; }
[ -x $py ] || { echo "test_install: $py is missing" >&2; exit 77; }
$py -m pip --version >/dev/null 2>&1 || {
	echo "test_install: pip is missing (Debian: python3-pip)" >&2
	exit 77
}
cd "$work" || exit 1
rm -rf target pkg
# pip builds in place: a copy keeps the source tree free of build/ and *.egg-info.
cp -r "$src/python" pkg
PIP_NO_INDEX=1 PIP_DISABLE_PIP_VERSION_CHECK=1 \
	$py -m pip install -q --no-build-isolation --no-index --target target ./pkg >pip.log 2>&1 ||
	fail "pip install: $(tail -5 pip.log)"
[ -f target/mmsim/__init__.py ] || fail "target/mmsim/__init__.py not installed"
[ -f target/mmsim/py.typed ] || fail "target/mmsim/py.typed not installed"
# An ASan build's library needs its sanitizer runtimes loaded first (test_python.sh).
lib=$build/libmmsim.so
if readelf -d "$lib" 2>/dev/null | grep -q 'libasan'; then
	pre=""
	for rt in libasan libubsan; do
		readelf -d "$lib" | grep -q "$rt" || continue
		f=$(ldd "$lib" | awk -v rt="$rt" '$1 ~ "^"rt { print $3 }')
		[ -n "$f" ] || { echo "test_install: $rt of $lib not found (ldd)" >&2; exit 77; }
		pre="$pre${pre:+:}$f"
	done
	export LD_PRELOAD=$pre
	export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0
fi
out=$(cd / && PYTHONPATH=$work/target MMSIM_LIBRARY=$build/libmmsim.so $py -c \
	'import mmsim; print(mmsim.__file__); print(mmsim.version())') || fail "import: $out"
case $out in "$work/target/mmsim/"*) ;; *) fail "imported from elsewhere: $out" ;; esac
version=$("$mmsim" --version | awk '{ print $2 }')
[ "$(echo "$out" | tail -1)" = "$version" ] || fail "version '$out', want '$version'"
exit 0
