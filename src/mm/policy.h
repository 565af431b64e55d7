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

struct policy_ops {
	const char *name;    /* as written after policy= */
	const char *summary; /* one line for --help */
	bool needs_accesses; /* sees every access (page_accessed on each) */
	bool needs_future;   /* needs next-use times: only trace replay can give them */
	int (*init)(struct policy *p);
	void (*fini)(struct policy *p);
	void (*page_added)(struct policy *p, struct page *pg);
	void (*page_removed)(struct policy *p, struct page *pg);
	/* needs_accesses only: pg was just accessed; next_use is its next access time
	 * (needs_future only; UINT64_MAX when unknown). */
	void (*page_accessed)(struct policy *p, struct page *pg, uint64_t next_use);
	/* The page to evict now, still in the policy, or NULL if none can go. Counts the
	 * pages it looked at in ctx->nr_scanned. */
	struct page *(*pick_victim)(struct policy *p, struct vmscan_ctx *ctx);
	bool (*check)(const struct policy *p, struct check_report *why);
};

struct policy {
	const struct policy_ops *ops;
	struct mm_core *core;
	uint64_t seed;	   /* for seeded choices */
	uint64_t nr_pages; /* pages in the policy */
	void *state;	   /* the policy's own, private to its file */
};

/* The policy called name, or NULL. */
const struct policy_ops *policy_find(const char *name);
/* Writes "fifo, lru, clock, ..." in table order into buf. */
void policy_names(char *buf, size_t size);
/* The i-th policy of the registry, by name; NULL past the last. */
const char *policy_name(unsigned int i);

/* 0, or -ENOMEM. */
int policy_create(struct mm_core *core, const struct policy_ops *ops, uint64_t seed,
		  struct policy **out);
void policy_destroy(struct policy *p);

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
	policy_linux, policy_opt;

#endif
