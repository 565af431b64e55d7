# Data-shadow stress failure, shrunk to 4 operations.
# First failure in the whole run: P1 R1 page 0 (va 0x7ffff7bc3000): read 0xd3eb90429ccf8e77, shadow 0x3b5fe274b20c23fe; untouched word 0x0000000000000000, shadow 0x0031c56f4fdee972
# First failure of this shrunk run: P0 R0 page 0 (va 0x7ffff7ff6000): read 0x0000000000000000, shadow 0x27b8a0ba8dfa7c93; untouched word 0x0000000000000000, shadow 0xf2bd94ab0b28f7a7
# Run with: mmsim script --paranoid FILE (the reads below are the ones the
# stress checked against its shadow; the script replays the same accesses).
config mem=16384K swap=4096K frames=0 policy=clockpro reclaim=linux data=on thp=never
file fa 32
file fb 12
spawn P0
P0 map R0 9 rw private
P0 read file fa offset=28 pages=1 into=R0
P0 read R0 0-7
# ^ failed here: P0 R0 page 0 (va 0x7ffff7ff6000): read 0x0000000000000000, shadow 0x27b8a0ba8dfa7c93; untouched word 0x0000000000000000, shadow 0xf2bd94ab0b28f7a7
