#!/usr/bin/env bash
# tests/style/test_format.sh: every C file in the tree is as the checked-in .clang-format
# lays it out (STYLE.md §11). Run `make format` to fix.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
if ! command -v clang-format >/dev/null; then
	echo "clang-format is missing: apt-get install -y clang-format" >&2
	exit 77
fi
files=$(git ls-files '*.c' '*.h' 2>/dev/null || find src include tests bench -name '*.[ch]')
# shellcheck disable=SC2086
if clang-format --dry-run --Werror $files >/dev/null 2>&1; then
	echo "format: every C file is as .clang-format lays it out"
	exit 0
fi
bad=0
for f in $files; do
	if ! clang-format --dry-run --Werror "$f" >/dev/null 2>&1; then
		echo "not formatted: $f (make format fixes it)"
		bad=$((bad + 1))
	fi
done
echo "format: $bad file(s) differ from .clang-format"
exit 1
