/*
 * mmsim/mmu.h: the x86-64 MMU model on its own, for tools and emulators that want a
 * hardware-exact page walk over their own tables: a CPU's paging state plus a physical
 * memory, and a translate call that walks, checks rights, sets A/D and reports #PF/#GP the
 * way the CPU does (Intel SDM Vol. 3A chapter 4). No Linux here: you build the tables.
 *
 * Ownership: mmsim_mmu_create() and mmsim_mmu_create_phys() return an object the caller
 * frees with mmsim_mmu_destroy(). With mmsim_mmu_create(), physical memory is mmsim's own:
 * RAM of ram_bytes (lazily backed) plus, when sparse is set, any address below
 * 2^maxphyaddr, backed on first write and reading 0. With mmsim_mmu_create_phys(), it is
 * the caller's (an emulator's guest RAM): every entry read and every A/D write-back is a
 * call to the caller's read64/write64, and mmsim keeps no copy.
 *
 * Two ways to translate: mmsim_mmu_translate() always walks (the walk shown level by level);
 * mmsim_mmu_access() goes through the TLB set by mmsim_mmu_set_tlb() first, as the CPU does,
 * so a cached translation is used without reading memory until INVLPG, a CR3 write or a
 * flush removes it (docs/tlb.md has the rules).
 */
#ifndef MMSIM_MMU_H
#define MMSIM_MMU_H

#include "mmsim/export.h"

#include <stdbool.h>
#include <stdint.h>

struct mmsim_error;
struct mmsim_mmu;

/* The paging controls. levels 4 or 5 (CR4.LA57); maxphyaddr 32..52. */
struct mmsim_cpu_state {
	unsigned int levels;
	unsigned int maxphyaddr;
	uint64_t cr3;
	bool wp;   /* CR0.WP */
	bool nxe;  /* EFER.NXE */
	bool smep; /* CR4.SMEP */
	bool smap; /* CR4.SMAP */
	bool ac;   /* RFLAGS.AC */
	bool pke;  /* CR4.PKE */
	uint32_t pkru;
	bool pcide; /* CR4.PCIDE: TLB entries tagged with CR3[11:0] (mmsim_mmu_access()) */
	bool pge;   /* CR4.PGE: leaves with G=1 survive CR3 writes in the TLB */
	/*
	 * HLAT, hypervisor-managed linear-address translation (SDM Vol. 3A §4.5.1, docs/x86.md):
	 * when hlat is true, an address in the protected linear range (hlat_prefix_size 0: every
	 * address; n: bits 63..64-n all 1) is walked from hlatp first; a present entry with
	 * MMSIM_PTE_HLAT_RESTART set restarts the translation from cr3.
	 */
	bool hlat;
	uint64_t hlatp;
	unsigned int hlat_prefix_size; /* 0..64 */
};

enum mmsim_access {
	MMSIM_ACCESS_READ = 0,
	MMSIM_ACCESS_WRITE = 1,
	MMSIM_ACCESS_FETCH = 2,
};

enum mmsim_fault {
	MMSIM_FAULT_NONE = 0, /* translated */
	MMSIM_FAULT_PF,	      /* page fault: error_code, cr2 */
	MMSIM_FAULT_GP,	      /* general protection (non-canonical address) */
};

/* Page sizes x86-64 paging maps: 4 KiB (PTE), 2 MiB (PDE with PS), 1 GiB (PDPTE with PS). */
#define MMSIM_PAGE_SHIFT_4K 12u
#define MMSIM_PAGE_SHIFT_2M 21u
#define MMSIM_PAGE_SHIFT_1G 30u
#define MMSIM_PAGE_SIZE_4K (UINT64_C(1) << MMSIM_PAGE_SHIFT_4K)
#define MMSIM_PAGE_SIZE_2M (UINT64_C(1) << MMSIM_PAGE_SHIFT_2M)
#define MMSIM_PAGE_SIZE_1G (UINT64_C(1) << MMSIM_PAGE_SHIFT_1G)

/*
 * Paging-structure entry bits, for callers that build their own tables (SDM Vol. 3A §4.5,
 * tables 4-14 to 4-20). PS (bit 7) makes a PDPTE or PDE a leaf; in a PTE the same bit is
 * PAT. In 2 MiB and 1 GiB leaves PAT is bit 12. Bits 9-11 and 52-58 are ignored by the CPU
 * (available to software); bits 59-62 are the protection key in leaves when CR4.PKE=1.
 */
#define MMSIM_PTE_P (UINT64_C(1) << 0)		   /* present */
#define MMSIM_PTE_RW (UINT64_C(1) << 1)		   /* writable */
#define MMSIM_PTE_US (UINT64_C(1) << 2)		   /* user accessible */
#define MMSIM_PTE_PWT (UINT64_C(1) << 3)	   /* page-level write-through */
#define MMSIM_PTE_PCD (UINT64_C(1) << 4)	   /* page-level cache disable */
#define MMSIM_PTE_A (UINT64_C(1) << 5)		   /* accessed */
#define MMSIM_PTE_D (UINT64_C(1) << 6)		   /* dirty (leaves) */
#define MMSIM_PTE_PS (UINT64_C(1) << 7)		   /* page size: leaf in a PDPTE or PDE */
#define MMSIM_PTE_PAT_4K (UINT64_C(1) << 7)	   /* PAT, in a PTE */
#define MMSIM_PTE_G (UINT64_C(1) << 8)		   /* global (leaves) */
#define MMSIM_PTE_HLAT_RESTART (UINT64_C(1) << 11) /* HLAT paging only: restart from CR3 */
#define MMSIM_PTE_PAT_LARGE (UINT64_C(1) << 12)	   /* PAT, in a 2 MiB or 1 GiB leaf */
#define MMSIM_PTE_XD (UINT64_C(1) << 63)	   /* execute-disable, when EFER.NXE=1 */
#define MMSIM_PTE_PK_SHIFT 59u			   /* protection key: bits 59-62 */
#define MMSIM_PTE_PK_MASK (UINT64_C(0xf) << MMSIM_PTE_PK_SHIFT)
/* Physical address bits 12..51 of an entry (a CPU with MAXPHYADDR 52; fewer are reserved). */
#define MMSIM_PTE_ADDR_MASK UINT64_C(0x000ffffffffff000)

/* Page-fault error code bits (SDM Vol. 3A §4.7). */
#define MMSIM_PFEC_P 0x01u
#define MMSIM_PFEC_W 0x02u
#define MMSIM_PFEC_U 0x04u
#define MMSIM_PFEC_RSVD 0x08u
#define MMSIM_PFEC_I 0x10u
#define MMSIM_PFEC_PK 0x20u
#define MMSIM_PFEC_HLAT 0x80u /* the fault happened during HLAT paging */

/* Up to 5 entries of an HLAT walk that restarts, then up to 5 of the walk from CR3. */
#define MMSIM_WALK_MAX_LEVELS 10

enum mmsim_paging {
	MMSIM_PAGING_ORDINARY = 0,     /* from CR3 */
	MMSIM_PAGING_HLAT = 1,	       /* from HLATP only */
	MMSIM_PAGING_HLAT_RESTART = 2, /* from HLATP to a restart entry, then from CR3 */
};

struct mmsim_walk_level {
	unsigned int level; /* 5 PML5E, 4 PML4E, 3 PDPTE, 2 PDE, 1 PTE */
	uint64_t table;	    /* physical address of the table */
	unsigned int index; /* 0..511 */
	uint64_t entry;	    /* as read */
	uint64_t written;   /* as left (A/D); equal to entry when unchanged */
};

struct mmsim_translation {
	enum mmsim_fault fault;
	uint64_t pa;			 /* MMSIM_FAULT_NONE */
	unsigned int page_shift;	 /* MMSIM_FAULT_NONE: 12, 21 or 30 */
	uint32_t error_code;		 /* MMSIM_FAULT_PF */
	uint64_t cr2;			 /* MMSIM_FAULT_PF */
	bool user, writable, executable; /* rights combined over the levels walked to a leaf */
	unsigned int nr_levels;		 /* entries read, top first */
	struct mmsim_walk_level levels[MMSIM_WALK_MAX_LEVELS];
	enum mmsim_paging paging;    /* which paging walked (HLAT only when the CPU has hlat) */
	unsigned int nr_hlat_levels; /* levels[0..nr_hlat_levels) came from HLATP */
};

/* 0, or -EINVAL (bad sizes) / -ENOMEM. */
MMSIM_API int mmsim_mmu_create(uint64_t ram_bytes, bool sparse, struct mmsim_mmu **out);

/*
 * The caller's physical memory. read64 and write64 get 8-byte aligned physical addresses
 * and little-endian 64-bit words (the page-table entries); both are required. alloc_table
 * is optional: it hands mmsim_mmu_map() a 4 KiB-aligned frame for a new table (mmsim zeroes
 * it through write64), 0 or a negative errno; without it mmsim_mmu_map() and
 * mmsim_mmu_alloc_table() return -ENOMEM. ctx is passed back to each.
 */
struct mmsim_phys_ops {
	uint64_t (*read64)(void *ctx, uint64_t pa);
	void (*write64)(void *ctx, uint64_t pa, uint64_t value);
	int (*alloc_table)(void *ctx, uint64_t *pa_out);
	void *ctx;
};

/* An MMU over the caller's memory (ops is copied). 0, -EINVAL (a callback missing) or
 * -ENOMEM. The CPU state starts as mmsim_mmu_create()'s; the TLB is off. */
MMSIM_API int mmsim_mmu_create_phys(const struct mmsim_phys_ops *ops, struct mmsim_mmu **out);
MMSIM_API void mmsim_mmu_destroy(struct mmsim_mmu *mmu);

/* 0, or -EINVAL with a message when a field is out of range. Flushes the whole TLB (as a
 * MOV to CR4 that changes paging modes does): to switch address spaces keeping global and
 * other-PCID entries, use mmsim_mmu_write_cr3(). */
MMSIM_API int mmsim_mmu_set_cpu(struct mmsim_mmu *mmu, const struct mmsim_cpu_state *cpu,
				struct mmsim_error *err);
MMSIM_API void mmsim_mmu_get_cpu(const struct mmsim_mmu *mmu, struct mmsim_cpu_state *cpu);

/* 8-byte physical memory access. pa's low 3 bits are ignored (the aligned word is used).
 * With mmsim's own memory, an address beyond RAM that is not sparse reads all ones and a
 * write there is dropped (nothing answers on the bus); with the caller's memory every
 * access goes to read64/write64. */
MMSIM_API uint64_t mmsim_mmu_read64(const struct mmsim_mmu *mmu, uint64_t pa);
MMSIM_API void mmsim_mmu_write64(struct mmsim_mmu *mmu, uint64_t pa, uint64_t value);

/* Translates va for one access at CPL 3 (user) or CPL 0 by a page walk from CR3, with the
 * CPU's side effects (A/D bits); the TLB is neither used nor filled. */
MMSIM_API void mmsim_mmu_translate(struct mmsim_mmu *mmu, uint64_t va, enum mmsim_access access,
				   bool user, struct mmsim_translation *out);

/* Where mmsim_mmu_access() found a translation. */
enum mmsim_tlb_source {
	MMSIM_TLB_L1 = 0,   /* an L1 TLB hit: no memory read */
	MMSIM_TLB_L2 = 1,   /* an L2 (STLB) hit: no memory read */
	MMSIM_TLB_WALK = 2, /* a page walk: a miss, a dirty assist or a re-walk (or a fault) */
};

/*
 * The TLB of mmsim_mmu_access(): a preset or spec as tlb= takes it ("skylake", "zen4",
 * "dtlb4k:64x4,stlb4k2m:1536x12", docs/tlb.md), or "off" (every access walks; the default).
 * Replaces the TLB and its counters. 0, or -EINVAL with a message naming the bad item.
 */
MMSIM_API int mmsim_mmu_set_tlb(struct mmsim_mmu *mmu, const char *spec, struct mmsim_error *err);

/*
 * One access as the CPU makes it: the TLB first, a walk (through the paging-structure
 * caches) on a miss, with the walk's A/D side effects; a walk that faults caches nothing.
 * out gets fault, pa, page_shift, error_code and cr2 in every case; the levels and the
 * combined rights only when a walk ran (*source MMSIM_TLB_WALK; a walk started from a
 * paging-structure cache lists only the levels it read); on a hit nr_levels is 0.
 * source may be NULL.
 */
MMSIM_API void mmsim_mmu_access(struct mmsim_mmu *mmu, uint64_t va, enum mmsim_access access,
				bool user, struct mmsim_translation *out,
				enum mmsim_tlb_source *source);

/* MOV to CR3 (SDM Vol. 3A §4.10.4.1): loads cr3 and invalidates the non-global entries of
 * the new PCID, unless CR4.PCIDE=1 and bit 63 is set. 0, or -EINVAL with nothing changed
 * where the instruction would #GP (bit 63 with PCIDE=0, reserved bits). */
MMSIM_API int mmsim_mmu_write_cr3(struct mmsim_mmu *mmu, uint64_t cr3);
/* INVLPG va: the TLB entries for va's page (global ones too) and the paging-structure
 * caches of the current PCID. */
MMSIM_API void mmsim_mmu_invlpg(struct mmsim_mmu *mmu, uint64_t va);
/* INVPCID type (0 address, 1 single context, 2 all with globals, 3 all but globals).
 * 0, or -EINVAL where the instruction would #GP. */
MMSIM_API int mmsim_mmu_invpcid(struct mmsim_mmu *mmu, unsigned int type, uint64_t pcid,
				uint64_t va);
/* Every TLB and paging-structure-cache entry, globals included. */
MMSIM_API void mmsim_mmu_flush_tlb(struct mmsim_mmu *mmu);
/* A TLB counter of mmsim_mmu_access() by its name (dTLB-loads, dTLB-load-misses,
 * page_walks, ...: the "tlb" group of mmsim/info.h). 0 or -ENOENT. */
MMSIM_API int mmsim_mmu_tlb_counter(const struct mmsim_mmu *mmu, const char *name,
				    uint64_t *value_out);

/*
 * Table building. mmsim_mmu_alloc_table() hands out zeroed RAM frames from the top of RAM
 * down; mmsim_mmu_map() maps one page of 2^page_shift bytes (12, 21, 30) with the leaf
 * flags given (raw entry bits; P and PS are added), creating tables as needed.
 * 0; -EINVAL for a page_shift other than 12, 21 or 30, a va or pa not aligned to the page,
 * a va not canonical for the CPU's levels, a pa at or above 2^maxphyaddr, leaf flags with
 * a bit in the frame's address field (page_shift..maxphyaddr-1), or a table frame from
 * alloc_table that is not 4 KiB-aligned or below 2^maxphyaddr; -EEXIST when the page (or
 * a large page over it) is mapped already; -ENOMEM when no table frame was handed out.
 * Tables created before an error stay in place.
 */
MMSIM_API int mmsim_mmu_alloc_table(struct mmsim_mmu *mmu, uint64_t *pa_out);
MMSIM_API int mmsim_mmu_map(struct mmsim_mmu *mmu, uint64_t va, uint64_t pa,
			    unsigned int page_shift, uint64_t leaf_flags);

/*
 * A translation shown level by level for a person: per level the table's physical address,
 * the index, the raw entry and its decoded flags, then the physical address reached or the
 * fault with its decoded error code. *text_out is malloc'd (caller frees); 0, -EINVAL
 * (access not one of MMSIM_ACCESS_*, levels not 4 or 5; *text_out left alone) or -ENOMEM.
 */
MMSIM_API int mmsim_translation_text(const struct mmsim_translation *t, uint64_t va,
				     unsigned int levels, enum mmsim_access access, bool user,
				     char **text_out);

/* Human-readable decodings, for printing walks: flag names of an entry, error-code bits. */
MMSIM_API void mmsim_mmu_describe_entry(uint64_t entry, unsigned int level, char *buf,
					unsigned int size);
MMSIM_API void mmsim_mmu_describe_error(uint32_t error_code, char *buf, unsigned int size);

#endif
