#!/usr/bin/env bash
# Policy properties on a real program's trace (issue 7): record `ls -l /` with valgrind's
# lackey, then sweep every policy over a range of frame counts with demand reclaim and check
#  - OPT never misses more than any other policy at the same frame count;
#  - LRU and OPT never miss more with more frames (no Belady anomaly for stack algorithms).
#
#   test_policy_properties.sh MMSIM_BINARY WORKDIR
set -u
mmsim=$1
work=$2
mkdir -p "$work" && cd "$work" || exit 1
fail() { echo "test_policy_properties: $*" >&2; exit 1; }

command -v valgrind >/dev/null || fail "valgrind is missing: apt-get install -y valgrind"
"$mmsim" record -q -o ls.trace -- ls -l / >/dev/null 2>record.err ||
	fail "record: exit $? ($(tail -2 record.err))"
"$mmsim" sweep -q --policies fifo,lru,clock,nru,random,linux,opt --frames 16:256:x2 -j 2 \
	-o sweep.csv ls.trace || fail "sweep: exit $?"
[ "$(grep -c '^' sweep.csv)" -eq 36 ] || fail "7 policies x 5 frame counts + header"
# Columns: 1 policy, 2 frames, 5 misses.
awk -F, 'NR > 1 { m[$1 "," $2] = $5; f[$2] = 1; p[$1] = 1 }
	END {
		for (fr in f) for (pol in p)
			if (m["opt," fr] > m[pol "," fr]) {
				printf "opt misses %d > %s %d at %d frames\n", m["opt," fr], pol, m[pol "," fr], fr
				bad = 1
			}
		split("16 32 64 128 256", sizes, " ")
		for (i = 2; i <= 5; i++) for (k = 1; k <= 2; k++) {
			pol = k == 1 ? "lru" : "opt"
			if (m[pol "," sizes[i]] > m[pol "," sizes[i - 1]]) {
				printf "%s: %d misses with %d frames, %d with %d\n", pol,
					m[pol "," sizes[i]], sizes[i], m[pol "," sizes[i - 1]], sizes[i - 1]
				bad = 1
			}
		}
		exit bad
	}' sweep.csv || fail "a property does not hold (sweep.csv above)"
echo "policy properties hold on $(tail -n +2 sweep.csv | head -1 | cut -d, -f4) accesses"
