# Per-CPU page lists (Linux mm/page_alloc.c: free_unref_page_commit(), rmqueue_pcplist(),
# nr_pcp_free(); docs/kernel.md). On this 64 MiB machine the DMA32 zone manages about
# 11,800 pages: zone_batchsize() = rounddown_pow_of_two(2 + 1) - 1 = 1, and high = the
# zone's low watermark, 233 (zone_highsize() with one CPU). User pages come from DMA32.
# 15500 is mmsim's own figure after the first 101 allocations (100 pages and their page
# table; a regression value); every later figure is derived from it by Linux's rules.
config mem=64M swap=0 pcp=on paranoid=on
spawn P
P map A 100
P write A 0-99
expect sys nr_free_pages == 15500
# 101 frees (100 pages and the emptied page table): fewer than high, so all wait on the
# pcp list, and nr_free_pages does not see them.
P unmap A 0-99
expect sys nr_free_pages == 15500
# The next 101 allocations take exactly those pages back (the list is refilled only when
# empty): still no change.
P map B 100
P write B 0-99
expect sys nr_free_pages == 15500
# 101 back to the list, then 301 allocations: 101 from the list, 200 from the free lists
# (a refill of batch = 1 each).
P unmap B 0-99
P map C 300
P write C 0-299
expect sys nr_free_pages == 15300
# 301 frees: the list reaches high at the 233rd and gives back its coldest pages, 1, then
# 2, 4, ... 64 (nr_pcp_free() doubles while no allocation comes) at frees 233, 234, 236,
# 240, 248, 264 and 296: 127 pages back, 174 left on the list.
P unmap C 0-299
expect sys nr_free_pages == 15427
expect sys pgfree == 503
