/*
 * tests/unit/kernel/test_files.c: files and the page cache through the public API
 * (src/mm/filemap.c, src/kernel/fs.c, the file half of src/kernel/mmap.c): what a file
 * holds, what data mode reads back after writeback and a dropped cache, the readahead
 * window for each read_ahead_kb, and the library's refusals. Counts follow Linux 6.12
 * (docs/files.md); the scenario scripts tests/scenarios/file_*.mms cover the fault rules.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mmsim/mmsim.h"

#define PAGE 4096u

static struct mmsim_system *boot(bool data, uint64_t ra_kb)
{
	struct mmsim_config c;
	struct mmsim_system *s;
	struct mmsim_error e = { 0 };

	mmsim_config_default(&c);
	c.paranoid = true;
	c.data_mode = data;
	c.read_ahead_kb = ra_kb;
	cr_assert_eq(mmsim_system_create(&c, &s, &e), 0, "%s", e.msg);
	return s;
}

static uint64_t counter(struct mmsim_system *s, const char *name)
{
	uint64_t v = 0;

	cr_assert_eq(mmsim_counter(s, name, &v), 0, "%s", name);
	return v;
}

static uint64_t cached(struct mmsim_system *s, const char *name)
{
	uint64_t v = 0;

	cr_assert_eq(mmsim_file_cached(s, name, &v), 0);
	return v;
}

Test(files, create_checks_names_and_sizes)
{
	struct mmsim_system *s = boot(false, 128);

	cr_expect_eq(mmsim_file_create(s, "a.dat", 4), 0);
	cr_expect_eq(mmsim_file_create(s, "a.dat", 4), -EEXIST);
	cr_expect_eq(mmsim_file_create(s, "", 4), -EINVAL);
	cr_expect_eq(mmsim_file_create(s, "bad/name", 4), -EINVAL);
	cr_expect_eq(mmsim_file_create(s, "zero", 0), -EINVAL);
	cr_expect_eq(mmsim_file_create(s, "huge", (UINT64_C(1) << 32) + 1), -EINVAL);
	cr_expect_eq(mmsim_file_cached(s, "nope", &(uint64_t){ 0 }), -ENOENT);
	cr_expect_eq(mmsim_file_drop_cache(s, "nope", NULL), -ENOENT);
	cr_expect_eq(cached(s, "a.dat"), 4);
	cr_expect_eq(counter(s, "nr_file_pages"), 4);
	mmsim_system_destroy(s);
}

Test(files, mapping_an_unknown_file_or_anonymous_flag_is_refused)
{
	struct mmsim_system *s = boot(false, 128);
	struct mmsim_task *t;
	uint64_t a;

	cr_assert_eq(mmsim_file_create(s, "f", 4), 0);
	cr_assert_eq(mmsim_task_spawn(s, &t), 0);
	cr_expect_eq(
		mmsim_mmap_file(t, 0, 4 * PAGE, MMSIM_PROT_READ, MMSIM_MAP_PRIVATE, "g", 0, &a),
		-ENOENT);
	cr_expect_eq(mmsim_mmap_file(t, 0, 4 * PAGE, MMSIM_PROT_READ,
				     MMSIM_MAP_PRIVATE | MMSIM_MAP_ANONYMOUS, "f", 0, &a),
		     -EINVAL);
	cr_expect_eq(mmsim_mmap(t, 0, PAGE, MMSIM_PROT_READ, MMSIM_MAP_PRIVATE, &a), -EBADF);
	cr_expect_eq(mmsim_msync(t, 1, PAGE, NULL), -EINVAL);
	mmsim_system_destroy(s);
}

/* A shared write reaches the file: after msync and a dropped cache, a second process
 * reads the written bytes from the "disk"; an unwritten page reads its seeded bytes, the
 * same in every mapping and after a reread. */
Test(files, data_written_back_is_data_read_back)
{
	struct mmsim_system *s = boot(true, 128);
	struct mmsim_task *p, *q;
	uint64_t a, b, written = 0;
	uint8_t before[64], after[64], buf[64];

	cr_assert_eq(mmsim_file_create(s, "data", 8), 0);
	cr_assert_eq(mmsim_task_spawn(s, &p), 0);
	cr_assert_eq(mmsim_task_spawn(s, &q), 0);
	cr_assert_eq(mmsim_mmap_file(p, 0, 8 * PAGE, MMSIM_PROT_READ | MMSIM_PROT_WRITE,
				     MMSIM_MAP_SHARED, "data", 0, &a),
		     0);
	cr_assert_eq(mmsim_read(p, a + 5 * PAGE, before, sizeof(before)), MMSIM_SIG_NONE);
	memset(buf, 0xab, sizeof(buf));
	cr_assert_eq(mmsim_write(p, a + 2 * PAGE + 100, buf, sizeof(buf)), MMSIM_SIG_NONE);
	cr_expect_eq(counter(s, "nr_dirty"), 1);
	cr_assert_eq(mmsim_msync(p, a, 8 * PAGE, &written), 0);
	cr_expect_eq(written, 1);
	cr_expect_eq(counter(s, "nr_dirty"), 0);
	cr_assert_eq(mmsim_munmap(p, a, 8 * PAGE), 0);
	cr_assert_eq(mmsim_file_drop_cache(s, "data", NULL), 0);
	cr_expect_eq(cached(s, "data"), 0);
	cr_assert_eq(
		mmsim_mmap_file(q, 0, 8 * PAGE, MMSIM_PROT_READ, MMSIM_MAP_PRIVATE, "data", 0, &b),
		0);
	cr_assert_eq(mmsim_read(q, b + 2 * PAGE + 100, after, sizeof(after)), MMSIM_SIG_NONE);
	cr_expect_eq(memcmp(after, buf, sizeof(buf)), 0, "written bytes read back");
	cr_assert_eq(mmsim_read(q, b + 5 * PAGE, after, sizeof(after)), MMSIM_SIG_NONE);
	cr_expect_eq(memcmp(after, before, sizeof(before)), 0, "seeded bytes read back");
	mmsim_system_destroy(s);
}

/* do_sync_mmap_readahead(): a miss at page 100 of a dropped 1000-page file reads
 * ra_pages = read_ahead_kb / 4 pages from 100 - ra_pages / 2 (not below 0), clamped to the
 * file: one major fault, ra_pages * 4 kB of pgpgin. read_ahead_kb=0: just the page. */
Test(files, read_around_window_follows_read_ahead_kb)
{
	static const struct {
		uint64_t kb, index, pages;
	} cases[] = {
		{ 0, 100, 1 },	   { 16, 100, 4 },	{ 128, 100, 32 },
		{ 512, 100, 128 }, { 8192, 100, 1000 }, { 128, 999, 17 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct mmsim_system *s = boot(false, cases[i].kb);
		struct mmsim_task *t;
		uint64_t a;

		cr_assert_eq(mmsim_file_create(s, "big", 1000), 0);
		cr_assert_eq(mmsim_file_drop_cache(s, "big", NULL), 0);
		cr_assert_eq(mmsim_task_spawn(s, &t), 0);
		cr_assert_eq(mmsim_mmap_file(t, 0, 1000 * PAGE, MMSIM_PROT_READ, MMSIM_MAP_PRIVATE,
					     "big", 0, &a),
			     0);
		cr_assert_eq(mmsim_access(t, a + cases[i].index * PAGE, MMSIM_ACCESS_READ, true),
			     MMSIM_SIG_NONE);
		cr_expect_eq(cached(s, "big"), cases[i].pages, "read_ahead_kb=%llu",
			     (unsigned long long)cases[i].kb);
		cr_expect_eq(counter(s, "pgmajfault"), 1);
		cr_expect_eq(counter(s, "pgpgin"), cases[i].pages * 4);
		cr_expect_eq(counter(s, "file_ra_pages"), cases[i].kb ? cases[i].pages : 0);
		mmsim_system_destroy(s);
	}
}

/* mmsim_lib_load(): three VMAs as ld.so leaves them (text r-x from offset 0, data rw- from
 * the data segment's file offset, bss anonymous right after), and the refusals. */
Test(files, lib_load_maps_text_data_bss)
{
	struct mmsim_system *s = boot(true, 128);
	struct mmsim_task *t;
	uint64_t base = 0;
	char *maps = NULL, want[160];
	unsigned char byte = 1;

	cr_assert_eq(mmsim_lib_create(s, "libc.so.6", 6, 3, 2), 0);
	cr_expect_eq(mmsim_lib_create(s, "libc.so.6", 6, 3, 2), -EEXIST);
	cr_expect_eq(mmsim_lib_create(s, "notext", 0, 3, 2), -EINVAL);
	cr_assert_eq(mmsim_file_create(s, "plain", 4), 0);
	cr_expect_eq(cached(s, "libc.so.6"), 9);
	cr_assert_eq(mmsim_task_spawn(s, &t), 0);
	cr_expect_eq(mmsim_lib_load(t, "nope", &base), -ENOENT);
	cr_expect_eq(mmsim_lib_load(t, "plain", &base), -ENOEXEC);
	cr_assert_eq(mmsim_lib_load(t, "libc.so.6", &base), 0);
	cr_assert_eq(mmsim_report(s, t, "maps", &maps, NULL), 0);
	snprintf(want, sizeof(want), "%08llx-%08llx r-xp 00000000 08:01 100000",
		 (unsigned long long)base, (unsigned long long)base + 6 * PAGE);
	cr_expect(strstr(maps, want), "want '%s' in\n%s", want, maps);
	snprintf(want, sizeof(want), "%08llx-%08llx rw-p 00006000 08:01 100000",
		 (unsigned long long)base + 6 * PAGE, (unsigned long long)base + 9 * PAGE);
	cr_expect(strstr(maps, want), "want '%s' in\n%s", want, maps);
	snprintf(want, sizeof(want), "%08llx-%08llx rw-p 00000000 00:00 0\n",
		 (unsigned long long)base + 9 * PAGE, (unsigned long long)base + 11 * PAGE);
	cr_expect(strstr(maps, want), "want '%s' in\n%s", want, maps);
	free(maps);
	/* Text is not writable; bss reads as zeros; text bytes are the file's. */
	cr_expect_eq(mmsim_access(t, base, MMSIM_ACCESS_WRITE, true), MMSIM_SIG_SEGV_ACCERR);
	cr_expect_eq(mmsim_read(t, base + 9 * PAGE + 17, &byte, 1), MMSIM_SIG_NONE);
	cr_expect_eq(byte, 0);
	mmsim_system_destroy(s);
}

/* mmsim_file_read_into(): read(2) into a buffer copies the file's bytes there, as
 * copy_to_user() does: a later load of the buffer sees what a load through a mapping of
 * the file sees. The stores fault the buffer in (counted for the reader, as Linux counts a
 * fault in copy_to_user()); a store the buffer refuses ends the read without a signal: a
 * short count, or EFAULT when nothing was copied. */
Test(files, read_into_copies_the_bytes)
{
	struct mmsim_system *s = boot(true, 128);
	static uint8_t got[PAGE], want[PAGE];
	struct mmsim_task_stats st;
	struct mmsim_task *t;
	uint64_t buf, map, n = 0;

	cr_assert_eq(mmsim_file_create(s, "f", 16), 0);
	cr_assert_eq(mmsim_task_spawn(s, &t), 0);
	cr_assert_eq(mmsim_mmap(t, 0, 4 * PAGE, MMSIM_PROT_READ | MMSIM_PROT_WRITE,
				MMSIM_MAP_PRIVATE | MMSIM_MAP_ANONYMOUS, &buf),
		     0);
	cr_assert_eq(mmsim_file_read_into(t, "f", 5, 4, buf, &n), 0);
	cr_expect_eq(n, 4);
	mmsim_task_stats(t, &st);
	cr_expect_eq(st.minflt, 4, "the copy faults the 4 buffer pages in");
	cr_expect_eq(st.rss_anon_kb, 16);
	cr_assert_eq(
		mmsim_mmap_file(t, 0, 16 * PAGE, MMSIM_PROT_READ, MMSIM_MAP_SHARED, "f", 0, &map),
		0);
	for (unsigned int i = 0; i < 4; i++) {
		cr_assert_eq(mmsim_read(t, buf + i * PAGE, got, PAGE), MMSIM_SIG_NONE);
		cr_assert_eq(mmsim_read(t, map + (5 + i) * PAGE, want, PAGE), MMSIM_SIG_NONE);
		cr_expect(memcmp(got, want, PAGE) == 0, "buffer page %u holds file page %u", i,
			  5 + i);
	}
	cr_expect(memcmp(got, (uint8_t[PAGE]){ 0 }, PAGE) != 0, "a file's bytes are not zero");
	/* Pages 2..3 read-only: the copy stops after 2 pages; a read-only buffer: EFAULT. */
	cr_assert_eq(mmsim_mprotect(t, buf + 2 * PAGE, 2 * PAGE, MMSIM_PROT_READ), 0);
	cr_expect_eq(mmsim_file_read_into(t, "f", 0, 4, buf, &n), 0);
	cr_expect_eq(n, 2, "a short count");
	cr_expect_eq(mmsim_file_read_into(t, "f", 0, 1, buf + 2 * PAGE, &n), -EFAULT);
	cr_expect_eq(n, 0);
	mmsim_task_stats(t, &st);
	cr_expect_eq(st.last_signal, MMSIM_SIG_NONE, "copy_to_user() raises no signal");
	cr_expect_eq(mmsim_file_read_into(t, "f", 0, 1, buf + 1, &n), -EINVAL, "unaligned");
	mmsim_system_destroy(s);

	/* Metadata mode: no bytes move, but the stores fault the buffer in all the same. */
	s = boot(false, 128);
	cr_assert_eq(mmsim_file_create(s, "f", 16), 0);
	cr_assert_eq(mmsim_task_spawn(s, &t), 0);
	cr_assert_eq(mmsim_mmap(t, 0, 4 * PAGE, MMSIM_PROT_READ | MMSIM_PROT_WRITE,
				MMSIM_MAP_PRIVATE | MMSIM_MAP_ANONYMOUS, &buf),
		     0);
	cr_assert_eq(mmsim_file_read_into(t, "f", MMSIM_FILE_POS, 3, buf, &n), 0);
	cr_expect_eq(n, 3);
	mmsim_task_stats(t, &st);
	cr_expect_eq(st.rss_anon_kb, 12);
	mmsim_system_destroy(s);
}

/* mmsim_file_read(): read() with readahead off reads each missing page alone (one device
 * request a page); one read of 1024 pages with read_ahead_kb=8192 opens a window of
 * get_init_ra_size(1024, 2048) = 2048 pages with async_size 1024 (mark on page 1024, which
 * this read does not reach); the next read of 1024 meets the mark and reads the next 2048.
 * pread leaves the file position; the end of the file cuts a read short. */
Test(files, read_follows_read_ahead_kb)
{
	struct mmsim_system *s = boot(false, 0);
	struct mmsim_task *t;
	uint64_t n = 0;

	cr_assert_eq(mmsim_file_create(s, "f", 4096), 0);
	cr_assert_eq(mmsim_file_drop_cache(s, "f", NULL), 0);
	cr_assert_eq(mmsim_task_spawn(s, &t), 0);
	cr_expect_eq(mmsim_file_read(t, "nope", 0, 1, &n), -ENOENT);
	cr_assert_eq(mmsim_file_read(t, "f", MMSIM_FILE_POS, 8, &n), 0);
	cr_expect_eq(n, 8);
	cr_expect_eq(cached(s, "f"), 8);
	cr_expect_eq(counter(s, "file_io_requests"), 8);
	cr_expect_eq(counter(s, "pgpgin"), 32);
	cr_expect_eq(counter(s, "pgmajfault"), 0);
	mmsim_system_destroy(s);

	s = boot(false, 8192);
	cr_assert_eq(mmsim_file_create(s, "f", 4096), 0);
	cr_assert_eq(mmsim_file_drop_cache(s, "f", NULL), 0);
	cr_assert_eq(mmsim_task_spawn(s, &t), 0);
	cr_assert_eq(mmsim_file_read(t, "f", MMSIM_FILE_POS, 1024, &n), 0);
	cr_expect_eq(n, 1024);
	cr_expect_eq(cached(s, "f"), 2048);
	cr_expect_eq(counter(s, "file_io_requests"), 1, "one run of pages, one request");
	cr_assert_eq(mmsim_file_read(t, "f", 4000, 200, &n), 0, "pread");
	cr_expect_eq(n, 96, "cut at the file's end");
	cr_assert_eq(mmsim_file_read(t, "f", MMSIM_FILE_POS, 1024, &n), 0);
	cr_expect_eq(cached(s, "f"), 4096);
	cr_expect_eq(counter(s, "file_ra_pages"), 4096);
	cr_assert_eq(mmsim_file_read(t, "f", MMSIM_FILE_POS, 1, &n), 0);
	cr_expect_eq(n, 1, "the position is 2048: pread did not move it");
	cr_assert_eq(mmsim_file_read(t, "f", 4096, 1, &n), 0);
	cr_expect_eq(n, 0, "past the end");
	mmsim_system_destroy(s);
}
