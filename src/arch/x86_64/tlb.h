/*
 * arch/x86_64/tlb.h: the TLB hierarchy of one logical processor (Intel SDM Vol. 3A §4.10).
 *
 * Structures: an L1 data TLB and an L1 instruction TLB, each made of arrays that hold some
 * page sizes (Intel: one array per size; AMD: one fully associative array for all sizes), and
 * a second level that is either shared by both sides (Intel's STLB) or split into an L2 data
 * and an L2 instruction TLB (AMD). Below them, the paging-structure caches (pwc.h).
 * Shapes and replacement come from a struct tlb_config, usually parsed from a spec string
 * (tlb_config_parse: "skylake", "dtlb4k:64x4,stlb4k2m:1536x12,...", docs/tlb.md).
 *
 * An entry caches what the CPU caches (§4.10.2.2): the page number, the page size, the
 * physical frame, the rights combined over the walk (U/S, R/W, XD), the leaf's D and G
 * bits and protection key, and the PCID current when it was made. Rights are checked on
 * each hit against the current CR0.WP, CR4.SMEP/SMAP, RFLAGS.AC, EFER.NXE and PKRU with
 * x86_access_check(). Hits never touch memory: a cleared A bit is not set again until the
 * entry is gone. A structure without an array for a page size may cache a smaller piece of
 * the page instead (AMD "smashes" 1 GiB pages into 2 MiB L2 entries); INVLPG still removes
 * every piece.
 *
 * Rules followed (details and the SDM text in docs/tlb.md):
 *  1. Lookup: L1 of the access's side, then L2, then a walk started from the deepest
 *     paging-structure-cache entry. An L2 hit refills L1; a walk fills L2 and L1.
 *  2. A write through an entry cached with D=0 re-walks, which sets D (the dirty assist).
 *  3. A hit whose cached rights deny the access drops the entries for that page and
 *     re-walks; the fault is reported only if memory denies it too (mmsim's choice; a CPU
 *     may also fault from the stale entry, §4.10.4.3).
 *  4. A walk that faults caches nothing, and the #PF removes the TLB and paging-structure
 *     cache entries for its address in the current PCID (§4.10.4.1).
 *  5. MOV to CR3, INVLPG, INVPCID and full flushes invalidate as §4.10.4.1 says; global
 *     entries survive CR3 writes. CR4.PGE is taken as 1 (mmsim: struct x86_cpu has no PGE).
 * Changing CR4.LA57, CR4.PCIDE, CR4.PGE or MAXPHYADDR requires tlb_flush_all(), as the SDM
 * requires of MOV to CR4. Other CPU fields are read at every access.
 *
 * The hierarchy is host scaffolding (malloc), owned by the caller of tlb_create(). The hit
 * path allocates nothing, prints nothing and bumps plain counters.
 */
#ifndef MMSIM_ARCH_X86_64_TLB_H
#define MMSIM_ARCH_X86_64_TLB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arch/x86_64/pwc.h"
#include "arch/x86_64/tlb_repl.h"
#include "arch/x86_64/types.h"
#include "arch/x86_64/walk.h"

struct x86_cpu;
struct physmem;
struct mmsim_error;
struct tlb;

/* --- configuration --------------------------------------------------------------------- */

/* The structures an array can belong to; a spec names them dtlb, itlb, stlb, l2dtlb, l2itlb. */
enum tlb_struct_id {
	TLB_DTLB = 0,	/* L1 data TLB */
	TLB_ITLB = 1,	/* L1 instruction TLB */
	TLB_STLB = 2,	/* L2, shared by data and instruction translations */
	TLB_L2DTLB = 3, /* L2 for data only */
	TLB_L2ITLB = 4, /* L2 for instructions only */
	TLB_NR_STRUCTS = 5,
};

/* Page sizes, as a bit set. */
#define TLB_SIZE_4K (1u << 0)
#define TLB_SIZE_2M (1u << 1)
#define TLB_SIZE_1G (1u << 2)
#define TLB_SIZES_ALL (TLB_SIZE_4K | TLB_SIZE_2M | TLB_SIZE_1G)

#define TLB_MAX_ARRAYS 16
#define TLB_MAX_ENTRIES 65536u /* per array */
#define TLB_MAX_WAYS 2048u
#define TLB_CONFIG_NAME_SIZE 16

struct tlb_array_config {
	enum tlb_struct_id where;
	unsigned int sizes;   /* TLB_SIZE_* bits, not 0 */
	unsigned int entries; /* 1..TLB_MAX_ENTRIES */
	unsigned int ways;    /* divides entries; entries / ways is a power of two */
	enum tlb_repl_kind repl;
};

/*
 * A whole hierarchy. Within the L1 data arrays, the L1 instruction arrays, the L2 arrays a
 * data access sees (stlb + l2dtlb) and those an instruction fetch sees (stlb + l2itlb), each
 * page size is held by at most one array. nr_arrays == 0 with no paging-structure cache is
 * the `off` preset: every access walks from CR3.
 */
struct tlb_config {
	char name[TLB_CONFIG_NAME_SIZE]; /* the preset it started from, or "custom" */
	bool meltdown; /* that preset's CPU is affected by Meltdown (Skylake; not Golden Cove,
			* not AMD): Linux's pti=auto turns page-table isolation on */
	unsigned int nr_arrays;
	struct tlb_array_config arrays[TLB_MAX_ARRAYS];
	struct pwc_config pwc;
};

#define TLB_CONFIG_DEFAULT "skylake" /* what an empty spec means */

/*
 * Parses a spec (the text after `tlb=`; docs/tlb.md): a preset name, or comma-separated
 * items applied left to right, optionally after a preset:
 *     PRESET | NAME:ENTRIESxWAYS[:lru|plru] | NAME:0 | pwc:off
 * NAME is a structure (dtlb itlb stlb l2dtlb l2itlb) followed by the page sizes it holds
 * (4k 2m 1g, e.g. stlb4k2m; none = all three), or a paging-structure cache (pml5e pml4e
 * pdpte pde). WAYS may be `full`. An item replaces the array of the same name; `:0` removes
 * it. 0, or -EINVAL with err saying "tlb:COLUMN: 'ITEM': reason" for the first bad item.
 */
int tlb_config_parse(const char *spec, struct tlb_config *cfg, struct mmsim_error *err);

/* Checks a config built by hand: 0, or -EINVAL with err naming the bad array. */
int tlb_config_validate(const struct tlb_config *cfg, struct mmsim_error *err);

/* Writes cfg as a spec that parses back to it (without the name). -ENOSPC if it is cut. */
int tlb_config_format(const struct tlb_config *cfg, char *buf, size_t size);

/* The name a spec gives a structure: dtlb itlb stlb l2dtlb l2itlb. */
const char *tlb_struct_name(enum tlb_struct_id where);

/* Presets: name, one-line description with the source of its sizes, and the spec it stands
 * for ("" for off). NULL past the last. */
const char *tlb_preset_name(unsigned int i);
const char *tlb_preset_source(unsigned int i);
const char *tlb_preset_spec(unsigned int i);

/* --- counters -------------------------------------------------------------------------- */

/* Plain event counts since tlb_create() or tlb_stats_reset(); names as tlb_stat_names. */
struct tlb_stats {
	uint64_t dtlb_loads;	    /* dTLB-loads: reads that looked up the TLB */
	uint64_t dtlb_load_misses;  /* dTLB-load-misses: reads that missed every level (walked) */
	uint64_t dtlb_stores;	    /* dTLB-stores */
	uint64_t dtlb_store_misses; /* dTLB-store-misses */
	uint64_t itlb_loads;	    /* iTLB-loads: instruction fetches */
	uint64_t itlb_load_misses;  /* iTLB-load-misses */
	uint64_t stlb_hits;	    /* L1 misses served by an L2 structure */
	uint64_t page_walks;	    /* walks started: misses, dirty assists, re-walks */
	uint64_t walk_mem_refs;	    /* their memory references: entry reads and A/D writes */
	uint64_t walk_faults;	    /* walks that ended in #PF */
	uint64_t dirty_assists;	    /* writes through an entry cached with D=0 */
	uint64_t rights_rewalks;    /* hits whose cached rights denied the access */
	uint64_t pwc_hits[PWC_NR_LEVELS]; /* walks started below CR3, by cache */
	uint64_t tlb_flush_all;	 /* everything including globals: tlb_flush_all, INVPCID 2 */
	uint64_t tlb_flush_cr3;	 /* MOV to CR3 that flushed a PCID */
	uint64_t tlb_flush_pcid; /* INVPCID 1 (single context) and 3 (all non-global) */
	uint64_t invlpg;	 /* INVLPG executed */
	uint64_t invpcid_addr;	 /* INVPCID 0 (individual address) */
};

struct tlb_stat_desc {
	const char *name; /* perf's name where perf has one (dTLB-loads ...), else snake_case */
	size_t offset;	  /* of the uint64_t in struct tlb_stats */
};

extern const struct tlb_stat_desc tlb_stat_names[];
extern const unsigned int tlb_stat_count;

static inline uint64_t tlb_stat_value(const struct tlb_stats *s, unsigned int i)
{
	return *(const uint64_t *)((const char *)s + tlb_stat_names[i].offset);
}

/* --- the hierarchy --------------------------------------------------------------------- */

/* Where a translation came from. */
enum tlb_source {
	TLB_SRC_L1 = 0,	  /* an L1 hit */
	TLB_SRC_L2 = 1,	  /* an L2 hit (L1 refilled) */
	TLB_SRC_WALK = 2, /* a walk: a miss, a dirty assist or a re-walk */
};

struct tlb_result {
	enum x86_walk_outcome outcome;
	enum tlb_source source;
	paddr_t pa;		 /* X86_WALK_OK */
	unsigned int page_shift; /* X86_WALK_OK: the page's size in the paging structures */
	uint32_t error_code;	 /* X86_WALK_PF */
	vaddr_t cr2;		 /* X86_WALK_PF */
	paddr_t pte_addr;	 /* X86_WALK_PF from a walk that read a 4 KiB PTE (level 1): its
				    address, which the fault handler need not look up again; else 0 */
};

/* 0, -EINVAL (a config tlb_config_parse would refuse) or -ENOMEM. Copies cfg. */
int tlb_create(const struct tlb_config *cfg, struct tlb **out);
void tlb_destroy(struct tlb *tlb);

/*
 * Translates va for one access at CPL 3 (user) or CPL 0, as the CPU does: TLB, then the
 * walk through the paging-structure caches, with the walk's A/D side effects. The hot path.
 */
void tlb_translate(struct tlb *tlb, const struct x86_cpu *cpu, struct physmem *pm, vaddr_t va,
		   enum x86_access_kind kind, bool user, struct tlb_result *res);

/*
 * MOV to CR3 (§4.10.4.1): loads new_cr3 into cpu->cr3 (without bit 63) and invalidates the
 * non-global entries and paging-structure-cache entries of the new PCID (PCID 0 when
 * CR4.PCIDE=0), unless CR4.PCIDE=1 and bit 63 (no-flush) is set. False, with nothing
 * changed, when the instruction would #GP (reserved bits set; bit 63 with PCIDE=0).
 */
bool tlb_write_cr3(struct tlb *tlb, struct x86_cpu *cpu, uint64_t new_cr3);

/*
 * INVLPG va: the entries for va's page in the current PCID and the global ones for it, plus
 * every paging-structure-cache entry of the current PCID. A NOP for a non-canonical va.
 */
void tlb_invlpg(struct tlb *tlb, const struct x86_cpu *cpu, vaddr_t va);

enum tlb_invpcid_type {
	TLB_INVPCID_ADDR = 0,	       /* individual address, non-global, that PCID */
	TLB_INVPCID_SINGLE = 1,	       /* every non-global entry of that PCID */
	TLB_INVPCID_ALL_GLOBAL = 2,    /* everything, globals included */
	TLB_INVPCID_ALL_NONGLOBAL = 3, /* every non-global entry of every PCID */
};

/*
 * INVPCID (§4.10.4.1; the instruction reference). False, with nothing invalidated, when it
 * would #GP: a type above 3, a PCID above 0xfff, a non-canonical address for type 0, or a
 * PCID other than 0 for types 0 and 1 while CR4.PCIDE=0.
 */
bool tlb_invpcid(struct tlb *tlb, const struct x86_cpu *cpu, unsigned int type, uint64_t pcid,
		 vaddr_t va);

/* Invalidates everything, globals and paging-structure caches included (MOV to CR4.PGE). */
void tlb_flush_all(struct tlb *tlb);

const struct tlb_stats *tlb_get_stats(const struct tlb *tlb);
void tlb_stats_reset(struct tlb *tlb);
const struct tlb_config *tlb_get_config(const struct tlb *tlb);

/* Valid entries in one structure (for tests and reports). */
unsigned int tlb_count(const struct tlb *tlb, enum tlb_struct_id where);

/* One valid entry, as tlb_foreach_entry() shows it (for reports and the explorer). */
struct tlb_entry_view {
	enum tlb_struct_id where; /* the structure its array belongs to */
	unsigned int array;	  /* index of the array in the config */
	unsigned int set, way;
	vaddr_t va;		 /* first address covered */
	paddr_t pa;		 /* physical address of the first byte covered */
	unsigned int shift;	 /* bytes covered = 2^shift */
	unsigned int page_shift; /* the page's size in the paging structures */
	uint16_t pcid;		 /* 0 for a global entry */
	bool global, user, writable, executable, dirty;
};

/* Calls fn for every valid entry of every array, set by set, way by way; touches no
 * replacement state or counter. */
void tlb_foreach_entry(const struct tlb *tlb, void (*fn)(void *ctx, const struct tlb_entry_view *v),
		       void *ctx);

/*
 * The bookkeeping agrees with the entries (for tests): each array's count of valid entries
 * by probe and the probe each valid entry records, and under LRU (packed order or list) the
 * forgotten ways of every set are exactly its invalid ones, which the hit path's
 * tlb_repl_touch_used() relies on. True when it holds.
 */
bool tlb_check(const struct tlb *tlb);

/* Whether some TLB entry of the given PCID (or a global one) translates va, without
 * touching replacement state or counters: for tests and explain mode. */
bool tlb_probe(const struct tlb *tlb, vaddr_t va, uint16_t pcid);

/* The paging-structure caches, for inspection. */
const struct pwc *tlb_get_pwc(const struct tlb *tlb);

/* Explain mode: fn hears of every page walk (after it ran), with its steps. NULL: off. */
typedef void (*tlb_walk_hook_fn)(void *ctx, vaddr_t va, const struct x86_walk_result *w);
void tlb_set_walk_hook(struct tlb *tlb, tlb_walk_hook_fn fn, void *ctx);

#endif
