# fork() shares private pages copy-on-write. A forked child starts with no faults (Linux zeroes
# rusage at fork) but maps every page its parent had, so its RSS equals the parent's. Each
# first write to a shared page is a fault in the writer: a copy while the other process
# still maps the page, a reuse once it is the only user, counted as a fault all the same.
spawn P
P map A 16
P write A 0-15
expect P minflt 16
P fork Q
expect Q minflt 0
expect Q rss 64                 # Q maps P's 16 pages
Q write A 0-3                   # 4 copies
expect Q minflt 4
expect Q rss 64                 # the copies replace the shared pages
expect P minflt 16              # P is not charged for Q's faults
Q read A 4-15                   # still mapped read-only: no fault
expect Q minflt 4
P write A 0-15                  # pages 0-3: P is the only user, reuse; 4-15: copy
expect P minflt 32
P write A 0-15                  # writable now
expect P minflt 32
Q exit
expect P rss 64
