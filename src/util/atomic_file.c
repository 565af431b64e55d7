/*
 * util/atomic_file.c: write to PATH.tmp-XXXXXX, then rename(2) over PATH (atomic_file.h).
 */
#include "util/atomic_file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int atomic_file_open(struct atomic_file *a, const char *path)
{
	struct stat st;
	size_t len;
	mode_t mask;
	int err;

	a->fd = -1;
	a->tmp = NULL;
	/* A device or FIFO cannot be replaced: write to it. */
	if (!stat(path, &st) && !S_ISREG(st.st_mode)) {
		a->fd = open(path, O_WRONLY | O_CLOEXEC);
		return a->fd < 0 ? -errno : 0;
	}
	len = strlen(path) + sizeof(".tmp-XXXXXX");
	a->tmp = malloc(len);
	if (!a->tmp)
		return -ENOMEM;
	snprintf(a->tmp, len, "%s.tmp-XXXXXX", path);
	a->fd = mkostemp(a->tmp, O_CLOEXEC);
	if (a->fd < 0) {
		err = errno;
		free(a->tmp);
		a->tmp = NULL;
		return -err;
	}
	/* mkstemp makes the file 0600; give it the mode a plain creat() would. */
	mask = umask(0);
	umask(mask);
	(void)fchmod(a->fd, 0666 & ~mask);
	return 0;
}

static void forget(struct atomic_file *a)
{
	free(a->tmp);
	a->tmp = NULL;
	a->fd = -1;
}

/* The file is closed (err: what went wrong so far, or 0): rename it into place or remove it. */
static int finish(struct atomic_file *a, const char *path, int err)
{
	if (!err && a->tmp && rename(a->tmp, path) != 0)
		err = errno;
	if (err && a->tmp)
		unlink(a->tmp);
	forget(a);
	return -err;
}

int atomic_file_commit(struct atomic_file *a, const char *path)
{
	int err = 0;

	if (a->fd < 0)
		return -EBADF;
	/* fsync before rename: otherwise a crash may leave the new name with no data. */
	if (a->tmp && fsync(a->fd) != 0)
		err = errno;
	/* close() is where NFS and full disks may report delayed write errors. */
	if (close(a->fd) != 0 && !err)
		err = errno;
	return finish(a, path, err);
}

void atomic_file_abort(struct atomic_file *a)
{
	if (a->fd >= 0)
		close(a->fd);
	if (a->tmp)
		unlink(a->tmp);
	forget(a);
}

int atomic_file_fopen(struct atomic_file *a, const char *path, FILE **f)
{
	int rc = atomic_file_open(a, path), err;

	if (rc)
		return rc;
	*f = fdopen(a->fd, "w");
	if (!*f) {
		err = errno;
		atomic_file_abort(a);
		return -err;
	}
	return 0;
}

int atomic_file_fcommit(struct atomic_file *a, FILE *f, const char *path)
{
	int err = 0;

	errno = 0;
	if (fflush(f) != 0 || ferror(f))
		err = errno ? errno : EIO;
	if (!err && a->tmp && fsync(fileno(f)) != 0)
		err = errno;
	errno = 0;
	if (fclose(f) != 0 && !err)
		err = errno ? errno : EIO;
	return finish(a, path, err);
}

void atomic_file_fabort(struct atomic_file *a, FILE *f)
{
	if (f) {
		fclose(f);
		a->fd = -1;
	}
	atomic_file_abort(a);
}
