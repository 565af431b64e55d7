# mprotect() back to writable (Linux 6.x, mm/mprotect.c, can_change_pte_writable()) makes
# exclusively owned anonymous pages writable at once, so the next write takes no fault; but
# not zero-page PTEs, and not pages a fork shared, even after the child exited (their
# exclusive mark was cleared at fork; the write fault reuses them and still counts).
spawn P
P map A 8
P write A 0-7
expect P minflt 8
P protect A 0-7 r
P write A 0
expect P signal SEGV_ACCERR
expect P minflt 8
P protect A 0-7 rw
P write A 0-7                   # exclusively owned: writable at once
expect P signal none
expect P minflt 8

P map Z 8
P read Z 0-7                    # zero page
P protect Z 0-7 r
P protect Z 0-7 rw
P write Z 0-7                   # zero-page PTEs stay read-only: 8 copy faults
expect P minflt 24

P map F 8
P write F 0-7
expect P minflt 32
P fork Q
Q exit                          # P is the only user again
P protect F 0-7 r
P protect F 0-7 rw
P write F 0-7                   # shared by a fork once: 8 faults, each a reuse
expect P minflt 40
expect P rss 96                 # A, Z and F: 24 pages
