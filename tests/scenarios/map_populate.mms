# MAP_POPULATE faults the whole mapping in inside mmap, and Linux charges those faults to
# the caller (get_user_pages -> handle_mm_fault counts them in the task's min_flt). A
# private writable mapping is populated by write faults, so later writes take none.
spawn P
P map A 32 populate
expect P minflt == 32
expect P rss == 128
P write A 0-31
expect P minflt == 32
