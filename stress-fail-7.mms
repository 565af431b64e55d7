# Data-shadow stress failure, shrunk to 7 operations.
# First failure in the whole run: P0 R2 page 12 (va 0x7ffff7fca000): read 0x0000000000000000, shadow 0xc129b7c4a1973249; untouched word 0x0000000000000000, shadow 0xf5158ee66ffef023
# First failure of this shrunk run: P0 R1 page 0 (va 0x7ffff7fe2000): read 0x0000000000000000, shadow 0x648ef536fdbcfd6d; untouched word 0x0000000000000000, shadow 0x2d1a5e36a99d7f0b
# Run with: mmsim script --paranoid FILE (the reads below are the ones the
# stress checked against its shadow; the script replays the same accesses).
config mem=16384K swap=256K frames=0 policy=sieve reclaim=linux data=on thp=always
file fa 32
file fb 12
spawn P0
P0 map R0 26 rw shared
P0 map R1 3 rw private
P0 read file fa offset=15 pages=3 into=R1
P0 map R2 file fb offset=11 pages=1 shared rw
P0 map R3 41 rw private
P0 read R1 0-2
# ^ failed here: P0 R1 page 0 (va 0x7ffff7fe2000): read 0x0000000000000000, shadow 0x648ef536fdbcfd6d; untouched word 0x0000000000000000, shadow 0x2d1a5e36a99d7f0b
