/*
 * mm/policies/opt.c: Belady's MIN (OPT): the page whose next use lies furthest in the
 * future goes (never again first). An oracle that needs the future: trace replay passes
 * every access's next-use position (a pre-pass over the trace), so it runs only on traces.
 * Sees: every access and the future. Cost: O(1) per access, O(resident pages) per eviction.
 */
#include <errno.h>
#include <stdlib.h>

#include "mm/page.h"
#include "mm/policy.h"
#include "mm/vmscan.h"

struct opt_state {
	struct list_head list; /* resident pages in arrival order (ties go to the oldest) */
};

static int opt_init(struct policy *p)
{
	struct opt_state *st = malloc(sizeof(*st));

	if (!st)
		return -ENOMEM;
	list_init(&st->list);
	p->state = st;
	return 0;
}

static void opt_fini(struct policy *p)
{
	free(p->state);
}

static void opt_added(struct policy *p, struct page *pg)
{
	struct opt_state *st = p->state;

	pg->policy.raw = UINT64_MAX; /* until an access says otherwise: never again */
	list_add_tail(&pg->lru, &st->list);
	p->nr_pages++;
}

static void opt_removed(struct policy *p, struct page *pg)
{
	list_del(&pg->lru);
	p->nr_pages--;
}

static void opt_accessed(struct policy *p, struct page *pg, uint64_t next_use)
{
	(void)p;
	pg->policy.raw = next_use;
}

static struct page *opt_pick(struct policy *p, struct vmscan_ctx *ctx)
{
	struct opt_state *st = p->state;
	struct page *best = NULL;
	struct list_head *pos;

	list_for_each(pos, &st->list)
	{
		struct page *pg = list_entry(pos, struct page, lru);

		ctx->nr_scanned++;
		if (!best || pg->policy.raw > best->policy.raw)
			best = pg;
		if (best->policy.raw == UINT64_MAX)
			break;
	}
	return best;
}

static bool opt_check(const struct policy *p, struct check_report *why)
{
	const struct opt_state *st = p->state;

	return policy_list_check(p, &st->list, why);
}

const struct policy_ops policy_opt = {
	.name = "opt",
	.summary = "Belady's MIN (oracle: needs the future, so traces only)",
	.needs_accesses = true,
	.needs_future = true,
	.init = opt_init,
	.fini = opt_fini,
	.page_added = opt_added,
	.page_removed = opt_removed,
	.page_accessed = opt_accessed,
	.pick_victim = opt_pick,
	.check = opt_check,
};
