# An instruction fetch from a page that is not present yet, in a VMA without PROT_EXEC:
# x86's fault handler checks only that the VMA is accessible at all before handling a
# not-present fault (Linux: arch/x86/mm/fault.c, access_error()), so the fault is handled
# and counted (the zero page is mapped, NX); the fetch is retried, faults again on the
# present NX page, and that fault ends in SIGSEGV (SEGV_ACCERR). One minor fault, then the
# signal. A fetch from a page already present takes the signal with no fault counted.
spawn P
P map D 2
P exec D 0
expect P signal SEGV_ACCERR
expect P minflt 1
expect P rss 0                  # the zero page
P write D 1
expect P minflt 2
P exec D 1
expect P signal SEGV_ACCERR
expect P minflt 2
