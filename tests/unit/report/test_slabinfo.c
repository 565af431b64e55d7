/*
 * tests/unit/report/test_slabinfo.c: /proc/slabinfo version 2.1 header and rows.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "mm/mm_test_machine.h"
#include "mm/slab.h"
#include "report/report.h"
#include "util/strbuf.h"

Test(slabinfo, header_and_rows)
{
	struct test_machine m;
	struct strbuf sb;
	struct slab_cache *c;
	const char *want;

	test_boot(&m, 32 * MIB);
	cr_assert_eq(slab_cache_create(m.pgdat, "vm_area_struct", 184, 0, SLAB_HWCACHE_ALIGN, &c),
		     0);
	cr_assert_not_null(slab_alloc(c));
	cr_assert_not_null(slab_alloc(c));
	strbuf_init(&sb);
	report_slabinfo(&sb, m.pgdat);
	/* vm_area_struct: 184 B aligned to 64 -> 192-byte slots, 21 per order-0 slab.
	 * kmem_cache holds itself and vm_area_struct's cache. Newest first. */
	want = "slabinfo - version: 2.1\n"
	       "# name            <active_objs> <num_objs> <objsize> <objperslab> "
	       "<pagesperslab> : tunables <limit> <batchcount> <sharedfactor> : slabdata "
	       "<active_slabs> <num_slabs> <sharedavail>\n"
	       "vm_area_struct         2     21    192   21    1 : tunables    0    0    0"
	       " : slabdata      1      1      0\n"
	       "kmem_cache             2 ";
	cr_assert(!strncmp(strbuf_str(&sb), want, strlen(want)), "%s", strbuf_str(&sb));
	/* kmem_cache holds mmsim's struct slab_cache: the closing note names it; the test's
	 * own cache was created without SLAB_MMSIM_SIZE and is not named. */
	want = "\n# mmsim: <objsize> is the size of mmsim's own structure, not Linux's, for: "
	       "kmem_cache\n";
	cr_assert(strstr(strbuf_str(&sb), want), "%s", strbuf_str(&sb));
	cr_assert_eq(strlen(strstr(strbuf_str(&sb), want)), strlen(want), "%s", strbuf_str(&sb));
	strbuf_fini(&sb);
	test_shutdown(&m);
}
