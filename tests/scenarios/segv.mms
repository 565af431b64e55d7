# Accesses the VMAs forbid end in SIGSEGV with SEGV_ACCERR; accesses where no VMA is end in
# SEGV_MAPERR. Neither counts a fault, and the process goes on (as if a handler skipped
# the access). Linux: arch/x86/mm/fault.c, bad_area_access_error() and bad_area_nosemaphore().
spawn P
P map R 4 r
P read R 0-3                    # allowed: zero page, 4 faults
expect P signal none
expect P minflt 4
P write R 1                     # PROT_READ
expect P signal SEGV_ACCERR
expect P minflt 4
P map N 2 none
P read N 0
expect P signal SEGV_ACCERR
P map D 2
P write D 0                     # present now, and NX: the region has no PROT_EXEC
expect P minflt 5
P exec D 0
expect P signal SEGV_ACCERR
expect P minflt 5
P map H 3
P unmap H 1                     # a hole in the middle of H
P write H 1
expect P signal SEGV_MAPERR
P write H 0                     # the pages around the hole are still there
P write H 2
expect P signal none
expect P minflt 7
P access 0x1000 r               # nothing is mapped at the bottom of the address space
expect P signal SEGV_MAPERR
expect P minflt 7
