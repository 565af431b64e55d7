/*
 * cli/outfile.c: the command's whole-file outputs over util/atomic_file.h (see outfile.h).
 *
 * The table of pending temporary names is the one piece of process-wide state in the
 * command: a signal handler cannot be handed a pointer, and it must find what to unlink.
 * It is written only outside signal context, and the handler only reads it.
 */
#include "outfile.h"

#include "cli.h"

#include <errno.h>
#include <stdio.h>
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
	int rc;

	memset(o, 0, sizeof(*o));
	o->path = path;
	o->slot = -1;
	o->af.fd = -1;
	if (is_stdout(path)) {
		o->f = stdout;
		return 0;
	}
	rc = atomic_file_fopen(&o->af, path, &o->f);
	if (rc) {
		o->f = NULL;
		snprintf(msg, msg_size, "%s: cannot write: %s", path, strerror(-rc));
		return rc;
	}
	for (int i = 0; o->af.tmp && i < OUTFILE_SLOTS; i++) {
		if (!pending[i]) {
			pending[i] = o->af.tmp;
			o->slot = i;
			break;
		}
	}
	return 0;
}

/* Takes the temporary name out of the signal handler's table, before it is freed. */
static void unregister(struct cli_outfile *o)
{
	if (o->slot >= 0)
		pending[o->slot] = NULL;
	o->slot = -1;
}

int cli_outfile_commit(struct cli_outfile *o, char *msg, size_t msg_size)
{
	int rc;

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
	unregister(o);
	rc = atomic_file_fcommit(&o->af, o->f, o->path);
	o->f = NULL;
	if (rc)
		snprintf(msg, msg_size, "%s: write failed: %s", o->path, strerror(-rc));
	return rc;
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
	unregister(o);
	if (o->f && o->f != stdout)
		atomic_file_fabort(&o->af, o->f);
	o->f = NULL;
}

void cli_outfile_unlink_all(void)
{
	for (int i = 0; i < OUTFILE_SLOTS; i++) {
		char *t = pending[i];

		if (t)
			unlink(t);
	}
}

static bool same_file(const char *a, const char *b)
{
	struct stat sa, sb;

	if (!strcmp(a, b))
		return true;
	if (!strcmp(a, "-") || !strcmp(b, "-"))
		return false;
	return !stat(a, &sa) && !stat(b, &sb) && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

int cli_outfile_distinct(const char *cmd, const char *const *opts, const char *const *paths,
			 size_t n)
{
	for (size_t i = 0; i < n; i++) {
		for (size_t j = i + 1; j < n && paths[i]; j++) {
			if (paths[j] && same_file(paths[i], paths[j]))
				return cli_usage_error(
					cmd,
					"%s and %s name the same file %s: give each output its own",
					opts[i], opts[j], paths[j]);
		}
	}
	return 0;
}
