/*
 * cli/cmd_record.c: `mmsim record -o FILE -- COMMAND [ARGS]`: runs COMMAND under valgrind's
 * lackey tool, following every process it starts, and writes their memory accesses, as they
 * come, to one multi-process mmsim binary trace compressed with zstd.
 *
 * Valgrind runs with --trace-children=yes (every exec'd program is traced too) and
 * --log-file=DIR/%p.%n: each process writes its own log, named by its pid, into a private
 * directory (%n counts the logs one valgrind image opens: a forked child's own log is
 * PID.2 or more, so the image its exec starts, whose first log is PID.1, never reopens it);
 * --trace-syscalls=yes adds a line for each system call, from which the fork
 * ("process P created child C") and wait4() (which child it reaped) points are taken. Lackey's
 * lines carry no pid and no time, so these logs are the only way to tell processes apart.
 *
 * Each log is opened as soon as inotify reports it and unlinked at once: an image that was
 * itself exec'd and execs again opens DIR/PID.1 again with O_TRUNC, which would wipe what
 * it wrote; once the name is gone the new image creates a new file, the process's next
 * segment. (An exec before the unlink would still lose that image: mmsim reacts within
 * milliseconds, less than valgrind takes to start a program; documented.) The text stays on the
 * disk only until read: consumed ranges are punched out (FALLOC_FL_PUNCH_HOLE).
 *
 * The merge (docs/trace-format.md, "Recording"): a process's records keep their order; a
 * child starts after its parent's fork; a parent's records after a wait4() that reaped a
 * child come after all the child's records; an exec'd image follows the one before. The
 * trace says so with events, each where the merge puts it: fork (at the parent's "created
 * child" line), exec (between two images of a pid), exit (after a process's last record,
 * once its log is read to the end and the process is gone). Anything
 * else is not known (lackey has no timestamps), so processes that ran at the same time are
 * interleaved by a fixed round-robin schedule, slices of SLICE_LINES log lines, in the order
 * the forks made them runnable: the same logs always give the same trace.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "mmsim/error.h"
#include "mmsim/trace.h"
#include "report_run.h"

#define BATCH 4096
#define SLICE_LINES 10000		/* log lines a process runs before the next one */
#define READ_BYTES (1 << 20)		/* bytes read from a log at a time */
#define PUNCH_BYTES (UINT64_C(8) << 20) /* consumed bytes between two hole punches */
#define IDLE_NS 1000000			/* wait when the process due next has not written */
#define MAX_LINE 4096			/* a longer log line is an error */
/* Linux's PID_MAX_LIMIT (include/linux/threads.h, 64-bit): no pid reaches it, so a process
 * that reuses a pid seen before is written as pid + k * REUSED_PID_STEP (k = 1, 2, ...). */
#define REUSED_PID_STEP (UINT32_C(1) << 22)

static const char record_usage[] =
	"usage: mmsim record -o FILE [-q] -- COMMAND [ARGS]\n"
	"\n"
	"Runs COMMAND under valgrind's lackey tool (valgrind --tool=lackey --trace-mem=yes\n"
	"--trace-children=yes) and writes every memory access of every process it starts\n"
	"(instruction fetches, loads, stores, modifies) to FILE as one mmsim binary trace\n"
	"compressed with zstd, as it runs; replay it with `mmsim run FILE`. Each record\n"
	"carries its process's pid (a pid used again by a later process: pid + 4194304).\n"
	"Children forked and programs exec'd (a shell pipeline, a launcher script, worker\n"
	"processes) are recorded whole. The order is causal, not by time: a process's\n"
	"accesses keep their order; a child's come after its parent's fork, a parent's after\n"
	"a wait for a child come after the child's, and fork, exec and exit events mark those\n"
	"points (replay forks copy-on-write); processes running at the same time are\n"
	"interleaved in slices of 10,000 log lines (lackey has no timestamps:\n"
	"docs/trace-format.md). The\n"
	"program's own input and output are untouched. Programs run 20 to 100 times slower\n"
	"under lackey. Progress (accesses, processes, bytes written, rate) on a terminal.\n"
	"\n"
	"Options:\n"
	"  -o, --output FILE   the trace to write ('-': standard output, which COMMAND's\n"
	"                      own output must then not use)\n"
	"  -q, --quiet         no progress, no process table, no closing line\n"
	"  -h, --help          this text\n"
	"\n"
	"Needs valgrind (Debian package valgrind). mmsim waits for every traced process,\n"
	"also those that outlive COMMAND; ^C goes to COMMAND, and once it has ended stops\n"
	"that wait. FILE appears only when the recording is complete. Exit status: 0\n"
	"recorded (whatever COMMAND returned: the closing line says); 1 COMMAND was killed by\n"
	"a signal or a process's log ends early (its valgrind was killed): no trace is\n"
	"written; 130 the same after ^C, or ^C while waiting; 2 bad usage, valgrind missing\n"
	"or unable to run COMMAND, or a write error.\n";

/* One log file of one process: its first image, or the image after an exec. */
struct seg {
	int fd;		  /* read-write, so that read ranges can be punched out */
	uint64_t off;	  /* bytes read so far */
	uint64_t punched; /* bytes punched out so far (a multiple of 4096) */
	struct seg *next; /* the next image of the same process (after an exec) */
};

enum proc_state {
	PROC_NEW,      /* its banner (Parent PID) is not read yet */
	PROC_FORKING,  /* its parent is traced and has not reached the fork yet */
	PROC_RUNNABLE, /* in the run queue */
	PROC_WAITING,  /* its parent's wait4() reaped the child wait_for: runs after it */
	PROC_DONE,     /* every segment read to its end, the process gone */
};

struct proc {
	uint32_t pid;
	uint32_t ppid; /* from the banner; 0 until read */
	enum proc_state state;
	uint32_t id; /* its pid in the trace: pid, or pid + k * REUSED_PID_STEP when the
		      * recording had pid before (pid reuse); 0 until decided */
	const struct proc *wait_for; /* PROC_WAITING: the child */
	struct seg *seg;	     /* current segment; later ones follow through next */
	char *buf;		     /* unparsed bytes of the current segment: [0, len) */
	size_t len;
	uint64_t line;	     /* lines of the current segment parsed */
	uint64_t nr_records; /* records written for this process */
	unsigned int nr_execs;
	unsigned long pending; /* system call number of its last "[async] ..." call line */
	bool exit_line;	       /* valgrind's closing "Exit code:" seen in this segment */
	int signal;	       /* "terminating with default action of signal N"; 0: none */
	bool cut;	       /* its log ends inside a line or without the closing line */
	bool in_trace;	       /* a record or a fork event named it: its exit may be written */
	char command[80];      /* the last "Command:" of its banners */
};

struct recorder {
	const char *dir;
	int inotify;
	struct proc **procs; /* in order of appearance */
	size_t nr_procs, cap_procs;
	struct proc **runq; /* circular list of runnable processes */
	size_t runq_head, runq_len, cap_runq;
	struct forked {
		uint32_t pid, id; /* the child's pid and id, as its fork event named it */
	} * forked;		  /* forks emitted before the child's log was read, oldest first */
	size_t nr_forked, cap_forked;
	pid_t top; /* valgrind's pid: the first process */
	bool top_reaped;
	int top_status;
	struct mmsim_trace_writer *w;
	struct mmsim_trace_record *recs; /* accesses and events waiting, in merge order */
	size_t nr_recs;
	uint64_t nr_events; /* fork, exec and exit events emitted */
	struct cli_progress progress;
	const char *out;
	struct mmsim_error err;
};

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

/* The child: valgrind, each process's log in dir, the command after it. */
static void exec_valgrind(const char *valgrind, const char *dir, char **cmd, int nr_cmd)
{
	char log_file[PATH_MAX + 32];
	char **args = calloc((size_t)nr_cmd + 10, sizeof(*args));
	int n = 0;

	if (!args)
		_exit(127);
	snprintf(log_file, sizeof(log_file), "--log-file=%s/%%p.%%n", dir);
	args[n++] = "valgrind";
	args[n++] = "--tool=lackey";
	args[n++] = "--trace-mem=yes";
	args[n++] = "--trace-children=yes";
	args[n++] = "--trace-syscalls=yes";
	args[n++] = "--trace-signals=yes";
	args[n++] = log_file;
	for (int i = 0; i < nr_cmd; i++)
		args[n++] = cmd[i];
	args[n] = NULL;
	execv(valgrind, args);
	fprintf(stderr, "mmsim record: cannot run %s: %s\n", valgrind, strerror(errno));
	_exit(127);
}

static int grow(void **arr, size_t *cap, size_t need, size_t elem)
{
	size_t n = *cap ? *cap : 16;
	void *p;

	if (need <= *cap)
		return 0;
	while (n < need)
		n *= 2;
	p = realloc(*arr, n * elem);
	if (!p)
		return -ENOMEM;
	*arr = p;
	*cap = n;
	return 0;
}

/*
 * The id a new process with pid gets in the trace: pid the first time, then pid plus one
 * REUSED_PID_STEP per process of that pid already given an id (pid reuse: two processes
 * under one pid would be one process to replay). 0: too many (an error).
 */
static uint32_t new_id(const struct recorder *rc, uint32_t pid)
{
	uint64_t k = 0;

	for (size_t i = 0; i < rc->nr_procs; i++)
		k += rc->procs[i]->pid == pid && rc->procs[i]->id != 0;
	for (size_t i = 0; i < rc->nr_forked; i++)
		k += rc->forked[i].pid == pid;
	if (pid + k * REUSED_PID_STEP > UINT32_MAX)
		return 0;
	return (uint32_t)(pid + k * REUSED_PID_STEP);
}

/* Gives p its id now, unless it has one. 0 or an error. */
static int set_id(struct recorder *rc, struct proc *p)
{
	if (!p->id && !(p->id = new_id(rc, p->pid)))
		return mmsim_error_set(
			&rc->err, -EOVERFLOW,
			"pid %" PRIu32 " used by too many processes in one recording", p->pid);
	return 0;
}

/* Takes the oldest fork emitted for pid before its log came: its id, or 0 if none. */
static uint32_t take_forked(struct recorder *rc, uint32_t pid)
{
	for (size_t i = 0; i < rc->nr_forked; i++) {
		if (rc->forked[i].pid == pid) {
			uint32_t id = rc->forked[i].id;

			memmove(&rc->forked[i], &rc->forked[i + 1],
				(rc->nr_forked - i - 1) * sizeof(*rc->forked));
			rc->nr_forked--;
			return id;
		}
	}
	return 0;
}

static int runq_push(struct recorder *rc, struct proc *p)
{
	if (set_id(rc, p))
		return rc->err.code;
	if (rc->runq_len == rc->cap_runq) {
		size_t cap = rc->cap_runq ? 2 * rc->cap_runq : 16;
		struct proc **q = malloc(cap * sizeof(*q));

		if (!q)
			return mmsim_error_set(&rc->err, -ENOMEM, "out of host memory");
		for (size_t i = 0; i < rc->runq_len; i++)
			q[i] = rc->runq[(rc->runq_head + i) % rc->cap_runq];
		free(rc->runq);
		rc->runq = q;
		rc->cap_runq = cap;
		rc->runq_head = 0;
	}
	rc->runq[(rc->runq_head + rc->runq_len) % rc->cap_runq] = p;
	rc->runq_len++;
	p->state = PROC_RUNNABLE;
	return 0;
}

static struct proc *find_proc(struct recorder *rc, uint32_t pid)
{
	/* The latest one: a pid may be reused after its process ended. */
	for (size_t i = rc->nr_procs; i-- > 0;)
		if (rc->procs[i]->pid == pid)
			return rc->procs[i];
	return NULL;
}

/* A new log file in the directory: a new process, or the next image of a live one. */
static int add_log(struct recorder *rc, const char *name)
{
	char path[PATH_MAX];
	struct seg *s;
	struct proc *p;
	char *end;
	unsigned long pid = strtoul(name, &end, 10);
	int fd;

	/* "PID.N": N is valgrind's %n, a sequence number within one image (docs at the top) */
	if (*end != '.' || !isdigit((unsigned char)end[1]) || !pid || pid > UINT32_MAX)
		return 0; /* not valgrind's */
	snprintf(path, sizeof(path), "%s/%s", rc->dir, name);
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return mmsim_error_set(&rc->err, -errno, "%s: %s", path, strerror(errno));
	unlink(path); /* an exec now makes a new file instead of truncating this one */
	s = calloc(1, sizeof(*s));
	if (!s) {
		close(fd);
		return mmsim_error_set(&rc->err, -ENOMEM, "out of host memory");
	}
	s->fd = fd;
	p = find_proc(rc, (uint32_t)pid);
	/* PID.1 is an exec'd image's; a forked child's log is PID.2 or more: a new process,
	 * even while the merge has not finished an older process of that pid (reuse). */
	if (p && p->state != PROC_DONE && strtoul(end + 1, NULL, 10) == 1) {
		struct seg **tail = &p->seg;

		while (*tail)
			tail = &(*tail)->next;
		*tail = s;
		return 0;
	}
	p = calloc(1, sizeof(*p));
	if (!p || grow((void **)&rc->procs, &rc->cap_procs, rc->nr_procs + 1, sizeof(*rc->procs))) {
		free(p);
		close(fd);
		free(s);
		return mmsim_error_set(&rc->err, -ENOMEM, "out of host memory");
	}
	p->pid = (uint32_t)pid;
	p->seg = s;
	p->state = PROC_NEW;
	p->buf = malloc(READ_BYTES + MAX_LINE);
	if (!p->buf) {
		close(fd);
		free(s);
		free(p);
		return mmsim_error_set(&rc->err, -ENOMEM, "out of host memory");
	}
	rc->procs[rc->nr_procs++] = p;
	return 0;
}

/* Takes in every log created since the last call. */
static int drain_inotify(struct recorder *rc)
{
	char buf[8192] __attribute__((aligned(__alignof__(struct inotify_event))));
	ssize_t n;

	while ((n = read(rc->inotify, buf, sizeof(buf))) > 0) {
		for (char *q = buf; q < buf + n;) {
			const struct inotify_event *ev = (const struct inotify_event *)q;

			if (ev->mask & IN_Q_OVERFLOW)
				return mmsim_error_set(&rc->err, -EIO,
						       "too many processes started at once "
						       "(inotify queue overflow)");
			if ((ev->mask & IN_CREATE) && ev->len && add_log(rc, ev->name))
				return rc->err.code;
			q += sizeof(*ev) + ev->len;
		}
	}
	if (n < 0 && errno != EAGAIN && errno != EINTR)
		return mmsim_error_set(&rc->err, -errno, "inotify: %s", strerror(errno));
	return 0;
}

/* Whether the process pid has ended (or is a zombie): its logs can grow no more. */
static bool process_gone(struct recorder *rc, uint32_t pid)
{
	char path[64], stat[256];
	const char *close_paren;
	ssize_t n;
	int fd;

	if ((pid_t)pid == rc->top && !rc->top_reaped &&
	    waitpid(rc->top, &rc->top_status, WNOHANG) == rc->top)
		rc->top_reaped = true;
	snprintf(path, sizeof(path), "/proc/%" PRIu32 "/stat", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return true;
	n = read(fd, stat, sizeof(stat) - 1);
	close(fd);
	if (n <= 0)
		return true;
	stat[n] = '\0';
	close_paren = strrchr(stat, ')'); /* "pid (comm) S ..." */
	return close_paren && (close_paren[2] == 'Z' || close_paren[2] == 'X');
}

/* Reads more of p's current segment. Returns the number of bytes read (0: none now). */
static ssize_t fill(struct recorder *rc, struct proc *p)
{
	struct seg *s = p->seg;
	ssize_t n;

	if (p->len >= READ_BYTES)
		return 0;
	n = pread(s->fd, p->buf + p->len, READ_BYTES + MAX_LINE - p->len, (off_t)s->off);
	if (n < 0)
		return mmsim_error_set(&rc->err, -errno, "reading pid %" PRIu32 "'s log: %s",
				       p->pid, strerror(errno));
	s->off += (uint64_t)n;
	p->len += (size_t)n;
	if (s->off - s->punched >= PUNCH_BYTES) {
		uint64_t upto = (s->off - p->len) & ~UINT64_C(4095);

		/* A hint: a file system without hole punching keeps the bytes until the end. */
		if (upto > s->punched &&
		    fallocate(s->fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, (off_t)s->punched,
			      (off_t)(upto - s->punched)) == 0)
			s->punched = upto;
	}
	return n;
}

static bool starts(const char *line, size_t len, const char *prefix)
{
	size_t n = strlen(prefix);

	return len >= n && memcmp(line, prefix, n) == 0;
}

/* "==PID== TEXT": TEXT, or NULL. */
static const char *valgrind_text(const char *line, size_t len)
{
	const char *end = memmem(line + 2, len - 2, "== ", 3);

	return end ? end + 3 : NULL;
}

static int flush_records(struct recorder *rc)
{
	for (size_t i = 0; i < rc->nr_recs; i++)
		if (mmsim_trace_write(rc->w, &rc->recs[i], &rc->err))
			return rc->err.code;
	rc->nr_recs = 0;
	return 0;
}

/* An event at this point of the merge, after the records copied so far. */
static int emit_event(struct recorder *rc, enum mmsim_trace_kind kind, uint32_t pid, uint64_t addr)
{
	if (rc->nr_recs == BATCH && flush_records(rc))
		return rc->err.code;
	rc->recs[rc->nr_recs++] =
		(struct mmsim_trace_record){ .kind = kind, .pid = pid, .addr = addr };
	rc->nr_events++;
	return 0;
}

/*
 * Lines [start, end) of p's log, none a SYSCALL line, the first of them line first_line:
 * their lackey records into the output (valgrind's own lines are skipped by the reader).
 */
static int copy_run(struct recorder *rc, struct proc *p, const char *start, const char *end,
		    uint64_t first_line)
{
	struct mmsim_trace_reader *r = NULL;
	char name[96];
	size_t n;
	int err;

	if (start == end)
		return 0;
	/* The library's lackey reader is the one parser of lackey lines. */
	snprintf(name, sizeof(name), "pid %" PRIu32 "'s valgrind log (line %" PRIu64 " is 1)",
		 p->pid, first_line);
	if (mmsim_trace_reader_create_memory(start, (size_t)(end - start), name, &r, &rc->err))
		return rc->err.code;
	do {
		err = mmsim_trace_read(r, rc->recs + rc->nr_recs, BATCH - rc->nr_recs, &n,
				       &rc->err);
		for (size_t i = 0; i < n; i++)
			rc->recs[rc->nr_recs + i].pid = p->id;
		rc->nr_recs += n;
		p->nr_records += n;
		p->in_trace |= n > 0;
		if (!err && rc->nr_recs == BATCH)
			err = flush_records(rc);
	} while (!err && n > 0);
	mmsim_trace_reader_destroy(r);
	return err;
}

/*
 * A "SYSCALL[P,T](NR) ..." line of p's log: a fork names the child that may now start; a
 * wait4() that returned a child's pid makes p wait for that child's end. Returns 1 when p
 * must stop running, 0 to go on, or a negative errno value.
 */
static int syscall_line(struct recorder *rc, struct proc *p, const char *line, size_t len)
{
	char text[MAX_LINE + 1];
	const char *q;
	struct proc *c;
	unsigned long v;

	memcpy(text, line, len);
	text[len] = '\0';
	if ((q = strstr(text, " created child ")) != NULL) {
		v = strtoul(q + 15, NULL, 10);
		if (!v || v > UINT32_MAX || v == p->pid)
			return 0;
		/* The child: one whose log came and waits for this fork, or one to come. */
		c = NULL;
		for (size_t i = 0; i < rc->nr_procs && !c; i++) {
			if (rc->procs[i]->pid == v && rc->procs[i]->state == PROC_FORKING)
				c = rc->procs[i];
		}
		if (c) {
			c->in_trace = true;
			if (runq_push(rc, c))
				return rc->err.code;
		} else {
			struct forked f = { .pid = (uint32_t)v, .id = new_id(rc, (uint32_t)v) };

			if (!f.id)
				return mmsim_error_set(&rc->err, -EOVERFLOW,
						       "pid %lu used by too many processes in one "
						       "recording",
						       v);
			if (grow((void **)&rc->forked, &rc->cap_forked, rc->nr_forked + 1,
				 sizeof(*rc->forked)))
				return -ENOMEM;
			rc->forked[rc->nr_forked++] = f;
		}
		/* The fork, after every record p made before it: the child's first come later. */
		return emit_event(rc, MMSIM_TRACE_FORK, p->id,
				  c ? c->id : rc->forked[rc->nr_forked - 1].id);
	}
	/*
	 * wait4() is system call 61 on x86-64. Its result, a child's pid, is on the call's line
	 * (WNOHANG), on a later "... [async] --> Success(0x...)" line, or, when SIGCHLD
	 * interrupted the blocking call (the usual case), only in --trace-signals' line
	 * "--PID-- interrupted_syscall: ... sres.isErr=False, sres.val=PID".
	 */
	v = 0;
	if (starts(text, len, "SYSCALL[") && (q = strstr(text, "](")) != NULL) {
		unsigned long nr = strtoul(q + 2, NULL, 10);

		if (strstr(text, "--> [async] ..."))
			p->pending = nr;
		else if (nr == 61 && (q = strstr(text, "Success(0x")) != NULL)
			v = strtoul(q + 10, NULL, 16);
	} else if (p->pending == 61 && (q = strstr(text, "interrupted_syscall:")) &&
		   (q = strstr(q, "sres.isErr=False, sres.val=")) != NULL) {
		v = strtoul(q + 27, NULL, 10);
		p->pending = 0;
	}
	if (v) {
		if (drain_inotify(rc))
			return rc->err.code;
		/* The oldest process of that pid still in the merge that was forked (it has
		 * an id, or its banner is not read yet): one forked later comes after this
		 * wait. */
		c = NULL;
		for (size_t i = 0; i < rc->nr_procs && !c; i++) {
			struct proc *q = rc->procs[i];

			if (q->pid == v && (q->id || q->state == PROC_NEW) &&
			    q->state != PROC_DONE && q != p)
				c = q;
		}
		if (c) {
			p->state = PROC_WAITING;
			p->wait_for = c;
			return 1;
		}
	}
	return 0;
}

#define TERMINATING "Process terminating with default action of signal "

static void banner_line(struct proc *p, const char *text, size_t len)
{
	if (starts(text, len, "Command: ")) {
		size_t n = len - 9 < sizeof(p->command) - 1 ? len - 9 : sizeof(p->command) - 1;

		memcpy(p->command, text + 9, n);
		p->command[n] = '\0';
	} else if (starts(text, len, "Parent PID: ") && !p->ppid) {
		p->ppid = (uint32_t)strtoul(text + 12, NULL, 10);
	} else if (starts(text, len, "Exit code:")) {
		p->exit_line = true;
	} else if (starts(text, len, TERMINATING)) {
		p->signal = atoi(text + strlen(TERMINATING));
	}
}

/*
 * Runs p for up to *budget complete lines of its log. Returns 1 when p stopped (slice used,
 * waiting for a child, or no complete line left: then *starved), or a negative errno value.
 */
static int run_lines(struct recorder *rc, struct proc *p, unsigned int *budget, bool *starved)
{
	char *pos = p->buf, *end = p->buf + p->len, *run = pos;
	uint64_t run_line = p->line + 1;
	int err = 0;

	*starved = false;
	while (pos<end && * budget> 0 && p->state == PROC_RUNNABLE) {
		char *line = pos, *nl = memchr(line, '\n', (size_t)(end - pos));
		size_t len;

		if (!nl) {
			if (end - pos > MAX_LINE)
				err = mmsim_error_set(&rc->err, -EINVAL,
						      "pid %" PRIu32
						      "'s valgrind log, line %" PRIu64
						      ": longer than %d bytes",
						      p->pid, p->line + 1, MAX_LINE);
			break;
		}
		len = (size_t)(nl - line);
		pos = nl + 1;
		p->line++;
		(*budget)--;
		if (starts(line, len, "==")) {
			const char *text = valgrind_text(line, len);

			if (text)
				banner_line(p, text, len - (size_t)(text - line));
		} else if (starts(line, len, "SYSCALL[") || starts(line, len, " --> ") ||
			   (starts(line, len, "--") &&
			    memmem(line, len, "interrupted_syscall:", 20))) {
			/* --trace-syscalls=yes: a call, or the result line of the one above;
			 * --trace-signals=yes: a call a signal interrupted */
			err = copy_run(rc, p, run, line, run_line);
			if (!err)
				err = syscall_line(rc, p, line, len);
			run = pos;
			run_line = p->line + 1;
			if (err < 0)
				break;
			err = 0;
		}
	}
	if (!err)
		err = copy_run(rc, p, run, pos, run_line);
	if (!err && *budget > 0 && p->state == PROC_RUNNABLE)
		*starved = true;
	memmove(p->buf, pos, (size_t)(end - pos));
	p->len = (size_t)(end - pos);
	return err < 0 ? err : 1;
}

static int proc_done(struct recorder *rc, struct proc *p)
{
	/* Its exit, after its last record; a process waiting for it resumes after this. A
	 * process the trace never named (no record, no fork line) has no exit to write. */
	int err = p->in_trace ? emit_event(rc, MMSIM_TRACE_EXIT, p->id, 0) : 0;

	p->state = PROC_DONE;
	if (!p->exit_line)
		p->cut = true;
	free(p->buf); /* a shell loop may start thousands of processes */
	p->buf = NULL;
	for (size_t i = 0; i < rc->nr_procs; i++) {
		struct proc *q = rc->procs[i];

		if (q->state == PROC_WAITING && q->wait_for == p)
			runq_push(rc, q);
		/* A child whose fork line never came (not a fork valgrind reports) starts
		 * when its parent ends. */
		if (q->state == PROC_FORKING && q->ppid == p->pid)
			runq_push(rc, q);
	}
	return err;
}

/*
 * p has no complete line now. If its log can grow no more, go to its next segment (an
 * exec) or end it. Returns 1 if p moved on, 0 if its log may still grow, or an error.
 */
static int end_of_data(struct recorder *rc, struct proc *p)
{
	struct seg *s = p->seg;
	ssize_t n;
	int err;

	if (!s->next) {
		if (!process_gone(rc, p->pid))
			return 0;
		if (drain_inotify(rc))
			return rc->err.code;
	}
	/* The writer is gone (dead, or exec'd into s->next): read what is left. */
	while ((n = fill(rc, p)) > 0)
		;
	if (n < 0)
		return (int)n;
	if (memchr(p->buf, '\n', p->len))
		return 1; /* more lines after all */
	/* A line cut short: valgrind was killed while writing it; but a successful execve()
	 * leaves its SYSCALL line without the result and the newline. */
	if (p->len > 0 && !(s->next && starts(p->buf, p->len, "SYSCALL[")))
		p->cut = true;
	p->len = 0;
	if (s->next) {
		p->seg = s->next;
		p->nr_execs++;
		p->exit_line = false;
		p->line = 0;
		/* The new image: its records follow the old one's. */
		err = emit_event(rc, MMSIM_TRACE_EXEC, p->id, 0);
	} else {
		p->seg = NULL;
		err = proc_done(rc, p);
	}
	close(s->fd);
	free(s);
	return err ? err : 1;
}

/* Reads a new process's banner: who its parent is decides when it may start. */
static int start_new(struct recorder *rc, struct proc *p)
{
	struct proc *parent;
	ssize_t n = fill(rc, p);
	const char *pp;

	if (n < 0)
		return (int)n;
	pp = memmem(p->buf, p->len, "== Parent PID: ", 15);
	if (!pp || !memchr(pp, '\n', p->len - (size_t)(pp - p->buf))) {
		if (p->len > 4 * MAX_LINE || (n == 0 && process_gone(rc, p->pid))) {
			p->ppid = 0; /* no banner: valgrind ended at once; start it as an orphan */
			return runq_push(rc, p);
		}
		return 0;
	}
	p->ppid = (uint32_t)strtoul(pp + 15, NULL, 10);
	/* Its fork event was written before its log came: the id it named. */
	if ((p->id = take_forked(rc, p->pid)) != 0) {
		p->in_trace = true;
		return runq_push(rc, p);
	}
	parent = find_proc(rc, p->ppid);
	if (!parent || parent->state == PROC_DONE || parent == p)
		return runq_push(rc, p);
	p->state = PROC_FORKING;
	return 0;
}

static void show_progress(struct recorder *rc)
{
	struct cli_progress *pr = &rc->progress;
	char count[32], bytes[32], rate[32];
	uint64_t n = mmsim_trace_writer_nr_records(rc->w) + rc->nr_recs;
	double now = cli_now(), elapsed = now - pr->start;

	if (!pr->on || now - pr->last < 0.25)
		return;
	pr->last = now;
	cli_fmt_count(elapsed > 0 ? (uint64_t)((double)n / elapsed) : 0, rate, sizeof(rate));
	fprintf(stderr, "\rrecording: %s accesses, %zu process%s, %s written, %s accesses/s\033[K",
		cli_fmt_count(n, count, sizeof(count)), rc->nr_procs, rc->nr_procs == 1 ? "" : "es",
		cli_fmt_bytes(mmsim_trace_writer_bytes(rc->w), bytes, sizeof(bytes)), rate);
	pr->drawn = true;
}

static bool all_done(const struct recorder *rc)
{
	for (size_t i = 0; i < rc->nr_procs; i++)
		if (rc->procs[i]->state != PROC_DONE)
			return false;
	return true;
}

/*
 * Runs the process at the head of the run queue for one slice. Returns 1 if anything
 * happened, 0 if it is due but has written nothing new (its turn stays: the schedule must
 * not depend on timing), or a negative errno value.
 */
static int run_head(struct recorder *rc)
{
	struct proc *p = rc->runq[rc->runq_head];
	unsigned int budget = SLICE_LINES;
	bool starved = false, moved = false;
	int err;

	while (budget > 0 && p->state == PROC_RUNNABLE) {
		ssize_t n;

		err = run_lines(rc, p, &budget, &starved);
		if (err < 0)
			return err;
		if (!starved || p->state != PROC_RUNNABLE)
			break;
		n = fill(rc, p);
		if (n < 0)
			return (int)n;
		if (n == 0) {
			err = end_of_data(rc, p);
			if (err <= 0)
				return err < 0 ? err : moved || budget < SLICE_LINES;
		}
		moved = true;
	}
	/* Its slice is over, it waits for a child, or it ended: the next one's turn. */
	rc->runq_head = (rc->runq_head + 1) % rc->cap_runq;
	rc->runq_len--;
	if (p->state == PROC_RUNNABLE)
		return runq_push(rc, p) ? -ENOMEM : 1;
	return 1;
}

/*
 * Set by SIGINT (^C), which also reaches the program: while it runs, its own handling of
 * ^C decides (as system(3) lets it); once it has ended, ^C stops the wait for processes
 * that outlive it. A signal handler's only way in.
 */
static volatile sig_atomic_t interrupted;

static void on_sigint(int sig)
{
	(void)sig;
	interrupted = 1;
}

/* Set by SIGTERM, which comes to mmsim alone (kill PID, timeout(1)), not to the program as
 * ^C does: the recording stops at once, COMMAND's valgrind is sent SIGTERM (as on any
 * error), and nothing is kept. */
static volatile sig_atomic_t terminated;

static void on_sigterm(int sig)
{
	(void)sig;
	terminated = 1;
}

/* Traced processes still running (not those whose logs are merely not read to the end). */
static size_t nr_running(struct recorder *rc)
{
	size_t n = 0;

	for (size_t i = 0; i < rc->nr_procs; i++)
		n += rc->procs[i]->state != PROC_DONE && !process_gone(rc, rc->procs[i]->pid);
	return n;
}

/* The merge loop: until every process has ended and its logs are read. */
static int merge(struct recorder *rc)
{
	const struct timespec idle = { .tv_nsec = IDLE_NS };

	for (;;) {
		int busy = 0;

		if (terminated)
			return mmsim_error_set(&rc->err, -EINTR, "terminated (SIGTERM)");
		if (interrupted && process_gone(rc, (uint32_t)rc->top)) {
			size_t n = nr_running(rc);

			if (n)
				return mmsim_error_set(&rc->err, -EINTR,
						       "interrupted (^C) while waiting for %zu "
						       "process%s that outlived the command",
						       n, n == 1 ? "" : "es");
		}

		if (drain_inotify(rc))
			return rc->err.code;
		for (size_t i = 0; i < rc->nr_procs; i++)
			if (rc->procs[i]->state == PROC_NEW &&
			    (busy = start_new(rc, rc->procs[i])) < 0)
				return busy;
		if (rc->runq_len > 0) {
			busy = run_head(rc);
			if (busy < 0)
				return busy;
		} else if (all_done(rc) && process_gone(rc, (uint32_t)rc->top)) {
			/* Valgrind is gone: a log it created last is in the queue already. */
			if (drain_inotify(rc))
				return rc->err.code;
			if (all_done(rc))
				break;
		}
		if (flush_records(rc))
			return rc->err.code;
		show_progress(rc);
		if (!busy)
			nanosleep(&idle, NULL);
	}
	return flush_records(rc);
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

/* One line a process, on standard error: what the trace holds of each. */
static void print_processes(const struct recorder *rc)
{
	char count[32];

	fprintf(stderr, "%8s %8s %6s %14s  %s\n", "pid", "parent", "execs", "accesses", "command");
	for (size_t i = 0; i < rc->nr_procs; i++) {
		const struct proc *p = rc->procs[i];

		fprintf(stderr, "%8" PRIu32 " %8" PRIu32 " %6u %14s  %s", p->pid, p->ppid,
			p->nr_execs, cli_fmt_count(p->nr_records, count, sizeof(count)),
			p->command[0] ? p->command : "?");
		if (p->signal)
			fprintf(stderr, " (killed by signal %d, %s)", p->signal,
				strsignal(p->signal));
		if (p->cut)
			fprintf(stderr, " (its log ends early: valgrind was killed)");
		fputc('\n', stderr);
	}
	for (size_t i = 0; i < rc->nr_procs; i++) {
		const struct proc *p = rc->procs[i];

		if (p->id && p->id != p->pid)
			fprintf(stderr,
				"pid %" PRIu32 " was used again: its process %" PRIu32
				" is pid %" PRIu32 " in the trace\n",
				p->pid, (p->id - p->pid) / REUSED_PID_STEP + 1, p->id);
	}
}

static void recorder_fini(struct recorder *rc)
{
	for (size_t i = 0; i < rc->nr_procs; i++) {
		struct proc *p = rc->procs[i];

		while (p->seg) {
			struct seg *next = p->seg->next;

			close(p->seg->fd);
			free(p->seg);
			p->seg = next;
		}
		free(p->buf);
		free(p);
	}
	free(rc->procs);
	free(rc->runq);
	free(rc->forked);
	free(rc->recs);
	if (rc->inotify >= 0)
		close(rc->inotify);
}

/* Empties and removes the log directory (logs not yet seen by inotify included). */
static void remove_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	while (d && (e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			unlinkat(dirfd(d), e->d_name, 0);
	if (d)
		closedir(d);
	rmdir(dir);
}

static int make_log_dir(char *dir, size_t size)
{
	const char *tmp = getenv("TMPDIR");

	snprintf(dir, size, "%s/mmsim-record-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	return mkdtemp(dir) ? 0 : -errno;
}

static int record(const char *out, char **cmd, int nr_cmd, bool quiet)
{
	struct recorder rc = { .inotify = -1, .out = out };
	struct sigaction ign = { .sa_handler = SIG_IGN }, old_int, old_quit, old_pipe;
	struct sigaction on_int = { .sa_handler = on_sigint, .sa_flags = SA_RESTART };
	struct sigaction on_term = { .sa_handler = on_sigterm, .sa_flags = SA_RESTART }, old_term;
	char valgrind[4096], dir[PATH_MAX], how[96], count[32], bytes[32];
	int status = 0, ret = CLI_EXIT_USAGE, err;
	size_t nr_cut = 0;
	pid_t pid;

	if (!find_in_path("valgrind", valgrind, sizeof(valgrind))) {
		fprintf(stderr, "mmsim record: valgrind is not installed (Debian: apt-get install "
				"valgrind)\n");
		return CLI_EXIT_USAGE;
	}
	rc.recs = malloc(BATCH * sizeof(*rc.recs));
	if (!rc.recs) {
		fprintf(stderr, "mmsim record: out of host memory\n");
		return CLI_EXIT_USAGE;
	}
	if (mmsim_trace_writer_create(out, NULL, &rc.w, &rc.err)) {
		fprintf(stderr, "mmsim record: %s\n", rc.err.msg);
		free(rc.recs);
		return CLI_EXIT_USAGE;
	}
	if ((err = make_log_dir(dir, sizeof(dir))) != 0) {
		fprintf(stderr,
			"mmsim record: cannot make a directory for valgrind's logs (%s): %s\n", dir,
			strerror(-err));
		goto out_writer;
	}
	rc.dir = dir;
	rc.inotify = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (rc.inotify < 0 || inotify_add_watch(rc.inotify, dir, IN_CREATE) < 0) {
		fprintf(stderr, "mmsim record: inotify on %s: %s\n", dir, strerror(errno));
		goto out_dir;
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		fprintf(stderr, "mmsim record: fork: %s\n", strerror(errno));
		goto out_dir;
	}
	if (pid == 0)
		exec_valgrind(valgrind, dir, cmd, nr_cmd);
	rc.top = pid;
	/* As system(3) does: ^C and ^\ go to the program, and we finish the trace after it;
	 * a ^C after it has ended stops the wait for processes that outlive it (merge()).
	 * A write to a reader that gave up must fail (EPIPE), not kill us. */
	interrupted = terminated = 0;
	sigaction(SIGTERM, &on_term, &old_term);
	sigaction(SIGINT, &on_int, &old_int);
	sigaction(SIGQUIT, &ign, &old_quit);
	sigaction(SIGPIPE, &ign, &old_pipe);
	cli_progress_start(&rc.progress, !quiet && isatty(STDERR_FILENO), "recording");
	err = merge(&rc);
	cli_progress_end(&rc.progress);
	if (err)
		kill(pid, SIGTERM);
	if (rc.top_reaped)
		status = rc.top_status;
	else
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	sigaction(SIGQUIT, &old_quit, NULL);
	sigaction(SIGPIPE, &old_pipe, NULL);
	describe_status(status, how, sizeof(how));
	if (err == -EINTR) {
		fprintf(stderr,
			"mmsim record: %s: the recording is incomplete; %s was not written\n",
			rc.err.msg, out);
		ret = terminated ? 128 + SIGTERM : CLI_EXIT_INTERRUPTED;
		goto out_dir;
	}
	if (err) {
		fprintf(stderr, "mmsim record: reading valgrind's logs: %s\n", rc.err.msg);
		goto out_dir;
	}
	if (!quiet && rc.nr_procs > 0)
		print_processes(&rc);
	for (size_t i = 0; i < rc.nr_procs; i++)
		nr_cut += rc.procs[i]->cut;
	if (mmsim_trace_writer_nr_records(rc.w) == 0 &&
	    !(WIFEXITED(status) && WEXITSTATUS(status) == 0)) {
		fprintf(stderr,
			"mmsim record: valgrind %s without tracing any access: could it run "
			"'%s'? (its messages are above)\n",
			how, cmd[0]);
		goto out_dir;
	}
	if (WIFSIGNALED(status) || nr_cut > 0) {
		/* A trace that stops where a kill stopped the recording is not the program's
		 * run: keep nothing rather than a part that looks whole. */
		ret = WIFSIGNALED(status) && WTERMSIG(status) == SIGINT ? CLI_EXIT_INTERRUPTED
									: CLI_EXIT_FAILED;
		if (WIFSIGNALED(status))
			fprintf(stderr,
				"mmsim record: valgrind (running '%s') %s after %s accesses: the "
				"recording is incomplete; %s was not written\n",
				cmd[0], how,
				cli_fmt_count(mmsim_trace_writer_nr_records(rc.w), count,
					      sizeof(count)),
				out);
		else
			fprintf(stderr,
				"mmsim record: %zu process%s log ends early (its valgrind was "
				"killed): "
				"the recording is incomplete; %s was not written\n",
				nr_cut, nr_cut == 1 ? "'s" : "es'", out);
		goto out_dir;
	}
	if (mmsim_trace_writer_finish(rc.w, &rc.err)) {
		fprintf(stderr, "mmsim record: %s\n", rc.err.msg);
		goto out_dir;
	}
	if (!quiet)
		fprintf(stderr,
			"mmsim record: %s accesses of %zu process%s written to %s (%s; %s %s)\n",
			cli_fmt_count(mmsim_trace_writer_nr_records(rc.w), count, sizeof(count)),
			rc.nr_procs, rc.nr_procs == 1 ? "" : "es", out,
			cli_fmt_bytes(mmsim_trace_writer_bytes(rc.w), bytes, sizeof(bytes)), cmd[0],
			how);
	ret = CLI_EXIT_OK;
out_dir:
	recorder_fini(&rc);
	rc.recs = NULL;
	remove_dir(dir);
out_writer:
	mmsim_trace_writer_destroy(rc.w);
	free(rc.recs);
	return ret;
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
