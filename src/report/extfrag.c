/*
 * report/extfrag.c: the external fragmentation indices of each zone and order (Linux
 * mm/vmstat.c fill_contig_page_info(), unusable_free_index(), __fragmentation_index(),
 * shown in /sys/kernel/debug/extfrag/unusable_index and extfrag_index).
 *
 * For a request of order o, with free_pages the zone's free pages, free_blocks the free
 * blocks of every order and suitable the free blocks that could serve it (counted in
 * order-o units):
 *   unusable index      = (free_pages - suitable * 2^o) / free_pages
 *                         (1 when nothing is free): the share of free memory that is
 *                         useless to that request;
 *   fragmentation index = -1 when a suitable block exists (the request would succeed);
 *                         0 when nothing is free; otherwise
 *                         1 - (1 + free_pages / 2^o) / free_blocks:
 *                         towards 0 the failure is for lack of memory, towards 1 for
 *                         fragmentation.
 * Both are kept in thousandths and printed "%d.%03d" as Linux does.
 */
#include "report/report.h"

#include "mm/pgdat.h"
#include "util/strbuf.h"

struct contig_page_info {
	unsigned long free_pages;
	unsigned long free_blocks_total;
	unsigned long free_blocks_suitable;
};

static void fill_contig_page_info(const struct zone *z, unsigned int suitable_order,
				  struct contig_page_info *info)
{
	info->free_pages = 0;
	info->free_blocks_total = 0;
	info->free_blocks_suitable = 0;
	for (unsigned int o = 0; o < BUDDY_NR_ORDERS; o++) {
		unsigned long blocks = z->free_area[o].nr_free;

		info->free_blocks_total += blocks;
		info->free_pages += blocks << o;
		if (o >= suitable_order)
			info->free_blocks_suitable += blocks << (o - suitable_order);
	}
}

int report_unusable_free_index(const struct zone *z, unsigned int order)
{
	struct contig_page_info info;

	fill_contig_page_info(z, order, &info);
	if (!info.free_pages)
		return 1000;
	return (int)((info.free_pages - (info.free_blocks_suitable << order)) * 1000ull /
		     info.free_pages);
}

int report_fragmentation_index(const struct zone *z, unsigned int order)
{
	struct contig_page_info info;
	unsigned long requested = 1ul << order;

	fill_contig_page_info(z, order, &info);
	if (!info.free_blocks_total)
		return 0;
	if (info.free_blocks_suitable)
		return -1000;
	return 1000 -
	       (int)((1000 + info.free_pages * 1000ull / requested) / info.free_blocks_total);
}

/* One line per populated zone, an index per order (thousandths), as mm/vmstat.c's
 * unusable_show_print() ("%d.%03d ") and extfrag_show_print() ("%2d.%03d ") print them. */
static void zones_table(struct strbuf *sb, const struct pgdat *pgdat, int width,
			int (*index_of)(const struct zone *z, unsigned int order))
{
	for (unsigned int t = 0; t < ZONE_NR_TYPES; t++) {
		const struct zone *z = &pgdat->zones[t];

		if (!zone_populated(z))
			continue;
		strbuf_printf(sb, "Node %d, zone %8s ", 0, z->name);
		for (unsigned int o = 0; o < BUDDY_NR_ORDERS; o++) {
			int index = index_of(z, o);

			strbuf_printf(sb, "%*d.%03d ", width, index / 1000, index % 1000);
		}
		strbuf_puts(sb, "\n");
	}
}

void report_extfrag_unusable(struct strbuf *sb, const struct pgdat *pgdat)
{
	zones_table(sb, pgdat, 1, report_unusable_free_index);
}

void report_extfrag_index(struct strbuf *sb, const struct pgdat *pgdat)
{
	zones_table(sb, pgdat, 2, report_fragmentation_index);
}
