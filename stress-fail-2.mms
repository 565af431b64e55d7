# Data-shadow stress failure, shrunk to 4 operations.
# First failure in the whole run: P0 R0 page 0 (va 0x7ffff7fcc000): read 0x0000000000000000, shadow 0x3b5fe274b20c23fe; untouched word 0x0000000000000000, shadow 0x0031c56f4fdee972
# First failure of this shrunk run: P0 R0 page 0 (va 0x7ffff7fd0000): read 0x0000000000000000, shadow 0xa833d2bd984fa270; untouched word 0x0000000000000000, shadow 0xc4635b96d8df1942
# Run with: mmsim script --paranoid FILE (the reads below are the ones the
# stress checked against its shadow; the script replays the same accesses).
config mem=16384K swap=4096K frames=0 policy=clock reclaim=linux data=on thp=always
file fa 32
file fb 12
spawn P0
P0 map R0 47 rw private
P0 read file fb offset=0 pages=2 into=R0
P0 read R0 0-46
# ^ failed here: P0 R0 page 0 (va 0x7ffff7fd0000): read 0x0000000000000000, shadow 0xa833d2bd984fa270; untouched word 0x0000000000000000, shadow 0xc4635b96d8df1942
