/*
 * arch/x86_64/walk.h: the hardware page walk (Intel SDM Vol. 3A §4.5 to §4.8).
 *
 * One call translates one linear address for one access the way the CPU's page-miss
 * handler does: canonical check (#GP), then level by level from CR3 (or from a cached
 * paging-structure entry), checking P and reserved bits, combining U/S, R/W and XD over
 * the levels, then the access rights (CR0.WP, EFER.NXE, CR4.SMEP/SMAP with RFLAGS.AC,
 * CR4.PKE with PKRU), and the Accessed/Dirty updates. The result says what happened and
 * keeps every entry it read, for explain mode, the TLB and the paging-structure caches.
 *
 * A/D rule (one documented choice where the SDM leaves freedom; see docs/vectors.md):
 * a non-leaf entry gets A as soon as the walk has checked it (P and reserved bits), even if
 * a later level faults; the leaf gets A (and D on a write) only when the access succeeds.
 *
 * HLAT (SDM Vol. 3A §4.5.1, docs/x86.md): with cpu->hlat and an address in the protected
 * linear range, x86_walk() walks the HLAT paging structures from HLATP first. A present
 * entry with the restart bit (11) ends that walk (the entry gets no A, no further check) and
 * the translation starts again with ordinary paging from CR3; the steps of both walks are
 * kept, HLAT's first. A fault during HLAT paging sets the HLAT bit (7) of the error code.
 */
#ifndef MMSIM_ARCH_X86_64_WALK_H
#define MMSIM_ARCH_X86_64_WALK_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/x86_64/cr.h"
#include "arch/x86_64/pte.h"
#include "arch/x86_64/types.h"

struct physmem;

enum x86_access_kind {
	X86_ACCESS_READ = 0,
	X86_ACCESS_WRITE = 1,
	X86_ACCESS_FETCH = 2,
};

enum x86_walk_outcome {
	X86_WALK_OK = 0, /* translated: pa is valid */
	X86_WALK_PF,	 /* page fault: error_code and cr2 are valid */
	X86_WALK_GP,	 /* non-canonical address: general-protection fault, no walk */
};

/* An HLAT walk that restarts (up to 5 entries) then an ordinary walk (up to 5). */
#define X86_WALK_MAX_STEPS 10

/* Which paging translated (or faulted on) the address. */
enum x86_walk_paging {
	X86_PAGING_ORDINARY = 0, /* from CR3 only */
	X86_PAGING_HLAT,	 /* from HLATP, to a leaf or a fault, no restart */
	X86_PAGING_HLAT_RESTART, /* from HLATP to a restart entry, then from CR3 */
};

struct x86_walk_step {
	unsigned int level; /* 5 (PML5E) .. 1 (PTE) */
	paddr_t entry_addr; /* physical address of the 8-byte entry */
	uint64_t entry;	    /* value read */
	uint64_t written;   /* value after the walk (A/D set); equals entry when unchanged */
};

struct x86_walk_result {
	enum x86_walk_outcome outcome;
	uint32_t error_code;	 /* X86_PFEC_* bits for X86_WALK_PF; 0 otherwise */
	vaddr_t cr2;		 /* faulting linear address; valid for X86_WALK_PF */
	paddr_t pa;		 /* physical address reached; valid for X86_WALK_OK */
	unsigned int page_shift; /* 12, 21 or 30; valid for X86_WALK_OK */
	uint64_t leaf;		 /* the leaf as left by the walk; valid for X86_WALK_OK */
	/* Fields not valid for the outcome are 0 (false). */
	bool user;	       /* U/S=1 at every level (a user-mode address) */
	bool writable;	       /* R/W=1 at every level */
	bool executable;       /* XD=0 at every level (or EFER.NXE=0) */
	unsigned int nr_steps; /* entries read, in steps[0..nr_steps) from the top */
	enum x86_walk_paging paging;
	unsigned int nr_hlat_steps; /* steps[0..nr_hlat_steps) were read by HLAT paging */
	unsigned int mem_refs;	    /* memory references: entry reads and A/D write-backs */
	struct x86_walk_step steps[X86_WALK_MAX_STEPS];
};

/*
 * Where a walk starts when a paging-structure cache already knows the upper levels:
 * the table for `level` and the rights combined over the levels above it
 * (X86_PTE_US | X86_PTE_RW | X86_PTE_XD bits, XD inverted: set means "executable").
 */
struct x86_walk_start {
	unsigned int level;
	paddr_t table;
	uint64_t rights;
};

/* Where a walk with nothing cached starts: the top level's table at root (CR3's, or HLATP's),
 * no right taken away yet. */
static inline struct x86_walk_start x86_walk_start_at(const struct x86_cpu *cpu, paddr_t root)
{
	return (struct x86_walk_start){
		.level = cpu->levels == 5 ? X86_LEVEL_PML5E : X86_LEVEL_PML4E,
		.table = root,
		.rights = X86_PTE_US | X86_PTE_RW | X86_PTE_XD,
	};
}

/* Translates va for an access of the given kind, at CPL 3 when user, else CPL 0. */
void x86_walk(const struct x86_cpu *cpu, struct physmem *pm, vaddr_t va, enum x86_access_kind kind,
	      bool user, struct x86_walk_result *res);

/* The same with ordinary paging only, starting below CR3 at start (struct x86_walk_start). */
void x86_walk_from(const struct x86_cpu *cpu, struct physmem *pm, vaddr_t va,
		   enum x86_access_kind kind, bool user, const struct x86_walk_start *start,
		   struct x86_walk_result *res);

/* True when va is translated by HLAT paging first: HLAT on and va in the protected range. */
bool x86_hlat_applies(const struct x86_cpu *cpu, vaddr_t va);

/* True when va is canonical for the CPU's paging mode (48 or 57 significant bits). Inline:
 * every TLB miss and every walk asks. */
static inline bool x86_canonical(const struct x86_cpu *cpu, vaddr_t va)
{
	unsigned int sig_bits = cpu->levels == 5 ? 57 : 48;
	int64_t top = (int64_t)va >> (sig_bits - 1); /* arithmetic shift: 0 or -1 if canonical */

	return top == 0 || top == -1;
}

/*
 * The rights check alone, on rights combined over a walk (as in struct x86_walk_result)
 * and the leaf (for its protection key): 0 when the access is allowed, else the #PF error
 * code (P=1 plus W/U/I/PK). The TLB uses it on a hit, the walker at the end of a walk.
 */
uint32_t x86_access_check(const struct x86_cpu *cpu, bool r_user, bool r_writable,
			  bool r_executable, uint64_t leaf, enum x86_access_kind kind, bool user);

/* The W/U/I bits every #PF error code for this access carries. */
uint32_t x86_pfec_access_bits(const struct x86_cpu *cpu, enum x86_access_kind kind, bool user);

#endif
