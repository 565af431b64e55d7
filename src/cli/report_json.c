/*
 * cli/report_json.c: `mmsim run --json`: the whole result for machines, with cJSON.
 * The layout is documented in docs/run.md ("JSON"); counters keep the library's names.
 */
#include "report_run.h"
#include "cli.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#define PAGE_BYTES 4096

static void num(cJSON *o, const char *name, uint64_t v)
{
	cJSON_AddNumberToObject(o, name, (double)v);
}

static cJSON *input_json(const struct cli_run *run)
{
	cJSON *in = cJSON_CreateObject();

	if (run->workload) {
		cJSON_AddStringToObject(in, "kind", "workload");
		cJSON_AddStringToObject(in, "name", run->workload->name);
		num(in, "scale", run->scale);
		num(in, "seed", run->cfg.seed);
	} else {
		cJSON_AddStringToObject(in, "kind", "trace");
		cJSON_AddStringToObject(in, "path", run->trace_path);
		cJSON_AddStringToObject(in, "format", mmsim_trace_format_name(run->trace_format));
		cJSON_AddStringToObject(in, "compression",
					mmsim_trace_compression_name(run->trace_compression));
		num(in, "records", run->replay.records);
		if (run->skip_records || run->warmup_records) {
			num(in, "skip_records", run->skip_records);
			num(in, "warmup_records", run->warmup_records);
		}
	}
	return in;
}

static cJSON *config_json(const struct mmsim_config *c)
{
	cJSON *o = cJSON_CreateObject();

	num(o, "mem_bytes", c->mem_bytes);
	num(o, "swap_bytes", c->swap_bytes);
	cJSON_AddStringToObject(o, "policy", c->policy);
	cJSON_AddStringToObject(o, "reclaim", c->reclaim);
	num(o, "reclaim_batch_pages", !strcmp(c->reclaim, "linux") ? MMSIM_RECLAIM_BATCH_PAGES : 1);
	num(o, "frames", c->frames);
	cJSON_AddStringToObject(o, "layout", c->layout);
	num(o, "levels", c->levels);
	cJSON_AddStringToObject(o, "tlb", c->tlb);
	cJSON_AddBoolToObject(o, "pcid", c->pcid);
	cJSON_AddBoolToObject(o, "kpti", c->kpti == MMSIM_KPTI_ON);
	cJSON_AddBoolToObject(o, "data_mode", c->data_mode);
	cJSON_AddBoolToObject(o, "paranoid", c->paranoid);
	cJSON_AddBoolToObject(o, "pt_reclaim", c->pt_reclaim);
	num(o, "seed", c->seed);
	return o;
}

/* A kill's facts under stable keys: complete, killed_processes, and the sizes that fit. */
static void kills_json(cJSON *o, const struct cli_run *run)
{
	cJSON *arr;

	cJSON_AddBoolToObject(o, "complete", !cli_run_nr_killed(run));
	arr = cJSON_AddArrayToObject(o, "killed_processes");
	for (size_t i = 0; i < run->procs.nr; i++) {
		const struct cli_proc *p = &run->procs.p[i];
		cJSON *k;

		if (p->state != CLI_PROC_KILLED)
			continue;
		k = cJSON_CreateObject();
		num(k, "pid", (uint64_t)p->pid);
		num(k, "VmHWM_kB", p->st.hwm_kb);
		if (!run->workload) {
			num(k, "trace_pid", (uint64_t)p->trace_pid);
			num(k, "killed_after_accesses",
			    p->rs.killed_at == UINT64_MAX
				    ? run->replay.accesses + run->warm.accesses
				    : p->rs.killed_at);
			num(k, "accesses_made", p->rs.accesses);
			num(k, "accesses_not_simulated", p->rs.skipped);
		}
		cJSON_AddItemToArray(arr, k);
	}
	if (run->footprint_pages) {
		num(o, "footprint_bytes", run->footprint_pages * PAGE_BYTES);
		num(o, "fit_swap_bytes", cli_run_fit_swap_bytes(run));
		num(o, "fit_mem_bytes", cli_run_fit_mem_bytes(run));
	}
}

static cJSON *result_json(const struct cli_run *run)
{
	cJSON *o = cJSON_CreateObject();

	num(o, "exit_status", (uint64_t)run->exit_status);
	cJSON_AddNumberToObject(o, "seconds", run->seconds);
	if (run->workload) {
		cJSON *notes = cJSON_AddArrayToObject(o, "notes");
		const char *p = run->wl.notes;

		cJSON_AddBoolToObject(o, "passed", run->wl.passed);
		cJSON_AddStringToObject(o, "verdict", run->wl.verdict);
		while (*p) {
			const char *nl = strchr(p, '\n');
			size_t len = nl ? (size_t)(nl - p) : strlen(p);
			char line[sizeof(run->wl.notes)];

			snprintf(line, sizeof(line), "%.*s", (int)len, p);
			cJSON_AddItemToArray(notes, cJSON_CreateString(line));
			p += len + (nl ? 1 : 0);
		}
		num(o, "planned_accesses", run->wl.planned);
	} else {
		const struct mmsim_replay_stats *r = &run->replay;
		cJSON *rep = cJSON_AddObjectToObject(o, "replay");

		num(rep, "records", r->records);
		num(rep, "page_accesses", r->accesses);
		num(rep, "loads", r->loads);
		num(rep, "stores", r->stores);
		num(rep, "fetches", r->fetches);
		num(rep, "skipped", r->skipped);
		num(rep, "segv_maperr", r->segv_maperr);
		num(rep, "segv_accerr", r->segv_accerr);
		num(rep, "killed", r->killed);
		num(rep, "regions_mapped", r->regions_mapped);
		num(rep, "map_failures", r->map_failures);
		num(rep, "processes", r->nr_tasks);
		/* Only with events, so that traces without keep their JSON byte for byte. */
		if (r->forks || r->execs || r->exits || r->reclaims || r->switches) {
			cJSON *ev = cJSON_AddObjectToObject(rep, "events");

			num(ev, "forks", r->forks);
			num(ev, "execs", r->execs);
			num(ev, "exits", r->exits);
			num(ev, "reclaims", r->reclaims);
			num(ev, "switches", r->switches);
			if (r->switches) {
				struct cli_after_switch as;
				cJSON *sw = cJSON_AddObjectToObject(ev, "after_last_switch");

				cli_run_after_switch(run, &as);
				num(sw, "records_before", as.records_before);
				num(sw, "page_faults", as.faults);
				num(sw, "major_faults", as.major_faults);
				num(sw, "swap_ins", as.swap_ins);
			}
		}
		if (run->warmup_records) {
			cJSON *w = cJSON_AddObjectToObject(o, "warmup");

			num(w, "records", run->warm.records);
			num(w, "page_accesses", run->warm.accesses);
			num(w, "page_faults", cli_counter(&run->warm_counters, "pgfault"));
			num(w, "major_faults", cli_counter(&run->warm_counters, "pgmajfault"));
			num(w, "swap_outs", cli_counter(&run->warm_counters, "pswpout"));
		}
		cJSON_AddBoolToObject(o, "future_given", run->future);
	}
	if (run->check_error[0])
		cJSON_AddStringToObject(o, "check_error", run->check_error);
	kills_json(o, run);
	return o;
}

static cJSON *summary_json(const struct cli_run *run)
{
	const struct cli_counters *k = &run->counters;
	cJSON *o = cJSON_CreateObject();
	uint64_t hwm = 0;

	for (size_t i = 0; i < run->procs.nr; i++) {
		if (run->procs.p[i].st.hwm_kb > hwm)
			hwm = run->procs.p[i].st.hwm_kb;
	}
	num(o, "accesses", cli_run_accesses(run));
	num(o, "minor_faults", cli_counter(k, "pgfault") - cli_counter(k, "pgmajfault"));
	num(o, "major_faults", cli_counter(k, "pgmajfault"));
	num(o, "swap_used_kB", run->swap_used_kb);
	num(o, "swap_ins", cli_counter(k, "pswpin"));
	num(o, "swap_outs", cli_counter(k, "pswpout"));
	num(o, "dtlb_loads", cli_counter(k, "dTLB-loads"));
	num(o, "dtlb_load_misses", cli_counter(k, "dTLB-load-misses"));
	num(o, "dtlb_stores", cli_counter(k, "dTLB-stores"));
	num(o, "dtlb_store_misses", cli_counter(k, "dTLB-store-misses"));
	num(o, "itlb_loads", cli_counter(k, "iTLB-loads"));
	num(o, "itlb_load_misses", cli_counter(k, "iTLB-load-misses"));
	num(o, "page_walks", cli_counter(k, "page_walks"));
	num(o, "walk_mem_refs", cli_counter(k, "walk_mem_refs"));
	num(o, "page_table_bytes", cli_counter(k, "nr_page_table_pages") * PAGE_BYTES);
	num(o, "peak_rss_kb", hwm);
	num(o, "pgscan_kswapd", cli_counter(k, "pgscan_kswapd"));
	num(o, "pgscan_direct", cli_counter(k, "pgscan_direct"));
	num(o, "pgsteal_kswapd", cli_counter(k, "pgsteal_kswapd"));
	num(o, "pgsteal_direct", cli_counter(k, "pgsteal_direct"));
	num(o, "allocstall", cli_counter_sum(k, "allocstall_"));
	num(o, "oom_kills", cli_counter(k, "oom_kill"));
	/* Files and huge pages: only when the run had any, as in the summary (the file_*,
	 * thp_* and compaction counters are in "counters" then too). */
	if (run->cached_kb)
		num(o, "cached_kb", run->cached_kb);
	if (run->anon_huge_kb)
		num(o, "anon_huge_kb", run->anon_huge_kb);
	return o;
}

static cJSON *procs_json(const struct cli_run *run)
{
	cJSON *a = cJSON_CreateArray();

	for (size_t i = 0; i < run->procs.nr; i++) {
		const struct cli_proc *p = &run->procs.p[i];
		cJSON *o = cJSON_CreateObject();

		num(o, "pid", (uint64_t)p->pid);
		if (p->trace_pid >= 0)
			num(o, "trace_pid", (uint64_t)p->trace_pid);
		cJSON_AddStringToObject(o, "state", cli_proc_state_name(p->state));
		num(o, "minflt", p->st.minflt);
		num(o, "majflt", p->st.majflt);
		num(o, "VmSize_kB", p->st.vmsize_kb);
		num(o, "VmRSS_kB", p->st.rss_kb);
		num(o, "RssAnon_kB", p->st.rss_anon_kb);
		num(o, "RssShmem_kB", p->st.rss_shmem_kb);
		num(o, "VmHWM_kB", p->st.hwm_kb);
		num(o, "VmSwap_kB", p->st.swap_kb);
		num(o, "VmPTE_kB", p->st.vmpte_kb);
		cJSON_AddItemToArray(a, o);
	}
	return a;
}

static cJSON *views_json(const struct cli_view *views, size_t nr)
{
	cJSON *o = cJSON_CreateObject();

	for (size_t i = 0; i < nr; i++) {
		if (!views[i].pid) {
			cJSON_AddStringToObject(o, views[i].name, views[i].text);
		} else {
			cJSON *per = cJSON_GetObjectItemCaseSensitive(o, views[i].name);
			char pid[16];

			if (!per)
				per = cJSON_AddObjectToObject(o, views[i].name);
			snprintf(pid, sizeof(pid), "%d", views[i].pid);
			cJSON_AddStringToObject(per, pid, views[i].text);
		}
	}
	return o;
}

int cli_report_json(const char *path, const struct cli_run *run, const struct cli_view *views,
		    size_t nr_views, char *msg, size_t msg_size)
{
	cJSON *root = cJSON_CreateObject(), *counters;
	struct cli_outfile out;
	char *text = NULL;
	int rc = 0;

	if (!root)
		goto out_nomem;
	cJSON_AddStringToObject(root, "mmsim_version", MMSIM_VERSION);
	cJSON_AddItemToObject(root, "input", input_json(run));
	if (cli_page_note(run->page_shift)) {
		cJSON *ps = cJSON_AddObjectToObject(root, "page_size");

		num(ps, "page_bytes", UINT64_C(1) << run->page_shift);
		cJSON_AddStringToObject(ps, "note", cli_page_note(run->page_shift));
		cJSON_AddStringToObject(ps, "units",
					"faults, frames and accesses count what-if pages; kB and "
					"byte sizes are the 4 KiB machine's, one 4 KiB frame per "
					"what-if page");
	}
	cJSON_AddItemToObject(root, "config", config_json(&run->cfg));
	cJSON_AddItemToObject(root, "result", result_json(run));
	cJSON_AddItemToObject(root, "summary", summary_json(run));
	counters = cJSON_AddObjectToObject(root, "counters");
	for (size_t i = 0; i < run->counters.nr; i++)
		num(counters, run->counters.c[i].name, run->counters.c[i].value);
	cJSON_AddItemToObject(root, "processes", procs_json(run));
	cJSON_AddItemToObject(root, "views", views_json(views, nr_views));
	text = cJSON_Print(root);
	if (!text)
		goto out_nomem;
	rc = cli_outfile_open(&out, path, msg, msg_size);
	if (rc)
		goto out;
	if (fprintf(out.f, "%s\n", text) < 0) {
		rc = -EIO;
		snprintf(msg, msg_size, "%s: write failed: %s", path, strerror(errno));
		cli_outfile_abort(&out);
		goto out;
	}
	rc = cli_outfile_commit(&out, msg, msg_size);
	goto out;
out_nomem:
	rc = -ENOMEM;
	snprintf(msg, msg_size, "out of host memory writing JSON");
out:
	cJSON_free(text);
	cJSON_Delete(root);
	return rc;
}
