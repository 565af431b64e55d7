/*
 * tests/unit/mm/test_khugepaged.c: khugepaged (mm/khugepaged.c): which processes it lists,
 * that a collapse keeps every byte (data mode), and that nothing runs while it is idle.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "kernel/check.h"
#include "kernel/system.h"
#include "mm/check.h"
#include "mm/huge_memory.h"
#include "mm/khugepaged.h"
#include "mm/pgdat.h"
#include "mm/vmstat.h"
#include "mmsim/mmsim.h"

#define PAGE 4096u
#define RW (MMSIM_PROT_READ | MMSIM_PROT_WRITE)
#define PRIV (MMSIM_MAP_PRIVATE | MMSIM_MAP_ANONYMOUS)

static struct mmsim_system *boot(const char *thp, bool data)
{
	struct mmsim_config c;
	struct mmsim_system *s;
	struct mmsim_error e = { 0 };

	mmsim_config_default(&c);
	c.paranoid = true;
	c.data_mode = data;
	cr_assert_eq(mmsim_config_set(&c, "thp", thp, &e), 0, "%s", e.msg);
	cr_assert_eq(mmsim_system_create(&c, &s, &e), 0, "%s", e.msg);
	return s;
}

Test(khugepaged, lists_processes_with_eligible_vmas_only)
{
	struct mmsim_system *s = boot("madvise", false);
	struct mmsim_task *p, *q;
	uint64_t a = 0;

	cr_assert_eq(mmsim_task_spawn(s, &p), 0);
	cr_assert_eq(mmsim_mmap(p, 0, 512 * PAGE, RW, PRIV, &a), 0);
	cr_expect_eq(khugepaged_nr_mms(&s->core), 0, "no MADV_HUGEPAGE yet");
	cr_expect_eq(s->core.khugepaged_due, UINT64_MAX);
	cr_assert_eq(mmsim_madvise(p, a, 512 * PAGE, MMSIM_MADV_HUGEPAGE), 0);
	cr_expect_eq(khugepaged_nr_mms(&s->core), 1);
	cr_assert_eq(mmsim_madvise(p, a, 512 * PAGE, MMSIM_MADV_HUGEPAGE), 0);
	cr_expect_eq(khugepaged_nr_mms(&s->core), 1, "listed once");
	cr_assert_eq(mmsim_task_fork(p, &q), 0);
	cr_expect_eq(khugepaged_nr_mms(&s->core), 2, "khugepaged_fork()");
	mmsim_task_exit(p);
	cr_expect_eq(khugepaged_nr_mms(&s->core), 1);
	mmsim_task_exit(q);
	cr_expect_eq(khugepaged_nr_mms(&s->core), 0);
	cr_expect_eq(s->core.khugepaged_due, UINT64_MAX, "idle again");
	cr_expect_eq(mmsim_sleep(s, 100000), 0);
	cr_expect_eq(mmsim_sleep(s, MMSIM_SLEEP_MAX_MS + 1), -EINVAL);
	mmsim_system_destroy(s);
}

Test(khugepaged, a_collapse_keeps_every_byte)
{
	struct mmsim_system *s = boot("madvise", true);
	struct mmsim_task *p;
	struct mmsim_task_stats st;
	struct check_report why = { { 0 } };
	uint64_t a = 0;
	char buf[16];

	cr_assert_eq(mmsim_task_spawn(s, &p), 0);
	cr_assert_eq(mmsim_mmap(p, 0, 512 * PAGE, RW, PRIV, &a), 0);
	for (unsigned int i = 0; i < 512; i += 7) {
		memset(buf, 0, sizeof(buf));
		snprintf(buf, sizeof(buf), "page %u", i);
		cr_assert_eq(mmsim_write(p, a + i * PAGE + 100, buf, sizeof(buf)), MMSIM_SIG_NONE);
	}
	/* A read of an untouched page maps the zero page: it must read zeros afterwards. */
	cr_assert_eq(mmsim_read(p, a + 3 * PAGE, buf, sizeof(buf)), MMSIM_SIG_NONE);
	cr_assert_eq(mmsim_madvise(p, a, 512 * PAGE, MMSIM_MADV_HUGEPAGE), 0);
	cr_assert_eq(mmsim_sleep(s, 1), 0);
	cr_assert_eq(s->pgdat->vmstat[VMSTAT_THP_COLLAPSE_ALLOC], 1);
	mmsim_task_stats(p, &st);
	cr_expect_eq(st.anon_huge_kb, 2048);
	cr_expect_eq(st.rss_kb, 2048);
	for (unsigned int i = 0; i < 512; i++) {
		char want[16] = { 0 };

		if (i % 7 == 0)
			snprintf(want, sizeof(want), "page %u", i);
		cr_assert_eq(mmsim_read(p, a + i * PAGE + 100, buf, sizeof(buf)), MMSIM_SIG_NONE);
		cr_assert_eq(memcmp(buf, want, sizeof(buf)), 0, "page %u after the collapse", i);
	}
	cr_assert_eq(kernel_check_all(s, &why), 0, "%s", why.reason);
	mmsim_task_exit(p);
	mmsim_system_destroy(s);
}
