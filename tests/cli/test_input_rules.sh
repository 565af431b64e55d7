#!/usr/bin/env bash
# End-to-end: input is either understood or refused (issue 13 §1), through run, sweep and
# convert; exit status and message checked each time.
#   - a file in no known format: exit 2, "FILE: not a memory trace (...; first line: ...)";
#   - valgrind's own lines (==PID==, --PID--) skipped and counted in the report;
#   - any other unparsable line: exit 2, "FILE:LINE:COL: reason";
#   - 0 records: exit 2 unless --allow-empty;
#   - a truncated mmsim binary trace (magic only, partial header, partial record, no end
#     marker): exit 2 naming the byte offset.
#
#   test_input_rules.sh MMSIM_BINARY WORKDIR
set -u
mmsim=$(realpath "$1")
work=$2
mkdir -p "$work" && cd "$work" || exit 1
fail() { echo "test_input_rules: $*" >&2; exit 1; }

expect_error() { # WANT COMMAND...
	local want=$1
	shift
	"$@" >out.txt 2>err.txt
	local rc=$?
	[ $rc = 2 ] || fail "$*: exit $rc, want 2 ($(cat err.txt))"
	grep -qF -- "$want" err.txt || fail "$*: want '$want' in: $(cat err.txt)"
}

# Files that are no trace, as a new user might feed them.
printf 'root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1::/usr/sbin:/usr/sbin/nologin\n' >passwd
printf 'It was a bright cold day in April,\nand the clocks were striking thirteen.\n' >prose.txt
printf '0 400000\n1 400008\n2 401000\n' >dinero.txt
printf 'R 0x1234\nW 0x5678\n' >rw.txt
printf '\x7fELF\x02\x01\x01\x00\x00\x00' >elf
for f in passwd prose.txt dinero.txt rw.txt elf; do
	expect_error "$f: not a memory trace (expected valgrind lackey text or an mmsim binary trace" \
		"$mmsim" run -q "$f"
	expect_error "$f: not a memory trace" "$mmsim" sweep -q "$f"
	expect_error "$f: not a memory trace" "$mmsim" convert -q "$f" out.bin
done
expect_error 'first line: "R 0x1234")' "$mmsim" run -q rw.txt
expect_error 'first line: "root:x:0:0:root:/root:/bin/bash")' "$mmsim" run -q passwd
printf '==42== Lackey\nhello\n' >late.txt
expect_error 'late.txt: not a memory trace' "$mmsim" run -q late.txt
expect_error 'line 2: "hello")' "$mmsim" run -q late.txt

# valgrind's lines are skipped and counted; a junk line after records is an error.
{
	echo "==42== Lackey, an example Valgrind tool"
	echo "==42== Command: ./a.out"
	echo "I  00401000,4"
	echo " L 7ff000000,8"
	echo "--42-- a debug line"
	echo " S 7ff000010,8"
	echo "==42== "
} >valgrind.txt
"$mmsim" run -q valgrind.txt >out.txt 2>err.txt || fail "valgrind.txt: exit $? ($(cat err.txt))"
grep -q '3 records, 1 process' out.txt || fail "valgrind.txt: want 3 records: $(head -2 out.txt)"
grep -q '^  4 valgrind lines (==PID==, --PID--) skipped$' out.txt ||
	fail "valgrind.txt: the report counts the skipped lines: $(head -3 out.txt)"
{
	echo "I  00401000,4"
	echo " L 7ff000000,8"
	echo "junk in the middle"
	echo " S 7ff000010,8"
} >junk.txt
expect_error 'junk.txt:3:1: not a lackey record' "$mmsim" run -q junk.txt
expect_error 'junk.txt:3:1: not a lackey record' "$mmsim" sweep -q junk.txt
printf 'I  00401000,4\n L zz,8\n' >badaddr.txt
expect_error 'badaddr.txt:2:4: expected a hex address' "$mmsim" run -q badaddr.txt

# No records: an error unless --allow-empty.
: >empty.txt
printf '==1== Lackey\n==1== \n' >banner.txt
for f in empty.txt banner.txt; do
	expect_error "$f: the trace has no records (--allow-empty accepts that)" "$mmsim" run -q "$f"
	expect_error "$f: the trace has no records" "$mmsim" sweep -q "$f"
	"$mmsim" run -q --allow-empty "$f" >out.txt || fail "run --allow-empty $f: exit $?"
	grep -q '0 records' out.txt || fail "run --allow-empty $f: $(head -1 out.txt)"
	"$mmsim" sweep -q --allow-empty --frames 4 "$f" >out.txt || fail "sweep --allow-empty $f"
done
expect_error "--allow-empty are for traces" "$mmsim" run -q --allow-empty --workload grow

# Truncated mmsim binary traces: the byte offset.
printf 'I  00401000,4\n L 7ff000000,8\n S 7ff000010,8\n' >t3.txt
"$mmsim" convert -q t3.txt t3.bin || fail "convert"
size=$(wc -c <t3.bin)
head -c 8 t3.bin >magic.bin
expect_error "magic.bin: byte 8: truncated header (8 of 16 bytes)" "$mmsim" run -q magic.bin
head -c 12 t3.bin >header.bin
expect_error "header.bin: byte 12: truncated header (12 of 16 bytes)" "$mmsim" run -q header.bin
head -c 20 t3.bin >record.bin
expect_error "record.bin: byte 16: truncated trace" "$mmsim" run -q record.bin
head -c $((size - 1)) t3.bin >end.bin
expect_error "end.bin: byte " "$mmsim" run -q end.bin
"$mmsim" run -q t3.bin >/dev/null || fail "the whole t3.bin: exit $?"
exit 0
