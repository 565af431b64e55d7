/*
 * arch/x86_64/tlb_repl.h: replacement state of a set-associative translation cache (the
 * TLB arrays and the paging-structure caches).
 *
 * Two policies. True LRU: every way carries the stamp of its last use, the victim is the
 * oldest. Tree pseudo-LRU: ways-1 bits per set form a binary tree whose bits point away from
 * the most recently used half, as in the PLRU caches Intel and AMD describe; it needs a
 * power-of-two number of ways, at most 64. Neither Intel nor AMD documents the TLB policy,
 * so the choice is a configuration (docs/tlb.md); LRU is the default.
 *
 * The owner fills an invalid way first (the lowest). Under LRU an owner may instead call
 * tlb_repl_forget() when it invalidates a way: a forgotten way is older than any used one, so
 * tlb_repl_victim() then returns the lowest invalid way by itself. Under PLRU the owner
 * looks for invalid ways. Touching the most recently used way again changes nothing under
 * either policy; the
 * TLB's last-translation shortcut relies on this (tlb.c). The state belongs to its owner,
 * which calls tlb_repl_init()/tlb_repl_fini() around it.
 */
#ifndef MMSIM_ARCH_X86_64_TLB_REPL_H
#define MMSIM_ARCH_X86_64_TLB_REPL_H

#include <stdbool.h>
#include <stdint.h>

enum tlb_repl_kind {
	TLB_REPL_LRU = 0,
	TLB_REPL_PLRU = 1,
};

#define TLB_REPL_PLRU_MAX_WAYS 64u

struct tlb_repl {
	enum tlb_repl_kind kind;
	unsigned int ways; /* >= 1; a power of two <= 64 for PLRU */
	uint64_t clock;	   /* LRU: the last stamp handed out */
	uint64_t *state;   /* LRU: nr_sets * ways stamps; PLRU: one tree word per set */
};

/* True when a set of `ways` ways can use the policy. */
bool tlb_repl_supports(enum tlb_repl_kind kind, unsigned int ways);

/* 0, or -ENOMEM; ways must satisfy tlb_repl_supports(). */
int tlb_repl_init(struct tlb_repl *r, enum tlb_repl_kind kind, unsigned int nr_sets,
		  unsigned int ways);
void tlb_repl_fini(struct tlb_repl *r);

/* The way to replace next: under LRU the oldest (forgotten ways first), else the tree's. */
unsigned int tlb_repl_victim(const struct tlb_repl *r, unsigned int set);

/* Under LRU, makes a way the oldest of its set (it was invalidated). No effect under PLRU. */
static inline void tlb_repl_forget(struct tlb_repl *r, unsigned int set, unsigned int way)
{
	if (r->kind == TLB_REPL_LRU)
		r->state[(uint64_t)set * r->ways + way] = 0;
}

/* Marks a way as just used. */
static inline void tlb_repl_touch(struct tlb_repl *r, unsigned int set, unsigned int way)
{
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

#endif
