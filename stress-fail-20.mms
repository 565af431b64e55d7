# Data-shadow stress failure, shrunk to 4 operations.
# First failure in the whole run: P1 R7 page 0 (va 0x7ffff7f93000): read 0x0000000000000000, shadow 0x3e0d0034845a081b; untouched word 0x0000000000000000, shadow 0xa08b853e6ccd6e46
# First failure of this shrunk run: P0 R0 page 0 (va 0x7ffff7ffe000): read 0x0000000000000000, shadow 0xc5e922d822b38379; untouched word 0x0000000000000000, shadow 0x71dc40fcf0bde49d
# Run with: mmsim script --paranoid FILE (the reads below are the ones the
# stress checked against its shadow; the script replays the same accesses).
config mem=16384K swap=4096K frames=60 policy=opt reclaim=demand data=on thp=madvise
file fa 32
file fb 12
spawn P0
P0 map R0 1 rw private
P0 read file fb offset=10 pages=1 into=R0
P0 read R0 0-0
# ^ failed here: P0 R0 page 0 (va 0x7ffff7ffe000): read 0x0000000000000000, shadow 0xc5e922d822b38379; untouched word 0x0000000000000000, shadow 0x71dc40fcf0bde49d
