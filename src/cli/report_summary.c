/*
 * cli/report_summary.c: the report `mmsim run` prints for a person: what ran on which
 * machine and whether it was right, then one line per concern (accesses, faults, swap,
 * TLB, page walks, page tables, memory, reclaim, OOM), then a table of the processes with
 * /proc/PID/status's and getrusage()'s names. docs/run.md explains every line.
 */
#include "report_run.h"
#include "cli.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#define PAGE_BYTES 4096

static void line_machine(FILE *out, const struct cli_run *run)
{
	const struct mmsim_config *c = &run->cfg;
	char mem[32], swap[32], frames[64];

	if (c->frames)
		snprintf(frames, sizeof(frames), "frames=%" PRIu64 " (cap on resident user pages)",
			 c->frames);
	else
		snprintf(frames, sizeof(frames), "no frames cap");
	fprintf(out, "machine: %s RAM, %s swap, policy %s, reclaim %s, %s\n",
		cli_fmt_bytes(c->mem_bytes, mem, sizeof(mem)),
		c->swap_bytes ? cli_fmt_bytes(c->swap_bytes, swap, sizeof(swap)) : "no", c->policy,
		c->reclaim, frames);
	fprintf(out, "         TLB %s, %u-level paging (%s layout), PCID %s%s\n",
		c->tlb[0] ? c->tlb : "default (skylake)", c->levels, c->layout,
		c->pcid ? "on" : "off", c->paranoid ? ", paranoid checks" : "");
	if (c->frames && !strcmp(c->reclaim, "linux"))
		fprintf(out,
			"         batch reclaim is on: each time the cap is hit, %u frames are "
			"freed at once\n         (--reclaim demand evicts one victim per needed "
			"frame, the textbook model)\n",
			MMSIM_RECLAIM_BATCH_PAGES);
	/* Hardware-faithful policies learn about use from A bits, which the CPU sets on a TLB
	 * fill only (SDM Vol. 3A 4.8): a page that stays in the TLB looks unused. */
	if ((!strcmp(c->policy, "clock") || !strcmp(c->policy, "nru")) && strcmp(c->tlb, "off"))
		fprintf(out,
			"         policy %s sees A bits, which the CPU sets only when a TLB entry "
			"is "
			"filled:\n         pages that stay in the TLB look unused, so %s acts "
			"almost like FIFO for them\n         (--tlb off gives the textbook %s; "
			"docs/policies.md)\n",
			c->policy, c->policy, c->policy);
	if (run->future)
		fprintf(out,
			"         policy %s is an oracle: it was told every page's next use "
			"from a pre-pass over the trace\n",
			c->policy);
}

static void line_input(FILE *out, const struct cli_run *run)
{
	char n[32];

	if (run->workload) {
		fprintf(out, "mmsim run: workload %s (scale %u, seed %" PRIu64 ")\n",
			run->workload->name, run->scale, run->cfg.seed);
		fprintf(out, "  %s\n", run->workload->summary);
		return;
	}
	if (cli_page_note(run->page_shift))
		fprintf(out,
			"mmsim run: %s\n"
			"  pages, faults and frames below are %u KiB pages; sizes in kB and bytes\n"
			"  are the 4 KiB machine's, where one 4 KiB frame stands for each such "
			"page\n",
			cli_page_note(run->page_shift), (1u << run->page_shift) >> 10);
	fprintf(out, "mmsim run: trace %s (%s%s%s), %s records, %" PRIu64 " process%s\n",
		run->trace_path, mmsim_trace_format_name(run->trace_format),
		run->trace_compression ? ", " : "",
		run->trace_compression ? mmsim_trace_compression_name(run->trace_compression) : "",
		cli_fmt_count(run->replay.records, n, sizeof(n)), run->replay.nr_tasks,
		run->replay.nr_tasks == 1 ? "" : "es");
	if (run->trace_skipped)
		fprintf(out, "  %s valgrind line%s (==PID==, --PID--) skipped\n",
			cli_fmt_count(run->trace_skipped, n, sizeof(n)),
			run->trace_skipped == 1 ? "" : "s");
}

/* ^C or SIGTERM: the figures below are of a part of the run, and say so before anything
 * else. */
static void line_interrupted(FILE *out, const struct cli_run *run)
{
	const char *by = run->interrupted_by ? run->interrupted_by : "^C";
	char a[32], b[32];

	if (run->workload) {
		fprintf(out,
			"result: INTERRUPTED by %s after %s of about %s accesses: the workload "
			"did not finish,\n  so it has no verdict; every figure below covers "
			"only the part that ran\n",
			by, cli_fmt_count(run->wl.accesses, a, sizeof(a)),
			cli_fmt_count(run->wl.planned, b, sizeof(b)));
		return;
	}
	/* Records read: skipped, warmed up with, and counted. */
	fprintf(out, "result: INTERRUPTED by %s after %s records", by,
		cli_fmt_count(run->skip_records + run->warmup_records + run->replay.records, a,
			      sizeof(a)));
	if (run->input_fraction >= 0)
		fprintf(out, " (%.1f%% of the trace's bytes)", 100.0 * run->input_fraction);
	fprintf(out, ";\n  every figure below covers only that part of the trace\n");
}

static void line_result(FILE *out, const struct cli_run *run)
{
	const struct mmsim_replay_stats *r = &run->replay;
	char a[32], b[32], c[32], d[32];

	if (run->interrupted && run->workload) {
		line_interrupted(out, run);
	} else if (run->workload) {
		const char *notes = run->wl.notes;

		fprintf(out, "result: %s: %s\n", run->wl.passed ? "PASS" : "FAIL", run->wl.verdict);
		while (*notes) {
			const char *nl = strchr(notes, '\n');
			int len = nl ? (int)(nl - notes) : (int)strlen(notes);

			fprintf(out, "  %.*s\n", len, notes);
			notes += len + (nl ? 1 : 0);
		}
	} else {
		if (run->interrupted)
			line_interrupted(out, run);
		fprintf(out, "%s %" PRIu64 " regions of 2 MiB mapped",
			run->interrupted ? "  until then" : "result: replayed;", r->regions_mapped);
		if (r->map_failures)
			fprintf(out, " (%" PRIu64 " could not be)", r->map_failures);
		fprintf(out, "\n");
		if (r->forks || r->execs || r->exits || r->reclaims || r->switches)
			fprintf(out,
				"  trace events: %" PRIu64 " forks, %" PRIu64 " execs, %" PRIu64
				" exits, %" PRIu64 " reclaims (reclaim, shrink-all), %" PRIu64
				" workload switches\n",
				r->forks, r->execs, r->exits, r->reclaims, r->switches);
		if (r->switches) {
			struct cli_after_switch as;

			cli_run_after_switch(run, &as);
			fprintf(out,
				"  after the last workload switch (after record %" PRIu64
				"): %" PRIu64 " page faults, %" PRIu64 " major, %" PRIu64
				" pages swapped in\n",
				as.records_before, as.faults, as.major_faults, as.swap_ins);
		}
		if (r->segv_maperr || r->segv_accerr)
			fprintf(out,
				"  %s accesses ended in SIGSEGV (%s SEGV_MAPERR, %s SEGV_ACCERR)\n",
				cli_fmt_count(r->segv_maperr + r->segv_accerr, a, sizeof(a)),
				cli_fmt_count(r->segv_maperr, b, sizeof(b)),
				cli_fmt_count(r->segv_accerr, c, sizeof(c)));
		if (r->killed || r->skipped)
			fprintf(out, "  %s accesses were not made: their process had been killed\n",
				cli_fmt_count(r->skipped, a, sizeof(a)));
		if (run->skip_records)
			fprintf(out, "  --skip: the first %s records were read and not simulated\n",
				cli_fmt_count(run->skip_records, a, sizeof(a)));
		if (run->warmup_records)
			fprintf(out,
				"  --warmup: the %s %s records (%s page accesses, %s page faults) "
				"were simulated and not counted;\n  every figure below is of the "
				"%s "
				"records after them (levels such as RSS and swap used: at the "
				"end)\n",
				run->skip_records ? "next" : "first",
				cli_fmt_count(run->warmup_records, a, sizeof(a)),
				cli_fmt_count(run->warm.accesses, b, sizeof(b)),
				cli_fmt_count(cli_counter(&run->warm_counters, "pgfault"), c,
					      sizeof(c)),
				cli_fmt_count(r->records, d, sizeof(d)));
	}
	if (run->check_error[0])
		fprintf(out, "check: FAILED: %s\n", run->check_error);
}

static void ratio(FILE *out, const char *what, uint64_t misses, uint64_t lookups)
{
	char n[32];

	if (!lookups) {
		fprintf(out, "%s -", what);
		return;
	}
	fprintf(out, "%s %.2f%% of %s", what, 100.0 * (double)misses / (double)lookups,
		cli_fmt_count(lookups, n, sizeof(n)));
}

/*
 * Files and huge pages (issue 20): a line each, only when the run had any, so that a run
 * without them reads as it always did. Page cache: meminfo's Cached at the end (shmem
 * included, as Linux counts it), faults on file mappings and those that read the file,
 * readahead (file_ra_pages) and device requests. Huge pages: AnonHugePages at the end and
 * the thp_* events; compaction: pages migrated and direct compactions.
 */
static void lines_file_huge(FILE *out, const struct cli_run *run)
{
	const struct cli_counters *k = &run->counters;
	uint64_t ffaults = cli_counter(k, "file_faults"),
		 fmaj = cli_counter(k, "file_major_faults");
	uint64_t ra = cli_counter(k, "file_ra_pages"), io = cli_counter(k, "file_io_requests");
	uint64_t thp = cli_counter(k, "thp_fault_alloc"), fb = cli_counter(k, "thp_fault_fallback");
	uint64_t coll = cli_counter(k, "thp_collapse_alloc"),
		 split = cli_counter(k, "thp_split_pmd");
	uint64_t migrated = cli_counter(k, "pgmigrate_success"),
		 stall = cli_counter(k, "compact_stall");
	char a[32], b[32], c[32], d[32], e[32];

	if (run->cached_kb || ffaults || ra || io)
		fprintf(out,
			"page cache    %11s kB   Cached at the end; file faults %s (major %s), "
			"read ahead %s pages, %s device requests\n",
			cli_fmt_count(run->cached_kb, a, sizeof(a)),
			cli_fmt_count(ffaults, b, sizeof(b)), cli_fmt_count(fmaj, c, sizeof(c)),
			cli_fmt_count(ra, d, sizeof(d)), cli_fmt_count(io, e, sizeof(e)));
	if (run->anon_huge_kb || thp || fb || coll || split)
		fprintf(out,
			"huge pages    %11s kB   AnonHugePages at the end; THP faults %s, "
			"fallbacks %s "
			"(thp_fault_alloc, _fallback); collapsed %s; PMDs split %s\n",
			cli_fmt_count(run->anon_huge_kb, a, sizeof(a)),
			cli_fmt_count(thp, b, sizeof(b)), cli_fmt_count(fb, c, sizeof(c)),
			cli_fmt_count(coll, d, sizeof(d)), cli_fmt_count(split, e, sizeof(e)));
	if (migrated || stall)
		fprintf(out,
			"compaction    %14s   pages migrated (pgmigrate_success); direct "
			"compactions "
			"%s (success %s, fail %s)\n",
			cli_fmt_count(migrated, a, sizeof(a)), cli_fmt_count(stall, b, sizeof(b)),
			cli_fmt_count(cli_counter(k, "compact_success"), c, sizeof(c)),
			cli_fmt_count(cli_counter(k, "compact_fail"), d, sizeof(d)));
}

/*
 * The lines the run and its warmup phase both print, from the phase's counters k: the label
 * after indent (the warmup's two blanks), padded so that the figures line up.
 */
static int label_cols(const char *indent)
{
	return 14 - (int)strlen(indent);
}

static uint64_t tlb_misses(const struct cli_counters *k)
{
	return cli_counter(k, "dTLB-load-misses") + cli_counter(k, "dTLB-store-misses") +
	       cli_counter(k, "iTLB-load-misses");
}

static void line_page_accesses(FILE *out, const char *indent, uint64_t accesses,
			       const struct mmsim_replay_stats *r)
{
	char a[32], b[32], c[32], d[32];

	fprintf(out, "%s%-*s%14s   loads %s, stores %s, fetches %s (page accesses)\n", indent,
		label_cols(indent), "accesses", cli_fmt_count(accesses, a, sizeof(a)),
		cli_fmt_count(r->loads, b, sizeof(b)), cli_fmt_count(r->stores, c, sizeof(c)),
		cli_fmt_count(r->fetches, d, sizeof(d)));
}

static void line_faults(FILE *out, const char *indent, const struct cli_counters *k)
{
	uint64_t faults = cli_counter(k, "pgfault"), maj = cli_counter(k, "pgmajfault");
	char a[32], b[32], c[32];

	fprintf(out, "%s%-*s%14s   minor %s, major %s\n", indent, label_cols(indent), "page faults",
		cli_fmt_count(faults, a, sizeof(a)), cli_fmt_count(faults - maj, b, sizeof(b)),
		cli_fmt_count(maj, c, sizeof(c)));
}

static void line_swapped(FILE *out, const char *indent, const struct cli_counters *k)
{
	uint64_t pswpin = cli_counter(k, "pswpin"), pswpout = cli_counter(k, "pswpout");
	char a[32], b[32], c[32], d[32];

	fprintf(out,
		"%s%-*s%11s kB   %s pages written (pswpout); swapped in %s kB, %s pages read back "
		"(pswpin)\n",
		indent, label_cols(indent), "swapped out",
		cli_fmt_count(pswpout * PAGE_BYTES / 1024, a, sizeof(a)),
		cli_fmt_count(pswpout, b, sizeof(b)),
		cli_fmt_count(pswpin * PAGE_BYTES / 1024, c, sizeof(c)),
		cli_fmt_count(pswpin, d, sizeof(d)));
}

static void lines_counters(FILE *out, const struct cli_run *run)
{
	const struct cli_counters *k = &run->counters;
	uint64_t walks = cli_counter(k, "page_walks"), refs = cli_counter(k, "walk_mem_refs");
	uint64_t pt_pages = cli_counter(k, "nr_page_table_pages"), vmpte_kb = 0, hwm_kb = 0;
	uint64_t secs_ms = (uint64_t)(run->seconds * 1000);
	uint64_t accesses = cli_run_accesses(run);
	int hwm_pid = 0;
	char a[32], b[32], c[32], d[32], e[32], f[32];

	for (size_t i = 0; i < run->procs.nr; i++) {
		const struct cli_proc *p = &run->procs.p[i];

		vmpte_kb += p->state == CLI_PROC_RUNNING ? p->st.vmpte_kb : 0;
		if (p->st.hwm_kb > hwm_kb) {
			hwm_kb = p->st.hwm_kb;
			hwm_pid = p->pid;
		}
	}
	fprintf(out, "time: %.2f s", run->seconds);
	if (secs_ms)
		fprintf(out, ", %.1f M accesses/s", (double)accesses / run->seconds / 1e6);
	fprintf(out, "\n\n");

	if (run->workload)
		fprintf(out, "accesses      %14s   loads %s, stores %s (8 bytes each)\n",
			cli_fmt_count(accesses, a, sizeof(a)),
			cli_fmt_count(run->wl.loads, b, sizeof(b)),
			cli_fmt_count(run->wl.stores, c, sizeof(c)));
	else
		line_page_accesses(out, "", accesses, &run->replay);
	line_faults(out, "", k);
	/* Swap as /proc says it, in kB: what is in swap now apart from the traffic. */
	fprintf(out,
		"swap used     %11s kB   slots in use at the end (SwapTotal - SwapFree; of %s "
		"kB)\n",
		cli_fmt_count(run->swap_used_kb, a, sizeof(a)),
		cli_fmt_count(run->swap_total_kb, b, sizeof(b)));
	line_swapped(out, "", k);
	fprintf(out, "TLB misses    %14s ", cli_fmt_count(tlb_misses(k), a, sizeof(a)));
	ratio(out, "  dTLB loads", cli_counter(k, "dTLB-load-misses"),
	      cli_counter(k, "dTLB-loads"));
	ratio(out, ", stores", cli_counter(k, "dTLB-store-misses"), cli_counter(k, "dTLB-stores"));
	ratio(out, ", iTLB", cli_counter(k, "iTLB-load-misses"), cli_counter(k, "iTLB-loads"));
	fprintf(out, "\nSTLB hits     %14s   L1 TLB misses served by the second level\n",
		cli_fmt_count(cli_counter(k, "stlb_hits"), a, sizeof(a)));
	fprintf(out,
		"page walks    %14s   walks of the page tables (TLB misses and re-walks: dirty "
		"assists %s, rights %s), %.2f memory references each\n",
		cli_fmt_count(walks, a, sizeof(a)),
		cli_fmt_count(cli_counter(k, "dirty_assists"), b, sizeof(b)),
		cli_fmt_count(cli_counter(k, "rights_rewalks"), c, sizeof(c)),
		walks ? (double)refs / (double)walks : 0.0);
	fprintf(out,
		"page tables   %14s   now, all of the machine (%s pages); VmPTE of the "
		"processes %" PRIu64 " kB\n",
		cli_fmt_bytes(pt_pages * PAGE_BYTES, a, sizeof(a)),
		cli_fmt_count(pt_pages, b, sizeof(b)), vmpte_kb);
	fprintf(out, "peak RSS      %14s   largest VmHWM (pid %d)\n",
		cli_fmt_bytes(hwm_kb * 1024, a, sizeof(a)), hwm_pid);
	fprintf(out,
		"reclaim       %14s   scanned (kswapd %s, direct %s); stolen kswapd %s, direct "
		"%s; allocstall %s\n",
		cli_fmt_count(cli_counter(k, "pgscan_kswapd") + cli_counter(k, "pgscan_direct"), a,
			      sizeof(a)),
		cli_fmt_count(cli_counter(k, "pgscan_kswapd"), b, sizeof(b)),
		cli_fmt_count(cli_counter(k, "pgscan_direct"), c, sizeof(c)),
		cli_fmt_count(cli_counter(k, "pgsteal_kswapd"), d, sizeof(d)),
		cli_fmt_count(cli_counter(k, "pgsteal_direct"), e, sizeof(e)),
		cli_fmt_count(cli_counter_sum(k, "allocstall_"), f, sizeof(f)));
	fprintf(out, "OOM kills     %14s\n",
		cli_fmt_count(cli_counter(k, "oom_kill"), a, sizeof(a)));
	lines_file_huge(out, run);
}

/*
 * --warmup: the warmup phase's own figures (issue 13 §4: the report shows both phases).
 * warm_counters were read when the warmup ended, from boot: they are the phase's events.
 */
static void lines_warmup(FILE *out, const struct cli_run *run)
{
	const struct cli_counters *k = &run->warm_counters;
	const struct mmsim_replay_stats *w = &run->warm;
	char a[32], b[32], d[32], e[32];

	if (!run->warmup_records)
		return;
	fprintf(out, "\nwarmup phase: the %s %s records, simulated and not counted above\n",
		run->skip_records ? "next" : "first",
		cli_fmt_count(run->warmup_records, a, sizeof(a)));
	line_page_accesses(out, "  ", w->accesses, w);
	line_faults(out, "  ", k);
	line_swapped(out, "  ", k);
	fprintf(out, "  TLB misses  %14s   page walks %s\n",
		cli_fmt_count(tlb_misses(k), a, sizeof(a)),
		cli_fmt_count(cli_counter(k, "page_walks"), b, sizeof(b)));
	fprintf(out, "  reclaim     %14s   scanned; stolen %s; OOM kills %s\n",
		cli_fmt_count(cli_counter(k, "pgscan_kswapd") + cli_counter(k, "pgscan_direct"), a,
			      sizeof(a)),
		cli_fmt_count(cli_counter(k, "pgsteal_kswapd") + cli_counter(k, "pgsteal_direct"),
			      d, sizeof(d)),
		cli_fmt_count(cli_counter(k, "oom_kill"), e, sizeof(e)));
}

static void proc_table(FILE *out, const struct cli_run *run)
{
	bool trace = run->workload == NULL;
	char a[32], b[32];

	fprintf(out, "\n%7s%s %12s %10s %11s %11s %11s %9s  %s\n", "PID", trace ? " TRACE-PID" : "",
		"minflt", "majflt", "VmRSS", "VmHWM", "VmSwap", "VmPTE", "state");
	for (size_t i = 0; i < run->procs.nr; i++) {
		const struct cli_proc *p = &run->procs.p[i];
		char tpid[16] = "";

		if (trace)
			snprintf(tpid, sizeof(tpid), " %9" PRId64, p->trace_pid);
		fprintf(out,
			"%7d%s %12s %10s %8" PRIu64 " kB %8" PRIu64 " kB %8" PRIu64 " kB %6" PRIu64
			" kB  %s\n",
			p->pid, tpid, cli_fmt_count(p->st.minflt, a, sizeof(a)),
			cli_fmt_count(p->st.majflt, b, sizeof(b)), p->st.rss_kb, p->st.hwm_kb,
			p->st.swap_kb, p->st.vmpte_kb, cli_proc_state_name(p->state));
	}
}

/* The kill lines, first and last in the report: a killed process is never a quiet
 * success (issue 13). */
static void lines_killed(FILE *out, const struct cli_run *run)
{
	char a[32], b[32], c[32], d[32], e[32];
	uint64_t total = run->workload ? 0 : run->replay.accesses + run->warm.accesses;

	if (!cli_run_nr_killed(run))
		return;
	for (size_t i = 0; i < run->procs.nr; i++) {
		const struct cli_proc *p = &run->procs.p[i];

		if (p->state != CLI_PROC_KILLED)
			continue;
		if (run->workload) {
			fprintf(out, "KILLED: pid %d was OOM-killed; peak RSS (VmHWM) %s\n", p->pid,
				cli_fmt_bytes(p->st.hwm_kb * 1024, a, sizeof(a)));
			continue;
		}
		fprintf(out,
			"KILLED: pid %d was OOM-killed after %s of %s accesses; %s were not "
			"simulated; peak RSS (VmHWM) %s\n",
			p->pid,
			cli_fmt_count(p->rs.killed_at == UINT64_MAX ? total : p->rs.killed_at, a,
				      sizeof(a)),
			cli_fmt_count(total, b, sizeof(b)),
			cli_fmt_count(p->rs.skipped, c, sizeof(c)),
			cli_fmt_bytes(p->st.hwm_kb * 1024, d, sizeof(d)));
	}
	if (run->footprint_pages)
		fprintf(out,
			"        the trace touches %s in all: --swap %" PRIu64 "M (with this RAM) "
			"or --mem %" PRIu64 "M would hold it\n",
			cli_fmt_bytes(run->footprint_pages * PAGE_BYTES, e, sizeof(e)),
			cli_run_fit_swap_bytes(run) >> 20, cli_run_fit_mem_bytes(run) >> 20);
	else
		fprintf(out,
			"        more --mem or --swap than the %s RAM and %s swap given would "
			"hold it\n",
			cli_fmt_bytes(run->cfg.mem_bytes, a, sizeof(a)),
			cli_fmt_bytes(run->cfg.swap_bytes, b, sizeof(b)));
	fprintf(out, "        %s\n",
		run->allow_kill ? "--allow-kill: exit status 0"
				: "exit status 3 (--allow-kill makes it 0)");
}

void cli_report_summary(FILE *out, const struct cli_run *run)
{
	line_input(out, run);
	lines_killed(out, run);
	line_machine(out, run);
	line_result(out, run);
	lines_counters(out, run);
	lines_warmup(out, run);
	proc_table(out, run);
	if (cli_run_nr_killed(run)) {
		fputc('\n', out);
		lines_killed(out, run);
	}
}
