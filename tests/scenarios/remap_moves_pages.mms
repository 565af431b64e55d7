# mremap(MREMAP_MAYMOVE) moves the page-table entries with the region (Linux: mm/mremap.c,
# move_page_tables()): the pages keep their contents and rights, so touching them again
# takes no fault; only the new pages fault.
spawn P
P map A 4
P write A 0-3
expect P minflt 4
P remap A 8
P write A 0-3
expect P minflt 4
P write A 4-7
expect P minflt 8
expect P rss 32
P remap A 2                     # shrinking frees the tail
expect P rss 8
