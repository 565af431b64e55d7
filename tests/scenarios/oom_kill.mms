# No swap and a 64-page cap: when Q needs a page and nothing can be reclaimed, the OOM
# killer picks the process with the largest footprint (resident + swap + page tables, as
# Linux's oom_badness() scores it): P, with 48 pages, dies and its memory is freed; Q goes
# on. A killed process's later accesses do nothing.
config mem=64M swap=0 frames=64
spawn P
spawn Q
P map A 48
P write A 0-47
Q map B 20
Q write B 0-19
expect sys oom_kill == 1
expect Q minflt == 20
expect Q rss == 80
expect P rss == 0
