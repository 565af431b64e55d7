# A read fault on private anonymous memory maps the shared zero page, which is not counted
# in RSS; the later write copies it, a second fault (Linux: do_anonymous_page(), then
# do_wp_page() on the zero page). Read then write N pages = 2N faults.
spawn P
P map A 32
P read A 0-31
expect P minflt 32
expect P rss 0                  # the zero page belongs to nobody
P read A 0-31                   # mapped now: no fault
expect P minflt 32
P write A 0-31
expect P minflt 64
expect P rss 128
# Exec faults are not writes either: they map the zero page too (the region allows exec).
P map X 4 rx
P exec X 0-3
expect P minflt 68
expect P signal none
