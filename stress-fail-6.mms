# Data-shadow stress failure, shrunk to 4 operations.
# First failure in the whole run: P6 R10 page 0 (va 0x7ffff7ffa000): read 0x15b85499bd091fbb, shadow 0x82bad4d8fa5be1b0; untouched word 0x0000000000000000, shadow 0x292cab63a93d51b0
# First failure of this shrunk run: P0 R0 page 0 (va 0x7ffff7ffc000): read 0x0000000000000000, shadow 0x648ef536fdbcfd6d; untouched word 0x0000000000000000, shadow 0x2d1a5e36a99d7f0b
# Run with: mmsim script --paranoid FILE (the reads below are the ones the
# stress checked against its shadow; the script replays the same accesses).
config mem=16384K swap=4096K frames=0 policy=opt reclaim=linux data=on thp=always
file fa 32
file fb 12
spawn P0
P0 map R0 3 rw private
P0 read file fa offset=15 pages=1 into=R0
P0 read R0 0-2
# ^ failed here: P0 R0 page 0 (va 0x7ffff7ffc000): read 0x0000000000000000, shadow 0x648ef536fdbcfd6d; untouched word 0x0000000000000000, shadow 0x2d1a5e36a99d7f0b
