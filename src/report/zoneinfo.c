/*
 * report/zoneinfo.c: /proc/zoneinfo (Linux 6.x mm/vmstat.c zoneinfo_show_print()).
 *
 * Every zone, populated or not, with the block Linux prints: pages free, boost, min, low,
 * high, promo, spanned, present, managed, cma and the protection (lowmem_reserve) line.
 * For populated zones Linux goes on with per-node stats, per-zone stats and per-CPU
 * pagesets; mmsim prints the zone's nr_free_pages stat, the pageset of its one CPU in the
 * format of Linux 6.1-6.6 (count, high, batch, and the zone's vm stats threshold:
 * calculate_normal_threshold()), node_unreclaimable and start_pfn. Linux 6.7+ adds
 * high_min and high_max lines for its adaptive high, which mmsim does not model (mm/pcp.h).
 */
#include "report/report.h"

#include "mm/pgdat.h"
#include "util/strbuf.h"

/* Linux fls(): the 1-based index of the highest set bit, 0 for 0. */
static int fls_ul(unsigned long x)
{
	return x ? 64 - __builtin_clzl(x) : 0;
}

/*
 * Linux mm/vmstat.c calculate_normal_threshold(): 2 * fls(online CPUs) * (1 + fls(managed
 * memory in 128 MiB units)), at most 125. One CPU here. (The host kernel this was checked
 * on, 2 CPUs, prints 4 for a DMA zone of 3840 pages and 24 for a DMA32 zone of 772848.)
 */
static int stat_threshold(const struct zone *z)
{
	int threshold = 2 * fls_ul(1) * (1 + fls_ul(z->managed_pages >> (27 - X86_PAGE_SHIFT)));

	return threshold < 125 ? threshold : 125;
}

static void print_zone(struct strbuf *sb, const struct zone *z)
{
	strbuf_printf(sb, "Node %d, zone %8s", 0, z->name);
	strbuf_printf(sb,
		      "\n  pages free     %lu"
		      "\n        boost    %lu"
		      "\n        min      %lu"
		      "\n        low      %lu"
		      "\n        high     %lu"
		      "\n        promo    %lu"
		      "\n        spanned  %lu"
		      "\n        present  %lu"
		      "\n        managed  %lu"
		      "\n        cma      %lu",
		      z->nr_free_pages, 0ul, z->watermark[ZONE_WMARK_MIN],
		      z->watermark[ZONE_WMARK_LOW], z->watermark[ZONE_WMARK_HIGH],
		      z->watermark[ZONE_WMARK_PROMO], z->spanned_pages, z->present_pages,
		      z->managed_pages, 0ul);
	strbuf_printf(sb, "\n        protection: (%ld", (long)z->lowmem_reserve[0]);
	for (unsigned int i = 1; i < ZONE_NR_TYPES; i++)
		strbuf_printf(sb, ", %ld", (long)z->lowmem_reserve[i]);
	strbuf_puts(sb, ")");
	if (!zone_populated(z)) {
		strbuf_puts(sb, "\n");
		return;
	}
	strbuf_printf(sb, "\n      %-12s %lu", "nr_free_pages", z->nr_free_pages);
	strbuf_printf(sb,
		      "\n  pagesets"
		      "\n    cpu: %i"
		      "\n              count: %i"
		      "\n              high:  %i"
		      "\n              batch: %i"
		      "\n  vm stats threshold: %d",
		      0, (int)z->pcp.count, (int)z->pcp.high, (int)z->pcp.batch, stat_threshold(z));
	strbuf_printf(sb,
		      "\n  node_unreclaimable:  %u"
		      "\n  start_pfn:           %lu\n",
		      0u, (unsigned long)z->start_pfn);
}

void report_zoneinfo(struct strbuf *sb, const struct pgdat *pgdat)
{
	for (unsigned int t = 0; t < ZONE_NR_TYPES; t++)
		print_zone(sb, &pgdat->zones[t]);
}
