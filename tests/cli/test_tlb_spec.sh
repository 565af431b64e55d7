#!/usr/bin/env bash
# Every TLB preset's own spec can be given as text (--tlb SPEC) and describes the same
# machine as its name: skylake's spec is 141 characters, longer than struct mmsim_config's
# old 128-byte tlb field, which refused it ("spec too long").
#
#   test_tlb_spec.sh MMSIM_BINARY WORKDIR
set -u
mmsim=$1
work=$2
mkdir -p "$work" && cd "$work" || exit 1
fail() { echo "test_tlb_spec: $*" >&2; exit 1; }

# The spec, as src/arch/x86_64/tlb_config.c spells the skylake preset.
spec="dtlb4k:64x4,dtlb2m:32x4,dtlb1g:4x4,itlb4k:128x8,itlb2m:8xfull,stlb4k2m:1536x12,stlb1g:16x4"
spec="$spec,pml5e:2xfull,pml4e:2xfull,pdpte:4xfull,pde:32xfull"
[ ${#spec} -gt 128 ] || fail "the spec is ${#spec} characters"
seq 0 31 >pages.txt
for i in $(seq 20); do seq 0 99; done >>pages.txt
# --kpti on: the default (auto) turns isolation on for the skylake preset by name only.
for tlb in skylake "$spec" off; do
	"$mmsim" run -q --tlb "$tlb" --kpti on --format pages --json "j.${#tlb}.json" pages.txt \
		>/dev/null 2>err.txt || fail "--tlb of ${#tlb} characters: exit $? ($(cat err.txt))"
done
python3 - j.7.json j.141.json j.3.json <<'PY' || fail "the spec and the name differ"
import json, sys
name, spec, off = (json.load(open(p)) for p in sys.argv[1:])
for j in (name, spec, off):
    j["config"].pop("tlb")
    j["result"].pop("seconds", None)
assert name == spec, "same machine"
# The TLB matters in this run: without one, every access walks.
assert name["summary"]["page_walks"] < off["summary"]["page_walks"], name["summary"]
PY
echo "test_tlb_spec: ok"
