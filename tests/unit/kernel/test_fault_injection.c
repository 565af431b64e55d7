/*
 * tests/unit/kernel/test_fault_injection.c: host out-of-memory, everywhere. This test is
 * linked with -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc (tests/tests.cmake), so every
 * host allocation the library makes goes through the wrappers below. For every N up to
 * the number of allocations a small session makes, the session is run again with the Nth
 * allocation failing: each call must return its documented error (-ENOMEM, or a failed
 * create with a message) or succeed, the machine must stay consistent (mmsim_check()), and
 * everything must be freed at the end (LeakSanitizer checks this in the ASan build).
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mmsim/mmsim.h"
#include "mmsim/script.h"

void *__real_malloc(size_t size);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t size);

static long countdown = -1; /* allocations left before one fails; -1: never fail */
static long calls;	    /* allocations seen while counting */
static bool failed;	    /* the injected failure happened */

static bool fail_now(void)
{
	if (countdown < 0)
		return false;
	calls++;
	if (countdown-- == 0) {
		failed = true;
		return true;
	}
	return false;
}

void *__wrap_malloc(size_t size)
{
	return fail_now() ? NULL : __real_malloc(size);
}

void *__wrap_calloc(size_t n, size_t size)
{
	return fail_now() ? NULL : __real_calloc(n, size);
}

void *__wrap_realloc(void *p, size_t size)
{
	return fail_now() ? NULL : __real_realloc(p, size);
}

/* One small session through the library; a call that breaks its contract fails the test. */
static void session(void)
{
	struct mmsim_config c;
	struct mmsim_error err = { 0 };
	struct mmsim_system *sys = NULL;
	struct mmsim_task *t = NULL, *child = NULL;
	uint64_t a = 0, v = 42, got = 0;
	char *text = NULL;
	int rc;

	mmsim_config_default(&c);
	c.mem_bytes = UINT64_C(8) << 20;
	c.swap_bytes = UINT64_C(1) << 20;
	c.frames = 16;
	c.data_mode = true;
	snprintf(c.policy, sizeof(c.policy), "lru");
	rc = mmsim_system_create(&c, &sys, &err);
	if (rc) {
		cr_assert_eq(rc, -ENOMEM, "create: %d %s", rc, err.msg);
		cr_assert(err.msg[0], "create failed without a message");
		return;
	}
	rc = mmsim_task_spawn(sys, &t);
	cr_assert(rc == 0 || rc == -ENOMEM, "spawn: %d", rc);
	if (!rc) {
		rc = mmsim_mmap(t, 0, 32 * 4096, MMSIM_PROT_READ | MMSIM_PROT_WRITE,
				MMSIM_MAP_PRIVATE | MMSIM_MAP_ANONYMOUS, &a);
		cr_assert(rc == 0 || rc == -ENOMEM, "mmap: %d", rc);
		for (unsigned int i = 0; !rc && i < 32; i++)
			mmsim_write(t, a + i * 4096, &v, 8);
		rc = mmsim_task_fork(t, &child);
		cr_assert(rc == 0 || rc == -ENOMEM, "fork: %d", rc);
		if (!rc && a && mmsim_task_alive(child))
			mmsim_read(child, a, &got, 8);
		rc = mmsim_report(sys, t, "smaps", &text, &err);
		cr_assert(rc == 0 || rc == -ENOMEM, "report: %d", rc);
		free(text);
		text = NULL;
	}
	rc = mmsim_report(sys, NULL, "vmstat", &text, &err);
	cr_assert(rc == 0 || rc == -ENOMEM, "vmstat: %d", rc);
	free(text);
	countdown = -1; /* the checker's own scratch memory is not under test */
	cr_assert_eq(mmsim_check(sys, &err), 0, "after the failure: %s", err.msg);
	if (child)
		mmsim_task_exit(child);
	if (t)
		mmsim_task_exit(t);
	mmsim_system_destroy(sys);
}

Test(fault_injection, every_host_allocation_can_fail)
{
	long total, n;

	countdown = LONG_MAX;
	calls = 0;
	session();
	total = calls;
	countdown = -1;
	cr_assert_gt(total, 3, "the session made %ld host allocations", total);
	for (n = 0; n < total; n++) {
		countdown = n;
		failed = false;
		session();
		countdown = -1;
		cr_assert(failed, "allocation %ld of %ld was never reached", n, total);
	}
}

/* The scenario-script parser and runner, which allocate per line. */
static void script_session(void)
{
	static const char text[] = "config mem=16M swap=1M frames=8 policy=fifo data=on\n"
				   "spawn P\nP map A 16\nP write A 0-15\nP fork Q\n"
				   "Q read A 0-15\nexpect P minflt >= 0\nshow P maps\nQ exit\n";
	struct mmsim_script *s = NULL;
	struct mmsim_script_result res;
	struct mmsim_error err = { 0 };
	int rc = mmsim_script_parse(text, sizeof(text) - 1, "t.mms", &s, &err);

	if (rc) {
		cr_assert_eq(rc, -ENOMEM, "parse: %d %s", rc, err.msg);
		return;
	}
	rc = mmsim_script_run(s, NULL, &res, &err);
	cr_assert(rc == 0 || rc == -ENOMEM, "run: %d %s", rc, err.msg);
	cr_assert(rc == 0 || err.msg[0], "a failed run without a message");
	mmsim_script_destroy(s);
}

Test(fault_injection, scripts_survive_any_failed_allocation)
{
	long total;

	countdown = LONG_MAX;
	calls = 0;
	script_session();
	total = calls;
	countdown = -1;
	cr_assert_gt(total, 3);
	for (long n = 0; n < total; n++) {
		countdown = n;
		failed = false;
		script_session();
		countdown = -1;
		cr_assert(failed, "allocation %ld of %ld was never reached", n, total);
	}
}
