/*
 * arch/x86_64/tlb_repl.h: replacement state of a set-associative translation cache (the
 * TLB arrays and the paging-structure caches).
 *
 * Two policies. True LRU: the victim is the way used longest ago. Tree pseudo-LRU: ways-1
 * bits per set form a binary tree whose bits point away from the most recently used half, as
 * in the PLRU caches Intel and AMD describe; it needs a power-of-two number of ways, at most
 * 64. Neither Intel nor AMD documents the TLB policy, so the choice is a configuration
 * (docs/tlb.md); LRU is the default.
 *
 * LRU is kept in one of three exact forms, chosen by the number of ways. Up to
 * TLB_REPL_ORDER_MAX_WAYS ways: the set's recency order, one 4-bit way number per position
 * packed in a 64-bit word (position 0 most recent), so the victim is read in O(1) and a touch
 * moves one nibble to the front with a few shifts. Up to TLB_REPL_LIST_MAX_WAYS: the same
 * order as a doubly linked list of way numbers per set (O(1) touch and victim; the fully
 * associative paging-structure caches). More ways: a stamp of the last use per way, the victim
 * being the oldest (a scan of the set).
 *
 * The owner fills an invalid way first (the lowest). Under LRU an owner may instead call
 * tlb_repl_forget() when it invalidates a way: a forgotten way is older than any used one, and
 * among forgotten ways the lowest goes first, so tlb_repl_victim() then returns the lowest
 * invalid way by itself (the order form keeps the forgotten ways at the tail, sorted so that
 * the lowest is last). Under PLRU the owner looks for invalid ways. Touching the most recently
 * used way again changes nothing under either policy; the TLB's last-translation shortcut
 * relies on this (tlb.c). The state belongs to its owner, which calls
 * tlb_repl_init()/tlb_repl_fini() around it.
 */
#ifndef MMSIM_ARCH_X86_64_TLB_REPL_H
#define MMSIM_ARCH_X86_64_TLB_REPL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum tlb_repl_kind {
	TLB_REPL_LRU = 0,
	TLB_REPL_PLRU = 1,
};

#define TLB_REPL_PLRU_MAX_WAYS 64u
#define TLB_REPL_ORDER_MAX_WAYS 16u /* 16 nibbles fill the order word */
#define TLB_REPL_LIST_MAX_WAYS 255u /* way numbers fit a byte, 0xff ends a list */
#define TLB_REPL_NIL 0xffu

#define TLB_REPL_NIBBLES UINT64_C(0x1111111111111111)

struct tlb_repl {
	enum tlb_repl_kind kind;
	unsigned int ways;     /* >= 1; a power of two <= 64 for PLRU */
	uint64_t clock;	       /* LRU by stamps: the last stamp handed out */
	uint64_t order_keep;   /* LRU by order: the nibbles of positions below ways */
	uint64_t *state;       /* LRU by stamps: nr_sets * ways stamps; PLRU: a tree word per set;
				  LRU by order: one order word per set (nibble i = way at
				  recency position i, 0 = most recent; nibbles >= ways are 0) */
	uint8_t *nr_forgotten; /* LRU by order: ways at the tail never used since forgotten
				  (or since init); NULL in the other forms */
	uint8_t *list;	       /* LRU by list: per set, head (most recent), tail (victim), then
				  prev[ways], next[ways] and forgotten[ways] (0/1); NULL in the
				  other forms */
};

/* The list of a set: head at [0], tail at [1], then prev, next and forgotten flags. */
static inline uint8_t *tlb_repl_list(const struct tlb_repl *r, unsigned int set)
{
	return r->list + (size_t)set * (2 + 3 * (size_t)r->ways);
}

/* Under LRU by list: the out-of-line part of tlb_repl_forget(). */
void tlb_repl_forget_list(struct tlb_repl *r, unsigned int set, unsigned int way);

/* Under LRU by list: takes a way out of its set's list. */
static inline void tlb_repl_list_unlink(uint8_t *l, unsigned int ways, unsigned int way)
{
	uint8_t *prev = l + 2, *next = prev + ways;
	unsigned int p = prev[way], n = next[way];

	if (p != TLB_REPL_NIL)
		next[p] = (uint8_t)n;
	else
		l[0] = (uint8_t)n;
	if (n != TLB_REPL_NIL)
		prev[n] = (uint8_t)p;
	else
		l[1] = (uint8_t)p;
}

/* Under LRU by list: makes a way the most recent of its set. */
static inline void tlb_repl_list_touch(struct tlb_repl *r, unsigned int set, unsigned int way)
{
	uint8_t *l = tlb_repl_list(r, set);
	uint8_t *prev = l + 2, *next = prev + r->ways, *forgotten = next + r->ways;

	if (l[0] == way && !forgotten[way])
		return;
	forgotten[way] = 0;
	tlb_repl_list_unlink(l, r->ways, way);
	prev[way] = TLB_REPL_NIL;
	next[way] = l[0];
	if (l[0] != TLB_REPL_NIL)
		prev[l[0]] = (uint8_t)way;
	else
		l[1] = (uint8_t)way;
	l[0] = (uint8_t)way;
}

/* True when a set of `ways` ways can use the policy. */
bool tlb_repl_supports(enum tlb_repl_kind kind, unsigned int ways);

/* 0, or -ENOMEM; ways must satisfy tlb_repl_supports(). */
int tlb_repl_init(struct tlb_repl *r, enum tlb_repl_kind kind, unsigned int nr_sets,
		  unsigned int ways);
void tlb_repl_fini(struct tlb_repl *r);

/* The way to replace next: under LRU the oldest (forgotten ways first, lowest first), else the
 * tree's. */
unsigned int tlb_repl_victim_scan(const struct tlb_repl *r, unsigned int set);

static inline unsigned int tlb_repl_victim(const struct tlb_repl *r, unsigned int set)
{
	if (r->nr_forgotten)
		return (unsigned int)(r->state[set] >> (4 * (r->ways - 1))) & 0xf;
	if (r->list)
		return tlb_repl_list(r, set)[1];
	return tlb_repl_victim_scan(r, set);
}

/* Under LRU by order: the out-of-line part of tlb_repl_forget(). */
void tlb_repl_forget_order(struct tlb_repl *r, unsigned int set, unsigned int way);

/* Under LRU by order or by list: the way is among the forgotten ones of its set (for
 * checkers and tests). False in the other forms. */
bool tlb_repl_forgotten(const struct tlb_repl *r, unsigned int set, unsigned int way);

/* Under LRU, makes a way the oldest of its set (it was invalidated). No effect under PLRU. */
static inline void tlb_repl_forget(struct tlb_repl *r, unsigned int set, unsigned int way)
{
	if (r->kind != TLB_REPL_LRU)
		return;
	if (r->nr_forgotten)
		tlb_repl_forget_order(r, set, way);
	else if (r->list)
		tlb_repl_forget_list(r, set, way);
	else
		r->state[(uint64_t)set * r->ways + way] = 0;
}

/* Recency position of a way in an order word (it occurs once below position ways). */
static inline unsigned int tlb_repl_order_pos(uint64_t order, unsigned int way)
{
	uint64_t x = order ^ (TLB_REPL_NIBBLES * way);
	/* A zero nibble of x is where the way sits; the lowest flagged nibble is exact. */
	uint64_t z = (x - TLB_REPL_NIBBLES) & ~x & (TLB_REPL_NIBBLES << 3);

	return (unsigned int)__builtin_ctzll(z) >> 2;
}

/* Marks a way as just used. */
static inline void tlb_repl_touch(struct tlb_repl *r, unsigned int set, unsigned int way)
{
	if (r->nr_forgotten) {
		uint64_t order = r->state[set];
		unsigned int pos;
		uint64_t below;

		if ((order & 0xf) == way && r->nr_forgotten[set] != r->ways)
			return; /* already the most recent */
		pos = tlb_repl_order_pos(order, way);
		if (pos >= r->ways - r->nr_forgotten[set])
			r->nr_forgotten[set]--;
		/* Positions 0..pos-1 move back one; the way goes to the front. */
		below = (UINT64_C(1) << (4 * pos)) - 1;
		r->state[set] =
			(order & ~((below << 4) | 0xf)) | ((order & below) << 4) | (uint64_t)way;
		return;
	}
	if (r->list) {
		tlb_repl_list_touch(r, set, way);
		return;
	}
	if (r->kind == TLB_REPL_LRU) {
		r->state[(uint64_t)set * r->ways + way] = ++r->clock;
		return;
	}
	/* Walk the tree from the root (node 1); each node's bit is set to the other half. */
	uint64_t tree = r->state[set];
	unsigned int node = 1;

	for (unsigned int half = r->ways >> 1; half; half >>= 1) {
		unsigned int right = (way & half) != 0;

		if (right)
			tree &= ~(UINT64_C(1) << node);
		else
			tree |= UINT64_C(1) << node;
		node = 2 * node + right;
	}
	r->state[set] = tree;
}

/*
 * tlb_repl_touch() of a way its owner knows is not forgotten (a TLB hit: a valid way is never
 * among the forgotten ones, see tlb.c). Under LRU by order, the early return then needs no
 * look at nr_forgotten and the way never leaves the forgotten group; other forms as
 * tlb_repl_touch().
 */
static inline __attribute__((always_inline)) void
tlb_repl_touch_used(struct tlb_repl *r, unsigned int set, unsigned int way)
{
	if (r->nr_forgotten) {
		uint64_t order = r->state[set];
		uint64_t below;

		if ((order & 0xf) == way)
			return; /* already the most recent */
		/* Positions 0..pos-1 move back one; the way goes to the front. */
		below = (UINT64_C(1) << (4 * tlb_repl_order_pos(order, way))) - 1;
		r->state[set] =
			(order & ~((below << 4) | 0xf)) | ((order & below) << 4) | (uint64_t)way;
		return;
	}
	tlb_repl_touch(r, set, way);
}

/* tlb_repl_victim() then tlb_repl_touch() of that way: the way a fill replaces, now in use. */
static inline unsigned int tlb_repl_replace(struct tlb_repl *r, unsigned int set)
{
	unsigned int way = tlb_repl_victim(r, set);

	if (r->nr_forgotten) {
		/* The victim is the last position: every other position moves back one. */
		r->state[set] = ((r->state[set] << 4) | way) & r->order_keep;
		if (r->nr_forgotten[set])
			r->nr_forgotten[set]--;
		return way;
	}
	tlb_repl_touch(r, set, way);
	return way;
}

#endif
