/*
 * arch/x86_64/walk.c: the page walk, as the CPU does it (Intel SDM Vol. 3A §4.5 to §4.8).
 * See walk.h for the contract and the A/D rule.
 */
#include "arch/x86_64/walk.h"

#include <stddef.h>

#include "arch/x86_64/cr.h"
#include "arch/x86_64/pfec.h"
#include "arch/x86_64/physmem.h"
#include "arch/x86_64/pte.h"

uint32_t x86_pfec_access_bits(const struct x86_cpu *cpu, enum x86_access_kind kind, bool user)
{
	uint32_t ec = 0;

	if (kind == X86_ACCESS_WRITE)
		ec |= X86_PFEC_W;
	if (user)
		ec |= X86_PFEC_U;
	/* SDM §4.7: I/D is reported for fetches only when NXE or SMEP makes it meaningful. */
	if (kind == X86_ACCESS_FETCH && (cpu->nxe || cpu->smep))
		ec |= X86_PFEC_I;
	return ec;
}

/*
 * SDM §4.6.2: protection keys restrict data accesses to user-mode addresses. Access-disable
 * blocks reads and writes; write-disable blocks user writes, and supervisor writes when
 * CR0.WP=1. Fetches are never restricted by keys.
 */
static bool pkey_denies(const struct x86_cpu *cpu, uint64_t leaf, enum x86_access_kind kind,
			bool user)
{
	unsigned int key = x86_pte_pkey(leaf);
	bool ad = (cpu->pkru >> (2 * key)) & 1;
	bool wd = (cpu->pkru >> (2 * key + 1)) & 1;

	if (kind == X86_ACCESS_FETCH)
		return false;
	if (ad)
		return true;
	return kind == X86_ACCESS_WRITE && wd && (user || cpu->wp);
}

uint32_t x86_access_check(const struct x86_cpu *cpu, bool r_user, bool r_writable,
			  bool r_executable, uint64_t leaf, enum x86_access_kind kind, bool user)
{
	bool denied = false;
	bool pk = false;

	/* SDM §4.6.1: user-mode accesses. */
	if (user) {
		if (!r_user)
			return X86_PFEC_P | x86_pfec_access_bits(cpu, kind, user);
		if (kind == X86_ACCESS_WRITE && !r_writable)
			denied = true;
		if (kind == X86_ACCESS_FETCH && !r_executable)
			denied = true;
	} else {
		/* Supervisor-mode accesses: SMAP for data, WP for writes, SMEP and XD for fetches.
		 */
		if (kind != X86_ACCESS_FETCH && r_user && cpu->smap && !cpu->ac)
			denied = true;
		if (kind == X86_ACCESS_WRITE && !r_writable && cpu->wp)
			denied = true;
		if (kind == X86_ACCESS_FETCH && (!r_executable || (r_user && cpu->smep)))
			denied = true;
	}
	/* SDM §4.7: PK is reported whenever the key denies, whatever else denies too. */
	if (cpu->pke && r_user)
		pk = pkey_denies(cpu, leaf, kind, user);
	if (!denied && !pk)
		return 0;
	return X86_PFEC_P | (pk ? X86_PFEC_PK : 0) | x86_pfec_access_bits(cpu, kind, user);
}

static void fail_pf(const struct x86_cpu *cpu, vaddr_t va, enum x86_access_kind kind, bool user,
		    uint32_t extra, struct x86_walk_result *res)
{
	res->outcome = X86_WALK_PF;
	res->error_code = extra | x86_pfec_access_bits(cpu, kind, user);
	res->cr2 = va;
}

/*
 * Reserved bits of a present entry (SDM §4.5, tables 4-15 to 4-20), split so that a walk
 * computes the CPU-wide part once: every level has rsvd_all_levels(); PML4E and PML5E add
 * PS; a large leaf adds the address bits below its size (bit 12 is PAT there, not address).
 */
static uint64_t rsvd_all_levels(const struct x86_cpu *cpu)
{
	return x86_pte_rsvd_hi_mask(cpu->maxphyaddr) | (cpu->nxe ? 0 : X86_PTE_XD);
}

static uint64_t rsvd_large_leaf(unsigned int level)
{
	uint64_t low = (UINT64_C(1) << x86_level_shift(level)) - 1;

	return low & X86_PTE_ADDR_MAX_MASK & ~X86_PTE_PATLARGE;
}

/* SDM §5.5.1: prefix size 0 = every address, 1 = bit 63 set. mmsim: the SDM leaves sizes
 * above 1 undefined (none is enumerated); here n > 1 asks for bits 63..64-n all set. */
bool x86_hlat_applies(const struct x86_cpu *cpu, vaddr_t va)
{
	uint64_t prefix;

	if (!cpu->hlat)
		return false;
	if (cpu->hlat_prefix_size == 0)
		return true;
	if (cpu->hlat_prefix_size >= 64)
		return va == UINT64_MAX;
	prefix = ~UINT64_C(0) << (64 - cpu->hlat_prefix_size);
	return (va & prefix) == prefix;
}

static void reset_result(struct x86_walk_result *res)
{
	res->nr_steps = 0;
	res->mem_refs = 0;
	res->error_code = 0;
	res->cr2 = 0;
	res->pa = 0;
	res->page_shift = 0;
	res->leaf = 0;
	res->user = res->writable = res->executable = false;
	res->paging = X86_PAGING_ORDINARY;
	res->nr_hlat_steps = 0;
}

/* How walk_levels() ended: an outcome in res, or an HLAT restart entry. */
enum walk_end {
	WALK_END_DONE,
	WALK_END_RESTART,
};

/*
 * One walk from start down to a leaf, appending its entries to res->steps, then the rights
 * check and the A/D update: the whole translation, or (hlat) up to a restart entry. In an
 * HLAT walk every #PF error code carries the HLAT bit (SDM §4.7).
 */
static inline __attribute__((always_inline)) enum walk_end
walk_levels(const struct x86_cpu *cpu, struct physmem *pm, vaddr_t va, enum x86_access_kind kind,
	    bool user, const struct x86_walk_start *start, bool hlat, struct x86_walk_result *res)
{
	uint32_t hlat_ec = hlat ? X86_PFEC_HLAT : 0;
	const uint64_t rsvd = rsvd_all_levels(cpu);
	const uint64_t addr_mask = x86_pte_addr_mask(cpu->maxphyaddr);
	uint64_t rights = start->rights;
	paddr_t table = start->table;
	unsigned int level = start->level;
	struct x86_walk_step *step = NULL;
	uint64_t e = 0;
	uint32_t denied;

	for (;; level--) {
		uint64_t m = rsvd;
		bool leaf;

		step = &res->steps[res->nr_steps++];
		step->level = level;
		step->entry_addr = table + (paddr_t)x86_pt_index(va, level) * sizeof(uint64_t);
		e = physmem_read64(pm, step->entry_addr);
		step->entry = e;
		step->written = e;
		res->mem_refs++;
		if (!x86_pte_present(e)) {
			fail_pf(cpu, va, kind, user, hlat_ec, res);
			return WALK_END_DONE;
		}
		/* SDM §4.5.1: restart is looked at once P=1, at any level, before anything else. */
		if (hlat && (e & X86_PTE_HLAT_RESTART))
			return WALK_END_RESTART;
		leaf = level == X86_LEVEL_PTE || (level <= X86_LEVEL_PDPTE && x86_pte_large(e));
		if (level >= X86_LEVEL_PML4E)
			m |= X86_PTE_PS;
		else if (leaf && level > X86_LEVEL_PTE)
			m |= rsvd_large_leaf(level);
		if (e & m) {
			fail_pf(cpu, va, kind, user, X86_PFEC_P | X86_PFEC_RSVD | hlat_ec, res);
			return WALK_END_DONE;
		}
		rights &= e ^ X86_PTE_XD;
		if (leaf)
			break;
		if (!x86_pte_accessed(e)) {
			step->written = e | X86_PTE_A;
			physmem_write64(pm, step->entry_addr, step->written);
			res->mem_refs++;
		}
		table = e & addr_mask;
	}

	res->user = (rights & X86_PTE_US) != 0;
	res->writable = (rights & X86_PTE_RW) != 0;
	res->executable = !cpu->nxe || (rights & X86_PTE_XD) != 0;
	denied = x86_access_check(cpu, res->user, res->writable, res->executable, e, kind, user);
	if (denied) {
		res->outcome = X86_WALK_PF;
		res->error_code = denied | hlat_ec;
		res->cr2 = va;
		return WALK_END_DONE;
	}

	/* Success: A on the leaf, and D on a write (SDM §4.8). */
	if (!x86_pte_accessed(e) || (kind == X86_ACCESS_WRITE && !x86_pte_dirty(e))) {
		e |= X86_PTE_A;
		if (kind == X86_ACCESS_WRITE)
			e |= X86_PTE_D;
		step->written = e;
		physmem_write64(pm, step->entry_addr, e);
		res->mem_refs++;
	}
	res->outcome = X86_WALK_OK;
	res->page_shift = x86_level_shift(level);
	res->leaf = e;
	res->pa = (e & addr_mask & ~((UINT64_C(1) << res->page_shift) - 1)) |
		  (va & ((UINT64_C(1) << res->page_shift) - 1));
	return WALK_END_DONE;
}

void x86_walk_from(const struct x86_cpu *cpu, struct physmem *pm, vaddr_t va,
		   enum x86_access_kind kind, bool user, const struct x86_walk_start *start,
		   struct x86_walk_result *res)
{
	reset_result(res);
	if (!x86_canonical(cpu, va)) {
		res->outcome = X86_WALK_GP;
		return;
	}
	walk_levels(cpu, pm, va, kind, user, start, false, res);
}

/* HLAT paging, then ordinary paging after a restart (SDM §4.5.1); off the usual path. */
static __attribute__((noinline)) void walk_hlat(const struct x86_cpu *cpu, struct physmem *pm,
						vaddr_t va, enum x86_access_kind kind, bool user,
						struct x86_walk_result *res)
{
	struct x86_walk_start hstart = x86_walk_start_at(cpu, x86_hlatp_root(cpu));
	struct x86_walk_start start = x86_walk_start_at(cpu, x86_cr3_root(cpu));
	unsigned int cap;

	reset_result(res);
	if (!x86_canonical(cpu, va)) {
		res->outcome = X86_WALK_GP;
		return;
	}
	if (!x86_hlat_applies(cpu, va)) {
		walk_levels(cpu, pm, va, kind, user, &start, false, res);
		return;
	}
	res->paging = X86_PAGING_HLAT;
	if (walk_levels(cpu, pm, va, kind, user, &hstart, true, res) == WALK_END_DONE) {
		res->nr_hlat_steps = res->nr_steps;
		return;
	}
	/* The restart discards the HLAT walk's rights: the walk from CR3 alone decides. */
	res->paging = X86_PAGING_HLAT_RESTART;
	res->nr_hlat_steps = res->nr_steps;
	cap = x86_level_shift(res->steps[res->nr_steps - 1].level);
	walk_levels(cpu, pm, va, kind, user, &start, false, res);
	/*
	 * SDM Vol. 3A §4.10.2.1: a restart sets a maximum page size, determined by the level
	 * of the entry that restarted (a PDE: 2 MiB); the translation's page size is the
	 * smaller of it and the restarted walk's, so the TLB caches the smaller page. The
	 * physical address does not change.
	 */
	if (res->outcome == X86_WALK_OK && res->page_shift > cap)
		res->page_shift = cap;
}

void x86_walk(const struct x86_cpu *cpu, struct physmem *pm, vaddr_t va, enum x86_access_kind kind,
	      bool user, struct x86_walk_result *res)
{
	struct x86_walk_start start = x86_walk_start_at(cpu, x86_cr3_root(cpu));

	if (cpu->hlat) {
		walk_hlat(cpu, pm, va, kind, user, res);
		return;
	}
	x86_walk_from(cpu, pm, va, kind, user, &start, res);
}
