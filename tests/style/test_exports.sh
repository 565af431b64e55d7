#!/usr/bin/env bash
# tests/style/test_exports.sh: libmmsim.so exports exactly the public API (issue 18): every
# function declared in include/mmsim/*.h carries MMSIM_API and is exported, and nothing else
# is (the library builds with -fvisibility=hidden). First proves the check can fail: a
# planted internal symbol, a public function missing from the export list and a copy of the
# headers with a declaration lacking MMSIM_API must each be reported.
#   test_exports.sh MMSIM_BINARY WORKDIR
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
lib=$(dirname "$(realpath "$1")")/libmmsim.so
work=$2
check=$top/tests/style/check_exports.py
command -v python3 >/dev/null || { echo "python3 is missing" >&2; exit 77; }
command -v nm >/dev/null || { echo "nm (binutils) is missing" >&2; exit 77; }
[ -f "$lib" ] || { echo "test_exports: no $lib" >&2; exit 1; }
fail() { echo "test_exports: $*" >&2; exit 1; }

rm -rf "$work" && mkdir -p "$work/inc" || exit 1
# A --coverage build (make coverage, make test) links gcov's runtime into the library, with
# its own default-visibility symbols (__gcov_*, mangle_path): not the library's to answer for.
nm -D --defined-only "$lib" | awk '{ print $NF }' | sed 's/@.*//' |
	grep -Ev '^(__gcov_.*|mangle_path)$' >"$work/syms" || fail "nm"
grep -qx mmsim_system_create "$work/syms" || fail "mmsim_system_create is not exported"
python3 "$check" "$top/include" --symbols "$work/syms" >/dev/null 2>&1 ||
	fail "the library's own list fails: $(python3 "$check" "$top/include" --symbols "$work/syms")"

# An internal function leaking out.
{ cat "$work/syms"; echo buddy_alloc; } >"$work/planted"
out=$(python3 "$check" "$top/include" --symbols "$work/planted" 2>/dev/null)
[ $? = 1 ] || fail "planted export buddy_alloc not refused"
grep -qF "exports buddy_alloc, which no public header declares" <<<"$out" || fail "report: $out"

# A public function the library forgot to export.
grep -vx mmsim_version "$work/syms" >"$work/planted"
out=$(python3 "$check" "$top/include" --symbols "$work/planted" 2>/dev/null)
[ $? = 1 ] || fail "missing export mmsim_version not refused"
grep -qF "mmsim_version is declared but the library does not export it" <<<"$out" ||
	fail "report: $out"

# A declaration without the export macro.
cp -r "$top/include/mmsim" "$work/inc/"
printf '\n/* planted */\nint mmsim_planted(int x,\n\t\t   int y);\n' >>"$work/inc/mmsim/mmu.h"
{ cat "$work/syms"; echo mmsim_planted; } >"$work/planted"
out=$(python3 "$check" "$work/inc" --symbols "$work/planted" 2>/dev/null)
[ $? = 1 ] || fail "declaration without MMSIM_API not refused"
grep -qE "include/mmsim/mmu.h:[0-9]+: mmsim_planted is declared without MMSIM_API" <<<"$out" ||
	fail "report: $out"

# The real library (its export list as read above).
python3 "$check" "$top/include" --symbols "$work/syms"
