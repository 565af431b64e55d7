/*
 * examples/mmu_callbacks.c: mmsim's x86-64 MMU inside an emulator that owns its memory.
 *
 * The "emulator" here is a flat array of guest RAM. It builds 4-level page tables in that
 * RAM by hand (with the entry bits of mmsim/mmu.h), hands mmsim a pair of callbacks that
 * read and write 8-byte words of it, and translates its guest's accesses through mmsim's
 * walker and a Skylake TLB. mmsim never boots its kernel and never copies the RAM: the
 * Accessed and Dirty bits the walks set land in the emulator's own tables.
 *
 * Build against an installed library:  cc mmu_callbacks.c $(pkg-config --cflags --libs mmsim)
 * CMake builds it as build/examples/mmu_callbacks; tests/cli/test_examples.sh runs it.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mmsim/error.h>
#include <mmsim/mmu.h>

#define RAM_BYTES (UINT64_C(4) << 20) /* 4 MiB of guest RAM */

struct guest {
	uint8_t *ram;
	unsigned long reads, writes; /* table words mmsim read and wrote */
};

/* The callbacks: mmsim reads and writes page-table entries, 8 bytes, 8-byte aligned. An
 * address outside RAM reads as all ones and ignores writes, as an empty bus does. */
static uint64_t ram_read64(void *ctx, uint64_t pa)
{
	struct guest *g = ctx;
	uint64_t v = UINT64_MAX;

	g->reads++;
	if (pa + 8 <= RAM_BYTES)
		memcpy(&v, g->ram + pa, 8);
	return v;
}

static void ram_write64(void *ctx, uint64_t pa, uint64_t value)
{
	struct guest *g = ctx;

	g->writes++;
	if (pa + 8 <= RAM_BYTES)
		memcpy(g->ram + pa, &value, 8);
}

static void set_entry(struct guest *g, uint64_t table, unsigned int index, uint64_t entry)
{
	memcpy(g->ram + table + 8 * index, &entry, 8);
}

static uint64_t get_entry(const struct guest *g, uint64_t table, unsigned int index)
{
	uint64_t e;

	memcpy(&e, g->ram + table + 8 * index, 8);
	return e;
}

static const char *source_name(enum mmsim_tlb_source s)
{
	return s == MMSIM_TLB_L1 ? "L1 TLB hit" : s == MMSIM_TLB_L2 ? "L2 TLB hit" : "walk";
}

static void guest_access(struct mmsim_mmu *mmu, uint64_t va, enum mmsim_access kind)
{
	static const char *const kinds[] = { "read ", "write", "fetch" };
	struct mmsim_translation t;
	enum mmsim_tlb_source src;

	mmsim_mmu_access(mmu, va, kind, true, &t, &src);
	printf("%s 0x%" PRIx64 ": ", kinds[kind], va);
	if (t.fault == MMSIM_FAULT_NONE)
		printf("pa 0x%" PRIx64 " (%s, %u-bit page)\n", t.pa, source_name(src),
		       t.page_shift);
	else if (t.fault == MMSIM_FAULT_PF)
		printf("#PF error code 0x%x, CR2 0x%" PRIx64 "\n", t.error_code, t.cr2);
	else
		printf("#GP (not canonical)\n");
}

int main(void)
{
	/* Where the guest's tables live in its RAM. */
	const uint64_t pml4 = 0x1000, pdpt = 0x2000, pd = 0x3000, pt = 0x4000;
	const uint64_t user_rw = MMSIM_PTE_P | MMSIM_PTE_RW | MMSIM_PTE_US;
	struct guest g = { .ram = calloc(1, RAM_BYTES) };
	struct mmsim_phys_ops ops = { .read64 = ram_read64, .write64 = ram_write64, .ctx = &g };
	struct mmsim_cpu_state cpu = {
		.levels = 4,
		.maxphyaddr = 36,
		.cr3 = pml4,
		.wp = true,
		.nxe = true,
		.pge = true,
	};
	struct mmsim_error err = { 0 };
	struct mmsim_mmu *mmu;
	uint64_t v;

	if (!g.ram)
		return 1;
	/* 0x400000 -> 0x100000, one 4 KiB page, user read-write;
	 * 0x600000 -> 0x200000, one 2 MiB page, user read-only. */
	set_entry(&g, pml4, 0, pdpt | user_rw);
	set_entry(&g, pdpt, 0, pd | user_rw);
	set_entry(&g, pd, 2, pt | user_rw);
	set_entry(&g, pt, 0, 0x100000 | user_rw);
	set_entry(&g, pd, 3, 0x200000 | MMSIM_PTE_P | MMSIM_PTE_US | MMSIM_PTE_PS);

	if (mmsim_mmu_create_phys(&ops, &mmu) || mmsim_mmu_set_cpu(mmu, &cpu, &err) ||
	    mmsim_mmu_set_tlb(mmu, "skylake", &err)) {
		fprintf(stderr, "mmu_callbacks: %s\n", err.msg[0] ? err.msg : "out of memory");
		return 1;
	}
	guest_access(mmu, 0x400123, MMSIM_ACCESS_READ); /* a miss: walks, sets A */
	guest_access(mmu, 0x400123, MMSIM_ACCESS_READ); /* now cached */
	printf("PTE after the read:  0x%" PRIx64 "\n", get_entry(&g, pt, 0));
	guest_access(mmu, 0x400008, MMSIM_ACCESS_WRITE); /* cached without D: re-walks, sets D */
	printf("PTE after the write: 0x%" PRIx64 "\n", get_entry(&g, pt, 0));
	guest_access(mmu, 0x7fff0, MMSIM_ACCESS_READ);	 /* nothing mapped there */
	guest_access(mmu, 0x600010, MMSIM_ACCESS_READ);	 /* the 2 MiB page */
	guest_access(mmu, 0x600010, MMSIM_ACCESS_WRITE); /* read-only: protection fault */
	guest_access(mmu, UINT64_C(0x0000800000000000), MMSIM_ACCESS_READ);
	/* The guest unmaps 0x400000: a stale TLB entry survives until INVLPG, as on a CPU. */
	set_entry(&g, pt, 0, 0);
	guest_access(mmu, 0x400123, MMSIM_ACCESS_READ);
	mmsim_mmu_invlpg(mmu, 0x400000);
	guest_access(mmu, 0x400123, MMSIM_ACCESS_READ);
	if (!mmsim_mmu_tlb_counter(mmu, "dTLB-load-misses", &v))
		printf("dTLB-load-misses %" PRIu64 "\n", v);
	printf("table words read %lu, written %lu\n", g.reads, g.writes);
	mmsim_mmu_destroy(mmu);
	free(g.ram);
	return 0;
}
