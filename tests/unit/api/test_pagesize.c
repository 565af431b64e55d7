/*
 * tests/unit/api/test_pagesize.c: the page-size "what if" (mmsim/experiment.h,
 * api/pagesize.c; NOT x86). Every expected figure is worked out by hand in the comments.
 */
#include <criterion/criterion.h>
#include <errno.h>

#include "mmsim/experiment.h"

/* (addr, size) pairs; one process. */
static void feed(struct mmsim_pagesize *ps, uint32_t pid)
{
	static const uint64_t acc[][2] = {
		{ 0x1000, 8 }, { 0x1008, 8 }, { 0x1040, 8 }, { 0x2000, 8 }, { 0x1fff, 2 },
	};

	for (unsigned int i = 0; i < 5; i++)
		cr_assert_eq(mmsim_pagesize_access(ps, pid, acc[i][0], (uint32_t)acc[i][1]), 0);
}

Test(pagesize, four_kib_by_hand)
{
	struct mmsim_pagesize *ps;
	struct mmsim_pagesize_result r;

	cr_assert_eq(mmsim_pagesize_create(12, &ps), 0);
	feed(ps, 1);
	mmsim_pagesize_result(ps, &r);
	cr_assert_eq(r.levels, 4);
	cr_assert_eq(r.accesses, 6, "0x1fff+2 crosses into the next page: two");
	cr_assert_eq(r.faults, 2, "pages 0x1000 and 0x2000");
	cr_assert_eq(r.table_pages, 4, "root, then one table per level below");
	cr_assert_eq(r.table_bytes, 4 * 4096);
	cr_assert_eq(r.mapped_bytes, 2 * 4096);
	/* lines 0, 1, 63 of the first page, line 0 of the second */
	cr_assert_eq(r.touched_bytes, 4 * 64);
	/* misses at 0x1000 and 0x2000 only; the first walk reads the empty root entry, the
	 * second the 3 upper levels and the empty leaf entry */
	cr_assert_eq(r.l1_misses, 2);
	cr_assert_eq(r.l2_misses, 2);
	cr_assert_eq(r.walks_steps, 1 + 4);
	mmsim_pagesize_destroy(ps);
}

Test(pagesize, sixty_four_kib_by_hand)
{
	struct mmsim_pagesize *ps;
	struct mmsim_pagesize_result r;

	cr_assert_eq(mmsim_pagesize_create(16, &ps), 0);
	feed(ps, 1);
	mmsim_pagesize_result(ps, &r);
	cr_assert_eq(r.levels, 3);
	cr_assert_eq(r.accesses, 5, "everything is in the page at 0");
	cr_assert_eq(r.faults, 1);
	cr_assert_eq(r.table_pages, 3);
	cr_assert_eq(r.table_bytes, 3 * 65536);
	cr_assert_eq(r.mapped_bytes, 65536);
	cr_assert_eq(r.touched_bytes, 4 * 64, "lines 64, 65, 127 and 128");
	cr_assert_eq(r.l1_misses, 1);
	cr_assert_eq(r.l2_misses, 1);
	cr_assert_eq(r.walks_steps, 1);
	mmsim_pagesize_destroy(ps);
}

Test(pagesize, each_process_has_its_tables)
{
	struct mmsim_pagesize *ps;
	struct mmsim_pagesize_result r;

	cr_assert_eq(mmsim_pagesize_create(13, &ps), 0);
	feed(ps, 1);
	feed(ps, 2);
	mmsim_pagesize_result(ps, &r);
	/* 8 KiB: pages 0 and 0x2000 for each process; 4 levels: 4 tables per process */
	cr_assert_eq(r.faults, 4);
	cr_assert_eq(r.table_pages, 8);
	cr_assert_eq(r.l2_misses, 4, "pid 2 does not hit pid 1's entries");
	mmsim_pagesize_destroy(ps);
}

Test(pagesize, bad_input)
{
	struct mmsim_pagesize *ps;

	cr_assert_eq(mmsim_pagesize_create(15, &ps), -EINVAL);
	cr_assert_eq(mmsim_pagesize_create(12, &ps), 0);
	cr_assert_eq(mmsim_pagesize_access(ps, 1, UINT64_C(1) << 48, 1), -EINVAL);
	cr_assert_eq(mmsim_pagesize_access(ps, 1, UINT64_MAX, 2), -EINVAL, "wraps");
	mmsim_pagesize_destroy(ps);
}
