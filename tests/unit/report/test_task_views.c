/*
 * tests/unit/report/test_task_views.c: /proc/PID/maps, smaps and status (report/task_views.c)
 * through mmsim_report(), on an address space whose figures are worked out by hand:
 * 16 private read-write pages, 4 of them written (4 anonymous pages, 16 kB) and 2 only read
 * (the zero page: not counted in Rss, as vm_normal_page() is NULL for it). After fork the 4
 * pages are shared by two processes: Pss is half their size.
 */
#include <criterion/criterion.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mmsim/mmsim.h"

struct views_machine {
	struct mmsim_system *sys;
	struct mmsim_task *p;
	uint64_t base;
};

static void setup(struct views_machine *m)
{
	struct mmsim_config c;

	mmsim_config_default(&c);
	c.mem_bytes = 32 << 20;
	c.paranoid = true;
	cr_assert_eq(mmsim_system_create(&c, &m->sys, NULL), 0);
	cr_assert_eq(mmsim_task_spawn(m->sys, &m->p), 0);
	cr_assert_eq(mmsim_mmap(m->p, 0, 16 * 4096, MMSIM_PROT_READ | MMSIM_PROT_WRITE,
				MMSIM_MAP_PRIVATE | MMSIM_MAP_ANONYMOUS, &m->base),
		     0);
	for (unsigned int i = 0; i < 4; i++)
		cr_assert_eq(mmsim_access(m->p, m->base + i * 4096, MMSIM_ACCESS_WRITE, true),
			     MMSIM_SIG_NONE);
	for (unsigned int i = 4; i < 6; i++)
		cr_assert_eq(mmsim_access(m->p, m->base + i * 4096, MMSIM_ACCESS_READ, true),
			     MMSIM_SIG_NONE);
}

static char *view(struct views_machine *m, struct mmsim_task *t, const char *name)
{
	char *text = NULL;

	cr_assert_eq(mmsim_report(m->sys, t, name, &text, NULL), 0, "%s", name);
	return text;
}

/* Asserts that t's smaps block of the VMA starting at base holds each line of want (up to
 * NULL). */
static void assert_smaps(struct views_machine *m, struct mmsim_task *t, uint64_t base,
			 const char *const *want)
{
	char *smaps = view(m, t, "smaps");
	const char *b;
	char head[32];

	snprintf(head, sizeof(head), "%08" PRIx64 "-", base);
	b = strstr(smaps, head);
	cr_assert(b, "%s", smaps);
	for (; *want; want++)
		cr_assert(strstr(b, *want), "want '%s' in:\n%s", *want, b);
	free(smaps);
}

Test(task_views, maps_names_the_region)
{
	struct views_machine m;
	char line[64];
	char *maps;

	setup(&m);
	maps = view(&m, m.p, "maps");
	snprintf(line, sizeof(line), "%08" PRIx64 "-%08" PRIx64 " rw-p 00000000 00:00 0", m.base,
		 m.base + 16 * 4096);
	cr_assert(strstr(maps, line), "want '%s' in:\n%s", line, maps);
	cr_assert(strstr(maps, "[stack]"), "%s", maps);
	free(maps);
	mmsim_system_destroy(m.sys);
}

Test(task_views, smaps_counts_pages)
{
	struct views_machine m;

	setup(&m);
	assert_smaps(&m, m.p, m.base,
		     (const char *const[]){
			     "Size:                 64 kB\n", "Rss:                  16 kB\n",
			     "Pss:                  16 kB\n", "Private_Dirty:        16 kB\n",
			     "Anonymous:            16 kB\n", "VmFlags: rd wr mr mw me ac\n",
			     NULL });
	mmsim_system_destroy(m.sys);
}

Test(task_views, smaps_after_fork_halves_pss)
{
	struct views_machine m;
	struct mmsim_task *child;

	setup(&m);
	cr_assert_eq(mmsim_task_fork(m.p, &child), 0);
	assert_smaps(&m, child, m.base,
		     (const char *const[]){ "Rss:                  16 kB\n",
					    "Pss:                   8 kB\n",
					    "Shared_Dirty:         16 kB\n", NULL });
	mmsim_system_destroy(m.sys);
}

/* mmsim_task_stats_nowalk() (issue 15: `mmsim run`'s progress ticks): every figure of
 * mmsim_task_stats() but the two that walk the tables, which it leaves 0. */
Test(task_views, stats_nowalk_is_stats_without_the_walked_figures)
{
	struct views_machine m;
	struct mmsim_task *child;
	struct mmsim_task_stats st, nw;

	setup(&m);
	cr_assert_eq(mmsim_task_fork(m.p, &child), 0);
	mmsim_task_stats(child, &st);
	mmsim_task_stats_nowalk(child, &nw);
	cr_assert_eq(st.pss_kb, 8, "the shared pages count half");
	cr_expect_eq(nw.pss_kb, 0);
	cr_expect_eq(nw.anon_huge_kb, 0);
	st.pss_kb = 0;
	st.anon_huge_kb = 0;
	cr_expect_eq(memcmp(&st, &nw, sizeof(st)), 0);
	mmsim_system_destroy(m.sys);
}

Test(task_views, status_agrees_with_stats)
{
	struct views_machine m;
	struct mmsim_task_stats st;
	char want[64];
	char *status;

	setup(&m);
	mmsim_task_stats(m.p, &st);
	status = view(&m, m.p, "status");
	snprintf(want, sizeof(want), "Pid:\t%d\n", mmsim_task_pid(m.p));
	cr_assert(strstr(status, want), "%s", status);
	cr_assert(strstr(status, "State:\tR (running)\n"), "%s", status);
	cr_assert(st.rss_anon_kb >= 16);
	snprintf(want, sizeof(want), "RssAnon:\t%8" PRIu64 " kB\n", st.rss_anon_kb);
	cr_assert(strstr(status, want), "want '%s' in:\n%s", want, status);
	snprintf(want, sizeof(want), "VmSize:\t%8" PRIu64 " kB\n", st.vmsize_kb);
	cr_assert(strstr(status, want), "want '%s' in:\n%s", want, status);
	free(status);
	mmsim_system_destroy(m.sys);
}

/* task_state()'s ids: a spawned task has no parent in the machine (PPid 0) and leads its
 * own session and process group; a forked child names its parent and inherits the session;
 * when the parent exits, mmsim has no init to reparent to, and the child shows PPid 0. */
Test(task_views, status_ids_follow_fork_and_exit)
{
	struct views_machine m;
	struct mmsim_task *child;
	char want[96];
	char *status;
	int p = 0, c = 0;

	setup(&m);
	p = mmsim_task_pid(m.p);
	cr_assert_eq(mmsim_task_fork(m.p, &child), 0);
	c = mmsim_task_pid(child);
	status = view(&m, m.p, "status");
	snprintf(want, sizeof(want), "Pid:\t%d\nPPid:\t0\nTracerPid:\t0\n", p);
	cr_assert(strstr(status, want), "want '%s' in:\n%s", want, status);
	free(status);
	status = view(&m, child, "status");
	snprintf(want, sizeof(want), "Tgid:\t%d\nNgid:\t0\nPid:\t%d\nPPid:\t%d\n", c, c, p);
	cr_assert(strstr(status, want), "want '%s' in:\n%s", want, status);
	snprintf(want, sizeof(want), "NStgid:\t%d\nNSpid:\t%d\nNSpgid:\t%d\nNSsid:\t%d\n", c, c, p,
		 p);
	cr_assert(strstr(status, want), "want '%s' in:\n%s", want, status);
	free(status);
	mmsim_task_exit(m.p);
	status = view(&m, child, "status");
	snprintf(want, sizeof(want), "Pid:\t%d\nPPid:\t0\n", c);
	cr_assert(strstr(status, want), "want '%s' in:\n%s", want, status);
	free(status);
	mmsim_system_destroy(m.sys);
}

/* The lines after the memory ones, for a 32 MiB machine: RLIMIT_SIGPENDING is
 * max_threads / 2 with max_threads = 7680 pages * 4096 / (8 * 16 KiB) = 240 (kernel/fork.c
 * set_max_threads()); one thread, no signal; root's capabilities up to bit 40. */
Test(task_views, status_signal_and_capability_lines)
{
	struct views_machine m;
	char *status;

	setup(&m);
	status = view(&m, m.p, "status");
	cr_assert(strstr(status, "Uid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\nFDSize:\t64\nGroups:\t \n"),
		  "%s", status);
	cr_assert(strstr(status, "VmSwap:\t       0 kB\nHugetlbPages:\t       0 kB\n"
				 "CoreDumping:\t0\nTHP_enabled:\t1\n"
				 "untag_mask:\t0xffffffffffffffff\nThreads:\t1\nSigQ:\t0/120\n"
				 "SigPnd:\t0000000000000000\n"),
		  "%s", status);
	cr_assert(strstr(status, "CapEff:\t000001ffffffffff\n"), "%s", status);
	cr_assert(strstr(status, "Cpus_allowed:\t1\nCpus_allowed_list:\t0\n"), "%s", status);
	cr_assert(strstr(status, "nonvoluntary_ctxt_switches:\t0\n"), "%s", status);
	free(status);
	mmsim_system_destroy(m.sys);
}

/* VmPeak stays at the largest VmSize after munmap (Linux update_hiwater_vm() runs before
 * every unmap), and a child starts from its parent's peak (dup_mm() copies the mm). */
Test(task_views, vmpeak_survives_munmap)
{
	struct views_machine m;
	struct mmsim_task *child;
	struct mmsim_task_stats st;
	char want[64];
	char *status;

	setup(&m);
	mmsim_task_stats(m.p, &st);
	cr_assert_eq(mmsim_munmap(m.p, m.base, 16 * 4096), 0);
	status = view(&m, m.p, "status");
	snprintf(want, sizeof(want), "VmPeak:\t%8" PRIu64 " kB\nVmSize:\t%8" PRIu64 " kB\n",
		 st.vmsize_kb, st.vmsize_kb - 64);
	cr_assert(strstr(status, want), "want '%s' in:\n%s", want, status);
	free(status);
	cr_assert_eq(mmsim_task_fork(m.p, &child), 0);
	status = view(&m, child, "status");
	cr_assert(strstr(status, want), "want '%s' in:\n%s", want, status);
	free(status);
	mmsim_system_destroy(m.sys);
}

/* Linux smaps_page_accumulate(): Pss_Dirty sums the Pss of dirty pages, so the 4 dirty
 * pages shared after fork give 16 / 2 = 8 kB, not their 16 kB of Shared_Dirty. */
Test(task_views, smaps_pss_dirty_is_shared_too)
{
	struct views_machine m;
	struct mmsim_task *child;

	setup(&m);
	cr_assert_eq(mmsim_task_fork(m.p, &child), 0);
	assert_smaps(&m, m.p, m.base,
		     (const char *const[]){ "Pss_Dirty:             8 kB\n",
					    "Private_Dirty:         0 kB\n", NULL });
	mmsim_system_destroy(m.sys);
}

/* Linux smaps_pte_entry() on a swap entry: Swap counts the page, SwapPss divides it among
 * the entry's users (swp_swapcount()). After fork and shrink_all, each of the 4 written
 * pages is one swap entry held by both processes' PTEs: Swap 16 kB, SwapPss 8 kB; the 2
 * zero-page PTEs are not swapped. */
Test(task_views, smaps_swap_pss_shares_swap_entries)
{
	struct views_machine m;
	struct mmsim_task *child;

	setup(&m);
	cr_assert_eq(mmsim_task_fork(m.p, &child), 0);
	cr_assert_eq(mmsim_shrink_all(m.sys, NULL), 0);
	assert_smaps(&m, child, m.base,
		     (const char *const[]){ "Rss:                   0 kB\n",
					    "Swap:                 16 kB\n",
					    "SwapPss:               8 kB\n", NULL });
	/* Once the child has gone, the parent's entries are its own: SwapPss == Swap. */
	mmsim_task_exit(child);
	assert_smaps(&m, m.p, m.base,
		     (const char *const[]){ "SwapPss:              16 kB\n", NULL });
	mmsim_system_destroy(m.sys);
}

/* Linux task_mem(): VmLib is exec_vm (executable, not writable, not stack) less VmExe,
 * which is 0 for a spawned process without an executable. */
Test(task_views, status_vmlib_counts_exec_mappings)
{
	struct views_machine m;
	uint64_t addr;
	char *status;

	setup(&m);
	status = view(&m, m.p, "status");
	cr_assert(strstr(status, "VmLib:\t       0 kB\n"), "%s", status);
	free(status);
	cr_assert_eq(mmsim_mmap(m.p, 0, 3 * 4096, MMSIM_PROT_READ | MMSIM_PROT_EXEC,
				MMSIM_MAP_PRIVATE | MMSIM_MAP_ANONYMOUS, &addr),
		     0);
	cr_assert_eq(mmsim_mmap(m.p, 0, 2 * 4096,
				MMSIM_PROT_READ | MMSIM_PROT_WRITE | MMSIM_PROT_EXEC,
				MMSIM_MAP_PRIVATE | MMSIM_MAP_ANONYMOUS, &addr),
		     0);
	status = view(&m, m.p, "status");
	cr_assert(strstr(status, "VmLib:\t      12 kB\n"), "%s", status);
	free(status);
	mmsim_system_destroy(m.sys);
}

/* Linux smap_gather_stats(): a shared shmem mapping's pages in swap are its object's
 * (shmem_swap_usage()): counted in Swap, not in SwapPss (no PTE holds their entries). */
Test(task_views, smaps_shmem_swap_counts_the_object)
{
	struct views_machine m;
	uint64_t addr;

	setup(&m);
	cr_assert_eq(mmsim_mmap(m.p, 0, 8 * 4096, MMSIM_PROT_READ | MMSIM_PROT_WRITE,
				MMSIM_MAP_SHARED | MMSIM_MAP_ANONYMOUS, &addr),
		     0);
	for (unsigned int i = 0; i < 3; i++)
		cr_assert_eq(mmsim_access(m.p, addr + i * 4096, MMSIM_ACCESS_WRITE, true),
			     MMSIM_SIG_NONE);
	cr_assert_eq(mmsim_shrink_all(m.sys, NULL), 0);
	assert_smaps(&m, m.p, addr,
		     (const char *const[]){ "Rss:                   0 kB\n",
					    "Swap:                 12 kB\n",
					    "SwapPss:               0 kB\n", NULL });
	mmsim_system_destroy(m.sys);
}
