/*
 * tests/unit/replay/test_replay.c: trace replay (mmsim/replay.h): the VMA rule, pids as
 * processes, records as page accesses, the pre-pass's next-use positions and footprint,
 * and the textbook reference string (Belady's anomaly) end to end.
 *
 * Expected values are worked out by hand from the rule in mmsim/replay.h and docs/run.md,
 * and from the textbook for the reference string; none is taken from mmsim's output.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mmsim/error.h"
#include "mmsim/mmsim.h"
#include "mmsim/replay.h"
#include "mmsim/trace.h"
#include "util/macros.h"

#define MIB (UINT64_C(1) << 20)

struct machine {
	struct mmsim_system *sys;
	struct mmsim_replay *rp;
};

static void boot(struct machine *m, const char *policy, const char *frames)
{
	struct mmsim_config c;
	struct mmsim_error err = { 0 };

	mmsim_config_default(&c);
	cr_assert_eq(mmsim_config_set(&c, "swap", "64M", &err), 0, "%s", err.msg);
	if (policy) {
		cr_assert_eq(mmsim_config_set(&c, "reclaim", "demand", &err), 0, "%s", err.msg);
		cr_assert_eq(mmsim_config_set(&c, "policy", policy, &err), 0, "%s", err.msg);
		cr_assert_eq(mmsim_config_set(&c, "frames", frames, &err), 0, "%s", err.msg);
	}
	cr_assert_eq(mmsim_system_create(&c, &m->sys, &err), 0, "%s", err.msg);
	cr_assert_eq(mmsim_replay_create(m->sys, &m->rp, &err), 0, "%s", err.msg);
}

static void machine_down(struct machine *m)
{
	mmsim_replay_destroy(m->rp);
	mmsim_system_destroy(m->sys);
}

static void replay(struct machine *m, uint32_t pid, enum mmsim_trace_kind kind, uint64_t addr,
		   uint32_t size)
{
	struct mmsim_trace_record rec = { .addr = addr, .pid = pid, .size = size, .kind = kind };
	struct mmsim_error err = { 0 };

	cr_assert_eq(mmsim_replay_record(m->rp, &rec, &err), 0, "%s", err.msg);
}

static struct mmsim_replay_stats stats(const struct machine *m)
{
	struct mmsim_replay_stats st;

	mmsim_replay_get_stats(m->rp, &st);
	return st;
}

/* The VMA of task i that contains va, from /proc/PID/maps: false if none. */
static bool vma_at(struct machine *m, size_t i, uint64_t va, uint64_t *start, uint64_t *end,
		   char perms[5])
{
	struct mmsim_task *t = mmsim_replay_task(m->rp, i, NULL);
	struct mmsim_error err = { 0 };
	char *maps, *line;
	bool found = false;

	cr_assert_not_null(t);
	cr_assert_eq(mmsim_report(m->sys, t, "maps", &maps, &err), 0, "%s", err.msg);
	for (line = maps; line && *line; line = strchr(line, '\n'), line = line ? line + 1 : NULL) {
		unsigned long long s, e;
		char p[5] = "";

		if (sscanf(line, "%llx-%llx %4s", &s, &e, p) == 3 && s <= va && va < e) {
			*start = s;
			*end = e;
			memcpy(perms, p, 5);
			found = true;
			break;
		}
	}
	free(maps);
	return found;
}

static uint64_t stack_top(struct machine *m, size_t i)
{
	struct mmsim_task *t = mmsim_replay_task(m->rp, i, NULL);
	struct mmsim_error err = { 0 };
	unsigned long long s = 0, e = 0;
	char *maps, *tag;

	cr_assert_eq(mmsim_report(m->sys, t, "maps", &maps, &err), 0, "%s", err.msg);
	tag = strstr(maps, "[stack]");
	cr_assert_not_null(tag, "no [stack] in:\n%s", maps);
	while (tag > maps && tag[-1] != '\n')
		tag--;
	cr_assert_eq(sscanf(tag, "%llx-%llx", &s, &e), 2);
	free(maps);
	return e;
}

Test(replay, maps_the_2mib_region_around_a_first_touch)
{
	struct machine m;
	uint64_t s, e;
	char perms[5];

	boot(&m, NULL, NULL);
	replay(&m, 0, MMSIM_TRACE_LOAD, 0x10012345, 4);
	cr_assert(vma_at(&m, 0, 0x10012345, &s, &e, perms));
	cr_assert_eq(s, 0x10000000);
	cr_assert_eq(e, 0x10200000);
	cr_assert_str_eq(perms, "rwxp");
	/* A second touch in the same region maps nothing more. */
	replay(&m, 0, MMSIM_TRACE_STORE, 0x101ff000, 8);
	cr_assert_eq(stats(&m).regions_mapped, 1);
	cr_assert_eq(stats(&m).segv_maperr + stats(&m).segv_accerr, 0);
	machine_down(&m);
}

Test(replay, a_record_across_a_region_edge_touches_both_pages)
{
	struct machine m;
	uint64_t s, e;
	char perms[5];

	boot(&m, NULL, NULL);
	replay(&m, 0, MMSIM_TRACE_STORE, 0x101ffffc, 8);
	cr_assert_eq(stats(&m).regions_mapped, 2);
	cr_assert_eq(stats(&m).accesses, 2);
	cr_assert_eq(stats(&m).stores, 2);
	cr_assert(vma_at(&m, 0, 0x10200000, &s, &e, perms));
	cr_assert_eq(e, 0x10400000);
	machine_down(&m);
}

Test(replay, instruction_fetches_run_in_mapped_regions)
{
	struct machine m;

	boot(&m, NULL, NULL);
	replay(&m, 0, MMSIM_TRACE_IFETCH, 0x401ab70, 3);
	cr_assert_eq(stats(&m).fetches, 1);
	cr_assert_eq(stats(&m).segv_accerr, 0);
	machine_down(&m);
}

Test(replay, the_stack_zone_grows_the_stack_instead)
{
	struct machine m;
	uint64_t top, s, e, va;
	char perms[5];

	boot(&m, NULL, NULL);
	replay(&m, 0, MMSIM_TRACE_LOAD, 0x10000000, 8);
	top = stack_top(&m, 0);
	va = top - 3 * MIB;
	replay(&m, 0, MMSIM_TRACE_STORE, va, 8);
	cr_assert_eq(stats(&m).regions_mapped, 1, "the stack zone must not get a region");
	cr_assert_eq(stats(&m).segv_maperr, 0);
	cr_assert(vma_at(&m, 0, va, &s, &e, perms));
	cr_assert_eq(e, top, "the [stack] VMA grew down to the access");
	cr_assert_leq(s, va);
	machine_down(&m);
}

Test(replay, regions_stop_where_the_stack_zone_begins)
{
	struct machine m;
	uint64_t top, floor, s, e;
	char perms[5];

	boot(&m, NULL, NULL);
	replay(&m, 0, MMSIM_TRACE_LOAD, 0x10000000, 8);
	top = stack_top(&m, 0);
	floor = top - MMSIM_REPLAY_STACK_BYTES;
	replay(&m, 0, MMSIM_TRACE_STORE, floor - 4096, 8);
	cr_assert(vma_at(&m, 0, floor - 4096, &s, &e, perms));
	cr_assert_eq(s, (floor - 4096) & ~(MMSIM_REPLAY_REGION_BYTES - 1));
	cr_assert_eq(e, floor, "clipped at the stack's 8 MiB, not at the 2 MiB edge");
	machine_down(&m);
}

Test(replay, low_and_kernel_addresses_are_never_mapped)
{
	struct machine m;

	boot(&m, NULL, NULL);
	replay(&m, 0, MMSIM_TRACE_LOAD, 0x1000, 8);			  /* below mmap_min_addr */
	replay(&m, 0, MMSIM_TRACE_LOAD, UINT64_C(0xffff888000001000), 8); /* the direct map */
	cr_assert_eq(stats(&m).regions_mapped, 0);
	cr_assert_eq(stats(&m).segv_maperr, 2);
	machine_down(&m);
}

Test(replay, above_the_stack_only_5_level_paging_maps)
{
	struct machine m;
	struct mmsim_config c;
	struct mmsim_error err = { 0 };
	uint64_t va = UINT64_C(1) << 52, s, e;
	char perms[5];

	boot(&m, NULL, NULL);
	replay(&m, 0, MMSIM_TRACE_STORE, va, 8);
	cr_assert_eq(stats(&m).segv_maperr, 1, "4-level: no user space at 2^52");
	cr_assert_eq(stats(&m).map_failures, 0, "refused, not failed");
	machine_down(&m);

	mmsim_config_default(&c);
	cr_assert_eq(mmsim_config_set(&c, "layout", "la57", &err), 0, "%s", err.msg);
	cr_assert_eq(mmsim_system_create(&c, &m.sys, &err), 0, "%s", err.msg);
	cr_assert_eq(mmsim_replay_create(m.sys, &m.rp, &err), 0, "%s", err.msg);
	replay(&m, 0, MMSIM_TRACE_STORE, va, 8);
	cr_assert_eq(stats(&m).segv_maperr, 0);
	cr_assert(vma_at(&m, 0, va, &s, &e, perms));
	cr_assert_eq(s, va);
	cr_assert_eq(e, va + MMSIM_REPLAY_REGION_BYTES);
	machine_down(&m);
}

Test(replay, a_region_below_64k_starts_at_64k)
{
	struct machine m;
	uint64_t s, e;
	char perms[5];

	boot(&m, NULL, NULL);
	replay(&m, 0, MMSIM_TRACE_LOAD, 0x12345, 8);
	cr_assert(vma_at(&m, 0, 0x12345, &s, &e, perms));
	cr_assert_eq(s, 0x10000);
	cr_assert_eq(e, 0x200000);
	machine_down(&m);
}

Test(replay, each_pid_is_a_process_in_order_of_appearance)
{
	struct machine m;
	uint32_t tpid;

	boot(&m, NULL, NULL);
	replay(&m, 7, MMSIM_TRACE_STORE, 0x10000000, 8);
	replay(&m, 9, MMSIM_TRACE_STORE, 0x10000000, 8);
	replay(&m, 7, MMSIM_TRACE_LOAD, 0x10000000, 8);
	cr_assert_eq(stats(&m).nr_tasks, 2);
	cr_assert_not_null(mmsim_replay_task(m.rp, 0, &tpid));
	cr_assert_eq(tpid, 7);
	cr_assert_not_null(mmsim_replay_task(m.rp, 1, &tpid));
	cr_assert_eq(tpid, 9);
	cr_assert_null(mmsim_replay_task(m.rp, 2, &tpid));
	/* Separate address spaces: each process faulted its own page in once. */
	for (size_t i = 0; i < 2; i++) {
		struct mmsim_task_stats st;

		mmsim_task_stats(mmsim_replay_task(m.rp, i, NULL), &st);
		cr_assert_eq(st.minflt, 1);
	}
	machine_down(&m);
}

Test(replay, a_modify_is_a_write_then_a_read)
{
	struct machine m;
	struct mmsim_task_stats st;

	boot(&m, NULL, NULL);
	replay(&m, 0, MMSIM_TRACE_MODIFY, 0x10000010, 8);
	cr_assert_eq(stats(&m).accesses, 2);
	cr_assert_eq(stats(&m).stores, 1);
	cr_assert_eq(stats(&m).loads, 1);
	mmsim_task_stats(mmsim_replay_task(m.rp, 0, NULL), &st);
	cr_assert_eq(st.minflt, 1, "one write fault: demand zero, no zero page first");
	machine_down(&m);
}

Test(replay, bad_records_are_refused_with_their_number)
{
	struct machine m;
	struct mmsim_trace_record rec = { .addr = 0x10000000, .size = 0, .kind = MMSIM_TRACE_LOAD };
	struct mmsim_error err = { 0 };

	boot(&m, NULL, NULL);
	replay(&m, 0, MMSIM_TRACE_LOAD, 0x10000000, 8);
	cr_assert_eq(mmsim_replay_record(m.rp, &rec, &err), -EINVAL);
	cr_assert(strstr(err.msg, "record 2"), "%s", err.msg);
	rec.size = 8;
	rec.kind = (enum mmsim_trace_kind)MMSIM_TRACE_NR_ALL_KINDS;
	cr_assert_eq(mmsim_replay_record(m.rp, &rec, &err), -EINVAL);
	rec.kind = MMSIM_TRACE_RECLAIM; /* size 8: neither a pid target (0) nor all (1) */
	cr_assert_eq(mmsim_replay_record(m.rp, &rec, &err), -EINVAL);
	cr_assert_str_eq(err.msg, "event after record 1: reclaim: unknown flags");
	rec = (struct mmsim_trace_record){ .kind = MMSIM_TRACE_FORK, .pid = 3, .addr = 3 };
	cr_assert_eq(mmsim_replay_record(m.rp, &rec, &err), -EINVAL);
	cr_assert_str_eq(err.msg, "event after record 1: fork: the child pid equals the parent's");
	machine_down(&m);
}

static void event(struct machine *m, enum mmsim_trace_kind kind, uint32_t pid, uint64_t addr)
{
	struct mmsim_trace_record rec = { .addr = addr, .pid = pid, .kind = kind };
	struct mmsim_error err = { 0 };

	cr_assert_eq(mmsim_replay_record(m->rp, &rec, &err), 0, "%s", err.msg);
}

Test(replay, a_forked_pid_shares_its_parents_pages_until_it_writes)
{
	struct machine m;
	struct mmsim_task_stats st;
	uint32_t tpid;

	boot(&m, NULL, NULL);
	replay(&m, 7, MMSIM_TRACE_STORE, 0x10000000, 8); /* 7: 1 fault */
	event(&m, MMSIM_TRACE_FORK, 7, 9);
	replay(&m, 9, MMSIM_TRACE_LOAD, 0x10000000, 8);	 /* shared, mapped: no fault */
	replay(&m, 9, MMSIM_TRACE_STORE, 0x10000000, 8); /* COW copy: 1 fault */
	cr_assert_eq(stats(&m).nr_tasks, 2);
	cr_assert_eq(stats(&m).forks, 1);
	cr_assert_eq(stats(&m).regions_mapped, 1, "the child has its parent's region");
	cr_assert_not_null(mmsim_replay_task(m.rp, 1, &tpid));
	cr_assert_eq(tpid, 9);
	mmsim_task_stats(mmsim_replay_task(m.rp, 1, NULL), &st);
	cr_assert_eq(st.minflt, 1);
	/* exit 9, then pid 9 again: a new process (pid reuse), with its own region. */
	event(&m, MMSIM_TRACE_EXIT, 9, 0);
	cr_assert(mmsim_task_exited(mmsim_replay_task(m.rp, 1, NULL)));
	replay(&m, 9, MMSIM_TRACE_LOAD, 0x10000000, 8);
	cr_assert_eq(stats(&m).nr_tasks, 3);
	cr_assert_eq(stats(&m).regions_mapped, 2);
	/* exec 7: its region is gone; the next touch maps it again. */
	event(&m, MMSIM_TRACE_EXEC, 7, 0);
	replay(&m, 7, MMSIM_TRACE_STORE, 0x10000000, 8);
	cr_assert_eq(stats(&m).regions_mapped, 3);
	mmsim_task_stats(mmsim_replay_task(m.rp, 0, NULL), &st);
	cr_assert_eq(st.minflt, 2, "a demand-zero fault after exec, not a COW one");
	event(&m, MMSIM_TRACE_SWITCH, 0, 0);
	cr_assert_eq(stats(&m).switches, 1);
	machine_down(&m);
}

/* A lackey text trace in memory; the reader borrows text. */
static struct mmsim_trace_reader *text_reader(const char *text)
{
	struct mmsim_trace_reader *r;
	struct mmsim_error err = { 0 };

	cr_assert_eq(mmsim_trace_reader_create_memory(text, strlen(text), "t", &r, &err), 0, "%s",
		     err.msg);
	return r;
}

Test(replay, the_prepass_finds_every_next_use)
{
	/* Page accesses: 0 A, 1 B, 2 A, 3 B (write), 4 B (read), 5 C, 6 A by pid 1. */
	static const char text[] = " L 10000000,8\n"
				   " S 10001000,8\n"
				   " L 10000008,8\n"
				   " M 10001000,8\n"
				   " L 10002000,8\n"
				   "# mmsim pid 1\n"
				   " L 10000000,8\n";
	static const uint64_t want[] = { 2, 3, UINT64_MAX, 4, UINT64_MAX, UINT64_MAX, UINT64_MAX };
	struct mmsim_trace_reader *r = text_reader(text);
	struct mmsim_replay_future *f;
	struct mmsim_replay_footprint fp;
	struct mmsim_error err = { 0 };

	cr_assert_eq(mmsim_replay_future_build(r, &f, &err), 0, "%s", err.msg);
	cr_assert_eq(mmsim_replay_future_nr_accesses(f), 7);
	for (uint64_t i = 0; i < 7; i++)
		cr_assert_eq(mmsim_replay_future_next_use(f, i), want[i], "position %" PRIu64, i);
	cr_assert_eq(mmsim_replay_future_next_use(f, 7), UINT64_MAX);
	mmsim_replay_future_footprint(f, &fp);
	cr_assert_eq(fp.records, 6);
	cr_assert_eq(fp.accesses, 7);
	cr_assert_eq(fp.pages, 4, "A, B, C of pid 0 and A of pid 1");
	cr_assert_eq(fp.pids, 2);
	cr_assert_eq(fp.regions, 2);
	mmsim_replay_future_destroy(f);
	mmsim_trace_reader_destroy(r);
	/* The scan gives the same footprint without the distances. */
	r = text_reader(text);
	cr_assert_eq(mmsim_replay_scan(r, &fp, &err), 0, "%s", err.msg);
	cr_assert_eq(fp.pages, 4);
	cr_assert_eq(fp.accesses, 7);
	mmsim_trace_reader_destroy(r);
}

/* A page access of the reference below: (pid, page). */
struct ref_access {
	uint32_t pid;
	uint64_t page;
};

/* Distinct (pid, key) pairs among n, the key page >> shift. */
static uint64_t ref_distinct(const struct ref_access *a, uint64_t n, unsigned int shift)
{
	uint64_t nr = 0;

	for (uint64_t i = 0; i < n; i++) {
		uint64_t j = 0;

		while (j < i && (a[j].pid != a[i].pid || a[j].page >> shift != a[i].page >> shift))
			j++;
		nr += j == i;
	}
	return nr;
}

/*
 * The pre-pass against a reference worked out by brute force (every next use by a forward
 * scan): 3,000 random records of three pids over 700 regions (more regions than one 2 MiB
 * chunk of the pre-pass's page tables holds at 4 KiB pages), loads, stores and modifies,
 * some crossing a page boundary, at 4 KiB and at 64 KiB pages.
 */
static void prepass_against_reference(unsigned int page_shift)
{
	enum { RECORDS = 3000, REGIONS = 700 };
	char *text = malloc(RECORDS * 64), *t = text;
	struct ref_access *acc = malloc(RECORDS * 4 * sizeof(*acc));
	uint64_t x = 12345, n = 0, records = 0;
	struct mmsim_trace_reader *r;
	struct mmsim_replay_future *f;
	struct mmsim_replay_footprint fp;
	struct mmsim_error err = { 0 };

	cr_assert_not_null(text);
	cr_assert_not_null(acc);
	for (int i = 0; i < RECORDS; i++) {
		static const char kinds[] = "LSM";
		uint32_t pid, size;
		uint64_t addr, first, last;
		char kind;

		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		pid = (uint32_t)(x % 3);
		kind = kinds[x / 3 % 3];
		/* a few hot pages in each region, so pages come back */
		addr = 0x10000000 + (x / 9 % REGIONS) * 2 * MIB + (x / 6300 % 8) * 4096 * 17 +
		       (x >> 40) % 4096;
		size = x >> 52 & 1 ? 16 : 8;
		t += sprintf(t, "# mmsim pid %u\n %c %" PRIx64 ",%u\n", pid, kind, addr, size);
		records++;
		first = addr >> page_shift;
		last = (addr + size - 1) >> page_shift;
		for (uint64_t page = first; page <= last; page++)
			for (int k = 0; k < (kind == 'M' ? 2 : 1); k++)
				acc[n++] = (struct ref_access){ pid, page };
	}
	r = text_reader(text);
	cr_assert_eq(mmsim_replay_future_build_at(r, page_shift, &f, &err), 0, "%s", err.msg);
	cr_assert_eq(mmsim_replay_future_nr_accesses(f), n);
	for (uint64_t i = 0; i < n; i++) {
		uint64_t j = i + 1;

		while (j < n && (acc[j].pid != acc[i].pid || acc[j].page != acc[i].page))
			j++;
		cr_assert_eq(mmsim_replay_future_next_use(f, i), j < n ? j : UINT64_MAX,
			     "position %" PRIu64, i);
	}
	mmsim_replay_future_footprint(f, &fp);
	cr_assert_eq(fp.records, records);
	cr_assert_eq(fp.accesses, n);
	cr_assert_eq(fp.pids, 3);
	cr_assert_eq(fp.pages, ref_distinct(acc, n, 0));
	cr_assert_eq(fp.regions, ref_distinct(acc, n, 21 - page_shift));
	cr_assert_gt(fp.regions, 512, "more tables than one 2 MiB chunk holds at 4 KiB");
	mmsim_replay_future_destroy(f);
	mmsim_trace_reader_destroy(r);
	free(acc);
	free(text);
}

Test(replay, the_prepass_matches_a_brute_force_reference)
{
	prepass_against_reference(12);
	prepass_against_reference(16);
}

Test(replay, a_trace_longer_than_its_future_is_an_error)
{
	struct mmsim_trace_reader *r = text_reader(" S 10000000,8\n");
	struct mmsim_replay_future *f;
	struct mmsim_error err = { 0 };
	struct machine m;
	struct mmsim_trace_record rec = { .addr = 0x10000000,
					  .size = 8,
					  .kind = MMSIM_TRACE_STORE };

	cr_assert_eq(mmsim_replay_future_build(r, &f, &err), 0, "%s", err.msg);
	boot(&m, "opt", "4");
	mmsim_replay_set_future(m.rp, f);
	cr_assert_eq(mmsim_replay_record(m.rp, &rec, &err), 0, "%s", err.msg);
	cr_assert_eq(mmsim_replay_record(m.rp, &rec, &err), -EINVAL);
	cr_assert(strstr(err.msg, "changed between the two passes"), "%s", err.msg);
	machine_down(&m);
	mmsim_replay_future_destroy(f);
	mmsim_trace_reader_destroy(r);
}

/* The reference string 1 2 3 4 1 2 5 1 2 3 4 5 (stores, so no zero page), replayed with
 * reclaim=demand and a frames cap; returns the misses as textbooks count them: first
 * touches plus major faults. */
static uint64_t reference_string_misses(const char *policy, const char *frames)
{
	static const int refs[] = { 1, 2, 3, 4, 1, 2, 5, 1, 2, 3, 4, 5 };
	char text[512] = "";
	struct mmsim_trace_reader *r;
	struct mmsim_replay_future *f = NULL;
	struct mmsim_error err = { 0 };
	struct machine m;
	uint64_t major, pages = 5;

	for (size_t i = 0; i < ARRAY_SIZE(refs); i++) {
		size_t len = strlen(text);

		snprintf(text + len, sizeof(text) - len, " S %x,8\n", 0x10000000 + refs[i] * 4096);
	}
	boot(&m, policy, frames);
	r = text_reader(text);
	if (mmsim_needs_future(m.sys)) {
		cr_assert_eq(mmsim_replay_future_build(r, &f, &err), 0, "%s", err.msg);
		cr_assert_eq(mmsim_trace_rewind(r, &err), 0, "%s", err.msg);
		mmsim_replay_set_future(m.rp, f);
	}
	cr_assert_eq(mmsim_replay_trace(m.rp, r, NULL, &err), 0, "%s", err.msg);
	cr_assert_eq(mmsim_counter(m.sys, "pgmajfault", &major), 0);
	machine_down(&m);
	mmsim_replay_future_destroy(f);
	mmsim_trace_reader_destroy(r);
	return pages + major;
}

/* Belady's misses for the reference string refs with frames frames, by brute force: on a
 * miss with every frame full, the resident page whose next use is furthest goes. */
static uint64_t belady_misses(const int *refs, int n, int frames)
{
	int res[64], nr = 0;
	uint64_t misses = 0;

	for (int i = 0; i < n; i++) {
		int j = 0, victim = 0, furthest = -1;

		while (j < nr && res[j] != refs[i])
			j++;
		if (j < nr)
			continue;
		misses++;
		if (nr < frames) {
			res[nr++] = refs[i];
			continue;
		}
		for (j = 0; j < nr; j++) {
			int k = i + 1;

			while (k < n && refs[k] != res[j])
				k++;
			if (k > furthest) {
				furthest = k;
				victim = j;
			}
		}
		res[victim] = refs[i];
	}
	return misses;
}

/*
 * OPT against brute-force Belady on a skewed random string of 1,500 stores over 48 pages,
 * with heaps of several levels, the kernel's checker (OPT's heap order among it) after
 * every access: the misses (first touches plus major faults) are Belady's.
 */
Test(replay, opt_gives_beladys_misses_on_a_random_string)
{
	enum { N = 1500, PAGES = 48 };
	static const int frames[] = { 5, 12, 30 };
	int refs[N];
	char *text = malloc(N * 24), *t = text;
	uint64_t x = 777, distinct = 0;
	bool seen[PAGES] = { false };

	cr_assert_not_null(text);
	for (int i = 0; i < N; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		refs[i] = (int)(x % PAGES % (1 + x / PAGES % PAGES)); /* low pages more often */
		distinct += !seen[refs[i]];
		seen[refs[i]] = true;
		t += sprintf(t, " S %x,8\n", 0x10000000 + refs[i] * 4096);
	}
	for (size_t f = 0; f < ARRAY_SIZE(frames); f++) {
		struct mmsim_config c;
		struct mmsim_error err = { 0 };
		struct mmsim_trace_reader *r = text_reader(text);
		struct mmsim_replay_future *fut;
		struct machine m;
		char cap[16];
		uint64_t major;

		snprintf(cap, sizeof(cap), "%d", frames[f]);
		mmsim_config_default(&c);
		cr_assert_eq(mmsim_config_set(&c, "mem", "16M", &err), 0, "%s", err.msg);
		cr_assert_eq(mmsim_config_set(&c, "swap", "16M", &err), 0, "%s", err.msg);
		cr_assert_eq(mmsim_config_set(&c, "reclaim", "demand", &err), 0, "%s", err.msg);
		cr_assert_eq(mmsim_config_set(&c, "policy", "opt", &err), 0, "%s", err.msg);
		cr_assert_eq(mmsim_config_set(&c, "frames", cap, &err), 0, "%s", err.msg);
		cr_assert_eq(mmsim_config_set(&c, "paranoid", "on", &err), 0, "%s", err.msg);
		cr_assert_eq(mmsim_system_create(&c, &m.sys, &err), 0, "%s", err.msg);
		cr_assert_eq(mmsim_replay_create(m.sys, &m.rp, &err), 0, "%s", err.msg);
		cr_assert_eq(mmsim_replay_future_build(r, &fut, &err), 0, "%s", err.msg);
		cr_assert_eq(mmsim_trace_rewind(r, &err), 0, "%s", err.msg);
		mmsim_replay_set_future(m.rp, fut);
		cr_assert_eq(mmsim_replay_trace(m.rp, r, NULL, &err), 0, "%s", err.msg);
		cr_assert_eq(mmsim_counter(m.sys, "pgmajfault", &major), 0);
		cr_assert_eq(distinct + major, belady_misses(refs, N, frames[f]), "%d frames",
			     frames[f]);
		machine_down(&m);
		mmsim_replay_future_destroy(fut);
		mmsim_trace_reader_destroy(r);
	}
	free(text);
}

Test(replay, the_reference_string_gives_the_textbook_misses)
{
	cr_assert_eq(reference_string_misses("fifo", "3"), 9);
	cr_assert_eq(reference_string_misses("fifo", "4"), 10, "Belady's anomaly");
	cr_assert_eq(reference_string_misses("lru", "3"), 10);
	cr_assert_eq(reference_string_misses("lru", "4"), 8);
	cr_assert_eq(reference_string_misses("opt", "3"), 7);
	cr_assert_eq(reference_string_misses("opt", "4"), 6);
}

/* text replayed under opt with reclaim=demand, 3 frames and its future: the faults (minor
 * and major) it took. */
static void opt_faults(const char *text, uint64_t *faults, uint64_t *major)
{
	struct mmsim_trace_reader *r = text_reader(text);
	struct mmsim_replay_future *f;
	struct mmsim_error err = { 0 };
	struct machine m;

	boot(&m, "opt", "3");
	cr_assert_eq(mmsim_replay_future_build(r, &f, &err), 0, "%s", err.msg);
	cr_assert_eq(mmsim_trace_rewind(r, &err), 0, "%s", err.msg);
	mmsim_replay_set_future(m.rp, f);
	cr_assert_eq(mmsim_replay_trace(m.rp, r, NULL, &err), 0, "%s", err.msg);
	cr_assert_eq(mmsim_counter(m.sys, "pgfault", faults), 0);
	cr_assert_eq(mmsim_counter(m.sys, "pgmajfault", major), 0);
	machine_down(&m);
	mmsim_replay_future_destroy(f);
	mmsim_trace_reader_destroy(r);
}

/*
 * A page a fork shares is used next by whichever process comes first. P (pid 5) writes a
 * and b, forks C (pid 6), writes c and d; then C reads a, P reads b, c, d. Positions:
 * 0 P a, 1 P b, 2 P c, 3 P d, 4 C a, 5 P b, 6 P c, 7 P d. At 3 the frames (3) are full of
 * a, b, c and one must go. P never uses a again, but C reads it at 4: a's next use is 4,
 * b's 5, c's 6, so OPT evicts c. Then 4 and 5 hit, 6 swaps c back in (evicting a or b,
 * both never used again) and 7 hits: faults at 0, 1, 2, 3 (demand-zero) and 6 (major):
 * 5 faults, 1 major. (With a's next use taken from P alone, never, OPT evicted a and took
 * 6 faults, 2 major: C's read of a and P's read of d.)
 */
Test(replay, opt_sees_every_mapper_of_a_forked_page)
{
	static const char text[] = "# mmsim pid 5\n"
				   " S 10000000,8\n"
				   " S 10001000,8\n"
				   "# mmsim fork 5 6\n"
				   " S 10002000,8\n"
				   " S 10003000,8\n"
				   "# mmsim pid 6\n"
				   " L 10000000,8\n"
				   "# mmsim pid 5\n"
				   " L 10001000,8\n"
				   " L 10002000,8\n"
				   " L 10003000,8\n";
	uint64_t faults, major;

	opt_faults(text, &faults, &major);
	cr_assert_eq(faults, 5);
	cr_assert_eq(major, 1);
}

/*
 * A copy-on-write write takes a mapper away: the old page's next use is then the others'.
 * P writes a and b, forks C; C reads a, then writes it (a copy a' for C). Positions:
 * 0 P a, 1 P b, 2 C a, 3 C a (copy), 4 P c, 5 P b, 6 C a', 7 P c, 8 P b, 9 P a.
 * At 4 the frames hold a (next use 9, P's), b (5) and a' (6): OPT evicts a. Everything
 * then hits until 9, which swaps a back in: faults at 0, 1, 3 (the copy), 4 and 9 (major):
 * 5 faults, 1 major. (Keeping a's key from C's last read, 3, OPT evicted a' and took
 * 6 faults, 2 major.)
 */
Test(replay, opt_forgets_a_mapper_that_copied_the_page_away)
{
	static const char text[] = "# mmsim pid 5\n"
				   " S 10000000,8\n"
				   " S 10001000,8\n"
				   "# mmsim fork 5 6\n"
				   "# mmsim pid 6\n"
				   " L 10000000,8\n"
				   " S 10000000,8\n"
				   "# mmsim pid 5\n"
				   " S 10002000,8\n"
				   " L 10001000,8\n"
				   "# mmsim pid 6\n"
				   " L 10000000,8\n"
				   "# mmsim pid 5\n"
				   " L 10002000,8\n"
				   " L 10001000,8\n"
				   " L 10000000,8\n";
	uint64_t faults, major;

	opt_faults(text, &faults, &major);
	cr_assert_eq(faults, 5);
	cr_assert_eq(major, 1);
}

Test(replay, the_same_trace_gives_the_same_counters)
{
	char text[1 << 16] = "";
	uint64_t v[2][3];

	for (int i = 0, len = 0; i < 2000; i++)
		len += snprintf(text + len, sizeof(text) - (size_t)len, " %c %x,8\n", "LSM"[i % 3],
				0x10000000 + (i * 7919 % 3000) * 512);
	for (int run = 0; run < 2; run++) {
		struct mmsim_trace_reader *r = text_reader(text);
		struct mmsim_error err = { 0 };
		struct machine m;

		boot(&m, NULL, NULL);
		cr_assert_eq(mmsim_replay_trace(m.rp, r, NULL, &err), 0, "%s", err.msg);
		mmsim_counter(m.sys, "pgfault", &v[run][0]);
		mmsim_counter(m.sys, "dTLB-load-misses", &v[run][1]);
		mmsim_counter(m.sys, "page_walks", &v[run][2]);
		machine_down(&m);
		mmsim_trace_reader_destroy(r);
	}
	cr_assert_arr_eq(v[0], v[1], sizeof(v[0]));
	cr_assert_gt(v[0][0], 0);
}

static uint64_t ticks;

static bool count_tick(void *ctx, struct mmsim_replay *rp)
{
	(void)ctx;
	(void)rp;
	return ++ticks < 3;
}

Test(replay, ticks_come_every_n_accesses_and_can_stop_the_run)
{
	char text[4096] = "";
	struct mmsim_trace_reader *r;
	struct mmsim_replay_trace_opts o = { .tick_accesses = 10, .tick = count_tick };
	struct mmsim_error err = { 0 };
	struct machine m;

	for (int i = 0, len = 0; i < 100; i++)
		len += snprintf(text + len, sizeof(text) - (size_t)len, " L %x,8\n",
				0x10000000 + i * 8);
	r = text_reader(text);
	boot(&m, NULL, NULL);
	ticks = 0;
	cr_assert_eq(mmsim_replay_trace(m.rp, r, &o, &err), -EINTR);
	cr_assert_eq(ticks, 3);
	cr_assert_eq(stats(&m).records, 30);
	machine_down(&m);
	mmsim_trace_reader_destroy(r);
}

/* Tick positions (accesses) seen by a replay, for the test below. */
struct tick_log {
	unsigned int nr;
	uint64_t at[512];
};

static bool log_tick(void *ctx, struct mmsim_replay *rp)
{
	struct tick_log *l = ctx;
	struct mmsim_replay_stats st;

	mmsim_replay_get_stats(rp, &st);
	if (l->nr < 512)
		l->at[l->nr++] = st.accesses;
	return true;
}

static void note_counter(void *ctx, const char *name, uint64_t value)
{
	struct tick_log *l = ctx; /* reused as a list of values */

	(void)name;
	if (l->nr < 512)
		l->at[l->nr++] = value;
}

/*
 * mmsim_replay_trace() hands runs of plain records to one mmsim_access_batch() call (issue
 * 15), or under opt to mmsim_access_batch_future() with each access's next use; the result
 * is what the records give one by one through mmsim_replay_record(): the replay's counts
 * (signals included: low addresses fault, a modify's read follows its faulting write),
 * every counter of the system, and the ticks, at the same accesses.
 */
static void runs_match_records(const char *policy)
{
	static char text[1 << 17];
	struct mmsim_replay_stats st[2];
	struct tick_log ticks[2] = { 0 }, counters[2] = { 0 };
	uint64_t pswpout = 0;
	int len = 0;

	for (int i = 0; i < 3000; i++) {
		unsigned int a = 0x10000000 + (unsigned int)(i * 7919 % 3000) * 512;
		unsigned int size = 8;

		if (i % 97 == 5)
			a = 0x2000 + (unsigned int)i; /* below 64 KiB: SIGSEGV */
		if (i % 50 == 7)
			a = 0x10000ffc; /* two pages */
		if (i % 4 == 3)
			len += snprintf(text + len, sizeof(text) - (size_t)len, "I  %x,%u\n", a,
					size);
		else
			len += snprintf(text + len, sizeof(text) - (size_t)len, " %c %x,%u\n",
					"LSM"[i % 4], a, size);
	}
	for (int way = 0; way < 2; way++) {
		struct mmsim_trace_reader *r = text_reader(text);
		struct mmsim_replay_future *f = NULL;
		struct mmsim_error err = { 0 };
		struct machine m;

		boot(&m, policy, "64");
		if (mmsim_needs_future(m.sys)) {
			cr_assert_eq(mmsim_replay_future_build(r, &f, &err), 0, "%s", err.msg);
			cr_assert_eq(mmsim_trace_rewind(r, &err), 0, "%s", err.msg);
			mmsim_replay_set_future(m.rp, f);
		}
		if (way == 0) {
			struct mmsim_replay_trace_opts o = { .tick_accesses = 7,
							     .tick = log_tick,
							     .ctx = &ticks[0] };

			cr_assert_eq(mmsim_replay_trace(m.rp, r, &o, &err), 0, "%s", err.msg);
		} else {
			struct mmsim_trace_record rec;
			uint64_t next = 7;
			size_t n;

			while (!mmsim_trace_read(r, &rec, 1, &n, &err) && n == 1) {
				replay(&m, rec.pid, rec.kind, rec.addr, rec.size);
				if (stats(&m).accesses >= next) {
					next = stats(&m).accesses + 7 - stats(&m).accesses % 7;
					log_tick(&ticks[1], m.rp);
				}
			}
		}
		st[way] = stats(&m);
		mmsim_counters_foreach(m.sys, note_counter, &counters[way]);
		if (way == 0)
			mmsim_counter(m.sys, "pswpout", &pswpout);
		machine_down(&m);
		mmsim_replay_future_destroy(f);
		mmsim_trace_reader_destroy(r);
	}
	cr_assert_eq(st[0].records, 3000);
	cr_assert_gt(st[0].segv_maperr, 30);
	cr_assert_gt(st[0].fetches, 700);
	/* 375 pages over 64 frames: the policy chose victims, so its decisions are compared. */
	cr_assert_gt(pswpout, 100);
	cr_expect_eq(memcmp(&st[0], &st[1], sizeof(st[0])), 0);
	cr_assert_eq(counters[0].nr, counters[1].nr);
	cr_expect_eq(memcmp(counters[0].at, counters[1].at, counters[0].nr * sizeof(uint64_t)), 0);
	cr_assert_gt(ticks[0].nr, 100);
	cr_assert_eq(ticks[0].nr, ticks[1].nr);
	cr_expect_eq(memcmp(ticks[0].at, ticks[1].at, ticks[0].nr * sizeof(uint64_t)), 0);
}

Test(replay, runs_of_records_give_what_records_one_by_one_give)
{
	runs_match_records("lru");
}

Test(replay, runs_of_records_under_opt_give_what_records_one_by_one_give)
{
	runs_match_records("opt");
}

/* A trace that ends before its future (changed between the pre-pass and the replay): OPT
 * would have evicted by next uses that never come. An error at the end. */
Test(replay, a_trace_shorter_than_its_future_is_an_error)
{
	struct mmsim_trace_reader *f_r =
		text_reader(" S 10000000,8\n S 10001000,8\n S 10002000,8\n");
	struct mmsim_trace_reader *r = text_reader(" S 10000000,8\n");
	struct mmsim_replay_future *f;
	struct mmsim_error err = { 0 };
	struct machine m;

	cr_assert_eq(mmsim_replay_future_build(f_r, &f, &err), 0, "%s", err.msg);
	boot(&m, "opt", "4");
	mmsim_replay_set_future(m.rp, f);
	cr_assert_eq(mmsim_replay_trace(m.rp, r, NULL, &err), -EINVAL);
	cr_assert(strstr(err.msg, "ends at page access 1, before the pre-pass's 3"), "%s", err.msg);
	machine_down(&m);
	mmsim_replay_future_destroy(f);
	mmsim_trace_reader_destroy(r);
	mmsim_trace_reader_destroy(f_r);
}

/* A run stops where the future ends: the access beyond it is the error record by record
 * gives, after the accesses before it were made. */
Test(replay, a_run_past_its_future_stops_with_the_error)
{
	struct mmsim_trace_reader *f_r = text_reader(" S 10000000,8\n S 10001000,8\n");
	struct mmsim_trace_reader *r =
		text_reader(" S 10000000,8\n S 10001000,8\n S 10002000,8\n S 10000000,8\n");
	struct mmsim_replay_future *f;
	struct mmsim_error err = { 0 };
	struct machine m;

	cr_assert_eq(mmsim_replay_future_build(f_r, &f, &err), 0, "%s", err.msg);
	boot(&m, "opt", "4");
	mmsim_replay_set_future(m.rp, f);
	cr_assert_eq(mmsim_replay_trace(m.rp, r, NULL, &err), -EINVAL);
	cr_assert(strstr(err.msg, "changed between the two passes"), "%s", err.msg);
	cr_assert_eq(stats(&m).records, 2);
	cr_assert_eq(stats(&m).stores, 2);
	machine_down(&m);
	mmsim_replay_future_destroy(f);
	mmsim_trace_reader_destroy(r);
	mmsim_trace_reader_destroy(f_r);
}
