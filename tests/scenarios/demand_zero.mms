# Demand paging of private anonymous memory: each page written for the first time takes one
# minor fault (Linux: mm/memory.c, do_anonymous_page()) and adds 4 kB to RSS.
spawn P
P map A 64
expect P minflt 0               # mmap alone touches nothing
expect P rss 0
P write A 0-63
expect P minflt 64
expect P majflt 0
expect P rss 256                # 64 pages of 4 kB
expect P signal none
expect P vmpte > 0              # the first touch built the page tables
P write A 0-63                  # the pages are present and writable now: no fault
P read A 0-63
expect P minflt 64
