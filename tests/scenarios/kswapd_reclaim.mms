# Writing 78 MiB of anonymous memory on a 64 MiB machine with swap: allocations find the
# zones below their low watermark and wake kswapd, which reclaims in batches of 32 until
# free memory is above the high watermark again. The pages it takes go to swap. kswapd runs
# between accesses here, so one process touching one page at a time never outruns it:
# direct reclaim stays at zero (see frames_direct_reclaim.mms for the other case).
config mem=64M swap=256M reclaim=linux policy=linux
spawn P
P map A 20000
P write A 0-19999
expect sys pageoutrun > 0
expect sys pgscan_kswapd > 0
expect sys pgsteal_kswapd > 0
expect sys pswpout > 0
expect sys pgsteal_direct == 0
expect sys oom_kill == 0
expect P swap > 0
expect P minflt == 20000
