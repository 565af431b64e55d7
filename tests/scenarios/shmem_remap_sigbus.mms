# mremap() growing a shared anonymous mapping grows the VMA, not the shmem object: its size
# (i_size) stays 4 pages (Linux mm/mremap.c touches only the VMA). An access past the
# object's end finds no page: shmem_get_folio_gfp() fails for index >= i_size and
# shmem_fault() returns VM_FAULT_SIGBUS -> SIGBUS (BUS_ADRERR); no page fault is counted.
spawn P
P map S 4 shared at=0x7f0000000000
P write S 0-3
expect P minflt 4
P remap S 8                     # grows in place: the 4 pages after S are free
P read S 3                      # inside the object: mapped already, no fault
expect P signal none
P read S 4                      # index 4 >= i_size / 4096 = 4
expect P signal SIGBUS
P write S 7
expect P signal SIGBUS
expect P minflt 4               # SIGBUS faults are not counted
expect P rss 16
