/*
 * tests/unit/kernel/test_boot.c: the machine's end (mmsim_system_destroy()).
 *
 * Without an event hook or --paranoid, the machine goes as a whole: only host memory is
 * freed, no page or swap slot is handed back one by one (issue 15). These tests destroy
 * busy machines: every kind of host memory a process can hold (VMA index, shared anonymous
 * objects shared by a fork, a file's cache mapped shared and privately, pages in swap, a
 * zombie, a process killed while holding pages). A plain build checks that the end takes
 * no invariant assertion; the ASan build (make test) finds a leak or a double free.
 * With a hook, the frees are events, so the end is each process's exit, as before.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "mmsim/mmsim.h"

#define PAGE 4096u
#define RW (MMSIM_PROT_READ | MMSIM_PROT_WRITE)

static struct mmsim_system *boot(const char *policy, bool paranoid)
{
	struct mmsim_config c;
	struct mmsim_system *s;
	struct mmsim_error e = { 0 };

	mmsim_config_default(&c);
	c.paranoid = paranoid;
	cr_assert_eq(mmsim_config_set(&c, "policy", policy, &e), 0, "%s", e.msg);
	cr_assert_eq(mmsim_config_set(&c, "reclaim", "demand", &e), 0, "%s", e.msg);
	cr_assert_eq(mmsim_config_set(&c, "frames", "48", &e), 0, "%s", e.msg);
	cr_assert_eq(mmsim_config_set(&c, "swap", "16M", &e), 0, "%s", e.msg);
	cr_assert_eq(mmsim_system_create(&c, &s, &e), 0, "%s", e.msg);
	return s;
}

static void touch(struct mmsim_task *t, uint64_t a, uint64_t pages)
{
	for (uint64_t i = 0; i < pages; i++)
		cr_assert_eq(mmsim_access(t, a + i * PAGE, MMSIM_ACCESS_WRITE, true),
			     MMSIM_SIG_NONE);
}

/* A machine with a bit of everything, over more pages than its 48 frames. */
static void make_busy(struct mmsim_system *s)
{
	struct mmsim_task *p, *c, *z;
	uint64_t anon, shared, fshared, fpriv, swapped;

	cr_assert_eq(mmsim_task_spawn(s, &p), 0);
	cr_assert_eq(
		mmsim_mmap(p, 0, 32 * PAGE, RW, MMSIM_MAP_PRIVATE | MMSIM_MAP_ANONYMOUS, &anon), 0);
	cr_assert_eq(
		mmsim_mmap(p, 0, 16 * PAGE, RW, MMSIM_MAP_SHARED | MMSIM_MAP_ANONYMOUS, &shared),
		0);
	cr_assert_eq(mmsim_file_create(s, "data", 16), 0);
	cr_assert_eq(mmsim_mmap_file(p, 0, 8 * PAGE, RW, MMSIM_MAP_SHARED, "data", 0, &fshared), 0);
	cr_assert_eq(mmsim_mmap_file(p, 0, 8 * PAGE, RW, MMSIM_MAP_PRIVATE, "data", 8, &fpriv), 0);
	touch(p, anon, 32);
	touch(p, shared, 16);
	touch(p, fshared, 8);
	touch(p, fpriv, 8);
	cr_assert_eq(mmsim_task_fork(p, &c), 0);
	touch(c, anon, 8);   /* copies */
	touch(c, shared, 4); /* the same pages */
	cr_assert_eq(mmsim_task_fork(c, &z), 0);
	cr_assert_eq(mmsim_task_exit_zombie(z), 0);
	cr_assert_eq(
		mmsim_mmap(c, 0, 16 * PAGE, RW, MMSIM_MAP_PRIVATE | MMSIM_MAP_ANONYMOUS, &swapped),
		0);
	touch(c, swapped, 16);
	cr_assert_eq(mmsim_reclaim(s, c, 8 * PAGE, NULL), 0);
}

Test(boot, a_busy_machine_ends_whole)
{
	static const char *const policies[] = { "lru", "opt", "clockpro", "arc" };

	for (unsigned int i = 0; i < sizeof(policies) / sizeof(policies[0]); i++) {
		struct mmsim_system *s = boot(policies[i], false);
		uint64_t out;

		make_busy(s);
		cr_assert_eq(mmsim_counter(s, "pswpout", &out), 0);
		cr_assert_gt(out, 0, "%s: some pages are in swap at the end", policies[i]);
		mmsim_system_destroy(s);
	}
}

Test(boot, a_paranoid_machine_ends_process_by_process)
{
	struct mmsim_system *s = boot("lru", true);

	make_busy(s); /* each exit is checked: an invariant broken there aborts */
	mmsim_system_destroy(s);
}

static void count_free(void *ctx, const struct mmsim_event *ev)
{
	if (ev->kind == MMSIM_EV_FRAME_FREE)
		++*(unsigned int *)ctx;
}

Test(boot, with_an_event_hook_the_end_frees_each_frame)
{
	struct mmsim_system *s = boot("lru", false);
	unsigned int frees = 0;

	make_busy(s);
	mmsim_set_event_hook(s, count_free, &frees);
	mmsim_system_destroy(s);
	/* The hook is told of each page and table the exits free (none when the machine
	 * goes whole). */
	cr_assert_gt(frees, 0);
}
