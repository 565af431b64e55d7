#!/usr/bin/env bash
# The installed library as a new user meets it (issue 18): `cmake --install` into a
# scratch prefix, then a fresh program built with nothing but `pkg-config --cflags --libs
# mmsim` calls mmsim_version() and runs without LD_LIBRARY_PATH (the --libs carry an
# rpath). The flags must not pull in the private dependencies'
# include paths (-I/usr/include/cjson): the public headers include none of them.
#
#   test_pkgconfig.sh MMSIM_BINARY WORKDIR
set -u
mmsim=$(realpath "$1")
work=$(mkdir -p "$2" && cd "$2" && pwd)
build=$(dirname "$mmsim")
fail() { echo "test_pkgconfig: $*" >&2; exit 1; }
command -v pkg-config >/dev/null || { echo "pkg-config is missing" >&2; exit 77; }
command -v cc >/dev/null || { echo "cc is missing" >&2; exit 77; }
cd "$work" || exit 1
rm -rf prefix
cmake --install "$build" --prefix "$work/prefix" >install.log 2>&1 || fail "install: $(tail -3 install.log)"
pc=$(find prefix -name mmsim.pc | head -1)
[ -n "$pc" ] || fail "no mmsim.pc installed"
export PKG_CONFIG_PATH=$work/$(dirname "$pc")
cflags=$(pkg-config --cflags mmsim) || fail "pkg-config --cflags"
case $cflags in *cjson* | *zstd* | *lzma*) fail "--cflags pulls in a private dependency: $cflags" ;; esac
cat >prog.c <<'C'
#include <stdio.h>
#include <mmsim/mmsim.h>
#include <mmsim/mmu.h>
#include <mmsim/trace.h>
int main(void)
{
	printf("%s %llu\n", mmsim_version(), (unsigned long long)MMSIM_PAGE_SIZE_2M);
	return 0;
}
C
# A sanitizer build's library needs the sanitizer runtimes first in the program too
# (ASan refuses to start otherwise): build the fresh program the way the library was.
san=
lib=$(find prefix -name 'libmmsim.so*' | head -1)
if [ -n "$lib" ] && readelf -d "$lib" 2>/dev/null | grep -q 'libasan'; then
	san="-fsanitize=address,undefined"
fi
# shellcheck disable=SC2046,SC2086
cc -std=c11 -Wall -Werror $san $cflags prog.c -o prog $(pkg-config --libs mmsim) 2>cc.log ||
	fail "a fresh program does not build: $(cat cc.log)"
# Found without LD_LIBRARY_PATH: pkg-config's --libs carry an rpath to the libdir.
out=$(env -u LD_LIBRARY_PATH ./prog) || fail "prog: exit $? (libmmsim.so not found?)"
version=$("$mmsim" --version | awk '{ print $2 }')
[ "$out" = "$version 2097152" ] || fail "prog says '$out', want '$version 2097152'"
exit 0
