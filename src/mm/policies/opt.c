/*
 * mm/policies/opt.c: Belady's MIN (OPT): the page whose next use lies furthest in the
 * future goes (never again first). An oracle that needs the future: trace replay passes
 * every access's next-use position (a pre-pass over the trace), so it runs only on traces.
 * Sees: every access and the future. Cost: O(log n) per access and per eviction.
 *
 * The resident pages sit in a 4-ary max-heap keyed by next use; among equal next uses
 * (pages never used again, above all) the oldest arrival wins, as a scan of the pages in
 * arrival order keeping the first maximum would choose. Each page's policy field holds its
 * heap slot. The pages scanned (pgscan) are counted as that scan counts them: it stops at
 * the first page never used again, so a Fenwick tree over arrival numbers gives that page's
 * rank among the resident pages; otherwise the scan would have seen every page.
 *
 * A page a fork shared is used next by whichever of its mappers comes first, so its key is
 * the earliest next use over every PTE that maps it (rmap, vmscan_page_next_use()), not the
 * last accessor's. When replay installs the next-use hook (core->next_use), a key is either
 * exact or unknown (UINT64_MAX, an upper bound), and made exact where it matters:
 *   1. an access to a page mapped once sets its exact key (its one mapper's next use);
 *   2. an access to a page mapped more than once, a fork that maps it again (page_dup) or a
 *      PTE that stops mapping it (page_unmap: copy-on-write, exit) makes its key unknown;
 *   3. pick_victim takes the top; while it is not exact, its key becomes the earliest next
 *      use over its mappers (exact) and it sinks to its place. An exact top is the page whose
 *      next use is furthest, since every other key is at least its page's next use. An exact
 *      key stays exact: only the events of steps 1 and 2 change a page's mappers or their
 *      next uses.
 * Without the hook (a library caller of mmsim_access_future()), keys are the last access's.
 */
#include <errno.h>
#include <stdlib.h>

#include "mm/check.h"
#include "mm/core.h"
#include "mm/page.h"
#include "mm/policy.h"
#include "mm/vmscan.h"

#define OPT_NOT_HEAPED UINT64_MAX /* policy field of a page left out for want of memory */

struct opt_node {
	struct page *pg;
	uint64_t next_use; /* access position of the page's next use; UINT64_MAX: never */
	uint64_t seq;	   /* arrival number, 1..fen_cap; order of the arrival list */
	bool exact;	   /* next_use is the page's next use; else an upper bound of it */
};

struct opt_state {
	struct list_head list; /* resident pages in arrival order */
	struct page **busy;    /* pages reclaim could not evict in this reclaim call */
	size_t nr_busy, busy_cap;
	struct opt_node *heap; /* max-heap by (next_use, then lower seq); nr_pages nodes */
	uint64_t heap_cap;     /* nodes allocated */
	uint32_t *fen;	       /* Fenwick tree over seq 1..fen_cap: 1 where a page is resident */
	uint64_t fen_cap;      /* largest seq the tree holds */
	uint64_t next_seq;     /* seq of the next arrival */
};

static int opt_init(struct policy *p)
{
	struct opt_state *st = calloc(1, sizeof(*st));

	if (!st)
		return -ENOMEM;
	list_init(&st->list);
	st->next_seq = 1;
	p->state = st;
	return 0;
}

static void opt_fini(struct policy *p)
{
	struct opt_state *st = p->state;

	free(st->heap);
	free(st->fen);
	free(st->busy);
	free(st);
}

/* ---- Fenwick tree: resident pages by arrival number ---------------------------------- */

static void fen_add(struct opt_state *st, uint64_t seq, int32_t delta)
{
	for (; seq <= st->fen_cap; seq += seq & -seq)
		st->fen[seq] += (uint32_t)delta;
}

/* Resident pages with an arrival number <= seq. */
static uint64_t fen_prefix(const struct opt_state *st, uint64_t seq)
{
	uint64_t n = 0;

	for (; seq; seq -= seq & -seq)
		n += st->fen[seq];
	return n;
}

/*
 * Arrival numbers ran out: renumber the resident pages 1..n in list order (which keeps the
 * heap's order, a relabelling that preserves comparisons) and rebuild the tree, twice as
 * large as needed. Amortised O(1) per arrival.
 */
static int fen_renumber(struct policy *p)
{
	struct opt_state *st = p->state;
	uint64_t n = 0, cap = 2 * p->nr_pages + 1024;
	uint32_t *fen = calloc(cap + 1, sizeof(*fen));
	struct list_head *pos;

	if (!fen)
		return -ENOMEM;
	list_for_each(pos, &st->list)
	{
		struct page *pg = list_entry(pos, struct page, lru);

		st->heap[pg->policy.raw].seq = ++n;
		fen[n] = 1;
	}
	/* O(n) build: each node passes its sum to its parent. */
	for (uint64_t i = 1; i <= cap; i++) {
		uint64_t parent = i + (i & -i);

		if (parent <= cap)
			fen[parent] += fen[i];
	}
	free(st->fen);
	st->fen = fen;
	st->fen_cap = cap;
	st->next_seq = n + 1;
	return 0;
}

/* ---- The heap ------------------------------------------------------------------------ */

/* Children per node. The order (next_use, then seq) is total, so the top, and every
 * answer, is the same for any arity; 4 halves the levels a key crosses (each a likely host
 * cache miss on a heap of 100k nodes) and puts a node's children in two cache lines. */
#define HEAP_ARITY 4

static uint64_t heap_parent(uint64_t i)
{
	return (i - 1) / HEAP_ARITY;
}

static bool before(const struct opt_node *a, const struct opt_node *b)
{
	return a->next_use > b->next_use || (a->next_use == b->next_use && a->seq < b->seq);
}

static void heap_put(struct opt_state *st, uint64_t i, struct opt_node n)
{
	st->heap[i] = n;
	n.pg->policy.raw = i;
}

static void sift_up(struct opt_state *st, uint64_t i)
{
	struct opt_node n = st->heap[i];

	while (i > 0) {
		uint64_t parent = heap_parent(i);

		if (!before(&n, &st->heap[parent]))
			break;
		heap_put(st, i, st->heap[parent]);
		i = parent;
	}
	heap_put(st, i, n);
}

static void sift_down(struct opt_state *st, uint64_t nr, uint64_t i)
{
	struct opt_node n = st->heap[i];

	for (;;) {
		uint64_t c = HEAP_ARITY * i + 1, end = c + HEAP_ARITY < nr ? c + HEAP_ARITY : nr;

		if (c >= nr)
			break;
		for (uint64_t k = c + 1; k < end; k++) {
			if (before(&st->heap[k], &st->heap[c]))
				c = k;
		}
		if (!before(&st->heap[c], &n))
			break;
		heap_put(st, i, st->heap[c]);
		i = c;
	}
	heap_put(st, i, n);
}

/* The node at i changed its key: restore the heap order. */
static void heap_fix(struct opt_state *st, uint64_t nr, uint64_t i)
{
	if (i > 0 && before(&st->heap[i], &st->heap[heap_parent(i)]))
		sift_up(st, i);
	else
		sift_down(st, nr, i);
}

/* ---- Policy operations --------------------------------------------------------------- */

static void opt_added(struct policy *p, struct page *pg)
{
	struct opt_state *st = p->state;
	uint64_t i = p->nr_pages;

	pg->policy.raw = OPT_NOT_HEAPED;
	if (i == st->heap_cap) {
		uint64_t cap = st->heap_cap ? st->heap_cap * 2 : 1024;
		struct opt_node *h = realloc(st->heap, cap * sizeof(*h));

		/* mmsim: host memory for policy bookkeeping; without it the page stays out. */
		if (!h)
			return;
		st->heap = h;
		st->heap_cap = cap;
	}
	if (st->next_seq > st->fen_cap && fen_renumber(p) != 0)
		return;
	/* never again, until an access says otherwise */
	st->heap[i] = (struct opt_node){
		.pg = pg, .next_use = UINT64_MAX, .seq = st->next_seq++, .exact = true
	};
	fen_add(st, st->heap[i].seq, 1);
	list_add_tail(&pg->lru, &st->list);
	p->nr_pages++;
	sift_up(st, i);
}

static void opt_removed(struct policy *p, struct page *pg)
{
	struct opt_state *st = p->state;
	uint64_t i = pg->policy.raw, last;

	if (i == OPT_NOT_HEAPED)
		return;
	fen_add(st, st->heap[i].seq, -1);
	list_del(&pg->lru);
	last = --p->nr_pages;
	if (i != last) {
		heap_put(st, i, st->heap[last]);
		heap_fix(st, last, i);
	}
}

static void set_key(struct policy *p, uint64_t i, uint64_t next_use, bool exact)
{
	struct opt_state *st = p->state;

	st->heap[i].exact = exact;
	if (st->heap[i].next_use == next_use)
		return;
	st->heap[i].next_use = next_use;
	heap_fix(st, p->nr_pages, i);
}

static void opt_accessed(struct policy *p, struct page *pg, uint64_t next_use)
{
	bool shared = p->core->next_use && pg->mapcount > 1;

	if (pg->policy.raw == OPT_NOT_HEAPED)
		return;
	/* Steps 1 and 2 (top of the file). */
	set_key(p, pg->policy.raw, shared ? UINT64_MAX : next_use, !shared);
}

/* Step 2 for a fork (page_dup) and an unmapped PTE (page_unmap). */
static void opt_mappers_changed(struct policy *p, struct page *pg)
{
	if (pg->policy.raw != OPT_NOT_HEAPED && p->core->next_use)
		set_key(p, pg->policy.raw, UINT64_MAX, false);
}

/* Step 3 for the top of the heap. */
static void make_exact(struct policy *p)
{
	uint64_t earliest = UINT64_MAX, latest;

	vmscan_page_next_use(p->core, ((struct opt_state *)p->state)->heap[0].pg, &earliest,
			     &latest);
	set_key(p, 0, earliest, true);
}

static struct page *opt_pick(struct policy *p, struct vmscan_ctx *ctx)
{
	struct opt_state *st = p->state;
	const struct opt_node *top = &st->heap[0];

	if (!p->nr_pages)
		return NULL;
	/* Bounded: each round makes one more page exact. */
	while (!top->exact)
		make_exact(p);
	/* What a scan in arrival order would have looked at (see the top of the file). */
	ctx->nr_scanned += top->next_use == UINT64_MAX ? fen_prefix(st, top->seq) : p->nr_pages;
	return top->pg;
}

/*
 * Reclaim could not evict the page pick_victim gave (someone holds it: vmscan.c's
 * page_busy()). Taken out and added again, as a list policy rotates, it would arrive as
 * "never used again" and be the top once more, until reclaim gave up (an OOM kill with
 * swap to spare), and its key would be lost. Instead it sinks below every page for the rest
 * of this reclaim call (key 0, not exact), and opt_reclaim_done() gives it back an upper
 * bound (UINT64_MAX, not exact: step 3 makes it exact when it reaches the top again).
 */
static void opt_busy(struct policy *p, struct page *pg)
{
	struct opt_state *st = p->state;

	if (pg->policy.raw == OPT_NOT_HEAPED)
		return;
	if (st->nr_busy == st->busy_cap) {
		size_t cap = st->busy_cap ? 2 * st->busy_cap : 16;
		struct page **b = realloc(st->busy, cap * sizeof(*b));

		/* mmsim: without host memory for the note the page stays the top, and reclaim
		 * gives up after its failures (vmscan.c), as before. */
		if (!b)
			return;
		st->busy = b;
		st->busy_cap = cap;
	}
	st->busy[st->nr_busy++] = pg;
	set_key(p, pg->policy.raw, 0, false);
}

static void opt_reclaim_done(struct policy *p, struct vmscan_ctx *ctx)
{
	struct opt_state *st = p->state;

	(void)ctx;
	for (size_t k = 0; k < st->nr_busy; k++) {
		struct page *pg = st->busy[k];
		uint64_t i = pg->policy.raw;

		/* Still resident in its slot (not freed meanwhile). */
		if (i < p->nr_pages && st->heap[i].pg == pg)
			set_key(p, i, UINT64_MAX, false);
	}
	st->nr_busy = 0;
}

static bool opt_check(const struct policy *p, struct check_report *why)
{
	const struct opt_state *st = p->state;

	if (!policy_list_check(p, &st->list, why))
		return false;
	for (uint64_t i = 0; i < p->nr_pages; i++) {
		if (st->heap[i].pg->policy.raw != i)
			return check_fail(why, "opt: heap slot %llu holds a page that says %llu",
					  (unsigned long long)i,
					  (unsigned long long)st->heap[i].pg->policy.raw);
		if (i > 0 && before(&st->heap[i], &st->heap[heap_parent(i)]))
			return check_fail(why, "opt: heap slot %llu goes before its parent",
					  (unsigned long long)i);
	}
	if (fen_prefix(st, st->fen_cap) != p->nr_pages)
		return check_fail(why, "opt: %llu arrivals counted, %llu pages",
				  (unsigned long long)fen_prefix(st, st->fen_cap),
				  (unsigned long long)p->nr_pages);
	return true;
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
	.page_dup = opt_mappers_changed,
	.page_unmap = opt_mappers_changed,
	.pick_victim = opt_pick,
	.page_busy = opt_busy,
	.reclaim_done = opt_reclaim_done,
	.check = opt_check,
};
