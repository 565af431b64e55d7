/*
 * mm/zone.c: zone names, watermarks, lowmem reserves and the watermark test.
 *
 * The derivation is Linux 6.x's (mm/page_alloc.c), run once at boot by
 * init_per_zone_wmark_min() and again when the sysctls change:
 *
 *  1. calculate_min_free_kbytes():
 *       lowmem_kbytes    = nr_free_buffer_pages() * 4
 *                          (managed minus high watermark, summed over the zones up to
 *                          ZONE_NORMAL; the watermarks are still 0 at boot)
 *       min_free_kbytes  = clamp(int_sqrt(lowmem_kbytes * 16), 128, 262144)
 *                          (the upper clamp was 65536 before Linux 5.7)
 *  2. __setup_per_zone_wmarks():
 *       pages_min   = min_free_kbytes / 4
 *       lowmem      = managed pages of every zone but highmem and ZONE_MOVABLE
 *       tmp         = pages_min * managed / lowmem              (the zone's share)
 *       min         = tmp; for ZONE_MOVABLE clamp(managed / 1024, 32, 128) instead
 *       tmp         = max(tmp / 4, managed * watermark_scale_factor / 10000)
 *                     (the second term with Linux's mult_frac() rounding)
 *       low = min + tmp, high = low + tmp, promo = high + tmp
 *  3. setup_per_zone_lowmem_reserve(), with sysctl_lowmem_reserve_ratio
 *     {DMA 256, DMA32 256, Normal 32, Movable 0}: for each zone i and each j > i,
 *       lowmem_reserve[j] = (managed pages of zones i+1..j) / ratio[i]
 *     (0 when the ratio is 0 or zone i manages no page).
 *  4. calculate_totalreserve_pages(): sum over zones of
 *       min(managed, high + max(lowmem_reserve[j >= i])).
 */
#include "mm/zone.h"

#include <errno.h>

#include "mm/pgdat.h"

static const char *const zone_names[ZONE_NR_TYPES] = {
	[ZONE_DMA] = "DMA",	    [ZONE_DMA32] = "DMA32",   [ZONE_NORMAL] = "Normal",
	[ZONE_MOVABLE] = "Movable", [ZONE_DEVICE] = "Device",
};

/* Linux sysctl_lowmem_reserve_ratio defaults (mm/page_alloc.c). */
static const unsigned int lowmem_reserve_ratio[ZONE_NR_TYPES] = {
	[ZONE_DMA] = 256,   [ZONE_DMA32] = 256, [ZONE_NORMAL] = 32,
	[ZONE_MOVABLE] = 0, [ZONE_DEVICE] = 0,
};

#define SWAP_CLUSTER_MAX 32ul /* Linux: reclaim batch, also the Movable min floor */

const char *zone_name(enum zone_type t)
{
	return (unsigned int)t < ZONE_NR_TYPES ? zone_names[t] : "?";
}

unsigned long zone_int_sqrt(unsigned long x)
{
	unsigned long r = 0, bit = 1ul << (sizeof(unsigned long) * 8 - 2);

	while (bit > x)
		bit >>= 2;
	while (bit) {
		if (x >= r + bit) {
			x -= r + bit;
			r = (r >> 1) + bit;
		} else {
			r >>= 1;
		}
		bit >>= 2;
	}
	return r;
}

/* Linux mult_frac(x, n, d): x * n / d without overflowing x * n. */
static unsigned long mult_frac(unsigned long x, unsigned long n, unsigned long d)
{
	return (x / d) * n + ((x % d) * n) / d;
}

/* Step 1: Linux calculate_min_free_kbytes() with nr_free_buffer_pages(). */
static void calculate_min_free_kbytes(struct pgdat *pgdat)
{
	unsigned long buffer_pages = 0, kbytes;

	for (unsigned int t = 0; t <= ZONE_NORMAL; t++) {
		const struct zone *z = &pgdat->zones[t];
		unsigned long high = zone_wmark_pages(z, ZONE_WMARK_HIGH);

		if (z->managed_pages > high)
			buffer_pages += z->managed_pages - high;
	}
	kbytes = zone_int_sqrt(buffer_pages * (X86_PAGE_SIZE >> 10) * 16);
	if (kbytes < ZONE_MIN_FREE_KBYTES_MIN)
		kbytes = ZONE_MIN_FREE_KBYTES_MIN;
	if (kbytes > ZONE_MIN_FREE_KBYTES_MAX)
		kbytes = ZONE_MIN_FREE_KBYTES_MAX;
	pgdat->min_free_kbytes = kbytes;
}

/* Step 4: Linux calculate_totalreserve_pages(). */
static void calculate_totalreserve_pages(struct pgdat *pgdat)
{
	unsigned long total = 0;

	for (unsigned int i = 0; i < ZONE_NR_TYPES; i++) {
		const struct zone *z = &pgdat->zones[i];
		unsigned long max = 0;

		for (unsigned int j = i; j < ZONE_NR_TYPES; j++) {
			if (z->lowmem_reserve[j] > max)
				max = z->lowmem_reserve[j];
		}
		max += zone_wmark_pages(z, ZONE_WMARK_HIGH);
		if (max > z->managed_pages)
			max = z->managed_pages;
		total += max;
	}
	pgdat->totalreserve_pages = total;
}

/* Step 2: Linux __setup_per_zone_wmarks(). */
static void setup_per_zone_wmarks(struct pgdat *pgdat)
{
	unsigned long pages_min = pgdat->min_free_kbytes >> (X86_PAGE_SHIFT - 10);
	unsigned long lowmem_pages = 0;

	for (unsigned int t = 0; t < ZONE_NR_TYPES; t++) {
		if (t != ZONE_MOVABLE)
			lowmem_pages += pgdat->zones[t].managed_pages;
	}
	for (unsigned int t = 0; t < ZONE_NR_TYPES; t++) {
		struct zone *z = &pgdat->zones[t];
		unsigned long tmp = 0;

		if (lowmem_pages)
			tmp = (unsigned long)((uint64_t)pages_min * z->managed_pages /
					      lowmem_pages);
		if (t == ZONE_MOVABLE) {
			unsigned long min_pages = z->managed_pages / 1024;

			if (min_pages < SWAP_CLUSTER_MAX)
				min_pages = SWAP_CLUSTER_MAX;
			if (min_pages > 128)
				min_pages = 128;
			z->watermark[ZONE_WMARK_MIN] = min_pages;
		} else {
			z->watermark[ZONE_WMARK_MIN] = tmp;
		}
		{
			unsigned long scaled =
				mult_frac(z->managed_pages, pgdat->watermark_scale_factor, 10000);

			tmp = (tmp >> 2) > scaled ? (tmp >> 2) : scaled;
		}
		z->watermark[ZONE_WMARK_LOW] = z->watermark[ZONE_WMARK_MIN] + tmp;
		z->watermark[ZONE_WMARK_HIGH] = z->watermark[ZONE_WMARK_LOW] + tmp;
		z->watermark[ZONE_WMARK_PROMO] = z->watermark[ZONE_WMARK_HIGH] + tmp;
	}
	calculate_totalreserve_pages(pgdat);
	/* Linux setup_per_zone_wmarks(): "The watermark size have changed so update the pcpu
	 * batch and high limits" (zone_pcp_update()). */
	for (unsigned int t = 0; t < ZONE_NR_TYPES; t++)
		pcp_update(&pgdat->zones[t]);
}

/* Step 3: Linux setup_per_zone_lowmem_reserve(). */
static void setup_per_zone_lowmem_reserve(struct pgdat *pgdat)
{
	for (unsigned int i = 0; i + 1 < ZONE_NR_TYPES; i++) {
		struct zone *z = &pgdat->zones[i];
		unsigned int ratio = lowmem_reserve_ratio[i];
		bool clear = !ratio || !z->managed_pages;
		unsigned long managed = 0;

		for (unsigned int j = i + 1; j < ZONE_NR_TYPES; j++) {
			managed += pgdat->zones[j].managed_pages;
			z->lowmem_reserve[j] = clear ? 0 : managed / ratio;
		}
	}
	calculate_totalreserve_pages(pgdat);
}

void zone_init_watermarks(struct pgdat *pgdat)
{
	if (!pgdat->watermark_scale_factor)
		pgdat->watermark_scale_factor = ZONE_WATERMARK_SCALE_FACTOR;
	if (!pgdat->min_free_kbytes_user)
		calculate_min_free_kbytes(pgdat);
	setup_per_zone_wmarks(pgdat);
	setup_per_zone_lowmem_reserve(pgdat);
}

void zone_set_min_free_kbytes(struct pgdat *pgdat, unsigned long kbytes)
{
	pgdat->min_free_kbytes = kbytes;
	pgdat->min_free_kbytes_user = true;
	setup_per_zone_wmarks(pgdat);
}

int zone_set_watermark_scale_factor(struct pgdat *pgdat, unsigned int factor)
{
	/* Linux accepts 1..3000 (SYSCTL_ONE .. SYSCTL_THREE_THOUSAND). */
	if (factor < 1 || factor > 3000)
		return -EINVAL;
	pgdat->watermark_scale_factor = factor;
	setup_per_zone_wmarks(pgdat);
	return 0;
}

bool zone_watermark_ok(const struct zone *z, unsigned int order, unsigned long mark,
		       enum zone_type highest_zoneidx)
{
	long free_pages = (long)z->nr_free_pages - ((1l << order) - 1);

	/* An order-0 check first: a high-order request must pass it too. */
	if (free_pages <= (long)(mark + z->lowmem_reserve[highest_zoneidx]))
		return false;
	if (!order)
		return true;
	for (unsigned int o = order; o < BUDDY_NR_ORDERS; o++) {
		if (z->free_area[o].nr_free)
			return true;
	}
	return false;
}
