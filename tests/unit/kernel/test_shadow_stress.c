/*
 * tests/unit/kernel/test_shadow_stress.c: the short data-shadow stress (tests/stress/): every
 * policy, both reclaim modes, small frame caps with swap (and one machine in four short of
 * swap, so the OOM killer works), fork, shared mappings, mremap, DONTNEED, munmap, exit,
 * file mappings (private and shared), msync, dropcache, huge pages (thp=always|madvise|
 * never), compaction and proactive reclaim (issue 20); each
 * read is compared with a host-side shadow and every checker runs after every operation.
 * The long run is `make stress SECONDS=600`. A self-test proves the comparison and the
 * shrinker work: with a shadow that forgets DONTNEED's zeroing the run must fail, and
 * shrink to a handful of operations that still fail.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../stress/shadow.h"
#include "mmsim/mmsim.h"

#define STEPS 1000

static size_t policy_list(char *buf, size_t size, const char **out, size_t max)
{
	size_t nr = 0;

	mmsim_policy_names(buf, size);
	for (char *tok = strtok(buf, ", "); tok && nr < max; tok = strtok(NULL, ", "))
		out[nr++] = tok;
	return nr;
}

Test(shadow_stress, every_policy_both_reclaim_modes)
{
	static struct stress_op ops[STEPS];
	const char *pol[32];
	char names[512];
	size_t nr = policy_list(names, sizeof(names), pol, 32);
	uint64_t reads = 0, swapped = 0, kills = 0, thp = 0, split = 0, migrated = 0;
	uint64_t majflt = 0, file_ops = 0, written = 0;

	cr_assert_geq(nr, 6, "policies: %s", names);
	/* Seeds 0 .. 2*nr-1 give every policy once with linux and once with demand reclaim. */
	for (uint64_t seed = 0; seed < 2 * nr; seed++) {
		struct stress_machine m;
		struct stress_result res;

		stress_pick_machine(seed, pol, nr, &m);
		stress_generate(seed, ops, STEPS);
		stress_run(&m, ops, STEPS, false, &res);
		cr_assert(!res.setup_failed, "seed %llu: %s", (unsigned long long)seed, res.why);
		cr_assert(!stress_failed(&res),
			  "seed %llu (policy=%s reclaim=%s frames=%llu): %llu mismatches, %llu "
			  "invariant failures, %llu unexpected; first at operation %ld: %s "
			  "(rerun: mmsim_stress --seed %llu --seeds 1 --steps %d)",
			  (unsigned long long)seed, m.policy, m.reclaim,
			  (unsigned long long)m.frames, (unsigned long long)res.mismatches,
			  (unsigned long long)res.invariant_failures,
			  (unsigned long long)res.unexpected, res.first_failure, res.why,
			  (unsigned long long)seed, STEPS);
		reads += res.ops_done[STRESS_READ] + res.ops_done[STRESS_VERIFY];
		swapped += res.pswpout;
		kills += res.oom_kills;
		thp += res.thp_fault_alloc;
		split += res.thp_split_pmd;
		migrated += res.pgmigrate_success;
		majflt += res.pgmajfault;
		written += res.file_written;
		file_ops += res.ops_done[STRESS_MAPFILE] + res.ops_done[STRESS_MSYNC];
	}
	/* The run did what it is for: reads checked, pages went to swap, OOM kills happened. */
	cr_assert_gt(reads, 100);
	cr_assert_gt(swapped, 0);
	cr_assert_gt(kills, 0, "no machine ran short enough of swap to OOM-kill");
	/* Issue 20's paths ran: huge pages faulted and split, compaction moved pages, file
	 * pages were mapped, missed in the cache and written back. */
	cr_assert_gt(thp, 0, "no huge page was faulted in");
	cr_assert_gt(split, 0, "no huge PMD was split");
	cr_assert_gt(migrated, 0, "compaction moved nothing");
	cr_assert_gt(file_ops, 0);
	cr_assert_gt(majflt, 0, "no page-cache miss");
	cr_assert_gt(written, 0, "no file page was written back");
}

/*
 * Seeds 2*nr .. 3*nr-1: every policy with linux reclaim on a machine whose RAM, not a
 * frames cap, runs short (a ballast process): kswapd runs between accesses. This is the
 * run that failed while kswapd could run between a fault and the access's data copy.
 */
Test(shadow_stress, every_policy_with_kswapd)
{
	static struct stress_op ops[STEPS];
	const char *pol[32];
	char names[512];
	size_t nr = policy_list(names, sizeof(names), pol, 32);
	uint64_t kswapd = 0;

	for (uint64_t seed = 2 * nr; seed < 3 * nr; seed++) {
		struct stress_machine m;
		struct stress_result res;

		stress_pick_machine(seed, pol, nr, &m);
		cr_assert_gt(m.ballast_pages, 0);
		cr_assert_eq(m.frames, 0);
		cr_assert_str_eq(m.reclaim, "linux");
		stress_generate(seed, ops, STEPS);
		stress_run(&m, ops, STEPS, false, &res);
		cr_assert(!res.setup_failed, "seed %llu: %s", (unsigned long long)seed, res.why);
		cr_assert(!stress_failed(&res),
			  "seed %llu (policy=%s, ballast %llu pages): %llu mismatches, %llu "
			  "invariant failures, %llu unexpected; first at operation %ld: %s",
			  (unsigned long long)seed, m.policy, (unsigned long long)m.ballast_pages,
			  (unsigned long long)res.mismatches,
			  (unsigned long long)res.invariant_failures,
			  (unsigned long long)res.unexpected, res.first_failure, res.why);
		kswapd += res.pgsteal_kswapd;
	}
	cr_assert_gt(kswapd, 0, "kswapd never reclaimed: the ballast is too small");
}

Test(shadow_stress, a_wrong_shadow_fails_and_shrinks)
{
	static struct stress_op ops[STEPS];
	const char *pol[] = { "lru" };
	struct stress_machine m;
	struct stress_result res;
	char *text = NULL;
	size_t n, len = 0;
	FILE *f;

	stress_pick_machine(1, pol, 1, &m);
	m.forget_dontneed = true;
	stress_generate(1, ops, STEPS);
	stress_run(&m, ops, STEPS, false, &res);
	cr_assert_gt(res.mismatches, 0, "a shadow that ignores DONTNEED must disagree");
	cr_assert_eq(res.invariant_failures, 0);
	n = stress_shrink(&m, ops, STEPS, 500);
	cr_assert_lt(n, 20, "ddmin left %zu operations", n);
	stress_run(&m, ops, n, true, &res);
	cr_assert_gt(res.mismatches, 0, "the shrunk list still fails");
	f = open_memstream(&text, &len);
	cr_assert_not_null(f);
	stress_write_script(f, &m, ops, n, &res);
	fclose(f);
	cr_assert(strstr(text, "dontneed") != NULL, "%s", text);
	cr_assert(strstr(text, "config mem=") != NULL, "%s", text);
	free(text);
}

/* The file shadow is checked too: one that drops writes through shared file mappings
 * must disagree with what the page cache gives back. */
Test(shadow_stress, a_wrong_file_shadow_fails)
{
	static struct stress_op ops[STEPS];
	const char *pol[] = { "lru" };
	struct stress_machine m;
	struct stress_result res;
	uint64_t mismatches = 0;

	for (uint64_t seed = 1; seed <= 4 && !mismatches; seed++) {
		stress_pick_machine(seed, pol, 1, &m);
		m.forget_file_writes = true;
		stress_generate(seed, ops, STEPS);
		stress_run(&m, ops, STEPS, false, &res);
		cr_assert_eq(res.invariant_failures, 0);
		mismatches += res.mismatches;
	}
	cr_assert_gt(mismatches, 0, "a shadow that drops shared file writes must disagree");
}
