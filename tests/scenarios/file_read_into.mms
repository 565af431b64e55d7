# read(2) into a buffer (`P read file NAME ... into=R`): each batch the read brings into the
# page cache is copied to region R as copy_to_user() copies it (Linux 6.12 filemap_read()
# -> copy_folio_to_iter()): stores made in the kernel with RFLAGS.AC set, which fault the
# buffer in like the process's own stores and count as its faults. In data mode the
# buffer then holds the file's bytes (tests/unit/kernel/test_files.c and the data-shadow
# stress compare them). readahead off: each missing page is one read of its own.
config mem=64M read_ahead_kb=0 data=on
file f 16
spawn P
P map B 4
# pread(2) of pages 4..7, all cached: the copy's 4 stores fault B's pages in (demand
# zero, then written): 4 minor faults, 16 kB anonymous; the file is mapped nowhere.
P read file f offset=4 pages=4 into=B
expect P minflt 4
expect P majflt 0
expect P rssanon 16
expect P rssfile 0
expect sys pgfault 4
# B's pages are present and writable now: the program's own stores take no fault.
P write B 0-3
expect P minflt 4
# A cache miss in read() is no page fault: the 2 pages are read from the device (pgpgin
# 8 kB) and copied over B's first 2 pages, which are present: no fault at all.
dropcache f
P read file f pages=2 into=B
expect sys pgmajfault 0
expect sys pgpgin 8
expect cache f 2
expect P minflt 4
expect P majflt 0
