/*
 * mm/swap.h: swap: entries in non-present PTEs, the swap area's slots, the swap cache, and
 * swap-in (Linux: arch/x86/include/asm/pgtable_64.h, include/linux/swapops.h,
 * mm/swapfile.c, mm/swap_state.c, mm/memory.c do_swap_page).
 *
 * A swap PTE, as x86-64 Linux lays it out (P = 0):
 *
 *   | TYPE (59-63) | ~OFFSET (9-58) | 0 | 0 | X | X | X | E (3) | F (2) | SD (1) | 0 |
 *
 * The offset is stored inverted so that a PTE whose page went to swap never looks like it
 * names high physical memory (the L1TF mitigation). E is _PAGE_SWP_EXCLUSIVE (bit 3): the
 * page was exclusive to this mapping when it went out. Bit 8 (PROTNONE) and bit 7 (PSE) are
 * always 0, which tells a swap entry from a PROT_NONE PTE.
 *
 * One swap area of the configured size; slot 0 holds the header and is never used.
 * A slot's count is the number of PTEs holding its entry; a page in the swap cache holds
 * the slot too (and one reference on the page). In data mode the slot's 4 KiB really go
 * to a host buffer and come back.
 */
#ifndef MMSIM_MM_SWAP_H
#define MMSIM_MM_SWAP_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/x86_64/pte.h"
#include "arch/x86_64/types.h"

struct mm_core;
struct mm_struct;
struct vma;
struct page;
struct check_report;

#define SWP_TYPE_BITS 5u
#define SWP_OFFSET_FIRST_BIT 9u /* _PAGE_BIT_PROTNONE + 1 */
#define SWP_OFFSET_SHIFT (SWP_OFFSET_FIRST_BIT + SWP_TYPE_BITS)
#define SWP_OFFSET_BITS (64u - SWP_OFFSET_SHIFT) /* 50 */
#define SWP_PTE_EXCLUSIVE X86_PTE_PWT		 /* _PAGE_SWP_EXCLUSIVE, bit 3 */
#define SWP_PTE_SOFT_DIRTY X86_PTE_RW		 /* _PAGE_SWP_SOFT_DIRTY, bit 1 */

static inline uint64_t swap_pte_make(unsigned int type, uint64_t offset)
{
	return (~offset << SWP_OFFSET_SHIFT >> SWP_TYPE_BITS) |
	       ((uint64_t)type << (64 - SWP_TYPE_BITS));
}

static inline unsigned int swap_pte_type(uint64_t pte)
{
	return (unsigned int)(pte >> (64 - SWP_TYPE_BITS));
}

static inline uint64_t swap_pte_offset(uint64_t pte)
{
	return ~pte << SWP_TYPE_BITS >> SWP_OFFSET_SHIFT;
}

/* A non-present, non-empty PTE that is not PROT_NONE holds a swap entry. */
static inline bool swap_pte_is_entry(uint64_t pte)
{
	return pte && !x86_pte_present(pte) && !(pte & X86_PTE_G);
}

/*
 * Levels of the free-slot map: level 0 has a bit per slot (1: free), each level above a bit
 * per word of the level below (1: that word is not 0). 2^32 slots need 6 levels.
 */
#define SWAP_MAP_MAX_LEVELS 6

struct swap_area {
	uint64_t nr_slots; /* including slot 0, the header */
	uint16_t *count;   /* per slot: PTEs holding the entry */
	pfn_t *cache;	   /* per slot: the page in the swap cache, SWAP_NO_PAGE if none */
	uint8_t *data;	   /* data mode: the slots' contents (host mapping), else NULL */
	uint64_t next;	   /* where the next slot search starts */
	uint64_t nr_free;  /* slots neither counted nor cached */
	/* The free-slot map (host memory): bit s of level 0 is set iff slot s is free
	 * (count 0, not cached); slot 0 never is. map[l + 1] has a bit per word of map[l]. */
	uint64_t *map[SWAP_MAP_MAX_LEVELS];
	uint64_t map_bits[SWAP_MAP_MAX_LEVELS]; /* bits in each level; the top one has <= 64 */
	unsigned int nr_map_levels;
	uint64_t *shadow; /* per slot: the shadow entry of the page swapped out to it
			   * (anon_workingset; workingset.h), 0 for none; NULL until used */
};

#define SWAP_NO_PAGE ((pfn_t)UINT64_MAX)

/* A swap area of size_bytes (0: none, *out stays NULL). 0 or -ENOMEM / -EINVAL. */
int swap_area_create(uint64_t size_bytes, bool data_mode, struct swap_area **out);
void swap_area_destroy(struct swap_area *sa);

/*
 * The slot allocator on its own (swap_slot_alloc() and swap_add_to_cache() use it): the
 * next free slot at or after sa->next, wrapping to slot 1 (next-fit), marked used, with
 * sa->next moved past it; 0 when none is free. swap_area_put_slot() marks slot free again.
 */
uint64_t swap_area_get_slot(struct swap_area *sa);
void swap_area_put_slot(struct swap_area *sa, uint64_t slot);

/* Pages of swap in total and free (for meminfo's SwapTotal and SwapFree). */
uint64_t swap_total_pages(const struct mm_core *core);
uint64_t swap_free_pages(const struct mm_core *core);

/* A PTE holding a swap entry was cleared (zap): the slot loses one user; a page left
 * only in the swap cache goes. */
void swap_free_entry(struct mm_core *core, uint64_t pte);
/* A PTE holding a swap entry was copied (fork): the slot gains one user. */
void swap_dup_entry(struct mm_core *core, uint64_t pte);

/*
 * Reclaim's swap-out of one anonymous page that no PTE maps any more (vmscan.c calls it
 * after unmapping): puts the page in the swap cache with a new slot unless it is there
 * already. Returns the slot, or 0 when swap is absent or full.
 */
uint64_t swap_add_to_cache(struct mm_core *core, struct page *pg);
/* Writes the page's contents to its slot (pswpout). */
void swap_writepage(struct mm_core *core, struct page *pg);
/* Takes a page out of the swap cache, dropping the cache's reference; frees the slot when no
 * PTE holds it. */
void swap_cache_remove(struct mm_core *core, struct page *pg);

/* Linux vm_swap_full(): more than half of swap is in use (free slots * 2 < total). */
bool swap_vm_full(const struct mm_core *core);
/* Linux folio_free_swap(): takes pg out of the swap cache and frees its slot, unless it is
 * not cached or a PTE still holds the slot; the page is marked dirty. True if freed. */
bool swap_free_swap(struct mm_core *core, struct page *pg);

/* Slots held by something else than PTEs (a shmem object's index): a new slot with one
 * user (0 when swap is absent or full), dropping that user, and the slot's contents. */
uint64_t swap_slot_alloc(struct mm_core *core);
void swap_slot_put(struct mm_core *core, uint64_t slot);
void swap_slot_write(struct mm_core *core, uint64_t slot, pfn_t pfn);
void swap_slot_read(struct mm_core *core, uint64_t slot, pfn_t pfn);

/* The swap slot a PTE's entry names (for rmap's unmap: each PTE takes a count). */
void swap_entry_get(struct mm_core *core, uint64_t slot);

/* With anon_workingset on: slot (still held by PTEs) remembers shadow until the page
 * is read back or the slot is freed. */
void swap_store_shadow(struct mm_core *core, uint64_t slot, uint64_t shadow);

bool swap_check(const struct mm_core *core, struct check_report *why);

#endif
