# Data-shadow stress failure, shrunk to 5 operations.
# First failure in the whole run: P3 R0 page 1 (va 0x7ffff7ffe000): read 0x47baa5144e301c50, shadow 0xd2f23e8b62236fbf; untouched word 0x0000000000000000, shadow 0x65efe53e346bf48c
# First failure of this shrunk run: P0 R0 page 2 (va 0x7ffff7fc5000): read 0x0000000000000000, shadow 0xa8939afbb83350fd; untouched word 0x0000000000000000, shadow 0x69159f93c490d312
# Run with: mmsim script --paranoid FILE (the reads below are the ones the
# stress checked against its shadow; the script replays the same accesses).
config mem=16384K swap=4096K frames=74 policy=s3fifo reclaim=demand data=on thp=madvise
file fa 32
file fb 12
spawn P0
P0 map R0 60 rw private
P0 read file fa offset=13 pages=4 into=R0
P0 remap R0 108
P0 read R0 2-3
# ^ failed here: P0 R0 page 2 (va 0x7ffff7fc5000): read 0x0000000000000000, shadow 0xa8939afbb83350fd; untouched word 0x0000000000000000, shadow 0x69159f93c490d312
