# Data-shadow stress failure, shrunk to 8 operations.
# First failure in the whole run: P2 R2 page 0 (va 0x7ffff7fc1000): read 0x0000000000000000, shadow 0x9edc0580b0264988; untouched word 0x0000000000000000, shadow 0xdf98a68f339281d5
# First failure of this shrunk run: P2 R0 page 3 (va 0x7ffff7fdf000): read 0x0000000000000000, shadow 0x9a9e3c87b752f98b; untouched word 0x0000000000000000, shadow 0xf7787821240a7100
# Run with: mmsim script --paranoid FILE (the reads below are the ones the
# stress checked against its shadow; the script replays the same accesses).
config mem=16384K swap=4096K frames=38 policy=fifo reclaim=demand data=on thp=always
file fa 32
file fb 12
spawn P0
P0 fork P1
spawn P2
P2 map R0 35 rw shared
P2 unmap R0 21-34
P0 exit
P2 read file fa offset=26 pages=5 into=R0
P2 read R0 3-11
# ^ failed here: P2 R0 page 3 (va 0x7ffff7fdf000): read 0x0000000000000000, shadow 0x9a9e3c87b752f98b; untouched word 0x0000000000000000, shadow 0xf7787821240a7100
