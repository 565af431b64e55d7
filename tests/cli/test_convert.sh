#!/usr/bin/env bash
# End-to-end: `mmsim convert` between lackey text and the binary trace, with and without
# zstd or gzip: round trips keep every record; the output is what the system's zstd and
# gzip read; valgrind's exact lackey lines come back byte for byte.
#
#   test_convert.sh MMSIM_BINARY WORKDIR
set -u
mmsim=$1
work=$2
mkdir -p "$work" && cd "$work" || exit 1
fail() { echo "test_convert: $*" >&2; exit 1; }

# Lackey's own formats (valgrind 3.19, lackey/lk_main.c), with a pid switch.
cat >in.txt <<'TXT'
I  0401ab70,3
 S 1fff000628,8
 L 04020d58,4
 M 1ffefffd70,16
# mmsim pid 7
I  0401ab73,5
 L 04020d60,64
TXT
"$mmsim" convert in.txt a.bin 2>msg.txt || fail "to binary: exit $?"
grep -q '6 records written to a.bin (binary)' msg.txt || fail "closing line: $(cat msg.txt)"
head -c 5 a.bin | od -An -c | grep -q 'M   M   T   R' || fail "binary magic"
"$mmsim" convert -q --format lackey a.bin back.txt || fail "to lackey: exit $?"
cmp -s in.txt back.txt || { diff in.txt back.txt; fail "lackey round trip changed bytes"; }
"$mmsim" convert -q --zstd --level 19 in.txt a.zst || fail "to zstd"
zstd -dc a.zst | cmp -s - a.bin || fail "zstd -d gives the binary trace"
"$mmsim" convert -q --gzip --format lackey a.zst b.txt.gz || fail "to gzip text"
gzip -dc b.txt.gz | cmp -s - in.txt || fail "gzip -d gives the text"
"$mmsim" convert -q - c.bin <b.txt.gz || fail "from standard input"
cmp -s c.bin a.bin || fail "stdin conversion differs"
"$mmsim" convert -q --format lackey a.bin - >d.txt || fail "to standard output"
cmp -s d.txt in.txt || fail "stdout conversion differs"

"$mmsim" convert --zstd --gzip in.txt x 2>/dev/null
[ $? -eq 2 ] || fail "--zstd --gzip: want exit 2"
"$mmsim" convert --level 3 in.txt x 2>/dev/null
[ $? -eq 2 ] || fail "--level without compression: want exit 2"
printf '\x89MMTR\r\n\x1a\x03\x00\x00\x00\x00\x00\x00\x00' >v3.bin
"$mmsim" convert v3.bin x 2>err.txt
[ $? -eq 2 ] || fail "version 3: want exit 2"
grep -q 'v3.bin: byte 8: unsupported binary trace version 3' err.txt || fail "$(cat err.txt)"
echo "test_convert: ok"
