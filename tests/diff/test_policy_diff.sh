#!/usr/bin/env bash
# The replacement policies of the zoo (sieve, s3fifo, arc, 2q, lirs, clockpro) against independent
# references written from the papers (policy_ref.py), and mglru against mglru_ref.py (written
# from Linux 6.6's rules), in demand mode with the TLB off:
# the same refaults and evictions on generated reference strings, on the committed corpus
# traces, and on Debian programs recorded here with valgrind (ls and sort: traces no one
# here wrote).
#
#   test_policy_diff.sh MMSIM_BINARY WORKDIR
set -u
mmsim=$1
work=$2
here=$(cd "$(dirname "$0")" && pwd)
corpus=$here/../fuzz/corpus/trace
mkdir -p "$work" && cd "$work" || exit 1
fail() { echo "test_policy_diff: $*" >&2; exit 1; }

command -v python3 >/dev/null || { echo "python3 is missing: skipped"; exit 77; }
small=()
# bin_shapes and the broken inputs are parser tests (non-canonical addresses, SIGSEGV).
for t in bin.zst bin_pids.bin bin_plain.bin lackey_pids.txt lackey_valgrind.txt; do
	"$mmsim" convert -q --format lackey "$corpus/$t" "$t.lackey" || fail "convert $t: exit $?"
	small+=("$t.lackey")
done
real=()
# Traces no one here wrote: Debian's own ls and sort recorded with valgrind's lackey at test
# time. Their first 40,000 records are the dynamic loader's, the same in every program, so
# each trace is cut to a window of 40,000 lines from 60% of its length: the program's own
# accesses. (1 s or so each under lackey; the generated strings lost a frame count, 4, to
# pay for them.)
if command -v valgrind >/dev/null; then
	printf 'pear\napple\nfig\nkiwi\nbanana\ncherry\n' >words.txt
	rec() { # NAME COMMAND...: records COMMAND into NAME.lackey, cut to the window
		local name=$1 n
		shift
		"$mmsim" record -q -o "$name.trace" -- "$@" >/dev/null 2>record.err ||
			fail "record $name: exit $? ($(tail -2 record.err))"
		"$mmsim" convert -q --format lackey "$name.trace" "$name.full" ||
			fail "convert $name: exit $?"
		n=$(wc -l <"$name.full")
		{ grep -m1 '^# mmsim pid ' "$name.full"
		  tail -n +$((n * 6 / 10)) "$name.full" | grep -v '^#' | head -n 40000; } >"$name.lackey"
		real+=("$name.lackey")
	}
	rec ls /bin/ls -l /etc
	rec sort /usr/bin/sort words.txt
	real=(--real "${real[@]}")
else
	echo "valgrind is missing: no recorded traces (the rest still runs)"
fi
python3 "$here/policy_diff.py" "$mmsim" "$work/gen" "${small[@]}" "${real[@]}"
