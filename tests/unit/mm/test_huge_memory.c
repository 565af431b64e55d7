/*
 * tests/unit/mm/test_huge_memory.c: transparent huge pages (mm/huge_memory.c): the settings'
 * names, the PMD leaf a THP fault writes (PS, the order-9 head page, its counts), the
 * deposited table, the 4 KiB view of a leaf, the split into 512 pages, and the 2 MiB TLB
 * entry the walker then caches. Each test boots its own small machine.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>

#include "arch/x86_64/physmem.h"
#include "arch/x86_64/pte.h"
#include "kernel/check.h"
#include "mm/check.h"
#include "kernel/system.h"
#include "mm/huge_memory.h"
#include "mm/page.h"
#include "mm/pgdat.h"
#include "mm/pgtable.h"
#include "mm/vmstat.h"
#include "mmsim/mmsim.h"

#define PAGE 4096u
#define RW (MMSIM_PROT_READ | MMSIM_PROT_WRITE)
#define PRIV (MMSIM_MAP_PRIVATE | MMSIM_MAP_ANONYMOUS)

static struct mmsim_system *boot(const char *thp)
{
	struct mmsim_config c;
	struct mmsim_system *s;
	struct mmsim_error e = { 0 };

	mmsim_config_default(&c);
	c.paranoid = true;
	cr_assert_eq(mmsim_config_set(&c, "thp", thp, &e), 0, "%s", e.msg);
	cr_assert_eq(mmsim_system_create(&c, &s, &e), 0, "%s", e.msg);
	return s;
}

static void check_all(struct mmsim_system *s)
{
	struct check_report why = { { 0 } };

	cr_assert_eq(kernel_check_all(s, &why), 0, "%s", why.reason);
}

/* A 2 MiB-aligned mapping of 512 pages (a multiple of 2 MiB is aligned by mmap). */
static uint64_t map_huge(struct mmsim_task *t, bool madvise)
{
	uint64_t a = 0;

	cr_assert_eq(mmsim_mmap(t, 0, 512 * PAGE, RW, PRIV, &a), 0);
	cr_assert_eq(a & (HPAGE_PMD_SIZE - 1), 0);
	if (madvise)
		cr_assert_eq(mmsim_madvise(t, a, 512 * PAGE, MMSIM_MADV_HUGEPAGE), 0);
	return a;
}

static uint64_t read_pmd(struct mmsim_system *s, struct mmsim_task *t, uint64_t va)
{
	paddr_t ea;

	cr_assert_eq(pgtable_pmd_addr(&s->core, t->mm, va, false, &ea), 0);
	return physmem_read64(&s->pm, ea);
}

Test(huge_memory, setting_names_round_trip)
{
	enum thp_enabled e;
	enum thp_defrag d;

	for (unsigned int i = 0; thp_enabled_name(i); i++) {
		cr_assert_eq(thp_enabled_parse(thp_enabled_name(i), &e), 0);
		cr_expect_eq((unsigned int)e, i);
	}
	for (unsigned int i = 0; thp_defrag_name(i); i++) {
		cr_assert_eq(thp_defrag_parse(thp_defrag_name(i), &d), 0);
		cr_expect_eq((unsigned int)d, i);
	}
	cr_expect_str_eq(thp_defrag_name(THP_DEFRAG_DEFER_MADVISE), "defer+madvise");
	cr_expect_eq(thp_enabled_parse("Always", &e), -EINVAL);
	cr_expect_eq(thp_defrag_parse("defer+", &d), -EINVAL);
	cr_expect_null(thp_enabled_name(3));
	cr_expect_null(thp_defrag_name(5));
}

Test(huge_memory, config_default_is_madvise_and_bad_values_are_refused)
{
	struct mmsim_config c;
	struct mmsim_error e = { 0 };

	mmsim_config_default(&c);
	cr_expect_str_eq(c.thp, "madvise");
	cr_expect_str_eq(c.defrag, "madvise");
	cr_expect_eq(mmsim_config_set(&c, "thp", "sometimes", &e), -EINVAL);
	cr_expect(strstr(e.msg, "always, madvise or never"), "%s", e.msg);
	cr_expect_eq(mmsim_config_set(&c, "defrag", "defer+madvise", &e), 0);
	cr_expect_str_eq(c.defrag, "defer+madvise");
}

Test(huge_memory, a_write_fault_maps_an_order_9_page_by_a_pmd_leaf)
{
	struct mmsim_system *s = boot("madvise");
	struct mmsim_task *t;
	uint64_t a, pmd, pte;
	struct page *head;
	pfn_t pfn;

	cr_assert_eq(mmsim_task_spawn(s, &t), 0);
	a = map_huge(t, true);
	cr_assert_eq(mmsim_access(t, a + 5 * PAGE, MMSIM_ACCESS_WRITE, true), MMSIM_SIG_NONE);
	pmd = read_pmd(s, t, a);
	cr_expect(x86_pte_present(pmd) && (pmd & X86_PTE_PS) && x86_pte_writable(pmd) &&
		  x86_pte_dirty(pmd) && x86_pte_user(pmd) && x86_pte_xd(pmd));
	pfn = x86_pte_pfn(pmd, s->cpu.maxphyaddr);
	cr_expect_eq(pfn & (HPAGE_PMD_NR - 1), 0, "the huge page is 2 MiB aligned");
	head = pgdat_page(s->pgdat, pfn);
	cr_expect(huge_page_is_thp(head));
	cr_expect_eq(head->mapcount, 1);
	cr_expect_eq(head->refcount, 1);
	cr_expect(page_flag_test(head, PG_ANON_EXCLUSIVE));
	cr_expect(page_flag_test(pgdat_page(s->pgdat, pfn + 511), PG_TAIL));
	/* The 4 KiB view of the leaf: page 7 of the huge page, same rights, no PS. */
	pte = pgtable_read_pte(&s->core, t->mm, a + 7 * PAGE);
	cr_expect_eq(x86_pte_pfn(pte, s->cpu.maxphyaddr), pfn + 7);
	cr_expect_eq(pte & X86_PTE_PS, 0);
	cr_expect(x86_pte_writable(pte));
	/* No PTE below a leaf. */
	{
		paddr_t ea;

		cr_expect_eq(pgtable_pte_addr(&s->core, t->mm, a, false, &ea), -EEXIST);
	}
	cr_expect_eq(s->pgdat->vmstat[VMSTAT_NR_ANON_MAPPED], HPAGE_PMD_NR);
	cr_expect_eq(s->pgdat->vmstat[VMSTAT_NR_ANON_THPS], 1);
	cr_expect_eq(s->core.nr_user_pages, HPAGE_PMD_NR);
	check_all(s);
	mmsim_task_exit(t);
	cr_expect_eq(s->core.nr_user_pages, 0);
	cr_expect_eq(s->pgdat->vmstat[VMSTAT_NR_ANON_THPS], 0);
	mmsim_system_destroy(s);
}

Test(huge_memory, the_tlb_caches_one_2m_entry_for_the_whole_page)
{
	struct mmsim_system *s = boot("always");
	struct mmsim_task *t;
	uint64_t a, walks0, walks1, misses;

	cr_assert_eq(mmsim_task_spawn(s, &t), 0);
	a = map_huge(t, false);
	cr_assert_eq(mmsim_access(t, a, MMSIM_ACCESS_WRITE, true), MMSIM_SIG_NONE);
	cr_assert_eq(mmsim_counter(s, "page_walks", &walks0), 0);
	for (unsigned int i = 1; i < 512; i++)
		cr_assert_eq(mmsim_access(t, a + i * PAGE, MMSIM_ACCESS_READ, true),
			     MMSIM_SIG_NONE);
	cr_assert_eq(mmsim_counter(s, "page_walks", &walks1), 0);
	cr_expect_eq(walks1, walks0, "511 reads in the same 2 MiB page walked %llu times",
		     (unsigned long long)(walks1 - walks0));
	cr_assert_eq(mmsim_counter(s, "dTLB-load-misses", &misses), 0);
	cr_expect_eq(misses, 0);
	mmsim_task_exit(t);
	mmsim_system_destroy(s);
}

Test(huge_memory, the_deposited_table_becomes_the_page_table_at_a_split)
{
	struct mmsim_system *s = boot("madvise");
	struct mmsim_task *t;
	struct mmsim_task_stats st;
	uint64_t a, pmd;
	pfn_t pfn;

	cr_assert_eq(mmsim_task_spawn(s, &t), 0);
	a = map_huge(t, true);
	cr_assert_eq(mmsim_access(t, a, MMSIM_ACCESS_WRITE, true), MMSIM_SIG_NONE);
	pfn = x86_pte_pfn(read_pmd(s, t, a), s->cpu.maxphyaddr);
	mmsim_task_stats(t, &st);
	cr_expect_eq(st.vmpte_kb, 12, "PUD, PMD and the deposited PTE table");
	cr_expect_eq(st.anon_huge_kb, 2048);
	/* munmap of the last page splits: 511 PTEs left, the table is the deposited one. */
	cr_assert_eq(mmsim_munmap(t, a + 511 * PAGE, PAGE), 0);
	pmd = read_pmd(s, t, a);
	cr_expect(x86_pte_present(pmd) && !(pmd & X86_PTE_PS));
	mmsim_task_stats(t, &st);
	cr_expect_eq(st.vmpte_kb, 12);
	cr_expect_eq(st.anon_huge_kb, 0);
	cr_expect_eq(st.rss_kb, 511 * 4);
	for (unsigned int i = 0; i < 511; i++) {
		struct page *pg = pgdat_page(s->pgdat, pfn + i);

		cr_assert(!page_flag_test(pg, PG_HEAD) && !page_flag_test(pg, PG_TAIL));
		cr_assert(page_flag_test(pg, PG_ANON) && page_flag_test(pg, PG_LRU));
		cr_assert_eq(pg->mapcount, 1);
		cr_assert_eq(pg->index, pgdat_page(s->pgdat, pfn)->index + i);
		cr_assert_eq(x86_pte_pfn(pgtable_read_pte(&s->core, t->mm, a + i * PAGE),
					 s->cpu.maxphyaddr),
			     pfn + i);
	}
	cr_expect_eq(s->pgdat->vmstat[VMSTAT_THP_SPLIT_PMD], 1);
	cr_expect_eq(s->pgdat->vmstat[VMSTAT_THP_SPLIT_PAGE], 1);
	check_all(s);
	mmsim_task_exit(t);
	mmsim_system_destroy(s);
}

Test(huge_memory, json_counters_name_thp_counters_only_once_used)
{
	struct mmsim_system *s = boot("madvise");
	struct mmsim_task *t;
	uint64_t v;

	cr_assert_eq(mmsim_task_spawn(s, &t), 0);
	/* Always readable by name, zero or not. */
	cr_expect_eq(mmsim_counter(s, "thp_fault_alloc", &v), 0);
	cr_expect_eq(v, 0);
	cr_expect(!vmstat_sparse(VMSTAT_PGFAULT));
	cr_expect(vmstat_sparse(VMSTAT_THP_FAULT_ALLOC));
	cr_expect(vmstat_sparse(VMSTAT_NR_ANON_THPS));
	mmsim_task_exit(t);
	mmsim_system_destroy(s);
}
