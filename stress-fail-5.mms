# Data-shadow stress failure, shrunk to 9 operations.
# First failure in the whole run: P4 R4 page 0 (va 0x7ffff7fa4000): read 0x8f179579a0e11f36, shadow 0x49e8ac8362d7118b; untouched word 0x0000000000000000, shadow 0x3756d170e17a8849
# First failure of this shrunk run: P0 R0 page 2 (va 0x7ffff7ff7000): read 0x0000000000000000, shadow 0x9dd22ce0ea687016; untouched word 0x0000000000000000, shadow 0x3648911feaf3e0aa
# Run with: mmsim script --paranoid FILE (the reads below are the ones the
# stress checked against its shadow; the script replays the same accesses).
config mem=16384K swap=256K frames=50 policy=linux reclaim=linux data=on thp=never
file fa 32
file fb 12
spawn P0
P0 fork P1
P0 map R0 10 rw private
P0 fork P2
spawn P3
spawn P4
P0 read file fb offset=4 pages=6 into=R0
spawn P5
P0 read R0 2-9
# ^ failed here: P0 R0 page 2 (va 0x7ffff7ff7000): read 0x0000000000000000, shadow 0x9dd22ce0ea687016; untouched word 0x0000000000000000, shadow 0x3648911feaf3e0aa
