#!/usr/bin/env bash
# The run report says why Clock (and NRU) can act almost like FIFO with a TLB: the CPU sets
# A bits only when it fills a TLB entry (issue 14 item 8), and says how to run without one;
# with --tlb off, or another policy, the note is absent. The note depends on the policy and
# the TLB only, so the quickest swapping workload (grow) serves.
#
#   test_clock_note.sh MMSIM_BINARY WORKDIR
set -u
mmsim=$1
work=$2
mkdir -p "$work" && cd "$work" || exit 1
fail() { echo "test_clock_note: $*" >&2; exit 1; }

"$mmsim" run --workload grow --policy clock >clock.txt 2>&1 || fail "clock run: exit $?"
grep -q "policy clock sees A bits" clock.txt || fail "no note with clock: $(head -8 clock.txt)"
grep -q -- "--tlb off gives the textbook clock" clock.txt || fail "no way out named"
"$mmsim" run --workload grow --policy clock --tlb off >off.txt 2>&1 || fail "tlb off: exit $?"
grep -q "sees A bits" off.txt && fail "note printed with --tlb off"
"$mmsim" run --workload grow --policy fifo >fifo.txt 2>&1 || fail "fifo run: exit $?"
grep -q "sees A bits" fifo.txt && fail "note printed for fifo"
exit 0
