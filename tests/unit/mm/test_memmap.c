/*
 * tests/unit/mm/test_memmap.c: the whole-memory checker must pass on a sound node and
 * name the fault on a corrupted one.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "mm/mm_test_machine.h"
#include "mm/page.h"
#include "mm/page_alloc.h"

static void expect_failure(struct test_machine *m, const char *needle)
{
	struct check_report why;

	check_report_clear(&why);
	cr_assert(!memmap_check(m->pgdat, &why), "the checker missed: %s", needle);
	cr_assert(strstr(why.reason, needle), "reason '%s' should mention '%s'", why.reason,
		  needle);
}

Test(memmap, sound_node_passes)
{
	struct test_machine m;
	struct check_report why;

	test_boot(&m, 32 * MIB);
	cr_assert(memmap_check(m.pgdat, &why), "%s", why.reason);
	test_shutdown(&m);
}

Test(memmap, sees_a_busy_frame_inside_a_free_block)
{
	struct test_machine m;

	test_boot(&m, 32 * MIB);
	pgdat_page(m.pgdat, 4097)->refcount = 1; /* inside the free order-10 block at 4096 */
	expect_failure(&m, "inside the free block");
	test_shutdown(&m);
}

Test(memmap, sees_a_lost_frame)
{
	struct test_machine m;
	pfn_t pfn;

	test_boot(&m, 32 * MIB);
	cr_assert_eq(page_alloc(m.pgdat, GFP_KERNEL, 0, &pfn), 0);
	pgdat_page(m.pgdat, pfn)->refcount = 0; /* dropped without being freed */
	expect_failure(&m, "lost");
	test_shutdown(&m);
}

Test(memmap, sees_an_orphan_tail)
{
	struct test_machine m;
	pfn_t pfn;

	test_boot(&m, 32 * MIB);
	cr_assert_eq(page_alloc(m.pgdat, GFP_KERNEL, 2, &pfn), 0);
	page_flag_clear(pgdat_page(m.pgdat, pfn), PG_HEAD);
	pgdat_page(m.pgdat, pfn)->order = 0;
	expect_failure(&m, "tail outside");
	test_shutdown(&m);
}

Test(memmap, sees_a_frame_in_the_wrong_zone)
{
	struct test_machine m;

	test_boot(&m, 32 * MIB);
	pgdat_page(m.pgdat, 100)->zone_idx = ZONE_DMA32;
	expect_failure(&m, "zone");
	test_shutdown(&m);
}

Test(memmap, sees_a_wrong_free_counter)
{
	struct test_machine m;

	test_boot(&m, 32 * MIB);
	m.pgdat->vmstat[VMSTAT_NR_FREE_PAGES]--;
	expect_failure(&m, "nr_free_pages");
	test_shutdown(&m);
}

Test(memmap, sees_an_unaccounted_page_table)
{
	struct test_machine m;
	pfn_t pfn;

	test_boot(&m, 32 * MIB);
	cr_assert_eq(page_alloc(m.pgdat, GFP_KERNEL, 0, &pfn), 0);
	page_flag_set(pgdat_page(m.pgdat, pfn), PG_PGTABLE); /* nr_page_table_pages not bumped */
	expect_failure(&m, "nr_page_table_pages");
	m.pgdat->vmstat[VMSTAT_NR_PAGETABLE]++;
	TEST_CHECK(m.pgdat);
	test_shutdown(&m);
}

Test(memmap, sees_a_reserved_frame_given_away)
{
	struct test_machine m;

	test_boot(&m, 32 * MIB);
	page_flag_clear(pgdat_page(m.pgdat, 0x9f), PG_RESERVED); /* ISA hole */
	expect_failure(&m, "not managed RAM");
	test_shutdown(&m);
}
