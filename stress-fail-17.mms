# Data-shadow stress failure, shrunk to 10 operations.
# First failure in the whole run: P6 R14 page 7 (va 0x7ffff7f6b000): read 0x0000000000000000, shadow 0xdffca2407e02ba7c; untouched word 0x0000000000000000, shadow 0xdb6d18cf488366ed
# First failure of this shrunk run: P1 R0 page 0 (va 0x7ffff7ff8000): read 0x0000000000000000, shadow 0xc5e922d822b38379; untouched word 0x0000000000000000, shadow 0x71dc40fcf0bde49d
# Run with: mmsim script --paranoid FILE (the reads below are the ones the
# stress checked against its shadow; the script replays the same accesses).
config mem=16384K swap=4096K frames=0 policy=nru reclaim=demand data=on thp=never
file fa 32
file fb 12
spawn P0
P0 map R0 7 rw shared
P0 fork P1
P1 map R1 3 rw shared
P1 map R2 29 rw private
P1 map R3 50 rw shared
P0 exit
P1 map R4 52 rw shared
P1 read file fb offset=10 pages=2 into=R0
P1 read R0 0-4
# ^ failed here: P1 R0 page 0 (va 0x7ffff7ff8000): read 0x0000000000000000, shadow 0xc5e922d822b38379; untouched word 0x0000000000000000, shadow 0x71dc40fcf0bde49d
