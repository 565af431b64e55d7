/*
 * tests/unit/mm/test_slab.c: slab geometry (SLUB's rules, worked by hand), object reuse,
 * list movement, shrinking, accounting, the kmem_cache bootstrap, and the checker.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mm/pcp.h"
#include "mm/mm_test_machine.h"
#include "mm/page.h"
#include "mm/slab.h"

static struct slab_cache *make(struct pgdat *p, const char *name, size_t size, size_t align,
			       unsigned int flags)
{
	struct slab_cache *c = NULL;

	cr_assert_eq(slab_cache_create(p, name, size, align, flags, &c), 0, "%s", name);
	return c;
}

static void check_cache(const struct slab_cache *c)
{
	struct check_report why;

	check_report_clear(&why);
	cr_assert(slab_check(c, &why), "%s", why.reason);
}

Test(slab, geometry_follows_slub)
{
	struct test_machine m;
	struct slab_cache *c;

	test_boot(&m, 32 * MIB);
	/* 64 B: min_objects 8 -> get_order(512) = 0; 4096 % 64 = 0 -> order 0, 64 objects. */
	c = make(m.pgdat, "t64", 64, 0, 0);
	cr_assert_eq(c->size, 64);
	cr_assert_eq(c->order, 0);
	cr_assert_eq(c->objects, 64);
	cr_assert_eq(c->min_partial, 5, "ilog2(64) / 2 = 3, clamped to 5");
	/* 192 B: order 0, leftover 4096 % 192 = 64 <= 4096 / 16: 21 objects (SLUB's
	 * kmalloc-192 on a one-CPU machine). */
	c = make(m.pgdat, "t192", 192, 0, 0);
	cr_assert_eq(c->order, 0);
	cr_assert_eq(c->objects, 21);
	/* 700 B -> 704-byte slots; min_order get_order(8 * 704) = 1; 8192 % 704 = 448 <=
	 * 512: order 1, 11 objects. */
	c = make(m.pgdat, "t700", 700, 0, 0);
	cr_assert_eq(c->size, 704);
	cr_assert_eq(c->order, 1);
	cr_assert_eq(c->objects, 11);
	/* 10000 B (a task_struct): at most 3 fit order 3; get_order(30000) = 3; leftover
	 * 2768 > 32768 / 16 but <= 32768 / 8: order 3, 3 objects. */
	c = make(m.pgdat, "t10000", 10000, 0, 0);
	cr_assert_eq(c->order, 3);
	cr_assert_eq(c->objects, 3);
	cr_assert_eq(c->min_order, 2, "one object fits order 2");
	cr_assert_eq(c->min_partial, 6, "ilog2(10000) / 2");
	/* SLAB_HWCACHE_ALIGN: 20 B fits half a line (32) but not a quarter: 32-byte slots. */
	c = make(m.pgdat, "t20hw", 20, 0, SLAB_HWCACHE_ALIGN);
	cr_assert_eq(c->align, 32);
	cr_assert_eq(c->size, 32);
	/* Explicit alignment and the 8-byte minimum. */
	c = make(m.pgdat, "t3", 3, 0, 0);
	cr_assert_eq(c->size, 8);
	c = make(m.pgdat, "t24a64", 24, 64, 0);
	cr_assert_eq(c->size, 64);
	test_shutdown(&m);
}

Test(slab, bad_arguments)
{
	struct test_machine m;
	struct slab_cache *c;

	test_boot(&m, 32 * MIB);
	cr_assert_eq(slab_cache_create(m.pgdat, "", 64, 0, 0, &c), -EINVAL);
	cr_assert_eq(slab_cache_create(m.pgdat, NULL, 64, 0, 0, &c), -EINVAL);
	cr_assert_eq(slab_cache_create(m.pgdat, "a-name-that-is-far-too-long-for-it", 64, 0, 0, &c),
		     -EINVAL);
	cr_assert_eq(slab_cache_create(m.pgdat, "zero", 0, 0, 0, &c), -EINVAL);
	cr_assert_eq(slab_cache_create(m.pgdat, "align3", 64, 3, 0, &c), -EINVAL);
	cr_assert_eq(slab_cache_create(m.pgdat, "align8k", 64, 8192, 0, &c), -EINVAL);
	cr_assert_eq(slab_cache_create(m.pgdat, "flags", 64, 0, 0x80, &c), -EINVAL);
	cr_assert_eq(slab_cache_create(m.pgdat, "huge", (X86_PAGE_SIZE << 10) + 1, 0, 0, &c),
		     -EINVAL);
	test_shutdown(&m);
}

Test(slab, kmem_cache_holds_the_caches)
{
	struct test_machine m;
	struct slab_cache *a, *b;

	test_boot(&m, 32 * MIB);
	cr_assert_eq(slab_init(m.pgdat), 0);
	cr_assert_not_null(m.pgdat->kmem_cache);
	cr_assert_str_eq(m.pgdat->kmem_cache->name, "kmem_cache");
	cr_assert_eq(m.pgdat->kmem_cache->nr_inuse, 1, "it holds itself, as Linux's does");
	a = make(m.pgdat, "a", 100, 0, 0);
	b = make(m.pgdat, "b", 100, 0, 0);
	cr_assert_eq(m.pgdat->kmem_cache->nr_inuse, 3);
	cr_assert(page_flag_test(pgdat_page(m.pgdat, X86_PADDR_TO_PFN(slab_obj_paddr(
							     m.pgdat->kmem_cache, a))),
				 PG_SLAB),
		  "a cache is an object in simulated memory");
	cr_assert_eq(slab_init(m.pgdat), 0, "idempotent");
	cr_assert_eq(slab_cache_destroy(b), 0);
	cr_assert_eq(m.pgdat->kmem_cache->nr_inuse, 2);
	TEST_CHECK(m.pgdat);
	test_shutdown(&m);
}

Test(slab, objects_are_reused_lifo)
{
	struct test_machine m;
	struct slab_cache *c;
	void *a, *b, *again;

	test_boot(&m, 32 * MIB);
	c = make(m.pgdat, "reuse", 64, 0, 0);
	a = slab_alloc(c);
	b = slab_alloc(c);
	cr_assert_not_null(a);
	cr_assert_eq((uint8_t *)b, (uint8_t *)a + 64, "slots in address order");
	slab_free(c, a);
	again = slab_alloc(c);
	cr_assert_eq(again, a, "the last freed object comes back first");
	check_cache(c);
	slab_free(c, again);
	slab_free(c, b);
	slab_free(c, NULL);
	check_cache(c);
	test_shutdown(&m);
}

Test(slab, lists_shrink_and_accounting)
{
	struct test_machine m;
	struct slab_cache *c;
	void *objs[8 * 64];
	unsigned long free0, base_unrecl;

	test_boot(&m, 32 * MIB);
	c = make(m.pgdat, "lists", 64, 0, 0);
	free0 = pgdat_free_pages(m.pgdat);
	base_unrecl = m.pgdat->vmstat[VMSTAT_NR_SLAB_UNRECLAIMABLE]; /* kmem_cache's page */
	for (int i = 0; i < 8 * 64; i++) {
		objs[i] = slab_alloc(c);
		cr_assert_not_null(objs[i]);
	}
	cr_assert_eq(c->nr_full, 8);
	cr_assert_eq(c->nr_partial, 0);
	cr_assert_eq(c->nr_pages, 8);
	cr_assert_eq(m.pgdat->vmstat[VMSTAT_NR_SLAB_UNRECLAIMABLE], base_unrecl + 8);
	cr_assert_eq(pgdat_free_pages(m.pgdat), free0 - 8);
	slab_free(c, objs[0]);
	cr_assert_eq(c->nr_full, 7, "a full slab becomes partial on its first free");
	cr_assert_eq(c->nr_partial, 1);
	TEST_CHECK(m.pgdat);
	/* Free everything, slab by slab: the first five empty slabs are kept (min_partial 5),
	 * the next three go straight back to the buddy allocator. */
	for (int i = 1; i < 8 * 64; i++)
		slab_free(c, objs[i]);
	cr_assert_eq(c->nr_free, 5);
	cr_assert_eq(c->nr_pages, 5);
	cr_assert_eq(c->nr_inuse, 0);
	TEST_CHECK(m.pgdat);
	cr_assert_eq(slab_cache_shrink(c), 5, "shrink returns the empty slabs");
	cr_assert_eq(c->nr_pages, 0);
	pcp_drain_all(m.pgdat); /* the slab pages freed last wait on the per-CPU lists */
	cr_assert_eq(pgdat_free_pages(m.pgdat), free0);
	cr_assert_eq(m.pgdat->vmstat[VMSTAT_NR_SLAB_UNRECLAIMABLE], base_unrecl);
	TEST_CHECK(m.pgdat);
	test_shutdown(&m);
}

Test(slab, reclaimable_caches_are_counted_apart)
{
	struct test_machine m;
	struct slab_cache *c;
	void *obj;

	test_boot(&m, 32 * MIB);
	c = make(m.pgdat, "dentry-like", 700, 0, SLAB_RECLAIM_ACCOUNT);
	obj = slab_alloc(c);
	cr_assert_not_null(obj);
	cr_assert_eq(m.pgdat->vmstat[VMSTAT_NR_SLAB_RECLAIMABLE], 2, "one order-1 slab");
	slab_free(c, obj);
	cr_assert_eq(slab_shrink_all(m.pgdat), 2);
	cr_assert_eq(m.pgdat->vmstat[VMSTAT_NR_SLAB_RECLAIMABLE], 0);
	TEST_CHECK(m.pgdat);
	test_shutdown(&m);
}

Test(slab, multi_page_slabs_and_paddr)
{
	struct test_machine m;
	struct slab_cache *c;
	void *objs[4];
	paddr_t pa;

	test_boot(&m, 32 * MIB);
	c = make(m.pgdat, "task_struct", 10000, 64, SLAB_HWCACHE_ALIGN);
	for (int i = 0; i < 4; i++) {
		objs[i] = slab_alloc_gfp(c, GFP_KERNEL | GFP_ZERO, &pa);
		cr_assert_not_null(objs[i]);
		cr_assert_eq(pa, slab_obj_paddr(c, objs[i]));
		cr_assert_eq(objs[i], (void *)(m.pm.base + pa), "host pointer into physmem");
		for (size_t b = 0; b < 10000; b++)
			cr_assert_eq(((uint8_t *)objs[i])[b], 0);
		memset(objs[i], 0x5a, 10000);
	}
	cr_assert_eq(c->nr_pages, 16, "two order-3 slabs");
	TEST_CHECK(m.pgdat);
	for (int i = 0; i < 4; i++)
		slab_free(c, objs[i]); /* objects in tail pages find their slab head */
	check_cache(c);
	cr_assert_eq(slab_cache_destroy(c), 0);
	TEST_CHECK(m.pgdat);
	test_shutdown(&m);
}

Test(slab, destroy_refuses_a_cache_in_use)
{
	struct test_machine m;
	struct slab_cache *c;
	void *obj;

	test_boot(&m, 32 * MIB);
	c = make(m.pgdat, "busy", 64, 0, 0);
	obj = slab_alloc(c);
	cr_assert_eq(slab_cache_destroy(c), -EBUSY);
	slab_free(c, obj);
	cr_assert_eq(slab_cache_destroy(c), 0);
	cr_assert_eq(slab_cache_destroy(NULL), 0);
	TEST_CHECK(m.pgdat);
	test_shutdown(&m);
}

Test(slab, fails_cleanly_without_memory)
{
	struct test_machine m;
	struct slab_cache *c;
	unsigned long n = 0;

	test_boot(&m, 4 * MIB);
	c = make(m.pgdat, "fill", 2048, 0, 0);
	while (slab_alloc_gfp(c, GFP_KERNEL | GFP_NOWARN, NULL))
		n++;
	cr_assert_gt(n, 0);
	cr_assert_eq(c->nr_inuse, n);
	TEST_CHECK(m.pgdat);
	test_shutdown(&m);
}

Test(slab, checker_sees_a_broken_freelist)
{
	struct test_machine m;
	struct slab_cache *c;
	struct check_report why;
	void *a, *b;

	test_boot(&m, 32 * MIB);
	c = make(m.pgdat, "broken", 64, 0, 0);
	a = slab_alloc(c);
	b = slab_alloc(c);
	slab_free(c, a);
	/* a is the freelist head; point its next pointer into the middle of b. */
	{
		void *bad = (uint8_t *)b + 8;

		memcpy(a, &bad, sizeof(bad));
	}
	cr_assert(!slab_check(c, &why));
	cr_assert(strstr(why.reason, "freelist"), "%s", why.reason);
	test_shutdown(&m);
}

Test(slab, checker_sees_a_wrong_count)
{
	struct test_machine m;
	struct slab_cache *c;
	struct check_report why;

	test_boot(&m, 32 * MIB);
	c = make(m.pgdat, "count", 64, 0, 0);
	cr_assert_not_null(slab_alloc(c));
	c->nr_inuse++;
	cr_assert(!slab_check(c, &why));
	cr_assert(strstr(why.reason, "counts"), "%s", why.reason);
	test_shutdown(&m);
}

Test(slab, double_free_is_a_bug, .signal = SIGABRT)
{
	struct test_machine m;
	struct slab_cache *c;
	void *a;

	test_boot(&m, 32 * MIB);
	c = make(m.pgdat, "twice", 64, 0, 0);
	a = slab_alloc(c);
	cr_assert_not_null(slab_alloc(c));
	slab_free(c, a);
	slab_free(c, a);
}

Test(slab, seeded_stress_with_checkers)
{
	const unsigned int seed = 777u, steps = 2000;
	static const size_t sizes[] = { 24, 64, 192, 700, 4000, 10000 };
	struct test_machine m;
	struct slab_cache *caches[6];
	struct held {
		unsigned int cache;
		void *obj;
	} *held = calloc(steps, sizeof(*held));
	unsigned int nr_held = 0, rng = seed;

	test_boot(&m, 32 * MIB);
	for (unsigned int i = 0; i < 6; i++) {
		char name[16];

		snprintf(name, sizeof(name), "s%zu", sizes[i]);
		caches[i] = make(m.pgdat, name, sizes[i], 0, i % 2 ? SLAB_RECLAIM_ACCOUNT : 0);
	}
	for (unsigned int step = 0; step < steps; step++) {
		unsigned int r = (rng = rng * 1664525u + 1013904223u) >> 8;
		struct check_report why;

		if (nr_held == 0 || r % 16 < 9) {
			unsigned int ci = (r >> 4) % 6;
			void *obj = slab_alloc_gfp(caches[ci], GFP_KERNEL | GFP_NOWARN, NULL);

			if (obj)
				held[nr_held++] = (struct held){ ci, obj };
		} else if (r % 16 == 9) {
			slab_cache_shrink(caches[(r >> 4) % 6]);
		} else {
			unsigned int i = (r >> 4) % nr_held;

			slab_free(caches[held[i].cache], held[i].obj);
			held[i] = held[--nr_held];
		}
		check_report_clear(&why);
		cr_assert(check_node(m.pgdat, &why), "seed %u step %u: %s", seed, step, why.reason);
	}
	while (nr_held) {
		nr_held--;
		slab_free(caches[held[nr_held].cache], held[nr_held].obj);
	}
	for (unsigned int i = 0; i < 6; i++)
		cr_assert_eq(slab_cache_destroy(caches[i]), 0);
	TEST_CHECK(m.pgdat);
	free(held);
	test_shutdown(&m);
}
