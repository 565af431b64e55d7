#!/usr/bin/env bash
# End-to-end: `mmsim run`'s report shows huge-page figures when the run had any, and
# nothing new when it had none (issue 20: "the main job's report shows file and huge-page
# figures when they are non-zero"). A trace worked out by hand, with thp=always:
# pid 0 stores to 16 pages of one 2 MiB region (the replay maps 2 MiB regions, aligned)
# and loads them again: one THP fault maps a huge page, the other accesses hit it (1 fault).
# pid 5 reads 4 pages of another region (the huge zero page: 1 fault) and writes one: a
# new huge page replaces the huge zero page (Linux 6.13+ do_huge_zero_wp_pmd(): 1 fault).
# 3 faults, thp_fault_alloc 2, no PMD split, AnonHugePages 4096 kB at the end.
#
#   test_run_file_huge.sh MMSIM_BINARY WORKDIR
set -u
mmsim=$1
work=$2
mkdir -p "$work" && cd "$work" || exit 1
fail() { echo "test_run_file_huge: $*" >&2; exit 1; }
{
	for i in $(seq 0 15); do printf ' S %x,8\n' $((0x10000000 + i * 4096)); done
	for i in $(seq 0 15); do printf ' L %x,8\n' $((0x10000000 + i * 4096)); done
	echo '# mmsim pid 5'
	for i in 0 1 2 3; do printf ' L %x,4\n' $((0x20000000 + i * 4096)); done
	printf ' S %x,4\n' $((0x20000000 + 4096))
} >hand.txt

"$mmsim" run -q --config thp=always --json huge.json hand.txt >huge.out || fail "thp=always: exit $?"
grep -q '^page faults  *3   minor 3, major 0$' huge.out || { cat huge.out; fail "want 3 faults"; }
grep -q '^huge pages  *4,096 kB   AnonHugePages at the end; THP faults 2, fallbacks 0 .*PMDs split 0$' \
	huge.out || { cat huge.out; fail "want the huge-page line"; }
grep -q '^page cache\|^compaction' huge.out && { cat huge.out; fail "no file or compaction line wanted"; }
/usr/bin/python3 - huge.json <<'PY' || fail "JSON: see above"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["summary"]["anon_huge_kb"] == 4096, d["summary"]
assert "cached_kb" not in d["summary"], d["summary"]
c = d["counters"]
assert c["thp_fault_alloc"] == 2 and "thp_split_pmd" not in c, c
assert "thp_fault_fallback" not in c and "file_faults" not in c, c
PY

# The same trace without huge pages (thp=madvise, the default): no new line, no new key.
"$mmsim" run -q --json plain.json hand.txt >plain.out || fail "default: exit $?"
grep -q '^huge pages\|^page cache\|^compaction' plain.out && { cat plain.out; fail "lines for nothing"; }
/usr/bin/python3 - plain.json <<'PY' || fail "JSON: see above"
import json, sys
d = json.load(open(sys.argv[1]))
assert "anon_huge_kb" not in d["summary"] and "cached_kb" not in d["summary"], d["summary"]
assert not [k for k in d["counters"] if k.startswith(("thp_", "file_", "compact_"))], d["counters"]
PY
echo "test_run_file_huge: passed"
