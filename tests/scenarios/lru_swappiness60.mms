# The default swappiness=60 with no reclaim cost recorded yet: get_scan_count()'s
# SCAN_FRACT gives ap = 60 * (0 + 1) / (0 + 1) = 60 and fp = (200 - 60) * 1 / 1 = 140
# (Linux 6.12 mm/vmscan.c, MAX_SWAPPINESS 200), so the anon lists get 60/200 of the scan
# and the file lists 140/200 (both lists hold 32 pages). mmsim takes each scanned page
# from the type whose share is lowest: anon when 140 * anon_scanned <= 60 * file_scanned,
# i.e. 7 * a <= 3 * f (anon first on a tie). The file pages are unreferenced, so each file
# scan reclaims one; each anon page, written once, is referenced at its first look and
# kept. The 32nd file page goes after 31 file scans, by when anon was scanned while
# 7 * a <= 3 * 31 = 93, that is for a = 0..13: 14 anon scans, none reclaimed.
config mem=64M swap=128M frames=64 policy=linux reclaim=linux read_ahead_kb=0
file f 32
spawn P
P map A 40
P write A 0-31
P write A 32
expect sys pgscan_file 32
expect sys pgsteal_file 32
expect sys pgscan_anon 14
expect sys pgsteal_anon 0
expect sys pswpout 0
