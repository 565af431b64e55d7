# Data-shadow stress failure, shrunk to 4 operations.
# First failure in the whole run: P42 R88 page 0 (va 0x7ffff7f86000): read 0x0000000000000000, shadow 0x05a89c8dd053d8bc; untouched word 0x0000000000000000, shadow 0x8dc2053b8d19ab0e
# First failure of this shrunk run: P0 R0 page 2 (va 0x7ffff7ffa000): read 0x0000000000000000, shadow 0xa32e71a82aca51cc; untouched word 0x0000000000000000, shadow 0x73b58e44ecac6ec4
# Run with: mmsim script --paranoid FILE (the reads below are the ones the
# stress checked against its shadow; the script replays the same accesses).
config mem=16384K swap=256K frames=53 policy=lru reclaim=demand data=on thp=never
file fa 32
file fb 12
spawn P0
P0 map R0 7 rw private
P0 read file fa offset=20 pages=6 into=R0
P0 read R0 2-4
# ^ failed here: P0 R0 page 2 (va 0x7ffff7ffa000): read 0x0000000000000000, shadow 0xa32e71a82aca51cc; untouched word 0x0000000000000000, shadow 0x73b58e44ecac6ec4
