/*
 * tests/unit/mm/test_vmstat.c: counter names are /proc/vmstat's, unique, and found back.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "mm/vmstat.h"

Test(vmstat, names_are_linux_names)
{
	cr_assert_str_eq(vmstat_name(VMSTAT_NR_FREE_PAGES), "nr_free_pages");
	cr_assert_str_eq(vmstat_name(VMSTAT_NR_ANON_MAPPED), "nr_anon_pages");
	cr_assert_str_eq(vmstat_name(VMSTAT_NR_PAGETABLE), "nr_page_table_pages");
	cr_assert_str_eq(vmstat_name(VMSTAT_NR_SWAPCACHE), "nr_swapcached");
	cr_assert_str_eq(vmstat_name(VMSTAT_PGALLOC_DMA32), "pgalloc_dma32");
	cr_assert_str_eq(vmstat_name(VMSTAT_ALLOCSTALL_MOVABLE), "allocstall_movable");
	cr_assert_str_eq(vmstat_name(VMSTAT_PGSCAN_KSWAPD), "pgscan_kswapd");
	cr_assert_str_eq(vmstat_name(VMSTAT_OOM_KILL), "oom_kill");
	cr_assert_str_eq(vmstat_name(VMSTAT_NR_ITEMS), "?");
}

Test(vmstat, names_are_unique_and_looked_up)
{
	for (unsigned int i = 0; i < VMSTAT_NR_ITEMS; i++) {
		const char *n = vmstat_name((enum vmstat_item)i);

		cr_assert(n && *n, "item %u has a name", i);
		cr_assert_eq(vmstat_lookup(n), (enum vmstat_item)i, "%s", n);
		for (unsigned int j = i + 1; j < VMSTAT_NR_ITEMS; j++)
			cr_assert(strcmp(n, vmstat_name((enum vmstat_item)j)), "%s twice", n);
	}
	cr_assert_eq(vmstat_lookup("no_such_counter"), VMSTAT_NR_ITEMS);
}

Test(vmstat, zone_indexed_items_follow_zone_order)
{
	cr_assert_eq(VMSTAT_PGALLOC_NORMAL - VMSTAT_PGALLOC_DMA, 2);
	cr_assert_eq(VMSTAT_PGALLOC_DEVICE - VMSTAT_PGALLOC_DMA, 4);
	cr_assert_eq(VMSTAT_ALLOCSTALL_MOVABLE - VMSTAT_ALLOCSTALL_DMA, 3);
}
