/*
 * tests/unit/kernel/test_shootdown.c: the TLB shootdowns the kernel must do. Each test first
 * makes sure a translation is cached (an access that hits), then changes the mapping the
 * way a system call or a fault does, and checks that the next access sees the change: a
 * stale TLB entry would let it succeed where it must fail, or reach the old frame.
 * Run with the default TLB (skylake) in four modes: PCID on and off, each with and without
 * page-table isolation (kpti: user and kernel PCIDs, deferred user flushes).
 */
#include <criterion/criterion.h>
#include <stdlib.h>

#include "mmsim/mmsim.h"

#define PAGE 4096u
#define RW (MMSIM_PROT_READ | MMSIM_PROT_WRITE)
#define PRIV (MMSIM_MAP_PRIVATE | MMSIM_MAP_ANONYMOUS)

/* mode: bit 0 PCID, bit 1 kpti. */
static struct mmsim_system *boot(unsigned int mode)
{
	struct mmsim_config c;
	struct mmsim_system *s;
	struct mmsim_error e = { 0 };

	mmsim_config_default(&c);
	c.data_mode = true;
	c.pcid = (mode & 1) != 0;
	c.kpti = (mode & 2) ? MMSIM_KPTI_ON : MMSIM_KPTI_OFF;
	c.paranoid = true;
	cr_assert_eq(mmsim_system_create(&c, &s, &e), 0, "%s", e.msg);
	return s;
}

static uint64_t counter(struct mmsim_system *s, const char *name)
{
	uint64_t v = 0;

	cr_assert_eq(mmsim_counter(s, name, &v), 0);
	return v;
}

static void cached(struct mmsim_system *s, struct mmsim_task *t, uint64_t va, bool write)
{
	uint64_t before;

	cr_assert_eq(mmsim_access(t, va, write ? MMSIM_ACCESS_WRITE : MMSIM_ACCESS_READ, true),
		     MMSIM_SIG_NONE);
	before = counter(s, "page_walks");
	cr_assert_eq(mmsim_access(t, va, write ? MMSIM_ACCESS_WRITE : MMSIM_ACCESS_READ, true),
		     MMSIM_SIG_NONE);
	cr_assert_eq(counter(s, "page_walks"), before, "the translation is cached (a hit)");
}

static void each_pcid(void (*fn)(unsigned int))
{
	for (unsigned int mode = 0; mode < 4; mode++)
		fn(mode);
}

static void munmap_case(unsigned int mode)
{
	struct mmsim_system *s = boot(mode);
	struct mmsim_task *p;
	uint64_t a;

	cr_assert_eq(mmsim_task_spawn(s, &p), 0);
	cr_assert_eq(mmsim_mmap(p, 0, 4 * PAGE, RW, PRIV, &a), 0);
	cached(s, p, a + PAGE, true);
	cr_assert_eq(mmsim_munmap(p, a, 4 * PAGE), 0);
	cr_assert_eq(mmsim_access(p, a + PAGE, MMSIM_ACCESS_READ, true), MMSIM_SIG_SEGV_MAPERR,
		     "no stale hit after munmap (mode %u: pcid bit 0, kpti bit 1)", mode);
	mmsim_system_destroy(s);
}

Test(shootdown, munmap_leaves_no_stale_translation)
{
	each_pcid(munmap_case);
}

static void mprotect_case(unsigned int mode)
{
	struct mmsim_system *s = boot(mode);
	struct mmsim_task *p;
	uint64_t a;

	cr_assert_eq(mmsim_task_spawn(s, &p), 0);
	cr_assert_eq(mmsim_mmap(p, 0, PAGE, RW, PRIV, &a), 0);
	cached(s, p, a, true);
	cr_assert_eq(mmsim_mprotect(p, a, PAGE, MMSIM_PROT_READ), 0);
	cr_assert_eq(mmsim_access(p, a, MMSIM_ACCESS_WRITE, true), MMSIM_SIG_SEGV_ACCERR,
		     "mprotect removed write access (mode %u: pcid bit 0, kpti bit 1)", mode);
	mmsim_system_destroy(s);
}

Test(shootdown, mprotect_removing_rights)
{
	each_pcid(mprotect_case);
}

static void cow_case(unsigned int mode)
{
	struct mmsim_system *s = boot(mode);
	struct mmsim_task *p, *q;
	uint64_t a;
	char c = 0;

	cr_assert_eq(mmsim_task_spawn(s, &p), 0);
	cr_assert_eq(mmsim_mmap(p, 0, PAGE, RW, PRIV, &a), 0);
	cr_assert_eq(mmsim_write(p, a, "p", 1), MMSIM_SIG_NONE);
	cached(s, p, a, true);
	cr_assert_eq(mmsim_task_fork(p, &q), 0);
	/* The parent's writable entry must be gone: its next write is a COW fault. */
	cr_assert_eq(mmsim_write(q, a, "q", 1), MMSIM_SIG_NONE);
	cr_assert_eq(mmsim_write(p, a, "P", 1), MMSIM_SIG_NONE);
	cr_assert_eq(mmsim_read(q, a, &c, 1), MMSIM_SIG_NONE);
	cr_assert_eq(c, 'q', "the child keeps its copy (mode %u: pcid bit 0, kpti bit 1)", mode);
	cr_assert_eq(mmsim_read(p, a, &c, 1), MMSIM_SIG_NONE);
	cr_assert_eq(c, 'P', "the parent writes its own page (mode %u: pcid bit 0, kpti bit 1)",
		     mode);
	mmsim_system_destroy(s);
}

Test(shootdown, fork_and_cow_break)
{
	each_pcid(cow_case);
}

static void dontneed_case(unsigned int mode)
{
	struct mmsim_system *s = boot(mode);
	struct mmsim_task *p;
	uint64_t a;
	char c = 'x';

	cr_assert_eq(mmsim_task_spawn(s, &p), 0);
	cr_assert_eq(mmsim_mmap(p, 0, PAGE, RW, PRIV, &a), 0);
	cr_assert_eq(mmsim_write(p, a, "d", 1), MMSIM_SIG_NONE);
	cached(s, p, a, false);
	cr_assert_eq(mmsim_madvise(p, a, PAGE, MMSIM_MADV_DONTNEED), 0);
	cr_assert_eq(mmsim_read(p, a, &c, 1), MMSIM_SIG_NONE);
	cr_assert_eq(
		c, 0,
		"a stale entry would still show the freed page (mode %u: pcid bit 0, kpti bit 1)",
		mode);
	mmsim_system_destroy(s);
}

Test(shootdown, madvise_dontneed)
{
	each_pcid(dontneed_case);
}

static void other_process_case(unsigned int mode)
{
	struct mmsim_system *s = boot(mode);
	struct mmsim_task *p, *q;
	uint64_t a, b, switches;

	cr_assert_eq(mmsim_task_spawn(s, &p), 0);
	cr_assert_eq(mmsim_task_spawn(s, &q), 0);
	cr_assert_eq(mmsim_mmap(p, 0, PAGE, RW, PRIV, &a), 0);
	cr_assert_eq(mmsim_mmap(q, 0, PAGE, RW, PRIV, &b), 0);
	cr_assert_eq(a, b, "the same address in both");
	cached(s, p, a, true);
	switches = counter(s, "context_switches");
	/* q never hits p's entry: same address, another PCID (or a flush without PCID). */
	cr_assert_eq(mmsim_write(q, b, "q", 1), MMSIM_SIG_NONE);
	cr_assert_gt(counter(s, "context_switches"), switches);
	cr_assert_eq(mmsim_munmap(q, b, PAGE), 0);
	cr_assert_eq(mmsim_access(q, b, MMSIM_ACCESS_READ, true), MMSIM_SIG_SEGV_MAPERR);
	cr_assert_eq(mmsim_access(p, a, MMSIM_ACCESS_WRITE, true), MMSIM_SIG_NONE,
		     "q's munmap does not touch p (mode %u: pcid bit 0, kpti bit 1)", mode);
	mmsim_system_destroy(s);
}

Test(shootdown, processes_are_isolated_in_the_tlb)
{
	each_pcid(other_process_case);
}

static void switches_case(unsigned int mode)
{
	struct mmsim_system *s = boot(mode);
	struct mmsim_task *p, *q;
	uint64_t a, b, walks;

	cr_assert_eq(mmsim_task_spawn(s, &p), 0);
	cr_assert_eq(mmsim_task_spawn(s, &q), 0);
	cr_assert_eq(mmsim_mmap(p, 0, PAGE, RW, PRIV, &a), 0);
	cr_assert_eq(mmsim_mmap(q, 0, PAGE, RW, PRIV, &b), 0);
	cached(s, p, a, true);
	cached(s, q, b, true);
	walks = counter(s, "page_walks");
	cr_assert_eq(mmsim_access(p, a, MMSIM_ACCESS_WRITE, true), MMSIM_SIG_NONE);
	cr_assert_eq(mmsim_access(q, b, MMSIM_ACCESS_WRITE, true), MMSIM_SIG_NONE);
	cr_assert_eq(counter(s, "page_walks"), walks,
		     "with PCID a switch back still hits (mode %u)", mode);
	mmsim_system_destroy(s);
}

Test(shootdown, pcid_keeps_entries_across_switches)
{
	switches_case(1);
	switches_case(3); /* with kpti: the user PCIDs keep them */
}
