# Data-shadow stress failure, shrunk to 4 operations.
# First failure in the whole run: P0 R0 page 0 (va 0x7ffff7fb6000): read 0x69973e3db0f30dfb, shadow 0x69973e3db0f30dfb; untouched word 0x0000000000000000, shadow 0xc4635b96d8df1942
# First failure of this shrunk run: P0 R0 page 3 (va 0x7ffff7fcc000): read 0x0000000000000000, shadow 0xe878ffef8dfd14b5; untouched word 0x0000000000000000, shadow 0xcaac1585fc6fd45f
# Run with: mmsim script --paranoid FILE (the reads below are the ones the
# stress checked against its shadow; the script replays the same accesses).
config mem=16384K swap=4096K frames=0 policy=arc reclaim=demand data=on thp=always
file fa 32
file fb 12
spawn P0
P0 map R0 54 rw shared
P0 read file fa offset=2 pages=7 into=R0
P0 read R0 3-35
# ^ failed here: P0 R0 page 3 (va 0x7ffff7fcc000): read 0x0000000000000000, shadow 0xe878ffef8dfd14b5; untouched word 0x0000000000000000, shadow 0xcaac1585fc6fd45f
