# Data-shadow stress failure, shrunk to 4 operations.
# First failure in the whole run: P6 R7 page 0 (va 0x7ffff7fe7000): read 0x3030b1c5cbb80550, shadow 0x4363409e75160718; untouched word 0x0000000000000000, shadow 0xc205662496c1fb53
# First failure of this shrunk run: P0 R0 page 0 (va 0x7ffff7fe9000): read 0x0000000000000000, shadow 0x05a89c8dd053d8bc; untouched word 0x0000000000000000, shadow 0x8dc2053b8d19ab0e
# Run with: mmsim script --paranoid FILE (the reads below are the ones the
# stress checked against its shadow; the script replays the same accesses).
config mem=16384K swap=4096K frames=45 policy=lirs reclaim=linux data=on thp=always
file fa 32
file fb 12
spawn P0
P0 map R0 22 rw private
P0 read file fb offset=8 pages=1 into=R0
P0 read R0 0-21
# ^ failed here: P0 R0 page 0 (va 0x7ffff7fe9000): read 0x0000000000000000, shadow 0x05a89c8dd053d8bc; untouched word 0x0000000000000000, shadow 0x8dc2053b8d19ab0e
