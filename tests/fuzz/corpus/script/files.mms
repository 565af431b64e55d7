# Private file mappings copy on write; shared ones dirty the page cache; msync writes back;
# past the file's end is SIGBUS. Linux 6.12 mm/memory.c do_cow_fault(), do_shared_fault(),
# do_wp_page() (wp_page_copy(), wp_page_shared()); mm/filemap.c filemap_fault();
# mm/page-writeback.c folio_clear_dirty_for_io(); mm/rmap.c folio_mkclean().
config mem=64M
file data 64
spawn P
# pages=80 maps 16 pages past the end: filemap_fault() gives SIGBUS there, no fault counted.
P map E file data pages=80 shared r at=0x7f0000000000
P read E 70
expect P signal SIGBUS
expect P minflt 0
# A write to a private mapping: do_cow_fault() copies the cached page into a new anonymous
# page (no fault-around for writes). RssAnon 4 kB, RssFile 0.
P map W file data private rw at=0x7f0000100000
P write W 0
expect P minflt 1
expect P rssanon 4
expect P rssfile 0
expect cache data 64
# A read maps the file's pages of the window [0, 16) that have no PTE yet: 1..15 (60 kB).
P read W 1
expect P rssfile 60
# A write to a page mapped read-only from the cache: wp_page_copy(), file page out, anon in.
P write W 1
expect P minflt 3
expect P rssanon 8
expect P rssfile 56
# A shared write: do_shared_fault() maps the page writable and dirties it.
P map S file data shared rw at=0x7f0000200000
P write S 2
expect sys nr_dirty 1
expect P minflt 4
# A shared read maps read-only (write-notify): the write after it faults again
# (wp_page_shared()) and dirties the page.
P read S 20
expect P minflt 5
P write S 20
expect P minflt 6
expect sys nr_dirty 2
# msync writes both back (8 kB of pgpgout) and write-protects them (folio_mkclean()).
P msync S
expect sys nr_dirty 0
expect sys pgpgout 8
# So the next write faults once more and dirties the page again.
P write S 20
expect P minflt 7
expect sys nr_dirty 1
