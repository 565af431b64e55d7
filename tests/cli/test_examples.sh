#!/usr/bin/env bash
# examples/ build and do what they say (issue 18). mmu_callbacks is an "emulator" that keeps
# its guest RAM itself and translates through mmsim's MMU over a read/write callback pair.
# Every expected line below is worked out by hand from the tables the example builds
# (SDM Vol. 3A chapter 4): 0x400000 -> 0x100000 (4 KiB, user rw), 0x600000 -> 0x200000
# (2 MiB, user read-only), nothing else. A/D bits land in the example's own RAM: the PTE
# 0x100007 reads back 0x100027 after the read (A) and 0x100067 after the write (A, D); the
# walks write 6 words (A on PML4E, PDPTE, PDE, PTE; D on the PTE; A on the 2 MiB PDE).
# Data reads that missed the TLB: the first 0x400123, 0x7fff0, 0x600010 and 0x400123 after
# INVLPG (4; the #GP looks nothing up, the second read and the stale one hit).
#   test_examples.sh MMSIM_BINARY WORKDIR
set -u
build=$(dirname "$(realpath "$1")")
work=$(mkdir -p "$2" && cd "$2" && pwd)
fail() { echo "test_examples: $*" >&2; exit 1; }
prog=$build/examples/mmu_callbacks
[ -x "$prog" ] || fail "$prog was not built"
"$prog" >"$work/out" 2>&1 || fail "mmu_callbacks exited $?: $(cat "$work/out")"
cat >"$work/want" <<'OUT'
read  0x400123: pa 0x100123 (walk, 12-bit page)
read  0x400123: pa 0x100123 (L1 TLB hit, 12-bit page)
PTE after the read:  0x100027
write 0x400008: pa 0x100008 (walk, 12-bit page)
PTE after the write: 0x100067
read  0x7fff0: #PF error code 0x4, CR2 0x7fff0
read  0x600010: pa 0x200010 (walk, 21-bit page)
write 0x600010: #PF error code 0x7, CR2 0x600010
read  0x800000000000: #GP (not canonical)
read  0x400123: pa 0x100123 (L1 TLB hit, 12-bit page)
read  0x400123: #PF error code 0x4, CR2 0x400123
dTLB-load-misses 4
OUT
head -n 12 "$work/out" | diff -u "$work/want" - || fail "mmu_callbacks printed something else"
grep -Eq '^table words read [0-9]+, written 6$' "$work/out" ||
	fail "want 6 words written by the walks: $(tail -1 "$work/out")"
exit 0
