/*
 * tests/unit/mm/test_pgdat.c: the boot-time layout of physical memory and the zones.
 *
 * Expected numbers are derived by hand from the layout pgdat.h documents (Linux x86-64:
 * frame 0 and the ISA hole 0x9f..0xff are not RAM, the first MiB is reserved, the kernel
 * image and the memmap are reserved) and from the zone boundaries 16 MiB and 4 GiB.
 * The DMA zone always reads spanned 4095, present 3998, managed 3840, as on a real
 * x86-64 machine with Linux >= 5.13 (pfn 1..0x9e and 0x100..0xfff are RAM; the first MiB
 * is reserved).
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "mm/buddy.h"
#include "mm/mm_test_machine.h"
#include "mm/page.h"
#include "mm/pgdat.h"

static void assert_zone(const struct zone *z, pfn_t start, unsigned long spanned,
			unsigned long present, unsigned long managed)
{
	cr_assert_eq(z->start_pfn, start, "%s start_pfn %llu", z->name,
		     (unsigned long long)z->start_pfn);
	cr_assert_eq(z->spanned_pages, spanned, "%s spanned %lu", z->name, z->spanned_pages);
	cr_assert_eq(z->present_pages, present, "%s present %lu", z->name, z->present_pages);
	cr_assert_eq(z->managed_pages, managed, "%s managed %lu", z->name, z->managed_pages);
	cr_assert_eq(z->nr_free_pages, managed, "%s: every managed page is free at boot", z->name);
}

Test(pgdat, layout_32mib)
{
	struct test_machine m;

	test_boot(&m, 32 * MIB);
	/* 8192 frames; kernel at 1 MiB (RAM < 64 MiB), 32 MiB / 64 = 512 KiB = 128 frames;
	 * memmap 8192 * 64 B = 128 frames at the top. */
	cr_assert_eq(m.pgdat->nr_pfns, 8192);
	cr_assert_eq(m.pgdat->kernel_start_pfn, 256);
	cr_assert_eq(m.pgdat->kernel_pages, 128);
	cr_assert_eq(m.pgdat->memmap.start_pfn, 8064);
	cr_assert_eq(m.pgdat->memmap.nr_frames, 128);
	assert_zone(&m.pgdat->zones[ZONE_DMA], 1, 4095, 3998, 3840 - 128);
	assert_zone(&m.pgdat->zones[ZONE_DMA32], 4096, 4096, 4096, 4096 - 128);
	assert_zone(&m.pgdat->zones[ZONE_NORMAL], 0, 0, 0, 0);
	cr_assert_eq(m.pgdat->totalram_pages, 7680);
	cr_assert_eq(m.pgdat->vmstat[VMSTAT_NR_FREE_PAGES], 7680);
	cr_assert_eq(m.pgdat->vmstat[VMSTAT_PGFREE], 7680, "boot frees count as pgfree, as Linux");
	TEST_CHECK(m.pgdat);
	test_shutdown(&m);
}

Test(pgdat, layout_256mib)
{
	struct test_machine m;

	test_boot(&m, 256 * MIB);
	/* Kernel at 16 MiB, 4 MiB (1024 frames); memmap 65536 * 64 B = 1024 frames. */
	cr_assert_eq(m.pgdat->kernel_start_pfn, 4096);
	cr_assert_eq(m.pgdat->kernel_pages, 1024);
	cr_assert_eq(m.pgdat->memmap.start_pfn, 65536 - 1024);
	assert_zone(&m.pgdat->zones[ZONE_DMA], 1, 4095, 3998, 3840);
	assert_zone(&m.pgdat->zones[ZONE_DMA32], 4096, 61440, 61440, 61440 - 2048);
	assert_zone(&m.pgdat->zones[ZONE_NORMAL], 0, 0, 0, 0);
	cr_assert_eq(m.pgdat->totalram_pages, 63232);
	TEST_CHECK(m.pgdat);
	test_shutdown(&m);
}

Test(pgdat, layout_above_4gib_has_normal)
{
	struct test_machine m;

	test_boot(&m, 4 * GIB + 256 * MIB);
	/* 1114112 frames; kernel 32 MiB (the cap) at 16 MiB; memmap 17408 frames at the top,
	 * inside ZONE_NORMAL [4 GiB, 4.25 GiB). */
	cr_assert_eq(m.pgdat->kernel_pages, 8192);
	cr_assert_eq(m.pgdat->memmap.nr_frames, 17408);
	assert_zone(&m.pgdat->zones[ZONE_DMA], 1, 4095, 3998, 3840);
	assert_zone(&m.pgdat->zones[ZONE_DMA32], 4096, 1044480, 1044480, 1044480 - 8192);
	assert_zone(&m.pgdat->zones[ZONE_NORMAL], 1048576, 65536, 65536, 65536 - 17408);
	test_shutdown(&m);
}

Test(pgdat, frames_are_reserved_where_linux_reserves_them)
{
	struct test_machine m;

	test_boot(&m, 32 * MIB);
	cr_assert(!pgdat_pfn_is_ram(m.pgdat, 0), "frame 0 is firmware's");
	cr_assert(pgdat_pfn_is_ram(m.pgdat, 0x9e));
	cr_assert(!pgdat_pfn_is_ram(m.pgdat, 0x9f), "ISA hole");
	cr_assert(!pgdat_pfn_is_ram(m.pgdat, 0xff), "ISA hole");
	cr_assert(pgdat_pfn_is_ram(m.pgdat, 0x100));
	for (pfn_t pfn = 0; pfn < 384; pfn++)
		cr_assert(page_flag_test(pgdat_page(m.pgdat, pfn), PG_RESERVED), "pfn %llu",
			  (unsigned long long)pfn);
	cr_assert(!page_flag_test(pgdat_page(m.pgdat, 384), PG_RESERVED), "first free frame");
	cr_assert_eq(pgdat_page(m.pgdat, 100)->refcount, 1, "reserved pages hold a reference");
	cr_assert_eq(pgdat_page(m.pgdat, 4095)->zone_idx, ZONE_DMA);
	/* The memmap's own frames are reserved in name until materialized (pgdat.c step 3). */
	cr_assert(pgdat_pfn_is_lazy_memmap(m.pgdat, 8064));
	cr_assert(!pgdat_pfn_is_lazy_memmap(m.pgdat, 8063));
	cr_assert_eq(pgdat_page(m.pgdat, 8064)->flags, 0, "not written at boot");
	TEST_CHECK(m.pgdat);
	pgdat_memmap_materialize(m.pgdat);
	cr_assert(!pgdat_pfn_is_lazy_memmap(m.pgdat, 8064));
	for (pfn_t pfn = 8064; pfn < 8192; pfn++)
		cr_assert(page_flag_test(pgdat_page(m.pgdat, pfn), PG_RESERVED), "memmap %llu",
			  (unsigned long long)pfn);
	cr_assert_eq(pgdat_page(m.pgdat, 8191)->refcount, 1);
	cr_assert_eq(pgdat_page(m.pgdat, 8191)->zone_idx, ZONE_DMA32);
	cr_assert_eq(pgdat_page(m.pgdat, 4096)->zone_idx, ZONE_DMA32, "a block head, written");
	TEST_CHECK(m.pgdat);
	test_shutdown(&m);
}

Test(pgdat, memmap_lives_in_simulated_memory)
{
	struct test_machine m;

	test_boot(&m, 32 * MIB);
	cr_assert_eq((void *)m.pgdat->memmap.pages, physmem_frame(&m.pm, 8064));
	cr_assert_eq(memmap_pfn_to_page(&m.pgdat->memmap, 5000), m.pgdat->memmap.pages + 5000);
	cr_assert_eq(memmap_page_to_pfn(&m.pgdat->memmap, m.pgdat->memmap.pages + 5000), 5000);
	test_shutdown(&m);
}

Test(pgdat, rejects_bad_sizes)
{
	struct physmem pm;
	struct pgdat *pgdat = NULL;

	cr_assert_eq(physmem_init(&pm, 64 * MIB, false), 0);
	cr_assert_eq(pgdat_create(&pm, 2 * MIB, &pgdat), -EINVAL, "below 4 MiB");
	cr_assert_eq(pgdat_create(&pm, 32 * MIB + 100, &pgdat), -EINVAL, "not page-aligned");
	cr_assert_eq(pgdat_create(&pm, 128 * MIB, &pgdat), -EINVAL, "larger than the physmem");
	cr_assert_eq(pgdat_create(&pm, 0, &pgdat), 0, "0: the whole physmem");
	cr_assert_eq(pgdat->mem_bytes, 64 * MIB);
	pgdat_destroy(pgdat);
	pgdat_destroy(NULL);
	physmem_fini(&pm);
}

Test(pgdat, smallest_machine_boots)
{
	struct test_machine m;

	test_boot(&m, 4 * MIB);
	/* 1024 frames: kernel 512 KiB at 1 MiB (128), memmap 16 frames; DMA only. */
	assert_zone(&m.pgdat->zones[ZONE_DMA], 1, 1023, 926, 1024 - 256 - 128 - 16);
	cr_assert_eq(m.pgdat->zones[ZONE_DMA32].spanned_pages, 0);
	TEST_CHECK(m.pgdat);
	test_shutdown(&m);
}

/*
 * Lazy memmap (pgdat.c, step 3): at boot, a managed frame inside a free block is an
 * untouched, all-zero struct page (the free state, zone 0 until first use); the buddy
 * allocator writes the zone when a frame heads or joins a block, and every checker holds
 * before and after.
 */
Test(pgdat, memmap_of_free_frames_is_left_untouched_until_first_use)
{
	struct test_machine m;
	struct zone *z;
	const struct page *tail;
	pfn_t pfn;

	test_boot(&m, 8 * GIB);
	z = &m.pgdat->zones[ZONE_NORMAL];
	cr_assert_gt(z->managed_pages, 0);
	tail = pgdat_page(m.pgdat, z->start_pfn + 5); /* inside the zone's first 4 MiB block */
	cr_assert_eq(tail->flags, 0);
	cr_assert_eq(tail->refcount, 0);
	cr_assert_eq(tail->zone_idx, 0, "not written at boot");
	/* mmsim: lazy boot blocks (buddy.h): nor are the heads of top-order blocks. */
	cr_assert_eq(pgdat_page(m.pgdat, z->start_pfn)->flags, 0, "block heads neither");
	cr_assert_eq(pgdat_page(m.pgdat, z->start_pfn)->zone_idx, 0);
	TEST_CHECK(m.pgdat);
	cr_assert_eq(buddy_alloc(z, 3, &pfn), 0);
	cr_assert_eq(pfn, z->start_pfn, "the first lazy block, split");
	for (pfn_t i = 0; i < 8; i++)
		cr_assert_eq(pgdat_page(m.pgdat, pfn + i)->zone_idx, ZONE_NORMAL,
			     "frame %llu of the block", (unsigned long long)i);
	cr_assert_eq(pgdat_page_zone(m.pgdat, pgdat_page(m.pgdat, pfn)), z);
	TEST_CHECK(m.pgdat);
	buddy_free(z, pfn, 3);
	TEST_CHECK(m.pgdat);
	cr_assert_eq(z->nr_free_pages, z->managed_pages);
	test_shutdown(&m);
}

/*
 * What a boot writes in host memory: for 64 GiB of RAM, the memmap is 1 GiB of simulated
 * frames, yet boot writes only the struct pages of the first MiB, the kernel image and the
 * few blocks below the top order. mincore() tells which host pages of the memmap are
 * resident; they are counted by 2 MiB region, so that a host that backs the mapping with
 * transparent huge pages gives the same answer. Before the lazy boot blocks and the lazy
 * memmap frames, boot wrote the head of each of the 16,367 top-order blocks (one every
 * 64 KiB of the memmap: all 512 regions) and the 16 MiB of the memmap frames' entries.
 */
Test(pgdat, boot_writes_no_struct_page_per_block_of_ram)
{
	struct test_machine m;
	size_t host_page = (size_t)sysconf(_SC_PAGESIZE);
	size_t per_region = (2 * MIB) / host_page;
	size_t len, nr, regions = 0;
	unsigned char *vec;

	test_boot(&m, 64 * GIB);
	len = (size_t)(m.pgdat->nr_pfns * sizeof(struct page));
	nr = (len + host_page - 1) / host_page;
	vec = calloc(nr, 1);
	cr_assert_not_null(vec);
	cr_assert_eq(mincore(m.pgdat->memmap.pages, len, vec), 0);
	for (size_t r = 0; r < nr; r += per_region) {
		bool touched = false;

		for (size_t i = r; i < r + per_region && i < nr; i++)
			touched |= vec[i] & 1;
		regions += touched;
	}
	cr_assert_lt(regions, 16, "%zu of the memmap's %zu 2 MiB regions written at boot", regions,
		     (nr + per_region - 1) / per_region);
	cr_assert_eq(m.pgdat->zones[ZONE_NORMAL].free_area[10].nr_free, 15360 - 256,
		     "60 GiB of Normal less the memmap's 1 GiB, in 4 MiB blocks");
	free(vec);
	test_shutdown(&m);
}
