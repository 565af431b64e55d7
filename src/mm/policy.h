/*
 * mm/policy.h: page-replacement policies behind one small ops table (STYLE.md §7).
 *
 * A policy only decides which page goes; vmscan.c does the rest (unmapping through rmap,
 * swap-out, counters, batching). Pages enter a policy when they become evictable
 * (page_added: a new anonymous page, a page swapped in) and leave when freed or evicted
 * (page_removed). Policies that model hardware (clock, nru, linux) learn about use only
 * from the Accessed and Dirty bits of the PTEs that map a page, reached through rmap
 * (vmscan_page_referenced()). Oracle policies see more: every access (lru) or the future
 * (opt); they say so in needs_accesses / needs_future, and reports say so too.
 * Each policy is one file in mm/policies/; this file is the only one that knows them all.
 */
#ifndef MMSIM_MM_POLICY_H
#define MMSIM_MM_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/list.h"

struct page;
struct mm_core;
struct check_report;
struct vmscan_ctx;
struct policy;

/* The identity of a virtual page, stable across eviction and refault: the rmap anchor
 * (anon_vma or shmem object) and the page's index in it (Linux keeps the same pair in
 * folio->mapping and folio->index). Policies with ghost lists remember evicted pages by it. */
struct policy_key {
	uintptr_t mapping; /* page->mapping */
	uint64_t index;	   /* page->index */
};

/* A numeric parameter of a policy, set as policy=NAME:KEY=VALUE[:KEY=VALUE]. */
struct policy_param {
	const char *name;
	uint64_t def, min, max;
	const char *help; /* one line for --help, citing where the default comes from */
};

#define POLICY_MAX_PARAMS 4

struct policy_ops {
	const char *name;		   /* as written after policy= */
	const char *summary;		   /* one line for --help */
	const struct policy_param *params; /* nr_params of them, or NULL */
	unsigned int nr_params;
	bool needs_accesses; /* sees every access (page_accessed on each) */
	bool needs_future;   /* needs next-use times: only trace replay can give them */
	bool workingset;     /* Linux's two-list LRUs: evictions leave shadow entries and
			      * refaults are activated by mm/workingset.c's rule */
	int (*init)(struct policy *p);
	void (*fini)(struct policy *p);
	void (*page_added)(struct policy *p, struct page *pg);
	void (*page_removed)(struct policy *p, struct page *pg);
	/* needs_accesses only: pg was just accessed; next_use is its next access time
	 * (needs_future only; UINT64_MAX when unknown). */
	void (*page_accessed)(struct policy *p, struct page *pg, uint64_t next_use);
	/* Optional: pg gained a mapping without an access (fork copied a PTE that maps it,
	 * Linux copy_present_pte()): whoever uses it next may be another process now. */
	void (*page_dup)(struct policy *p, struct page *pg);
	/* Optional: a PTE stopped mapping pg (copy-on-write, zap, exit), which stays. */
	void (*page_unmap)(struct policy *p, struct page *pg);
	/* The page to evict now, still in the policy, or NULL if none can go. Counts the
	 * pages it looked at in ctx->nr_scanned. */
	struct page *(*pick_victim)(struct policy *p, struct vmscan_ctx *ctx);
	/* Optional: reclaim could not evict pg, the page pick_victim just gave (someone holds
	 * it); the policy must offer another page for the rest of this reclaim call. Without
	 * it pg is taken out and added again (a list policy's rotation). */
	void (*page_busy)(struct policy *p, struct page *pg);
	/* Optional: the end of a reclaim call (costs, final aging). */
	void (*reclaim_done)(struct policy *p, struct vmscan_ctx *ctx);
	bool (*check)(const struct policy *p, struct check_report *why);
};

struct policy {
	const struct policy_ops *ops;
	struct mm_core *core;
	uint64_t seed;			   /* for seeded choices */
	uint64_t nr_pages;		   /* pages in the policy */
	uint64_t capacity;		   /* c: the frames cap, or every user-usable frame */
	uint64_t param[POLICY_MAX_PARAMS]; /* ops->params' values, in table order */
	void *state;			   /* the policy's own, private to its file */
	struct page *evicting;		   /* set by vmscan while its victim is removed:
					    * page_removed(evicting) is an eviction */
	bool sees_accesses;		   /* page_accessed is called: ops->needs_accesses,
					    * unless init turned it off (sieve:abit=1) */
	bool workingset;		   /* shadow entries are kept: ops->workingset,
					    * unless init turned it on (mglru:enabled=0) */
	bool faulted;			   /* page_accessed: this access faulted first */
	bool has_incoming;		   /* a fault is about to bring in incoming */
	struct policy_key incoming;	   /* valid when has_incoming */
};

/* The policy a spec ("NAME" or "NAME:KEY=VALUE:...") names, or NULL. */
const struct policy_ops *policy_find(const char *spec);
/* Checks spec's parameters and fills param[] (defaults first). 0, or -EINVAL with the
 * reason in why. */
int policy_parse(const char *spec, const struct policy_ops **ops, uint64_t *param, char *why,
		 size_t why_size);
/* Writes "fifo, lru, clock, ..." in table order into buf. */
void policy_names(char *buf, size_t size);
/* The i-th policy of the registry, by name; NULL past the last. */
const char *policy_name(unsigned int i);
/* Writes one line per parameter of every policy ("  s3fifo:move=2  ...") into buf. */
void policy_params_help(char *buf, size_t size);

/* spec must have passed policy_parse. 0, -EINVAL or -ENOMEM. */
int policy_create(struct mm_core *core, const char *spec, uint64_t seed, uint64_t capacity,
		  struct policy **out);

/* The key of a page in the policy (its mapping and index). */
struct policy_key policy_page_key(const struct page *pg);
static inline bool policy_key_eq(struct policy_key a, struct policy_key b)
{
	return a.mapping == b.mapping && a.index == b.index;
}

/*
 * For policies that tell a hit from the access that brought a page in (the papers' "miss"):
 * page_added sets *fresh; the first page_accessed after it, when that access faulted,
 * is the faulting access itself, not a hit. Returns whether this access is a hit.
 */
static inline bool policy_access_is_hit(const struct policy *p, uint8_t *fresh)
{
	bool insertion = *fresh && p->faulted;

	*fresh = 0;
	return !insertion;
}

/*
 * A FIFO of page keys with an index: the ghost (non-resident history) lists of ARC, 2Q
 * and S3-FIFO. At most cap keys; pushing onto a full one drops the oldest. Host memory.
 */
struct policy_ghost_node;
struct policy_ghost {
	uint64_t cap, nr;
	struct policy_ghost_node *node; /* cap + 1 nodes; 0 is "none" */
	uint32_t *bucket;		/* hash buckets: node numbers, 0 for empty */
	uint64_t mask;			/* buckets - 1 */
	uint32_t oldest, newest, free;
};

int policy_ghost_init(struct policy_ghost *g, uint64_t cap); /* 0 or -ENOMEM */
void policy_ghost_fini(struct policy_ghost *g);
bool policy_ghost_contains(const struct policy_ghost *g, struct policy_key k);
bool policy_ghost_remove(struct policy_ghost *g, struct policy_key k); /* whether it was there */
void policy_ghost_push(struct policy_ghost *g, struct policy_key k);
void policy_ghost_drop_oldest(struct policy_ghost *g);
void policy_destroy(struct policy *p);

/*
 * A hash index from page keys to nodes a policy embeds (struct policy_hnode): the history
 * entries of LIRS and CLOCK-Pro that outlive their page. Several nodes may share a key
 * (find returns one of them). The index never owns its nodes. Host memory; it grows with
 * its nodes, and when growing fails it keeps working with longer chains.
 */
struct policy_hnode {
	struct policy_key key;
	struct policy_hnode *chain; /* next node in the same bucket */
};
struct policy_hash {
	struct policy_hnode **bucket;
	uint64_t mask; /* buckets - 1 (a power of two) */
	uint64_t nr;   /* nodes indexed */
};

int policy_hash_init(struct policy_hash *h); /* 0 or -ENOMEM */
void policy_hash_fini(struct policy_hash *h);
void policy_hash_add(struct policy_hash *h, struct policy_hnode *n);
void policy_hash_del(struct policy_hash *h, struct policy_hnode *n); /* n must be indexed */
struct policy_hnode *policy_hash_find(const struct policy_hash *h, struct policy_key k);

/* For policies that keep their pages on one list: the list holds exactly p->nr_pages. */
bool policy_list_check(const struct policy *p, const struct list_head *head,
		       struct check_report *why);

/*
 * Ops for policies whose state is one list of pages, oldest first, linked through
 * page->lru (fifo, lru): a page joins at the tail, the victim is the head. What differs is
 * only whether an access moves a page to the tail (lru's page_accessed).
 */
int policy_list_state_init(struct policy *p);
void policy_list_state_fini(struct policy *p);
void policy_list_page_added(struct policy *p, struct page *pg);
void policy_list_page_removed(struct policy *p, struct page *pg);
struct page *policy_list_pick_head(struct policy *p, struct vmscan_ctx *ctx);
bool policy_list_state_check(const struct policy *p, struct check_report *why);
/* The list itself (for a policy that reorders it). */
struct list_head *policy_list_head(struct policy *p);

/*
 * A circle of pages with a hand, for the clock family (clock, nru): new pages go just
 * behind the hand, the last place it reaches; removing the page under the hand moves the
 * hand on. Pages are linked through page->lru; the sentinel is never under the hand
 * unless the circle is empty.
 */
struct policy_circle {
	struct list_head head;
	struct list_head *hand;
};

void policy_circle_init(struct policy_circle *c);
void policy_circle_add(struct policy *p, struct policy_circle *c, struct page *pg);
void policy_circle_remove(struct policy *p, struct policy_circle *c, struct page *pg);
/* The page under the hand (NULL when empty), and moving the hand on by one. */
struct page *policy_circle_hand(const struct policy_circle *c);
void policy_circle_advance(struct policy_circle *c);

/* Ops for policies whose state is one struct policy_circle (clock, nru). */
int policy_circle_state_init(struct policy *p);
void policy_circle_state_fini(struct policy *p);
void policy_circle_page_added(struct policy *p, struct page *pg);
void policy_circle_page_removed(struct policy *p, struct page *pg);
bool policy_circle_check(const struct policy *p, struct check_report *why);

extern const struct policy_ops policy_fifo, policy_lru, policy_clock, policy_nru, policy_random,
	policy_linux, policy_opt, policy_sieve, policy_s3fifo, policy_arc, policy_2q, policy_lirs,
	policy_clockpro, policy_mglru;

#endif
