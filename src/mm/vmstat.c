/*
 * mm/vmstat.c: the names of the counters, as /proc/vmstat prints them (Linux:
 * mm/vmstat.c vmstat_text[]).
 */
#include "mm/vmstat.h"

#include <assert.h>
#include <string.h>

#include "util/macros.h"

static const char *const vmstat_names[VMSTAT_NR_ITEMS] = {
	[VMSTAT_NR_FREE_PAGES] = "nr_free_pages",
	[VMSTAT_NR_MLOCK] = "nr_mlock",
	[VMSTAT_NR_INACTIVE_ANON] = "nr_inactive_anon",
	[VMSTAT_NR_ACTIVE_ANON] = "nr_active_anon",
	[VMSTAT_NR_INACTIVE_FILE] = "nr_inactive_file",
	[VMSTAT_NR_ACTIVE_FILE] = "nr_active_file",
	[VMSTAT_NR_UNEVICTABLE] = "nr_unevictable",
	[VMSTAT_NR_SLAB_RECLAIMABLE] = "nr_slab_reclaimable",
	[VMSTAT_NR_SLAB_UNRECLAIMABLE] = "nr_slab_unreclaimable",
	[VMSTAT_WORKINGSET_NODES] = "workingset_nodes",
	[VMSTAT_WORKINGSET_REFAULT_ANON] = "workingset_refault_anon",
	[VMSTAT_WORKINGSET_REFAULT_FILE] = "workingset_refault_file",
	[VMSTAT_WORKINGSET_ACTIVATE_ANON] = "workingset_activate_anon",
	[VMSTAT_WORKINGSET_ACTIVATE_FILE] = "workingset_activate_file",
	[VMSTAT_WORKINGSET_RESTORE_ANON] = "workingset_restore_anon",
	[VMSTAT_WORKINGSET_RESTORE_FILE] = "workingset_restore_file",
	[VMSTAT_WORKINGSET_NODERECLAIM] = "workingset_nodereclaim",
	[VMSTAT_NR_ANON_MAPPED] = "nr_anon_pages",
	[VMSTAT_NR_FILE_MAPPED] = "nr_mapped",
	[VMSTAT_NR_FILE_PAGES] = "nr_file_pages",
	[VMSTAT_NR_FILE_DIRTY] = "nr_dirty",
	[VMSTAT_NR_WRITEBACK] = "nr_writeback",
	[VMSTAT_NR_SHMEM] = "nr_shmem",
	[VMSTAT_NR_ANON_THPS] = "nr_anon_transparent_hugepages",
	[VMSTAT_NR_KERNEL_STACK_KB] = "nr_kernel_stack",
	[VMSTAT_NR_PAGETABLE] = "nr_page_table_pages",
	[VMSTAT_NR_SWAPCACHE] = "nr_swapcached",
	[VMSTAT_PGPGIN] = "pgpgin",
	[VMSTAT_PGPGOUT] = "pgpgout",
	[VMSTAT_PSWPIN] = "pswpin",
	[VMSTAT_PSWPOUT] = "pswpout",
	[VMSTAT_PGALLOC_DMA] = "pgalloc_dma",
	[VMSTAT_PGALLOC_DMA32] = "pgalloc_dma32",
	[VMSTAT_PGALLOC_NORMAL] = "pgalloc_normal",
	[VMSTAT_PGALLOC_MOVABLE] = "pgalloc_movable",
	[VMSTAT_PGALLOC_DEVICE] = "pgalloc_device",
	[VMSTAT_ALLOCSTALL_DMA] = "allocstall_dma",
	[VMSTAT_ALLOCSTALL_DMA32] = "allocstall_dma32",
	[VMSTAT_ALLOCSTALL_NORMAL] = "allocstall_normal",
	[VMSTAT_ALLOCSTALL_MOVABLE] = "allocstall_movable",
	[VMSTAT_ALLOCSTALL_DEVICE] = "allocstall_device",
	[VMSTAT_PGFREE] = "pgfree",
	[VMSTAT_PGACTIVATE] = "pgactivate",
	[VMSTAT_PGDEACTIVATE] = "pgdeactivate",
	[VMSTAT_PGFAULT] = "pgfault",
	[VMSTAT_PGMAJFAULT] = "pgmajfault",
	[VMSTAT_PGREFILL] = "pgrefill",
	[VMSTAT_PGREUSE] = "pgreuse",
	[VMSTAT_PGSTEAL_KSWAPD] = "pgsteal_kswapd",
	[VMSTAT_PGSTEAL_DIRECT] = "pgsteal_direct",
	[VMSTAT_PGSTEAL_PROACTIVE] = "pgsteal_proactive",
	[VMSTAT_PGSCAN_KSWAPD] = "pgscan_kswapd",
	[VMSTAT_PGSCAN_DIRECT] = "pgscan_direct",
	[VMSTAT_PGSCAN_PROACTIVE] = "pgscan_proactive",
	[VMSTAT_PGSCAN_ANON] = "pgscan_anon",
	[VMSTAT_PGSCAN_FILE] = "pgscan_file",
	[VMSTAT_PGSTEAL_ANON] = "pgsteal_anon",
	[VMSTAT_PGSTEAL_FILE] = "pgsteal_file",
	[VMSTAT_PAGEOUTRUN] = "pageoutrun",
	[VMSTAT_OOM_KILL] = "oom_kill",
	[VMSTAT_PGMIGRATE_SUCCESS] = "pgmigrate_success",
	[VMSTAT_PGMIGRATE_FAIL] = "pgmigrate_fail",
	[VMSTAT_COMPACT_MIGRATE_SCANNED] = "compact_migrate_scanned",
	[VMSTAT_COMPACT_FREE_SCANNED] = "compact_free_scanned",
	[VMSTAT_COMPACT_ISOLATED] = "compact_isolated",
	[VMSTAT_COMPACT_STALL] = "compact_stall",
	[VMSTAT_COMPACT_FAIL] = "compact_fail",
	[VMSTAT_COMPACT_SUCCESS] = "compact_success",
	[VMSTAT_KCOMPACTD_WAKE] = "compact_daemon_wake",
	[VMSTAT_THP_FAULT_ALLOC] = "thp_fault_alloc",
	[VMSTAT_THP_FAULT_FALLBACK] = "thp_fault_fallback",
	[VMSTAT_THP_FAULT_FALLBACK_CHARGE] = "thp_fault_fallback_charge",
	[VMSTAT_THP_COLLAPSE_ALLOC] = "thp_collapse_alloc",
	[VMSTAT_THP_COLLAPSE_ALLOC_FAILED] = "thp_collapse_alloc_failed",
	[VMSTAT_THP_SPLIT_PAGE] = "thp_split_page",
	[VMSTAT_THP_SPLIT_PMD] = "thp_split_pmd",
	[VMSTAT_THP_SCAN_EXCEED_NONE_PTE] = "thp_scan_exceed_none_pte",
	[VMSTAT_THP_ZERO_PAGE_ALLOC] = "thp_zero_page_alloc",
	[VMSTAT_THP_ZERO_PAGE_ALLOC_FAILED] = "thp_zero_page_alloc_failed",
};

static_assert(ARRAY_SIZE(vmstat_names) == VMSTAT_NR_ITEMS, "every vmstat item has a name");

bool vmstat_sparse(enum vmstat_item i)
{
	return i == VMSTAT_NR_ANON_THPS ||
	       (i >= VMSTAT_WORKINGSET_NODES && i <= VMSTAT_WORKINGSET_NODERECLAIM) ||
	       (i >= VMSTAT_PGMIGRATE_SUCCESS && i <= VMSTAT_THP_ZERO_PAGE_ALLOC_FAILED);
}

const char *vmstat_name(enum vmstat_item i)
{
	return (unsigned int)i < VMSTAT_NR_ITEMS ? vmstat_names[i] : "?";
}

enum vmstat_item vmstat_lookup(const char *name)
{
	for (unsigned int i = 0; i < VMSTAT_NR_ITEMS; i++) {
		if (vmstat_names[i] && !strcmp(vmstat_names[i], name))
			return (enum vmstat_item)i;
	}
	return VMSTAT_NR_ITEMS;
}
