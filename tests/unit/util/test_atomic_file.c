/*
 * tests/unit/util/test_atomic_file.c: util/atomic_file.c: a file appears whole or not at
 * all; an old file stays until the new one is complete; nothing is left behind on failure.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/atomic_file.h"

/* Entries of dir other than . and .. */
static int nr_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	cr_assert_not_null(d);
	while ((e = readdir(d)))
		n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
	closedir(d);
	return n;
}

static void slurp(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "r");
	size_t n;

	cr_assert_not_null(f, "%s", path);
	n = fread(buf, 1, size - 1, f);
	buf[n] = '\0';
	fclose(f);
}

Test(atomic_file, the_old_file_stays_until_commit)
{
	char dir[] = "/tmp/mmsim-af-XXXXXX", path[64], buf[64];
	struct atomic_file a;
	FILE *f;

	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/out", dir);
	f = fopen(path, "w");
	fputs("old", f);
	fclose(f);
	cr_assert_eq(atomic_file_open(&a, path), 0);
	cr_assert_eq(write(a.fd, "new!", 4), 4);
	slurp(path, buf, sizeof(buf));
	cr_expect_str_eq(buf, "old", "nothing at the name before commit");
	cr_expect_eq(nr_entries(dir), 2, "the old file and the temporary");
	cr_assert_eq(atomic_file_commit(&a, path), 0);
	slurp(path, buf, sizeof(buf));
	cr_expect_str_eq(buf, "new!");
	cr_expect_eq(nr_entries(dir), 1, "no temporary left");
	cr_expect_eq(a.fd, -1);
	unlink(path);
	rmdir(dir);
}

Test(atomic_file, abort_leaves_the_old_file_or_none)
{
	char dir[] = "/tmp/mmsim-af-XXXXXX", path[64], buf[64];
	struct atomic_file a;
	struct stat st;
	mode_t mask = umask(022);
	FILE *f;

	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/out", dir);
	cr_assert_eq(atomic_file_open(&a, path), 0);
	cr_assert_eq(write(a.fd, "partial", 7), 7);
	atomic_file_abort(&a);
	cr_expect_eq(nr_entries(dir), 0, "no file, no temporary");
	atomic_file_abort(&a); /* twice is harmless */
	f = fopen(path, "w");
	fputs("old", f);
	fclose(f);
	cr_assert_eq(atomic_file_open(&a, path), 0);
	atomic_file_abort(&a);
	slurp(path, buf, sizeof(buf));
	cr_expect_str_eq(buf, "old");
	/* A committed file gets the mode creat() would give, not mkstemp's 0600. */
	cr_assert_eq(atomic_file_open(&a, path), 0);
	cr_assert_eq(atomic_file_commit(&a, path), 0);
	cr_assert_eq(stat(path, &st), 0);
	cr_expect_eq(st.st_mode & 0777, 0644);
	umask(mask);
	unlink(path);
	rmdir(dir);
}

Test(atomic_file, failures_are_errno_values)
{
	struct atomic_file a;

	cr_expect_eq(atomic_file_open(&a, "/nonexistent-dir/x"), -ENOENT);
	cr_expect_eq(a.fd, -1);
	cr_expect_null(a.tmp);
	atomic_file_abort(&a);
}

Test(atomic_file, a_device_is_written_directly_and_a_full_disk_is_an_error)
{
	struct atomic_file a;
	char block[4096] = { 0 };
	ssize_t put;

	if (access("/dev/full", W_OK))
		cr_skip_test("no /dev/full");
	cr_assert_eq(atomic_file_open(&a, "/dev/full"), 0);
	cr_expect_null(a.tmp, "a device is not replaced");
	put = write(a.fd, block, sizeof(block));
	cr_expect_eq(put, -1);
	cr_expect_eq(errno, ENOSPC);
	cr_expect_eq(atomic_file_commit(&a, "/dev/full"), 0, "nothing more to report at close");
}

Test(atomic_file, a_stream_appears_whole_at_commit_or_not_at_all)
{
	char dir[] = "/tmp/mmsim-af-XXXXXX", path[64], buf[64];
	struct atomic_file a;
	FILE *f, *old;

	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/out", dir);
	old = fopen(path, "w");
	fputs("old", old);
	fclose(old);
	/* Given up: the old file stays, no temporary is left. */
	cr_assert_eq(atomic_file_fopen(&a, path, &f), 0);
	fputs("half", f);
	atomic_file_fabort(&a, f);
	slurp(path, buf, sizeof(buf));
	cr_expect_str_eq(buf, "old");
	cr_expect_eq(nr_entries(dir), 1);
	/* Committed: buffered bytes reach the file (fcommit flushes the stream). */
	cr_assert_eq(atomic_file_fopen(&a, path, &f), 0);
	fputs("new!", f);
	slurp(path, buf, sizeof(buf));
	cr_expect_str_eq(buf, "old", "nothing at the name before commit");
	cr_assert_eq(atomic_file_fcommit(&a, f, path), 0);
	slurp(path, buf, sizeof(buf));
	cr_expect_str_eq(buf, "new!");
	cr_expect_eq(nr_entries(dir), 1);
	cr_expect_eq(a.fd, -1);
	cr_expect_null(a.tmp);
	unlink(path);
	rmdir(dir);
}

Test(atomic_file, a_stream_to_a_full_disk_is_an_error)
{
	struct atomic_file a;
	FILE *f;

	if (access("/dev/full", W_OK))
		cr_skip_test("no /dev/full");
	cr_assert_eq(atomic_file_fopen(&a, "/dev/full", &f), 0);
	cr_assert_null(a.tmp, "a device is written directly");
	fputs("bytes that cannot land", f);
	cr_expect_eq(atomic_file_fcommit(&a, f, "/dev/full"), -ENOSPC);
}
