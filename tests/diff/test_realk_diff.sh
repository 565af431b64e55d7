#!/usr/bin/env bash
# Differential test: mmsim against the kernel this test runs on (issue 20: "Scenarios
# measured on a real kernel (file mappings, MADV_HUGEPAGE, smaps Pss) will be run against
# it").
#
#   test_realk_diff.sh MMSIM_BINARY WORKDIR
#
# The helper `realk` (tests/diff/realk.c, built beside mmsim) runs scenarios with real
# system calls on files in WORKDIR and writes them as an mmsim script whose expect lines
# hold the host kernel's values: fault-around, mmap read-around after POSIX_FADV_DONTNEED
# with the device's read_ahead_kb, MADV_HUGEPAGE and the huge zero page, Pss and
# Shared/Private after fork, copy-on-write of private file pages. `mmsim script` then
# runs the same scenarios and checks mmsim's counts against the host's; smaps fields with
# no expect form (`#smaps P FIELD KB` lines) are compared with mmsim's `show P smaps`.
# Exit 77 when the host can run none of the scenarios (realk says why); a scenario the host
# cannot run alone is named on standard error. docs/kernel.md, "Measured on a real kernel".
set -u
mmsim=${1:?usage: test_realk_diff.sh MMSIM_BINARY WORKDIR}
work=${2:?usage: test_realk_diff.sh MMSIM_BINARY WORKDIR}
realk=$(dirname "$mmsim")/realk
if [ ! -x "$realk" ]; then
	echo "test_realk_diff: no helper at $realk (built with the tests: -DMMSIM_TESTS=ON)" >&2
	exit 77
fi
if [ "$(uname -s)" != Linux ]; then
	echo "test_realk_diff: the host is not Linux" >&2
	exit 77
fi
mkdir -p "$work" || exit 1
script=$work/realk.mms
"$realk" "$work" >"$script"
rc=$?
if [ $rc -eq 77 ]; then
	echo "test_realk_diff: the host can run none of the scenarios (above)" >&2
	exit 77
elif [ $rc -ne 0 ]; then
	echo "test_realk_diff: realk failed (exit $rc)" >&2
	exit 1
fi
"$mmsim" script "$script" >"$work/mmsim.out"
rc=$?
grep -v '^#smaps' "$script" | grep '^#' >&2
if [ $rc -ne 0 ]; then
	echo "test_realk_diff: mmsim differs from the host kernel (the expected values are the" \
		"host's; $script)" >&2
	exit 1
fi
# The k-th `show P smaps` of the script is the k-th "== P smaps" section of the output; its
# fields summed over P's VMAs against the host's sums over the same regions.
awk -v script="$script" '
	FNR == NR {
		if ($1 == "show" && $3 == "smaps") { n[$2]++; cur = $2 "#" n[$2] }
		else if ($1 == "#smaps") { want[cur, $3] = $4; fields[cur] = fields[cur] " " $3 }
		next
	}
	/^== [A-Za-z_][A-Za-z_0-9]* smaps / { seen[$2]++; sec = $2 "#" seen[$2]; next }
	/^== / { sec = ""; next }
	sec != "" && $1 ~ /:$/ && $3 == "kB" { have[sec, substr($1, 1, length($1) - 1)] += $2 }
	END {
		bad = 0; count = 0
		for (s in fields) {
			split(fields[s], f, " ")
			for (i in f) {
				count++
				if (have[s, f[i]] + 0 != want[s, f[i]] + 0) {
					printf "test_realk_diff: %s smaps (show %s) %s: host %s kB, mmsim %s kB\n",
					       substr(s, 1, index(s, "#") - 1), substr(s, index(s, "#") + 1),
					       f[i], want[s, f[i]], have[s, f[i]] + 0 > "/dev/stderr"
					bad++
				}
			}
		}
		printf "test_realk_diff: %d smaps fields compared with the host kernel, %d differ\n", count, bad
		exit bad != 0
	}' "$script" "$work/mmsim.out" || exit 1
tail -1 "$work/mmsim.out"
