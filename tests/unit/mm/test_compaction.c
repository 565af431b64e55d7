/*
 * tests/unit/mm/test_compaction.c: compaction (mm/compaction.c): fragmented free memory
 * becomes large blocks, migrated pages keep their contents and every mapping (PTEs
 * rewritten, the old frames freed), and the free scanner's pages go back to the buddy.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "kernel/check.h"
#include "kernel/system.h"
#include "mm/buddy.h"
#include "mm/check.h"
#include "mm/compaction.h"
#include "mm/core.h"
#include "mm/page.h"
#include "mm/pgdat.h"
#include "mm/vmstat.h"
#include "mm/zone.h"
#include "mmsim/mmsim.h"

#define PAGE 4096u
#define RW (MMSIM_PROT_READ | MMSIM_PROT_WRITE)
#define PRIV (MMSIM_MAP_PRIVATE | MMSIM_MAP_ANONYMOUS)
#define NPAGES 3328u /* nearly all of the 16 MiB */

static struct mmsim_system *boot(void)
{
	struct mmsim_config c;
	struct mmsim_system *s;
	struct mmsim_error e = { 0 };

	mmsim_config_default(&c);
	c.mem_bytes = UINT64_C(16) << 20;
	c.swap_bytes = 0;
	c.data_mode = true;
	c.paranoid = true;
	cr_assert_eq(mmsim_system_create(&c, &s, &e), 0, "%s", e.msg);
	return s;
}

/* Pages waiting on the zones' per-CPU lists (mm/pcp.c): free, but not in NR_FREE_PAGES. */
static uint64_t pcp_pages(const struct pgdat *pgdat)
{
	uint64_t n = 0;

	for (unsigned int t = 0; t < ZONE_NR_TYPES; t++)
		n += pgdat->zones[t].pcp.count;
	return n;
}

static int max_order(struct mmsim_system *s)
{
	int best = -1;

	for (unsigned int t = 0; t < ZONE_NR_TYPES; t++) {
		int o = buddy_max_free_order(&s->pgdat->zones[t]);

		if (o > best)
			best = o;
	}
	return best;
}

Test(compaction, every_other_page_freed_then_compacted_gives_large_blocks)
{
	struct mmsim_system *s = boot();
	struct mmsim_task *p;
	struct check_report why = { { 0 } };
	uint64_t a = 0, migrated, free_before;
	char buf[16];
	int before;

	cr_assert_eq(mmsim_task_spawn(s, &p), 0);
	cr_assert_eq(mmsim_mmap(p, 0, NPAGES * PAGE, RW, PRIV, &a), 0);
	/* The page tables first, together: they cannot move. */
	for (unsigned int i = 0; i < NPAGES; i += 512)
		cr_assert_eq(mmsim_access(p, a + i * PAGE, MMSIM_ACCESS_WRITE, true),
			     MMSIM_SIG_NONE);
	for (unsigned int i = 0; i < NPAGES; i++) {
		memset(buf, 0, sizeof(buf));
		snprintf(buf, sizeof(buf), "page %u", i);
		cr_assert_eq(mmsim_write(p, a + i * PAGE, buf, sizeof(buf)), MMSIM_SIG_NONE);
	}
	for (unsigned int i = 0; i < NPAGES; i += 2)
		cr_assert_eq(mmsim_madvise(p, a + i * PAGE, PAGE, MMSIM_MADV_DONTNEED), 0);
	before = max_order(s);
	free_before = s->pgdat->vmstat[VMSTAT_NR_FREE_PAGES] + pcp_pages(s->pgdat);
	migrated = mmsim_compact_memory(s);
	cr_expect_gt(migrated, 0);
	cr_expect_eq(s->pgdat->vmstat[VMSTAT_PGMIGRATE_SUCCESS], migrated);
	cr_expect_lt(before, 9, "max free order %d before", before);
	cr_expect_geq(max_order(s), 9, "max free order %d after", max_order(s));
	/* Migration moves pages; it neither takes nor leaves free memory (the sources it
	 * frees may wait on the per-CPU lists, outside NR_FREE_PAGES). */
	cr_expect_eq(s->pgdat->vmstat[VMSTAT_NR_FREE_PAGES] + pcp_pages(s->pgdat), free_before);
	for (unsigned int i = 1; i < NPAGES; i += 2) {
		char want[16] = { 0 };

		snprintf(want, sizeof(want), "page %u", i);
		cr_assert_eq(mmsim_read(p, a + i * PAGE, buf, sizeof(buf)), MMSIM_SIG_NONE);
		cr_assert_eq(memcmp(buf, want, sizeof(buf)), 0, "page %u after compaction", i);
	}
	cr_assert_eq(kernel_check_all(s, &why), 0, "%s", why.reason);
	mmsim_task_exit(p);
	mmsim_system_destroy(s);
}

Test(compaction, pages_shared_by_a_fork_move_in_both_processes)
{
	struct mmsim_system *s = boot();
	struct mmsim_task *p, *q;
	struct check_report why = { { 0 } };
	uint64_t a = 0;
	char buf[16];

	cr_assert_eq(mmsim_task_spawn(s, &p), 0);
	cr_assert_eq(mmsim_mmap(p, 0, 512 * PAGE, RW, PRIV, &a), 0);
	for (unsigned int i = 0; i < 512; i++) {
		memset(buf, 0, sizeof(buf));
		snprintf(buf, sizeof(buf), "shared %u", i);
		cr_assert_eq(mmsim_write(p, a + i * PAGE, buf, sizeof(buf)), MMSIM_SIG_NONE);
	}
	cr_assert_eq(mmsim_task_fork(p, &q), 0);
	for (unsigned int i = 0; i < 512; i += 2)
		cr_assert_eq(mmsim_madvise(p, a + i * PAGE, PAGE, MMSIM_MADV_DONTNEED), 0);
	mmsim_compact_memory(s);
	cr_assert_eq(kernel_check_all(s, &why), 0, "%s", why.reason);
	for (unsigned int i = 1; i < 512; i += 2) {
		char want[16] = { 0 };

		snprintf(want, sizeof(want), "shared %u", i);
		cr_assert_eq(mmsim_read(q, a + i * PAGE, buf, sizeof(buf)), MMSIM_SIG_NONE);
		cr_assert_eq(memcmp(buf, want, sizeof(buf)), 0, "child page %u", i);
		cr_assert_eq(mmsim_read(p, a + i * PAGE, buf, sizeof(buf)), MMSIM_SIG_NONE);
		cr_assert_eq(memcmp(buf, want, sizeof(buf)), 0, "parent page %u", i);
	}
	mmsim_task_exit(q);
	mmsim_task_exit(p);
	mmsim_system_destroy(s);
}

/* Page-cache pages of regular files move (folio_migrate_mapping()): every byte written
 * through a shared mapping reads back after compaction, and msync writes the moved pages'
 * bytes to the file, which a fresh mapping reads back from it. */
Test(compaction, file_pages_keep_their_bytes_and_are_written_back_from_their_new_frames)
{
	struct mmsim_system *s = boot();
	struct mmsim_task *p;
	struct check_report why = { { 0 } };
	uint64_t a[13] = { 0 }, written = 0;
	char name[8], buf[16];

	cr_assert_eq(mmsim_task_spawn(s, &p), 0);
	for (unsigned int f = 0; f < 13; f++) {
		snprintf(name, sizeof(name), "f%u", f);
		cr_assert_eq(mmsim_file_create(s, name, 256), 0);
		cr_assert_eq(
			mmsim_mmap_file(p, 0, 256 * PAGE, RW, MMSIM_MAP_SHARED, name, 0, &a[f]), 0);
	}
	/* The even files are written; the odd ones leave holes between them. */
	for (unsigned int f = 0; f < 13; f += 2) {
		for (unsigned int i = 0; i < 256; i++) {
			memset(buf, 0, sizeof(buf));
			snprintf(buf, sizeof(buf), "f%u page %u", f, i);
			cr_assert_eq(mmsim_write(p, a[f] + i * PAGE, buf, sizeof(buf)),
				     MMSIM_SIG_NONE);
		}
	}
	for (unsigned int f = 1; f < 13; f += 2) {
		snprintf(name, sizeof(name), "f%u", f);
		cr_assert_eq(mmsim_munmap(p, a[f], 256 * PAGE), 0);
		cr_assert_eq(mmsim_file_drop_cache(s, name, NULL), 0);
	}
	cr_expect_gt(mmsim_compact_memory(s), 0);
	cr_assert_eq(kernel_check_all(s, &why), 0, "%s", why.reason);
	for (unsigned int f = 0; f < 13; f += 2) {
		for (unsigned int i = 0; i < 256; i++) {
			char want[16] = { 0 };

			snprintf(want, sizeof(want), "f%u page %u", f, i);
			cr_assert_eq(mmsim_read(p, a[f] + i * PAGE, buf, sizeof(buf)),
				     MMSIM_SIG_NONE);
			cr_assert_eq(memcmp(buf, want, sizeof(buf)), 0, "f%u page %u", f, i);
		}
		cr_assert_eq(mmsim_msync(p, a[f], 256 * PAGE, &written), 0);
		/* Gone from the cache, read back from the file. */
		snprintf(name, sizeof(name), "f%u", f);
		cr_assert_eq(mmsim_munmap(p, a[f], 256 * PAGE), 0);
		mmsim_file_drop_cache(s, name, NULL);
		cr_assert_eq(
			mmsim_mmap_file(p, 0, 256 * PAGE, RW, MMSIM_MAP_SHARED, name, 0, &a[f]), 0);
		for (unsigned int i = 0; i < 256; i++) {
			char want[16] = { 0 };

			snprintf(want, sizeof(want), "f%u page %u", f, i);
			cr_assert_eq(mmsim_read(p, a[f] + i * PAGE, buf, sizeof(buf)),
				     MMSIM_SIG_NONE);
			cr_assert_eq(memcmp(buf, want, sizeof(buf)), 0, "f%u page %u from the file",
				     f, i);
		}
	}
	cr_assert_eq(kernel_check_all(s, &why), 0, "%s", why.reason);
	mmsim_task_exit(p);
	mmsim_system_destroy(s);
}

/* folio_migrate_flags(): a page on the active list is on the active list after it moves,
 * and keeps PG_referenced (the default policy, linux, keeps both LRUs). The lowest
 * anonymous page of the zone is activated as folio_activate() does (off the LRU, PG_active,
 * back on), so compaction, which starts there, moves it. */
Test(compaction, an_active_page_stays_active_and_referenced)
{
	struct mmsim_system *s = boot();
	struct mm_core *core = &s->core;
	struct mmsim_task *p;
	struct check_report why = { { 0 } };
	uint64_t a = 0;
	struct page *pg = NULL;
	pfn_t pfn, before;

	cr_assert_eq(mmsim_task_spawn(s, &p), 0);
	cr_assert_eq(mmsim_mmap(p, 0, NPAGES * PAGE, RW, PRIV, &a), 0);
	for (unsigned int i = 0; i < NPAGES; i += 512)
		cr_assert_eq(mmsim_access(p, a + i * PAGE, MMSIM_ACCESS_WRITE, true),
			     MMSIM_SIG_NONE);
	for (unsigned int i = 0; i < NPAGES; i++)
		cr_assert_eq(mmsim_access(p, a + i * PAGE, MMSIM_ACCESS_WRITE, true),
			     MMSIM_SIG_NONE);
	for (unsigned int i = 0; i < NPAGES; i += 2)
		cr_assert_eq(mmsim_madvise(p, a + i * PAGE, PAGE, MMSIM_MADV_DONTNEED), 0);
	for (pfn = 0; pfn < s->pgdat->nr_pfns; pfn++) {
		pg = core_page(core, pfn);
		if (page_flag_test(pg, PG_ANON) && page_flag_test(pg, PG_LRU))
			break;
	}
	cr_assert_lt(pfn, s->pgdat->nr_pfns);
	before = pfn;
	core_lru_del(core, pg);
	page_flag_set(pg, PG_ACTIVE);
	page_flag_set(pg, PG_REFERENCED);
	core_lru_add(core, pg);
	cr_assert_eq(s->pgdat->vmstat[VMSTAT_NR_ACTIVE_ANON], 1);
	cr_assert_gt(mmsim_compact_memory(s), 0);
	cr_assert_eq(kernel_check_all(s, &why), 0, "%s", why.reason);
	cr_expect_eq(s->pgdat->vmstat[VMSTAT_NR_ACTIVE_ANON], 1);
	for (pfn = 0; pfn < s->pgdat->nr_pfns; pfn++) {
		pg = core_page(core, pfn);
		if (page_flag_test(pg, PG_ACTIVE))
			break;
	}
	cr_assert_lt(pfn, s->pgdat->nr_pfns, "no active page left");
	cr_expect_neq(pfn, before, "the active page did not move");
	cr_expect(page_flag_test(pg, PG_REFERENCED));
	mmsim_task_exit(p);
	mmsim_system_destroy(s);
}
