/*
 * cli/report_run.c: what a run's reports are made of: counter snapshots, the processes
 * of the run with their last statistics, and numbers written for people.
 */
#include "report_run.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- Counters -------------------------------------------------------------------------- */

static void add_counter(void *ctx, const char *name, uint64_t value)
{
	struct cli_counters *c = ctx;

	if (c->nr == CLI_MAX_COUNTERS)
		return;
	snprintf(c->c[c->nr].name, sizeof(c->c[c->nr].name), "%s", name);
	c->c[c->nr].value = value;
	c->nr++;
}

void cli_counters_read(const struct mmsim_system *sys, struct cli_counters *out)
{
	out->nr = 0;
	mmsim_counters_foreach(sys, add_counter, out);
}

uint64_t cli_counter(const struct cli_counters *c, const char *name)
{
	for (size_t i = 0; i < c->nr; i++) {
		if (!strcmp(c->c[i].name, name))
			return c->c[i].value;
	}
	return 0;
}

uint64_t cli_counter_sum(const struct cli_counters *c, const char *prefix)
{
	size_t len = strlen(prefix);
	uint64_t sum = 0;

	for (size_t i = 0; i < c->nr; i++) {
		if (!strncmp(c->c[i].name, prefix, len))
			sum += c->c[i].value;
	}
	return sum;
}

/* ---- Processes ------------------------------------------------------------------------- */

int cli_procs_add(struct cli_procs *ps, struct mmsim_task *t, int64_t trace_pid)
{
	struct cli_proc *p;

	if (ps->nr == ps->cap) {
		size_t cap = ps->cap ? ps->cap * 2 : 16;
		struct cli_proc *bigger = realloc(ps->p, cap * sizeof(*bigger));

		if (!bigger)
			return -ENOMEM;
		ps->p = bigger;
		ps->cap = cap;
	}
	p = &ps->p[ps->nr++];
	memset(p, 0, sizeof(*p));
	p->pid = mmsim_task_pid(t);
	p->trace_pid = trace_pid;
	p->task = t;
	p->state = CLI_PROC_RUNNING;
	mmsim_task_stats_nowalk(t, &p->st);
	return 0;
}

void cli_procs_exiting(struct cli_procs *ps, struct mmsim_task *t)
{
	for (size_t i = 0; i < ps->nr; i++) {
		struct cli_proc *p = &ps->p[i];

		if (p->task != t)
			continue;
		mmsim_task_stats_nowalk(t, &p->st);
		p->state = mmsim_task_alive(t) ? CLI_PROC_EXITED : CLI_PROC_KILLED;
		p->task = NULL;
	}
}

void cli_procs_refresh(struct cli_procs *ps)
{
	for (size_t i = 0; i < ps->nr; i++) {
		struct cli_proc *p = &ps->p[i];

		if (!p->task)
			continue;
		mmsim_task_stats_nowalk(p->task, &p->st);
		if (!mmsim_task_alive(p->task))
			p->state = CLI_PROC_KILLED;
		else if (mmsim_task_exited(p->task)) /* a trace's exit event: a zombie */
			p->state = CLI_PROC_EXITED;
	}
}

void cli_procs_fini(struct cli_procs *ps)
{
	free(ps->p);
	memset(ps, 0, sizeof(*ps));
}

/* A counter's value since boot: the warmup's part is taken off run->counters. */
static uint64_t counter_since_boot(const struct cli_run *run, const char *name)
{
	uint64_t v = cli_counter(&run->counters, name);

	return run->warmup_records ? v + cli_counter(&run->warm_counters, name) : v;
}

void cli_run_after_switch(const struct cli_run *run, struct cli_after_switch *out)
{
	const struct mmsim_replay_stats *r = &run->replay;

	memset(out, 0, sizeof(*out));
	if (!r->switches)
		return;
	out->records_before = r->switch_records;
	out->faults = counter_since_boot(run, "pgfault") - r->switch_pgfault;
	out->major_faults = counter_since_boot(run, "pgmajfault") - r->switch_pgmajfault;
	out->swap_ins = counter_since_boot(run, "pswpin") - r->switch_pswpin;
}

const char *cli_proc_state_name(enum cli_proc_state s)
{
	switch (s) {
	case CLI_PROC_RUNNING:
		return "running";
	case CLI_PROC_EXITED:
		return "exited";
	case CLI_PROC_KILLED:
		return "oom-killed";
	}
	return "?";
}

uint64_t cli_run_accesses(const struct cli_run *run)
{
	if (run->workload)
		return run->wl.accesses;
	return run->replay.loads + run->replay.stores + run->replay.fetches;
}

size_t cli_run_nr_killed(const struct cli_run *run)
{
	size_t n = 0;

	for (size_t i = 0; i < run->procs.nr; i++)
		n += run->procs.p[i].state == CLI_PROC_KILLED;
	return n;
}

#define FIT_MIB (UINT64_C(1) << 20)

/* Swap for every page of the footprint, and 16 MiB to spare. */
uint64_t cli_run_fit_swap_bytes(const struct cli_run *run)
{
	uint64_t bytes = run->footprint_pages * 4096;

	if (!run->footprint_pages)
		return 0;
	return ((bytes + FIT_MIB - 1) / FIT_MIB + 16) * FIT_MIB;
}

/* RAM for every page of the footprint, its page tables (16 bytes a page is generous for
 * dense traces) and 48 MiB for the kernel and the watermarks: what sweep gives a run. */
uint64_t cli_run_fit_mem_bytes(const struct cli_run *run)
{
	uint64_t bytes = run->footprint_pages * (4096 + 16) + 48 * FIT_MIB;

	if (!run->footprint_pages)
		return 0;
	return (bytes + FIT_MIB - 1) / FIT_MIB * FIT_MIB;
}

/* ---- Numbers --------------------------------------------------------------------------- */

const char *cli_fmt_count(uint64_t v, char *buf, size_t size)
{
	char digits[32];
	int n = snprintf(digits, sizeof(digits), "%" PRIu64, v);
	size_t o = 0;

	for (int i = 0; i < n && o + 2 < size; i++) {
		if (i && (n - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = digits[i];
	}
	buf[o] = '\0';
	return buf;
}

const char *cli_fmt_bytes(uint64_t bytes, char *buf, size_t size)
{
	if (bytes < (UINT64_C(1) << 20))
		snprintf(buf, size, "%" PRIu64 " KiB", (bytes + 1023) >> 10);
	else if (bytes % (UINT64_C(1) << 20) == 0 && bytes < (UINT64_C(1) << 40))
		snprintf(buf, size, "%" PRIu64 " MiB", bytes >> 20);
	else if (bytes < (UINT64_C(1) << 30))
		snprintf(buf, size, "%.1f MiB", (double)bytes / (1 << 20));
	else
		snprintf(buf, size, "%.2f GiB", (double)bytes / (1 << 30));
	return buf;
}
