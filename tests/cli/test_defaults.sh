#!/usr/bin/env bash
# The library's defaults are the command's (issue 18): a program that boots a system from
# mmsim_config_default() through libmmsim.so gets exactly the configuration `mmsim run
# --json` reports for a trace run given no machine option (mem, swap, policy, reclaim,
# frames, layout, levels, tlb, pcid, data, paranoid, pt_reclaim, seed). Swap used to be 0 in
# the library and 256M in the command. A script without a config line boots the same
# machine (its meminfo's MemTotal and SwapTotal are the library's).
#
#   test_defaults.sh MMSIM_BINARY WORKDIR
set -u
mmsim=$(realpath "$1")
work=$(mkdir -p "$2" && cd "$2" && pwd)
build=$(dirname "$mmsim")
top=$(cd "$(dirname "$0")/../.." && pwd)
fail() { echo "test_defaults: $*" >&2; exit 1; }
command -v cc >/dev/null || { echo "cc is missing" >&2; exit 77; }
command -v python3 >/dev/null || { echo "python3 is missing" >&2; exit 77; }
cd "$work" || exit 1

cat >prog.c <<'C'
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <mmsim/mmsim.h>
/* The configuration a default system boots with, as JSON with `mmsim run --json`'s keys. */
int main(int argc, char **argv)
{
	struct mmsim_config c, got;
	struct mmsim_system *sys;
	struct mmsim_error err = { 0 };

	mmsim_config_default(&c);
	if (mmsim_system_create(&c, &sys, &err)) {
		fprintf(stderr, "boot: %s\n", err.msg);
		return 1;
	}
	mmsim_system_config(sys, &got);
	if (argc > 1) { /* a view of the default machine, as `show sys VIEW` prints it */
		char *text;

		if (mmsim_report(sys, NULL, argv[1], &text, &err))
			return 1;
		fputs(text, stdout);
		free(text);
		mmsim_system_destroy(sys);
		return 0;
	}
	printf("{\"mem_bytes\": %" PRIu64 ", \"swap_bytes\": %" PRIu64 ", \"policy\": \"%s\", "
	       "\"reclaim\": \"%s\", \"reclaim_batch_pages\": %u, \"frames\": %" PRIu64 ", "
	       "\"layout\": \"%s\", \"levels\": %u, \"tlb\": \"%s\", \"pcid\": %s, \"kpti\": %s, "
	       "\"data_mode\": %s, \"paranoid\": %s, \"pt_reclaim\": %s, \"seed\": %" PRIu64 "}\n",
	       got.mem_bytes, got.swap_bytes, got.policy, got.reclaim,
	       strcmp(got.reclaim, "linux") ? 1u : MMSIM_RECLAIM_BATCH_PAGES, got.frames, got.layout,
	       got.levels, got.tlb, got.pcid ? "true" : "false", got.kpti ? "true" : "false",
	       got.data_mode ? "true" : "false",
	       got.paranoid ? "true" : "false", got.pt_reclaim ? "true" : "false", got.seed);
	mmsim_system_destroy(sys);
	return 0;
}
C
san=
if readelf -d "$build/libmmsim.so" 2>/dev/null | grep -q libasan; then
	san="-fsanitize=address,undefined"
fi
# shellcheck disable=SC2086
cc -std=c11 -Wall -Werror $san -I"$top/include" prog.c -o prog -L"$build" -lmmsim \
	-Wl,-rpath,"$build" 2>cc.log || fail "prog does not build: $(cat cc.log)"
./prog >lib.json || fail "prog: exit $?"

printf ' L 10000000,8\n S 10001000,8\n' >t.lackey
"$mmsim" run --json run.json t.lackey >run.out 2>&1 || fail "mmsim run: $(cat run.out)"

python3 - lib.json run.json <<'PY' || exit 1
import json, sys
lib = json.load(open(sys.argv[1]))
run = json.load(open(sys.argv[2]))["config"]
bad = [f"{k}: library {lib.get(k)!r}, mmsim run {run.get(k)!r}"
       for k in sorted(set(lib) | set(run)) if lib.get(k) != run.get(k)]
if bad:
    print("test_defaults: the library's defaults differ from the command's:", *bad,
          sep="\n  ", file=sys.stderr)
    sys.exit(1)
PY

# A script with no config line runs on the same machine: its meminfo shows the same RAM and
# swap as the library's default machine.
./prog meminfo >lib.meminfo || fail "prog meminfo: exit $?"
printf 'spawn P\nshow sys meminfo\n' >s.mms
"$mmsim" script s.mms >script.out 2>&1 || fail "mmsim script: $(cat script.out)"
for key in MemTotal SwapTotal; do
	want=$(grep "^$key:" lib.meminfo)
	[ -n "$want" ] || fail "the library's meminfo has no $key"
	grep -qx "$want" script.out || fail "script: '$(grep "^$key:" script.out)', library: '$want'"
done
exit 0
