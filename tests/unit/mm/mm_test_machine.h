/*
 * tests/unit/mm/mm_test_machine.h: a booted memory node for unit tests (header only).
 * Each test boots its own machine and tears it down; nothing is shared between tests.
 */
#ifndef MMSIM_TESTS_MM_TEST_MACHINE_H
#define MMSIM_TESTS_MM_TEST_MACHINE_H

#include <criterion/criterion.h>

#include "arch/x86_64/physmem.h"
#include "mm/check.h"
#include "mm/pgdat.h"

#define MIB (UINT64_C(1) << 20)
#define GIB (UINT64_C(1) << 30)

struct test_machine {
	struct physmem pm;
	struct pgdat *pgdat;
};

static inline void test_boot(struct test_machine *m, uint64_t mem_bytes)
{
	cr_assert_eq(physmem_init(&m->pm, mem_bytes, false), 0, "physmem of %llu bytes",
		     (unsigned long long)mem_bytes);
	cr_assert_eq(pgdat_create(&m->pm, mem_bytes, &m->pgdat), 0, "pgdat of %llu bytes",
		     (unsigned long long)mem_bytes);
}

static inline void test_shutdown(struct test_machine *m)
{
	pgdat_destroy(m->pgdat);
	physmem_fini(&m->pm);
}

/* Runs every checker of the node; fails the test with the checker's reason. */
#define TEST_CHECK(pgdat)                                                             \
	do {                                                                          \
		struct check_report why_;                                             \
		check_report_clear(&why_);                                            \
		cr_assert(check_node((pgdat), &why_), "check_node: %s", why_.reason); \
	} while (0)

#endif
