/*
 * workloads/grow.c: a heap that grows with brk() and a stack that grows down under
 * deep recursion, the two ways a process's memory grows without mmap.
 *
 * 1. Heap: a linked list built as malloc would build it from brk(): the break moves up
 *    BRK_STEP at a time, and each new node (NODE_WORDS words: next, value, two payload
 *    words) is written in the new space, linked to the previous one: HEAP_BYTES in all.
 *    The list is then walked from its head, following the next pointers read from
 *    simulated memory, and its values summed.
 * 2. Stack: a recursion DEPTH calls deep, each frame FRAME_BYTES below the last (as a
 *    compiler lays out frames), from the top of the [stack] VMA: a call stores its return
 *    address, frame pointer and argument; the return path loads them back and sums the
 *    arguments. The kernel grows the stack VMA page by page on the faults below it, up to
 *    RLIMIT_STACK (8 MiB); the recursion goes to 7 MiB. It runs RECURSIONS times; then
 *    the list is walked again, and what the stack pushed out of memory comes back.
 * 3. Shrink and regrow: brk() gives back the top half of the heap, then takes it again;
 *    the regrown half must read as zeros (Linux frees the pages on shrink).
 * 4. A store 64 KiB beyond the 8 MiB stack limit must end in SIGSEGV (SEGV_MAPERR).
 * Checks: the list's sum and length, each recursion's sum and the saved words of every
 *    frame, the zeros, and the signal.
 *
 * Scale multiplies the heap and the number of recursions (the stack limit stays 8 MiB).
 */
#include <inttypes.h>
#include <stdint.h>

#include "workloads/workloads_impl.h"

#define HEAP_BYTES (UINT64_C(12) << 20)
#define BRK_STEP (UINT64_C(64) << 10)
#define NODE_WORDS 4
#define FRAME_BYTES 192
#define STACK_USE (UINT64_C(7) << 20)
#define STACK_LIMIT (UINT64_C(8) << 20)
#define RECURSIONS 4
#define RET_MAGIC UINT64_C(0x00005555deadbeef)

/* 1. Returns the number of nodes built; *sum gets the sum of their values. */
static uint64_t build_list(struct workload_run *w, struct mmsim_task *t, uint64_t base,
			   uint64_t bytes, uint64_t *sum)
{
	uint64_t brk = base, prev = 0, nodes = 0, node = base;
	const uint64_t node_bytes = NODE_WORDS * 8;

	*sum = 0;
	while (node + node_bytes <= base + bytes && workload_ok(w)) {
		uint64_t value = splitmix64_mix(nodes);

		if (node + node_bytes > brk) {
			uint64_t got;
			int rc = mmsim_brk(t, brk + BRK_STEP, &got);

			if (rc || got != brk + BRK_STEP) {
				workload_fail(w, "brk(0x%" PRIx64 ") failed", brk + BRK_STEP);
				break;
			}
			brk = got;
		}
		workload_store(w, t, node, 0);
		workload_store(w, t, node + 8, value);
		workload_store(w, t, node + 16, ~value);
		workload_store(w, t, node + 24, nodes);
		if (prev)
			workload_store(w, t, prev, node);
		*sum += value;
		prev = node;
		node += node_bytes;
		nodes++;
	}
	return nodes;
}

static void walk_list(struct workload_run *w, struct mmsim_task *t, uint64_t head,
		      uint64_t heap_end, uint64_t want_nodes, uint64_t want_sum)
{
	uint64_t sum = 0, nodes = 0;

	for (uint64_t node = head; node && nodes <= want_nodes && workload_ok(w); nodes++) {
		uint64_t value;

		if (node < head || node + NODE_WORDS * 8 > heap_end) {
			workload_fail(w,
				      "list node %" PRIu64 " is at 0x%" PRIx64
				      ", outside the heap: a next pointer is corrupt",
				      nodes, node);
			return;
		}
		value = workload_load(w, t, node + 8);

		if (workload_load(w, t, node + 16) != ~value ||
		    workload_load(w, t, node + 24) != nodes) {
			workload_fail(w, "list node %" PRIu64 " at 0x%" PRIx64 " is corrupt", nodes,
				      node);
			return;
		}
		sum += value;
		node = workload_load(w, t, node);
	}
	if (workload_ok(w) && (nodes != want_nodes || sum != want_sum))
		workload_fail(w,
			      "the list has %" PRIu64 " nodes summing to 0x%" PRIx64
			      ", want %" PRIu64 " and 0x%" PRIx64,
			      nodes, sum, want_nodes, want_sum);
}

/* 2. The recursion, unrolled: calls down to depth, then the returns back up. */
static void recurse(struct workload_run *w, struct mmsim_task *t, uint64_t top, uint64_t depth,
		    uint64_t seed)
{
	uint64_t sp = top, fp = 0, sum = 0, want = 0;

	for (uint64_t d = 0; d < depth && workload_ok(w); d++) {
		sp -= FRAME_BYTES;
		workload_store(w, t, sp + FRAME_BYTES - 8, RET_MAGIC + d); /* return address */
		workload_store(w, t, sp + FRAME_BYTES - 16, fp);	   /* saved frame pointer */
		workload_store(w, t, sp, seed + d);			   /* the argument */
		fp = sp + FRAME_BYTES - 16;
		want += seed + d;
	}
	for (uint64_t d = depth; d-- > 0 && workload_ok(w);) {
		uint64_t ret = workload_load(w, t, sp + FRAME_BYTES - 8);
		uint64_t saved = workload_load(w, t, sp + FRAME_BYTES - 16);

		sum += workload_load(w, t, sp);
		if (ret != RET_MAGIC + d || saved != (d ? sp + 2 * FRAME_BYTES - 16 : 0)) {
			workload_fail(w, "frame %" PRIu64 " at 0x%" PRIx64 ": saved words corrupt",
				      d, sp);
			return;
		}
		sp += FRAME_BYTES;
	}
	if (workload_ok(w) && sum != want)
		workload_fail(w, "recursion summed 0x%" PRIx64 ", want 0x%" PRIx64, sum, want);
}

/* 3. Shrink the heap by half, regrow it, and read the regrown half: zeros. */
static void shrink_regrow(struct workload_run *w, struct mmsim_task *t, uint64_t base, uint64_t end)
{
	uint64_t half = base + ((end - base) / 2 & ~UINT64_C(0xfff)), got;

	if (mmsim_brk(t, half, &got) || got != half || mmsim_brk(t, end, &got) || got != end) {
		workload_fail(w, "brk could not shrink the heap to 0x%" PRIx64 " and regrow it",
			      half);
		return;
	}
	for (uint64_t va = half; va < end && workload_ok(w); va += 64) {
		uint64_t v = workload_load(w, t, va);

		if (v)
			workload_fail(w,
				      "regrown heap at 0x%" PRIx64 " reads 0x%" PRIx64
				      ", want 0 (pages freed by the shrink)",
				      va, v);
	}
}

static void grow_run(struct workload_run *w)
{
	uint64_t heap = workload_size(w, HEAP_BYTES, BRK_STEP);
	uint64_t depth = (STACK_USE >> w->shrink) / FRAME_BYTES;
	uint64_t base, brk_end, nodes, sum, stack_top, maj;
	struct mmsim_task_layout l;
	unsigned int recursions = RECURSIONS * w->scale;
	struct mmsim_task *t;
	uint64_t probe = 1;

	w->res->planned =
		heap / (NODE_WORDS * 8) * 13 + (uint64_t)recursions * depth * 6 + heap / 2 / 64;
	t = workload_spawn(w);
	if (!t)
		return;
	if (mmsim_brk(t, 0, &base) || mmsim_task_layout(t, &l) || !l.stack_end) {
		workload_fail(w, "no heap or no [stack] VMA in a new process");
		return;
	}
	stack_top = l.stack_end;
	/* 1. */
	nodes = build_list(w, t, base, heap, &sum);
	mmsim_brk(t, 0, &brk_end);
	walk_list(w, t, nodes ? base : 0, brk_end, nodes, sum);
	workload_note(w, "heap: %" PRIu64 " list nodes in %" PRIu64 " KiB of brk() steps", nodes,
		      (brk_end - base) >> 10);
	/* 2. */
	maj = workload_counter(w, "pgmajfault");
	for (unsigned int r = 0; r < recursions && workload_ok(w); r++)
		recurse(w, t, stack_top - 256, depth, workload_rand(w));
	if (workload_ok(w) && mmsim_task_layout(t, &l) == 0 && l.stack_end)
		workload_note(w,
			      "stack: %u recursions %" PRIu64
			      " frames deep; [stack] is now %" PRIu64
			      " KiB; major faults: %" PRIu64,
			      recursions, depth, (l.stack_end - l.stack_start) >> 10,
			      workload_counter(w, "pgmajfault") - maj);
	/* The list again: what the stack pushed out comes back from swap. */
	maj = workload_counter(w, "pgmajfault");
	walk_list(w, t, nodes ? base : 0, brk_end, nodes, sum);
	workload_note(w, "heap: the list walked again; major faults: %" PRIu64,
		      workload_counter(w, "pgmajfault") - maj);
	/* 3. */
	if (workload_ok(w))
		shrink_regrow(w, t, base, brk_end);
	/* 4. Beyond RLIMIT_STACK: a raw store, since a signal is the expected outcome. */
	if (workload_ok(w)) {
		uint64_t va = stack_top - STACK_LIMIT - (UINT64_C(64) << 10);
		enum mmsim_signal sig = mmsim_write(t, va, &probe, sizeof(probe));

		if (sig != MMSIM_SIG_SEGV_MAPERR)
			workload_fail(w,
				      "a store at 0x%" PRIx64 ", beyond the 8 MiB stack limit, "
				      "ended in signal %d, want SIGSEGV (SEGV_MAPERR)",
				      va, (int)sig);
	}
	workload_pass(w,
		      "%" PRIu64 "-node list on the brk heap, %u recursions on a %" PRIu64
		      " KiB stack, zeros after shrink and regrow, SIGSEGV past the stack limit",
		      nodes, recursions, depth * FRAME_BYTES >> 10);
}

const struct workload_def workload_grow = {
	.info = {
		.name = "grow",
		.summary = "heap growth by brk() (a linked list) and stack growth by deep recursion",
		.config = "mem=16M swap=64M",
	},
	.run = grow_run,
};
