/*
 * tests/unit/report/test_meminfo.c: /proc/meminfo lines and MemAvailable.
 *
 * 32 MiB machine (numbers from tests/unit/mm/test_zone.c): 7680 managed pages = 30720 kB.
 * totalreserve_pages = DMA min(3712, 15 + 126) + DMA32 134 + Movable min(0, 32) = 275, so
 * si_mem_available() = 7680 - 275 = 7405 pages = 29620 kB with no page cache or slab.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mm/mm_test_machine.h"
#include "mmsim/mmsim.h"
#include "mm/slab.h"
#include "report/report.h"
#include "util/strbuf.h"

Test(meminfo, boot_32mib)
{
	struct test_machine m;
	struct strbuf sb;
	struct report_meminfo_more more = { .swap_total_pages = 1024, .swap_free_pages = 1000 };

	test_boot(&m, 32 * MIB);
	cr_assert_eq(m.pgdat->totalreserve_pages, 275);
	cr_assert_eq(report_mem_available(m.pgdat), 7405);
	strbuf_init(&sb);
	report_meminfo(&sb, m.pgdat, &more);
	cr_assert(!strncmp(strbuf_str(&sb),
			   "MemTotal:          30720 kB\n"
			   "MemFree:           30720 kB\n"
			   "MemAvailable:      29620 kB\n"
			   "Buffers:               0 kB\n"
			   "Cached:                0 kB\n"
			   "SwapCached:            0 kB\n"
			   "Active:                0 kB\n"
			   "Inactive:              0 kB\n"
			   "Active(anon):          0 kB\n"
			   "Inactive(anon):        0 kB\n",
			   strlen("MemTotal:          30720 kB\n") * 10),
		  "%s", strbuf_str(&sb));
	cr_assert(strstr(strbuf_str(&sb), "SwapTotal:          4096 kB\n"
					  "SwapFree:           4000 kB\n"));
	cr_assert(strstr(strbuf_str(&sb), "PageTables:            0 kB\n"));
	/* CommitLimit = 7680 * 50 / 100 + 1024 swap pages = 4864 pages. */
	cr_assert(strstr(strbuf_str(&sb), "CommitLimit:       19456 kB\n"), "%s", strbuf_str(&sb));
	/* After CommitLimit, Linux 6.18's lines in its order; nothing here is committed,
	 * vmalloc'ed or mapped, so every value is 0 but the huge page size (2 MiB). */
	cr_assert(strstr(strbuf_str(&sb), "CommitLimit:       19456 kB\n"
					  "Committed_AS:          0 kB\n"
					  "VmallocTotal:          0 kB\n"
					  "VmallocUsed:           0 kB\n"
					  "VmallocChunk:          0 kB\n"
					  "Percpu:                0 kB\n"
					  "AnonHugePages:         0 kB\n"
					  "ShmemHugePages:        0 kB\n"
					  "ShmemPmdMapped:        0 kB\n"
					  "FileHugePages:         0 kB\n"
					  "FilePmdMapped:         0 kB\n"
					  "Balloon:               0 kB\n"
					  "HugePages_Total:       0\n"
					  "HugePages_Free:        0\n"
					  "HugePages_Rsvd:        0\n"
					  "HugePages_Surp:        0\n"
					  "Hugepagesize:       2048 kB\n"
					  "Hugetlb:               0 kB\n"
					  "DirectMap4k:           0 kB\n"
					  "DirectMap2M:           0 kB\n"
					  "DirectMap1G:           0 kB\n"),
		  "%s", strbuf_str(&sb));
	cr_assert(strstr(strbuf_str(&sb), "SwapFree:           4000 kB\n"
					  "Zswap:                 0 kB\n"
					  "Zswapped:              0 kB\n"
					  "Dirty:                 0 kB\n"),
		  "%s", strbuf_str(&sb));
	strbuf_fini(&sb);
	test_shutdown(&m);
}

Test(meminfo, slab_lines)
{
	struct test_machine m;
	struct strbuf sb;
	struct slab_cache *c;

	test_boot(&m, 32 * MIB);
	cr_assert_eq(slab_cache_create(m.pgdat, "r", 700, 0, SLAB_RECLAIM_ACCOUNT, &c), 0);
	cr_assert_not_null(slab_alloc(c));
	strbuf_init(&sb);
	report_meminfo(&sb, m.pgdat, NULL);
	/* kmem_cache: one unreclaimable page; "r": one order-1 reclaimable slab. */
	cr_assert(strstr(strbuf_str(&sb), "KReclaimable:          8 kB\n"
					  "Slab:                 12 kB\n"
					  "SReclaimable:          8 kB\n"
					  "SUnreclaim:            4 kB\n"),
		  "%s", strbuf_str(&sb));
	cr_assert(strstr(strbuf_str(&sb), "SwapTotal:             0 kB\n"));
	/* MemAvailable: free 7677 - 275 + reclaimable 2 - min(1, low sum 105 + 112 + 32) = 7403. */
	cr_assert_eq(report_mem_available(m.pgdat), 7403);
	strbuf_fini(&sb);
	test_shutdown(&m);
}

/* The machine-wide lines the API fills in, through mmsim_report() as users see them. */
static char *meminfo_of(struct mmsim_system *sys)
{
	char *text = NULL;

	cr_assert_eq(mmsim_report(sys, NULL, "meminfo", &text, NULL), 0);
	return text;
}

static struct mmsim_system *boot(uint64_t mem_bytes, const char *layout, unsigned int levels)
{
	struct mmsim_config c;
	struct mmsim_system *sys;

	mmsim_config_default(&c);
	c.mem_bytes = mem_bytes;
	c.swap_bytes = 4 << 20;
	c.paranoid = true;
	snprintf(c.layout, sizeof(c.layout), "%s", layout);
	c.levels = levels;
	cr_assert_eq(mmsim_system_create(&c, &sys, NULL), 0);
	return sys;
}

static void want_line(const char *text, const char *line)
{
	cr_assert(strstr(text, line), "want '%s' in:\n%s", line, text);
}

/* Linux vm_committed_as, worked by hand: a spawned task commits its 33-page stack
 * (132 kB, VM_ACCOUNT); a private writable mapping commits its pages at mmap, a read-only
 * one nothing until mprotect makes it writable; a shared anonymous object commits its size
 * once (shmem_acct_size()), however many processes map it; fork commits the child's copies
 * of the private ones (dup_mmap()); munmap gives them back. */
Test(meminfo, committed_as)
{
	struct mmsim_system *sys = boot(32 << 20, "modern", 4);
	struct mmsim_task *p, *q;
	uint64_t priv, ro, shared;
	const int rw = MMSIM_PROT_READ | MMSIM_PROT_WRITE;
	const int anon = MMSIM_MAP_ANONYMOUS;
	char *text;

	cr_assert_eq(mmsim_task_spawn(sys, &p), 0);
	text = meminfo_of(sys);
	want_line(text, "Committed_AS:        132 kB\n");
	free(text);
	cr_assert_eq(mmsim_mmap(p, 0, 16 * 4096, rw, MMSIM_MAP_PRIVATE | anon, &priv), 0);
	cr_assert_eq(mmsim_mmap(p, 0, 4 * 4096, MMSIM_PROT_READ, MMSIM_MAP_PRIVATE | anon, &ro), 0);
	cr_assert_eq(mmsim_mmap(p, 0, 8 * 4096, rw, MMSIM_MAP_SHARED | anon, &shared), 0);
	text = meminfo_of(sys);
	want_line(text, "Committed_AS:        228 kB\n"); /* 33 + 16 + 0 + 8 pages */
	free(text);
	cr_assert_eq(mmsim_task_fork(p, &q), 0);
	text = meminfo_of(sys);
	want_line(text, "Committed_AS:        424 kB\n"); /* + 33 + 16 for the child */
	free(text);
	cr_assert_eq(mmsim_mprotect(q, ro, 4 * 4096, rw), 0);
	cr_assert_eq(mmsim_munmap(p, priv, 16 * 4096), 0);
	text = meminfo_of(sys);
	want_line(text, "Committed_AS:        376 kB\n"); /* + 4 - 16 pages */
	free(text);
	mmsim_task_exit(q);
	text = meminfo_of(sys);
	want_line(text, "Committed_AS:        164 kB\n"); /* P: 33 + 8 shared */
	free(text);
	mmsim_system_destroy(sys);
}

/* VMALLOC_TOTAL: 32 TiB less one byte with 4 levels, 12800 TiB less one with 5
 * (arch/x86/include/asm/pgtable_64_types.h VMALLOC_SIZE_TB_L4, _L5), in kB rounded down.
 * The direct map of 32 MiB is sixteen 2 MiB pages; of 1 GiB + 6 MiB + 8 KiB, one 1 GiB
 * page, three 2 MiB pages and two 4 KiB pages (arch_report_meminfo()). */
Test(meminfo, vmalloc_and_direct_map)
{
	struct mmsim_system *sys = boot(32 << 20, "modern", 4);
	char *text = meminfo_of(sys);

	want_line(text, "VmallocTotal:   34359738367 kB\n");
	want_line(text, "DirectMap4k:           0 kB\n"
			"DirectMap2M:       32768 kB\n"
			"DirectMap1G:           0 kB\n");
	free(text);
	mmsim_system_destroy(sys);
	sys = boot(32 << 20, "classic", 4);
	text = meminfo_of(sys);
	want_line(text, "VmallocTotal:   34359738367 kB\n");
	free(text);
	mmsim_system_destroy(sys);
	sys = boot(32 << 20, "la57", 5);
	text = meminfo_of(sys);
	want_line(text, "VmallocTotal:   13743895347199 kB\n");
	free(text);
	mmsim_system_destroy(sys);
	sys = boot((UINT64_C(1) << 30) + (6 << 20) + 8192, "modern", 4);
	text = meminfo_of(sys);
	want_line(text, "DirectMap4k:           8 kB\n"
			"DirectMap2M:        6144 kB\n"
			"DirectMap1G:     1048576 kB\n");
	free(text);
	mmsim_system_destroy(sys);
}
