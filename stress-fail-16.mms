# Data-shadow stress failure, shrunk to 4 operations.
# First failure in the whole run: P0 R0 page 1 (va 0x7ffff7a01000): read 0x0000000000000000, shadow 0x4fdefc13b736b945; untouched word 0x0000000000000000, shadow 0x29ebb24dae98cf01
# First failure of this shrunk run: P0 R0 page 0 (va 0x7ffff7ffc000): read 0x0000000000000000, shadow 0x194714d5196014ff; untouched word 0x0000000000000000, shadow 0xdf4686f2840e7def
# Run with: mmsim script --paranoid FILE (the reads below are the ones the
# stress checked against its shadow; the script replays the same accesses).
config mem=16384K swap=4096K frames=71 policy=clock reclaim=demand data=on thp=madvise
file fa 32
file fb 12
spawn P0
P0 map R0 3 rw shared
P0 read file fa offset=3 pages=2 into=R0
P0 read R0 0-2
# ^ failed here: P0 R0 page 0 (va 0x7ffff7ffc000): read 0x0000000000000000, shadow 0x194714d5196014ff; untouched word 0x0000000000000000, shadow 0xdf4686f2840e7def
