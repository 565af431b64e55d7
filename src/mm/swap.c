/*
 * mm/swap.c: the swap area, the swap cache and swap-in (see swap.h).
 * Linux: mm/swapfile.c (get_swap_pages, swap_free, swap_duplicate), mm/swap_state.c
 * (add_to_swap_cache, delete_from_swap_cache), mm/memory.c (do_swap_page).
 */
#include "mm/swap.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "arch/x86_64/physmem.h"
#include "mm/anon.h"
#include "mm/bug.h"
#include "mm/check.h"
#include "mm/core.h"
#include "mm/page.h"
#include "mm/rmap.h"
#include "mm/vma.h"
#include "mm/vmstat.h"
#include "mm/workingset.h"

/*
 * The free-slot map (struct swap_area): a search from the cursor looks at one word per
 * level going up until a word has a free bit at or after the cursor, then at one word per
 * level going down, so it costs O(levels), not O(slots scanned) as the linear next-fit scan
 * did, and it finds the same slot: the first free one at or after the cursor.
 */
#define MAP_NONE UINT64_MAX

static int map_init(struct swap_area *sa)
{
	uint64_t bits = sa->nr_slots;

	for (unsigned int l = 0;; l++) {
		uint64_t words = (bits + 63) / 64;

		MM_BUG_ON(l >= SWAP_MAP_MAX_LEVELS);
		sa->map[l] = calloc(words, sizeof(uint64_t));
		if (!sa->map[l])
			return -ENOMEM;
		sa->map_bits[l] = bits;
		sa->nr_map_levels = l + 1;
		/* Every slot but 0 is free, so every word below holds a free slot (word 0 holds
		 * slot 1): all bits set. */
		for (uint64_t w = 0; w < words; w++) {
			uint64_t n = bits - w * 64;

			sa->map[l][w] = n >= 64 ? ~UINT64_C(0) : (UINT64_C(1) << n) - 1;
		}
		if (l == 0)
			sa->map[0][0] &= ~UINT64_C(1);
		if (bits <= 64)
			return 0;
		bits = words;
	}
}

/* Word i of level l became non-zero: say so in the levels above. */
static void map_set_above(struct swap_area *sa, unsigned int l, uint64_t i)
{
	for (l++; l < sa->nr_map_levels; l++, i >>= 6) {
		uint64_t *w = &sa->map[l][i >> 6];
		uint64_t was = *w;

		*w = was | UINT64_C(1) << (i & 63);
		if (was)
			return; /* the levels above already say this word is not 0 */
	}
}

/* Word i of level l became 0. */
static void map_clear_above(struct swap_area *sa, unsigned int l, uint64_t i)
{
	for (l++; l < sa->nr_map_levels; l++, i >>= 6) {
		uint64_t *w = &sa->map[l][i >> 6];

		*w &= ~(UINT64_C(1) << (i & 63));
		if (*w)
			return;
	}
}

/* The first set bit at or after bit i of level l, as a slot, or MAP_NONE. */
static uint64_t map_find(const struct swap_area *sa, unsigned int l, uint64_t i)
{
	uint64_t w;

	/* 1. Up: the first level whose word at i has a set bit at or after i. */
	for (;;) {
		if (i >= sa->map_bits[l])
			return MAP_NONE;
		w = sa->map[l][i >> 6] & (~UINT64_C(0) << (i & 63));
		if (w)
			break;
		if (++l == sa->nr_map_levels)
			return MAP_NONE;
		i = (i >> 6) + 1; /* the next word of the level below */
	}
	i = (i & ~UINT64_C(63)) | (uint64_t)__builtin_ctzll(w);
	/* 2. Down: the first set bit of the word each level's bit stands for. */
	while (l-- > 0)
		i = i * 64 + (uint64_t)__builtin_ctzll(sa->map[l][i]);
	return i;
}

/* The slow part of get_slot(): no free slot in the cursor's word at or after it. */
static __attribute__((noinline)) uint64_t find_beyond_word(const struct swap_area *sa, uint64_t i)
{
	uint64_t slot = sa->nr_map_levels > 1 ? map_find(sa, 1, (i >> 6) + 1) : MAP_NONE;

	if (slot == MAP_NONE)
		slot = map_find(sa, 0, 1);	  /* wrap: slot 0 is the header */
	MM_BUG_ON(slot == MAP_NONE || slot == 0); /* nr_free said there was one */
	return slot;
}

static inline uint64_t get_slot(struct swap_area *sa)
{
	uint64_t i = sa->next;
	uint64_t w = sa->map[0][i >> 6] & (~UINT64_C(0) << (i & 63));
	uint64_t slot;
	uint64_t *word;

	if (sa->nr_free == 0)
		return 0;
	slot = w ? (i & ~UINT64_C(63)) | (uint64_t)__builtin_ctzll(w) : find_beyond_word(sa, i);
	word = &sa->map[0][slot >> 6];
	*word &= ~(UINT64_C(1) << (slot & 63));
	if (!*word)
		map_clear_above(sa, 0, slot >> 6);
	sa->next = slot + 1 >= sa->nr_slots ? 1 : slot + 1;
	sa->nr_free--;
	return slot;
}

static inline void put_slot(struct swap_area *sa, uint64_t slot)
{
	uint64_t *word = &sa->map[0][slot >> 6];
	uint64_t was = *word;

	*word = was | UINT64_C(1) << (slot & 63);
	if (!was)
		map_set_above(sa, 0, slot >> 6);
	sa->nr_free++;
}

uint64_t swap_area_get_slot(struct swap_area *sa)
{
	return get_slot(sa);
}

void swap_area_put_slot(struct swap_area *sa, uint64_t slot)
{
	put_slot(sa, slot);
}

int swap_area_create(uint64_t size_bytes, bool data_mode, struct swap_area **out)
{
	struct swap_area *sa;
	uint64_t n = size_bytes / X86_PAGE_SIZE;

	*out = NULL;
	if (n == 0)
		return 0;
	if (n < 2 || n > (UINT64_C(1) << 32))
		return -EINVAL;
	sa = calloc(1, sizeof(*sa));
	if (!sa)
		return -ENOMEM;
	sa->nr_slots = n;
	sa->count = calloc(n, sizeof(*sa->count));
	sa->cache = malloc(n * sizeof(*sa->cache));
	if (!sa->count || !sa->cache || map_init(sa))
		goto out_free;
	for (uint64_t i = 0; i < n; i++)
		sa->cache[i] = SWAP_NO_PAGE;
	if (data_mode) {
		void *p = mmap(NULL, n * X86_PAGE_SIZE, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

		if (p == MAP_FAILED)
			goto out_free;
		sa->data = p;
	}
	sa->next = 1;
	sa->nr_free = n - 1; /* slot 0: the swap header */
	*out = sa;
	return 0;

out_free:
	for (unsigned int l = 0; l < sa->nr_map_levels; l++)
		free(sa->map[l]);
	free(sa->count);
	free(sa->cache);
	free(sa);
	return -ENOMEM;
}

void swap_area_destroy(struct swap_area *sa)
{
	if (!sa)
		return;
	if (sa->data)
		munmap(sa->data, sa->nr_slots * X86_PAGE_SIZE);
	for (unsigned int l = 0; l < sa->nr_map_levels; l++)
		free(sa->map[l]);
	free(sa->count);
	free(sa->cache);
	free(sa->shadow);
	free(sa);
}

uint64_t swap_total_pages(const struct mm_core *core)
{
	return core->swap ? core->swap->nr_slots - 1 : 0;
}

uint64_t swap_free_pages(const struct mm_core *core)
{
	return core->swap ? core->swap->nr_free : 0;
}

/* The slot is free once no PTE holds it and no page caches it. */
static void release_if_unused(struct swap_area *sa, uint64_t slot)
{
	if (sa->count[slot] == 0 && sa->cache[slot] == SWAP_NO_PAGE) {
		put_slot(sa, slot);
		if (sa->shadow)
			sa->shadow[slot] = 0; /* Linux clear_shadow_from_swap_cache() */
	}
}

static uint64_t slot_of(const struct mm_core *core, uint64_t pte)
{
	uint64_t slot = swap_pte_offset(pte);

	MM_BUG_ON(!core->swap || swap_pte_type(pte) != 0 || slot == 0 ||
		  slot >= core->swap->nr_slots);
	return slot;
}

void swap_entry_get(struct mm_core *core, uint64_t slot)
{
	MM_BUG_ON(core->swap->count[slot] == UINT16_MAX);
	core->swap->count[slot]++;
}

void swap_dup_entry(struct mm_core *core, uint64_t pte)
{
	swap_entry_get(core, slot_of(core, pte));
}

void swap_cache_remove(struct mm_core *core, struct page *pg)
{
	struct swap_area *sa = core->swap;
	uint64_t slot = pg->private;

	MM_BUG_ON(!page_flag_test(pg, PG_SWAPCACHE) || sa->cache[slot] == SWAP_NO_PAGE);
	sa->cache[slot] = SWAP_NO_PAGE;
	page_flag_clear(pg, PG_SWAPCACHE);
	pg->private = 0;
	core_count_mod(core, VMSTAT_NR_SWAPCACHE, -1);
	release_if_unused(sa, slot);
	core_put_page(core, core_pfn(core, pg));
}

void swap_free_entry(struct mm_core *core, uint64_t pte)
{
	struct swap_area *sa = core->swap;
	uint64_t slot = slot_of(core, pte);

	MM_BUG_ON(sa->count[slot] == 0);
	if (--sa->count[slot])
		return;
	if (sa->cache[slot] == SWAP_NO_PAGE) {
		release_if_unused(sa, slot);
		return;
	}
	/* Linux free_swap_and_cache(): a cached page nobody maps goes with its slot. */
	if (core_page(core, sa->cache[slot])->mapcount == 0)
		swap_cache_remove(core, core_page(core, sa->cache[slot]));
}

uint64_t swap_slot_alloc(struct mm_core *core)
{
	struct swap_area *sa = core->swap;
	uint64_t slot;

	if (!sa)
		return 0;
	slot = get_slot(sa);
	if (slot)
		sa->count[slot] = 1;
	return slot;
}

void swap_slot_put(struct mm_core *core, uint64_t slot)
{
	struct swap_area *sa = core->swap;

	MM_BUG_ON(!sa || slot == 0 || slot >= sa->nr_slots || sa->count[slot] == 0);
	sa->count[slot]--;
	release_if_unused(sa, slot);
}

void swap_slot_write(struct mm_core *core, uint64_t slot, pfn_t pfn)
{
	struct swap_area *sa = core->swap;

	if (sa->data)
		memcpy(sa->data + slot * X86_PAGE_SIZE, physmem_frame(core->pm, pfn),
		       X86_PAGE_SIZE);
	core_count(core, VMSTAT_PSWPOUT);
	core_count_mod(core, VMSTAT_PGPGOUT, X86_PAGE_SIZE / 1024);
}

void swap_slot_read(struct mm_core *core, uint64_t slot, pfn_t pfn)
{
	struct swap_area *sa = core->swap;

	if (sa->data)
		memcpy(physmem_frame(core->pm, pfn), sa->data + slot * X86_PAGE_SIZE,
		       X86_PAGE_SIZE);
	core_count(core, VMSTAT_PSWPIN);
	core_count_mod(core, VMSTAT_PGPGIN, X86_PAGE_SIZE / 1024);
}

uint64_t swap_add_to_cache(struct mm_core *core, struct page *pg)
{
	struct swap_area *sa = core->swap;
	uint64_t slot;

	if (page_flag_test(pg, PG_SWAPCACHE))
		return pg->private;
	if (!sa)
		return 0;
	slot = get_slot(sa);
	if (!slot)
		return 0;
	sa->cache[slot] = core_pfn(core, pg);
	pg->private = slot;
	page_flag_set(pg, PG_SWAPCACHE);
	page_flag_set(pg, PG_DIRTY); /* never written yet (Linux add_to_swap()) */
	page_get(pg);		     /* the swap cache's reference */
	core_count_mod(core, VMSTAT_NR_SWAPCACHE, 1);
	return slot;
}

void swap_writepage(struct mm_core *core, struct page *pg)
{
	swap_slot_write(core, pg->private, core_pfn(core, pg));
	page_flag_clear(pg, PG_DIRTY);
}

bool swap_vm_full(const struct mm_core *core)
{
	return core->swap && core->swap->nr_free * 2 < swap_total_pages(core);
}

bool swap_free_swap(struct mm_core *core, struct page *pg)
{
	if (!page_flag_test(pg, PG_SWAPCACHE) || core->swap->count[pg->private])
		return false; /* not cached, or a PTE still holds the slot (folio_swapped()) */
	swap_cache_remove(core, pg);
	page_flag_set(pg, PG_DIRTY); /* the copy in swap is gone: the page must be written */
	return true;
}

/*
 * Linux: mm/memory.c, should_try_to_free_swap() (6.x): a page read back keeps its slot in
 * the swap cache (a clean page can then be dropped without writing it again), unless swap
 * is more than half full (vm_swap_full(), through mem_cgroup_swap_full() with no memcg
 * limit), or the fault writes and no one but the swap cache and this fault holds the page
 * (folio_ref_count() == 2: here the cache's reference and the new mapping's).
 */
static bool should_try_to_free_swap(struct mm_core *core, const struct page *pg, bool write)
{
	if (!page_flag_test(pg, PG_SWAPCACHE))
		return false;
	if (swap_vm_full(core))
		return true;
	return write && pg->refcount == 2;
}

/*
 * Linux do_swap_page() (6.18): bring the entry's page in, or find it in the swap cache;
 * drop this PTE's hold on the slot (swap_free_nr()), free the slot when
 * should_try_to_free_swap() says so, and map the page. It is mapped writable (the VMA
 * permitting) when it is certainly exclusive: the swap PTE carried _PAGE_SWP_EXCLUSIVE, or
 * nothing else holds the page any more; a read then maps it writable but clean (Linux 6.11
 * on), so a later write takes no fault.
 */
int anon_swapin(struct mm_core *core, struct mm_struct *mm, struct vma *vma, vaddr_t va,
		paddr_t pte_addr, bool write, bool *major, const char **decision)
{
	struct swap_area *sa = core->swap;
	uint64_t pte = physmem_read64(core->pm, pte_addr);
	uint64_t slot = slot_of(core, pte);
	struct anon_vma *av = anon_vma_prepare(vma, core->anon_vma_cache);
	struct page *pg;
	pfn_t pfn = sa->cache[slot];
	bool exclusive = (pte & SWP_PTE_EXCLUSIVE) != 0;
	bool writable;

	if (!av)
		return -ENOMEM;
	*major = false;
	if (pfn == SWAP_NO_PAGE) {
		int err;

		core_lru_incoming(core, av, vma_page_index(vma, va));
		err = core_alloc_page(core, CORE_ALLOC_USER, &pfn);

		if (err)
			return err;
		pg = core_page(core, pfn);
		pg->flags |= PAGE_FLAG_MASK(PG_ANON) | PAGE_FLAG_MASK(PG_SWAPBACKED) |
			     PAGE_FLAG_MASK(PG_SWAPCACHE);
		pg->mapping = av;
		pg->index = vma_page_index(vma, va);
		pg->private = slot;
		sa->cache[slot] = pfn; /* the allocation's reference is the cache's */
		core_count_mod(core, VMSTAT_NR_SWAPCACHE, 1);
		swap_slot_read(core, slot, pfn);
		/* Linux __read_swap_cache_async(): a shadow in the swap cache is a refault. */
		if (sa->shadow && sa->shadow[slot]) {
			if (workingset_enabled(core))
				workingset_refault(core, pg, sa->shadow[slot]);
			sa->shadow[slot] = 0;
		}
		core_lru_add(core, pg);
		*major = true;
		core_event(core,
			   &(struct mm_event){
				   .kind = MM_EV_SWAP_IN, .va = va, .pfn = pfn, .old = slot });
	}
	pg = core_page(core, pfn);
	sa->count[slot]--;
	if (pg->mapcount++ == 0)
		core_count_mod(core, VMSTAT_NR_ANON_MAPPED, 1);
	page_get(pg);
	if (should_try_to_free_swap(core, pg, write))
		swap_free_swap(core, pg);
	exclusive = exclusive || pg->refcount == 1;
	writable = exclusive && (vma->flags & VM_WRITE);
	if (exclusive)
		page_flag_set(pg, PG_ANON_EXCLUSIVE);
	physmem_write64(core->pm, pte_addr, anon_pte(core, vma, pfn, writable, writable && write));
	mm->swap_ents--;
	mm->rss_anon++;
	if (writable && write)
		page_flag_set(pg, PG_DIRTY);
	*decision = *major ? "swap-in: the page is read back from swap (major fault)"
			   : "swap cache hit: the page is still in memory and is mapped again";
	return 0;
}

void swap_store_shadow(struct mm_core *core, uint64_t slot, uint64_t shadow)
{
	struct swap_area *sa = core->swap;

	if (!core->anon_workingset)
		return;
	if (!sa->shadow)
		sa->shadow = calloc(sa->nr_slots, sizeof(*sa->shadow));
	if (sa->shadow)
		sa->shadow[slot] = shadow;
}

bool swap_check(const struct mm_core *core, struct check_report *why)
{
	const struct swap_area *sa = core->swap;
	uint64_t free = 0;

	if (!sa)
		return true;
	for (uint64_t s = 0; s < sa->nr_slots; s++) {
		bool is_free = s && sa->count[s] == 0 && sa->cache[s] == SWAP_NO_PAGE;

		if (is_free != ((sa->map[0][s >> 6] >> (s & 63)) & 1))
			return check_fail(why, "swap slot %llu is %s, the free map says otherwise",
					  (unsigned long long)s, is_free ? "free" : "in use");
		if (is_free) {
			free++;
			continue;
		}
		if (!s)
			continue;
		if (sa->cache[s] != SWAP_NO_PAGE) {
			const struct page *pg = core_page(core, sa->cache[s]);

			if (!page_flag_test(pg, PG_SWAPCACHE) || pg->private != s)
				return check_fail(why,
						  "swap slot %llu caches pfn %#llx, which does "
						  "not name it back",
						  (unsigned long long)s,
						  (unsigned long long)sa->cache[s]);
		}
	}
	if (free != sa->nr_free)
		return check_fail(why, "swap: %llu slots free, nr_free says %llu",
				  (unsigned long long)free, (unsigned long long)sa->nr_free);
	for (unsigned int l = 1; l < sa->nr_map_levels; l++)
		for (uint64_t w = 0; w < sa->map_bits[l]; w++)
			if ((sa->map[l - 1][w] != 0) != ((sa->map[l][w >> 6] >> (w & 63)) & 1))
				return check_fail(why, "swap free map: level %u bit %llu is wrong",
						  l, (unsigned long long)w);
	return true;
}
