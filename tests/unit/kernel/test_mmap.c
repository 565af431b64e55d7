/*
 * tests/unit/kernel/test_mmap.c: the argument checks of mmap, munmap, mprotect, madvise
 * and mremap return what Linux returns (mm/mmap.c do_mmap(), mm/mremap.c), MAP_FIXED
 * replaces what was mapped (its data is gone), MAP_FIXED_NOREPLACE refuses with EEXIST and
 * leaves the mapping alone, and a refused call changes nothing (mmsim_check() holds, the
 * maps are as before).
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "mmsim/mmsim.h"

#define PAGE 4096u
#define RW (MMSIM_PROT_READ | MMSIM_PROT_WRITE)
#define ANON (MMSIM_MAP_PRIVATE | MMSIM_MAP_ANONYMOUS)

static struct mmsim_system *sys;
static struct mmsim_task *t;

static void boot(void)
{
	struct mmsim_config c;
	struct mmsim_error err = { 0 };

	mmsim_config_default(&c);
	c.mem_bytes = UINT64_C(16) << 20;
	c.data_mode = true;
	cr_assert_eq(mmsim_system_create(&c, &sys, &err), 0, "%s", err.msg);
	cr_assert_eq(mmsim_task_spawn(sys, &t), 0);
}

static void shutdown(void)
{
	struct mmsim_error err = { 0 };

	cr_assert_eq(mmsim_check(sys, &err), 0, "%s", err.msg);
	mmsim_task_exit(t);
	mmsim_system_destroy(sys);
}

static char *maps(void)
{
	char *text = NULL;

	cr_assert_eq(mmsim_report(sys, t, "maps", &text, NULL), 0);
	return text;
}

TestSuite(mmap_errors, .init = boot, .fini = shutdown);

Test(mmap_errors, mmap_argument_checks)
{
	uint64_t a = 0xdead;
	char *before = maps(), *after;

	cr_assert_eq(mmsim_mmap(t, 0, 0, RW, ANON, &a), -EINVAL, "len 0");
	cr_assert_eq(mmsim_mmap(t, 0, PAGE, RW, MMSIM_MAP_ANONYMOUS, &a), -EINVAL,
		     "neither shared nor private");
	cr_assert_eq(mmsim_mmap(t, 0, PAGE, RW,
				MMSIM_MAP_SHARED | MMSIM_MAP_PRIVATE | MMSIM_MAP_ANONYMOUS, &a),
		     -EINVAL, "both shared and private");
	cr_assert_eq(mmsim_mmap(t, 0, PAGE, 8, ANON, &a), -EINVAL, "unknown prot bit");
	cr_assert_eq(mmsim_mmap(t, 0, PAGE, RW, MMSIM_MAP_PRIVATE, &a), -EBADF,
		     "a file mapping without a file");
	cr_assert_eq(mmsim_mmap(t, 0, UINT64_C(1) << 62, RW, ANON, &a), -ENOMEM, "len > TASK_SIZE");
	cr_assert_eq(mmsim_mmap(t, 0, UINT64_MAX - 100, RW, ANON, &a), -ENOMEM,
		     "len wraps when page-aligned");
	cr_assert_eq(mmsim_mmap(t, 0x10000123, PAGE, RW, ANON | MMSIM_MAP_FIXED, &a), -EINVAL,
		     "MAP_FIXED, unaligned");
	cr_assert_eq(
		mmsim_mmap(t, UINT64_C(0x7ffffffff000), 2 * PAGE, RW, ANON | MMSIM_MAP_FIXED, &a),
		-ENOMEM, "MAP_FIXED past TASK_SIZE");
	cr_assert_eq(a, 0xdead, "a refused mmap wrote an address");
	after = maps();
	cr_assert_str_eq(before, after);
	free(before);
	free(after);
}

Test(mmap_errors, map_fixed_replaces_and_noreplace_refuses)
{
	uint64_t a, b, v = 0x1122334455667788, got = 1;

	cr_assert_eq(mmsim_mmap(t, 0, 4 * PAGE, RW, ANON, &a), 0);
	cr_assert_eq(mmsim_write(t, a + PAGE, &v, 8), MMSIM_SIG_NONE);
	/* NOREPLACE over the second page: EEXIST, and the data stays. */
	cr_assert_eq(mmsim_mmap(t, a + PAGE, PAGE, RW, ANON | MMSIM_MAP_FIXED_NOREPLACE, &b),
		     -EEXIST);
	cr_assert_eq(mmsim_read(t, a + PAGE, &got, 8), MMSIM_SIG_NONE);
	cr_assert_eq(got, v);
	/* NOREPLACE where it is free works, at exactly that address. */
	cr_assert_eq(mmsim_mmap(t, a - 8 * PAGE, PAGE, RW, ANON | MMSIM_MAP_FIXED_NOREPLACE, &b),
		     0);
	cr_assert_eq(b, a - 8 * PAGE);
	/* MAP_FIXED over it: a new, zero-filled, read-only page; the old data is gone. */
	cr_assert_eq(mmsim_mmap(t, a + PAGE, PAGE, MMSIM_PROT_READ, ANON | MMSIM_MAP_FIXED, &b), 0);
	cr_assert_eq(b, a + PAGE);
	cr_assert_eq(mmsim_read(t, a + PAGE, &got, 8), MMSIM_SIG_NONE);
	cr_assert_eq(got, 0, "MAP_FIXED kept the old data: %#llx", (unsigned long long)got);
	cr_assert_eq(mmsim_write(t, a + PAGE, &v, 8), MMSIM_SIG_SEGV_ACCERR);
	cr_assert_eq(mmsim_write(t, a, &v, 8), MMSIM_SIG_NONE, "its neighbours stay");
}

Test(mmap_errors, munmap_mprotect_madvise_checks)
{
	uint64_t a;

	cr_assert_eq(mmsim_mmap(t, 0, 4 * PAGE, RW, ANON, &a), 0);
	cr_assert_eq(mmsim_munmap(t, a + 1, PAGE), -EINVAL, "munmap unaligned");
	cr_assert_eq(mmsim_munmap(t, a, 0), -EINVAL, "munmap len 0");
	cr_assert_eq(mmsim_mprotect(t, a + 1, PAGE, MMSIM_PROT_READ), -EINVAL);
	cr_assert_eq(mmsim_mprotect(t, a, PAGE, 8), -EINVAL, "unknown prot bit");
	cr_assert_eq(mmsim_mprotect(t, a + 64 * PAGE, PAGE, MMSIM_PROT_READ), -ENOMEM,
		     "mprotect of an unmapped range");
	cr_assert_eq(mmsim_madvise(t, a + 1, PAGE, MMSIM_MADV_DONTNEED), -EINVAL);
	cr_assert_eq(mmsim_madvise(t, a, PAGE, 12345), -EINVAL, "unknown advice");
	/* munmap of nothing mapped is no error (Linux). */
	cr_assert_eq(mmsim_munmap(t, a + 64 * PAGE, PAGE), 0);
}

Test(mmap_errors, mremap_refusals)
{
	uint64_t a, b, out = 0xdead;

	cr_assert_eq(mmsim_mmap(t, 0, 4 * PAGE, RW, ANON, &a), 0);
	cr_assert_eq(mmsim_mremap(t, a + 1, PAGE, 2 * PAGE, MMSIM_MREMAP_MAYMOVE, 0, &out), -EINVAL,
		     "unaligned");
	cr_assert_eq(mmsim_mremap(t, a, PAGE, 0, MMSIM_MREMAP_MAYMOVE, 0, &out), -EINVAL,
		     "new_len 0");
	cr_assert_eq(mmsim_mremap(t, a, PAGE, 2 * PAGE, 64, 0, &out), -EINVAL, "unknown flag");
	cr_assert_eq(mmsim_mremap(t, a, PAGE, 2 * PAGE, MMSIM_MREMAP_FIXED, a + 64 * PAGE, &out),
		     -EINVAL, "MREMAP_FIXED without MAYMOVE");
	cr_assert_eq(mmsim_mremap(t, a + 64 * PAGE, PAGE, 2 * PAGE, MMSIM_MREMAP_MAYMOVE, 0, &out),
		     -EFAULT, "no VMA there");
	cr_assert_eq(mmsim_mremap(t, a, 8 * PAGE, 16 * PAGE, MMSIM_MREMAP_MAYMOVE, 0, &out),
		     -EFAULT, "old range past the VMA");
	/* Growing in place is blocked by a mapping just above: without MAYMOVE, ENOMEM. */
	cr_assert_eq(mmsim_mmap(t, a + 4 * PAGE, PAGE, MMSIM_PROT_READ,
				ANON | MMSIM_MAP_FIXED_NOREPLACE, &b),
		     0);
	cr_assert_eq(mmsim_mremap(t, a, 4 * PAGE, 8 * PAGE, 0, 0, &out), -ENOMEM);
	cr_assert_eq(out, 0xdead, "a refused mremap wrote an address");
}

/*
 * A hint whose end wraps past 2^64 is not a valid hint (Linux mmap_address_hint_valid():
 * TASK_SIZE - len < addr): the mapping goes where the search puts it, inside user space.
 * Found by the kernel fuzz target (the hint was taken and a VMA 0xfffffffffff35000-0xef000
 * was made).
 */
Test(mmap_errors, a_hint_that_wraps_is_ignored)
{
	uint64_t a = 0, len = 0x1ba000;

	cr_assert_eq(mmsim_mmap(t, UINT64_C(0xfffffffffff35000), len, MMSIM_PROT_READ, ANON, &a),
		     0);
	cr_assert_lt(a, UINT64_C(0x00007ffffffff000));
	cr_assert_geq(a, UINT64_C(0x10000));
	cr_assert_eq(mmsim_mmap(t, UINT64_C(0x00007fffffffe000), 2 * PAGE, RW, ANON, &a), 0,
		     "a hint whose end passes TASK_SIZE");
	cr_assert_leq(a + 2 * PAGE, UINT64_C(0x00007ffffffff000));
}

/* Growing in place stops at TASK_SIZE whatever the new length (no wrap past 2^64). */
Test(mmap_errors, mremap_growth_cannot_wrap)
{
	uint64_t a = 0, b = 0xdead;

	cr_assert_eq(mmsim_mmap(t, 0, PAGE, RW, ANON, &a), 0);
	cr_assert_neq(mmsim_mremap(t, a, PAGE, UINT64_MAX - a + 1 + PAGE, 1, 0, &b), 0);
	cr_assert_eq(b, 0xdead);
}
