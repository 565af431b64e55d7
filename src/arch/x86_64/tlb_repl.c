/*
 * arch/x86_64/tlb_repl.c: LRU and tree-PLRU replacement state (see tlb_repl.h).
 */
#include "arch/x86_64/tlb_repl.h"

#include <errno.h>
#include <stdlib.h>

bool tlb_repl_supports(enum tlb_repl_kind kind, unsigned int ways)
{
	if (ways == 0)
		return false;
	if (kind == TLB_REPL_LRU)
		return true;
	return ways <= TLB_REPL_PLRU_MAX_WAYS && (ways & (ways - 1)) == 0;
}

/* The order word of a set where every way is forgotten: way 0 last, so it goes first. */
static uint64_t order_all_forgotten(unsigned int ways)
{
	uint64_t order = 0;

	for (unsigned int pos = 0; pos < ways; pos++)
		order |= (uint64_t)(ways - 1 - pos) << (4 * pos);
	return order;
}

/* Every way forgotten: the list runs from ways-1 (head) down to way 0 (tail, the victim). */
static void list_all_forgotten(uint8_t *l, unsigned int ways)
{
	uint8_t *prev = l + 2, *next = prev + ways, *forgotten = next + ways;

	l[0] = (uint8_t)(ways - 1);
	l[1] = 0;
	for (unsigned int w = 0; w < ways; w++) {
		prev[w] = w + 1 < ways ? (uint8_t)(w + 1) : TLB_REPL_NIL;
		next[w] = w > 0 ? (uint8_t)(w - 1) : TLB_REPL_NIL;
		forgotten[w] = 1;
	}
}

int tlb_repl_init(struct tlb_repl *r, enum tlb_repl_kind kind, unsigned int nr_sets,
		  unsigned int ways)
{
	bool by_order = kind == TLB_REPL_LRU && ways <= TLB_REPL_ORDER_MAX_WAYS;
	bool by_list = kind == TLB_REPL_LRU && !by_order && ways <= TLB_REPL_LIST_MAX_WAYS;
	bool by_stamp = kind == TLB_REPL_LRU && !by_order && !by_list;
	size_t words = by_stamp ? (size_t)nr_sets * ways : nr_sets;

	r->kind = kind;
	r->ways = ways;
	r->clock = 0;
	r->order_keep = ways >= 16 ? ~UINT64_C(0) : (UINT64_C(1) << (4 * ways)) - 1;
	r->nr_forgotten = NULL;
	r->list = NULL;
	r->state = calloc(words ? words : 1, sizeof(*r->state));
	if (!r->state)
		return -ENOMEM;
	if (by_list) {
		r->list = malloc((size_t)(nr_sets ? nr_sets : 1) * (2 + 3 * (size_t)ways));
		if (!r->list) {
			free(r->state);
			r->state = NULL;
			return -ENOMEM;
		}
		for (unsigned int s = 0; s < nr_sets; s++)
			list_all_forgotten(tlb_repl_list(r, s), ways);
	}
	if (by_order) {
		r->nr_forgotten = malloc(nr_sets ? nr_sets : 1);
		if (!r->nr_forgotten) {
			free(r->state);
			r->state = NULL;
			return -ENOMEM;
		}
		for (unsigned int s = 0; s < nr_sets; s++) {
			r->state[s] = order_all_forgotten(ways);
			r->nr_forgotten[s] = (uint8_t)ways;
		}
	}
	return 0;
}

void tlb_repl_fini(struct tlb_repl *r)
{
	free(r->state);
	free(r->nr_forgotten);
	free(r->list);
	r->state = NULL;
	r->nr_forgotten = NULL;
	r->list = NULL;
}

unsigned int tlb_repl_victim_scan(const struct tlb_repl *r, unsigned int set)
{
	if (r->kind == TLB_REPL_LRU) {
		const uint64_t *stamp = &r->state[(uint64_t)set * r->ways];
		uint64_t best = stamp[0];
		unsigned int oldest = 0;

		/* Written to compile to conditional moves: which way is oldest is unpredictable. */
		for (unsigned int w = 1; w < r->ways; w++) {
			bool older = stamp[w] < best;

			best = older ? stamp[w] : best;
			oldest = older ? w : oldest;
		}
		return oldest;
	}

	/* Follow the bits from the root: each names the half to replace from. */
	uint64_t tree = r->state[set];
	unsigned int node = 1;
	unsigned int way = 0;

	for (unsigned int half = r->ways >> 1; half; half >>= 1) {
		unsigned int right = (unsigned int)(tree >> node) & 1;

		if (right)
			way |= half;
		node = 2 * node + right;
	}
	return way;
}

bool tlb_repl_forgotten(const struct tlb_repl *r, unsigned int set, unsigned int way)
{
	if (r->nr_forgotten)
		return tlb_repl_order_pos(r->state[set], way) >= r->ways - r->nr_forgotten[set];
	if (r->list)
		return tlb_repl_list(r, set)[2 + 2 * r->ways + way] != 0;
	return false;
}

/*
 * Takes the way out of its position and puts it among the forgotten ways at the tail, which
 * stay in descending way order so that the last position holds the lowest. Every #PF
 * invalidates, so this works on the packed order word by shifts.
 */
void tlb_repl_forget_order(struct tlb_repl *r, unsigned int set, unsigned int way)
{
	unsigned int ways = r->ways, pos, at;
	uint64_t order = r->state[set], low;
	uint64_t keep = ways == 16 ? ~UINT64_C(0) : (UINT64_C(1) << (4 * ways)) - 1;

	pos = tlb_repl_order_pos(order, way);
	if (pos >= ways - r->nr_forgotten[set])
		return; /* forgotten already */
	/* Take the way out: positions above pos move one closer to the front. */
	low = (UINT64_C(1) << (4 * pos)) - 1;
	order = (order & low) | ((order >> 4) & ~low);
	/* The forgotten group starts one position earlier than before and stays in descending
	 * way order: the way goes before the first smaller one. */
	at = ways - 1 - r->nr_forgotten[set];
	while (at < ways - 1 && ((order >> (4 * at)) & 0xf) > way)
		at++;
	low = (UINT64_C(1) << (4 * at)) - 1;
	order = (order & low) | ((order & ~low) << 4) | ((uint64_t)way << (4 * at));
	r->state[set] = order & keep;
	r->nr_forgotten[set]++;
}

/*
 * The list form of the same: the way leaves its place and joins the forgotten ways at the
 * tail, which run in descending way order towards the tail.
 */
void tlb_repl_forget_list(struct tlb_repl *r, unsigned int set, unsigned int way)
{
	uint8_t *l = tlb_repl_list(r, set);
	uint8_t *prev = l + 2, *next = prev + r->ways, *forgotten = next + r->ways;
	unsigned int after;

	if (forgotten[way])
		return;
	tlb_repl_list_unlink(l, r->ways, way);
	after = l[1];
	/* Walk from the tail past the forgotten ways lower than this one. */
	while (after != TLB_REPL_NIL && forgotten[after] && after < way)
		after = prev[after];
	/* Insert between `after` (or the head when none) and the way that follows it. */
	prev[way] = (uint8_t)after;
	next[way] = after == TLB_REPL_NIL ? l[0] : next[after];
	if (after == TLB_REPL_NIL)
		l[0] = (uint8_t)way;
	else
		next[after] = (uint8_t)way;
	if (next[way] == TLB_REPL_NIL)
		l[1] = (uint8_t)way;
	else
		prev[next[way]] = (uint8_t)way;
	forgotten[way] = 1;
}
