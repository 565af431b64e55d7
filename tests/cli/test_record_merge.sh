#!/usr/bin/env bash
# `mmsim record`'s merge, without valgrind (issue 18): a stand-in `valgrind` first in PATH
# writes the per-process logs that valgrind would (lackey records, its banner lines,
# --trace-syscalls' fork and wait4 lines, docs/trace-format.md "Recording several
# processes"), for pids that cannot exist (above Linux's PID_MAX_LIMIT, 4194304), so every
# one of them is gone at once and the merge is deterministic. Each log appears complete
# (a hard link to a file written beforehand), in the order real processes would create them,
# before the top process's lines that fork them.
#
# The case: the top process forks a child with pid 4999990, waits for it, then forks a
# second child that gets the same pid (pid reuse), and waits for it too. The two are two
# processes: the second's log (4999990.3, a forked child's, so not an exec image) must not
# continue the first's, and its records must not be taken for the first's. The trace gives
# the second a fresh pid, 4999990 + 4194304 = 9194294, and replay accepts it; the same
# when the top process does not wait for the first child (then, under one pid, the second
# fork would name a process that has not exited yet in the trace).
#
#   test_record_merge.sh MMSIM_BINARY WORKDIR
set -u
mmsim=$1
work=$2
mkdir -p "$work" && cd "$work" || exit 1
rm -rf ./*
fail() { echo "test_record_merge: $*" >&2; exit 1; }

mkdir bin staged
cat >bin/valgrind <<'SH'
#!/bin/sh
# Stands in for valgrind: writes the logs of a top process (this shell) and two children.
for a in "$@"; do
	case $a in --log-file=*) log=${a#--log-file=} ;; esac
done
dir=${log%/*}
top=$$
# With WAIT=no, the top process does not wait for its first child (as when a child that
# daemonised is reaped by init): the merge runs it only after the top's second fork.
wait="SYSCALL[$top,1](61) sys_wait4 ( 4294967295, 0x1fff00025c, 0, 0x0 ) --> [async] ... 
--$top-- interrupted_syscall: tid=1, ip=0x580a7ec5, restart=False, sres.isErr=False, sres.val=4999990"
[ "${WAIT:-yes}" = no ] && wait="SYSCALL[$top,1](39) sys_getpid() --> [pre-success] Success(0x1)"
staged=$(dirname "$0")/../staged
# child FILE COMMAND RECORDS...: a child's log (banner, lackey records, closing line).
child() {
	f=$1 c=$2
	shift 2
	printf '==4999990== Command: %s\n==4999990== Parent PID: %s\n==4999990== \n' "$c" $top >"$f"
	printf '%s\n' "$@" >>"$f"
	echo '==4999990== Exit code:       0' >>"$f"
}
child "$staged/a" first ' L 10000000,8' ' S 10003000,8'
child "$staged/b" second ' L 10001000,8' ' S 10004000,8' ' S 10005000,8'
printf '==%s== Command: top\n==%s== Parent PID: 1\n==%s== \n' $top $top $top >"$staged/top"
cat >"$staged/top.rest" <<EOF
 S 10000000,8
SYSCALL[$top,1](58) sys_fork ( )   fork: process $top created child 4999990
$wait
 S 10001000,8
SYSCALL[$top,1](58) sys_fork ( )   fork: process $top created child 4999990
SYSCALL[$top,1](61) sys_wait4 ( 4294967295, 0x1fff00025c, 0, 0x0 ) --> [async] ... 
--$top-- interrupted_syscall: tid=1, ip=0x580a7ec5, restart=False, sres.isErr=False, sres.val=4999990
 S 10002000,8
==$top== Exit code:       0
EOF
# The top's log first, as valgrind starts there; the rest of it once the children's logs
# exist (this process is alive meanwhile, so mmsim waits for its lines).
ln "$staged/top" "$dir/$top.1"
ln "$staged/a" "$dir/4999990.2"
ln "$staged/b" "$dir/4999990.3"
cat "$staged/top.rest" >>"$staged/top"
SH
chmod +x bin/valgrind

PATH=$PWD/bin:$PATH "$mmsim" record -o reuse.trace -- top >out.txt 2>err.txt ||
	fail "record: exit $? ($(cat err.txt))"
# The process table: both children under their real pid, no exec; a note of the reuse.
for want in 'accesses of 3 processes written to reuse.trace' '^ *4999990 +[0-9]+ +0 +2  first$' \
	'^ *4999990 +[0-9]+ +0 +3  second$' \
	'^pid 4999990 was used again: its process 2 is pid 9194294 in the trace$'; do
	grep -Eq "$want" err.txt || fail "no '$want' in: $(cat err.txt)"
done
"$mmsim" convert -q --format lackey reuse.trace reuse.txt || fail "convert"
top=$(sed -n 's/^# mmsim pid //p' reuse.txt | head -1)
cat >want.txt <<EOF
# mmsim pid $top
 S 10000000,8
# mmsim fork $top 4999990
# mmsim pid 4999990
 L 10000000,8
 S 10003000,8
# mmsim exit 4999990
# mmsim pid $top
 S 10001000,8
# mmsim fork $top 9194294
# mmsim pid 9194294
 L 10001000,8
 S 10004000,8
 S 10005000,8
# mmsim exit 9194294
# mmsim pid $top
 S 10002000,8
# mmsim exit $top
EOF
diff want.txt reuse.txt >diff.txt || fail "the merged trace: $(cat diff.txt)"
"$mmsim" run -q --json run.json reuse.trace >/dev/null || fail "run: exit $?"
grep -q '"forks": 2, "execs": 0, "exits": 3' run.json ||
	python3 -c 'import json,sys; e=json.load(open("run.json"))["result"]["replay"]["events"]; sys.exit(e["forks"]!=2 or e["execs"]!=0 or e["exits"]!=3)' ||
	fail "replay: $(grep -o '"events": {[^}]*}' run.json)"

# Without the wait, the second fork comes before the first child's records in the merge:
# with the same pid in the trace, replay would refuse that fork (a live process).
WAIT=no PATH=$PWD/bin:$PATH "$mmsim" record -q -o nowait.trace -- top 2>err2.txt ||
	fail "record (no wait): exit $? ($(cat err2.txt))"
"$mmsim" convert -q --format lackey nowait.trace nowait.txt || fail "convert (no wait)"
grep -q '^# mmsim fork [0-9]* 9194294$' nowait.txt || fail "no fresh pid: $(cat nowait.txt)"
"$mmsim" run -q nowait.trace >/dev/null 2>run2.txt || fail "run (no wait): $(cat run2.txt)"
exit 0
