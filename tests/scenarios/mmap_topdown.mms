# Top-down placement (Linux: mm/vma.c unmapped_area_topdown(), called by x86's
# arch_get_unmapped_area_topdown() with high_limit = mmap_base, low_limit = mmap_min_addr):
# a mapping without an address goes into the HIGHEST gap below mmap_base that holds it, at
# that gap's top. After exec with randomisation off, mmap_base = TASK_SIZE - 128 MiB
# = 0x7ffffffff000 - 0x8000000 = 0x7ffff7fff000 (the stack is above it).
spawn P
P brk +4                        # [heap] at 0x555555559000, 4 pages
P write heap 0-3
P map F 4 at=0x7f0000000000     # a low MAP_FIXED region
P write F 0-3
# A (4 pages = 0x4000): the highest gap is [0x7f0000004000, 0x7ffff7fff000), so A is
# [0x7ffff7fff000 - 0x4000, 0x7ffff7fff000) = [0x7ffff7ffb000, 0x7ffff7fff000): not next to
# the heap, not next to F, merged with neither.
P map A 4
P access 0x7ffff7ffb000 r
expect P signal none
P access 0x7ffff7ffe000 r
expect P signal none
P access 0x7ffff7ffa000 r       # one page below A: nothing there
expect P signal SEGV_MAPERR
P access 0x7ffff7fff000 r       # mmap_base itself: nothing there
expect P signal SEGV_MAPERR
P access 0x7effffffc000 r       # below F, where A went before: nothing there
expect P signal SEGV_MAPERR
P access 0x555555558000 r       # below the heap: nothing there
expect P signal SEGV_MAPERR
# The two reads of A mapped the zero page: 4 (heap) + 4 (F) + 2 (A) faults. Neither read
# gave A an anon_vma (do_anonymous_page() maps the zero page before anon_vma_prepare()).
expect P minflt 10
# Tables: heap, F and A each sit under their own PML4 entry (0x555555559000 >> 39 = 0xaa,
# 0x7f0000000000 >> 39 = 0xfe, 0x7ffff7ffb000 >> 39 = 0xff): a PUD, a PMD and a PT each.
expect P vmpte 36
# fork copies the page tables of VMAs with an anon_vma only (mm/memory.c vma_needs_copy()):
# the heap's and F's, not A's. Q gets 2 x 3 tables = 24 kB and the 8 written pages (32 kB).
P fork Q
expect Q vmpte 24
expect Q rss 32
# Q's first read of A faults (its PTEs were not copied) and builds A's 3 tables.
Q read A 0
expect Q minflt 1
expect Q vmpte 36
# A second mapping goes right below A, at [0x7ffff7ff9000, 0x7ffff7ffb000), and merges with
# it (same flags, A has no anon_vma yet: Linux is_mergeable_anon_vma()).
P map B 2
P access 0x7ffff7ff9000 r
expect P signal none
P access 0x7ffff7ff8000 r
expect P signal SEGV_MAPERR
