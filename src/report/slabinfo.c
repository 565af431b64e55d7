/*
 * report/slabinfo.c: /proc/slabinfo version 2.1 (Linux mm/slab_common.c
 * print_slabinfo_header() and cache_show()). The tunables and shared columns are 0, as
 * SLUB prints them.
 * mmsim: the kernel's own caches hold mmsim's structs, whose sizes are not Linux's (a Linux
 * task_struct is kilobytes). Caches created with SLAB_MMSIM_SIZE are named on one closing
 * comment line, "# mmsim: ...": tools that read slabinfo (slabtop) skip '#' lines, and the
 * rows keep Linux's columns.
 */
#include "report/report.h"

#include <stdbool.h>

#include "mm/pgdat.h"
#include "mm/slab.h"
#include "util/strbuf.h"

/* The closing comment naming the caches whose object size is mmsim's, in row order. */
static void mmsim_sized_note(struct strbuf *sb, const struct pgdat *pgdat)
{
	const struct list_head *node;
	bool any = false;

	list_for_each(node, &pgdat->slab_caches)
	{
		const struct slab_cache *c = list_entry(node, struct slab_cache, list);

		if (!(c->flags & SLAB_MMSIM_SIZE))
			continue;
		if (!any)
			strbuf_puts(sb, "# mmsim: <objsize> is the size of mmsim's own structure, "
					"not Linux's, for:");
		strbuf_printf(sb, " %s", c->name);
		any = true;
	}
	if (any)
		strbuf_puts(sb, "\n");
}

void report_slabinfo(struct strbuf *sb, const struct pgdat *pgdat)
{
	const struct list_head *node;

	strbuf_puts(sb, "slabinfo - version: 2.1\n");
	strbuf_puts(sb, "# name            <active_objs> <num_objs> <objsize> <objperslab> "
			"<pagesperslab> : tunables <limit> <batchcount> <sharedfactor> : "
			"slabdata <active_slabs> <num_slabs> <sharedavail>\n");
	list_for_each(node, &pgdat->slab_caches)
	{
		const struct slab_cache *c = list_entry(node, struct slab_cache, list);
		struct slab_info si;

		slab_cache_info(c, &si);
		strbuf_printf(sb, "%-17s %6lu %6lu %6u %4u %4d", c->name, si.active_objs,
			      si.num_objs, si.objsize, si.objperslab, (int)si.pagesperslab);
		strbuf_printf(sb, " : tunables %4u %4u %4u", 0u, 0u, 0u);
		strbuf_printf(sb, " : slabdata %6lu %6lu %6lu\n", si.active_slabs, si.num_slabs,
			      0ul);
	}
	mmsim_sized_note(sb, pgdat);
}
