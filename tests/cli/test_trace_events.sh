#!/usr/bin/env bash
# End-to-end: trace events (fork, exec, exit, reclaim, shrink-all, switch; docs/trace-format.md)
# through `mmsim convert`: lackey text -> binary version 2 -> lackey gives the same bytes;
# formats without events refuse them (exit 2) or drop them loudly with --drop-events;
# malformed events are refused with the byte offset or line:column (exit 2).
#
#   test_trace_events.sh MMSIM_BINARY WORKDIR
set -u
mmsim=$1
work=$2
mkdir -p "$work" && cd "$work" || exit 1
fail() { echo "test_trace_events: $*" >&2; exit 1; }

rm -f out.din out.csv ev.bin ev.zst x
cat >ev.txt <<'TXT'
# mmsim pid 5
 S 00001000,8
# mmsim fork 5 300
# mmsim pid 300
 L 00001008,4
# mmsim exec 300
# mmsim exit 5
# mmsim reclaim 1048576 300
# mmsim reclaim 4096 all
# mmsim shrink-all
# mmsim switch
 L 00001010,4
TXT
"$mmsim" convert ev.txt ev.bin 2>msg.txt || fail "to binary: exit $? $(cat msg.txt)"
grep -q '3 records and 7 events written to ev.bin (binary)' msg.txt || fail "closing: $(cat msg.txt)"
# Version 2 header: magic, then 02 00.
[ "$(od -An -tx1 -j8 -N2 ev.bin | tr -d ' ')" = 0200 ] || fail "version field"
"$mmsim" convert -q --format lackey ev.bin back.txt || fail "to lackey: exit $?"
cmp -s ev.txt back.txt || { diff ev.txt back.txt; fail "lackey round trip changed bytes"; }
"$mmsim" convert -q --zstd ev.txt ev.zst && "$mmsim" convert -q --format lackey ev.zst z.txt &&
	cmp -s ev.txt z.txt || fail "zstd round trip"

# din cannot say fork: refused, and the output is not written.
"$mmsim" convert --format din ev.txt out.din 2>err.txt
[ $? -eq 2 ] || fail "din with events: want exit 2"
grep -q 'a fork event, which din cannot carry' err.txt || fail "din refusal: $(cat err.txt)"
[ ! -e out.din ] || fail "din output written despite the refusal"
# --drop-events: written, with a warning even under -q.
"$mmsim" convert -q --drop-events --format din ev.txt out.din 2>err.txt || fail "drop: exit $?"
grep -q 'warning: 7 events .* dropped: din cannot carry them' err.txt || fail "drop: $(cat err.txt)"
[ "$(wc -l <out.din)" -eq 3 ] || fail "din lines: $(cat out.din)"
"$mmsim" convert --drop-events --format csv ev.txt out.csv 2>err.txt || fail "csv drop"
grep -q 'warning: 7 events' err.txt || fail "csv drop: $(cat err.txt)"

# A version-1 file with an event control byte is refused as before; a malformed version-2
# event names its byte.
printf '\x89MMTR\r\n\x1a\x01\x00\x00\x00\x00\x00\x00\x00\x81\x05\x06\x80\x01' >v1ev.bin
"$mmsim" convert v1ev.bin x 2>err.txt
[ $? -eq 2 ] || fail "v1 event: want exit 2"
grep -q 'v1ev.bin: byte 16: unknown control byte 0x81' err.txt || fail "$(cat err.txt)"
printf '\x89MMTR\r\n\x1a\x02\x00\x00\x00\x00\x00\x00\x00\x84\x00\x00\x80\x01' >bad.bin
"$mmsim" convert bad.bin x 2>err.txt
[ $? -eq 2 ] || fail "reclaim 0: want exit 2"
grep -q 'bad.bin: byte 16: reclaim: 0 bytes' err.txt || fail "$(cat err.txt)"
printf '# mmsim fork 3 3\n' >bad.txt
"$mmsim" convert bad.txt x 2>err.txt
[ $? -eq 2 ] || fail "fork to itself: want exit 2"
grep -q 'bad.txt:1:16: fork: the child pid equals the parent' err.txt || fail "$(cat err.txt)"
# ---- Replay (mmsim run): fork is copy-on-write, exec and exit free memory --------------
# Counts worked out by hand from Linux's rules (DESIGN.md "Faults"), per step:
#   pid 1 writes A, B, C          3 demand-zero faults (pid 1: 3)
#   fork 1 -> 2                   2 shares A, B, C read-only; its 2 MiB region too
#   pid 2 reads A, B, C           mapped: no fault
#   pid 2 writes C                COW, 1 still maps C: copy (pid 2: 1)
#   pid 1 writes A                COW, 2 still maps A: copy (pid 1: 4)
#   exit 2                        frees 2's A and its copy of C; B's sharer is gone
#   pid 1 writes B                COW fault, sole user: reused, still a fault (pid 1: 5)
#   fork 1 -> 3, exec 3           3 gets an empty address space: no region mapped
#   pid 3 writes A                a new region, demand-zero (pid 3: 1)
# So: minflt 5, 1, 1; pgfault 7; anon pages at the end 3 + 1 = 4; 2 regions mapped.
# Without the events (the same records, each pid spawned empty, as before version 2):
# pid 2's three reads map the zero page (3 faults), its write copies it (1): 3 + 4 + 1 =
# 8 faults, 5 anon pages, 3 regions.
command -v python3 >/dev/null || { echo "python3 is missing" >&2; exit 77; }
cat >fork.txt <<'TXT'
# mmsim pid 1
 S 10000000,8
 S 10001000,8
 S 10002000,8
# mmsim fork 1 2
# mmsim pid 2
 L 10000000,8
 L 10001000,8
 L 10002000,8
 S 10002000,8
# mmsim pid 1
 S 10000000,8
# mmsim exit 2
 S 10001000,8
# mmsim fork 1 3
# mmsim exec 3
# mmsim pid 3
 S 10000000,8
TXT
grep -v '^# mmsim [fe]' fork.txt >nofork.txt
"$mmsim" convert -q fork.txt fork.bin || fail "fork.bin"
for t in fork.txt fork.bin nofork.txt; do
	"$mmsim" run -q --reclaim linux --json "$t.json" "$t" >/dev/null || fail "run $t: exit $?"
done
check() { # FILE EXPECTED: "minflt,... pgfault anon regions states events"
	python3 - "$1" "$2" <<'PY' || fail "$1: $(cat "$1" | head -c 300)"
import json, sys
d = json.load(open(sys.argv[1]))
got = "%s %d %d %d %s %s" % (
    ",".join(str(p["minflt"]) for p in d["processes"]),
    d["counters"]["pgfault"], d["counters"]["nr_anon_pages"],
    d["result"]["replay"]["regions_mapped"],
    ",".join(p["state"] for p in d["processes"]),
    ",".join("%s=%d" % kv for kv in sorted(d["result"]["replay"].get("events", {}).items())))
if got != sys.argv[2]:
    sys.exit("got  %s\nwant %s" % (got, sys.argv[2]))
PY
}
check fork.txt.json "5,1,1 7 4 2 running,exited,running execs=1,exits=1,forks=2,reclaims=0,switches=0"
check fork.bin.json "5,1,1 7 4 2 running,exited,running execs=1,exits=1,forks=2,reclaims=0,switches=0"
check nofork.txt.json "3,4,1 8 5 3 running,running,running "

# reclaim 4096 from pid 1 pages one page out (process_madvise(MADV_PAGEOUT): no pgsteal);
# shrink-all then swaps out the other 3 resident pages (direct reclaim: pgsteal_direct 3).
{ cat fork.txt; printf '# mmsim reclaim 4096 1\n# mmsim switch\n# mmsim shrink-all\n'; } >rec.txt
"$mmsim" run -q --reclaim linux --json rec.json rec.txt >/dev/null || fail "run rec.txt: exit $?"
python3 - <<'PY' || fail "reclaim counts"
import json
d = json.load(open("rec.json"))
c = d["counters"]
got = (c["pswpout"], c["nr_anon_pages"], c["pgsteal_direct"], d["result"]["replay"]["events"])
want = (4, 0, 3, {"forks": 2, "execs": 1, "exits": 1, "reclaims": 2, "switches": 1,
                  "after_last_switch": {"records_before": 10, "page_faults": 0,
                                        "major_faults": 0, "swap_ins": 0}})
assert got == want, "got %r, want %r" % (got, want)
PY
"$mmsim" run --reclaim linux rec.txt 2>&1 | grep -q 'trace events: 2 forks, 1 execs, 1 exits, 2 reclaims' ||
	fail "the text report names the events"

# A switch mark after shrink-all: pid 1 reads A and B again, both on swap (one major
# fault and one page read each); the report says what came after the mark.
{ cat fork.txt; printf '# mmsim shrink-all\n# mmsim switch\n# mmsim pid 1\n L 10000000,8\n L 10001000,8\n'; } >sw.txt
"$mmsim" run --reclaim linux sw.txt >sw.out 2>&1 || fail "run sw.txt: exit $?"
grep -q 'after the last workload switch (after record 10): 2 page faults, 2 major, 2 pages swapped in' sw.out ||
	fail "after the switch: $(cat sw.out)"

# mrc does not model events, and says so.
"$mmsim" mrc -q fork.txt >/dev/null 2>err.txt || fail "mrc: exit $?"
grep -q "note: the trace's 4 events .* are not modelled by the curves" err.txt || fail "$(cat err.txt)"

# Events about processes that do not exist are errors (exit 2), with the place.
printf '# mmsim exit 9\n L 10000000,4\n' >bad.txt
"$mmsim" run -q bad.txt 2>err.txt
[ $? -eq 2 ] || fail "exit of an unknown pid: want exit 2"
grep -q 'exit of unknown pid 9' err.txt || fail "$(cat err.txt)"
printf ' L 10000000,4\n# mmsim pid 1\n L 10000000,4\n# mmsim fork 0 1\n' >bad.txt
"$mmsim" run -q bad.txt 2>err.txt
[ $? -eq 2 ] || fail "fork onto a live pid: want exit 2"
grep -q 'pid 0 forks pid 1, which is a process already' err.txt || fail "$(cat err.txt)"
echo "test_trace_events: ok"
