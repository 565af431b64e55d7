# madvise(MADV_DONTNEED) on private anonymous memory drops the pages: RSS falls, and the next
# touch is a fresh demand-zero fault (Linux: mm/madvise.c, zap_page_range).
spawn P
P map A 8
P write A 0-7
expect P rss 32
P advise A 0-3 dontneed
expect P rss 16
P write A 0-7
expect P minflt 12
expect P rss 32
