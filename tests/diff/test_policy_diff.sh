#!/usr/bin/env bash
# The replacement policies of the zoo (sieve, s3fifo, arc, 2q, lirs, clockpro) against independent
# references written from the papers (policy_ref.py), and mglru against mglru_ref.py (written
# from Linux 6.6's rules), in demand mode with the TLB off:
# the same refaults and evictions on generated reference strings, on the committed corpus
# traces, and on a program recorded here with valgrind (a trace no one here wrote).
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
if command -v valgrind >/dev/null; then
	"$mmsim" record -q -o true.trace -- /bin/true >/dev/null 2>record.err ||
		fail "record: exit $? ($(tail -2 record.err))"
	"$mmsim" convert -q --format lackey true.trace true.lackey || fail "convert: exit $?"
	real+=(--real true.lackey)
else
	echo "valgrind is missing: no recorded trace (the rest still runs)"
fi
python3 "$here/policy_diff.py" "$mmsim" "$work/gen" "${small[@]}" "${real[@]}"
