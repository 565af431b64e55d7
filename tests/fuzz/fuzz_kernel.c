/*
 * tests/fuzz/fuzz_kernel.c: libFuzzer target that drives the whole machine. The input is
 * decoded into a sequence of library calls (spawn, fork, mmap private/shared/fixed/
 * populate, touch, read/write data, munmap, mprotect, madvise (huge pages too), mremap,
 * brk, exit, compact_memory, sleep for khugepaged) on a
 * tiny machine (16 MiB, a small frame cap, swap, a policy and reclaim mode from the first
 * bytes) with paranoid=on, so every checker runs after every operation and a broken
 * invariant aborts: a crash for the fuzzer. Any argument, however wrong, must come back
 * as an error code, never a crash.
 *
 * Run: tests/fuzz/run_fuzz.sh SECONDS kernel. `make test` replays tests/fuzz/corpus/kernel
 * (tests/fuzz/replay.c).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mmsim/mmsim.h"

#define MAX_TASKS 4
#define MAX_OPS 256

struct input {
	const uint8_t *p;
	size_t n;
};

static uint64_t take(struct input *in, unsigned int bytes)
{
	uint64_t v = 0;

	for (unsigned int i = 0; i < bytes; i++) {
		v = v << 8 | (in->n ? *in->p : 0);
		if (in->n) {
			in->p++;
			in->n--;
		}
	}
	return v;
}

/* An address near the ones the machine hands out, or anywhere. */
static uint64_t addr(struct input *in, const uint64_t *seen)
{
	uint64_t sel = take(in, 1), off = take(in, 2) * 4096;

	switch (sel % 4) {
	case 0:
		return seen[sel / 4 % 8] + off;
	case 1:
		return seen[sel / 4 % 8] - off;
	case 2:
		return take(in, 8);
	default:
		return UINT64_C(0x7ffff0000000) + off;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const policies[] = { "linux", "fifo", "lru", "clock", "nru", "random" };
	struct input in = { data, size };
	struct mmsim_config c;
	struct mmsim_error err = { 0 };
	struct mmsim_system *sys;
	struct mmsim_task *t[MAX_TASKS] = { 0 };
	/* Arguments are decoded into locals one by one: C leaves the order in which a call's
	 * arguments are evaluated open (gcc and clang differ), and a corpus must decode the
	 * same under the libFuzzer build (clang) and the replay in make test (gcc). */
	uint64_t seen[8] = { 0 }, a, brk, x, len, len2;
	int prot, flags;
	uint8_t buf[64];
	unsigned int setup = (unsigned int)take(&in, 1);

	mmsim_config_default(&c);
	c.mem_bytes = UINT64_C(16) << 20;
	c.swap_bytes = setup & 1 ? UINT64_C(1) << 20 : 0;
	c.frames = setup & 2 ? 8 + take(&in, 1) % 64 : 0;
	c.data_mode = setup & 4;
	c.paranoid = true;
	snprintf(c.policy, sizeof(c.policy), "%s", policies[(setup >> 3) % 6]);
	snprintf(c.reclaim, sizeof(c.reclaim), "%s", setup & 0x80 ? "demand" : "linux");
	/* Transparent huge pages from the policy bits' high part (no byte of its own, so
	 * older corpus inputs decode as before): always, and defrag=always, on some. */
	snprintf(c.thp, sizeof(c.thp), "%s", ((setup >> 3) / 6) & 1 ? "always" : "madvise");
	snprintf(c.defrag, sizeof(c.defrag), "%s", ((setup >> 3) / 12) & 1 ? "always" : "madvise");
	if (mmsim_system_create(&c, &sys, &err))
		return 0;
	for (unsigned int op = 0; op < MAX_OPS && in.n; op++) {
		unsigned int code = (unsigned int)take(&in, 1), k = code >> 4 & (MAX_TASKS - 1);
		struct mmsim_task *task = t[k];
		unsigned int slot = (unsigned int)take(&in, 1) % 8;

		if (task && !mmsim_task_alive(task) && (code & 0xf) != 12) {
			mmsim_task_exit(task);
			t[k] = NULL;
			continue;
		}
		if (!task && (code & 0xf) != 0)
			continue;
		switch (code & 0xf) {
		case 0:
			if (!task)
				mmsim_task_spawn(sys, &t[k]);
			break;
		case 1:
			for (unsigned int j = 0; j < MAX_TASKS; j++)
				if (!t[j]) {
					mmsim_task_fork(task, &t[j]);
					break;
				}
			break;
		case 2:
			x = addr(&in, seen);
			len = take(&in, 2) * 64;
			prot = (int)take(&in, 1) % 8;
			flags = (int)take(&in, 4);
			if (!mmsim_mmap(task, x, len, prot, flags, &a))
				seen[slot] = a;
			break;
		case 3:
		case 4:
			x = addr(&in, seen);
			prot = (int)take(&in, 1) % 3;
			mmsim_access(task, x, (enum mmsim_access)prot, take(&in, 1) & 1);
			break;
		case 5:
			mmsim_write(task, addr(&in, seen), data,
				    size < sizeof(buf) ? size : sizeof(buf));
			break;
		case 6:
			x = addr(&in, seen);
			mmsim_read(task, x, buf, take(&in, 1) % sizeof(buf));
			break;
		case 7:
			x = addr(&in, seen);
			mmsim_munmap(task, x, take(&in, 2) * 256);
			break;
		case 8:
			x = addr(&in, seen);
			len = take(&in, 2) * 256;
			mmsim_mprotect(task, x, len, (int)take(&in, 1));
			break;
		case 9:
			x = addr(&in, seen);
			len = take(&in, 2) * 256;
			/* 8..15: the advice mmsim knows, others: any value (EINVAL). */
			prot = (int)take(&in, 1) % 16;
			mmsim_madvise(task, x, len,
				      prot < 8 ? prot
					       : (const int[]){ MMSIM_MADV_DONTNEED,
								MMSIM_MADV_PAGEOUT,
								MMSIM_MADV_HUGEPAGE,
								MMSIM_MADV_NOHUGEPAGE }[prot % 4]);
			break;
		case 10:
			x = addr(&in, seen);
			len = take(&in, 2) * 256;
			len2 = take(&in, 2) * 256;
			flags = (int)take(&in, 1) % 4;
			if (!mmsim_mremap(task, x, len, len2, flags, addr(&in, seen), &a))
				seen[slot] = a;
			break;
		case 11:
			mmsim_brk(task, 0, &brk);
			mmsim_brk(task, brk + ((int64_t)take(&in, 1) - 128) * 4096, &brk);
			break;
		case 12:
			mmsim_task_exit(task);
			t[k] = NULL;
			break;
		case 13:
			mmsim_drop_caches(sys);
			break;
		case 14:
			if (!(code & 0x40)) {
				mmsim_compact_memory(sys);
				break;
			}
			mmsim_sleep(sys, take(&in, 2));
			break;
		default: {
			char *text = NULL;

			if (!mmsim_report(sys, task, code & 1 ? "smaps" : "maps", &text, &err))
				free(text);
			break;
		}
		}
	}
	if (mmsim_check(sys, &err)) {
		fprintf(stderr, "fuzz_kernel: invariant broken at the end: %s\n", err.msg);
		__builtin_trap();
	}
	for (unsigned int j = 0; j < MAX_TASKS; j++)
		if (t[j])
			mmsim_task_exit(t[j]);
	mmsim_system_destroy(sys);
	return 0;
}
