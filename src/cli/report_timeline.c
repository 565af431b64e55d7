/*
 * cli/report_timeline.c: `mmsim run --timeline FILE.csv --interval N`: one CSV row every N
 * accesses with the machine's free memory, the processes' resident and swapped memory,
 * and the event counters so far (cumulative; difference rows to get rates). The columns
 * are documented in docs/run.md ("Timeline").
 */
#include "report_run.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#define PAGE_KB 4

static uint64_t counter(const struct mmsim_system *sys, const char *name)
{
	uint64_t v = 0;

	mmsim_counter(sys, name, &v);
	return v;
}

int cli_timeline_open(struct cli_timeline *tl, const char *path, uint64_t interval)
{
	char msg[512];
	int rc;

	memset(tl, 0, sizeof(*tl));
	tl->path = path;
	tl->interval = interval;
	tl->next = 0;
	rc = cli_outfile_open(&tl->out, path, msg, sizeof(msg));
	if (rc)
		return rc;
	tl->f = tl->out.f;
	if (fprintf(tl->f,
		    "accesses,free_kb,rss_kb,swap_kb,page_table_kb,pgfault,pgmajfault,"
		    "pswpin,pswpout,pgscan,pgsteal,dtlb_misses,itlb_misses,page_walks\n") < 0)
		tl->failed = true;
	return 0;
}

void cli_timeline_sample(struct cli_timeline *tl, const struct mmsim_system *sys,
			 const struct cli_procs *ps, uint64_t accesses, bool force)
{
	uint64_t rss = 0, swap = 0;

	if (!tl->f || (!force && accesses < tl->next))
		return;
	/* The end falls on a row already written: not twice. */
	if (force && tl->rows && accesses == tl->last)
		return;
	tl->rows++;
	tl->last = accesses;
	tl->next = accesses - accesses % tl->interval + tl->interval;
	for (size_t i = 0; i < ps->nr; i++) {
		struct mmsim_task_stats st;

		if (!ps->p[i].task)
			continue;
		mmsim_task_stats_nowalk(ps->p[i].task, &st);
		rss += st.rss_kb;
		swap += st.swap_kb;
	}
	if (fprintf(tl->f,
		    "%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64
		    ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64
		    ",%" PRIu64 ",%" PRIu64 "\n",
		    accesses, counter(sys, "nr_free_pages") * PAGE_KB, rss, swap,
		    counter(sys, "nr_page_table_pages") * PAGE_KB, counter(sys, "pgfault"),
		    counter(sys, "pgmajfault"), counter(sys, "pswpin"), counter(sys, "pswpout"),
		    counter(sys, "pgscan_kswapd") + counter(sys, "pgscan_direct"),
		    counter(sys, "pgsteal_kswapd") + counter(sys, "pgsteal_direct"),
		    counter(sys, "dTLB-load-misses") + counter(sys, "dTLB-store-misses"),
		    counter(sys, "iTLB-load-misses"), counter(sys, "page_walks")) < 0)
		tl->failed = true;
}

int cli_timeline_close(struct cli_timeline *tl)
{
	int rc = tl->failed ? -EIO : 0;

	if (!tl->f)
		return 0;
	if (rc) {
		cli_outfile_abort(&tl->out);
	} else {
		char msg[512];

		if (cli_outfile_commit(&tl->out, msg, sizeof(msg)))
			rc = -EIO;
	}
	tl->f = NULL;
	return rc;
}
