/*
 * tests/unit/kernel/test_check.c: every whole-system checker is shown to fire. Each test
 * boots a small machine, builds a correct state through the public API, breaks exactly
 * one thing inside (a PTE, a count, a VMA bound, a list count), and asserts that
 * mmsim_check() fails with a message naming that thing; the test then undoes the damage so
 * the machine shuts down cleanly. (The buddy, slab and memmap checkers have their own
 * fire tests in tests/unit/mm/test_buddy.c, test_slab.c and test_memmap.c.)
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "arch/x86_64/physmem.h"
#include "arch/x86_64/pte.h"
#include "kernel/system.h"
#include "mm/page.h"
#include "mm/pgdat.h"
#include "mm/pgtable.h"
#include "mm/policy.h"
#include "mm/shmem.h"
#include "mm/swap.h"
#include "mm/vma.h"
#include "mm/vmstat.h"
#include "mmsim/mmsim.h"

#define PAGE 4096u

struct fixture {
	struct mmsim_system *sys;
	struct mmsim_task *t;
	uint64_t a; /* 8 pages, private, read-write, all written */
};

static void setup(struct fixture *f, const char *policy)
{
	struct mmsim_config cfg;
	struct mmsim_error err = { 0 };

	mmsim_config_default(&cfg);
	cfg.mem_bytes = UINT64_C(16) << 20;
	cfg.swap_bytes = UINT64_C(1) << 20;
	snprintf(cfg.policy, sizeof(cfg.policy), "%s", policy);
	cr_assert_eq(mmsim_system_create(&cfg, &f->sys, &err), 0, "%s", err.msg);
	cr_assert_eq(mmsim_task_spawn(f->sys, &f->t), 0);
	cr_assert_eq(mmsim_mmap(f->t, 0, 8 * PAGE, MMSIM_PROT_READ | MMSIM_PROT_WRITE,
				MMSIM_MAP_PRIVATE | MMSIM_MAP_ANONYMOUS, &f->a),
		     0);
	for (unsigned int i = 0; i < 8; i++)
		cr_assert_eq(mmsim_access(f->t, f->a + i * PAGE, MMSIM_ACCESS_WRITE, true),
			     MMSIM_SIG_NONE);
	cr_assert_eq(mmsim_check(f->sys, &err), 0, "a correct machine: %s", err.msg);
}

static void teardown(struct fixture *f)
{
	struct mmsim_error err = { 0 };

	cr_assert_eq(mmsim_check(f->sys, &err), 0, "damage undone: %s", err.msg);
	mmsim_task_exit(f->t);
	mmsim_system_destroy(f->sys);
}

/* mmsim_check() must fail and say want. */
static void expect_fires(struct fixture *f, const char *want)
{
	struct mmsim_error err = { 0 };

	cr_assert_eq(mmsim_check(f->sys, &err), -EFAULT, "the check did not fire (want '%s')",
		     want);
	cr_assert(strstr(err.msg, want) != NULL, "want '%s' in: %s", want, err.msg);
}

struct pte_find {
	paddr_t addr;
};

static void found(void *ctx, vaddr_t va, paddr_t pte_addr, uint64_t pte)
{
	(void)va;
	(void)pte;
	((struct pte_find *)ctx)->addr = pte_addr;
}

static paddr_t pte_of(struct fixture *f, uint64_t va)
{
	struct pte_find pf = { 0 };

	pgtable_for_each_pte(&f->sys->core, f->t->mm, va, va + PAGE, found, &pf);
	cr_assert_neq(pf.addr, 0, "no PTE for %#llx", (unsigned long long)va);
	return pf.addr;
}

static struct page *page_of(struct fixture *f, uint64_t va)
{
	uint64_t e = physmem_read64(&f->sys->pm, pte_of(f, va));

	return pgdat_page(f->sys->pgdat, x86_pte_pfn(e, f->sys->cpu.maxphyaddr));
}

Test(check_fires, pte_naming_a_free_frame)
{
	struct fixture f;
	paddr_t pa;
	uint64_t old;
	pfn_t free_pfn = 0;

	setup(&f, "linux");
	for (pfn_t p = f.sys->pgdat->nr_pfns - 1; p > 0 && !free_pfn; p--)
		if (page_flag_test(pgdat_page(f.sys->pgdat, p), PG_BUDDY))
			free_pfn = p;
	cr_assert_neq(free_pfn, 0);
	pa = pte_of(&f, f.a);
	old = physmem_read64(&f.sys->pm, pa);
	physmem_write64(&f.sys->pm, pa,
			(old & ~x86_pte_addr_mask(f.sys->cpu.maxphyaddr)) |
				((uint64_t)free_pfn << 12));
	expect_fires(&f, "which is not a user page");
	physmem_write64(&f.sys->pm, pa, old);
	teardown(&f);
}

Test(check_fires, mapcount_off_by_one)
{
	struct fixture f;
	struct page *pg;

	setup(&f, "linux");
	pg = page_of(&f, f.a + 3 * PAGE);
	pg->mapcount++;
	expect_fires(&f, "mapcount 2 refcount");
	pg->mapcount--;
	teardown(&f);
}

/* A mapped file page names its page-cache slot: (mapping, index) must be the slot the PTE's
 * address maps to through the VMA's pgoff, and the slot must hold the page. */
Test(check_fires, file_page_index_or_slot_wrong)
{
	struct fixture f;
	struct page *pg;
	uint64_t m, index;
	pfn_t pfn, *slot;
	void *mapping;

	setup(&f, "linux");
	cr_assert_eq(mmsim_file_create(f.sys, "f", 8), 0);
	/* Pages 2..5 of the file at m: page 3 of the mapping is file index 5. */
	cr_assert_eq(
		mmsim_mmap_file(f.t, 0, 4 * PAGE, MMSIM_PROT_READ, MMSIM_MAP_SHARED, "f", 2, &m),
		0);
	cr_assert_eq(mmsim_access(f.t, m + 3 * PAGE, MMSIM_ACCESS_READ, true), MMSIM_SIG_NONE);
	pg = page_of(&f, m + 3 * PAGE);
	cr_assert_eq(pg->index, 5);
	index = pg->index;
	pg->index = 4;
	expect_fires(&f, "maps index 5 of its mapping (pgoff 2), but pfn");
	pg->index = index;
	/* The slot holds another frame: its neighbour's. */
	pfn = x86_pte_pfn(physmem_read64(&f.sys->pm, pte_of(&f, m + 3 * PAGE)),
			  f.sys->cpu.maxphyaddr);
	slot = &((struct shmem_obj *)pg->mapping)->pages[5];
	cr_assert_eq(*slot, pfn);
	*slot = ((struct shmem_obj *)pg->mapping)->pages[4];
	expect_fires(&f, "at index 5, but the page-cache slot holds");
	*slot = pfn;
	/* The page names another mapping. */
	mapping = pg->mapping;
	pg->mapping = NULL;
	expect_fires(&f, "of mapping (nil), but its VMA maps object");
	pg->mapping = mapping;
	teardown(&f);
}

Test(check_fires, rss_counter_off)
{
	struct fixture f;

	setup(&f, "linux");
	f.t->mm->rss_anon++;
	expect_fires(&f, "rss_anon 9");
	f.t->mm->rss_anon--;
	teardown(&f);
}

Test(check_fires, zero_page_mapped_writable)
{
	struct fixture f;
	uint64_t b, old;
	paddr_t pa;

	setup(&f, "linux");
	cr_assert_eq(mmsim_mmap(f.t, 0, PAGE, MMSIM_PROT_READ | MMSIM_PROT_WRITE,
				MMSIM_MAP_PRIVATE | MMSIM_MAP_ANONYMOUS, &b),
		     0);
	cr_assert_eq(mmsim_access(f.t, b, MMSIM_ACCESS_READ, true), MMSIM_SIG_NONE);
	pa = pte_of(&f, b);
	old = physmem_read64(&f.sys->pm, pa);
	physmem_write64(&f.sys->pm, pa, old | X86_PTE_RW);
	expect_fires(&f, "the zero page is mapped writable");
	physmem_write64(&f.sys->pm, pa, old);
	teardown(&f);
}

Test(check_fires, user_page_mapped_supervisor_only)
{
	struct fixture f;
	uint64_t old;
	paddr_t pa;

	setup(&f, "linux");
	pa = pte_of(&f, f.a + PAGE);
	old = physmem_read64(&f.sys->pm, pa);
	physmem_write64(&f.sys->pm, pa, old & ~X86_PTE_US);
	expect_fires(&f, "user page mapped supervisor-only");
	physmem_write64(&f.sys->pm, pa, old);
	teardown(&f);
}

Test(check_fires, overlapping_vmas)
{
	struct fixture f;
	struct vma *hi;
	uint64_t b;

	setup(&f, "linux");
	/* Read-only below the read-write region: two VMAs that cannot merge. */
	cr_assert_eq(mmsim_mmap(f.t, f.a - 4 * PAGE, 4 * PAGE, MMSIM_PROT_READ,
				MMSIM_MAP_PRIVATE | MMSIM_MAP_ANONYMOUS | MMSIM_MAP_FIXED, &b),
		     0);
	hi = f.t->mm->vma_first;
	while (hi && hi->start != f.a)
		hi = hi->next;
	cr_assert_not_null(hi);
	hi->start -= PAGE;
	expect_fires(&f, "overlaps the one before");
	hi->start += PAGE;
	teardown(&f);
}

Test(check_fires, nr_vmas_wrong)
{
	struct fixture f;

	setup(&f, "linux");
	f.t->mm->nr_vmas++;
	expect_fires(&f, "on the list");
	f.t->mm->nr_vmas--;
	teardown(&f);
}

Test(check_fires, vmpte_count_wrong)
{
	struct fixture f;

	setup(&f, "linux");
	f.t->mm->pgtables_pages++;
	expect_fires(&f, "VmPTE counts");
	f.t->mm->pgtables_pages--;
	teardown(&f);
}

Test(check_fires, swap_free_count_wrong)
{
	struct fixture f;

	setup(&f, "linux");
	cr_assert_not_null(f.sys->core.swap);
	f.sys->core.swap->nr_free--;
	expect_fires(&f, "slots free, nr_free says");
	f.sys->core.swap->nr_free++;
	teardown(&f);
}

Test(check_fires, linux_lru_count_wrong)
{
	struct fixture f;

	setup(&f, "linux");
	f.sys->core.policy->nr_pages++;
	expect_fires(&f, "linux: lists hold");
	f.sys->core.policy->nr_pages--;
	teardown(&f);
}

/* The shadow shrinker's list holds exactly the nodes workingset_nodes counts. */
Test(check_fires, shadow_node_count_wrong)
{
	struct fixture f;

	setup(&f, "linux");
	f.sys->pgdat->vmstat[VMSTAT_WORKINGSET_NODES]++;
	expect_fires(&f, "0 shadow nodes on the shrinker's list, but workingset_nodes is 1");
	f.sys->pgdat->vmstat[VMSTAT_WORKINGSET_NODES]--;
	teardown(&f);
}

Test(check_fires, fifo_list_count_wrong)
{
	struct fixture f;

	setup(&f, "fifo");
	f.sys->core.policy->nr_pages--;
	expect_fires(&f, "fifo: 8 pages on the list, 7 counted");
	f.sys->core.policy->nr_pages++;
	teardown(&f);
}

Test(check_fires, totalram_wrong)
{
	struct fixture f;

	setup(&f, "linux");
	f.sys->pgdat->totalram_pages++;
	expect_fires(&f, "totalram_pages");
	f.sys->pgdat->totalram_pages--;
	teardown(&f);
}
