/*
 * report/meminfo.c: /proc/meminfo (Linux 6.x fs/proc/meminfo.c meminfo_proc_show()) and
 * MemAvailable (mm/show_mem.c si_mem_available()).
 *
 * Each line is Linux's show_val_kb(): the label padded to 16 columns, the value in kB
 * right-aligned in 8, then " kB". The fields printed are Linux's, in its order, from
 * MemTotal to CommitLimit; the ones mmsim has nothing for yet (file pages, buffers)
 * come from counters that stay 0. Not printed: Zswap, Committed_AS, Vmalloc*, Percpu,
 * HardwareCorrupted, the huge-page and DirectMap lines (mmsim: not modelled yet).
 *
 * MemAvailable, as si_mem_available() computes it:
 *     available = free - totalreserve_pages
 *               + pagecache - min(pagecache / 2, sum of low watermarks)
 *               + reclaimable slab - min(reclaimable / 2, sum of low watermarks)
 * with pagecache = active + inactive file pages; never below 0.
 */
#include "report/report.h"

#include "mm/pgdat.h"
#include "util/strbuf.h"

#define OVERCOMMIT_RATIO 50ul /* Linux vm.overcommit_ratio default */

static void show_val_kb(struct strbuf *sb, const char *label, unsigned long pages)
{
	strbuf_printf(sb, "%-16s%8lu kB\n", label, pages << (X86_PAGE_SHIFT - 10));
}

unsigned long report_mem_available(const struct pgdat *pgdat)
{
	const unsigned long *v = pgdat->vmstat;
	unsigned long wmark_low = 0, pagecache, reclaimable;
	long available;

	for (unsigned int t = 0; t < ZONE_NR_TYPES; t++)
		wmark_low += pgdat->zones[t].watermark[ZONE_WMARK_LOW];
	available = (long)v[VMSTAT_NR_FREE_PAGES] - (long)pgdat->totalreserve_pages;
	pagecache = v[VMSTAT_NR_ACTIVE_FILE] + v[VMSTAT_NR_INACTIVE_FILE];
	pagecache -= pagecache / 2 < wmark_low ? pagecache / 2 : wmark_low;
	available += (long)pagecache;
	reclaimable = v[VMSTAT_NR_SLAB_RECLAIMABLE];
	reclaimable -= reclaimable / 2 < wmark_low ? reclaimable / 2 : wmark_low;
	available += (long)reclaimable;
	return available < 0 ? 0 : (unsigned long)available;
}

void report_meminfo(struct strbuf *sb, const struct pgdat *pgdat,
		    const struct report_swap_totals *swap)
{
	const unsigned long *v = pgdat->vmstat;
	unsigned long swap_total = swap ? swap->total_pages : 0;
	unsigned long swap_free = swap ? swap->free_pages : 0;
	long cached = (long)v[VMSTAT_NR_FILE_PAGES] - (long)v[VMSTAT_NR_SWAPCACHE];
	unsigned long sreclaimable = v[VMSTAT_NR_SLAB_RECLAIMABLE];
	unsigned long sunreclaim = v[VMSTAT_NR_SLAB_UNRECLAIMABLE];

	if (cached < 0)
		cached = 0;
	show_val_kb(sb, "MemTotal:", pgdat->totalram_pages);
	show_val_kb(sb, "MemFree:", v[VMSTAT_NR_FREE_PAGES]);
	show_val_kb(sb, "MemAvailable:", report_mem_available(pgdat));
	show_val_kb(sb, "Buffers:", 0);
	show_val_kb(sb, "Cached:", (unsigned long)cached);
	show_val_kb(sb, "SwapCached:", v[VMSTAT_NR_SWAPCACHE]);
	show_val_kb(sb, "Active:", v[VMSTAT_NR_ACTIVE_ANON] + v[VMSTAT_NR_ACTIVE_FILE]);
	show_val_kb(sb, "Inactive:", v[VMSTAT_NR_INACTIVE_ANON] + v[VMSTAT_NR_INACTIVE_FILE]);
	show_val_kb(sb, "Active(anon):", v[VMSTAT_NR_ACTIVE_ANON]);
	show_val_kb(sb, "Inactive(anon):", v[VMSTAT_NR_INACTIVE_ANON]);
	show_val_kb(sb, "Active(file):", v[VMSTAT_NR_ACTIVE_FILE]);
	show_val_kb(sb, "Inactive(file):", v[VMSTAT_NR_INACTIVE_FILE]);
	show_val_kb(sb, "Unevictable:", v[VMSTAT_NR_UNEVICTABLE]);
	show_val_kb(sb, "Mlocked:", v[VMSTAT_NR_MLOCK]);
	show_val_kb(sb, "SwapTotal:", swap_total);
	show_val_kb(sb, "SwapFree:", swap_free);
	show_val_kb(sb, "Dirty:", v[VMSTAT_NR_FILE_DIRTY]);
	show_val_kb(sb, "Writeback:", v[VMSTAT_NR_WRITEBACK]);
	show_val_kb(sb, "AnonPages:", v[VMSTAT_NR_ANON_MAPPED]);
	show_val_kb(sb, "Mapped:", v[VMSTAT_NR_FILE_MAPPED]);
	show_val_kb(sb, "Shmem:", v[VMSTAT_NR_SHMEM]);
	show_val_kb(sb, "KReclaimable:", sreclaimable);
	show_val_kb(sb, "Slab:", sreclaimable + sunreclaim);
	show_val_kb(sb, "SReclaimable:", sreclaimable);
	show_val_kb(sb, "SUnreclaim:", sunreclaim);
	strbuf_printf(sb, "%-16s%8lu kB\n", "KernelStack:", v[VMSTAT_NR_KERNEL_STACK_KB]);
	show_val_kb(sb, "PageTables:", v[VMSTAT_NR_PAGETABLE]);
	show_val_kb(sb, "SecPageTables:", 0);
	show_val_kb(sb, "NFS_Unstable:", 0);
	show_val_kb(sb, "Bounce:", 0);
	show_val_kb(sb, "WritebackTmp:", 0);
	/* Linux vm_commit_limit(): totalram * overcommit_ratio / 100 + swap. */
	show_val_kb(sb,
		    "CommitLimit:", pgdat->totalram_pages * OVERCOMMIT_RATIO / 100 + swap_total);
}
