/*
 * mm/compaction.h: memory compaction (Linux 6.12 mm/compaction.c): moving movable pages
 * out of the low end of a zone into free pages at its high end, so that free pages merge
 * into large blocks (order 9 for a huge page).
 *
 * A migrate scanner walks the zone up from its start a pageblock (512 pages) at a time,
 * isolating movable pages (isolate_migratepages_block()); a free scanner walks down from the
 * zone's last pageblock taking free blocks, split into order-0 pages
 * (isolate_freepages_block()). Each isolated page is migrated to a free one (migrate_pages():
 * contents copied, every PTE that mapped it rewritten through rmap, with a TLB shootdown
 * each, the page's state moved, the old frame freed). Compaction ends when the scanners meet
 * or, for an allocation, when a free block of its order exists (compact_finished()).
 * Counted: compact_migrate_scanned, compact_free_scanned, compact_isolated,
 * pgmigrate_success, pgmigrate_fail; compact_stall, compact_success, compact_fail for direct
 * compaction; compact_daemon_wake for kcompactd.
 *
 * It runs on demand (compact_memory: /proc/sys/vm/compact_memory, compaction_node()), from
 * the allocator's slow path for a costly order (> 3) that may direct-reclaim
 * (__alloc_pages_direct_compact()), and in kcompactd, woken when such an allocation only
 * wakes kswapd (defrag=defer) and run after the access, as kswapd is.
 *
 * Movable (isolate_migratepages_block(), folio_expected_refs()): an LRU page that is
 * anonymous (mapped, or held by the swap cache), shmem (in its object's page cache) or a
 * regular file's page-cache page (mapped or not, clean or dirty), not mlocked, with no
 * reference beyond its mappings and the cache's. Migrating a swap-cache, shmem or file page
 * moves its cache slot to the new frame (folio_migrate_mapping()): the swap cache's entry
 * for its slot, or the object's index entry; its dirty and readahead state go with it.
 * A page under writeback is not isolated by MIGRATE_ASYNC (direct compaction); in
 * MIGRATE_SYNC_LIGHT (kcompactd) it is isolated and its migration fails
 * (migrate_folio_unmap(): -EBUSY, pgmigrate_fail). Huge pages are skipped whole, every
 * page counted as scanned, as Linux 6.12 skips a compound page of pageblock_order or more
 * (skip_isolation_on_order()); a free block is skipped the same way.
 *
 * mmsim: MIGRATE_SYNC (compact_memory) does not wait for a write in flight
 * (folio_wait_writeback()): the page fails as in MIGRATE_SYNC_LIGHT. Direct compaction
 * serves costly orders only (Linux also compacts for smaller unmovable allocations), in
 * MIGRATE_ASYNC: INIT_COMPACT_PRIORITY, which a THP allocation (costly, without
 * __GFP_RETRY_MAYFAIL) never raises.
 * No compaction deferral, no proactiveness: kcompactd runs only when woken.
 */
#ifndef MMSIM_MM_COMPACTION_H
#define MMSIM_MM_COMPACTION_H

#include <stdbool.h>
#include <stdint.h>

struct mm_core;
struct zone;

#define COMPACT_PAGEBLOCK_ORDER 9u /* Linux pageblock_order on x86-64 with THP */

/* Linux enum migrate_mode: how much migration may wait (include/linux/migrate_mode.h). */
enum compaction_mode {
	COMPACTION_MIGRATE_ASYNC,      /* never blocks: direct compaction's first attempt */
	COMPACTION_MIGRATE_SYNC_LIGHT, /* may block, but not on writeback: kcompactd */
	COMPACTION_MIGRATE_SYNC,       /* may wait for writeback: compact_memory */
};

/* Installs the allocator hooks (after vmscan_init()). */
void compaction_init(struct mm_core *core);

/*
 * compact_zone(): compacts z in mode until a free block of order exists, or the scanners
 * meet when order is -1 (the whole zone). Returns the pages migrated.
 */
uint64_t compaction_zone(struct mm_core *core, struct zone *z, int order,
			 enum compaction_mode mode);

/* /proc/sys/vm/compact_memory: every zone, whole. Returns the pages migrated. */
uint64_t compaction_node(struct mm_core *core);

/* kcompactd: runs when an allocation woke it (core->kcompactd_order >= 0). */
void compaction_run_kcompactd(struct mm_core *core);

#endif
