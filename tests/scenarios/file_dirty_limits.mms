# Dirty limits (Linux 6.12 mm/page-writeback.c balance_dirty_pages(), domain_dirty_limits()):
# with dirty_ratio=0 and dirty_background_ratio=0 both thresholds are 0 pages, so each page
# dirtied is above the freerun ceiling (throttled: counted, not timed) and above the
# background threshold: the flusher writes back every other dirty page (the one being
# written now is left for the next pass, docs/files.md), 4 kB of pgpgout each.
config mem=64M dirty_ratio=0 dirty_background_ratio=0
file f 8
spawn P
P map S file f shared rw at=0x7f0000000000
# Pages 0..7 dirtied in turn: each pass writes the page dirtied before: 7 written, page 7
# still dirty.
P write S 0-7
expect sys file_dirtied 8
expect sys file_dirty_throttled 8
expect sys file_bg_writeback 8
expect sys file_written 7
expect sys pgpgout 28
expect sys nr_dirty 1
# Writeback write-protected page 0 (folio_mkclean()): writing it again faults
# (wp_page_shared(), the 9th minor fault) and dirties it; that pass writes page 7.
P write S 0
expect P minflt 9
expect sys file_written 8
expect sys pgpgout 32
expect sys nr_dirty 1
