/*
 * mm/vmstat.h: the system's counters, named as in /proc/vmstat (Linux: include/linux/
 * mmzone.h enum zone_stat_item and node_stat_item, include/linux/vm_event_item.h,
 * mm/vmstat.c vmstat_text[]).
 *
 * One array of unsigned long per node (struct pgdat's vmstat[]), indexed by enum
 * vmstat_item. Gauges (nr_*) go up and down with the state they count, in pages unless the
 * name says otherwise (nr_kernel_stack is in kB, as on Linux); events only go up. The code
 * where the event happens bumps the counter with a plain increment:
 *     pgdat->vmstat[VMSTAT_PGFAULT]++;
 * Items keep Linux's /proc/vmstat order. Later modules add their items here, with their
 * Linux names, and a line in vmstat.c's name table.
 */
#ifndef MMSIM_MM_VMSTAT_H
#define MMSIM_MM_VMSTAT_H

#include <stdbool.h>

enum vmstat_item {
	/* Gauges (zone_stat_item and node_stat_item). */
	VMSTAT_NR_FREE_PAGES,	      /* pages in the buddy free lists of every zone */
	VMSTAT_NR_MLOCK,	      /* mlocked pages */
	VMSTAT_NR_INACTIVE_ANON,      /* anonymous pages on the inactive LRU list */
	VMSTAT_NR_ACTIVE_ANON,	      /* anonymous pages on the active LRU list */
	VMSTAT_NR_INACTIVE_FILE,      /* file pages on the inactive file list */
	VMSTAT_NR_ACTIVE_FILE,	      /* file pages on the active file list */
	VMSTAT_NR_UNEVICTABLE,	      /* pages on the unevictable list */
	VMSTAT_NR_SLAB_RECLAIMABLE,   /* pages in slabs of SLAB_RECLAIM_ACCOUNT caches */
	VMSTAT_NR_SLAB_UNRECLAIMABLE, /* pages in slabs of the other caches */
	/* Workingset detection (mm/workingset.c; the linux policy). Linux keeps them among
	 * the node gauges, so they print here; the refault ones only go up. */
	VMSTAT_WORKINGSET_NODES,	 /* page-cache index nodes holding only shadows */
	VMSTAT_WORKINGSET_REFAULT_ANON,	 /* swap-ins that found a shadow entry */
	VMSTAT_WORKINGSET_REFAULT_FILE,	 /* page-cache misses that found a shadow entry */
	VMSTAT_WORKINGSET_ACTIVATE_ANON, /* ... whose refault distance made them active */
	VMSTAT_WORKINGSET_ACTIVATE_FILE,
	VMSTAT_WORKINGSET_RESTORE_ANON, /* ... that were workingset (active) when evicted */
	VMSTAT_WORKINGSET_RESTORE_FILE,
	VMSTAT_WORKINGSET_NODERECLAIM, /* shadow nodes freed by the shadow shrinker */
	VMSTAT_NR_ANON_MAPPED,	       /* "nr_anon_pages": anonymous pages mapped by a PTE */
	VMSTAT_NR_FILE_MAPPED,	       /* "nr_mapped": file pages mapped by a PTE */
	VMSTAT_NR_FILE_PAGES,	       /* page cache pages, shmem and swap cache included */
	VMSTAT_NR_FILE_DIRTY,	       /* "nr_dirty" */
	VMSTAT_NR_WRITEBACK,	       /* pages under writeback */
	VMSTAT_NR_SHMEM,	       /* shared anonymous (shmem) pages */
	VMSTAT_NR_ANON_THPS,	       /* "nr_anon_transparent_hugepages": anonymous THPs (in huge
					* pages, as Linux prints it) */
	VMSTAT_NR_KERNEL_STACK_KB,     /* "nr_kernel_stack": kB of task stacks */
	VMSTAT_NR_PAGETABLE,	       /* "nr_page_table_pages": pages holding page tables */
	VMSTAT_NR_SWAPCACHE,	       /* "nr_swapcached": pages in the swap cache */
	/* Events (vm_event_item). */
	VMSTAT_PGPGIN,	    /* kB read from disk (swap-in) */
	VMSTAT_PGPGOUT,	    /* kB written to disk (swap-out) */
	VMSTAT_PSWPIN,	    /* pages read from swap */
	VMSTAT_PSWPOUT,	    /* pages written to swap */
	VMSTAT_PGALLOC_DMA, /* pages allocated from each zone; in enum zone_type order */
	VMSTAT_PGALLOC_DMA32,
	VMSTAT_PGALLOC_NORMAL,
	VMSTAT_PGALLOC_MOVABLE,
	VMSTAT_PGALLOC_DEVICE,
	VMSTAT_ALLOCSTALL_DMA, /* direct reclaims, by allocation's highest zone */
	VMSTAT_ALLOCSTALL_DMA32,
	VMSTAT_ALLOCSTALL_NORMAL,
	VMSTAT_ALLOCSTALL_MOVABLE,
	VMSTAT_ALLOCSTALL_DEVICE,
	VMSTAT_PGFREE,			/* pages freed to buddy (boot included, as Linux) */
	VMSTAT_PGACTIVATE,		/* pages moved to the active list */
	VMSTAT_PGDEACTIVATE,		/* pages moved to the inactive list */
	VMSTAT_PGFAULT,			/* page faults handled (minor and major) */
	VMSTAT_PGMAJFAULT,		/* faults that needed I/O (swap-in) */
	VMSTAT_PGREFILL,		/* active-list pages scanned to refill the inactive list */
	VMSTAT_PGREUSE,			/* COW faults that reused the page instead of copying */
	VMSTAT_PGSTEAL_KSWAPD,		/* pages reclaimed by kswapd */
	VMSTAT_PGSTEAL_DIRECT,		/* pages reclaimed by direct reclaim */
	VMSTAT_PGSTEAL_PROACTIVE,	/* pages reclaimed by proactive reclaim (memory.reclaim) */
	VMSTAT_PGSCAN_KSWAPD,		/* pages scanned by kswapd */
	VMSTAT_PGSCAN_DIRECT,		/* pages scanned by direct reclaim */
	VMSTAT_PGSCAN_PROACTIVE,	/* pages scanned by proactive reclaim */
	VMSTAT_PGSCAN_ANON,		/* anonymous pages scanned */
	VMSTAT_PGSCAN_FILE,		/* file pages scanned */
	VMSTAT_PGSTEAL_ANON,		/* anonymous pages reclaimed */
	VMSTAT_PGSTEAL_FILE,		/* file pages reclaimed */
	VMSTAT_PAGEOUTRUN,		/* kswapd reclaim runs (balance_pgdat passes) */
	VMSTAT_OOM_KILL,		/* processes killed by the OOM killer */
	VMSTAT_PGMIGRATE_SUCCESS,	/* pages migrated (compaction) */
	VMSTAT_PGMIGRATE_FAIL,		/* pages compaction failed to migrate */
	VMSTAT_COMPACT_MIGRATE_SCANNED, /* pages the migrate scanner looked at */
	VMSTAT_COMPACT_FREE_SCANNED,	/* pages the free scanner looked at */
	VMSTAT_COMPACT_ISOLATED,	/* pages isolated by either scanner */
	VMSTAT_COMPACT_STALL,		/* direct compactions (an allocation waited) */
	VMSTAT_COMPACT_FAIL,		/* direct compactions that did not help */
	VMSTAT_COMPACT_SUCCESS,		/* direct compactions after which the allocation worked */
	VMSTAT_KCOMPACTD_WAKE,		/* "compact_daemon_wake": kcompactd runs */
	VMSTAT_THP_FAULT_ALLOC,		/* faults that mapped a new huge page */
	VMSTAT_THP_FAULT_FALLBACK,	/* faults that wanted a huge page and got none */
	VMSTAT_THP_FAULT_FALLBACK_CHARGE,  /* ... because the frames cap (memcg) refused it */
	VMSTAT_THP_COLLAPSE_ALLOC,	   /* khugepaged: huge pages allocated for a collapse */
	VMSTAT_THP_COLLAPSE_ALLOC_FAILED,  /* khugepaged: a collapse found no huge page */
	VMSTAT_THP_SPLIT_PAGE,		   /* huge pages split into 512 pages */
	VMSTAT_THP_SPLIT_PMD,		   /* PMD mappings split into 512 PTEs */
	VMSTAT_THP_SCAN_EXCEED_NONE_PTE,   /* khugepaged: ranges with too many empty PTEs */
	VMSTAT_THP_ZERO_PAGE_ALLOC,	   /* the huge zero page was allocated */
	VMSTAT_THP_ZERO_PAGE_ALLOC_FAILED, /* ... or could not be */
	VMSTAT_NR_ITEMS
};

/* Index of the first event item; items before it are gauges. */
#define VMSTAT_FIRST_EVENT VMSTAT_PGPGIN

/* The /proc/vmstat name of item i (i < VMSTAT_NR_ITEMS). */
const char *vmstat_name(enum vmstat_item i);

/* Counters of features off by default (THP, compaction, workingset): the library's counter list
 * (mmsim_counters_foreach(), so JSON reports) names them only when non-zero, so results
 * without those features read as before. /proc/vmstat text always shows them. */
bool vmstat_sparse(enum vmstat_item i);

/* The item called name, or VMSTAT_NR_ITEMS when there is none. */
enum vmstat_item vmstat_lookup(const char *name);

#endif
