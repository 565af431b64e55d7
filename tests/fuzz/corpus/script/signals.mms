spawn P
P map A 2 none
P read A 0
expect P signal SEGV_ACCERR
P access 0 r
expect P signal SEGV_MAPERR
