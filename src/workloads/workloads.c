/*
 * workloads/workloads.c: the built-in workloads' registry and what they share: the run context,
 * accesses that count, tick and record, verdicts, process life cycle (mmsim/workloads.h).
 * The workloads themselves are one file each: workloads_<name>.c.
 */
#include "mmsim/workloads.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "mmsim/error.h"
#include "mmsim/mmsim.h"
#include "mmsim/trace.h"
#include "workloads/workloads_impl.h"
#include "util/macros.h"

/* Listing order; the first is the default. */
static const struct workload_def *const workload_table[] = {
	&workload_server, &workload_sort, &workload_matmul, &workload_kv, &workload_grow,
};

#define NR_WORKLOADS (ARRAY_SIZE(workload_table))

size_t mmsim_workload_count(void)
{
	return NR_WORKLOADS;
}

const struct mmsim_workload_info *mmsim_workload_at(size_t i)
{
	return i < NR_WORKLOADS ? &workload_table[i]->info : NULL;
}

const struct mmsim_workload_info *mmsim_workload_find(const char *name)
{
	for (size_t i = 0; i < NR_WORKLOADS; i++) {
		if (!strcmp(workload_table[i]->info.name, name))
			return &workload_table[i]->info;
	}
	return NULL;
}

const struct mmsim_workload_info *mmsim_workload_default(void)
{
	return &workload_table[0]->info;
}

int mmsim_workload_configure(const struct mmsim_workload_info *w, struct mmsim_config *c,
			     struct mmsim_error *err)
{
	char buf[256], *save = NULL;
	int rc;

	snprintf(buf, sizeof(buf), "%s data=on", w->config);
	for (char *kv = strtok_r(buf, " ", &save); kv; kv = strtok_r(NULL, " ", &save)) {
		char *eq = strchr(kv, '=');

		if (!eq)
			return mmsim_error_set(err, -EINVAL, "workload %s: bad default '%s'",
					       w->name, kv);
		*eq = '\0';
		rc = mmsim_config_set(c, kv, eq + 1, err);
		if (rc)
			return rc;
	}
	return 0;
}

/* ---- Verdicts and notes ------------------------------------------------------------------ */

static void vappend(char *buf, size_t size, const char *fmt, va_list ap)
{
	size_t len = strlen(buf);

	if (len + 1 < size)
		vsnprintf(buf + len, size - len, fmt, ap);
}

void workload_fail(struct workload_run *w, const char *fmt, ...)
{
	va_list ap;

	if (w->stopped)
		return;
	w->stopped = true;
	w->res->passed = false;
	w->res->verdict[0] = '\0';
	va_start(ap, fmt);
	vappend(w->res->verdict, sizeof(w->res->verdict), fmt, ap);
	va_end(ap);
}

void workload_pass(struct workload_run *w, const char *fmt, ...)
{
	va_list ap;

	if (w->stopped)
		return;
	w->res->passed = true;
	w->res->verdict[0] = '\0';
	va_start(ap, fmt);
	vappend(w->res->verdict, sizeof(w->res->verdict), fmt, ap);
	va_end(ap);
}

void workload_note(struct workload_run *w, const char *fmt, ...)
{
	char *notes = w->res->notes;
	size_t len;
	va_list ap;

	va_start(ap, fmt);
	vappend(notes, sizeof(w->res->notes), fmt, ap);
	va_end(ap);
	len = strlen(notes);
	if (len + 1 < sizeof(w->res->notes)) {
		notes[len] = '\n';
		notes[len + 1] = '\0';
	}
}

static const char *signal_words(enum mmsim_signal sig)
{
	switch (sig) {
	case MMSIM_SIG_SEGV_MAPERR:
		return "SIGSEGV (SEGV_MAPERR)";
	case MMSIM_SIG_SEGV_ACCERR:
		return "SIGSEGV (SEGV_ACCERR)";
	case MMSIM_SIG_KILLED:
		return "killed by the OOM killer";
	case MMSIM_SIG_BUS_ADRERR:
		return "SIGBUS (BUS_ADRERR)";
	case MMSIM_SIG_NONE:
		break;
	}
	return "no signal";
}

/* ---- Accesses ------------------------------------------------------------------------------ */

static void tick(struct workload_run *w)
{
	const struct mmsim_workload_opts *o = w->opts;
	uint64_t n = w->res->accesses;

	w->next_tick = n + o->tick_accesses - n % o->tick_accesses;
	if (o->tick)
		o->tick(o->ctx, n, w->res->planned);
	if (o->stop && !w->stopped && o->stop(o->ctx)) {
		/* The body sees workload_ok() false and returns within its current step. */
		w->stopped = true;
		w->interrupted = true;
	}
}

void workload_access_slow(struct workload_run *w, struct mmsim_task *t, uint64_t va, bool store,
			  enum mmsim_signal sig)
{
	if (w->opts->trace && !w->host_error) {
		struct mmsim_trace_record rec = {
			.addr = va,
			.pid = (uint32_t)mmsim_task_pid(t),
			.size = 8,
			.kind = store ? MMSIM_TRACE_STORE : MMSIM_TRACE_LOAD,
		};
		int rc = mmsim_trace_write(w->opts->trace, &rec, w->err);

		if (rc) {
			w->host_error = rc;
			w->stopped = true;
		}
	}
	if (sig != MMSIM_SIG_NONE)
		workload_fail(w, "pid %d: %s of 0x%" PRIx64 " ended in %s", mmsim_task_pid(t),
			      store ? "store" : "load", va, signal_words(sig));
	if (w->res->accesses >= w->next_tick)
		tick(w);
}

/* ---- Processes and memory ------------------------------------------------------------------ */

static void task_event(struct workload_run *w, struct mmsim_task *t,
		       enum mmsim_workload_task_event ev)
{
	if (w->opts->task_event)
		w->opts->task_event(w->opts->ctx, t, ev);
}

struct mmsim_task *workload_spawn(struct workload_run *w)
{
	struct mmsim_task *t;
	int rc;

	if (!workload_ok(w))
		return NULL;
	rc = mmsim_task_spawn(w->sys, &t);
	if (rc) {
		workload_fail(w, "spawn failed: %s", strerror(-rc));
		return NULL;
	}
	task_event(w, t, MMSIM_WORKLOAD_TASK_STARTED);
	return t;
}

struct mmsim_task *workload_fork(struct workload_run *w, struct mmsim_task *parent)
{
	struct mmsim_task *t;
	int rc;

	if (!workload_ok(w))
		return NULL;
	rc = mmsim_task_fork(parent, &t);
	if (rc) {
		workload_fail(w, "pid %d: fork failed: %s", mmsim_task_pid(parent), strerror(-rc));
		return NULL;
	}
	task_event(w, t, MMSIM_WORKLOAD_TASK_STARTED);
	return t;
}

void workload_exit(struct workload_run *w, struct mmsim_task *t)
{
	if (!t)
		return;
	task_event(w, t, MMSIM_WORKLOAD_TASK_EXITING);
	mmsim_task_exit(t);
}

uint64_t workload_mmap(struct workload_run *w, struct mmsim_task *t, uint64_t bytes)
{
	uint64_t addr;
	int rc;

	if (!workload_ok(w))
		return 0;
	rc = mmsim_mmap(t, 0, bytes, MMSIM_PROT_READ | MMSIM_PROT_WRITE,
			MMSIM_MAP_PRIVATE | MMSIM_MAP_ANONYMOUS, &addr);
	if (rc) {
		workload_fail(w, "pid %d: mmap of %" PRIu64 " KiB failed: %s", mmsim_task_pid(t),
			      bytes >> 10, strerror(-rc));
		return 0;
	}
	return addr;
}

uint64_t workload_counter(struct workload_run *w, const char *name)
{
	uint64_t v = 0;

	mmsim_counter(w->sys, name, &v);
	return v;
}

uint64_t workload_rand(struct workload_run *w)
{
	return splitmix64_next(&w->rng);
}

uint64_t workload_rand_below(struct workload_run *w, uint64_t n)
{
	/* The top bits, reduced: the bias (n / 2^53 at most) is irrelevant here. */
	return (workload_rand(w) >> 11) % n;
}

/* ---- Running ------------------------------------------------------------------------------- */

int mmsim_workload_run(struct mmsim_system *sys, const struct mmsim_workload_info *info,
		       const struct mmsim_workload_opts *opts, struct mmsim_workload_result *res,
		       struct mmsim_error *err)
{
	const struct workload_def *def = NULL;
	struct workload_run w;

	for (size_t i = 0; i < NR_WORKLOADS; i++) {
		if (&workload_table[i]->info == info)
			def = workload_table[i];
	}
	if (!def || !opts)
		return mmsim_error_set(err, -EINVAL, "not a built-in workload");
	if (opts->shrink > 8)
		return mmsim_error_set(err, -EINVAL, "shrink %u: want 0 to 8", opts->shrink);
	{
		struct mmsim_config c;

		mmsim_system_config(sys, &c);
		if (!c.data_mode)
			return mmsim_error_set(err, -EINVAL,
					       "workload %s computes real results: it needs data "
					       "mode (config data=on; mmsim_workload_configure() "
					       "sets it)",
					       info->name);
	}
	memset(res, 0, sizeof(*res));
	memset(&w, 0, sizeof(w));
	w.sys = sys;
	w.opts = opts;
	w.res = res;
	w.err = err;
	w.scale = opts->scale ? opts->scale : 1;
	w.shrink = opts->shrink;
	w.rng = opts->seed;
	w.next_tick = opts->tick_accesses ? opts->tick_accesses : UINT64_MAX;
	w.tracing = opts->trace != NULL;
	def->run(&w);
	if (w.host_error)
		return w.host_error;
	if (w.interrupted) {
		res->passed = false;
		snprintf(res->verdict, sizeof(res->verdict),
			 "interrupted after %" PRIu64 " of about %" PRIu64 " accesses: no verdict",
			 res->accesses, res->planned);
		return mmsim_error_set(err, -EINTR, "interrupted after %" PRIu64 " accesses",
				       res->accesses);
	}
	if (!res->passed && !res->verdict[0])
		snprintf(res->verdict, sizeof(res->verdict), "the workload gave no verdict");
	return 0;
}
