/*
 * arch/x86_64/pwc.c: the paging-structure caches (Intel SDM Vol. 3A §4.10.3; see pwc.h).
 *
 * Each cache is a set-associative array indexed by its tag's low bits. A PWC_* level caches
 * paging-structure entries of SDM level pwc_level + 2 (the PDE cache holds level-2 entries)
 * and its tag is the linear address shifted right by the size that entry maps. Lookups
 * compare one 8-byte key per way, the tag with the PCID in its low 12 bits; the payload
 * (table and rights) sits in a parallel array.
 */
#include "arch/x86_64/pwc.h"

#include <errno.h>
#include <stdlib.h>

#include "arch/x86_64/cr.h"
#include "arch/x86_64/pte.h"
#include "arch/x86_64/walk.h"

#define PWC_KEY_NONE UINT64_MAX /* (va >> 21) << 12 stays below 2^55 */
#define PWC_PCID_BITS UINT64_C(0xfff)
#define PWC_FILTER_SLOTS 256u

struct pwc_entry {
	paddr_t table;	 /* the next-level table the cached entry names */
	uint64_t rights; /* X86_PTE_US | X86_PTE_RW | X86_PTE_XD, XD set = executable */
};

struct pwc_cache {
	uint64_t *keys;		   /* (tag << 12) | PCID per way; PWC_KEY_NONE when invalid */
	struct pwc_entry *entries; /* nr_sets * ways, same indexes; NULL when absent */
	unsigned int nr_sets;	   /* power of two */
	unsigned int ways;
	struct tlb_repl repl;
	/* Valid keys per hash slot (filter_slot()): a slot at 0 proves a key absent, so a miss
	 * is usually decided without scanning the set; what a lookup finds is unchanged. */
	uint32_t filter[PWC_FILTER_SLOTS];
};

struct pwc {
	struct pwc_cache cache[PWC_NR_LEVELS];
};

static const char *const level_names[PWC_NR_LEVELS] = {
	[PWC_PDE] = "pde",
	[PWC_PDPTE] = "pdpte",
	[PWC_PML4E] = "pml4e",
	[PWC_PML5E] = "pml5e",
};

const char *pwc_level_name(enum pwc_level level)
{
	return level < PWC_NR_LEVELS ? level_names[level] : "none";
}

/* SDM level of the entries a cache holds: PDE 2, PDPTE 3, PML4E 4, PML5E 5. */
static unsigned int entry_level(unsigned int lvl)
{
	return lvl + X86_LEVEL_PDE;
}

static unsigned int tag_shift(unsigned int lvl)
{
	return x86_level_shift(entry_level(lvl));
}

static uint64_t make_key(uint64_t tag, uint16_t pcid)
{
	return (tag << 12) | pcid;
}

static unsigned int filter_slot(uint64_t key)
{
	return (unsigned int)((key * UINT64_C(0x9e3779b97f4a7c15)) >> 56);
}

static void invalidate(struct pwc_cache *c, size_t i)
{
	if (c->keys[i] != PWC_KEY_NONE)
		c->filter[filter_slot(c->keys[i])]--;
	c->keys[i] = PWC_KEY_NONE;
	tlb_repl_forget(&c->repl, (unsigned int)(i / c->ways), (unsigned int)(i % c->ways));
}

static int cache_init(struct pwc_cache *c, const struct pwc_level_config *lc)
{
	unsigned int nr_sets;

	if (lc->entries == 0)
		return 0;
	if (lc->ways == 0 || lc->entries % lc->ways || !tlb_repl_supports(lc->repl, lc->ways))
		return -EINVAL;
	nr_sets = lc->entries / lc->ways;
	if (nr_sets & (nr_sets - 1))
		return -EINVAL;
	c->keys = malloc((size_t)lc->entries * sizeof(*c->keys));
	c->entries = calloc(lc->entries, sizeof(*c->entries));
	if (!c->keys || !c->entries || tlb_repl_init(&c->repl, lc->repl, nr_sets, lc->ways)) {
		free(c->keys);
		free(c->entries);
		c->keys = NULL;
		c->entries = NULL;
		return -ENOMEM;
	}
	c->nr_sets = nr_sets;
	c->ways = lc->ways;
	for (unsigned int i = 0; i < lc->entries; i++)
		c->keys[i] = PWC_KEY_NONE;
	return 0;
}

int pwc_create(const struct pwc_config *cfg, struct pwc **out)
{
	struct pwc *pwc = calloc(1, sizeof(*pwc));
	int err = 0;

	*out = NULL;
	if (!pwc)
		return -ENOMEM;
	for (unsigned int lvl = 0; lvl < PWC_NR_LEVELS && !err; lvl++)
		err = cache_init(&pwc->cache[lvl], &cfg->level[lvl]);
	if (err) {
		pwc_destroy(pwc);
		return err;
	}
	*out = pwc;
	return 0;
}

void pwc_destroy(struct pwc *pwc)
{
	if (!pwc)
		return;
	for (unsigned int lvl = 0; lvl < PWC_NR_LEVELS; lvl++) {
		if (pwc->cache[lvl].entries)
			tlb_repl_fini(&pwc->cache[lvl].repl);
		free(pwc->cache[lvl].keys);
		free(pwc->cache[lvl].entries);
	}
	free(pwc);
}

/* The first index of the set a tag selects. */
static size_t set_of(const struct pwc_cache *c, uint64_t tag, unsigned int *set)
{
	*set = (unsigned int)(tag & (c->nr_sets - 1));
	return (size_t)*set * c->ways;
}

enum pwc_level pwc_walk_start(struct pwc *pwc, const struct x86_cpu *cpu, vaddr_t va,
			      struct x86_walk_start *start)
{
	unsigned int top = cpu->levels == 5 ? PWC_PML5E : PWC_PML4E;
	uint16_t pcid = x86_cr3_pcid(cpu);

	for (unsigned int lvl = PWC_PDE; lvl <= top; lvl++) {
		struct pwc_cache *c = &pwc->cache[lvl];
		uint64_t tag = va >> tag_shift(lvl);
		uint64_t key = make_key(tag, pcid);
		unsigned int set;
		size_t first;

		if (!c->entries || !c->filter[filter_slot(key)])
			continue;
		first = set_of(c, tag, &set);
		for (unsigned int w = 0; w < c->ways; w++) {
			if (c->keys[first + w] != key)
				continue;
			tlb_repl_touch(&c->repl, set, w);
			start->level = entry_level(lvl) - 1;
			start->table = c->entries[first + w].table;
			start->rights = c->entries[first + w].rights;
			return (enum pwc_level)lvl;
		}
	}
	*start = x86_walk_start_at(cpu, x86_cr3_root(cpu));
	return PWC_MISS;
}

/*
 * Caches a new entry. The key is not in the cache: pwc_fill() inserts only the levels that
 * pwc_walk_start() looked up and missed (or did not reach) for this walk, so no set is
 * scanned for a copy.
 */
static void insert(struct pwc_cache *c, uint64_t tag, uint16_t pcid, paddr_t table, uint64_t rights)
{
	unsigned int set;
	size_t first = set_of(c, tag, &set);
	unsigned int way = c->ways;

	if (c->repl.kind != TLB_REPL_LRU) {
		for (unsigned int w = 0; w < c->ways && way == c->ways; w++) {
			if (c->keys[first + w] == PWC_KEY_NONE)
				way = w;
		}
	}
	/* Under LRU invalid ways are the oldest (invalidate()), so the victim is one if any. */
	if (way == c->ways)
		way = tlb_repl_replace(&c->repl, set);
	else
		tlb_repl_touch(&c->repl, set, way);
	if (c->keys[first + way] != PWC_KEY_NONE)
		c->filter[filter_slot(c->keys[first + way])]--;
	c->keys[first + way] = make_key(tag, pcid);
	c->filter[filter_slot(c->keys[first + way])]++;
	c->entries[first + way] = (struct pwc_entry){ .table = table, .rights = rights };
}

void pwc_fill(struct pwc *pwc, const struct x86_cpu *cpu, vaddr_t va,
	      const struct x86_walk_start *start, const struct x86_walk_result *res)
{
	uint16_t pcid = x86_cr3_pcid(cpu);
	uint64_t rights = start->rights;

	if (res->outcome != X86_WALK_OK)
		return;
	/* Every step but the last (the leaf) read a table entry; combine rights as the walk did. */
	for (unsigned int i = 0; i + 1 < res->nr_steps; i++) {
		const struct x86_walk_step *step = &res->steps[i];
		unsigned int lvl = step->level - X86_LEVEL_PDE;
		struct pwc_cache *c = &pwc->cache[lvl];

		rights &= step->written ^ X86_PTE_XD;
		if (!c->entries)
			continue;
		insert(c, va >> tag_shift(lvl), pcid, x86_pte_addr(step->written, cpu->maxphyaddr),
		       rights);
	}
}

static void flush_where(struct pwc *pwc, bool all, uint16_t pcid)
{
	for (unsigned int lvl = 0; lvl < PWC_NR_LEVELS; lvl++) {
		struct pwc_cache *c = &pwc->cache[lvl];
		size_t n = (size_t)c->nr_sets * c->ways;

		for (size_t i = 0; c->entries && i < n; i++) {
			if (c->keys[i] != PWC_KEY_NONE &&
			    (all || (c->keys[i] & PWC_PCID_BITS) == pcid))
				invalidate(c, i);
		}
	}
}

void pwc_flush_all(struct pwc *pwc)
{
	flush_where(pwc, true, 0);
}

void pwc_flush_pcid(struct pwc *pwc, uint16_t pcid)
{
	flush_where(pwc, false, pcid);
}

void pwc_invalidate_va(struct pwc *pwc, vaddr_t va, uint16_t pcid)
{
	for (unsigned int lvl = 0; lvl < PWC_NR_LEVELS; lvl++) {
		struct pwc_cache *c = &pwc->cache[lvl];
		uint64_t tag = va >> tag_shift(lvl);
		unsigned int set;
		size_t first;

		if (!c->entries || !c->filter[filter_slot(make_key(tag, pcid))])
			continue;
		first = set_of(c, tag, &set);
		for (unsigned int w = 0; w < c->ways; w++) {
			if (c->keys[first + w] == make_key(tag, pcid))
				invalidate(c, first + w);
		}
	}
}

unsigned int pwc_count(const struct pwc *pwc, enum pwc_level level)
{
	const struct pwc_cache *c = &pwc->cache[level];
	size_t n = (size_t)c->nr_sets * c->ways;
	unsigned int count = 0;

	for (size_t i = 0; c->entries && i < n; i++)
		count += c->keys[i] != PWC_KEY_NONE;
	return count;
}
