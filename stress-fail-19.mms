# Data-shadow stress failure, shrunk to 6 operations.
# First failure in the whole run: P8 R6 page 0 (va 0x7ffff7fca000): read 0x0000000000000000, shadow 0xc5e922d822b38379; untouched word 0x0000000000000000, shadow 0x71dc40fcf0bde49d
# First failure of this shrunk run: P0 R0 page 0 (va 0x7ffff7fee000): read 0x0000000000000000, shadow 0x3edd877b625bf31e; untouched word 0x0000000000000000, shadow 0x3ed341bc73bf3dba
# Run with: mmsim script --paranoid FILE (the reads below are the ones the
# stress checked against its shadow; the script replays the same accesses).
config mem=16384K swap=4096K frames=60 policy=linux reclaim=demand data=on thp=never
file fa 32
file fb 12
spawn P0
P0 map R0 17 rw shared
P0 read file fb offset=6 pages=1 into=R0
P0 map R1 27 rw private
P0 map R2 20 rw private
P0 read R0 0-16
# ^ failed here: P0 R0 page 0 (va 0x7ffff7fee000): read 0x0000000000000000, shadow 0x3edd877b625bf31e; untouched word 0x0000000000000000, shadow 0x3ed341bc73bf3dba
