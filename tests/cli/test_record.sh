#!/usr/bin/env bash
# End-to-end: `mmsim record` runs a real program under valgrind's lackey and writes a zstd
# binary trace, which `mmsim run` replays; the same trace as lackey text replays the same.
# Without valgrind the test is skipped: it exits 77, which ctest reports as skipped
# (SKIP_RETURN_CODE in tests/tests.cmake); valgrind is in the test packages, scripts/deps.sh.
#
#   test_record.sh MMSIM_BINARY WORKDIR
set -u
mmsim=$1
work=$2
mkdir -p "$work" && cd "$work" || exit 1
fail() { echo "test_record: $*" >&2; exit 1; }

if ! command -v valgrind >/dev/null 2>&1; then
	echo "test_record: valgrind is not installed; skipped (apt-get install valgrind)"
	exit 77
fi
rm -f true.trace
"$mmsim" record -q -o true.trace -- /bin/echo recorded >echo.out 2>record.err ||
	fail "record: exit $? ($(cat record.err))"
grep -qx recorded echo.out || fail "the program's own output must pass through"
head -c 4 true.trace | od -An -tx1 | grep -q '28 b5 2f fd' || fail "want a zstd file"
"$mmsim" run -q --json run.json true.trace >run.out || fail "run: exit $?"
python3 - run.json <<'PY' || fail "the replay of a real program"
import json, sys
j = json.load(open(sys.argv[1]))
inp, rep = j["input"], j["result"]["replay"]
assert inp["format"] == "binary" and inp["compression"] == "zstd", inp
assert rep["records"] > 10000, rep
assert rep["fetches"] > 0 and rep["loads"] > 0 and rep["stores"] > 0, rep
assert rep["processes"] == 1, rep
assert rep["segv_maperr"] == 0 and rep["segv_accerr"] == 0, rep
assert j["summary"]["minor_faults"] > 10, j["summary"]
PY
"$mmsim" convert -q --format lackey true.trace true.txt || fail "convert to lackey"
grep -q '^I  ' true.txt || fail "lackey text has instruction lines"
"$mmsim" run -q true.txt >text.out || fail "run text: exit $?"
diff <(grep -v -e '^mmsim run:' -e '^time:' run.out) \
	<(grep -v -e '^mmsim run:' -e '^time:' text.out) || fail "text and binary differ"

# Errors: valgrind cannot run the program; bad usage.
"$mmsim" record -q -o x.trace -- ./no-such-program >/dev/null 2>err.txt
[ $? -eq 2 ] || fail "a missing program: want exit 2"
grep -q "could it run './no-such-program'" err.txt || fail "message: $(cat err.txt)"
"$mmsim" record -- /bin/true >/dev/null 2>err.txt
[ $? -eq 2 ] && grep -q 'missing -o FILE' err.txt || fail "missing -o"
"$mmsim" record -o y.trace >/dev/null 2>err.txt
[ $? -eq 2 ] && grep -q 'missing COMMAND' err.txt || fail "missing COMMAND"
echo "test_record: ok"
