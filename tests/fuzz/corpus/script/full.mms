# every command once
config mem=64M swap=128M policy=clock reclaim=linux layout=modern levels=4
spawn P
P map A 64
P map B 16 rw shared
P map C 4 r private at=0x7f0000000000 populate
P write A 0-63
P read A 5
P exec A 0-3
P access 0x7f0000001234 w
P access 0x1000 r kernel
P fork Q
P protect A 0-31 r
P unmap A 16-31
P advise A 0-63 dontneed
P remap A 128
P brk +16
P write heap 0-15
P brk -4
Q write A 0-7
expect P minflt 64
expect P rss >= 256
expect P signal SEGV_ACCERR
expect Q signal != SEGV_MAPERR
expect sys pswpout > 0
expect sys dTLB-load-misses <= 0x100
show P maps
show P walk 0x7f0000001234
show P walk A 3
show sys vmstat
Q exit
P exit
