#!/usr/bin/env bash
# tests/style/test_layers.sh: no include and no call points up the layer order in
# docs/architecture.md (issue 12). First proves the check can fail: in a copy of the tree it
# plants an upward include (mm → kernel), a peer include above the API (script → replay's
# private header) and an upward call (an mm object calling mmsim_check() in src/api), and
# wants each reported; then checks the real tree and the library's objects.
#   test_layers.sh MMSIM_BINARY WORKDIR
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
objdir=$(dirname "$(realpath "$1")")/CMakeFiles/mmsim_obj.dir
work=$2
check=$top/tests/style/check_layers.py
command -v python3 >/dev/null || { echo "python3 is missing" >&2; exit 77; }
command -v nm >/dev/null || { echo "nm (binutils) is missing" >&2; exit 77; }
[ -d "$objdir/src" ] || { echo "no library objects in $objdir" >&2; exit 1; }
fail() { echo "test_layers: $*" >&2; exit 1; }

rm -rf "$work" && mkdir -p "$work/tree/docs" "$work/obj" || exit 1
cp -r "$top/src" "$top/include" "$work/tree/" && cp "$top/docs/architecture.md" "$work/tree/docs/"
cp -r "$objdir/src" "$work/obj/"
python3 "$check" "$work/tree" "$work/obj" >/dev/null || fail "the unchanged copy fails"

plant() { # file, line to add, what the report must contain
	cp "$work/tree/$1" "$work/saved"
	echo "$2" >>"$work/tree/$1"
	out=$(python3 "$check" "$work/tree")
	rc=$?
	mv "$work/saved" "$work/tree/$1"
	[ $rc = 1 ] || fail "planted '$2' in $1: check exited $rc, want 1"
	grep -qF "$3" <<<"$out" || fail "planted '$2' in $1: report lacks '$3': $out"
}
plant src/mm/buddy.c '#include "kernel/system.h"' 'src/mm/buddy.c:'
plant src/report/vmstat.c '#include "mmsim/mmsim.h"' 'a higher layer'
plant src/script/run.c '#include "trace/trace_reader.h"' 'above api'

if command -v cc >/dev/null; then
	printf 'int mmsim_check(void *s, void *e);\nint up(void) { return mmsim_check(0, 0); }\n' \
		>"$work/up.c"
	cc -c -o "$work/obj/src/mm/planted_up.c.o" "$work/up.c" || fail "cc"
	out=$(python3 "$check" "$work/tree" "$work/obj")
	[ $? = 1 ] || fail "planted call mm → api not reported"
	grep -qF "src/mm/planted_up.c.o: calls mmsim_check()" <<<"$out" || fail "report: $out"
fi

python3 "$check" "$top" "$objdir"
