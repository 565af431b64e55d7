/*
 * mm/policies/linux.c: Linux's active/inactive LRUs, one pair for anonymous (swap-backed:
 * anon and shmem) pages and one for file pages, Linux 6.12 (mm/vmscan.c get_scan_count,
 * shrink_lruvec, shrink_list, shrink_active_list, shrink_inactive_list,
 * folio_check_references, inactive_is_low, prepare_scan_control; mm/swap.c folio_add_lru,
 * lru_note_cost).
 *
 * New pages enter the head of their type's inactive list (Linux >= 5.9); a page the
 * workingset code activated on a refault (PG_ACTIVE set before it is added,
 * mm/workingset.c) enters the active list. Reclaim takes pages from an inactive tail: a
 * page whose PTEs show no Accessed bit goes; one referenced for the first time gets
 * PG_REFERENCED and another trip round the inactive list; one referenced again (or
 * through several PTEs, or a file page mapped executable) is activated. When a type's
 * inactive list is too short for its active one (inactive * ratio < active, ratio =
 * int_sqrt(10 * GiB of that type) or 1), or when that type's refaults activated pages
 * since the last reclaim, pages move from the active tail to the inactive head with their
 * Accessed bits cleared and PG_WORKINGSET set; anonymous pages are deactivated even when
 * referenced, file pages mapped executable and referenced go round the active list again.
 *
 * Which type is scanned (get_scan_count(), evaluated once per reclaim call at
 * DEF_PRIORITY): file only when no swap slot is free or when at least 2^12 inactive file
 * pages wait and the file lists need no deactivation (cache_trim_mode); anon only when
 * the file pages plus the free pages are under the high watermarks (file_is_tiny);
 * otherwise both, in proportion to lru_size * fraction, where
 *     ap = swappiness * (total_cost + 1) / (anon_cost' + 1)
 *     fp = (200 - swappiness) * (total_cost + 1) / (file_cost' + 1)
 * with cost' = anon_cost + file_cost + own cost (the recent reclaim costs, lru_note_cost()).
 * mmsim: Linux scans each list in chunks of 32 at falling priorities; here each scanned
 * page is taken from the type whose scanned/target share is lowest (anon first on a tie),
 * which keeps the same proportions one page at a time. With one type empty, the other is
 * scanned exactly as before the split (anon-only results are unchanged).
 * Sees: A bits through rmap. Cost: O(1) per arrival; per eviction, the pages examined.
 */
#include <errno.h>
#include <stdlib.h>

#include "mm/check.h"
#include "mm/core.h"
#include "mm/page.h"
#include "mm/pgdat.h"
#include "mm/policy.h"
#include "mm/swap.h"
#include "mm/vmscan.h"
#include "mm/vmstat.h"
#include "mm/zone.h"

/* Linux enum lru_list order (for_each_evictable_lru scans anon before file). */
enum linux_lru { LRU_INACTIVE_ANON, LRU_ACTIVE_ANON, LRU_INACTIVE_FILE, LRU_ACTIVE_FILE, NR_LRU };
enum { TYPE_ANON = 0, TYPE_FILE = 1 };

#define DEF_PRIORITY 12
#define MAX_SWAPPINESS 200

struct linux_state {
	struct list_head lru[NR_LRU]; /* heads are the most recent, tails the oldest */
	uint64_t nr[NR_LRU];
	unsigned long refaults[2]; /* workingset_activate_{anon,file} at the last reclaim
				    * (lruvec->refaults, snapshot_refaults()) */
};

static const enum vmstat_item lru_gauge[NR_LRU] = {
	[LRU_INACTIVE_ANON] = VMSTAT_NR_INACTIVE_ANON,
	[LRU_ACTIVE_ANON] = VMSTAT_NR_ACTIVE_ANON,
	[LRU_INACTIVE_FILE] = VMSTAT_NR_INACTIVE_FILE,
	[LRU_ACTIVE_FILE] = VMSTAT_NR_ACTIVE_FILE,
};

static int linux_init(struct policy *p)
{
	struct linux_state *st = calloc(1, sizeof(*st));

	if (!st)
		return -ENOMEM;
	for (unsigned int i = 0; i < NR_LRU; i++)
		list_init(&st->lru[i]);
	p->state = st;
	return 0;
}

static void linux_fini(struct policy *p)
{
	free(p->state);
}

/* Linux folio_is_file_lru(): not swap-backed. */
static int page_type(const struct page *pg)
{
	return page_flag_test(pg, PG_SWAPBACKED) ? TYPE_ANON : TYPE_FILE;
}

static enum linux_lru lru_of(int type, bool active)
{
	return (enum linux_lru)(2 * type + (active ? 1 : 0));
}

static void lru_account(struct policy *p, enum linux_lru lru, long delta)
{
	struct linux_state *st = p->state;

	st->nr[lru] += (uint64_t)delta;
	core_count_mod(p->core, lru_gauge[lru], delta);
}

/* Moves pg (on lru from) to the head of lru to. */
static void lru_move(struct policy *p, struct page *pg, enum linux_lru from, enum linux_lru to)
{
	struct linux_state *st = p->state;

	list_move(&pg->lru, &st->lru[to]);
	lru_account(p, from, -1);
	lru_account(p, to, 1);
	if (to & 1)
		page_flag_set(pg, PG_ACTIVE);
	else
		page_flag_clear(pg, PG_ACTIVE);
}

/* Linux folio_add_lru() -> lruvec_add_folio(): the head of the list PG_ACTIVE names. */
static void linux_added(struct policy *p, struct page *pg)
{
	struct linux_state *st = p->state;
	enum linux_lru lru = lru_of(page_type(pg), page_flag_test(pg, PG_ACTIVE));

	list_add(&pg->lru, &st->lru[lru]);
	lru_account(p, lru, 1);
	p->nr_pages++;
}

static void linux_removed(struct policy *p, struct page *pg)
{
	list_del(&pg->lru);
	lru_account(p, lru_of(page_type(pg), page_flag_test(pg, PG_ACTIVE)), -1);
	page_flag_clear(pg, PG_ACTIVE);
	page_flag_clear(pg, PG_REFERENCED);
	p->nr_pages--;
}

/* Linux inactive_is_low() for one type. */
static bool inactive_is_low(const struct linux_state *st, int type)
{
	uint64_t inactive = st->nr[lru_of(type, false)], active = st->nr[lru_of(type, true)];
	uint64_t gb = (inactive + active) >> (30 - 12);
	uint64_t ratio = gb ? zone_int_sqrt((unsigned long)(10 * gb)) : 1;

	return inactive * ratio < active;
}

/* Linux shrink_active_list(): up to 32 pages from the active tail to the inactive head. */
static void shrink_active(struct policy *p, struct vmscan_ctx *ctx, int type)
{
	struct linux_state *st = p->state;
	enum linux_lru active = lru_of(type, true), inactive = lru_of(type, false);

	for (unsigned int n = 0; n < SWAP_CLUSTER_MAX && st->nr[active]; n++) {
		struct page *pg = list_entry(st->lru[active].prev, struct page, lru);
		bool exec = false;
		unsigned int young = vmscan_page_referenced_exec(ctx, pg, true, NULL, &exec);

		core_count(p->core, VMSTAT_PGREFILL);
		if (young && exec && type == TYPE_FILE) {
			/* Referenced executable file pages get one more trip (move_folios_to_lru
			 * ages the non-resident clock for pages put back active). */
			list_move(&pg->lru, &st->lru[active]);
			vmscan_workingset_age(ctx, 1);
			continue;
		}
		lru_move(p, pg, active, inactive);
		page_flag_set(pg, PG_WORKINGSET);
		core_count(p->core, VMSTAT_PGDEACTIVATE);
	}
}

/* Linux prepare_scan_control() and get_scan_count(), once per reclaim call: the weight of
 * each type in the pages scanned (0: not scanned). */
static void plan(struct policy *p, struct vmscan_ctx *ctx)
{
	struct linux_state *st = p->state;
	struct mm_core *core = p->core;
	const unsigned long *vm = core->pgdat->vmstat;
	unsigned long swappiness = core->swappiness;
	uint64_t size[2] = { st->nr[LRU_INACTIVE_ANON] + st->nr[LRU_ACTIVE_ANON],
			     st->nr[LRU_INACTIVE_FILE] + st->nr[LRU_ACTIVE_FILE] };
	uint64_t fraction[2] = { 1, 1 }; /* SCAN_EQUAL never happens: no priority 0 here */
	uint64_t high = 0;
	bool deact[2];

	ctx->planned = true;
	/* Refaults since the last reclaim, or a short inactive list: deactivate that type. */
	for (int t = TYPE_ANON; t <= TYPE_FILE; t++) {
		unsigned long refaults =
			vm[t ? VMSTAT_WORKINGSET_ACTIVATE_FILE : VMSTAT_WORKINGSET_ACTIVATE_ANON];

		deact[t] = refaults != st->refaults[t] || inactive_is_low(st, t);
		ctx->may_deactivate[t] = refaults != st->refaults[t];
		st->refaults[t] = refaults;
	}
	for (unsigned int i = 0; i < ZONE_NR_TYPES; i++) {
		const struct zone *z = &core->pgdat->zones[i];

		if (zone_managed(z))
			high += zone_wmark_pages(z, ZONE_WMARK_HIGH);
	}
	if (!swap_free_pages(core)) {
		fraction[TYPE_ANON] = 0; /* !can_reclaim_anon_pages(): SCAN_FILE */
	} else if (size[TYPE_FILE] + vm[VMSTAT_NR_FREE_PAGES] <= high && !deact[TYPE_ANON] &&
		   st->nr[LRU_INACTIVE_ANON] >> DEF_PRIORITY) {
		fraction[TYPE_FILE] = 0; /* file_is_tiny: SCAN_ANON */
	} else if (st->nr[LRU_INACTIVE_FILE] >> DEF_PRIORITY && !deact[TYPE_FILE]) {
		fraction[TYPE_ANON] = 0; /* cache_trim_mode: SCAN_FILE */
	} else {
		/* SCAN_FRACT */
		uint64_t total = core->anon_cost + core->file_cost;
		uint64_t anon_cost = total + core->anon_cost, file_cost = total + core->file_cost;

		total = anon_cost + file_cost;
		fraction[TYPE_ANON] = swappiness * (total + 1) / (anon_cost + 1);
		fraction[TYPE_FILE] = (MAX_SWAPPINESS - swappiness) * (total + 1) / (file_cost + 1);
	}
	for (int t = TYPE_ANON; t <= TYPE_FILE; t++)
		ctx->scan_weight[t] = (double)size[t] * (double)fraction[t];
}

/* The type the next scanned page comes from, or -1 for none. A call that found both types
 * keeps its plan to the end (a type without scan target is not scanned even when the
 * other runs out, as in shrink_lruvec()); one that began with a type empty scans the
 * other as before the split. */
static int scan_type(struct policy *p, struct vmscan_ctx *ctx)
{
	const struct linux_state *st = p->state;
	bool has[2] = { st->nr[LRU_INACTIVE_ANON] + st->nr[LRU_ACTIVE_ANON] > 0,
			st->nr[LRU_INACTIVE_FILE] + st->nr[LRU_ACTIVE_FILE] > 0 };
	const double *w = ctx->scan_weight;
	double s0, s1;

	if (!ctx->planned) {
		if (!has[TYPE_FILE])
			return TYPE_ANON;
		if (!has[TYPE_ANON])
			return TYPE_FILE;
		plan(p, ctx);
	}
	if (w[TYPE_ANON] <= 0 || !has[TYPE_ANON])
		return has[TYPE_FILE] && w[TYPE_FILE] > 0 ? TYPE_FILE : -1;
	if (w[TYPE_FILE] <= 0 || !has[TYPE_FILE])
		return TYPE_ANON;
	s0 = (double)(ctx->nr_scanned - ctx->nr_scanned_file) * w[TYPE_FILE];
	s1 = (double)ctx->nr_scanned_file * w[TYPE_ANON];
	return s0 <= s1 ? TYPE_ANON : TYPE_FILE;
}

static struct page *linux_pick(struct policy *p, struct vmscan_ctx *ctx)
{
	struct linux_state *st = p->state;

	/* Each page is looked at a bounded number of times: a referenced page moves on. */
	for (uint64_t n = 0; n < 3 * p->nr_pages + SWAP_CLUSTER_MAX; n++) {
		int type = scan_type(p, ctx);
		enum linux_lru inactive;
		struct page *pg;
		unsigned int young;
		bool was_referenced, exec = false, dirty = false;

		if (type < 0)
			return NULL;
		inactive = lru_of(type, false);
		/* shrink_list(): the active list of a type with refaults since the last
		 * reclaim is shrunk once per call, otherwise when its inactive list is low. */
		if (ctx->may_deactivate[type] || inactive_is_low(st, type) || !st->nr[inactive]) {
			ctx->may_deactivate[type] = false;
			shrink_active(p, ctx, type);
		}
		if (!st->nr[inactive])
			return NULL;
		pg = list_entry(st->lru[inactive].prev, struct page, lru);
		ctx->nr_scanned++;
		if (type == TYPE_FILE)
			ctx->nr_scanned_file++;
		young = vmscan_page_referenced_exec(ctx, pg, true, &dirty, &exec);
		was_referenced = page_flag_test(pg, PG_REFERENCED);
		page_flag_clear(pg, PG_REFERENCED);
		if (!young) {
			/* FOLIOREF_RECLAIM_CLEAN: a referenced dirty file page is kept. */
			if (was_referenced && type == TYPE_FILE && dirty) {
				list_move(&pg->lru, &st->lru[inactive]);
				continue;
			}
			return pg; /* FOLIOREF_RECLAIM */
		}
		page_flag_set(pg, PG_REFERENCED);
		if (was_referenced || young > 1 || (exec && type == TYPE_FILE)) {
			/* FOLIOREF_ACTIVATE */
			lru_move(p, pg, inactive, lru_of(type, true));
			core_count(p->core, VMSTAT_PGACTIVATE);
			vmscan_workingset_age(ctx, 1);
			vmscan_page_activated(ctx, pg);
		} else {
			list_move(&pg->lru, &st->lru[inactive]); /* FOLIOREF_KEEP */
		}
	}
	return NULL;
}

/*
 * The end of a reclaim call: shrink_inactive_list()'s lru_note_cost() for each type
 * scanned (pages written * 32 + pages scanned but kept), and shrink_lruvec()'s final
 * aging of the anon lists when this call scanned only file pages.
 */
static void linux_reclaim_done(struct policy *p, struct vmscan_ctx *ctx)
{
	struct linux_state *st = p->state;
	uint64_t scanned[2] = { ctx->nr_scanned - ctx->nr_scanned_file, ctx->nr_scanned_file };
	uint64_t reclaimed[2] = { ctx->nr_reclaimed - ctx->nr_reclaimed_file,
				  ctx->nr_reclaimed_file };

	for (int t = TYPE_ANON; t <= TYPE_FILE; t++) {
		if (scanned[t])
			vmscan_lru_note_cost(p->core, t == TYPE_FILE, ctx->nr_pageout[t],
					     scanned[t] > reclaimed[t] ? scanned[t] - reclaimed[t]
								       : 0);
	}
	if (!scanned[TYPE_ANON] && scanned[TYPE_FILE] && swap_total_pages(p->core) &&
	    inactive_is_low(st, TYPE_ANON))
		shrink_active(p, ctx, TYPE_ANON);
}

static bool linux_check(const struct policy *p, struct check_report *why)
{
	const struct linux_state *st = p->state;
	uint64_t total = 0;

	for (unsigned int lru = 0; lru < NR_LRU; lru++) {
		uint64_t n = 0;

		for (const struct list_head *pos = st->lru[lru].next;
		     pos != &st->lru[lru] && n <= p->nr_pages; pos = pos->next) {
			const struct page *pg = list_entry(pos, struct page, lru);

			if (lru_of(page_type(pg), page_flag_test(pg, PG_ACTIVE)) != lru)
				return check_fail(why, "linux: a page on the wrong list (%u)", lru);
			n++;
		}
		if (n != st->nr[lru])
			return check_fail(
				why, "linux: list %u holds %llu pages, its count says %llu", lru,
				(unsigned long long)n, (unsigned long long)st->nr[lru]);
		total += n;
	}
	if (total != p->nr_pages)
		return check_fail(why, "linux: lists hold %llu pages, the policy %llu",
				  (unsigned long long)total, (unsigned long long)p->nr_pages);
	return true;
}

const struct policy_ops policy_linux = {
	.name = "linux",
	.summary = "Linux's active/inactive anon and file LRUs over Accessed bits (default)",
	.workingset = true,
	.init = linux_init,
	.fini = linux_fini,
	.page_added = linux_added,
	.page_removed = linux_removed,
	.pick_victim = linux_pick,
	.reclaim_done = linux_reclaim_done,
	.check = linux_check,
};
