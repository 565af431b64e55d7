/*
 * cli/cmd_record.c: `mmsim record -o FILE -- COMMAND [ARGS]`: runs COMMAND under valgrind's
 * lackey tool and writes its memory accesses, as they come, to an mmsim binary trace
 * compressed with zstd.
 *
 * valgrind --tool=lackey --trace-mem=yes --log-fd=N writes one text line per access to
 * file descriptor N, here the write end of a pipe, with one write() per line. A relay
 * thread reads that pipe a megabyte at a time, pausing briefly after a short read so that
 * lines gather (without it, the reader wakes up for every line and both processes spend
 * most of their time switching), and passes the bytes on through a second pipe, read by
 * the library's lackey reader (as /dev/fd/M, a one-pass input) record by record into the
 * trace writer. The program keeps its own standard input, output and error. Children it
 * forks are silenced (--child-silent-after-fork=yes): lackey's lines carry no pid, so
 * their accesses could not be told apart from the parent's.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "mmsim/error.h"
#include "mmsim/trace.h"
#include "report_run.h"

#define BATCH 4096
#define PIPE_BYTES (1 << 20)
#define RELAY_SHORT (64 << 10) /* a read shorter than this waits RELAY_PAUSE_NS */
#define RELAY_PAUSE_NS 2000000

static const char record_usage[] =
	"usage: mmsim record -o FILE [-q] -- COMMAND [ARGS]\n"
	"\n"
	"Runs COMMAND under valgrind's lackey tool (valgrind --tool=lackey --trace-mem=yes)\n"
	"and writes every memory access it makes (instruction fetches, loads, stores,\n"
	"modifies) to FILE as an mmsim binary trace compressed with zstd, as it runs; replay\n"
	"it with `mmsim run FILE`. The program's own input and output are untouched. Only the\n"
	"first process is traced: valgrind silences the children it forks. Programs run\n"
	"20 to 100 times slower under lackey.\n"
	"\n"
	"Options:\n"
	"  -o, --output FILE   the trace to write ('-': standard output, which COMMAND's\n"
	"                      own output must then not use)\n"
	"  -q, --quiet         no progress on standard error, no closing line\n"
	"  -h, --help          this text\n"
	"\n"
	"Needs valgrind (Debian package valgrind). Exit status: 0 recorded (whatever COMMAND\n"
	"returned: the closing line says); 2 bad usage, valgrind missing or unable to run\n"
	"COMMAND, or a write error.\n";

static bool find_in_path(const char *name, char *path, size_t size)
{
	const char *env = getenv("PATH");
	char dirs[4096], *save = NULL;

	snprintf(dirs, sizeof(dirs), "%s", env ? env : "/usr/bin:/bin");
	for (char *d = strtok_r(dirs, ":", &save); d; d = strtok_r(NULL, ":", &save)) {
		snprintf(path, size, "%s/%s", *d ? d : ".", name);
		if (access(path, X_OK) == 0)
			return true;
	}
	return false;
}

/* The child: valgrind with lackey's output on fd, the command after it. */
static void exec_valgrind(const char *valgrind, int fd, char **cmd, int nr_cmd)
{
	char log_fd[32];
	char **args = calloc((size_t)nr_cmd + 8, sizeof(*args));
	int n = 0;

	if (!args)
		_exit(127);
	snprintf(log_fd, sizeof(log_fd), "--log-fd=%d", fd);
	args[n++] = "valgrind";
	args[n++] = "--tool=lackey";
	args[n++] = "--trace-mem=yes";
	args[n++] = "--child-silent-after-fork=yes";
	args[n++] = log_fd;
	for (int i = 0; i < nr_cmd; i++)
		args[n++] = cmd[i];
	args[n] = NULL;
	execv(valgrind, args);
	fprintf(stderr, "mmsim record: cannot run %s: %s\n", valgrind, strerror(errno));
	_exit(127);
}

struct relay {
	int in;	 /* lackey's pipe, read end */
	int out; /* the reader's pipe, write end; closed at the end */
};

static void *relay_main(void *arg)
{
	const struct timespec pause = { .tv_nsec = RELAY_PAUSE_NS };
	struct relay *r = arg;
	char *buf = malloc(PIPE_BYTES);
	ssize_t n;

	while (buf && (n = read(r->in, buf, PIPE_BYTES)) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		for (ssize_t done = 0, w; done < n; done += w) {
			w = write(r->out, buf + done, (size_t)(n - done));
			if (w < 0 && errno == EINTR)
				w = 0;
			else if (w < 0)
				goto out; /* the reader stopped (an error): EPIPE */
		}
		if (n < RELAY_SHORT)
			nanosleep(&pause, NULL);
	}
out:
	free(buf);
	close(r->out);
	return NULL;
}

static uint64_t file_bytes(const char *path)
{
	struct stat st;

	return strcmp(path, "-") && stat(path, &st) == 0 ? (uint64_t)st.st_size : 0;
}

static void show_progress(struct cli_progress *p, uint64_t records, const char *out)
{
	char count[32], bytes[32];

	if (!p->on || cli_now() - p->last < 0.25)
		return;
	p->last = cli_now();
	fprintf(stderr, "\rrecording: %s accesses, %s written\033[K",
		cli_fmt_count(records, count, sizeof(count)),
		cli_fmt_bytes(file_bytes(out), bytes, sizeof(bytes)));
	p->drawn = true;
}

/* Copies every record from r to w. 0 or a negative errno with err filled. */
static int copy_records(struct mmsim_trace_reader *r, struct mmsim_trace_writer *w,
			struct cli_progress *p, const char *out, struct mmsim_error *err)
{
	struct mmsim_trace_record *recs = malloc(BATCH * sizeof(*recs));
	int rc = 0;

	if (!recs)
		return mmsim_error_set(err, -ENOMEM, "out of host memory");
	for (;;) {
		size_t n;
		int rrc = mmsim_trace_read(r, recs, BATCH, &n, err);

		for (size_t i = 0; i < n && !rc; i++)
			rc = mmsim_trace_write(w, &recs[i], err);
		if (rc || rrc) {
			rc = rc ? rc : rrc;
			break;
		}
		if (n == 0)
			break;
		show_progress(p, mmsim_trace_writer_nr_records(w), out);
	}
	free(recs);
	return rc;
}

static void describe_status(int status, char *buf, size_t size)
{
	if (WIFEXITED(status))
		snprintf(buf, size, "exited with status %d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(buf, size, "was killed by signal %d (%s)", WTERMSIG(status),
			 strsignal(WTERMSIG(status)));
	else
		snprintf(buf, size, "ended");
}

static int record(const char *out, char **cmd, int nr_cmd, bool quiet)
{
	struct mmsim_trace_reader *r = NULL;
	struct mmsim_trace_writer *w = NULL;
	struct mmsim_error err = { 0 };
	struct sigaction ign = { .sa_handler = SIG_IGN }, old_int, old_quit, old_pipe;
	struct relay relay;
	struct cli_progress p;
	char valgrind[4096], path[64], how[96], count[32], bytes[32];
	int fds[2], rfds[2], status = 0, rc = CLI_EXIT_USAGE;
	pthread_t relay_thread;
	pid_t pid;

	if (!find_in_path("valgrind", valgrind, sizeof(valgrind))) {
		fprintf(stderr, "mmsim record: valgrind is not installed (Debian: apt-get install "
				"valgrind)\n");
		return CLI_EXIT_USAGE;
	}
	if (mmsim_trace_writer_create(out, NULL, &w, &err)) {
		fprintf(stderr, "mmsim record: %s\n", err.msg);
		return CLI_EXIT_USAGE;
	}
	if (pipe2(fds, 0) || pipe2(rfds, O_CLOEXEC)) {
		fprintf(stderr, "mmsim record: pipe: %s\n", strerror(errno));
		goto out;
	}
	fcntl(fds[0], F_SETFD, FD_CLOEXEC);
	fcntl(fds[0], F_SETPIPE_SZ, PIPE_BYTES); /* a hint: fine if refused */
	fcntl(rfds[0], F_SETPIPE_SZ, PIPE_BYTES);
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		fprintf(stderr, "mmsim record: fork: %s\n", strerror(errno));
		close(fds[0]);
		close(fds[1]);
		close(rfds[0]);
		close(rfds[1]);
		goto out;
	}
	if (pid == 0)
		exec_valgrind(valgrind, fds[1], cmd, nr_cmd);
	close(fds[1]);
	/* As system(3) does: ^C and ^\ go to the program; we finish the trace after it.
	 * A write to a reader that gave up must fail (EPIPE), not kill us. */
	sigaction(SIGINT, &ign, &old_int);
	sigaction(SIGQUIT, &ign, &old_quit);
	sigaction(SIGPIPE, &ign, &old_pipe);
	relay = (struct relay){ .in = fds[0], .out = rfds[1] };
	if (pthread_create(&relay_thread, NULL, relay_main, &relay)) {
		/* No thread: lackey's pipe feeds the reader directly, only slower. */
		close(rfds[1]);
		close(rfds[0]);
		rfds[0] = fds[0];
		fds[0] = -1;
	}
	snprintf(path, sizeof(path), "/dev/fd/%d", rfds[0]);
	cli_progress_start(&p, !quiet && isatty(STDERR_FILENO), "recording");
	rc = mmsim_trace_reader_create(path, &r, &err);
	if (!rc)
		rc = copy_records(r, w, &p, out, &err);
	cli_progress_end(&p);
	mmsim_trace_reader_destroy(r);
	close(rfds[0]);
	if (rc)
		kill(pid, SIGTERM);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (fds[0] >= 0) {
		pthread_join(relay_thread, NULL); /* valgrind is gone: its pipe is at its end */
		close(fds[0]);
	}
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGQUIT, &old_quit, NULL);
	sigaction(SIGPIPE, &old_pipe, NULL);
	describe_status(status, how, sizeof(how));
	if (rc) {
		fprintf(stderr, "mmsim record: reading lackey's output: %s\n", err.msg);
		rc = CLI_EXIT_USAGE;
		goto out;
	}
	if (mmsim_trace_writer_nr_records(w) == 0 &&
	    !(WIFEXITED(status) && WEXITSTATUS(status) == 0)) {
		fprintf(stderr,
			"mmsim record: valgrind %s without tracing any access: could it run "
			"'%s'? (its messages are above)\n",
			how, cmd[0]);
		rc = CLI_EXIT_USAGE;
		goto out;
	}
	if (mmsim_trace_writer_finish(w, &err)) {
		fprintf(stderr, "mmsim record: %s\n", err.msg);
		rc = CLI_EXIT_USAGE;
		goto out;
	}
	if (!quiet)
		fprintf(stderr, "mmsim record: %s accesses of '%s' written to %s (%s; %s %s)\n",
			cli_fmt_count(mmsim_trace_writer_nr_records(w), count, sizeof(count)),
			cmd[0], out, cli_fmt_bytes(file_bytes(out), bytes, sizeof(bytes)), cmd[0],
			how);
	rc = CLI_EXIT_OK;
out:
	mmsim_trace_writer_destroy(w);
	return rc;
}

int cli_cmd_record(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *out = NULL;
	bool quiet = false;
	int c;

	optind = 1;
	opterr = 0;
	/* '+': stop at COMMAND, whose own options are not ours. */
	while ((c = getopt_long(argc, argv, "+:o:qh", opts, NULL)) != -1) {
		switch (c) {
		case 'o':
			out = optarg;
			break;
		case 'q':
			quiet = true;
			break;
		case 'h':
			fputs(record_usage, stdout);
			return CLI_EXIT_OK;
		case ':':
			return cli_usage_error("record", "option '%s' needs a value",
					       argv[optind - 1]);
		default:
			return cli_usage_error("record",
					       "unknown option '%s' (see mmsim record --help)",
					       argv[optind - 1]);
		}
	}
	if (!out)
		return cli_usage_error("record", "missing -o FILE (see mmsim record --help)");
	if (optind == argc)
		return cli_usage_error("record",
				       "missing COMMAND after the options (mmsim record -o "
				       "FILE -- COMMAND [ARGS])");
	return record(out, argv + optind, argc - optind, quiet);
}
