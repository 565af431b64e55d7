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

int tlb_repl_init(struct tlb_repl *r, enum tlb_repl_kind kind, unsigned int nr_sets,
		  unsigned int ways)
{
	size_t words = kind == TLB_REPL_LRU ? (size_t)nr_sets * ways : nr_sets;

	r->kind = kind;
	r->ways = ways;
	r->clock = 0;
	r->state = calloc(words ? words : 1, sizeof(*r->state));
	return r->state ? 0 : -ENOMEM;
}

void tlb_repl_fini(struct tlb_repl *r)
{
	free(r->state);
	r->state = NULL;
}

unsigned int tlb_repl_victim(const struct tlb_repl *r, unsigned int set)
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
