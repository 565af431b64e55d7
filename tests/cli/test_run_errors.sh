#!/usr/bin/env bash
# End-to-end: bad input and bad usage end in exit status 2 and a message that names the
# file, the place (line and column, or byte offset) and the reason; nothing is reported
# as if the run had happened.
#
#   test_run_errors.sh MMSIM_BINARY WORKDIR
set -u
mmsim=$1
work=$2
mkdir -p "$work" && cd "$work" || exit 1
fail() { echo "test_run_errors: $*" >&2; exit 1; }

# expect_error WANT_TEXT COMMAND...: exit 2, WANT_TEXT in the message, nothing on stdout.
expect_error() {
	local want=$1
	shift
	"$@" >out.txt 2>err.txt
	local rc=$?
	[ $rc -eq 2 ] || fail "$*: want exit 2, got $rc ($(cat err.txt))"
	grep -qF -- "$want" err.txt || fail "$*: want '$want' in: $(cat err.txt)"
	[ ! -s out.txt ] || fail "$*: printed a report: $(head -3 out.txt)"
}

printf ' L 10000000,8\n S 10000008,8\n L 1000000g,8\n' >bad_hex.txt
expect_error "bad_hex.txt:3:11: expected ',' after the address, found 'g'" \
	"$mmsim" run -q bad_hex.txt
printf ' L 10000000,0\n' >size0.txt
expect_error "size0.txt:1:13: size 0 is invalid" "$mmsim" run -q size0.txt
printf '# mmsim frob 3\n' >directive.txt
expect_error "directive.txt:1:" "$mmsim" run -q directive.txt

# A binary trace cut short, plain and inside zstd.
for i in $(seq 0 99); do printf ' S %x,8\n' $((0x10000000 + i * 64)); done >ok.txt
"$mmsim" convert -q ok.txt ok.bin || fail "convert"
head -c $(($(stat -c %s ok.bin) - 3)) ok.bin >cut.bin
expect_error "cut.bin: byte " "$mmsim" run -q cut.bin
expect_error "truncated" "$mmsim" run -q cut.bin
"$mmsim" convert -q --zstd ok.txt ok.zst || fail "convert --zstd"
head -c $(($(stat -c %s ok.zst) - 5)) ok.zst >cut.zst
expect_error "cut.zst: byte " "$mmsim" run -q cut.zst
expect_error "<stdin>: byte " "$mmsim" run -q - <cut.bin

expect_error "nothere.trace" "$mmsim" run nothere.trace
expect_error "unknown workload 'nope'" "$mmsim" run --workload nope
expect_error "give a TRACE or --workload, not both" "$mmsim" run --workload kv ok.txt
expect_error "--scale takes 1 to 1000" "$mmsim" run --scale 0
expect_error "mem=12" "$mmsim" run --mem 12 ok.txt
expect_error "reclaim=lazy" "$mmsim" run --reclaim lazy ok.txt
expect_error "policy" "$mmsim" run --policy nosuch ok.txt
expect_error "--config takes KEY=VALUE" "$mmsim" run --config mem ok.txt
expect_error "unknown option" "$mmsim" run --config frob=1 ok.txt
expect_error "data=on" "$mmsim" run --config data=on ok.txt
expect_error "--show frob" "$mmsim" run --show vmstat,frob ok.txt
expect_error "needs the future" "$mmsim" run --workload grow --policy opt
expect_error "option '--mem' needs a value" "$mmsim" run ok.txt --mem
expect_error "unknown option '--frob'" "$mmsim" run --frob
expect_error "one TRACE only" "$mmsim" run a b
expect_error "--interval goes with --timeline" "$mmsim" run --interval 5 ok.txt
expect_error "cannot write" "$mmsim" run -q --timeline /nonexistent/dir/t.csv ok.txt

# convert and sweep share the reader's messages.
expect_error "bad_hex.txt:3:11:" "$mmsim" convert bad_hex.txt out.bin
expect_error "want IN and OUT" "$mmsim" convert ok.txt
expect_error "--format takes binary, lackey, din" "$mmsim" convert --format xml ok.txt o
expect_error "bad_hex.txt:3:11:" "$mmsim" sweep --frames 4,8 bad_hex.txt
expect_error "standard input" "$mmsim" sweep --frames 4 -

# An unknown subcommand, and no subcommand.
"$mmsim" frob >/dev/null 2>err.txt
[ $? -eq 2 ] || fail "unknown command: want exit 2"
"$mmsim" >/dev/null 2>&1
[ $? -eq 2 ] || fail "no command: want exit 2"
echo "test_run_errors: ok"
