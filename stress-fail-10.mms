# Data-shadow stress failure, shrunk to 14 operations.
# First failure in the whole run: P6 R12 page 0 (va 0x7ffff7a00000): read 0x26956703c449d96a, shadow 0xe3a1017917b3e016; untouched word 0x0000000000000000, shadow 0xfa86dedb5c382d04
# First failure of this shrunk run: P3 R0 page 0 (va 0x7ffff7fcb000): read 0x0000000000000000, shadow 0xc19399c463455288; untouched word 0x0000000000000000, shadow 0x7f6871756cacd1fb
# Run with: mmsim script --paranoid FILE (the reads below are the ones the
# stress checked against its shadow; the script replays the same accesses).
config mem=16384K swap=4096K frames=34 policy=2q reclaim=linux data=on thp=always
file fa 32
file fb 12
spawn P0
P0 fork P1
P0 fork P2
P0 exit
P1 map R0 52 rw private
P1 fork P3
P1 fork P4
spawn P5
P2 exit
P3 read file fa offset=6 pages=21 into=R0
spawn P6
P5 exit
spawn P7
P3 read R0 0-51
# ^ failed here: P3 R0 page 0 (va 0x7ffff7fcb000): read 0x0000000000000000, shadow 0xc19399c463455288; untouched word 0x0000000000000000, shadow 0x7f6871756cacd1fb
