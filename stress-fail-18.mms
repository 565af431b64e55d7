# Data-shadow stress failure, shrunk to 4 operations.
# First failure in the whole run: P5 R26 page 0 (va 0x7ffff7ffc000): read 0xb7514819595fa3d7, shadow 0xb7514819595fa3d7; untouched word 0x0000000000000000, shadow 0xc39bee9d173ac580
# First failure of this shrunk run: P0 R0 page 0 (va 0x7ffff7fdc000): read 0x0000000000000000, shadow 0xe9b403a8f5a59ddc; untouched word 0x0000000000000000, shadow 0x29c6d56009387a0d
# Run with: mmsim script --paranoid FILE (the reads below are the ones the
# stress checked against its shadow; the script replays the same accesses).
config mem=16384K swap=256K frames=34 policy=random reclaim=demand data=on thp=madvise
file fa 32
file fb 12
spawn P0
P0 map R0 35 rw private
P0 read file fa offset=1 pages=25 into=R0
P0 read R0 0-34
# ^ failed here: P0 R0 page 0 (va 0x7ffff7fdc000): read 0x0000000000000000, shadow 0xe9b403a8f5a59ddc; untouched word 0x0000000000000000, shadow 0x29c6d56009387a0d
