/*
 * tests/unit/kernel/test_mglru.c: the multi-generational LRU (src/mm/policies/mglru.c)
 * through the whole machine: the string worked by hand in tests/scenarios/mglru_3frames.mms,
 * the knobs (enabled, min_ttl_ms, access_ns), and the page-table walks of aging, seen in the
 * Accessed bits they leave (mmsim_task_walk() reads entries without setting A).
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mmsim/explore.h"
#include "mmsim/mmsim.h"
#include "util/macros.h"

#define PAGE 4096u
#define PTE_A (UINT64_C(1) << 5)

struct machine {
	struct mmsim_system *s;
	struct mmsim_task *p;
	uint64_t a; /* the mapping's first address */
};

/* A demand-reclaim machine with a frame cap, the TLB off, every checker after each step. */
static void boot(struct machine *m, const char *policy, unsigned int frames, unsigned int nr_pages)
{
	struct mmsim_config c;
	struct mmsim_error e = { 0 };
	char v[32];

	mmsim_config_default(&c);
	c.paranoid = true;
	cr_assert_eq(mmsim_config_set(&c, "policy", policy, &e), 0, "%s", e.msg);
	cr_assert_eq(mmsim_config_set(&c, "reclaim", "demand", &e), 0, "%s", e.msg);
	snprintf(v, sizeof(v), "%u", frames);
	cr_assert_eq(mmsim_config_set(&c, "frames", v, &e), 0, "%s", e.msg);
	cr_assert_eq(mmsim_config_set(&c, "swap", "16M", &e), 0, "%s", e.msg);
	cr_assert_eq(mmsim_config_set(&c, "tlb", "off", &e), 0, "%s", e.msg);
	cr_assert_eq(mmsim_system_create(&c, &m->s, &e), 0, "%s", e.msg);
	cr_assert_eq(mmsim_task_spawn(m->s, &m->p), 0);
	cr_assert_eq(mmsim_mmap(m->p, 0, nr_pages * PAGE, MMSIM_PROT_READ | MMSIM_PROT_WRITE,
				MMSIM_MAP_PRIVATE | MMSIM_MAP_ANONYMOUS, &m->a),
		     0);
}

static void shutdown(struct machine *m)
{
	struct mmsim_error e = { 0 };

	cr_assert_eq(mmsim_check(m->s, &e), 0, "%s", e.msg);
	mmsim_system_destroy(m->s);
}

static uint64_t counter(struct machine *m, const char *name)
{
	uint64_t v = 0;

	cr_assert_eq(mmsim_counter(m->s, name, &v), 0, "%s", name);
	return v;
}

/* Writes each page of ref in turn; returns minflt + majflt. */
static uint64_t run(const char *policy, unsigned int frames, const unsigned int *ref, size_t n)
{
	struct machine m;
	struct mmsim_task_stats st;

	boot(&m, policy, frames, 64);
	for (size_t i = 0; i < n; i++)
		cr_assert_eq(mmsim_access(m.p, m.a + ref[i] * PAGE, MMSIM_ACCESS_WRITE, true),
			     MMSIM_SIG_NONE);
	mmsim_task_stats(m.p, &st);
	shutdown(&m);
	return st.minflt + st.majflt;
}

/* tests/scenarios/mglru_3frames.mms works this string by hand: 5 first touches and 3
 * refaults (2, 3, 4); LRU refaults 4 times (1, 2, 3, 4). */
static const unsigned int hand[] = { 1, 2, 3, 4, 1, 2, 5, 1, 2, 3, 4 };

Test(mglru, hand_worked_string)
{
	cr_assert_eq(run("mglru", 3, hand, ARRAY_SIZE(hand)), 8);
	cr_assert_eq(run("lru", 3, hand, ARRAY_SIZE(hand)), 9);
}

/* enabled=0 (no LRU_GEN_CORE) is the classic two-list: the same faults as `linux` on seeded
 * random strings. */
Test(mglru, enabled_0_is_the_two_list)
{
	unsigned int ref[400];
	uint64_t x = 12345;

	for (size_t i = 0; i < ARRAY_SIZE(ref); i++) {
		x = x * 6364136223846793005u + 1442695040888963407u;
		ref[i] = (unsigned int)((x >> 33) % 24);
	}
	for (unsigned int frames = 3; frames <= 12; frames += 3)
		cr_assert_eq(run("mglru:enabled=0", frames, ref, ARRAY_SIZE(ref)),
			     run("linux", frames, ref, ARRAY_SIZE(ref)), "frames %u", frames);
}

/* Every policy parameter is range-checked at boot: enabled has three bits. */
static int boots(const char *policy)
{
	struct mmsim_config c;
	struct mmsim_system *s = NULL;
	struct mmsim_error e = { 0 };
	int rc;

	mmsim_config_default(&c);
	cr_assert_eq(mmsim_config_set(&c, "policy", policy, &e), 0, "%s", e.msg);
	rc = mmsim_system_create(&c, &s, &e);
	mmsim_system_destroy(rc ? NULL : s);
	return rc;
}

Test(mglru, knobs_are_checked)
{
	cr_assert_eq(boots("mglru:enabled=7:min_ttl_ms=1000"), 0);
	cr_assert_neq(boots("mglru:enabled=8"), 0);
	cr_assert_neq(boots("mglru:access_ns=0"), 0);
}

/* The PTE and the PDE (PMD entry) that map va, as the CPU would read them now. */
static void entries(struct machine *m, uint64_t va, uint64_t *pte, uint64_t *pde)
{
	struct mmsim_translation tr;

	cr_assert_eq(mmsim_task_walk(m->p, va, MMSIM_ACCESS_READ, &tr), 0);
	cr_assert_eq(tr.fault, MMSIM_FAULT_NONE);
	*pte = tr.levels[tr.nr_levels - 1].entry;
	*pde = tr.levels[tr.nr_levels - 2].entry;
	cr_assert_eq(tr.levels[tr.nr_levels - 2].level, 2u);
}

/*
 * Aging walks page tables. 70 pages written (70 >= MIN_LRU_BATCH, so the mm is walked),
 * then one page of proactive reclaim. The generations start as min_seq 0, max_seq 3, every
 * page in 3; reclaim retires the empty generations 0-1, ages (walk 1: clears A on the PDE
 * and on all 70 PTEs; max_seq 4), retires 2, ages again (walk 2: the PDE's A is clear, so
 * with the non-leaf capability its table is skipped; max_seq 5), and takes page 0, the
 * oldest page of generation 3, whose A bit the walk cleared: one page scanned.
 */
static void walk_case(const char *policy, bool pde_young, uint64_t scanned)
{
	struct machine m;
	uint64_t got, pte, pde;

	boot(&m, policy, 100, 80);
	for (unsigned int i = 0; i < 70; i++)
		cr_assert_eq(mmsim_access(m.p, m.a + i * PAGE, MMSIM_ACCESS_WRITE, true),
			     MMSIM_SIG_NONE);
	entries(&m, m.a + 69 * PAGE, &pte, &pde);
	cr_assert(pte & PTE_A);
	cr_assert(pde & PTE_A);
	cr_assert_eq(mmsim_reclaim(m.s, NULL, PAGE, &got), 0);
	cr_assert_eq(got, PAGE);
	entries(&m, m.a + 69 * PAGE, &pte, &pde);
	cr_assert_not(pte & PTE_A, "%s: the walk clears the PTE's A bit", policy);
	cr_assert_eq((pde & PTE_A) != 0, pde_young, "%s: PDE %#llx", policy,
		     (unsigned long long)pde);
	cr_assert_eq(counter(&m, "pgscan_proactive"), scanned, "%s", policy);
	/* Page 0 went: its PTE is a swap entry now. */
	cr_assert_eq(counter(&m, "pswpout"), 1);
	shutdown(&m);
}

Test(mglru, aging_walks_the_page_tables)
{
	walk_case("mglru", false, 1);
	walk_case("mglru:enabled=3", true, 1);
}

/*
 * Without walks (enabled=5) aging only opens a generation: reclaim finds the A bits through
 * rmap. Page 0 is young: look-around clears A on pages 0-63 (its 64-page window) and moves
 * 1-63 to the youngest generation, page 0 is kept; page 64 is young too (window 32-79):
 * 65-69 move up, 64 is kept. The oldest generation is then empty; it is retired, and
 * reclaim ages and retires until generation 3's pages (all A clear now) are the oldest:
 * its tail, page 1, goes. Three pages scanned; page 69's A bit was cleared by look-around.
 */
Test(mglru, without_walks_rmap_finds_the_accessed_bits)
{
	struct machine m;
	uint64_t got, pte, pde;

	boot(&m, "mglru:enabled=5", 100, 80);
	for (unsigned int i = 0; i < 70; i++)
		cr_assert_eq(mmsim_access(m.p, m.a + i * PAGE, MMSIM_ACCESS_WRITE, true),
			     MMSIM_SIG_NONE);
	cr_assert_eq(mmsim_reclaim(m.s, NULL, PAGE, &got), 0);
	cr_assert_eq(got, PAGE);
	entries(&m, m.a + 69 * PAGE, &pte, &pde);
	cr_assert_not(pte & PTE_A);
	cr_assert(pde & PTE_A, "no walk touched the PDE");
	cr_assert_eq(counter(&m, "pgscan_proactive"), 3);
	shutdown(&m);
}

/*
 * min_ttl_ms: with a clock of access_ns per access, the oldest generation (born at boot,
 * access 0) must be min_ttl_ms old before anything is evicted. Three frames, pages 1-3
 * written, page 1 read `reads` times, then page 4 written: access number reads + 4 asks for
 * reclaim.
 */
static bool survives(const char *policy, unsigned int reads)
{
	struct machine m;
	enum mmsim_signal sig = MMSIM_SIG_NONE;
	bool alive;

	boot(&m, policy, 3, 8);
	for (unsigned int i = 1; i <= 3; i++)
		cr_assert_eq(mmsim_access(m.p, m.a + i * PAGE, MMSIM_ACCESS_WRITE, true),
			     MMSIM_SIG_NONE);
	for (unsigned int i = 0; i < reads; i++)
		cr_assert_eq(mmsim_access(m.p, m.a + PAGE, MMSIM_ACCESS_READ, true),
			     MMSIM_SIG_NONE);
	sig = mmsim_access(m.p, m.a + 4 * PAGE, MMSIM_ACCESS_WRITE, true);
	alive = mmsim_task_alive(m.p);
	cr_assert_eq(sig == MMSIM_SIG_NONE, alive);
	if (!alive)
		cr_assert_eq(counter(&m, "oom_kill"), 1);
	mmsim_task_exit(m.p);
	mmsim_system_destroy(m.s);
	return alive;
}

Test(mglru, min_ttl_ms_keeps_the_working_set_or_oom_kills)
{
	/* 1 ms at 1000 ns an access: 1000 accesses. The reclaim comes at access 1004. */
	cr_assert(survives("mglru:min_ttl_ms=1", 1000));
	cr_assert_not(survives("mglru:min_ttl_ms=2", 1000));
	/* At 100 ns an access, 1 ms is 10000 accesses. */
	cr_assert_not(survives("mglru:min_ttl_ms=1:access_ns=100", 1000));
	cr_assert(survives("mglru:min_ttl_ms=1:access_ns=100", 10000));
	cr_assert(survives("mglru", 0));
}
