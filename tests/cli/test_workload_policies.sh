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
fail=0
# Every policy the library knows except opt (it needs a trace's future).
for p in fifo lru clock nru random linux sieve s3fifo arc 2q; do
	for w in server sort matmul kv grow; do
		# Demand reclaim evicts one page at a fault; linux batches, in kswapd too.
		modes=linux
		case $p in random | sieve | arc) modes="linux demand" ;; esac
		for r in $modes; do
			out=$("$mmsim" run -q --policy "$p" --reclaim "$r" --workload "$w" 2>&1)
			rc=$?
			if [ "$rc" -ne 0 ] || ! grep -q '^result: PASS' <<<"$out"; then
				echo "test_workload_policies: --policy $p --reclaim $r --workload $w: exit $rc: $(grep -m1 '^result' <<<"$out")" >&2
				fail=1
			fi
		done
	done
done
[ "$fail" -eq 0 ] || exit 1
echo "test_workload_policies: ok"
