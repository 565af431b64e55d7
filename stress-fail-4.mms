# Data-shadow stress failure, shrunk to 4 operations.
# First failure in the whole run: P1 R6 page 0 (va 0x7ffff7f9e000): read 0x4459a88a7123f496, shadow 0x4723971330321e76; untouched word 0x0000000000000000, shadow 0x9f42652ccec82a77
# First failure of this shrunk run: P0 R0 page 0 (va 0x7ffff7fe3000): read 0x0000000000000000, shadow 0xee9037387ebf587b; untouched word 0x0000000000000000, shadow 0xa4ca836c85127ecc
# Run with: mmsim script --paranoid FILE (the reads below are the ones the
# stress checked against its shadow; the script replays the same accesses).
config mem=16384K swap=256K frames=0 policy=random reclaim=linux data=on thp=always
file fa 32
file fb 12
spawn P0
P0 map R0 28 rw private
P0 read file fb offset=5 pages=2 into=R0
P0 read R0 0-27
# ^ failed here: P0 R0 page 0 (va 0x7ffff7fe3000): read 0x0000000000000000, shadow 0xee9037387ebf587b; untouched word 0x0000000000000000, shadow 0xa4ca836c85127ecc
