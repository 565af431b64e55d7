# Writing twice as much anonymous memory as there is RAM pushes pages out to swap; reading
# them all back brings some in with major faults. Only the direction is certain, so these
# expectations are inequalities.
config mem=32M swap=128M
spawn P
P map A 16384                   # 64 MiB
P write A 0-16383
expect sys pswpout > 0
expect P swap > 0
expect P majflt == 0
P read A 0-16383
expect P majflt > 0
expect sys pswpin > 0
expect sys pgmajfault > 0
expect sys oom_kill == 0
