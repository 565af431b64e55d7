# Data-shadow stress failure, shrunk to 6 operations.
# First failure in the whole run: P2 R2 page 3 (va 0x7ffff7fd3000): read 0x0000000000000000, shadow 0x230f1c08064eb062; untouched word 0x0000000000000000, shadow 0x2bf5168062703bee
# First failure of this shrunk run: P0 R0 page 3 (va 0x7ffff7ff8000): read 0x0000000000000000, shadow 0xbb836df5605d801b; untouched word 0x0000000000000000, shadow 0xf766549739ccee11
# Run with: mmsim script --paranoid FILE (the reads below are the ones the
# stress checked against its shadow; the script replays the same accesses).
config mem=16384K swap=4096K frames=84 policy=2q reclaim=demand data=on thp=always
file fa 32
file fb 12
spawn P0
spawn P1
P0 map R0 10 rw shared
P1 exit
P0 read file fb offset=7 pages=4 into=R0
P0 read R0 3-4
# ^ failed here: P0 R0 page 3 (va 0x7ffff7ff8000): read 0x0000000000000000, shadow 0xbb836df5605d801b; untouched word 0x0000000000000000, shadow 0xf766549739ccee11
