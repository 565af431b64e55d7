# Reclaiming one process: madvise(MADV_PAGEOUT) and `reclaim SIZE P`, which is
# process_madvise(MADV_PAGEOUT) over the whole address space (Linux mm/madvise.c
# madvise_cold_or_pageout_pte_range(), then reclaim_pages()). Only pages that no other
# process maps go (a page mapped twice, shared after fork, is skipped), lowest address
# first, whatever their Accessed bits; reclaim_pages() moves no pgsteal counter, only
# pswpout.
config mem=64M swap=16M tlb=off
spawn P
P map A 8
P write A 0-7
reclaim 4K P                   # one page: the lowest, page 0
expect P rss 28
expect P swap 4
expect sys pswpout 1
expect sys pgsteal_proactive 0
expect sys pgsteal_direct 0
P read A 0                     # back: a major fault
expect P majflt 1
P fork Q                       # Q shares all 8 pages with P
Q write A 0-1                  # Q gets its own copies of pages 0 and 1
reclaim 1M Q                   # Q's own pages go: its 2 copies; 2-7 are shared
expect Q rss 24
expect Q swap 8
expect sys pswpout 3
P advise A 0-7 pageout         # P's pages 0 and 1 are its own now (Q copied them)
expect P rss 24
expect P swap 8
expect sys pswpout 4           # page 0 came back from swap clean and kept its slot (swap
                               # under half full): it is dropped without a write
Q exit
P advise A 2-7 pageout         # Q is gone: 2-7 are P's alone
expect P rss 0
expect P swap 32
expect sys pswpout 10
