# brk() grows and shrinks the heap; its pages fault in on first touch like any private
# anonymous memory, and pages given back are unmapped.
spawn P
P brk +16
expect P rss 0
P write heap 0-15
expect P minflt 16
expect P rss 64
P brk -8
expect P rss 32
P write heap 8                  # above the break now
expect P signal SEGV_MAPERR
P write heap 0-7
expect P signal none
expect P minflt 16
