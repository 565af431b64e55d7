#!/usr/bin/env bash
# Speed work must not change a result (issue 15): `mmsim run --json` over every committed
# trace (tests/fuzz/corpus/trace), two bigger traces made here from fixed seeds (a
# three-process trace with 120 regions, and the first 100,000 records of the kv workload's
# own trace) and the built-in workloads, under each policy (opt included) with a frames cap,
# each TLB preset, the layouts and PCID off, is compared line by line with the files in
# tests/cli/golden_json/.
#
# Those files are REGRESSION GOLDENS: mmsim's own output, taken from main before the
# performance work began (commit 7ff7bf0), not independently derived figures. The
# independent checks of the same behaviour are the hand-worked tests (test_run_trace.sh,
# tests/diff, the scenario scripts). Only the wall-clock line ("seconds") is left out.
# Every run names --reclaim, so a change of the default reclaim does not touch them.
# When a change is meant to alter results, regenerate with
#   MMSIM_GOLDEN_WRITE=1 bash tests/cli/test_json_identical.sh build/mmsim /tmp/gold
# and say why in the commit.
#
#   test_json_identical.sh MMSIM_BINARY WORKDIR
set -u
mmsim=$(realpath "$1")
work=$2
src=$(cd "$(dirname "$0")/../.." && pwd)
golden=$src/tests/cli/golden_json
mkdir -p "$work" && cd "$work" || exit 1
rm -f ./*.cmp ./*.json
fail() { echo "test_json_identical: $*" >&2; exit 1; }
command -v python3 >/dev/null || { echo "python3 is missing" >&2; exit 77; }

# A trace of three processes over 40 regions each, from a fixed 64-bit LCG (no library
# random generator, so the bytes never depend on the Python version).
python3 - >multi.txt <<'PY' || fail "making multi.txt"
state = 15
def rnd():
    global state
    state = (state * 6364136223846793005 + 1442695040888963407) % (1 << 64)
    return (state >> 11) / float(1 << 53)
for i in range(60000):
    if i % 3000 == 0:
        pid = int(rnd() * 3)
        print("# mmsim pid %d" % pid)
    region = int(rnd() ** 3 * 40)
    page = int(rnd() ** 2 * 64)
    addr = 0x10000000 + region * 0x1000000 + pid * 0x400000000 + page * 4096 + int(rnd() * 63) * 64
    x = rnd()
    if x < 0.2:
        print("I  %08x,%d" % (addr, 1 + int(rnd() * 10)))
    else:
        print(" %s %08x,%d" % ("L" if x < 0.6 else ("S" if x < 0.85 else "M"), addr, 8))
PY
# Under ASan (make test-asan sets ASAN_OPTIONS) the slowest tenth of the runs, which take
# most of the time there, are left to the plain suite: the kv trace and the workloads.
quick=false
[ -n "${ASAN_OPTIONS:-}" ] && [ "${MMSIM_GOLDEN_WRITE:-0}" != 1 ] && quick=true
if ! $quick; then
	"$mmsim" run -q --workload kv --save-trace kvall.bin.zst >/dev/null || fail "kv --save-trace"
	"$mmsim" convert -q --format lackey kvall.bin.zst - 2>/dev/null | head -n 100000 >kv.txt
	[ "$(grep -c '^' kv.txt)" = 100000 ] || fail "kv.txt: want 100000 lines"
fi

# name, path, frames cap for the policy runs, reclaim modes for the policy runs
inputs=()
for f in "$src"/tests/fuzz/corpus/trace/*; do
	case $(basename "$f") in *bad* | *truncated*) continue ;; esac
	inputs+=("$(basename "$f")|$f|4|demand")
done
inputs+=("multi|multi.txt|300|demand linux")
$quick || inputs+=("kv100k|kv.txt|1000|demand linux")

settings=(
	"linux|--reclaim linux"
	"tlboff|--reclaim linux --tlb off"
	"zen4|--reclaim linux --tlb zen4"
	"zen2|--reclaim linux --tlb zen2"
	"goldencove-la57|--reclaim linux --tlb goldencove --layout la57"
	"classic-nopcid|--reclaim linux --layout classic --pcid off"
)
policies="fifo lru clock nru random linux opt"

jobs=${MMSIM_TEST_JOBS:-2}
# One run and its comparison, in the background, at most $jobs at a time (each run is its
# own machine); a difference leaves NAME.fail with the diff.
check() { # name, args...
	local name=$1
	shift
	while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n; done
	(
		"$@" >/dev/null 2>"$name.err"
		rc=$?
		# Only the wall-clock line is left out; the path is given the same way every time.
		grep -v '^\s*"seconds":' "$name.json" >"$name.cmp" 2>/dev/null
		echo "exit_status $rc" >>"$name.cmp"
		if [ "${MMSIM_GOLDEN_WRITE:-0}" = 1 ]; then
			cp "$name.cmp" "$golden/$name.json"
		elif ! diff -q "$golden/$name.json" "$name.cmp" >/dev/null 2>&1; then
			{
				echo "test_json_identical: $name differs from its golden ($*):"
				diff "$golden/$name.json" "$name.cmp" | head -20
			} >"$name.fail"
		fi
	) &
}
rm -f ./*.fail ./*.cmp

[ "${MMSIM_GOLDEN_WRITE:-0}" = 1 ] && mkdir -p "$golden"
for in in "${inputs[@]}"; do
	IFS='|' read -r name path frames reclaims <<<"$in"
	cp "$path" "in_$name"
	for s in "${settings[@]}"; do
		IFS='|' read -r sname sargs <<<"$s"
		# shellcheck disable=SC2086
		check "$name.$sname" "$mmsim" run -q $sargs --json "$name.$sname.json" "in_$name"
	done
	for p in $policies; do
		for r in $reclaims; do
			check "$name.$p-$r" "$mmsim" run -q --frames "$frames" --reclaim "$r" --policy "$p" \
				--json "$name.$p-$r.json" "in_$name"
		done
	done
	check "$name.opt-tlboff" "$mmsim" run -q --frames "$frames" --reclaim demand --policy opt \
		--tlb off --json "$name.opt-tlboff.json" "in_$name"
done
$quick && workloads="" || workloads="server sort matmul kv grow"
for w in $workloads; do
	check "workload-$w" "$mmsim" run -q --reclaim linux --workload "$w" --json "workload-$w.json"
	check "workload-$w.clock" "$mmsim" run -q --reclaim linux --policy clock --tlb zen4 \
		--workload "$w" --json "workload-$w.clock.json"
done
wait
[ "${MMSIM_GOLDEN_WRITE:-0}" = 1 ] && { echo "goldens written to $golden"; exit 0; }
if ls ./*.fail >/dev/null 2>&1; then
	cat ./*.fail >&2
	fail "results changed (see above)"
fi
echo "test_json_identical: $(find . -name '*.cmp' | wc -l) of" \
	"$(find "$golden" -name '*.json' | wc -l) runs" \
	"identical to their goldens$($quick && echo ' (quick: under ASan)')"
