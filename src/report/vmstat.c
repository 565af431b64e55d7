/*
 * report/vmstat.c: /proc/vmstat (Linux mm/vmstat.c vmstat_show()): "name value" per line,
 * in the order of enum vmstat_item.
 */
#include "report/report.h"

#include "mm/pgdat.h"
#include "mm/vmstat.h"
#include "util/strbuf.h"

void report_vmstat(struct strbuf *sb, const struct pgdat *pgdat)
{
	for (unsigned int i = 0; i < VMSTAT_NR_ITEMS; i++)
		strbuf_printf(sb, "%s %lu\n", vmstat_name((enum vmstat_item)i), pgdat->vmstat[i]);
}
