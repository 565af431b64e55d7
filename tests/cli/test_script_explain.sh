#!/usr/bin/env bash
# End-to-end: `mmsim script --explain` filters and per-expect verdicts (issue 13 §5):
# --process (a script process name or a pid), --events (fault, cow, reclaim, swap, tlb,
# frame, pte), --addr (START-END or one address's page, hexadecimal with or without 0x),
# combinable; with --explain every expect line is followed by its verdict.
#
#   test_script_explain.sh MMSIM_BINARY WORKDIR
set -u
mmsim=$1
work=$2
mkdir -p "$work" && cd "$work" || exit 1
fail() { echo "test_script_explain: $*" >&2; exit 1; }

# P writes two pages at fixed addresses (two demand-zero faults), forks Q, and Q writes the
# first page again: one copy-on-write fault, in Q.
cat >cow.mms <<'MMS'
config mem=16M swap=16M
spawn P
P map A 4 at=0x10000000
P write A 0-1
P fork Q
Q write A 0
expect Q minflt 1
expect P minflt == 3
expect P rss == 8
MMS
"$mmsim" script --explain cow.mms >all.txt 2>err.txt
[ $? -eq 1 ] || fail "one expectation fails: want exit 1"
grep -q '^  | page fault at 0x10001000' all.txt || fail "unfiltered: $(cat all.txt)"

# Per-expect verdicts: the line, what it wanted, what it got, pass or fail.
grep -qx '7: expect Q minflt 1' all.txt || fail "expect line missing"
grep -qx '  = PASS line 7: wanted Q minflt == 1, got 1' all.txt || fail "verdict 7: $(cat all.txt)"
grep -qx '  = FAIL line 8: wanted P minflt == 3, got 2' all.txt || fail "verdict 8"
grep -qx '  = PASS line 9: wanted P rss == 8 kB, got 8 kB' all.txt || fail "verdict 9"
grep -q 'cow.mms:8: expect P minflt == 3 failed: P minflt is 2' err.txt ||
	fail "the failure still goes to stderr: $(cat err.txt)"
# Without --explain, no verdict lines.
"$mmsim" script cow.mms >plain.txt 2>/dev/null
grep -q 'PASS\|FAIL' plain.txt && fail "verdicts without --explain"

# --events cow: the COW fault (with the page fault it answers), nothing else.
"$mmsim" script --explain --events cow cow.mms >cow.txt 2>/dev/null
grep -c '^  | ' cow.txt | grep -qx 2 || fail "events cow: want 2 event lines: $(cat cow.txt)"
grep -q '^  | page fault at 0x10000000, error code 0x7' cow.txt || fail "cow: the fault"
grep -q '^  | fault handler: copy-on-write' cow.txt || fail "cow: the decision"
grep -qx '6: Q write A 0' cow.txt || fail "cow: its command"
grep -q '^4: ' cow.txt && fail "cow: a command without cow events is shown"
grep -q 'TLB miss\|demand-zero' cow.txt && fail "cow: other events shown"
grep -qx '  = PASS line 7: wanted Q minflt == 1, got 1' cow.txt || fail "cow: verdicts kept"
# Filters imply --explain.
"$mmsim" script --events cow cow.mms >implied.txt 2>/dev/null
cmp -s cow.txt implied.txt || fail "--events without --explain differs"

# --events tlb: misses and walk steps only; two classes combine.
"$mmsim" script --explain --events tlb cow.mms >tlb.txt 2>/dev/null
grep '^  | ' tlb.txt | grep -v 'TLB miss\|TLB hit\|  walk \|TLB shootdown' | grep -q . &&
	fail "events tlb: other events: $(cat tlb.txt)"
grep -q 'TLB miss at 0x10000000' tlb.txt || fail "events tlb: no miss"
"$mmsim" script --explain --events fault,frame cow.mms >ff.txt 2>/dev/null
grep -q 'frame 0x.* allocated' ff.txt || fail "fault,frame: frames"
grep -q 'demand-zero' ff.txt || fail "fault,frame: faults"
grep -q 'TLB miss' ff.txt && fail "fault,frame: TLB shown"

# --process: by script name or by pid (P is pid 1, Q pid 2).
"$mmsim" script --explain --process Q cow.mms >q.txt 2>/dev/null
grep -q '^4: ' q.txt && fail "process Q: P's write shown"
grep -qx '6: Q write A 0' q.txt || fail "process Q: Q's write missing"
grep -q 'copy-on-write' q.txt || fail "process Q: the COW decision"
"$mmsim" script --explain --process 2 cow.mms >q2.txt 2>/dev/null
cmp -s q.txt q2.txt || fail "--process Q and --process 2 differ"
"$mmsim" script --explain --process P cow.mms >p.txt 2>/dev/null
grep -q 'copy-on-write' p.txt && fail "process P: Q's COW shown"
grep -q 'page fault at 0x10001000' p.txt || fail "process P: its own faults"

# --addr: one page, or START-END (END excluded), with or without 0x.
"$mmsim" script --explain --addr 10001000-10002000 cow.mms >a.txt 2>/dev/null
grep -q '0x10000000' a.txt && fail "addr: another page's events: $(cat a.txt)"
grep -q 'page fault at 0x10001000' a.txt || fail "addr: the page's fault"
grep -q 'frame 0x.* allocated: anonymous user page' a.txt || fail "addr: its frame"
"$mmsim" script --explain --addr 0x10001234 cow.mms >a2.txt 2>/dev/null
cmp -s a.txt a2.txt || fail "--addr ADDR is the page holding it"

# Combined: P's faults on the second page: the fault and the handler's decision.
"$mmsim" script --explain --process P --events fault --addr 0x10001000 cow.mms >c.txt 2>/dev/null
[ "$(grep -c '^  | ' c.txt)" = 2 ] || fail "combined: want 2 events: $(cat c.txt)"
grep -q 'page fault at 0x10001000' c.txt || fail "combined: the fault"
grep -q 'fault handler: demand-zero' c.txt || fail "combined: the decision"

# Bad filters are usage errors (exit 2) that say what is wanted; nothing runs.
"$mmsim" script --events cows cow.mms >out.txt 2>&1
[ $? -eq 2 ] || fail "--events cows: want exit 2"
grep -q "unknown event class 'cows' (want fault|cow|reclaim|swap|tlb|frame|pte)" out.txt ||
	fail "--events cows: $(cat out.txt)"
"$mmsim" script --addr 10zz cow.mms >out.txt 2>&1
[ $? -eq 2 ] || fail "--addr 10zz: want exit 2"
grep -q "hexadecimal" out.txt || fail "--addr 10zz: $(cat out.txt)"
"$mmsim" script --addr 2000-1000 cow.mms >out.txt 2>&1
[ $? -eq 2 ] || fail "--addr 2000-1000: want exit 2"
grep -q "end 0x1000 is not above start 0x2000" out.txt || fail "--addr reversed: $(cat out.txt)"
"$mmsim" script --process R cow.mms >out.txt 2>&1
[ $? -eq 2 ] || fail "--process R: want exit 2"
grep -q "no process 'R' in the script" out.txt || fail "--process R: $(cat out.txt)"
grep -q '^2: ' out.txt && fail "--process R: commands ran"

# The help and the man page name the filters.
"$mmsim" script --help | grep -q -- '--events' || fail "--help lacks --events"
exit 0
