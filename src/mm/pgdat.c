/*
 * mm/pgdat.c: booting the memory of the node (see pgdat.h for the layout and its sources).
 *
 * Steps of pgdat_create(), in Linux's boot order:
 *  1. the firmware memory map: RAM ranges with frame 0 and the ISA hole left out
 *     (e820__memory_setup(), trim_bios_range());
 *  2. memblock reservations: the first MiB, the kernel image, the memmap at the top of RAM
 *     (early_reserve_memory(), sparse_init() allocating top down);
 *  3. the memmap: every frame that is not managed RAM reserved with refcount 1 and its
 *     zone (memmap_init(), __init_single_page()); managed frames are left zero, which is
 *     the free state, and the memmap's own frames are written on demand (mmsim: lazy
 *     memmap, see init_memmap());
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

/* Whether the buddy allocator manages pfn: RAM that memblock did not reserve. */
static bool pfn_is_managed(const struct pgdat *pgdat, pfn_t pfn)
{
	return pgdat_pfn_is_ram(pgdat, pfn) && !pfn_is_boot_reserved(pgdat, pfn);
}

static void lower_to(pfn_t *best, pfn_t pfn, pfn_t bound)
{
	if (bound > pfn && bound < *best)
		*best = bound;
}

/*
 * The first frame above pfn where a RAM range or a memblock reservation starts or ends
 * (nr_pfns at most): every frame of [pfn, result) is alike for the two tests above, so
 * boot steps over whole ranges instead of frame by frame.
 */
static pfn_t next_boundary(const struct pgdat *pgdat, pfn_t pfn)
{
	pfn_t best = pgdat->nr_pfns;

	for (unsigned int i = 0; i < pgdat->nr_ram_ranges; i++) {
		lower_to(&best, pfn, pgdat->ram[i].start);
		lower_to(&best, pfn, pgdat->ram[i].end);
	}
	lower_to(&best, pfn, PGDAT_LOW_RESERVED_END_PFN);
	lower_to(&best, pfn, pgdat->kernel_start_pfn);
	lower_to(&best, pfn, pgdat->kernel_start_pfn + pgdat->kernel_pages);
	lower_to(&best, pfn, pgdat->memmap.start_pfn);
	lower_to(&best, pfn, pgdat->memmap.start_pfn + pgdat->memmap.nr_frames);
	return best;
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
	for (pfn_t pfn = lo, next; pfn < hi; pfn = next) {
		next = next_boundary(pgdat, pfn);
		if (next > hi)
			next = hi;
		if (!pgdat_pfn_is_ram(pgdat, pfn))
			continue;
		z->present_pages += (unsigned long)(next - pfn);
		if (!pfn_is_boot_reserved(pgdat, pfn))
			z->managed_pages += (unsigned long)(next - pfn);
	}
}

/* Step 3 for one frame: reserved, refcount 1, in the zone whose span holds it. */
static void reserve_frame(struct pgdat *pgdat, pfn_t pfn)
{
	struct page *pg = &pgdat->memmap.pages[pfn];

	for (unsigned int t = 0; t < ZONE_NR_TYPES; t++) {
		const struct zone *z = &pgdat->zones[t];

		if (z->spanned_pages && pfn >= z->start_pfn &&
		    pfn - z->start_pfn < z->spanned_pages)
			pg->zone_idx = (uint8_t)t;
	}
	page_flag_set(pg, PG_RESERVED);
	pg->refcount = 1;
}

/*
 * Step 3: every frame that is not managed RAM (a hole, or memblock-reserved) becomes
 * reserved with refcount 1, in its zone (DMA for pfn 0 and frames outside every zone).
 * mmsim: lazy memmap. The frames the buddy allocator will manage are left as they are:
 * physmem_init() maps fresh zero-filled memory, and an all-zero struct page is already a
 * free frame (no flags, refcount 0). Their zone is written when the buddy allocator first
 * makes the frame the head of a block or the tail of an allocated one (buddy.c). The
 * memmap's own frames (1/64 of RAM) are reserved in name only (memmap_self_lazy) until
 * pgdat_memmap_materialize(): nothing allocates or frees them, and the readers of frames
 * they did not allocate materialize first; memmap_check() knows the range. So host memory
 * for the memmap is spent only on frames the simulation touches, and a machine of many GiB
 * boots in milliseconds; Linux initialises every struct page at boot (memmap_init(),
 * __init_single_page(), reserve_bootmem_region(); or in the background with
 * DEFERRED_STRUCT_PAGE_INIT).
 */
static void init_memmap(struct pgdat *pgdat)
{
	pgdat->memmap_self_lazy = true;
	for (pfn_t pfn = 0; pfn < pgdat->nr_pfns; pfn++) {
		if (pfn_is_managed(pgdat, pfn) || pgdat_pfn_is_lazy_memmap(pgdat, pfn)) {
			pfn = next_boundary(pgdat, pfn) - 1; /* the rest of the range */
			continue;
		}
		reserve_frame(pgdat, pfn);
	}
}

void pgdat_memmap_materialize(struct pgdat *pgdat)
{
	if (pgdat->memmap_self_lazy) {
		pgdat->memmap_self_lazy = false;
		for (pfn_t i = 0; i < pgdat->memmap.nr_frames; i++)
			reserve_frame(pgdat, pgdat->memmap.start_pfn + i);
	}
	for (unsigned int t = 0; t < ZONE_NR_TYPES; t++)
		buddy_materialize(&pgdat->zones[t]);
}

/* Step 5: free each maximal run of managed frames of a zone (Linux memblock_free_all()). */
static void free_managed(struct pgdat *pgdat, struct zone *z)
{
	pfn_t end = z->start_pfn + z->spanned_pages;
	pfn_t pfn = z->start_pfn;

	while (pfn < end) {
		pfn_t run = pfn;

		/* The frames are free already (step 3): only the run is found here. */
		while (run < end && pfn_is_managed(pgdat, run)) {
			run = next_boundary(pgdat, run);
			if (run > end)
				run = end;
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
	for (unsigned int t = 0; t < ZONE_NR_TYPES; t++) {
		zone_size(pgdat, (enum zone_type)t);
		pcp_init(&pgdat->zones[t]);
	}
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
