#!/usr/bin/env bash
# Every built-in workload checks its own data (data mode): whatever the policy and the
# reclaim mode pick as victims, the program must compute the right result. A wrong sum
# means reclaim freed a frame that an access was still using (the bug of kswapd running
# between an access's translation and its data copy).
#
#   test_workload_policies.sh MMSIM_BINARY WORKDIR
set -u
mmsim=$(realpath "$1")
work=$2
mkdir -p "$work" && cd "$work" || exit 1
jobs=${MMSIM_TEST_JOBS:-2}
n=0
# Runs one case in the background, at most $jobs at a time (the slowest test of the suite
# under ASan: the cases are independent machines). A failure leaves fail.N behind.
run() { # policy reclaim workload
	while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n; done
	n=$((n + 1))
	(
		out=$("$mmsim" run -q --policy "$1" --reclaim "$2" --workload "$3" 2>&1)
		rc=$?
		if [ "$rc" -ne 0 ] || ! grep -q '^result: PASS' <<<"$out"; then
			echo "test_workload_policies: --policy $1 --reclaim $2 --workload $3: exit $rc: $(grep -m1 '^result' <<<"$out")" >"fail.$n"
		fi
	) &
}
rm -f fail.*
# Every policy the library knows except opt (it needs a trace's future), on the two quick
# workloads that swap (grow: brk and stack; server: fork and COW); the two long ones (sort,
# kv) with the policies that may pick a page just brought in. Demand reclaim evicts one page
# at a fault; linux batches, in kswapd too.
for p in fifo lru clock nru random linux sieve s3fifo arc 2q lirs clockpro mglru; do
	for w in grow server; do
		run "$p" linux "$w"
	done
done
# Under ASan (make test-asan sets ASAN_OPTIONS) the long workloads (sort, kv, matmul) are
# left to the plain suite: each takes several seconds there.
long=true
[ -n "${ASAN_OPTIONS:-}" ] && long=false
$long && for p in random sieve; do
	for w in sort kv; do
		run "$p" linux "$w"
	done
done
for p in random sieve arc lirs clockpro mglru; do
	run "$p" demand grow
done
# MGLRU's page-table walks and look-around beyond grow and server (sort, the slowest, and
# every workload in demand mode pass too: docs/policies.md).
$long && for w in kv matmul; do
	run mglru linux "$w"
done
run mglru demand server
# The A-bit variants (sieve, clockpro, s3fifo, arc:abit=1) read PTEs through rmap: grow swaps.
for p in sieve:abit=1 clockpro:abit=1 s3fifo:abit=1 arc:abit=1; do
	run "$p" linux grow
done
wait
if ls fail.* >/dev/null 2>&1; then
	cat fail.* >&2
	exit 1
fi
echo "test_workload_policies: ok ($n runs$($long || echo '; quick: under ASan'))"
