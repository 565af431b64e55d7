# A cap on resident user pages (frames=, like a memory cgroup's memory.max): the task that
# needs a page beyond the cap reclaims directly, 32 pages at a time as memcg reclaim does,
# and kswapd is never involved. Free memory stays far above the watermarks.
config mem=64M swap=64M frames=1000 reclaim=linux
spawn P
P map A 3000
P write A 0-2999
expect sys pgscan_direct > 0
expect sys pgsteal_direct >= 2000
expect sys pageoutrun == 0
expect sys pgsteal_kswapd == 0
expect P rss <= 4000
expect P swap >= 8000
P read A 0-2999
expect P majflt > 0
