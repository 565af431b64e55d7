#!/usr/bin/env bash
# /proc/PID/maps gives each shared anonymous mapping the inode of its own shmem file
# (Linux: mm/shmem.c shmem_zero_setup() makes one file per mmap(MAP_SHARED|MAP_ANONYMOUS));
# a forked child shows the same numbers as its parent, and a new mapping a new number.
#
#   test_shmem_inodes.sh MMSIM_BINARY WORKDIR
set -u
mmsim=$1
work=$2
mkdir -p "$work" && cd "$work" || exit 1
fail() { echo "test_shmem_inodes: $*" >&2; exit 1; }

cat >ino.mms <<'MMS'
spawn P
P map S 4 shared at=0x7f0000000000
P map T 4 shared at=0x7f0000100000
P fork Q
Q map U 2 shared at=0x7f0000200000
show P maps
show Q maps
MMS
"$mmsim" script ino.mms >out.txt || fail "script: exit $?"
ino() { # process, start address: the inode column of that line
	awk -v p="== $1 maps" -v a="$2" '/^== /{cur=index($0, p)==1} cur && index($0, a)==1 {print $5}' out.txt
}
ps=$(ino P 7f0000000000-); pt=$(ino P 7f0000100000-)
qs=$(ino Q 7f0000000000-); qt=$(ino Q 7f0000100000-); qu=$(ino Q 7f0000200000-)
[ -n "$ps" ] && [ -n "$pt" ] && [ -n "$qu" ] || fail "maps lines missing: $(cat out.txt)"
[ "$ps" != "$pt" ] || fail "two shmem objects share inode $ps"
[ "$ps" = "$qs" ] && [ "$pt" = "$qt" ] || fail "the child's inodes differ: $ps/$qs $pt/$qt"
[ "$qu" != "$ps" ] && [ "$qu" != "$pt" ] || fail "a new mapping reuses inode $qu"
[ "$ps" != 0 ] || fail "a shmem mapping shows inode 0"
exit 0
