/*
 * arch/x86_64/pwc.h: the paging-structure caches (Intel SDM Vol. 3A §4.10.3): the PML5E,
 * PML4E, PDPTE and PDE caches that let a walk after a TLB miss skip the upper levels.
 *
 * An entry caches one non-leaf paging-structure entry for the linear addresses that use it,
 * tagged with the PCID current when it was made: the PDE cache is looked up by VA bits
 * 47:21 (56:21 with 5 levels), the PDPTE cache by 47:30, the PML4E cache by 47:39, the PML5E
 * cache by 56:48. It holds the physical address of the next table and the rights combined
 * over its level and the levels above (R/W and U/S ANDed, XD ORed), which is exactly a
 * struct x86_walk_start for x86_walk_from(). Entries are never global (§4.10.2.4).
 *
 * What is cached (§4.10.3.1): only entries that a successful walk read, with P=1, no
 * reserved bit set and A=1 (the walker has just set it). No entry for a PDE or PDPTE that
 * maps a page. A walk that faults creates nothing, and the fault removes the entries that
 * would be used for its address (§4.10.4.1), so the retry walks from CR3.
 * Sizes and associativity are a configuration; Intel does not publish them (docs/tlb.md).
 * Changing the paging mode (CR4.LA57) or MAXPHYADDR requires pwc_flush_all().
 *
 * The caches are host scaffolding (malloc), owned by the caller of pwc_create().
 */
#ifndef MMSIM_ARCH_X86_64_PWC_H
#define MMSIM_ARCH_X86_64_PWC_H

#include <stdint.h>

#include "arch/x86_64/tlb_repl.h"
#include "arch/x86_64/types.h"

struct x86_cpu;
struct x86_walk_result;
struct x86_walk_start;
struct pwc;

/* One cache per non-leaf level, named by the entries it holds. */
enum pwc_level {
	PWC_PDE = 0,   /* PDE cache: start the walk at the PT */
	PWC_PDPTE = 1, /* PDPTE cache: start at the PD */
	PWC_PML4E = 2, /* PML4E cache: start at the PDPT */
	PWC_PML5E = 3, /* PML5E cache (5-level paging only): start at the PML4 */
	PWC_NR_LEVELS = 4,
	PWC_MISS = PWC_NR_LEVELS, /* no cache knew the address: start at CR3 */
};

struct pwc_level_config {
	unsigned int entries; /* 0: this cache is absent */
	unsigned int ways;    /* divides entries; entries / ways is a power of two */
	enum tlb_repl_kind repl;
};

struct pwc_config {
	struct pwc_level_config level[PWC_NR_LEVELS];
};

/* The name of a cache as written in a TLB spec: "pde", "pdpte", "pml4e", "pml5e". */
const char *pwc_level_name(enum pwc_level level);

/* 0, -EINVAL (a shape tlb_repl or the set count cannot take) or -ENOMEM. */
int pwc_create(const struct pwc_config *cfg, struct pwc **out);
void pwc_destroy(struct pwc *pwc);

/*
 * Where a walk of va under the CPU's CR3 and PCID starts: from the deepest cache entry that
 * covers va (PDE, then PDPTE, PML4E, PML5E), or from CR3. Fills *start and returns the
 * cache that hit, or PWC_MISS.
 */
enum pwc_level pwc_walk_start(struct pwc *pwc, const struct x86_cpu *cpu, vaddr_t va,
			      struct x86_walk_start *start);

/*
 * Caches the non-leaf entries a successful walk from start read (res->outcome is OK). start
 * is what pwc_walk_start() gave for va, with no change to the caches since: the entries the
 * walk read are then known to be absent, and none is searched for first.
 */
void pwc_fill(struct pwc *pwc, const struct x86_cpu *cpu, vaddr_t va,
	      const struct x86_walk_start *start, const struct x86_walk_result *res);

/* Invalidation (§4.10.4.1). */
void pwc_flush_all(struct pwc *pwc);
void pwc_flush_pcid(struct pwc *pwc, uint16_t pcid);
void pwc_invalidate_va(struct pwc *pwc, vaddr_t va, uint16_t pcid); /* after a #PF on va */

/* Valid entries of one cache (for tests and reports). */
unsigned int pwc_count(const struct pwc *pwc, enum pwc_level level);

#endif
