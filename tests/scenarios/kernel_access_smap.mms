# A supervisor access to user memory with SMAP on and RFLAGS.AC clear is refused by the CPU
# whether or not the page is present; Linux's do_user_addr_fault() treats it as a bad area
# before handling the fault (an oops in the kernel; mmsim reports SIGSEGV). It must not be
# "handled" by mapping the page, which would only fault again.
spawn P
P map A 2
P access 0x7ffffffde000 w kernel    # the stack, never touched
expect P signal SEGV_ACCERR
expect P minflt == 0
P write A 0
P read A 0
P access 0x7ffffffff000 r kernel    # not user memory any more: no VMA, MAPERR
expect P signal SEGV_MAPERR
