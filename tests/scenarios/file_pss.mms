# Pss shares each mapped page among the processes that map it (Linux 6.12
# fs/proc/task_mmu.c smaps_account(): PAGE_SIZE / mapcount, summed with PSS_SHIFT).
config mem=64M
file lib 16
spawn P
spawn Q
P map L file lib shared r at=0x7f0000000000
Q map L file lib shared r at=0x7f0000000000
# Each read faults in the whole 16-page window (fault-around): 64 kB each.
P read L 0
expect P rssfile 64
expect P pss 64
Q read L 0
expect Q rssfile 64
# Every page has two mappers now: 16 * 4 kB / 2 = 32 kB each.
expect P pss 32
expect Q pss 32
# An anonymous page of P's own adds 4 kB to P's Pss only.
P map A 1
P write A 0
expect P pss 36
expect P rssanon 4
expect P rss 68
expect Q pss 32
