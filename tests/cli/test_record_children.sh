#!/usr/bin/env bash
# End-to-end: `mmsim record` follows children and exec (issue 18). A shell script that forks
# and execs a child, runs a pipeline and finally execs another program is recorded whole:
# every process is in the trace under its own pid, the process table names them, and the
# merge keeps the order it promises (docs/trace-format.md, "Recording"): a child after its
# parent's fork, a parent's records after a wait for a child after all of that child's.
# The trace carries the fork, exec and exit events where the merge puts them, and replay
# acts on them (3 forks, 3 execs, 4 exits).
# Then: ^C (SIGINT to the whole process group, as a terminal sends it) and a process whose
# valgrind is killed: exit 130 / 1, no trace file (an older one stays), no temporary left.
# Without valgrind the test is skipped (exit 77).
#
#   test_record_children.sh MMSIM_BINARY WORKDIR
set -u
mmsim=$1
work=$2
mkdir -p "$work" && cd "$work" || exit 1
rm -rf ./*
fail() { echo "test_record_children: $*" >&2; exit 1; }

if ! command -v valgrind >/dev/null 2>&1; then
	echo "test_record_children: valgrind is not installed; skipped (apt-get install valgrind)"
	exit 77
fi
command -v setsid >/dev/null || { echo "test_record_children: no setsid; skipped"; exit 77; }

cat >kids.sh <<'SH'
#!/bin/sh
/bin/true
echo piped | cat
exec /bin/echo done
SH
chmod +x kids.sh
"$mmsim" record -o kids.trace -- ./kids.sh >kids.out 2>kids.err || fail "record: exit $? ($(cat kids.err))"
[ "$(cat kids.out)" = "$(printf 'piped\ndone')" ] || fail "the program's output: $(cat kids.out)"
grep -q 'accesses of 4 processes written to kids.trace' kids.err || fail "$(cat kids.err)"
# The process table: the script exec'd echo (1 exec), true and cat were exec'd in forked
# children, the pipeline's echo ran in a forked subshell (no exec).
grep -Eq '^ *[0-9]+ +[0-9]+ +1 +[0-9,]+  /bin/echo done$' kids.err || fail "$(cat kids.err)"
grep -Eq '^ *[0-9]+ +[0-9]+ +1 +[0-9,]+  /bin/true$' kids.err || fail "$(cat kids.err)"
grep -Eq '^ *[0-9]+ +[0-9]+ +1 +[0-9,]+  /usr/bin/cat$' kids.err || fail "$(cat kids.err)"
grep -Eq '^ *[0-9]+ +[0-9]+ +0 +[0-9,]+  \./kids\.sh$' kids.err || fail "$(cat kids.err)"
"$mmsim" run -q --json run.json kids.trace >/dev/null || fail "run: exit $?"
"$mmsim" convert -q --format lackey kids.trace kids.txt || fail "convert"
python3 - kids.err run.json kids.txt <<'PY' || fail "the merged trace"
import json, re, sys
table = [l.split() for l in open(sys.argv[1]) if re.match(r"^ *\d+ +\d+ +\d+ ", l)]
procs = {int(t[0]): {"parent": int(t[1]), "records": int(t[3].replace(",", "")),
                     "command": " ".join(t[4:])} for t in table}
top = [p for p, v in procs.items() if v["parent"] not in procs]
assert len(top) == 1, procs
top = top[0]
assert all(v["parent"] == top for p, v in procs.items() if p != top), procs
j = json.load(open(sys.argv[2]))
assert j["result"]["replay"]["processes"] == 4, j["result"]["replay"]
assert j["result"]["replay"]["events"] == {
    "forks": 3, "execs": 3, "exits": 4, "reclaims": 0, "switches": 0}, j["result"]["replay"]
# The pid of each record, in trace order, as runs of one pid; the events with the index of
# the record they follow.
runs, pid, events, n = [], 0, [], 0
for line in open(sys.argv[3]):
    if line.startswith("# mmsim pid "):
        pid = int(line.split()[3])
    elif line.startswith("# mmsim "):
        events.append((line.split()[2], [int(x) for x in line.split()[3:]], n))
    else:
        n += 1
        if not runs or runs[-1][0] != pid:
            runs.append([pid, 1])
        else:
            runs[-1][1] += 1
# Where each pid's records are: first and last record index.
span, k = {}, 0
for p, c in runs:
    span.setdefault(p, [k, k + c - 1])[1] = k + c - 1
    k += c
kinds = [e[0] for e in events]
assert sorted(kinds) == ["exec"] * 3 + ["exit"] * 4 + ["fork"] * 3, events
for kind, args, at in events:
    if kind == "fork":   # the top shell forks; the child's records all come after it
        assert args[0] == top and args[1] in procs and span[args[1]][0] >= at, (args, at, span)
        assert span[top][0] < at, (args, at)
    elif kind == "exec":  # between two images: records of the pid before and after it
        assert span[args[0]][0] < at <= span[args[0]][1], (args, at, span)
    else:                 # after the process's last record
        assert span[args[0]][1] < at, (args, at, span)
assert events[-1] == ("exit", [top], n), events[-1]  # the script (as echo) ends last
for p, v in procs.items():
    assert sum(n for q, n in runs if q == p) == v["records"] > 1000, (p, v, runs)
order = [p for p, _ in runs]
assert order[0] == top and order[-1] == top, order   # the script starts and (as echo) ends it
by_cmd = {v["command"]: p for p, v in procs.items()}
true = by_cmd["/bin/true"]
# /bin/true ran alone: the shell waited for it, nothing else existed yet: one run, between
# two runs of the shell.
i = order.index(true)
assert order.count(true) == 1 and order[i - 1] == top and order[i + 1] == top, order
# Both sides of the pipeline start after /bin/true has ended and end before the last exec's
# records (the shell waits for both before it execs echo).
for p in (by_cmd["./kids.sh"], by_cmd["/usr/bin/cat"]):
    first = order.index(p)
    last = len(order) - 1 - order[::-1].index(p)
    assert i < first and last < len(order) - 1, (p, order)
PY

# ^C: the terminal sends SIGINT to the whole foreground process group; here the program
# sends it itself (kill 0), so no timing is involved. mmsim ignores it, the program dies.
echo old >int.trace
setsid "$mmsim" record -o int.trace -- sh -c 'kill -INT 0; /bin/true' >/dev/null 2>int.err
rc=$?
[ $rc -eq 130 ] || fail "^C: want exit 130, got $rc ($(cat int.err))"
grep -q 'killed by signal 2 .*the recording is incomplete; int.trace was not written' int.err ||
	fail "^C: $(cat int.err)"
[ "$(cat int.trace)" = old ] || fail "^C: the older int.trace changed"

# ^C once the program has ended, while mmsim waits for a process that outlives it: the
# program ignores SIGINT and exits 0, its background child (ignoring it too) sends SIGINT
# to the group and sleeps 10 s. mmsim stops waiting at once: exit 130, no file.
echo old >late.trace
setsid "$mmsim" record -o late.trace -- sh -c 'trap "" INT; (kill -INT 0; exec sleep 10) & exit 0' \
	>/dev/null 2>late.err
rc=$?
[ $rc -eq 130 ] || fail "^C while waiting: want exit 130, got $rc ($(cat late.err))"
grep -q 'interrupted (^C) while waiting for 1 process that outlived the command: the recording is incomplete; late.trace was not written' late.err ||
	fail "^C while waiting: $(cat late.err)"
[ "$(cat late.trace)" = old ] || fail "^C while waiting: the older late.trace changed"

# A child's valgrind killed from outside (SIGKILL: no closing lines in its log): the
# script itself goes on and exits 0, but the trace would miss the rest of that child.
cat >victim.sh <<'SH'
#!/bin/sh
/bin/sh -c 'kill -KILL $PPID'
SH
chmod +x victim.sh
"$mmsim" record -o kill.trace -- sh -c './victim.sh; true' >/dev/null 2>kill.err
rc=$?
[ $rc -eq 1 ] || fail "killed valgrind: want exit 1, got $rc ($(cat kill.err))"
grep -q "1 process's log ends early (its valgrind was killed): the recording is incomplete; kill.trace was not written" kill.err ||
	fail "killed valgrind: $(cat kill.err)"
grep -q '  \./victim\.sh (its log ends early: valgrind was killed)$' kill.err ||
	fail "the table names the process: $(cat kill.err)"
[ ! -e kill.trace ] || fail "kill.trace was written"
ls -a | grep -q '\.tmp-' && fail "a temporary file was left: $(ls -a)"
echo "test_record_children: ok"
