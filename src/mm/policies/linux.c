/*
 * mm/policies/linux.c: Linux's two-list LRU for anonymous pages (mm/vmscan.c,
 * shrink_active_list, shrink_inactive_list, folio_check_references; mm/swap.c).
 *
 * New anonymous pages enter the head of the inactive list (Linux >= 5.9). Reclaim takes
 * pages from the inactive tail: a page whose PTEs show no Accessed bit goes; one referenced
 * for the first time gets PG_REFERENCED and another trip round the inactive list; one
 * referenced again (or through several PTEs) is activated. When the inactive list is too
 * short for the active one (inactive * ratio < active, ratio = int_sqrt(10 * GiB) or 1),
 * pages move from the active tail to the inactive head with their Accessed bits cleared —
 * anonymous pages are deactivated even when referenced, as Linux does.
 * Sees: A bits through rmap. Cost: O(1) per arrival; per eviction, the pages examined.
 */
#include <errno.h>
#include <stdlib.h>

#include "mm/check.h"
#include "mm/core.h"
#include "mm/page.h"
#include "mm/policy.h"
#include "mm/vmscan.h"
#include "mm/vmstat.h"
#include "mm/zone.h"

struct linux_state {
	struct list_head inactive, active; /* heads are the most recent, tails the oldest */
	uint64_t nr_inactive, nr_active;
};

static int linux_init(struct policy *p)
{
	struct linux_state *st = calloc(1, sizeof(*st));

	if (!st)
		return -ENOMEM;
	list_init(&st->inactive);
	list_init(&st->active);
	p->state = st;
	return 0;
}

static void linux_fini(struct policy *p)
{
	free(p->state);
}

/* The LRU gauges of pg's kind: file pages (not swap-backed) count as file, as in Linux's
 * separate file lists (mmsim keeps one pair of lists for both kinds). */
static void gauges(struct policy *p, const struct page *pg, long inactive, long active)
{
	bool file = !page_flag_test(pg, PG_SWAPBACKED);

	core_count_mod(p->core, file ? VMSTAT_NR_INACTIVE_FILE : VMSTAT_NR_INACTIVE_ANON, inactive);
	core_count_mod(p->core, file ? VMSTAT_NR_ACTIVE_FILE : VMSTAT_NR_ACTIVE_ANON, active);
}

static void linux_added(struct policy *p, struct page *pg)
{
	struct linux_state *st = p->state;

	page_flag_clear(pg, PG_ACTIVE);
	list_add(&pg->lru, &st->inactive);
	st->nr_inactive++;
	p->nr_pages++;
	gauges(p, pg, 1, 0);
}

static void linux_removed(struct policy *p, struct page *pg)
{
	struct linux_state *st = p->state;

	list_del(&pg->lru);
	if (page_flag_test(pg, PG_ACTIVE)) {
		st->nr_active--;
		gauges(p, pg, 0, -1);
	} else {
		st->nr_inactive--;
		gauges(p, pg, -1, 0);
	}
	page_flag_clear(pg, PG_ACTIVE);
	page_flag_clear(pg, PG_REFERENCED);
	p->nr_pages--;
}

/* Linux inactive_is_low(). */
static bool inactive_is_low(const struct linux_state *st)
{
	uint64_t gb = (st->nr_inactive + st->nr_active) >> (30 - 12);
	uint64_t ratio = gb ? zone_int_sqrt((unsigned long)(10 * gb)) : 1;

	return st->nr_inactive * ratio < st->nr_active;
}

/* Linux shrink_active_list(): up to 32 pages from the active tail to the inactive head. */
static void shrink_active(struct policy *p, struct vmscan_ctx *ctx)
{
	struct linux_state *st = p->state;

	for (unsigned int n = 0; n < SWAP_CLUSTER_MAX && st->nr_active; n++) {
		struct page *pg = list_entry(st->active.prev, struct page, lru);

		vmscan_page_referenced(ctx, pg, true, NULL);
		list_move(&pg->lru, &st->inactive);
		page_flag_clear(pg, PG_ACTIVE);
		st->nr_active--;
		st->nr_inactive++;
		gauges(p, pg, 1, -1);
		core_count(p->core, VMSTAT_PGREFILL);
		core_count(p->core, VMSTAT_PGDEACTIVATE);
	}
}

static struct page *linux_pick(struct policy *p, struct vmscan_ctx *ctx)
{
	struct linux_state *st = p->state;

	/* Each page is looked at a bounded number of times: a referenced page moves on. */
	for (uint64_t n = 0; n < 3 * p->nr_pages + SWAP_CLUSTER_MAX; n++) {
		struct page *pg;
		unsigned int young;
		bool was_referenced;

		if (inactive_is_low(st) || !st->nr_inactive)
			shrink_active(p, ctx);
		if (!st->nr_inactive)
			return NULL;
		pg = list_entry(st->inactive.prev, struct page, lru);
		ctx->nr_scanned++;
		young = vmscan_page_referenced(ctx, pg, true, NULL);
		was_referenced = page_flag_test(pg, PG_REFERENCED);
		page_flag_clear(pg, PG_REFERENCED);
		if (!young)
			return pg; /* FOLIOREF_RECLAIM */
		page_flag_set(pg, PG_REFERENCED);
		if (was_referenced || young > 1) {
			/* FOLIOREF_ACTIVATE */
			list_move(&pg->lru, &st->active);
			page_flag_set(pg, PG_ACTIVE);
			st->nr_inactive--;
			st->nr_active++;
			gauges(p, pg, -1, 1);
			core_count(p->core, VMSTAT_PGACTIVATE);
			vmscan_page_activated(ctx, pg);
		} else {
			list_move(&pg->lru, &st->inactive); /* FOLIOREF_KEEP */
		}
	}
	return NULL;
}

static bool linux_check(const struct policy *p, struct check_report *why)
{
	const struct linux_state *st = p->state;
	uint64_t na = 0, ni = 0;
	const struct list_head *pos;

	for (pos = st->inactive.next; pos != &st->inactive && ni <= p->nr_pages; pos = pos->next) {
		if (page_flag_test(list_entry(pos, struct page, lru), PG_ACTIVE))
			return check_fail(why, "linux: an active page on the inactive list");
		ni++;
	}
	for (pos = st->active.next; pos != &st->active && na <= p->nr_pages; pos = pos->next) {
		if (!page_flag_test(list_entry(pos, struct page, lru), PG_ACTIVE))
			return check_fail(why, "linux: an inactive page on the active list");
		na++;
	}
	if (ni != st->nr_inactive || na != st->nr_active || ni + na != p->nr_pages)
		return check_fail(why, "linux: lists hold %llu+%llu pages, counts say %llu+%llu",
				  (unsigned long long)ni, (unsigned long long)na,
				  (unsigned long long)st->nr_inactive,
				  (unsigned long long)st->nr_active);
	return true;
}

const struct policy_ops policy_linux = {
	.name = "linux",
	.summary = "Linux's active/inactive two-list LRU over Accessed bits (default)",
	.init = linux_init,
	.fini = linux_fini,
	.page_added = linux_added,
	.page_removed = linux_removed,
	.pick_victim = linux_pick,
	.check = linux_check,
};
