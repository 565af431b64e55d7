# Data-shadow stress failure, shrunk to 4 operations.
# First failure in the whole run: P0 R0 page 0 (va 0x7ffff7ffa000): read 0x7d0e859fc8730948, shadow 0x7d0e859fc8730948; untouched word 0x0000000000000000, shadow 0xc4485a1888fe9d7e
# First failure of this shrunk run: P0 R0 page 0 (va 0x7ffff7bff000): read 0x0000000000000000, shadow 0x78d5e7d0c6c312cf; untouched word 0x0000000000000000, shadow 0x006d15c8ce3d3ebb
# Run with: mmsim script --paranoid FILE (the reads below are the ones the
# stress checked against its shadow; the script replays the same accesses).
config mem=16384K swap=4096K frames=55 policy=mglru reclaim=linux data=on thp=always
file fa 32
file fb 12
spawn P0
P0 map R0 1024 rw shared
P0 madvise R0 0-1023 hugepage
P0 read file fa offset=24 pages=4 into=R0
P0 read R0 0-1023
# ^ failed here: P0 R0 page 0 (va 0x7ffff7bff000): read 0x0000000000000000, shadow 0x78d5e7d0c6c312cf; untouched word 0x0000000000000000, shadow 0x006d15c8ce3d3ebb
