/*
 * script/run.c: runs a parsed scenario script through the public API (mmsim/script.h).
 *
 * The parser has resolved every name, so running is a loop over commands that maps each to
 * one or more calls of mmsim/mmsim.h and keeps per process what the calls returned: the task,
 * the address of each named region, the break, the result of the last access. The system
 * boots just before the first command; `expect sys` counters are looked up then, so an
 * unknown name fails before anything runs, and event counters are read as differences from
 * that moment ("since the script began").
 */
#include "mmsim/script.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mmsim/error.h"
#include "mmsim/mmsim.h"
#include "script/script.h"
#include "util/macros.h"

struct mmsim_script {
	struct script *parsed;
};

/* What the runner knows of one process of the script. */
struct run_proc {
	struct mmsim_task *task;       /* NULL before its spawn or fork and after its exit */
	uint64_t *region_start;	       /* by region index; [SCRIPT_HEAP_REGION]: first heap page */
	uint64_t brk;		       /* current break (byte address) */
	enum mmsim_signal last_signal; /* of its last access; MMSIM_SIG_NONE before any */
};

struct runner {
	const struct script *s;
	const struct mmsim_script_run_opts *opts;
	struct mmsim_script_result *res;
	struct mmsim_error *err;
	struct mmsim_config config;
	struct mmsim_system *sys;     /* NULL until the first command */
	struct run_proc *procs;	      /* by process index */
	uint64_t *baseline;	      /* by command index: EXPECT_SYS event counter at boot,
				       * EXPECT_SWITCH's at the switch before it */
	uint64_t switch_counts[3];    /* after_switch_names at the last switch */
	const struct script_cmd *cmd; /* running */

	/* explain filters (mmsim_script_filter); all unused when filter is NULL */
	const struct mmsim_script_filter *filter; /* NULL, or one with something set */
	int filter_proc;     /* index of filter->proc in the script; -1 for none */
	int filter_pid;	     /* the pid events must have; 0: any; -1: its process is not yet */
	bool cmd_shown;	     /* the running command was handed over */
	bool in_access;	     /* an access is being made, at access_va */
	uint64_t access_va;  /* valid while in_access */
	bool have_last_va;   /* an event of the running command named last_va */
	uint64_t last_va;    /* valid while have_last_va */
	bool fault_held;     /* held: a page fault that failed only the class filter */
	uint64_t held_va;    /* its address */
	char held_text[256]; /* its words */
};

/* ---- parsing through the public API ------------------------------------------------------ */

static int check_config(void *ctx, const char *key, const char *value, struct mmsim_error *err)
{
	return mmsim_config_set(ctx, key, value, err);
}

static int wrap(struct script *parsed, struct mmsim_script **out, struct mmsim_error *err)
{
	struct mmsim_script *s = malloc(sizeof(*s));

	if (!s) {
		/* The message first: parsed->name dies with parsed. */
		mmsim_error_set(err, -ENOMEM, "%s: out of memory", parsed->name);
		script_destroy(parsed);
		return -ENOMEM;
	}
	s->parsed = parsed;
	*out = s;
	return 0;
}

int mmsim_script_load(const char *path, struct mmsim_script **out, struct mmsim_error *err)
{
	struct mmsim_config scratch;
	struct script *parsed;
	int rc;

	mmsim_config_default(&scratch);
	rc = script_parse_file(path, check_config, &scratch, &parsed, err);
	return rc ? rc : wrap(parsed, out, err);
}

int mmsim_script_parse(const char *text, size_t len, const char *name, struct mmsim_script **out,
		       struct mmsim_error *err)
{
	struct mmsim_config scratch;
	struct script *parsed;
	int rc;

	mmsim_config_default(&scratch);
	rc = script_parse(text, len, name, check_config, &scratch, &parsed, err);
	return rc ? rc : wrap(parsed, out, err);
}

void mmsim_script_destroy(struct mmsim_script *s)
{
	if (!s)
		return;
	script_destroy(s->parsed);
	free(s);
}

/* ---- messages ---------------------------------------------------------------------------- */

static const char *errno_name(int e)
{
	static const struct {
		int e;
		const char *name;
	} names[] = {
		{ EPERM, "EPERM" },	    { ENOENT, "ENOENT" }, { ESRCH, "ESRCH" },
		{ EINTR, "EINTR" },	    { EIO, "EIO" },	  { E2BIG, "E2BIG" },
		{ EBADF, "EBADF" },	    { EAGAIN, "EAGAIN" }, { ENOMEM, "ENOMEM" },
		{ EACCES, "EACCES" },	    { EFAULT, "EFAULT" }, { EBUSY, "EBUSY" },
		{ EEXIST, "EEXIST" },	    { ENODEV, "ENODEV" }, { EINVAL, "EINVAL" },
		{ ENFILE, "ENFILE" },	    { EMFILE, "EMFILE" }, { EFBIG, "EFBIG" },
		{ ENOSPC, "ENOSPC" },	    { ERANGE, "ERANGE" }, { ENOSYS, "ENOSYS" },
		{ EOVERFLOW, "EOVERFLOW" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		if (names[i].e == e)
			return names[i].name;
	}
	return "an unknown error";
}

static void emit(struct runner *r, enum mmsim_script_output_kind kind, const char *title,
		 const char *text)
{
	struct mmsim_script_output o = {
		.kind = kind, .line = r->cmd ? r->cmd->line : 0, .title = title, .text = text
	};

	if (r->opts->output)
		r->opts->output(r->opts->ctx, &o);
}

/* A system call of the running command returned rc (a negative errno value). */
static int call_failed(struct runner *r, const char *call, int rc)
{
	return mmsim_error_set(r->err, rc, "%s:%lu: %s: %s failed: %s", r->s->name, r->cmd->line,
			       r->cmd->text, call, errno_name(-rc));
}

/* A call that fills a struct mmsim_error failed. */
static int call_failed_msg(struct runner *r, const char *call, int rc, const struct mmsim_error *e)
{
	if (!e->msg[0])
		return call_failed(r, call, rc);
	return mmsim_error_set(r->err, rc, "%s:%lu: %s: %s failed: %s", r->s->name, r->cmd->line,
			       r->cmd->text, call, e->msg);
}

/* ---- booting ----------------------------------------------------------------------------- */

/*
 * State counters (nr_free_pages, nr_anon_pages, ...) are levels, read as they are; every
 * other counter counts events and is read since boot. mmsim: the API does not say which is
 * which, so the /proc/vmstat convention decides: state items are named nr_*, except the
 * TLB-flush events nr_tlb_*.
 */
static bool counter_is_state(const char *name)
{
	return !strncmp(name, "nr_", 3) && strncmp(name, "nr_tlb_", 7) != 0;
}

/* What the run's result tells about the time after the last switch (the same figures as
 * `mmsim run` gives after a trace's last switch event). */
static const char *const after_switch_names[] = { "pgfault", "pgmajfault", "pswpin" };

/* ---- explain and its filters ------------------------------------------------------------- */

static const struct {
	const char *name;
	unsigned int bit;
} event_class_names[] = {
	{ "fault", MMSIM_SCRIPT_EV_FAULT },	{ "cow", MMSIM_SCRIPT_EV_COW },
	{ "reclaim", MMSIM_SCRIPT_EV_RECLAIM }, { "swap", MMSIM_SCRIPT_EV_SWAP },
	{ "tlb", MMSIM_SCRIPT_EV_TLB },		{ "frame", MMSIM_SCRIPT_EV_FRAME },
	{ "pte", MMSIM_SCRIPT_EV_PTE },
};

int mmsim_script_event_classes(const char *list, unsigned int *classes, struct mmsim_error *err)
{
	const char *p = list;

	*classes = 0;
	for (;;) {
		size_t len = strcspn(p, ",");
		unsigned int bit = 0;

		for (size_t i = 0; i < ARRAY_SIZE(event_class_names); i++) {
			if (strlen(event_class_names[i].name) == len &&
			    !strncmp(p, event_class_names[i].name, len))
				bit = event_class_names[i].bit;
		}
		if (!bit)
			return mmsim_error_set(err, -EINVAL,
					       "unknown event class '%.*s' (want "
					       "fault|cow|reclaim|swap|tlb|frame|pte)",
					       (int)(len > 40 ? 40 : len), p);
		*classes |= bit;
		if (!p[len])
			return 0;
		p += len + 1;
	}
}

/* The classes an event belongs to. A decision's class comes from its words, which
 * mm/fault.c and mm/swap.c write: every copy-on-write decision says "copy-on-write". */
static unsigned int event_classes(const struct mmsim_event *ev)
{
	unsigned int c;

	switch (ev->kind) {
	case MMSIM_EV_TLB_HIT:
	case MMSIM_EV_TLB_MISS:
	case MMSIM_EV_WALK_STEP:
	case MMSIM_EV_TLB_FLUSH:
		return MMSIM_SCRIPT_EV_TLB;
	case MMSIM_EV_PAGE_FAULT:
	case MMSIM_EV_SIGNAL:
		return MMSIM_SCRIPT_EV_FAULT;
	case MMSIM_EV_FAULT_DECISION:
		c = MMSIM_SCRIPT_EV_FAULT;
		if (ev->what && strstr(ev->what, "copy-on-write"))
			c |= MMSIM_SCRIPT_EV_COW;
		if (ev->what && strstr(ev->what, "swap"))
			c |= MMSIM_SCRIPT_EV_SWAP;
		return c;
	case MMSIM_EV_FRAME_ALLOC:
	case MMSIM_EV_FRAME_FREE:
		return MMSIM_SCRIPT_EV_FRAME;
	case MMSIM_EV_PTE_WRITE:
		return MMSIM_SCRIPT_EV_PTE;
	case MMSIM_EV_RECLAIM:
	case MMSIM_EV_OOM_KILL:
		return MMSIM_SCRIPT_EV_RECLAIM;
	case MMSIM_EV_EVICT:
		return MMSIM_SCRIPT_EV_RECLAIM | MMSIM_SCRIPT_EV_SWAP;
	case MMSIM_EV_SWAP_IN:
		return MMSIM_SCRIPT_EV_SWAP;
	}
	return 0;
}

/* Kinds whose va is always the address they are about (0 included). */
static bool names_va(enum mmsim_event_kind kind)
{
	switch (kind) {
	case MMSIM_EV_TLB_HIT:
	case MMSIM_EV_TLB_MISS:
	case MMSIM_EV_WALK_STEP:
	case MMSIM_EV_PAGE_FAULT:
	case MMSIM_EV_FAULT_DECISION:
	case MMSIM_EV_SIGNAL:
	case MMSIM_EV_EVICT:
	case MMSIM_EV_SWAP_IN:
		return true;
	default:
		return false;
	}
}

/* The address an event is about (mmsim_script_filter says which); false: none. */
static bool event_addr(struct runner *r, const struct mmsim_event *ev, uint64_t *va)
{
	if (names_va(ev->kind) || ev->va) {
		r->have_last_va = true;
		r->last_va = ev->va;
		*va = ev->va;
		return true;
	}
	if (r->in_access) {
		*va = r->access_va;
		return true;
	}
	*va = r->last_va;
	return r->have_last_va;
}

/* Hands over the running command once, before the first of its outputs. */
static void show_cmd(struct runner *r)
{
	if (r->cmd_shown)
		return;
	r->cmd_shown = true;
	emit(r, MMSIM_SCRIPT_OUT_COMMAND, NULL, r->cmd->text);
}

static void on_event(void *ctx, const struct mmsim_event *ev)
{
	struct runner *r = ctx;
	const struct mmsim_script_filter *f = r->filter;
	char text[256];
	bool has_va, in_range, class_ok;
	uint64_t va;

	has_va = event_addr(r, ev, &va);
	mmsim_event_describe(ev, text, sizeof(text));
	if (!f) {
		emit(r, MMSIM_SCRIPT_OUT_EVENT, NULL, text);
		return;
	}
	if (r->filter_pid && ev->pid != r->filter_pid)
		return;
	in_range = !f->has_range || (has_va && va >= f->addr_start && va < f->addr_end);
	if (!in_range)
		return;
	class_ok = !f->classes || (event_classes(ev) & f->classes);
	if (!class_ok) {
		/* Kept in case the decision that answers it passes (a cow filter). */
		if (ev->kind == MMSIM_EV_PAGE_FAULT) {
			r->fault_held = true;
			r->held_va = ev->va;
			snprintf(r->held_text, sizeof(r->held_text), "%s", text);
		}
		return;
	}
	show_cmd(r);
	if (ev->kind == MMSIM_EV_FAULT_DECISION && r->fault_held && r->held_va == ev->va)
		emit(r, MMSIM_SCRIPT_OUT_EVENT, NULL, r->held_text);
	if (ev->kind == MMSIM_EV_FAULT_DECISION || ev->kind == MMSIM_EV_PAGE_FAULT)
		r->fault_held = false;
	emit(r, MMSIM_SCRIPT_OUT_EVENT, NULL, text);
}

/* Resolves the filter's process name: -EINVAL when the script has none of that name. */
static int filter_init(struct runner *r)
{
	const struct mmsim_script_filter *f = r->opts->filter;

	r->filter_proc = -1;
	if (!f || (!f->proc && !f->pid && !f->classes && !f->has_range))
		return 0;
	r->filter = f;
	r->filter_pid = f->pid;
	if (!f->proc)
		return 0;
	for (unsigned int i = 0; i < r->s->nr_procs; i++) {
		if (!strcmp(r->s->procs[i].name, f->proc))
			r->filter_proc = (int)i;
	}
	if (r->filter_proc < 0)
		return mmsim_error_set(r->err, -EINVAL,
				       "%s: explain filter: no process '%s' in the script",
				       r->s->name, f->proc);
	r->filter_pid = -1;
	return 0;
}

/* Boots the system, then resolves every `expect sys` counter and takes its baseline. */
static int boot(struct runner *r)
{
	struct mmsim_error e = { 0 };
	int rc;

	rc = mmsim_system_create(&r->config, &r->sys, &e);
	if (rc) {
		r->sys = NULL;
		return mmsim_error_set(r->err, rc, "%s:%lu: booting the system: %s", r->s->name,
				       r->cmd->line, e.msg[0] ? e.msg : errno_name(-rc));
	}
	/* A script has no future to give: opt would choose blindly. */
	if (mmsim_needs_future(r->sys)) {
		mmsim_system_destroy(r->sys);
		r->sys = NULL;
		return mmsim_error_set(
			r->err, -EINVAL,
			"%s:%lu: policy opt needs the future (next-use times), which "
			"only a trace gives: use it with mmsim run TRACE",
			r->s->name, r->cmd->line);
	}
	for (size_t i = 0; i < r->s->nr_cmds; i++) {
		const struct script_cmd *c = &r->s->cmds[i];
		uint64_t v;

		if (c->op != SCRIPT_OP_EXPECT_SYS && c->op != SCRIPT_OP_EXPECT_SWITCH)
			continue;
		if (mmsim_counter(r->sys, c->expect.counter, &v))
			return mmsim_error_set(
				r->err, -EINVAL,
				"%s:%lu:%lu: unknown counter '%s' (want a /proc/vmstat "
				"name or a TLB counter by perf name; see show sys "
				"vmstat)",
				r->s->name, c->line, c->expect.counter_col, c->expect.counter);
		r->baseline[i] = counter_is_state(c->expect.counter) ? 0 : v;
	}
	if (r->opts->explain)
		mmsim_set_event_hook(r->sys, on_event, r);
	return 0;
}

/* ---- commands ---------------------------------------------------------------------------- */

static uint64_t page_addr(const struct run_proc *rp, const struct script_range *range,
			  uint64_t page)
{
	return rp->region_start[range->region] + (page << SCRIPT_PAGE_SHIFT);
}

static uint64_t range_bytes(const struct script_range *range)
{
	return (range->last - range->first + 1) << SCRIPT_PAGE_SHIFT;
}

static int new_proc(struct runner *r, unsigned int idx, struct mmsim_task *t)
{
	struct run_proc *rp = &r->procs[idx];

	rp->region_start = calloc(r->s->procs[idx].nr_regions, sizeof(*rp->region_start));
	if (!rp->region_start) {
		mmsim_task_exit(t);
		return mmsim_error_set(r->err, -ENOMEM, "%s:%lu: out of host memory", r->s->name,
				       r->cmd->line);
	}
	rp->task = t;
	if (r->filter_proc == (int)idx)
		r->filter_pid = mmsim_task_pid(t);
	return 0;
}

/* A system call on a task the OOM killer took cannot run: the task can only exit. */
static int check_alive(struct runner *r, const struct run_proc *rp)
{
	if (mmsim_task_alive(rp->task))
		return 0;
	return mmsim_error_set(r->err, -ESRCH,
			       "%s:%lu: %s: process '%s' (pid %d) was killed by the OOM killer; it "
			       "can only exit",
			       r->s->name, r->cmd->line, r->cmd->text,
			       r->s->procs[r->cmd->proc].name, mmsim_task_pid(rp->task));
}

static int run_spawn(struct runner *r, const struct script_cmd *c)
{
	struct mmsim_task *t;
	uint64_t brk;
	int rc;

	rc = mmsim_task_spawn(r->sys, &t);
	if (rc)
		return call_failed(r, "spawn", rc);
	rc = mmsim_brk(t, 0, &brk);
	if (rc) {
		mmsim_task_exit(t);
		return call_failed(r, "brk", rc);
	}
	rc = new_proc(r, c->proc, t);
	if (rc)
		return rc;
	r->procs[c->proc].brk = brk;
	r->procs[c->proc].region_start[SCRIPT_HEAP_REGION] =
		(brk + SCRIPT_PAGE_SIZE - 1) & ~(SCRIPT_PAGE_SIZE - 1);
	return 0;
}

static int run_fork(struct runner *r, const struct script_cmd *c, struct run_proc *parent)
{
	struct run_proc *child = &r->procs[c->fork.child];
	struct mmsim_task *t;
	int rc;

	rc = mmsim_task_fork(parent->task, &t);
	if (rc)
		return call_failed(r, "fork", rc);
	rc = new_proc(r, c->fork.child, t);
	if (rc)
		return rc;
	memcpy(child->region_start, parent->region_start,
	       c->fork.nr_inherited * sizeof(*child->region_start));
	child->brk = parent->brk;
	return 0;
}

static int run_map(struct runner *r, const struct script_cmd *c, struct run_proc *rp)
{
	uint64_t addr;
	int rc;

	if (c->map.file)
		rc = mmsim_mmap_file(rp->task, c->map.addr, c->map.nr_pages << SCRIPT_PAGE_SHIFT,
				     c->map.prot, c->map.flags, c->map.file, c->map.offset_pages,
				     &addr);
	else
		rc = mmsim_mmap(rp->task, c->map.addr, c->map.nr_pages << SCRIPT_PAGE_SHIFT,
				c->map.prot, c->map.flags, &addr);
	if (rc)
		return call_failed(r, "mmap", rc);
	rp->region_start[c->map.region] = addr;
	return 0;
}

static enum mmsim_signal touch(struct runner *r, struct run_proc *rp, uint64_t va,
			       enum mmsim_access kind, bool user)
{
	/* mmsim: a killed task makes no more accesses; its result stays KILLED. */
	if (!mmsim_task_alive(rp->task))
		return rp->last_signal = MMSIM_SIG_KILLED;
	r->in_access = true;
	r->access_va = va;
	rp->last_signal = mmsim_access(rp->task, va, kind, user);
	r->in_access = false;
	return rp->last_signal;
}

static void run_touch(struct runner *r, const struct script_cmd *c, struct run_proc *rp)
{
	const struct script_range *range = &c->touch.range;

	for (uint64_t page = range->first; page <= range->last; page++) {
		if (touch(r, rp, page_addr(rp, range, page) + SCRIPT_TOUCH_OFFSET, c->touch.kind,
			  true) == MMSIM_SIG_KILLED)
			break;
	}
}

static int run_change(struct runner *r, const struct script_cmd *c, struct run_proc *rp)
{
	const struct script_range *range = &c->change.range;
	uint64_t addr = page_addr(rp, range, range->first), len = range_bytes(range);
	int rc;

	switch (c->op) {
	case SCRIPT_OP_PROTECT:
		rc = mmsim_mprotect(rp->task, addr, len, c->change.prot);
		return rc ? call_failed(r, "mprotect", rc) : 0;
	case SCRIPT_OP_UNMAP:
		rc = mmsim_munmap(rp->task, addr, len);
		return rc ? call_failed(r, "munmap", rc) : 0;
	default: {
		static const int advice[] = {
			[SCRIPT_ADVICE_DONTNEED] = MMSIM_MADV_DONTNEED,
			[SCRIPT_ADVICE_PAGEOUT] = MMSIM_MADV_PAGEOUT,
			[SCRIPT_ADVICE_HUGEPAGE] = MMSIM_MADV_HUGEPAGE,
			[SCRIPT_ADVICE_NOHUGEPAGE] = MMSIM_MADV_NOHUGEPAGE,
		};

		rc = mmsim_madvise(rp->task, addr, len, advice[c->change.advice]);
		return rc ? call_failed(r, "madvise", rc) : 0;
	}
	}
}

static int run_reclaim(struct runner *r, const struct script_cmd *c)
{
	int rc;

	if (c->op == SCRIPT_OP_SHRINK_ALL)
		return mmsim_shrink_all(r->sys, NULL);
	if (c->op == SCRIPT_OP_SLEEP)
		return mmsim_sleep(r->sys, c->sleep_ms);
	if (c->op == SCRIPT_OP_COMPACT) {
		mmsim_compact_memory(r->sys);
		return 0;
	}
	if (c->reclaim.all)
		return mmsim_reclaim(r->sys, NULL, c->reclaim.bytes, NULL);
	rc = check_alive(r, &r->procs[c->proc]);
	if (!rc)
		rc = mmsim_reclaim(r->sys, r->procs[c->proc].task, c->reclaim.bytes, NULL);
	return rc ? call_failed(r, "reclaim", rc) : 0;
}

static int run_remap(struct runner *r, const struct script_cmd *c, struct run_proc *rp)
{
	uint64_t addr;
	int rc;

	rc = mmsim_mremap(rp->task, rp->region_start[c->remap.region],
			  c->remap.old_pages << SCRIPT_PAGE_SHIFT,
			  c->remap.new_pages << SCRIPT_PAGE_SHIFT, MMSIM_MREMAP_MAYMOVE, 0, &addr);
	if (rc)
		return call_failed(r, "mremap", rc);
	rp->region_start[c->remap.region] = addr;
	return 0;
}

static int run_brk(struct runner *r, const struct script_cmd *c, struct run_proc *rp)
{
	uint64_t step =
		(c->brk_delta < 0 ? (uint64_t)0 - (uint64_t)c->brk_delta : (uint64_t)c->brk_delta)
		<< SCRIPT_PAGE_SHIFT;
	uint64_t want = c->brk_delta < 0 ? rp->brk - step : rp->brk + step, got;
	int rc;

	rc = mmsim_brk(rp->task, want, &got);
	if (rc)
		return call_failed(r, "brk", rc);
	/* brk(2) reports failure by leaving the break where it was. */
	if (got != want)
		return mmsim_error_set(r->err, -ENOMEM,
				       "%s:%lu: %s: brk failed: the break stayed at 0x%" PRIx64
				       " instead of moving to 0x%" PRIx64,
				       r->s->name, c->line, c->text, got, want);
	rp->brk = got;
	return 0;
}

static bool compare(uint64_t have, enum script_cmp cmp, uint64_t want)
{
	switch (cmp) {
	case SCRIPT_CMP_EQ:
		return have == want;
	case SCRIPT_CMP_NE:
		return have != want;
	case SCRIPT_CMP_LT:
		return have < want;
	case SCRIPT_CMP_LE:
		return have <= want;
	case SCRIPT_CMP_GT:
		return have > want;
	case SCRIPT_CMP_GE:
		return have >= want;
	}
	return false;
}

static void expect_result(struct runner *r, bool held, const char *subject, const char *what,
			  const char *want, const char *have, const char *unit)
{
	char text[MMSIM_ERROR_MSG_SIZE];

	r->res->nr_expects++;
	if (r->opts->explain) {
		snprintf(text, sizeof(text), "%s line %lu: wanted %s %s %s %s%s, got %s%s",
			 held ? "PASS" : "FAIL", r->cmd->line, subject, what,
			 script_cmp_name(r->cmd->expect.cmp), want, unit, have, unit);
		emit(r, MMSIM_SCRIPT_OUT_EXPECT_VERDICT, NULL, text);
	}
	if (held)
		return;
	r->res->nr_failed++;
	snprintf(text, sizeof(text), "%s:%lu: expect %s %s %s %s failed: %s %s is %s%s", r->s->name,
		 r->cmd->line, subject, what, script_cmp_name(r->cmd->expect.cmp), want, subject,
		 what, have, unit);
	emit(r, MMSIM_SCRIPT_OUT_EXPECT_FAILED, NULL, text);
}

static void run_expect_task(struct runner *r, const struct script_cmd *c, const struct run_proc *rp)
{
	const char *subject = r->s->procs[c->proc].name,
		   *field = script_field_name(c->expect.field);
	struct mmsim_task_stats st;
	char want[24], have[24];
	uint64_t v;

	if (c->op == SCRIPT_OP_EXPECT_SIGNAL) {
		/* A task the OOM killer took (perhaps during another task's access) is KILLED. */
		enum mmsim_signal sig =
			mmsim_task_alive(rp->task) ? rp->last_signal : MMSIM_SIG_KILLED;
		bool same = sig == c->expect.signal;

		expect_result(r, c->expect.cmp == SCRIPT_CMP_EQ ? same : !same, subject, field,
			      script_signal_name(c->expect.signal), script_signal_name(sig), "");
		return;
	}
	mmsim_task_stats(rp->task, &st);
	switch (c->expect.field) {
	case SCRIPT_FIELD_MINFLT:
		v = st.minflt;
		break;
	case SCRIPT_FIELD_MAJFLT:
		v = st.majflt;
		break;
	case SCRIPT_FIELD_RSS:
		v = st.rss_kb;
		break;
	case SCRIPT_FIELD_SWAP:
		v = st.swap_kb;
		break;
	case SCRIPT_FIELD_ANONHUGE:
		v = st.anon_huge_kb;
		break;
	case SCRIPT_FIELD_RSSFILE:
		v = st.rss_file_kb;
		break;
	case SCRIPT_FIELD_RSSANON:
		v = st.rss_anon_kb;
		break;
	case SCRIPT_FIELD_PSS:
		v = st.pss_kb;
		break;
	default:
		v = st.vmpte_kb;
		break;
	}
	snprintf(want, sizeof(want), "%" PRIu64, c->expect.value);
	snprintf(have, sizeof(have), "%" PRIu64, v);
	expect_result(r, compare(v, c->expect.cmp, c->expect.value), subject, field, want, have,
		      c->expect.field == SCRIPT_FIELD_MINFLT ||
				      c->expect.field == SCRIPT_FIELD_MAJFLT
			      ? ""
			      : " kB");
}

/* expect sys and expect switch: an event counter since boot or since the last switch. */
static int run_expect_sys(struct runner *r, const struct script_cmd *c)
{
	char want[24], have[24];
	uint64_t v;
	int rc;

	rc = mmsim_counter(r->sys, c->expect.counter, &v);
	if (rc)
		return call_failed(r, "reading the counter", rc);
	v -= r->baseline[c - r->s->cmds];
	snprintf(want, sizeof(want), "%" PRIu64, c->expect.value);
	snprintf(have, sizeof(have), "%" PRIu64, v);
	expect_result(r, compare(v, c->expect.cmp, c->expect.value),
		      c->op == SCRIPT_OP_EXPECT_SWITCH ? "switch" : "sys", c->expect.counter, want,
		      have, "");
	return 0;
}

/*
 * switch: a mark, as the trace event `switch` is in a replay (replay.c): what comes after
 * it is the new workload's cost. The expect switch lines up to the next mark count from
 * here, and so does the run's result (mmsim_script_result).
 */
static void run_switch(struct runner *r, const struct script_cmd *c)
{
	size_t i = (size_t)(c - r->s->cmds);

	r->res->switches++;
	r->res->switch_line = c->line;
	for (size_t k = 0; k < ARRAY_SIZE(after_switch_names); k++)
		mmsim_counter(r->sys, after_switch_names[k], &r->switch_counts[k]);
	for (size_t j = i + 1; j < r->s->nr_cmds && r->s->cmds[j].op != SCRIPT_OP_SWITCH; j++) {
		const struct script_cmd *e = &r->s->cmds[j];
		uint64_t v = 0;

		if (e->op != SCRIPT_OP_EXPECT_SWITCH || counter_is_state(e->expect.counter))
			continue;
		mmsim_counter(r->sys, e->expect.counter, &v); /* known: checked at boot */
		r->baseline[j] = v;
	}
}

/* file, dropcache and expect cache. */
static int run_file(struct runner *r, const struct script_cmd *c)
{
	char want[24], have[24];
	uint64_t v = 0;
	int rc;

	switch (c->op) {
	case SCRIPT_OP_FILE:
		rc = mmsim_file_create(r->sys, c->file.name, c->file.nr_pages);
		return rc ? call_failed(r, "creating the file", rc) : 0;
	case SCRIPT_OP_DROPCACHE:
		rc = mmsim_file_drop_cache(r->sys, c->file.name, NULL);
		return rc ? call_failed(r, "dropcache", rc) : 0;
	case SCRIPT_OP_LIB:
		rc = mmsim_lib_create(r->sys, c->file.name, c->file.text_pages, c->file.data_pages,
				      c->file.bss_pages);
		return rc ? call_failed(r, "creating the library", rc) : 0;
	default:
		rc = mmsim_file_cached(r->sys, c->expect.counter, &v);
		if (rc)
			return call_failed(r, "reading the page cache", rc);
		snprintf(want, sizeof(want), "%" PRIu64, c->expect.value);
		snprintf(have, sizeof(have), "%" PRIu64, v);
		expect_result(r, compare(v, c->expect.cmp, c->expect.value), "cache",
			      c->expect.counter, want, have, " pages");
		return 0;
	}
}

static int run_show(struct runner *r, const struct script_cmd *c, const struct run_proc *rp)
{
	/* `show sys` names no process: a script may have none. */
	const char *pname = c->op == SCRIPT_OP_SHOW_SYS ? NULL : r->s->procs[c->proc].name;
	struct mmsim_error e = { 0 };
	char title[128], *text = NULL;
	int rc;

	switch (c->op) {
	case SCRIPT_OP_SHOW_SYS:
		snprintf(title, sizeof(title), "sys %s", c->view);
		rc = mmsim_report(r->sys, NULL, c->view, &text, &e);
		break;
	case SCRIPT_OP_SHOW_TASK:
		snprintf(title, sizeof(title), "%s %s (pid %d)", pname, c->view,
			 mmsim_task_pid(rp->task));
		rc = mmsim_report(r->sys, rp->task, c->view, &text, &e);
		break;
	default: {
		uint64_t va = c->walk.in_region ? page_addr(rp, &c->walk.page, c->walk.page.first) +
							  SCRIPT_TOUCH_OFFSET
						: c->walk.addr;

		snprintf(title, sizeof(title), "%s walk 0x%" PRIx64 " (pid %d)", pname, va,
			 mmsim_task_pid(rp->task));
		rc = mmsim_task_walk_text(rp->task, va, &text);
		break;
	}
	}
	if (rc)
		return call_failed_msg(r, "show", rc, &e);
	emit(r, MMSIM_SCRIPT_OUT_SHOW, title, text ? text : "");
	free(text);
	return 0;
}

/* One command; the system has booted. */
static int run_cmd(struct runner *r, const struct script_cmd *c)
{
	struct run_proc *rp = &r->procs[c->proc];
	int rc;

	switch (c->op) {
	case SCRIPT_OP_SPAWN:
		return run_spawn(r, c);
	case SCRIPT_OP_TOUCH:
		run_touch(r, c, rp);
		return 0;
	case SCRIPT_OP_ACCESS:
		touch(r, rp, c->access.addr, c->access.kind, c->access.user);
		return 0;
	case SCRIPT_OP_EXIT:
		mmsim_task_exit(rp->task);
		rp->task = NULL;
		return 0;
	case SCRIPT_OP_EXPECT_TASK:
	case SCRIPT_OP_EXPECT_SIGNAL:
		run_expect_task(r, c, rp);
		return 0;
	case SCRIPT_OP_EXPECT_SYS:
	case SCRIPT_OP_EXPECT_SWITCH:
		return run_expect_sys(r, c);
	case SCRIPT_OP_SWITCH:
		run_switch(r, c);
		return 0;
	case SCRIPT_OP_SHOW_TASK:
	case SCRIPT_OP_SHOW_WALK:
	case SCRIPT_OP_SHOW_SYS:
		return run_show(r, c, rp);
	case SCRIPT_OP_RECLAIM:
	case SCRIPT_OP_SHRINK_ALL:
	case SCRIPT_OP_SLEEP:
	case SCRIPT_OP_COMPACT:
		return run_reclaim(r, c);
	case SCRIPT_OP_FILE:
	case SCRIPT_OP_DROPCACHE:
	case SCRIPT_OP_EXPECT_CACHE:
	case SCRIPT_OP_LIB:
		return run_file(r, c);
	default:
		break;
	}
	/* The rest are system calls, which a task killed by the OOM killer cannot make. */
	rc = check_alive(r, rp);
	if (rc)
		return rc;
	switch (c->op) {
	case SCRIPT_OP_MAP:
		return run_map(r, c, rp);
	case SCRIPT_OP_READ_FILE:
		if (c->read_file.into)
			rc = mmsim_file_read_into(rp->task, c->read_file.name,
						  c->read_file.offset_pages, c->read_file.nr_pages,
						  rp->region_start[c->read_file.region], NULL);
		else
			rc = mmsim_file_read(rp->task, c->read_file.name, c->read_file.offset_pages,
					     c->read_file.nr_pages, NULL);
		return rc ? call_failed(r, "read", rc) : 0;
	case SCRIPT_OP_LOAD:
		rc = mmsim_lib_load(rp->task, c->load.lib, &rp->region_start[c->load.region]);
		return rc ? call_failed(r, "loading the library", rc) : 0;
	case SCRIPT_OP_FORK:
		return run_fork(r, c, rp);
	case SCRIPT_OP_REMAP:
		return run_remap(r, c, rp);
	case SCRIPT_OP_BRK:
		return run_brk(r, c, rp);
	case SCRIPT_OP_MSYNC:
		rc = mmsim_msync(rp->task, page_addr(rp, &c->change.range, c->change.range.first),
				 range_bytes(&c->change.range), NULL);
		return rc ? call_failed(r, "msync", rc) : 0;
	default:
		return run_change(r, c, rp);
	}
}

/* paranoid: every checker after every command; a broken invariant stops the run. */
static bool check_ok(struct runner *r)
{
	struct mmsim_error e = { 0 };
	char text[MMSIM_ERROR_MSG_SIZE + 128];

	if (!mmsim_check(r->sys, &e))
		return true;
	r->res->check_failed = true;
	snprintf(text, sizeof(text), "%s:%lu: after '%s': %s", r->s->name, r->cmd->line,
		 r->cmd->text, e.msg[0] ? e.msg : "a checker failed");
	emit(r, MMSIM_SCRIPT_OUT_CHECK_FAILED, NULL, text);
	return false;
}

static int apply_config(struct runner *r)
{
	struct mmsim_error e = { 0 };

	mmsim_config_default(&r->config);
	for (size_t i = 0; i < r->s->nr_configs; i++) {
		const struct script_config *cf = &r->s->configs[i];
		int rc = mmsim_config_set(&r->config, cf->key, cf->value, &e);

		if (rc)
			return mmsim_error_set(r->err, rc, "%s:%lu:%lu: %s", r->s->name, cf->line,
					       cf->col, e.msg);
	}
	if (r->opts->paranoid)
		r->config.paranoid = true;
	return 0;
}

static bool cmd_always_shown(enum script_op op)
{
	switch (op) {
	case SCRIPT_OP_EXPECT_TASK:
	case SCRIPT_OP_EXPECT_SIGNAL:
	case SCRIPT_OP_EXPECT_SYS:
	case SCRIPT_OP_EXPECT_SWITCH:
	case SCRIPT_OP_SHOW_TASK:
	case SCRIPT_OP_SHOW_WALK:
	case SCRIPT_OP_SHOW_SYS:
		return true;
	default:
		return false;
	}
}

/* ---- sessions: a run one command at a time ------------------------------------------------ */

struct mmsim_script_session {
	struct runner r;
	struct mmsim_script_run_opts opts;
	struct mmsim_script_result res;
	size_t next;  /* index of the next command to run */
	bool stopped; /* ran to its end, a command failed, or a checker stopped it */
};

int mmsim_script_start(const struct mmsim_script *script, const struct mmsim_script_run_opts *opts,
		       struct mmsim_script_session **out, struct mmsim_error *err)
{
	static const struct mmsim_script_run_opts no_opts;
	const struct script *s = script->parsed;
	struct mmsim_script_session *ss = calloc(1, sizeof(*ss));
	int rc;

	*out = NULL;
	if (!ss)
		return mmsim_error_set(err, -ENOMEM, "%s: out of host memory", s->name);
	ss->opts = opts ? *opts : no_opts;
	ss->r = (struct runner){ .s = s, .opts = &ss->opts, .res = &ss->res, .err = err };
	rc = apply_config(&ss->r);
	if (!rc)
		rc = filter_init(&ss->r);
	if (rc)
		goto out_free;
	ss->r.procs = calloc(s->nr_procs ? s->nr_procs : 1, sizeof(*ss->r.procs));
	ss->r.baseline = calloc(s->nr_cmds ? s->nr_cmds : 1, sizeof(*ss->r.baseline));
	if (!ss->r.procs || !ss->r.baseline) {
		rc = mmsim_error_set(err, -ENOMEM, "%s: out of host memory", s->name);
		goto out_free;
	}
	ss->stopped = s->nr_cmds == 0;
	*out = ss;
	return 0;
out_free:
	mmsim_script_session_destroy(ss);
	return rc;
}

int mmsim_script_step(struct mmsim_script_session *ss, struct mmsim_error *err)
{
	struct runner *r = &ss->r;
	int rc;

	if (ss->stopped)
		return 0;
	r->err = err;
	r->cmd = &r->s->cmds[ss->next];
	if (!r->sys) {
		rc = boot(r);
		if (rc)
			goto out_stop;
	}
	r->cmd_shown = false;
	r->have_last_va = false;
	r->fault_held = false;
	/* With a filter, a command shows with its first event that passes; expect and show
	 * commands always show (mmsim_script_filter). */
	if (r->opts->explain && (!r->filter || cmd_always_shown(r->cmd->op)))
		show_cmd(r);
	rc = run_cmd(r, r->cmd);
	if (rc)
		goto out_stop;
	r->res->nr_commands++;
	ss->next++;
	if ((r->opts->paranoid && !check_ok(r)) || ss->next == r->s->nr_cmds)
		ss->stopped = true;
	return 1;
out_stop:
	ss->stopped = true;
	return rc;
}

const char *mmsim_script_session_next(const struct mmsim_script_session *ss, unsigned long *line)
{
	if (ss->stopped)
		return NULL;
	if (line)
		*line = ss->r.s->cmds[ss->next].line;
	return ss->r.s->cmds[ss->next].text;
}

void mmsim_script_session_result(const struct mmsim_script_session *ss,
				 struct mmsim_script_result *res)
{
	uint64_t *after[] = { &res->switch_faults, &res->switch_major_faults,
			      &res->switch_swap_ins };
	uint64_t v;

	*res = ss->res;
	for (size_t k = 0; res->switches && ss->r.sys && k < ARRAY_SIZE(after); k++) {
		mmsim_counter(ss->r.sys, after_switch_names[k], &v);
		*after[k] = v - ss->r.switch_counts[k];
	}
}

const char *mmsim_script_proc_name(const struct mmsim_script *s, unsigned int i)
{
	return i < s->parsed->nr_procs ? s->parsed->procs[i].name : NULL;
}

struct mmsim_system *mmsim_script_session_system(struct mmsim_script_session *ss)
{
	return ss->r.sys;
}

struct mmsim_task *mmsim_script_session_task(struct mmsim_script_session *ss, const char *name)
{
	for (unsigned int i = 0; i < ss->r.s->nr_procs; i++) {
		if (!strcmp(ss->r.s->procs[i].name, name))
			return ss->r.procs[i].task;
	}
	return NULL;
}

void mmsim_script_session_destroy(struct mmsim_script_session *ss)
{
	if (!ss)
		return;
	if (ss->r.sys) {
		mmsim_set_event_hook(ss->r.sys, NULL, NULL);
		mmsim_system_destroy(ss->r.sys);
	}
	for (unsigned int i = 0; ss->r.procs && i < ss->r.s->nr_procs; i++)
		free(ss->r.procs[i].region_start);
	free(ss->r.procs);
	free(ss->r.baseline);
	free(ss);
}

int mmsim_script_run(const struct mmsim_script *script, const struct mmsim_script_run_opts *opts,
		     struct mmsim_script_result *res, struct mmsim_error *err)
{
	struct mmsim_script_session *ss;
	int rc;

	if (res)
		memset(res, 0, sizeof(*res));
	rc = mmsim_script_start(script, opts, &ss, err);
	if (rc)
		return rc;
	while ((rc = mmsim_script_step(ss, err)) > 0)
		;
	if (res)
		mmsim_script_session_result(ss, res);
	mmsim_script_session_destroy(ss);
	return rc;
}
