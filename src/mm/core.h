/*
 * mm/core.h: what the mm layer needs of the machine, in one struct passed explicitly:
 * physical memory, the node (zones, buddy, memmap, counters), the CPU and its TLB, the slab
 * caches of kernel objects, the shared zero page, and the explain-mode event hook.
 * The kernel layer embeds one in struct mmsim_system and fills it at boot.
 */
#ifndef MMSIM_MM_CORE_H
#define MMSIM_MM_CORE_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/x86_64/cr.h"
#include "arch/x86_64/types.h"
#include "mm/event.h"
#include "mm/huge_memory.h"

struct physmem;
struct pgdat;
struct tlb;
struct slab_cache;
struct policy;
struct swap_area;
struct khugepaged;
struct filemap_shadow_lru;
struct filemap_wb;
struct mm_struct;

/* Called on each mm by core->for_each_mm. */
typedef void (*core_mm_fn)(void *arg, struct mm_struct *mm);
struct filemap_file;

/* File I/O and writeback, counted by filemap.c (mmsim's own counters: /proc/vmstat has
 * no such lines). */
struct filemap_stats {
	uint64_t io_requests;	    /* device requests (reads and writes) */
	uint64_t io_us;		    /* device time they took (device model, never waited for) */
	uint64_t ra_pages;	    /* pages readahead brought in, the faulting pages included */
	uint64_t dirtied;	    /* pages made dirty (Linux nr_dirtied) */
	uint64_t written;	    /* pages written back (Linux nr_written) */
	uint64_t dirty_throttled;   /* dirtyings above the freerun ceiling (balance_dirty_pages) */
	uint64_t bg_writeback_runs; /* background writeback started */
	uint64_t faults;	    /* page faults on file-backed VMAs (do_file_fault()) */
	uint64_t major_faults;	    /* ... of which read the file (page-cache misses) */
};

/* What a page is allocated for: decides the GFP mask and the accounting. */
enum core_alloc_kind {
	CORE_ALLOC_TABLE, /* a page-table page: GFP_KERNEL | __GFP_ZERO, PG_PGTABLE */
	CORE_ALLOC_USER,  /* a user page: GFP_HIGHUSER_MOVABLE (| __GFP_ZERO) */
};

struct mm_core {
	struct physmem *pm;
	struct pgdat *pgdat;
	struct x86_cpu *cpu;
	struct tlb *tlb;		   /* NULL: no TLB model, every access walks */
	struct slab_cache *vma_cache;	   /* struct vma */
	struct slab_cache *anon_vma_cache; /* struct anon_vma */
	pfn_t zero_pfn;			   /* the shared zero page */
	pfn_t huge_zero_pfn;		   /* the huge zero page (order 9); 0 until first use */
	struct thp_settings thp;	   /* transparent huge pages (huge_memory.h) */
	struct khugepaged *khugepaged;	   /* its state (khugepaged.h); NULL: none */
	uint64_t khugepaged_due;	   /* nr_accesses at which its next scan is due */
	int kcompactd_order;		   /* kcompactd woken for this order; -1: asleep */
	unsigned int kcompactd_highest;	   /* ... and this highest zone (enum zone_type) */
	bool data_mode;			   /* user page contents are kept */
	mm_event_cb event_cb;		   /* explain mode; NULL when off */
	void *event_ctx;
	struct swap_area *swap;	   /* NULL without swap */
	struct policy *policy;	   /* page replacement (vmscan.c) */
	bool demand;		   /* demand reclaim instead of watermarks and kswapd */
	bool policy_sees_accesses; /* the policy wants every access (lru, opt) */
	bool kswapd_pending;	   /* an allocation woke kswapd; it runs after the access */
	uint64_t frames_cap;	   /* resident user pages allowed; 0 for no cap */
	/* What the wakers asked kswapd for since it last ran (Linux pgdat->kswapd_order and
	 * pgdat->kswapd_highest_zoneidx, set by wakeup_kswapd()): the largest order and the
	 * highest zone index plus one (0: none recorded, Linux's MAX_NR_ZONES). */
	unsigned int kswapd_order;
	unsigned int kswapd_highest_plus1;
	/* Before a user page is allocated: makes room under frames_cap, as Linux's
	 * mem_cgroup_charge() reclaims down to a memcg limit. Installed by vmscan_init();
	 * NULL: no reclaim module, nothing to charge. 0 or -ENOMEM. */
	int (*charge)(struct mm_core *core);
	uint64_t nr_user_pages;	    /* user pages allocated now (anon, shmem, swap cache) */
	unsigned long shmem_inodes; /* shmem objects created so far (their inode numbers) */
	/* Calls fn on every live mm, oldest first, as MGLRU's page-table walks iterate Linux's
	 * lru_gen_mm_list (mm/vmscan.c, iterate_mm_list()). Installed by the kernel layer at
	 * boot; NULL when no kernel is attached (then there is no mm to walk). */
	void (*for_each_mm)(struct mm_core *core, core_mm_fn fn, void *arg);
	/* For a policy that needs the future (opt): when the page at addr of mm is used next
	 * (a trace position; UINT64_MAX: never). Installed through mmsim_set_next_use_hook()
	 * by trace replay; NULL: unknown, a page's next use is its last accessor's. */
	uint64_t (*next_use)(void *ctx, struct mm_struct *mm, vaddr_t addr);
	void *next_use_ctx;
	uint64_t nr_accesses;	      /* user accesses so far: the simulated clock (MGLRU's
				       * jiffies, docs/policies.md) */
	int current_pid;	      /* for events */
	struct mm_struct *current_mm; /* whose CR3 is loaded; NULL: the kernel's */
	struct filemap_file *files;   /* the machine's regular files (filemap.c), host memory */
	unsigned long file_inodes;    /* files created so far (their inode numbers) */
	uint64_t ra_pages;	      /* readahead window, pages (read_ahead_kb / 4) */
	unsigned int dirty_ratio;     /* vm.dirty_ratio, percent */
	unsigned int dirty_background_ratio; /* vm.dirty_background_ratio, percent */
	uint64_t disk_latency_us;	     /* device model: time per request */
	uint64_t disk_kb_per_ms;	     /* device model: transfer rate (0: instant) */
	struct filemap_stats file_stats;
	bool kpti;		       /* page-table isolation (kernel/pti.c) */
	unsigned int swappiness;       /* vm.swappiness, 0..200 (get_scan_count()) */
	uint64_t anon_cost, file_cost; /* lruvec->anon_cost/file_cost (lru_note_cost()) */
	uint64_t nonresident_age;      /* lruvec->nonresident_age (mm/workingset.c) */
	uint64_t shadow_nr_deferred;   /* the shadow shrinker's nr_deferred (workingset.c) */
	struct filemap_wb *filemap_wb; /* writeback in flight (filemap.c); NULL: none yet */
	uint64_t writeback_due;	       /* nr_accesses at which the oldest write in flight
					* completes; UINT64_MAX (or 0 before the first check) */
	bool anon_workingset;	       /* swap-outs leave shadows in the swap cache */
	struct filemap_shadow_lru *shadow_lru; /* the shadow nodes' list (filemap.c); NULL
						* before the first shadow entry */
	uint64_t slept_ns;		       /* simulated time passed without accesses (sleep) */
};

/*
 * Page-table isolation (Linux arch/x86/include/asm/pgtable.h, tlbflush.h): the PGD is an
 * order-1 block, the user PGD 4 KiB above the kernel's (CR3 bit 12 selects it); the user
 * PCID is the kernel PCID with bit 11 set.
 */
#define PTI_PGD_ORDER 1u
#define PTI_USER_PGTABLE_MASK (UINT64_C(1) << 12)
#define PTI_USER_PCID_MASK UINT64_C(0x800)

/* 0 and a pfn, or -ENOMEM (after reclaim, if any, failed). User pages come zeroed. */
int core_alloc_page(struct mm_core *core, enum core_alloc_kind kind, pfn_t *pfn_out);
void core_free_page(struct mm_core *core, pfn_t pfn, enum core_alloc_kind kind);
bool core_page_is_table(struct mm_core *core, pfn_t pfn);

struct page;
enum vmstat_item;

/* The struct page of a frame, and back. */
struct page *core_page(const struct mm_core *core, pfn_t pfn);
pfn_t core_pfn(const struct mm_core *core, const struct page *pg);
/* Drops one reference to a user page; the last one frees it (off the LRU, flags cleared). */
void core_put_page(struct mm_core *core, pfn_t pfn);
/* A fault is about to allocate the page of (mapping, index): policies whose choice of
 * victim depends on the incoming page (ARC) learn of it before reclaim runs. */
void core_lru_incoming(struct mm_core *core, const void *mapping, uint64_t index);
/* A user page became evictable / stopped being (the replacement policy's lists). */
void core_lru_add(struct mm_core *core, struct page *pg);
void core_lru_del(struct mm_core *core, struct page *pg);
/* vmstat counters. */
void core_count(struct mm_core *core, enum vmstat_item item);
void core_count_mod(struct mm_core *core, enum vmstat_item item, long delta);
/*
 * TLB shootdowns: the translations of one page or a range of mm, or all of mm's. With kpti
 * both PCIDs of an mm are flushed, as Linux does: a page in the user PCID with INVPCID
 * (flush_tlb_one_user()), a whole mm's user PCID at the next return to user mode when the
 * kernel PGD is loaded (invalidate_user_asid()), at once otherwise.
 */
void core_tlb_flush_page(struct mm_core *core, vaddr_t va);
void core_tlb_flush_range(struct mm_core *core, struct mm_struct *mm, vaddr_t start, vaddr_t end,
			  const char *why);
void core_tlb_flush_mm(struct mm_core *core, struct mm_struct *mm, const char *why);
/* The translation of the 2 MiB page at haddr in mm: one INVLPG (Linux
 * flush_pmd_tlb_range(), a stride of PMD_SIZE). */
void core_tlb_flush_pmd(struct mm_core *core, struct mm_struct *mm, vaddr_t haddr, const char *why);

void core_event_slow(struct mm_core *core, struct mm_event *ev);

/* Reports an event in explain mode; a predictable branch when off. */
static inline void core_event(struct mm_core *core, struct mm_event *ev)
{
	if (core->event_cb)
		core_event_slow(core, ev);
}

#endif
