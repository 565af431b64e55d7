# Data-shadow stress failure, shrunk to 4 operations.
# First failure in the whole run: P1 R3 page 1 (va 0x7ffff7a01000): read 0xe7d050c80b3aa3ea, shadow 0xe7d050c80b3aa3ea; untouched word 0x0000000000000000, shadow 0xb01867ea142645ab
# First failure of this shrunk run: P0 R0 page 0 (va 0x7ffff7fe7000): read 0x0000000000000000, shadow 0x3edd877b625bf31e; untouched word 0x0000000000000000, shadow 0x3ed341bc73bf3dba
# Run with: mmsim script --paranoid FILE (the reads below are the ones the
# stress checked against its shadow; the script replays the same accesses).
config mem=16384K swap=4096K frames=46 policy=s3fifo reclaim=linux data=on thp=madvise
file fa 32
file fb 12
spawn P0
P0 map R0 24 rw shared
P0 read file fb offset=6 pages=5 into=R0
P0 read R0 0-23
# ^ failed here: P0 R0 page 0 (va 0x7ffff7fe7000): read 0x0000000000000000, shadow 0x3edd877b625bf31e; untouched word 0x0000000000000000, shadow 0x3ed341bc73bf3dba
