# Data-shadow stress failure, shrunk to 7 operations.
# First failure in the whole run: P6 R9 page 0 (va 0x7ffff7ff6000): read 0x515ba6b7cffaffe4, shadow 0x515ba6b7cffaffe4; untouched word 0x0000000000000000, shadow 0x3ed341bc73bf3dba
# First failure of this shrunk run: P0 R0 page 6 (va 0x7ffff7ff9000): read 0x0000000000000000, shadow 0xe77eaf399dcfafa9; untouched word 0x0000000000000000, shadow 0x6b5f25ca5c1eac49
# Run with: mmsim script --paranoid FILE (the reads below are the ones the
# stress checked against its shadow; the script replays the same accesses).
config mem=16384K swap=4096K frames=65 policy=lru reclaim=linux data=on thp=always
file fa 32
file fb 12
spawn P0
P0 map R0 12 rw private
P0 map R1 file fa offset=4 pages=5 private rw
P0 read file fa offset=10 pages=12 into=R0
P0 map R2 9 rw shared
P0 map R3 file fb offset=6 pages=3 shared rw
P0 read R0 6-11
# ^ failed here: P0 R0 page 6 (va 0x7ffff7ff9000): read 0x0000000000000000, shadow 0xe77eaf399dcfafa9; untouched word 0x0000000000000000, shadow 0x6b5f25ca5c1eac49
