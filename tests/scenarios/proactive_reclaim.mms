# Proactive reclaim of the whole machine, as cgroup v2's memory.reclaim does it (Linux
# mm/memcontrol.c memory_reclaim()): the configured policy picks the victims, as reclaim
# under pressure would, and Linux 6.15+ counts them as pgscan/pgsteal_proactive, apart
# from direct reclaim. FIFO's victims are the oldest pages, 0-3 here: they come back with
# a major fault each, and the rest were never touched.
config mem=64M swap=16M policy=fifo reclaim=demand tlb=off
spawn P
P map A 16
P write A 0-15
reclaim 16K                    # 4 pages
expect sys pgsteal_proactive 4
expect sys pgscan_proactive >= 4
expect sys pgsteal_direct 0
expect sys pswpout 4
expect P rss 48                # 12 pages left resident
expect P swap 16
P read A 4-15                  # resident: no fault
expect P minflt 16
expect P majflt 0
P read A 0-3                   # swapped out: one major fault each
expect P majflt 4
expect sys pswpin 4
reclaim 8K all                 # `all` is the default
expect sys pgsteal_proactive 6
