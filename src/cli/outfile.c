/*
 * cli/outfile.c: write to PATH.tmp-XXXXXX, then rename(2) into place (see outfile.h).
 *
 * The table of pending temporary names is the one piece of process-wide state in the
 * command: a signal handler cannot be handed a pointer, and it must find what to unlink.
 * It is written only outside signal context, and the handler only reads it.
 */
#include "outfile.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define OUTFILE_SLOTS 16

static char *volatile pending[OUTFILE_SLOTS];

static bool is_stdout(const char *path)
{
	return !path || !strcmp(path, "-");
}

int cli_outfile_open(struct cli_outfile *o, const char *path, char *msg, size_t msg_size)
{
	struct stat st;
	size_t len;
	mode_t mask;
	int fd, err;

	memset(o, 0, sizeof(*o));
	o->path = path;
	o->slot = -1;
	if (is_stdout(path)) {
		o->f = stdout;
		return 0;
	}
	/* A device or FIFO (/dev/null, /dev/full, a pipe) cannot be replaced: write to it. */
	if (!stat(path, &st) && !S_ISREG(st.st_mode)) {
		o->f = fopen(path, "w");
		if (!o->f) {
			err = errno;
			snprintf(msg, msg_size, "%s: cannot write: %s", path, strerror(err));
			return -err;
		}
		return 0;
	}
	len = strlen(path) + sizeof(".tmp-XXXXXX");
	o->tmp = malloc(len);
	if (!o->tmp) {
		snprintf(msg, msg_size, "%s: out of host memory", path);
		return -ENOMEM;
	}
	snprintf(o->tmp, len, "%s.tmp-XXXXXX", path);
	fd = mkstemp(o->tmp);
	if (fd < 0) {
		err = errno;
		snprintf(msg, msg_size, "%s: cannot write: %s", path, strerror(err));
		free(o->tmp);
		o->tmp = NULL;
		return -err;
	}
	/* mkstemp makes the file 0600; give it the mode fopen(path, "w") would. */
	mask = umask(0);
	umask(mask);
	(void)fchmod(fd, 0666 & ~mask);
	o->f = fdopen(fd, "w");
	if (!o->f) {
		err = errno;
		snprintf(msg, msg_size, "%s: cannot write: %s", path, strerror(err));
		close(fd);
		unlink(o->tmp);
		free(o->tmp);
		o->tmp = NULL;
		return -err;
	}
	for (int i = 0; i < OUTFILE_SLOTS; i++) {
		if (!pending[i]) {
			pending[i] = o->tmp;
			o->slot = i;
			break;
		}
	}
	return 0;
}

static void forget(struct cli_outfile *o)
{
	if (o->slot >= 0)
		pending[o->slot] = NULL;
	o->slot = -1;
	free(o->tmp);
	o->tmp = NULL;
	o->f = NULL;
}

int cli_outfile_commit(struct cli_outfile *o, char *msg, size_t msg_size)
{
	bool failed;
	int err = 0;

	if (!o->f)
		return 0;
	if (o->f == stdout) {
		o->f = NULL;
		if (fflush(stdout) || ferror(stdout)) {
			snprintf(msg, msg_size, "<stdout>: write failed: %s", strerror(errno));
			return -EIO;
		}
		return 0;
	}
	errno = 0;
	failed = fflush(o->f) != 0 || ferror(o->f) || (o->tmp && fsync(fileno(o->f)) != 0);
	if (failed)
		err = errno ? errno : EIO;
	if (fclose(o->f) && !failed) {
		failed = true;
		err = errno;
	}
	o->f = NULL;
	if (!failed && o->tmp && rename(o->tmp, o->path)) {
		failed = true;
		err = errno;
	}
	if (failed) {
		snprintf(msg, msg_size, "%s: write failed: %s", o->path, strerror(err));
		if (o->tmp)
			unlink(o->tmp);
	}
	forget(o);
	return failed ? -err : 0;
}

FILE *cli_outfile_start(struct cli_outfile *o, const char *cmd, const char *path)
{
	char msg[512];

	if (cli_outfile_open(o, path, msg, sizeof(msg))) {
		fprintf(stderr, "mmsim %s: %s\n", cmd, msg);
		return NULL;
	}
	return o->f;
}

int cli_outfile_finish(struct cli_outfile *o, const char *cmd, bool bad)
{
	char msg[512];

	if (bad || (o->f && ferror(o->f))) {
		cli_outfile_abort(o);
		fprintf(stderr, "mmsim %s: %s: write failed\n", cmd,
			is_stdout(o->path) ? "<stdout>" : o->path);
		return 2; /* CLI_EXIT_USAGE */
	}
	if (cli_outfile_commit(o, msg, sizeof(msg))) {
		fprintf(stderr, "mmsim %s: %s\n", cmd, msg);
		return 2;
	}
	return 0;
}

void cli_outfile_abort(struct cli_outfile *o)
{
	if (o->f && o->f != stdout)
		fclose(o->f);
	if (o->tmp)
		unlink(o->tmp);
	forget(o);
}

void cli_outfile_unlink_all(void)
{
	for (int i = 0; i < OUTFILE_SLOTS; i++) {
		char *t = pending[i];

		if (t)
			unlink(t);
	}
}
