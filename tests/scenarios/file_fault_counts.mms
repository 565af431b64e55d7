# mmsim's file_faults and file_major_faults counters (docs/files.md), which `mmsim run`'s
# report shows when non-zero: every page fault on a file-backed mapping, and those that
# had to read the file (page-cache misses: major faults). Same setup as
# file_readaround.mms (read_ahead_kb=128, so ra_pages = 32).
config mem=64M read_ahead_kb=128
file data 64
spawn P
P map D file data private r at=0x7f0000000000
# Cached (as after `file`): a minor fault, with fault-around over pages 0..15.
P read D 0
expect sys file_faults 1
expect sys file_major_faults 0
# Pages 1..15 were mapped by that fault-around: no fault.
P read D 1-15
expect sys file_faults 1
# Page 32 after dropcache: a miss, a major fault (read-around brings [16, 48) in).
dropcache data
P read D 32
expect sys file_faults 2
expect sys file_major_faults 1
expect sys pgmajfault 1
# A write to the read-only mapping ends in SIGSEGV, which counts no fault.
P write D 17
expect P signal SEGV_ACCERR
expect sys file_faults 2
# A second mapping, writable: the write copies page 50 (not cached: major, read-around).
P map W file data private rw
P write W 50
expect sys file_faults 3
expect sys file_major_faults 2
