/*
 * report/buddyinfo.c: /proc/buddyinfo (Linux mm/vmstat.c frag_show_print()):
 *     Node 0, zone      DMA      1      0 ...
 * "%8s" for the zone name, "%6lu " per order; populated zones only.
 */
#include "report/report.h"

#include "mm/pgdat.h"
#include "util/strbuf.h"

void report_buddyinfo(struct strbuf *sb, const struct pgdat *pgdat)
{
	for (unsigned int t = 0; t < ZONE_NR_TYPES; t++) {
		const struct zone *z = &pgdat->zones[t];

		if (!zone_populated(z))
			continue;
		strbuf_printf(sb, "Node %d, zone %8s ", 0, z->name);
		for (unsigned int o = 0; o < BUDDY_NR_ORDERS; o++)
			strbuf_printf(sb, "%6lu ", z->free_area[o].nr_free);
		strbuf_puts(sb, "\n");
	}
}
