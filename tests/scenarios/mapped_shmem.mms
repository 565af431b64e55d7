# nr_mapped (meminfo Mapped) counts every mapped page that is not anonymous: file pages
# and shmem pages alike (Linux 6.12 mm/rmap.c folio_add_file_rmap_ptes() and
# folio_remove_rmap_ptes() move NR_FILE_MAPPED for any !folio_test_anon() folio; shmem
# folios are not anon). A page counts once however many PTEs map it.
config mem=64M swap=128M read_ahead_kb=0
spawn P
P map S 16 rw shared
P write S 0-3
expect sys nr_shmem 4
expect sys nr_mapped 4
# A second mapper (fork copies no PTE of a shared mapping; the child's read maps the
# cached pages 0..3 by fault-around): still 4 pages mapped.
P fork Q
Q read S 0
expect Q minflt 1
expect Q rss 16
expect sys nr_mapped 4
P unmap S 0-15
expect sys nr_mapped 4
# File pages count too: fault-around maps the 4 cached pages of f.
file f 4
P map F file f shared r
P read F 0
expect sys nr_mapped 8
# Private anonymous pages never count.
P map A 4
P write A 0-3
expect sys nr_mapped 8
Q exit
expect sys nr_mapped 4
expect sys nr_shmem 0
P unmap F 0-3
expect sys nr_mapped 0
