# Data-shadow stress failure, shrunk to 5 operations.
# First failure in the whole run: P12 read of fb offset 3 pages 9 into R26: rc 0, 3 pages read
# First failure of this shrunk run: P1 read of fb offset 0 pages 12 into R0: rc -12, 0 pages read
# Run with: mmsim script --paranoid FILE (the reads below are the ones the
# stress checked against its shadow; the script replays the same accesses).
config mem=16384K swap=256K frames=36 policy=nru reclaim=linux data=on thp=madvise
file fa 32
file fb 12
spawn P0
P0 map R0 1024 rw shared
P0 fork P1
P0 read R0 240-871
# P0 was killed by the OOM killer
P1 read file fb offset=0 pages=12 into=R0
# ^ failed here: P1 read of fb offset 0 pages 12 into R0: rc -12, 0 pages read
