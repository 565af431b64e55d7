# Data-shadow stress failure, shrunk to 4 operations.
# First failure in the whole run: P0 R0 page 0 (va 0x7ffff7fc2000): read 0xfa4a7f7e2f423c98, shadow 0x6fa4d7fabc61ffce; untouched word 0x0000000000000000, shadow 0x52841216f9e7b4d7
# First failure of this shrunk run: P0 R0 page 0 (va 0x7ffff7fc6000): read 0x0000000000000000, shadow 0x78d5e7d0c6c312cf; untouched word 0x0000000000000000, shadow 0x006d15c8ce3d3ebb
# Run with: mmsim script --paranoid FILE (the reads below are the ones the
# stress checked against its shadow; the script replays the same accesses).
config mem=16384K swap=4096K frames=69 policy=nru reclaim=linux data=on thp=always
file fa 32
file fb 12
spawn P0
P0 map R0 57 rw shared
P0 read file fa offset=24 pages=7 into=R0
P0 read R0 0-56
# ^ failed here: P0 R0 page 0 (va 0x7ffff7fc6000): read 0x0000000000000000, shadow 0x78d5e7d0c6c312cf; untouched word 0x0000000000000000, shadow 0x006d15c8ce3d3ebb
