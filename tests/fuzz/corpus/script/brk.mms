spawn P
P brk +4
P brk -5
P write heap 4
