/*
 * mm/pgdat.c: booting the memory of the node (see pgdat.h for the layout and its sources).
 *
 * Steps of pgdat_create(), in Linux's boot order:
 *  1. the firmware memory map: RAM ranges with frame 0 and the ISA hole left out
 *     (e820__memory_setup(), trim_bios_range());
 *  2. memblock reservations: the first MiB, the kernel image, the memmap at the top of RAM
 *     (early_reserve_memory(), sparse_init() allocating top down);
 *  3. the memmap: every struct page initialised reserved with refcount 1 and its zone
 *     (memmap_init(), __init_single_page());
 *  4. the zones: span, present and managed pages (free_area_init(), calculate_node_
 *     totalpages());
 *  5. every managed frame freed to the buddy allocator (memblock_free_all()); this counts
 *     pgfree as Linux's __free_pages_core() does;
 *  6. min_free_kbytes, watermarks and lowmem reserves (init_per_zone_wmark_min()).
 */
#include "mm/pgdat.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "mm/buddy.h"
#include "mm/check.h"
#include "mm/slab.h"

#define KERNEL_HIGH_START_PFN (UINT64_C(16) << (20 - X86_PAGE_SHIFT)) /* 16 MiB */
#define KERNEL_LOW_START_PFN (UINT64_C(1) << (20 - X86_PAGE_SHIFT))   /* 1 MiB */
#define KERNEL_HIGH_MIN_PFNS (UINT64_C(64) << (20 - X86_PAGE_SHIFT))  /* 64 MiB of RAM */
#define KERNEL_MIN_PAGES (UINT64_C(512) >> 2)			      /* 512 KiB */
#define KERNEL_MAX_PAGES (UINT64_C(32) << (20 - X86_PAGE_SHIFT))      /* 32 MiB */

bool pgdat_pfn_is_ram(const struct pgdat *pgdat, pfn_t pfn)
{
	for (unsigned int i = 0; i < pgdat->nr_ram_ranges; i++) {
		if (pfn >= pgdat->ram[i].start && pfn < pgdat->ram[i].end)
			return true;
	}
	return false;
}

/* Step 2's test: RAM that memblock reserved, so never given to the buddy allocator. */
static bool pfn_is_boot_reserved(const struct pgdat *pgdat, pfn_t pfn)
{
	if (pfn < PGDAT_LOW_RESERVED_END_PFN)
		return true;
	if (pfn >= pgdat->kernel_start_pfn && pfn - pgdat->kernel_start_pfn < pgdat->kernel_pages)
		return true;
	return pfn >= pgdat->memmap.start_pfn &&
	       pfn - pgdat->memmap.start_pfn < pgdat->memmap.nr_frames;
}

/* Steps 1 and 2: the RAM map and where the kernel image and the memmap go. */
static void layout(struct pgdat *pgdat)
{
	pfn_t n = pgdat->nr_pfns;
	pfn_t kpages = n / 64;

	pgdat->ram[0] = (struct pgdat_ram_range){ 1, PGDAT_ISA_HOLE_START_PFN };
	pgdat->ram[1] = (struct pgdat_ram_range){ PGDAT_ISA_HOLE_END_PFN, n };
	pgdat->nr_ram_ranges = 2;

	pgdat->memmap.nr_pfns = n;
	pgdat->memmap.nr_frames = memmap_frames_needed(n);
	pgdat->memmap.start_pfn = n - pgdat->memmap.nr_frames;

	if (kpages < KERNEL_MIN_PAGES)
		kpages = KERNEL_MIN_PAGES;
	if (kpages > KERNEL_MAX_PAGES)
		kpages = KERNEL_MAX_PAGES;
	pgdat->kernel_pages = (unsigned long)kpages;
	pgdat->kernel_start_pfn =
		n >= KERNEL_HIGH_MIN_PFNS ? KERNEL_HIGH_START_PFN : KERNEL_LOW_START_PFN;
}

/* Step 4: span of zone t within [1, nr_pfns), and its present and managed pages. */
static void zone_size(struct pgdat *pgdat, enum zone_type t)
{
	static const pfn_t zone_end[ZONE_NR_TYPES] = {
		[ZONE_DMA] = ZONE_DMA_END_PFN,
		[ZONE_DMA32] = ZONE_DMA32_END_PFN,
		[ZONE_NORMAL] = ~(pfn_t)0,
	};
	struct zone *z = &pgdat->zones[t];
	pfn_t lo = t == ZONE_DMA ? pgdat->ram[0].start : zone_end[t - 1];
	pfn_t hi = zone_end[t] < pgdat->nr_pfns ? zone_end[t] : pgdat->nr_pfns;

	z->pgdat = pgdat;
	z->name = zone_name(t);
	z->type = t;
	for (unsigned int o = 0; o < BUDDY_NR_ORDERS; o++)
		list_init(&z->free_area[o].free_list);
	if (t > ZONE_NORMAL || lo >= hi)
		return;
	z->start_pfn = lo;
	z->spanned_pages = (unsigned long)(hi - lo);
	for (pfn_t pfn = lo; pfn < hi; pfn++) {
		if (!pgdat_pfn_is_ram(pgdat, pfn))
			continue;
		z->present_pages++;
		if (!pfn_is_boot_reserved(pgdat, pfn))
			z->managed_pages++;
	}
}

/* Step 3: every struct page reserved, refcount 1, in its zone (DMA for pfn 0). */
static void init_memmap(struct pgdat *pgdat)
{
	memset(pgdat->memmap.pages, 0, pgdat->nr_pfns * sizeof(struct page));
	for (unsigned int t = ZONE_NR_TYPES; t-- > 0;) {
		const struct zone *z = &pgdat->zones[t];

		for (pfn_t pfn = z->start_pfn; pfn < z->start_pfn + z->spanned_pages; pfn++)
			pgdat->memmap.pages[pfn].zone_idx = (uint8_t)t;
	}
	for (pfn_t pfn = 0; pfn < pgdat->nr_pfns; pfn++) {
		struct page *pg = &pgdat->memmap.pages[pfn];

		page_flag_set(pg, PG_RESERVED);
		pg->refcount = 1;
	}
}

/* Step 5: free each run of managed frames of a zone (Linux memblock_free_all()). */
static void free_managed(struct pgdat *pgdat, struct zone *z)
{
	pfn_t end = z->start_pfn + z->spanned_pages;
	pfn_t pfn = z->start_pfn;

	while (pfn < end) {
		pfn_t run = pfn;

		while (run < end && pgdat_pfn_is_ram(pgdat, run) &&
		       !pfn_is_boot_reserved(pgdat, run)) {
			struct page *pg = &pgdat->memmap.pages[run];

			pg->flags = 0;
			pg->refcount = 0;
			run++;
		}
		if (run > pfn)
			buddy_init_range(z, pfn, run);
		pfn = run + 1;
	}
}

int pgdat_create(struct physmem *pm, uint64_t mem_bytes, struct pgdat **out)
{
	struct pgdat *pgdat;

	if (!mem_bytes)
		mem_bytes = pm->size_bytes;
	if (mem_bytes % X86_PAGE_SIZE || mem_bytes < PGDAT_MIN_MEM_BYTES ||
	    mem_bytes > PGDAT_MAX_MEM_BYTES || mem_bytes > pm->size_bytes)
		return -EINVAL;
	pgdat = calloc(1, sizeof(*pgdat));
	if (!pgdat)
		return -ENOMEM;
	pgdat->physmem = pm;
	pgdat->mem_bytes = mem_bytes;
	pgdat->nr_pfns = mem_bytes >> X86_PAGE_SHIFT;
	list_init(&pgdat->slab_caches);
	layout(pgdat);
	pgdat->memmap.pages = physmem_frame(pm, pgdat->memmap.start_pfn);
	for (unsigned int t = 0; t < ZONE_NR_TYPES; t++)
		zone_size(pgdat, (enum zone_type)t);
	init_memmap(pgdat);
	for (unsigned int t = 0; t < ZONE_NR_TYPES; t++) {
		free_managed(pgdat, &pgdat->zones[t]);
		pgdat->totalram_pages += pgdat->zones[t].managed_pages;
	}
	zone_init_watermarks(pgdat);
	*out = pgdat;
	return 0;
}

void pgdat_destroy(struct pgdat *pgdat)
{
	free(pgdat);
}

bool pgdat_check(const struct pgdat *pgdat, struct check_report *why)
{
	unsigned long managed = 0;
	struct list_head *node;

	if (!memmap_check(pgdat, why))
		return false;
	for (unsigned int t = 0; t < ZONE_NR_TYPES; t++) {
		if (!buddy_check(&pgdat->zones[t], why))
			return false;
		managed += pgdat->zones[t].managed_pages;
	}
	if (managed != pgdat->totalram_pages)
		return check_fail(why, "totalram_pages %lu but zones manage %lu",
				  pgdat->totalram_pages, managed);
	list_for_each(node, &pgdat->slab_caches)
	{
		if (!slab_check(list_entry(node, struct slab_cache, list), why))
			return false;
	}
	return true;
}
