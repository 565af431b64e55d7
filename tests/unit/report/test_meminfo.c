/*
 * tests/unit/report/test_meminfo.c: /proc/meminfo lines and MemAvailable.
 *
 * 32 MiB machine (numbers from tests/unit/mm/test_zone.c): 7680 managed pages = 30720 kB.
 * totalreserve_pages = DMA min(3712, 15 + 126) + DMA32 134 + Movable min(0, 32) = 275, so
 * si_mem_available() = 7680 - 275 = 7405 pages = 29620 kB with no page cache or slab.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "mm/mm_test_machine.h"
#include "mm/slab.h"
#include "report/report.h"
#include "util/strbuf.h"

Test(meminfo, boot_32mib)
{
	struct test_machine m;
	struct strbuf sb;
	struct report_swap_totals swap = { 1024, 1000 };

	test_boot(&m, 32 * MIB);
	cr_assert_eq(m.pgdat->totalreserve_pages, 275);
	cr_assert_eq(report_mem_available(m.pgdat), 7405);
	strbuf_init(&sb);
	report_meminfo(&sb, m.pgdat, &swap);
	cr_assert(!strncmp(strbuf_str(&sb),
			   "MemTotal:          30720 kB\n"
			   "MemFree:           30720 kB\n"
			   "MemAvailable:      29620 kB\n"
			   "Buffers:               0 kB\n"
			   "Cached:                0 kB\n"
			   "SwapCached:            0 kB\n"
			   "Active:                0 kB\n"
			   "Inactive:              0 kB\n"
			   "Active(anon):          0 kB\n"
			   "Inactive(anon):        0 kB\n",
			   strlen("MemTotal:          30720 kB\n") * 10),
		  "%s", strbuf_str(&sb));
	cr_assert(strstr(strbuf_str(&sb), "SwapTotal:          4096 kB\n"
					  "SwapFree:           4000 kB\n"));
	cr_assert(strstr(strbuf_str(&sb), "PageTables:            0 kB\n"));
	/* CommitLimit = 7680 * 50 / 100 + 1024 swap pages = 4864 pages. */
	cr_assert(strstr(strbuf_str(&sb), "CommitLimit:       19456 kB\n"), "%s", strbuf_str(&sb));
	strbuf_fini(&sb);
	test_shutdown(&m);
}

Test(meminfo, slab_lines)
{
	struct test_machine m;
	struct strbuf sb;
	struct slab_cache *c;

	test_boot(&m, 32 * MIB);
	cr_assert_eq(slab_cache_create(m.pgdat, "r", 700, 0, SLAB_RECLAIM_ACCOUNT, &c), 0);
	cr_assert_not_null(slab_alloc(c));
	strbuf_init(&sb);
	report_meminfo(&sb, m.pgdat, NULL);
	/* kmem_cache: one unreclaimable page; "r": one order-1 reclaimable slab. */
	cr_assert(strstr(strbuf_str(&sb), "KReclaimable:          8 kB\n"
					  "Slab:                 12 kB\n"
					  "SReclaimable:          8 kB\n"
					  "SUnreclaim:            4 kB\n"),
		  "%s", strbuf_str(&sb));
	cr_assert(strstr(strbuf_str(&sb), "SwapTotal:             0 kB\n"));
	/* MemAvailable: free 7677 - 275 + reclaimable 2 - min(1, low sum 105 + 112 + 32) = 7403. */
	cr_assert_eq(report_mem_available(m.pgdat), 7403);
	strbuf_fini(&sb);
	test_shutdown(&m);
}
