#!/usr/bin/env bash
# tests/style/test_tests_mirror.sh: tests mirror modules (STYLE.md §10, issue 12 item 6).
# Every src/<folder>/<module>.c has tests/unit/<layer>/test_<module>.c, or its folder's
# README.md names <module>.c in its Tests section together with the test that covers it.
#   test_tests_mirror.sh MMSIM_BINARY WORKDIR   (both unused: it reads the source tree)
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
bad=0
for f in $(find src -name '*.c' | sort); do
	dir=$(dirname "$f")
	mod=$(basename "$f" .c)
	layer=$(echo "$dir" | cut -d/ -f2)
	[ -f "tests/unit/$layer/test_$mod.c" ] && continue
	readme=$dir/README.md
	if [ ! -f "$readme" ]; then
		echo "$f: no tests/unit/$layer/test_$mod.c and no $readme"
		bad=$((bad + 1))
	elif ! sed -n '/^\*\*Tests\*\*\|^## Tests/,$p' "$readme" | grep -qw "$mod\.c"; then
		echo "$f: no tests/unit/$layer/test_$mod.c, and $readme's Tests section does not name $mod.c"
		bad=$((bad + 1))
	fi
done
[ $bad = 0 ] || { echo "test_tests_mirror: $bad module(s) without a test or a README line"; exit 1; }
echo "test_tests_mirror: every module has its test file or a README line naming its test"
