/*
 * tests/unit/kernel/test_faults.c: Linux's fault accounting and semantics through the
 * public API, each test a fact of Linux 6.x on x86-64 (transparent huge pages off):
 * the counts are what getrusage() and /proc/PID/status report on a real machine for the
 * same sequence of system calls and accesses.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "mmsim/mmsim.h"

#define PAGE 4096u
#define RW (MMSIM_PROT_READ | MMSIM_PROT_WRITE)
#define PRIV (MMSIM_MAP_PRIVATE | MMSIM_MAP_ANONYMOUS)
#define SHARED (MMSIM_MAP_SHARED | MMSIM_MAP_ANONYMOUS)
#define ARRAY_LEN 16 /* the reference string of the future batch test */

static struct mmsim_system *boot(bool data)
{
	struct mmsim_config c;
	struct mmsim_system *s;
	struct mmsim_error e = { 0 };

	mmsim_config_default(&c);
	c.paranoid = true;
	c.data_mode = data;
	cr_assert_eq(mmsim_system_create(&c, &s, &e), 0, "%s", e.msg);
	return s;
}

/* A paranoid machine from cfg with the settings kv (name, value, ..., NULL) applied. */
static struct mmsim_system *boot_with(struct mmsim_config *cfg, const char *const *kv)
{
	struct mmsim_system *s;
	struct mmsim_error e = { 0 };

	cfg->paranoid = true;
	for (; *kv; kv += 2)
		cr_assert_eq(mmsim_config_set(cfg, kv[0], kv[1], &e), 0, "%s", e.msg);
	cr_assert_eq(mmsim_system_create(cfg, &s, &e), 0, "%s", e.msg);
	return s;
}

static struct mmsim_task_stats stats(struct mmsim_task *t)
{
	struct mmsim_task_stats st;

	mmsim_task_stats(t, &st);
	return st;
}

static uint64_t map(struct mmsim_task *t, uint64_t pages, int prot, int flags)
{
	uint64_t a = 0;

	cr_assert_eq(mmsim_mmap(t, 0, pages * PAGE, prot, flags, &a), 0);
	return a;
}

static void touch(struct mmsim_task *t, uint64_t a, uint64_t pages, enum mmsim_access k)
{
	for (uint64_t i = 0; i < pages; i++)
		cr_assert_eq(mmsim_access(t, a + i * PAGE, k, true), MMSIM_SIG_NONE, "page %llu",
			     (unsigned long long)i);
}

/* Every counter of a system, for comparing two runs (fixed order, at most 512). */
struct counters {
	unsigned int nr;
	uint64_t v[512];
};

static void note_counter(void *ctx, const char *name, uint64_t value)
{
	struct counters *c = ctx;

	(void)name;
	if (c->nr < 512)
		c->v[c->nr++] = value;
}

/* mmsim_access_batch() makes each access as mmsim_access() does, and stops after the first
 * signal (issue 15: replay hands runs of records to it). */
Test(faults, an_access_batch_is_the_same_accesses_one_by_one)
{
	struct mmsim_system *s[2] = { boot(false), boot(false) };
	struct counters c[2] = { 0 };
	enum mmsim_access kind[24];
	uint64_t va[24], base[2];
	struct mmsim_task *t[2];
	enum mmsim_signal sig;

	for (unsigned int k = 0; k < 2; k++) {
		cr_assert_eq(mmsim_task_spawn(s[k], &t[k]), 0);
		base[k] = map(t[k], 12, RW, PRIV);
		cr_assert_eq(mmsim_mprotect(t[k], base[k] + 8 * PAGE, 4 * PAGE, MMSIM_PROT_READ),
			     0);
	}
	cr_assert_eq(base[0], base[1]);
	for (unsigned int i = 0; i < 24; i++) {
		va[i] = base[0] + (i * 5 % 12) * PAGE + i * 8;
		kind[i] = MMSIM_ACCESS_READ;
	}
	/* Writes to pages 0, 3, 6, 2, 5, then 8 (read-only: SIGSEGV), then 6 again. */
	kind[0] = kind[3] = kind[6] = kind[10] = kind[13] = kind[16] = kind[18] =
		MMSIM_ACCESS_WRITE;
	for (unsigned int i = 0; i < 24; i++)
		mmsim_access(t[0], va[i], kind[i], true);
	cr_assert_eq(mmsim_access_batch(t[1], va, kind, 24, &sig), 17);
	cr_expect_eq(sig, MMSIM_SIG_SEGV_ACCERR);
	cr_assert_eq(mmsim_access_batch(t[1], va + 17, kind + 17, 7, &sig), 7);
	cr_expect_eq(sig, MMSIM_SIG_NONE);
	cr_expect_eq(mmsim_access_batch(t[1], va, kind, 0, &sig), 0);
	cr_expect_eq(sig, MMSIM_SIG_NONE);
	for (unsigned int k = 0; k < 2; k++)
		mmsim_counters_foreach(s[k], note_counter, &c[k]);
	cr_assert_eq(c[0].nr, c[1].nr);
	cr_expect_eq(memcmp(c[0].v, c[1].v, c[0].nr * sizeof(c[0].v[0])), 0);
	cr_expect_eq(stats(t[0]).minflt, stats(t[1]).minflt);
	for (unsigned int k = 0; k < 2; k++)
		mmsim_system_destroy(s[k]);
}

/* mmsim_access_batch_future() makes each access as mmsim_access_future() does with the same
 * next use: under opt with 4 frames, the victims (and so every counter) follow them. */
Test(faults, a_future_access_batch_is_the_same_accesses_one_by_one)
{
	static const unsigned int ref[] = { 1, 2, 3, 4, 1, 2, 5, 1, 2, 3, 4, 5, 6, 1, 6, 2 };
	struct mmsim_system *s[2];
	struct counters c[2] = { 0 };
	enum mmsim_access kind[ARRAY_LEN];
	uint64_t va[ARRAY_LEN], next[ARRAY_LEN], base = 0;
	struct mmsim_task *t[2];
	enum mmsim_signal sig;

	for (unsigned int k = 0; k < 2; k++) {
		static const char *const kv[] = {
			"policy", "opt", "reclaim", "demand", "frames", "4", "swap", "16M", NULL,
		};
		struct mmsim_config cfg;

		mmsim_config_default(&cfg);
		s[k] = boot_with(&cfg, kv);
		cr_assert_eq(mmsim_task_spawn(s[k], &t[k]), 0);
		base = map(t[k], 8, RW, PRIV);
	}
	for (unsigned int i = 0; i < ARRAY_LEN; i++) {
		va[i] = base + ref[i] * PAGE;
		kind[i] = MMSIM_ACCESS_WRITE;
		next[i] = UINT64_MAX;
		for (unsigned int j = i + 1; j < ARRAY_LEN; j++) {
			if (ref[j] == ref[i]) {
				next[i] = j;
				break;
			}
		}
	}
	for (unsigned int i = 0; i < ARRAY_LEN; i++)
		cr_assert_eq(mmsim_access_future(t[0], va[i], kind[i], true, next[i]),
			     MMSIM_SIG_NONE);
	cr_assert_eq(mmsim_access_batch_future(t[1], va, kind, next, 5, &sig), 5);
	cr_assert_eq(
		mmsim_access_batch_future(t[1], va + 5, kind + 5, next + 5, ARRAY_LEN - 5, &sig),
		ARRAY_LEN - 5);
	cr_expect_eq(sig, MMSIM_SIG_NONE);
	for (unsigned int k = 0; k < 2; k++)
		mmsim_counters_foreach(s[k], note_counter, &c[k]);
	cr_assert_eq(c[0].nr, c[1].nr);
	cr_expect_eq(memcmp(c[0].v, c[1].v, c[0].nr * sizeof(c[0].v[0])), 0);
	for (unsigned int k = 0; k < 2; k++) {
		uint64_t major;

		/* Belady's MIN with 4 frames: 6 first touches and one swap-in (4, at 10). */
		cr_assert_eq(mmsim_counter(s[k], "pgmajfault", &major), 0);
		cr_expect_eq(major, 1);
		mmsim_system_destroy(s[k]);
	}
}

/* A batch of TLB hits during which khugepaged becomes due: khugepaged runs after the same
 * access as with one call per access (mmsim_access_batch() skips the per-access checks only
 * while they are known to find nothing; issue 15). */
Test(faults, an_access_batch_runs_khugepaged_at_the_same_access)
{
	enum { N = 5000 };
	struct mmsim_system *s[2];
	struct counters c[2] = { 0 };
	static enum mmsim_access kind[N];
	static uint64_t va[N];
	uint64_t base[2], collapsed[2], before;
	struct mmsim_task *t[2];
	enum mmsim_signal sig;

	for (unsigned int k = 0; k < 2; k++) {
		static const char *const kv[] = { "thp", "madvise", NULL };
		struct mmsim_config cfg;

		mmsim_config_default(&cfg);
		cfg.khugepaged_scan_sleep_ms = 1;   /* a scan every 1000 accesses */
		cfg.khugepaged_pages_to_scan = 512; /* of one 2 MiB range */
		s[k] = boot_with(&cfg, kv);
		cr_assert_eq(mmsim_task_spawn(s[k], &t[k]), 0);
		base[k] = map(t[k], 2048, RW, PRIV);
		for (unsigned int p = 0; p < 2048; p += 256)
			cr_assert_eq(
				mmsim_access(t[k], base[k] + p * PAGE, MMSIM_ACCESS_WRITE, true),
				MMSIM_SIG_NONE);
		cr_assert_eq(mmsim_madvise(t[k], base[k], 2048 * PAGE, MMSIM_MADV_HUGEPAGE), 0);
	}
	cr_assert_eq(base[0], base[1]);
	cr_assert_eq(mmsim_counter(s[0], "thp_collapse_alloc", &before), 0);
	/* Mostly hits on the eight pages written, a write now and then. */
	for (unsigned int i = 0; i < N; i++) {
		va[i] = base[0] + (i * 7 % 8) * 256 * PAGE + (i % 512) * 8;
		kind[i] = i % 97 ? MMSIM_ACCESS_READ : MMSIM_ACCESS_WRITE;
	}
	for (unsigned int i = 0; i < N; i++)
		cr_assert_eq(mmsim_access(t[0], va[i], kind[i], true), MMSIM_SIG_NONE);
	cr_assert_eq(mmsim_access_batch(t[1], va, kind, N, &sig), N);
	cr_expect_eq(sig, MMSIM_SIG_NONE);
	for (unsigned int k = 0; k < 2; k++) {
		cr_assert_eq(mmsim_counter(s[k], "thp_collapse_alloc", &collapsed[k]), 0);
		mmsim_counters_foreach(s[k], note_counter, &c[k]);
	}
	cr_expect_gt(collapsed[0], before, "khugepaged collapsed during the accesses");
	cr_expect_eq(collapsed[0], collapsed[1]);
	cr_assert_eq(c[0].nr, c[1].nr);
	cr_expect_eq(memcmp(c[0].v, c[1].v, c[0].nr * sizeof(c[0].v[0])), 0);
	for (unsigned int k = 0; k < 2; k++)
		mmsim_system_destroy(s[k]);
}

Test(faults, writing_n_fresh_pages_takes_n_minor_faults)
{
	struct mmsim_system *s = boot(false);
	struct mmsim_task *p;
	uint64_t a;

	cr_assert_eq(mmsim_task_spawn(s, &p), 0);
	a = map(p, 100, RW, PRIV);
	touch(p, a, 100, MMSIM_ACCESS_WRITE);
	cr_assert_eq(stats(p).minflt, 100);
	cr_assert_eq(stats(p).majflt, 0);
	cr_assert_eq(stats(p).rss_kb, 400);
	touch(p, a, 100, MMSIM_ACCESS_WRITE);
	cr_assert_eq(stats(p).minflt, 100, "mapped pages take no more faults");
	mmsim_system_destroy(s);
}

Test(faults, read_then_write_takes_two_faults_per_page)
{
	struct mmsim_system *s = boot(false);
	struct mmsim_task *p;
	uint64_t a;

	cr_assert_eq(mmsim_task_spawn(s, &p), 0);
	a = map(p, 32, RW, PRIV);
	touch(p, a, 32, MMSIM_ACCESS_READ);
	cr_assert_eq(stats(p).minflt, 32);
	cr_assert_eq(stats(p).rss_kb, 0, "the zero page is not counted in RSS");
	touch(p, a, 32, MMSIM_ACCESS_WRITE);
	cr_assert_eq(stats(p).minflt, 64);
	cr_assert_eq(stats(p).rss_kb, 128);
	mmsim_system_destroy(s);
}

Test(faults, forked_child_writing_k_pages_takes_k_faults)
{
	struct mmsim_system *s = boot(false);
	struct mmsim_task *p, *q;
	uint64_t a;

	cr_assert_eq(mmsim_task_spawn(s, &p), 0);
	a = map(p, 20, RW, PRIV);
	touch(p, a, 20, MMSIM_ACCESS_WRITE);
	cr_assert_eq(mmsim_task_fork(p, &q), 0);
	cr_assert_eq(stats(q).minflt, 0, "a child starts at zero");
	cr_assert_eq(stats(q).rss_kb, 80);
	touch(q, a, 7, MMSIM_ACCESS_WRITE);
	cr_assert_eq(stats(q).minflt, 7);
	touch(q, a + 7 * PAGE, 13, MMSIM_ACCESS_READ);
	cr_assert_eq(stats(q).minflt, 7, "reads of shared pages do not fault");
	cr_assert_eq(stats(p).minflt, 20);
	mmsim_system_destroy(s);
}

Test(faults, cow_reuse_after_the_child_exits_still_counts_a_fault)
{
	struct mmsim_system *s = boot(false);
	struct mmsim_task *p, *q;
	uint64_t a, reuse0 = 0, reuse1 = 0;

	cr_assert_eq(mmsim_task_spawn(s, &p), 0);
	a = map(p, 4, RW, PRIV);
	touch(p, a, 4, MMSIM_ACCESS_WRITE);
	cr_assert_eq(mmsim_task_fork(p, &q), 0);
	mmsim_task_exit(q);
	mmsim_counter(s, "pgreuse", &reuse0);
	touch(p, a, 4, MMSIM_ACCESS_WRITE);
	mmsim_counter(s, "pgreuse", &reuse1);
	cr_assert_eq(stats(p).minflt, 8);
	cr_assert_eq(reuse1 - reuse0, 4, "the pages were reused, not copied");
	mmsim_system_destroy(s);
}

Test(faults, a_zombie_frees_its_memory_and_keeps_its_counts)
{
	struct mmsim_system *s = boot(false);
	struct mmsim_task *p, *q;
	uint64_t a, anon = 0, reuse0 = 0, reuse1 = 0;

	cr_assert_eq(mmsim_task_spawn(s, &p), 0);
	a = map(p, 4, RW, PRIV);
	touch(p, a, 4, MMSIM_ACCESS_WRITE);
	cr_assert_eq(mmsim_task_fork(p, &q), 0);
	touch(q, a, 2, MMSIM_ACCESS_WRITE); /* two COW copies: 6 anon pages */
	mmsim_counter(s, "nr_anon_pages", &anon);
	cr_assert_eq(anon, 6);
	cr_assert_eq(mmsim_task_exit_zombie(q), 0);
	cr_assert(mmsim_task_exited(q) && mmsim_task_alive(q) && !mmsim_task_exited(p));
	mmsim_counter(s, "nr_anon_pages", &anon);
	cr_assert_eq(anon, 4, "the child's two copies are freed at exit, not at the reap");
	cr_assert_eq(stats(q).minflt, 2, "a zombie's counts stay readable");
	cr_assert_eq(stats(q).rss_kb, 0);
	cr_assert_eq(stats(q).hwm_kb, 16, "the peak survives the mm, as getrusage()'s");
	cr_assert_eq(mmsim_task_exit_zombie(q), -EINVAL, "no second exit");
	cr_assert_eq(mmsim_task_exec(q), -EINVAL, "a zombie cannot exec");
	mmsim_counter(s, "pgreuse", &reuse0);
	touch(p, a, 4, MMSIM_ACCESS_WRITE); /* the child is gone: each page is reused */
	mmsim_counter(s, "pgreuse", &reuse1);
	cr_assert_eq(reuse1 - reuse0, 4);
	mmsim_task_exit(q); /* the reap */
	mmsim_system_destroy(s);
}

Test(faults, exec_replaces_the_address_space_and_keeps_the_counts)
{
	struct mmsim_system *s = boot(false);
	struct mmsim_task *p;
	struct mmsim_task_layout before, after;
	uint64_t a, anon = 0;
	int pid;

	cr_assert_eq(mmsim_task_spawn(s, &p), 0);
	pid = mmsim_task_pid(p);
	cr_assert_eq(mmsim_task_layout(p, &before), 0);
	a = map(p, 3, RW, PRIV);
	touch(p, a, 3, MMSIM_ACCESS_WRITE);
	cr_assert_eq(mmsim_task_exec(p), 0);
	mmsim_counter(s, "nr_anon_pages", &anon);
	cr_assert_eq(anon, 0, "the old image's pages are freed");
	cr_assert_eq(mmsim_task_pid(p), pid);
	cr_assert_eq(stats(p).minflt, 3, "rusage survives exec");
	cr_assert_eq(stats(p).rss_kb, 0);
	cr_assert_eq(stats(p).hwm_kb, 0, "VmHWM is the new mm's");
	cr_assert_eq(mmsim_task_layout(p, &after), 0);
	cr_assert_eq(after.stack_end, before.stack_end, "a new stack where exec puts it");
	cr_assert_eq(mmsim_access(p, a, MMSIM_ACCESS_READ, true), MMSIM_SIG_SEGV_MAPERR,
		     "the old mapping is gone");
	a = map(p, 1, RW, PRIV);
	touch(p, a, 1, MMSIM_ACCESS_WRITE);
	cr_assert_eq(stats(p).minflt, 4);
	mmsim_task_exit(p);
	mmsim_system_destroy(s);
}

Test(faults, segv_maperr_and_accerr)
{
	struct mmsim_system *s = boot(false);
	struct mmsim_task *p;
	uint64_t a;

	cr_assert_eq(mmsim_task_spawn(s, &p), 0);
	a = map(p, 4, MMSIM_PROT_READ, PRIV);
	cr_assert_eq(mmsim_access(p, a, MMSIM_ACCESS_WRITE, true), MMSIM_SIG_SEGV_ACCERR);
	cr_assert_eq(mmsim_access(p, a + 4 * PAGE, MMSIM_ACCESS_READ, true), MMSIM_SIG_SEGV_MAPERR);
	cr_assert_eq(mmsim_access(p, 0x10000, MMSIM_ACCESS_READ, true), MMSIM_SIG_SEGV_MAPERR);
	cr_assert_eq(stats(p).minflt, 0, "faults that end in SIGSEGV are not counted");
	cr_assert_eq(stats(p).last_signal, MMSIM_SIG_SEGV_MAPERR);
	cr_assert_eq(mmsim_access(p, a, MMSIM_ACCESS_READ, true), MMSIM_SIG_NONE);
	cr_assert_eq(stats(p).last_signal, MMSIM_SIG_NONE);
	mmsim_system_destroy(s);
}

Test(faults, dontneed_then_read_gives_zeros)
{
	struct mmsim_system *s = boot(true);
	struct mmsim_task *p;
	uint64_t a;
	char buf[64];

	cr_assert_eq(mmsim_task_spawn(s, &p), 0);
	a = map(p, 2, RW, PRIV);
	cr_assert_eq(mmsim_write(p, a + 100, "hello", 6), MMSIM_SIG_NONE);
	cr_assert_eq(mmsim_read(p, a + 100, buf, 6), MMSIM_SIG_NONE);
	cr_assert_str_eq(buf, "hello");
	cr_assert_eq(mmsim_madvise(p, a, 2 * PAGE, MMSIM_MADV_DONTNEED), 0);
	cr_assert_eq(stats(p).rss_kb, 0);
	memset(buf, 'x', sizeof(buf));
	cr_assert_eq(mmsim_read(p, a + 100, buf, 6), MMSIM_SIG_NONE);
	for (int i = 0; i < 6; i++)
		cr_assert_eq(buf[i], 0);
	mmsim_system_destroy(s);
}

Test(faults, page_tables_follow_the_2mib_regions_touched)
{
	struct mmsim_system *s = boot(false);
	struct mmsim_task *p;
	uint64_t a, before;
	const uint64_t region = 512 * PAGE;

	cr_assert_eq(mmsim_task_spawn(s, &p), 0);
	/* 8 MiB aligned to 2 MiB: map 5 regions' worth and use the aligned part. */
	a = map(p, 5 * 512, RW, PRIV);
	a = (a + region - 1) & ~(region - 1);
	touch(p, a, 1, MMSIM_ACCESS_WRITE);
	before = stats(p).vmpte_kb;
	touch(p, a + PAGE, 3, MMSIM_ACCESS_WRITE); /* consecutive: same page table */
	cr_assert_eq(stats(p).vmpte_kb, before);
	for (int k = 1; k < 4; k++)
		touch(p, a + k * region, 1, MMSIM_ACCESS_WRITE);
	cr_assert_eq(stats(p).vmpte_kb, before + 3 * 4, "one page table per 2 MiB region");
	cr_assert_eq(mmsim_munmap(p, a, 4 * region), 0);
	cr_assert_lt(stats(p).vmpte_kb, before, "munmap frees the tables it emptied");
	mmsim_system_destroy(s);
}

Test(faults, map_populate_faults_are_charged_inside_mmap)
{
	struct mmsim_system *s = boot(false);
	struct mmsim_task *p;
	uint64_t a;

	cr_assert_eq(mmsim_task_spawn(s, &p), 0);
	a = map(p, 10, RW, PRIV | MMSIM_MAP_POPULATE);
	cr_assert_eq(stats(p).minflt, 10);
	cr_assert_eq(stats(p).rss_kb, 40);
	touch(p, a, 10, MMSIM_ACCESS_WRITE);
	cr_assert_eq(stats(p).minflt, 10, "populated pages are mapped writable");
	mmsim_system_destroy(s);
}

Test(faults, mprotect_back_to_writable)
{
	struct mmsim_system *s = boot(false);
	struct mmsim_task *p, *q;
	uint64_t a;

	cr_assert_eq(mmsim_task_spawn(s, &p), 0);
	a = map(p, 6, RW, PRIV);
	touch(p, a, 2, MMSIM_ACCESS_WRITE);	      /* pages 0-1: exclusive */
	touch(p, a + 2 * PAGE, 2, MMSIM_ACCESS_READ); /* pages 2-3: zero page */
	cr_assert_eq(mmsim_mprotect(p, a, 6 * PAGE, MMSIM_PROT_READ), 0);
	cr_assert_eq(mmsim_mprotect(p, a, 6 * PAGE, RW), 0);
	touch(p, a, 2, MMSIM_ACCESS_WRITE);
	cr_assert_eq(stats(p).minflt, 4, "exclusive pages are writable at once");
	touch(p, a + 2 * PAGE, 2, MMSIM_ACCESS_WRITE);
	cr_assert_eq(stats(p).minflt, 6, "zero-page PTEs still fault");
	/* Pages shared by a fork stay write-protected, even after the child is gone. */
	touch(p, a + 4 * PAGE, 2, MMSIM_ACCESS_WRITE);
	cr_assert_eq(mmsim_task_fork(p, &q), 0);
	mmsim_task_exit(q);
	cr_assert_eq(mmsim_mprotect(p, a, 6 * PAGE, MMSIM_PROT_READ), 0);
	cr_assert_eq(mmsim_mprotect(p, a, 6 * PAGE, RW), 0);
	touch(p, a + 4 * PAGE, 2, MMSIM_ACCESS_WRITE);
	cr_assert_eq(stats(p).minflt, 8 + 2, "formerly shared pages fault once more");
	mmsim_system_destroy(s);
}

Test(faults, shared_anonymous_memory_stays_shared_and_faults_around)
{
	struct mmsim_system *s = boot(true);
	struct mmsim_task *p, *q;
	uint64_t a;
	char c = 0;

	cr_assert_eq(mmsim_task_spawn(s, &p), 0);
	/* Fault-around works on 64 KiB windows aligned in the address space. */
	cr_assert_eq(mmsim_mmap(p, UINT64_C(0x7f0000000000), 32 * PAGE, RW,
				SHARED | MMSIM_MAP_FIXED, &a),
		     0);
	touch(p, a, 16, MMSIM_ACCESS_WRITE);
	cr_assert_eq(stats(p).minflt, 16, "write faults map one page each");
	cr_assert_eq(stats(p).rss_shmem_kb, 64);
	cr_assert_eq(mmsim_task_fork(p, &q), 0);
	cr_assert_eq(stats(q).rss_kb, 0, "fork copies no shmem PTEs: the child faults them in");
	cr_assert_eq(mmsim_access(q, a, MMSIM_ACCESS_READ, true), MMSIM_SIG_NONE);
	cr_assert_eq(stats(q).minflt, 1);
	cr_assert_eq(stats(q).rss_kb, 64, "one read fault maps the cached 64 KiB window");
	touch(q, a, 16, MMSIM_ACCESS_READ);
	cr_assert_eq(stats(q).minflt, 1);
	cr_assert_eq(mmsim_access(q, a + 20 * PAGE, MMSIM_ACCESS_READ, true), MMSIM_SIG_NONE);
	cr_assert_eq(stats(q).rss_kb, 68, "a read of a hole allocates one page, no zero page");
	cr_assert_eq(mmsim_write(q, a + 5, "z", 1), MMSIM_SIG_NONE);
	cr_assert_eq(mmsim_read(p, a + 5, &c, 1), MMSIM_SIG_NONE);
	cr_assert_eq(c, 'z', "the parent sees the child's write");
	mmsim_system_destroy(s);
}

Test(isolation, user_cannot_touch_kernel_memory_and_smap_stops_the_kernel)
{
	struct mmsim_system *s = boot(false);
	struct mmsim_task *p;
	uint64_t a;

	cr_assert_eq(mmsim_task_spawn(s, &p), 0);
	a = map(p, 1, RW, PRIV);
	touch(p, a, 1, MMSIM_ACCESS_WRITE);
	cr_assert_eq(mmsim_access(p, UINT64_C(0xffff888000100000), MMSIM_ACCESS_READ, true),
		     MMSIM_SIG_SEGV_MAPERR, "the direct map is supervisor-only");
	cr_assert_eq(mmsim_access(p, UINT64_C(0xffffffff81000000), MMSIM_ACCESS_FETCH, true),
		     MMSIM_SIG_SEGV_MAPERR, "so is the kernel text");
	cr_assert_eq(mmsim_access(p, UINT64_C(0xffff888000100000), MMSIM_ACCESS_READ, false),
		     MMSIM_SIG_NONE, "the kernel reads its direct map");
	cr_assert_neq(mmsim_access(p, a, MMSIM_ACCESS_READ, false), MMSIM_SIG_NONE,
		      "SMAP: no supervisor data access to user pages");
	cr_assert_neq(mmsim_access(p, a, MMSIM_ACCESS_FETCH, false), MMSIM_SIG_NONE,
		      "SMEP: no supervisor fetch from user pages");
	mmsim_system_destroy(s);
}

Test(isolation, processes_never_share_private_frames)
{
	struct mmsim_system *s = boot(true);
	struct mmsim_task *p, *q;
	uint64_t a, b;
	char c = 0;

	cr_assert_eq(mmsim_task_spawn(s, &p), 0);
	cr_assert_eq(mmsim_task_spawn(s, &q), 0);
	a = map(p, 4, RW, PRIV);
	b = map(q, 4, RW, PRIV);
	cr_assert_eq(a, b, "both processes get the same addresses");
	cr_assert_eq(mmsim_write(p, a, "P", 1), MMSIM_SIG_NONE);
	cr_assert_eq(mmsim_write(q, b, "Q", 1), MMSIM_SIG_NONE);
	cr_assert_eq(mmsim_read(p, a, &c, 1), MMSIM_SIG_NONE);
	cr_assert_eq(c, 'P');
	cr_assert_eq(mmsim_read(q, b, &c, 1), MMSIM_SIG_NONE);
	cr_assert_eq(c, 'Q');
	mmsim_system_destroy(s);
}

Test(layout, a_new_process_is_laid_out_as_linux_without_aslr)
{
	struct mmsim_system *s = boot(false);
	struct mmsim_task *p;
	struct mmsim_task_layout l;
	uint64_t brk;

	cr_assert_eq(mmsim_task_spawn(s, &p), 0);
	cr_assert_eq(mmsim_task_layout(p, &l), 0);
	cr_assert_eq(l.stack_end, UINT64_C(0x7ffffffff000), "STACK_TOP = TASK_SIZE");
	cr_assert_eq(l.stack_start, UINT64_C(0x7ffffffde000), "a 33-page [stack]");
	cr_assert_eq(l.mmap_base, UINT64_C(0x7ffff7fff000), "128 MiB below TASK_SIZE");
	cr_assert_eq(l.start_brk, l.brk);
	cr_assert_eq(l.task_size, UINT64_C(0x7ffffffff000));
	cr_assert_eq(mmsim_brk(p, l.brk + 3 * PAGE, &brk), 0);
	cr_assert_eq(mmsim_task_layout(p, &l), 0);
	cr_assert_eq(l.brk, l.start_brk + 3 * PAGE);
	cr_assert_eq(mmsim_munmap(p, l.stack_start, l.stack_end - l.stack_start), 0);
	cr_assert_eq(mmsim_task_layout(p, &l), 0);
	cr_assert_eq(l.stack_end, 0, "no [stack] any more");
	mmsim_system_destroy(s);
}
