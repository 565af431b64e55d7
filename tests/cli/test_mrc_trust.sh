#!/usr/bin/env bash
# End-to-end: inputs and settings of `mmsim mrc`, `mmsim sweep` and `mmsim merge` that
# used to give a plausible wrong number with exit 0 (or hang) now fail loudly, and the
# curves of mrc stay those of sweep. Each section names what it guards.
#
#   test_mrc_trust.sh MMSIM_BINARY WORKDIR
set -u
mmsim=$1
work=$2
mkdir -p "$work" && cd "$work" || exit 1
fail() { echo "test_mrc_trust: $*" >&2; exit 1; }

# refuse WANT_IN_MESSAGE ARGS...: exit 2 and the message says WANT.
refuse() {
	local want=$1
	shift
	timeout 20 "$mmsim" "$@" >out.txt 2>err.txt
	local rc=$?
	[ $rc = 2 ] || fail "$*: exit $rc, want 2 ($(head -3 out.txt) $(cat err.txt))"
	grep -q -- "$want" err.txt || fail "$*: message '$(cat err.txt)' lacks '$want'"
}

for i in $(seq 0 199); do printf ' S %x,8\n' $((0x10000000 + (i * 7919 % 97) * 4096)); done >t.txt

# --- --sizes / --frames: a number that does not fit, a negative one, a step that never
# moves, a size whose bytes overflow: refused, not wrapped, clamped or looped on.
for cmd in "mrc -q --policy lru --sizes" "sweep -q --policies lru --frames"; do
	refuse "at most 1099511627776 frames" $cmd 18446744073709551616 t.txt
	refuse "at most" $cmd 4,99999999999999999999 t.txt
	refuse "want 1 <= START <= END" $cmd 1:-1:x2 t.txt
	refuse "want 1 <= START <= END" $cmd -1:8:x2 t.txt
	refuse "at most" $cmd 99999999999999999 t.txt
	refuse "at most" $cmd 1:18446744073709551615:x2 t.txt
	refuse "factor" $cmd 1:1000:x1.0000000000000002 t.txt
	refuse "want START:END" $cmd 4,8, t.txt
done

# --- SHARDS: a rate at which no page of the trace is sampled gave a curve of 0 misses (the
# trace has 97 pages: at R = 0.001 the hash keeps none of them). Refused; a sample of a few
# pages says that its error is large.
refuse "holds none of the trace's pages" mrc -q --policy lru --sample 0.001 t.txt
refuse "holds none of the trace's pages" mrc -q --policy lru,opt --sample 0.0001 --compare-exact t.txt
"$mmsim" mrc -q --policy lru --sample 0.1 --csv s.csv t.txt 2>err.txt || fail "--sample 0.1: exit $?"
grep -q "the sample holds only [0-9]* pages" err.txt || fail "--sample 0.1: $(cat err.txt)"

echo "test_mrc_trust: ok"
