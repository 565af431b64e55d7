/*
 * mm/check.c: the combined checker of the node (see check.h): the memmap pass, each zone's
 * buddy lists and per-CPU page lists, the zones' managed pages against totalram_pages, every slab
 * cache. It lives here, not in pgdat.c, so that pgdat only lays out memory and the allocators never
 * call back into it.
 */
#include "mm/check.h"

#include "mm/buddy.h"
#include "mm/memmap.h"
#include "mm/pcp.h"
#include "mm/pgdat.h"
#include "mm/slab.h"
#include "mm/zone.h"
#include "util/list.h"

bool check_node(const struct pgdat *pgdat, struct check_report *why)
{
	unsigned long managed = 0;
	struct list_head *node;

	if (!memmap_check(pgdat, why))
		return false;
	for (unsigned int t = 0; t < ZONE_NR_TYPES; t++) {
		if (!buddy_check(&pgdat->zones[t], why) || !pcp_check(&pgdat->zones[t], why))
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
