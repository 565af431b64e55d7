# Data-shadow stress failure, shrunk to 4 operations.
# First failure in the whole run: P7 R6 page 0 (va 0x7ffff7f0d000): read 0x285b794242adb4e2, shadow 0x285b794242adb4e2; untouched word 0x0000000000000000, shadow 0x8dc2053b8d19ab0e
# First failure of this shrunk run: P0 R0 page 0 (va 0x7ffff7fd9000): read 0x0000000000000000, shadow 0x82bad4d8fa5be1b0; untouched word 0x0000000000000000, shadow 0x292cab63a93d51b0
# Run with: mmsim script --paranoid FILE (the reads below are the ones the
# stress checked against its shadow; the script replays the same accesses).
config mem=16384K swap=4096K frames=0 policy=arc reclaim=linux data=on thp=always
file fa 32
file fb 12
spawn P0
P0 map R0 38 rw private
P0 read file fb offset=2 pages=2 into=R0
P0 read R0 0-37
# ^ failed here: P0 R0 page 0 (va 0x7ffff7fd9000): read 0x0000000000000000, shadow 0x82bad4d8fa5be1b0; untouched word 0x0000000000000000, shadow 0x292cab63a93d51b0
