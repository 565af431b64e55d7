/*
 * cli/cmd_experiment.c: `mmsim experiment NAME [OPTIONS]`: runs an experiment of
 * mmsim/experiment.h and prints its result as a table or as JSON. Only parsing and
 * printing live here; the experiment itself is in the library.
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "cli.h"
#include "mmsim/error.h"
#include "mmsim/experiment.h"

static const char experiment_usage[] =
	"usage: mmsim experiment NAME [OPTIONS]\n"
	"\n"
	"Experiments:\n"
	"  fragmentation   contiguous segments (first or best fit) versus paging on one\n"
	"                  seeded workload over the same physical memory\n"
	"  switch          a workload switch with and without proactive reclaim before it\n"
	"  pagesize        what if the base page were 4, 8, 16 or 64 KiB (NOT x86): faults,\n"
	"                  table memory, TLB misses and unused bytes on a trace\n"
	"\n"
	"'mmsim experiment NAME --help' describes an experiment and its options.\n";

static const char frag_usage[] =
	"usage: mmsim experiment fragmentation [--seed N] [--steps N] [--mem SIZE]\n"
	"                                      [--sizes small|mixed|large|MIN:MAX]\n"
	"                                      [--fit first|best] [--fill PCT] [--json]\n"
	"                                      [--plot FILE]\n"
	"\n"
	"Boots a machine with SIZE of RAM and serves one random workload of allocations and\n"
	"frees twice over the frames the kernel's buddy allocator manages: (a) each request as\n"
	"one contiguous segment, placed first fit or best fit; (b) each request as order-0\n"
	"frames from the buddy allocator plus the x86-64 page-table pages that map them\n"
	"(paging: the frames need not be contiguous). Both sides see the same requests and\n"
	"frees; demand hovers around the memory size, so requests fail on both sides for lack\n"
	"of memory, and on the segment side also for lack of a large enough hole.\n"
	"\n"
	"Reported per side: requests and failures, failures although enough frames were free\n"
	"in total, the peak and mean share of frames in use, and the external fragmentation\n"
	"1 - (largest run of free frames) / (free frames), its mean over steps, its maximum\n"
	"and its value at peak use. Paging does not need free runs, so its fragmentation\n"
	"figure describes physical memory but causes no failure.\n"
	"\n"
	"Huge pages and compaction: the same kind of workload is then served by a process of a\n"
	"full machine (no swap): each request an anonymous mapping, populated, its pages\n"
	"movable; demand hovers around PCT of the frames. Reported: free 2 MiB blocks (order\n"
	"9, as /proc/buddyinfo) and the unusable index for order 9 before and after\n"
	"compact_memory; then free frames / 1024 regions of 2 MiB given MADV_HUGEPAGE are\n"
	"written once each, on three fresh machines: defrag=never (no compaction),\n"
	"defrag=madvise (direct compaction in the fault) and compact_memory first with\n"
	"defrag=never; the THP success rate is thp_fault_alloc over those faults.\n"
	"\n"
	"Options:\n"
	"  --seed N          workload seed (default 1)\n"
	"  --steps N         allocations plus frees (default 10000)\n"
	"  --mem SIZE        RAM, e.g. 64M, 1G (default 64M; 4M to 64G)\n"
	"  --sizes S         request sizes, log-uniform: small = 4K:64K, mixed = 4K:4M\n"
	"                    (default), large = 1M:8M, or MIN:MAX with sizes like 16K:2M\n"
	"  --fit first|best  hole choice of the segment allocator (default first)\n"
	"  --fill PCT        huge-page part: demand level, 1 to 90 percent of the frames\n"
	"                    (default 50); 0 skips the part\n"
	"  --json            print the result as JSON\n"
	"  --plot FILE       draw the THP success rate against the faults tried, one line\n"
	"                    per row (FILE.svg or FILE.png; needs gnuplot)\n"
	"  -h, --help        this text\n";

enum frag_opt {
	OPT_SEED = 256,
	OPT_STEPS,
	OPT_MEM,
	OPT_SIZES,
	OPT_FIT,
	OPT_JSON,
	OPT_FILL,
	OPT_PLOT,
};

static int parse_sizes(const char *s, struct mmsim_frag_config *cfg)
{
	const char *colon = strchr(s, ':');
	unsigned long long lo, hi;
	char buf[64];

	if (!colon)
		return mmsim_frag_sizes_preset(s, &cfg->min_bytes, &cfg->max_bytes);
	if ((size_t)(colon - s) >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, s, (size_t)(colon - s));
	buf[colon - s] = '\0';
	if (cli_parse_size(buf, &lo) || cli_parse_size(colon + 1, &hi))
		return -EINVAL;
	cfg->min_bytes = lo;
	cfg->max_bytes = hi;
	return 0;
}

static void add_side(cJSON *root, const char *name, const struct mmsim_frag_side *s)
{
	cJSON *o = cJSON_AddObjectToObject(root, name);

	cJSON_AddNumberToObject(o, "requests", (double)s->requests);
	cJSON_AddNumberToObject(o, "failed", (double)s->failed);
	cJSON_AddNumberToObject(o, "failed_enough_free", (double)s->failed_enough_free);
	cJSON_AddNumberToObject(o, "pages_granted", (double)s->pages_granted);
	cJSON_AddNumberToObject(o, "peak_used_pages", (double)s->peak_used_pages);
	cJSON_AddNumberToObject(o, "peak_overhead_pages", (double)s->peak_overhead_pages);
	cJSON_AddNumberToObject(o, "peak_used_fraction", s->peak_used_fraction);
	cJSON_AddNumberToObject(o, "mean_used_fraction", s->mean_used_fraction);
	cJSON_AddNumberToObject(o, "extfrag_mean", s->extfrag_mean);
	cJSON_AddNumberToObject(o, "extfrag_max", s->extfrag_max);
	cJSON_AddNumberToObject(o, "extfrag_at_peak", s->extfrag_at_peak);
}

static void add_thp(cJSON *root, const struct mmsim_frag_thp *t)
{
	cJSON *o = cJSON_AddObjectToObject(root, "thp");
	cJSON *rows;

	cJSON_AddNumberToObject(o, "usable_pages", (double)t->usable_pages);
	cJSON_AddNumberToObject(o, "target_pages", (double)t->target_pages);
	cJSON_AddNumberToObject(o, "requests", (double)t->requests);
	cJSON_AddNumberToObject(o, "failed", (double)t->failed);
	cJSON_AddNumberToObject(o, "live_pages", (double)t->live_pages);
	cJSON_AddNumberToObject(o, "free_pages_before", (double)t->free_pages_before);
	cJSON_AddNumberToObject(o, "order9_before", (double)t->order9_before);
	cJSON_AddNumberToObject(o, "unusable9_before", t->unusable9_before);
	cJSON_AddNumberToObject(o, "compact_migrated", (double)t->compact_migrated);
	cJSON_AddNumberToObject(o, "free_pages_after", (double)t->free_pages_after);
	cJSON_AddNumberToObject(o, "order9_after", (double)t->order9_after);
	cJSON_AddNumberToObject(o, "unusable9_after", t->unusable9_after);
	rows = cJSON_AddObjectToObject(o, "rows");
	for (int i = 0; i < MMSIM_FRAG_THP_NR_ROWS; i++) {
		const struct mmsim_frag_thp_result *r = &t->rows[i];
		cJSON *row = cJSON_AddObjectToObject(rows, mmsim_frag_thp_row_name(i));

		cJSON_AddNumberToObject(row, "attempts", (double)r->attempts);
		cJSON_AddNumberToObject(row, "order9_blocks", (double)r->order9_blocks);
		cJSON_AddNumberToObject(row, "thp_fault_alloc", (double)r->thp_fault_alloc);
		cJSON_AddNumberToObject(row, "thp_fault_fallback", (double)r->thp_fault_fallback);
		cJSON_AddNumberToObject(row, "compact_stall", (double)r->compact_stall);
		cJSON_AddNumberToObject(row, "compact_success", (double)r->compact_success);
		cJSON_AddNumberToObject(row, "compact_fail", (double)r->compact_fail);
		cJSON_AddNumberToObject(row, "pgmigrate_success", (double)r->pgmigrate_success);
		cJSON_AddNumberToObject(row, "success_fraction", r->success_fraction);
	}
}

static int print_json(const struct mmsim_frag_result *r)
{
	cJSON *root = cJSON_CreateObject();
	cJSON *cfg;

	if (!root)
		return CLI_EXIT_FAILED;
	cJSON_AddStringToObject(root, "experiment", "fragmentation");
	cfg = cJSON_AddObjectToObject(root, "config");
	cJSON_AddNumberToObject(cfg, "seed", (double)r->config.seed);
	cJSON_AddNumberToObject(cfg, "steps", (double)r->config.steps);
	cJSON_AddNumberToObject(cfg, "mem_bytes", (double)r->config.mem_bytes);
	cJSON_AddNumberToObject(cfg, "min_pages", (double)r->min_pages);
	cJSON_AddNumberToObject(cfg, "max_pages", (double)r->max_pages);
	cJSON_AddStringToObject(cfg, "fit",
				r->config.fit == MMSIM_FRAG_BEST_FIT ? "best" : "first");
	cJSON_AddNumberToObject(root, "usable_pages", (double)r->usable_pages);
	cJSON_AddNumberToObject(root, "allocs", (double)r->allocs);
	cJSON_AddNumberToObject(root, "frees", (double)r->frees);
	add_side(root, "segments", &r->segments);
	add_side(root, "paging", &r->paging);
	if (r->thp.ran) {
		cJSON_AddNumberToObject(cfg, "fill_percent", r->config.thp_fill_percent);
		add_thp(root, &r->thp);
	}
	return cli_print_json(root);
}

static void row_u(const char *label, uint64_t a, uint64_t b)
{
	printf("%-40s %14llu %14llu\n", label, (unsigned long long)a, (unsigned long long)b);
}

static void row_pct(const char *label, double a, double b)
{
	printf("%-40s %13.1f%% %13.1f%%\n", label, a * 100.0, b * 100.0);
}

static void row_f(const char *label, double a, double b)
{
	printf("%-40s %14.3f %14.3f\n", label, a, b);
}

static void print_table(const struct mmsim_frag_result *r)
{
	const struct mmsim_frag_side *s = &r->segments, *p = &r->paging;

	printf("fragmentation: seed %llu, %llu steps (%llu allocations, %llu frees), "
	       "%llu MiB RAM, %llu usable frames,\n"
	       "requests of %llu..%llu pages (log-uniform)\n\n",
	       (unsigned long long)r->config.seed, (unsigned long long)r->config.steps,
	       (unsigned long long)r->allocs, (unsigned long long)r->frees,
	       (unsigned long long)(r->config.mem_bytes >> 20), (unsigned long long)r->usable_pages,
	       (unsigned long long)r->min_pages, (unsigned long long)r->max_pages);
	printf("%-40s %14s %14s\n", "",
	       r->config.fit == MMSIM_FRAG_BEST_FIT ? "segments/best" : "segments/first", "paging");
	row_u("requests", s->requests, p->requests);
	row_u("failed", s->failed, p->failed);
	row_u("  of which with enough free frames", s->failed_enough_free, p->failed_enough_free);
	row_u("pages granted", s->pages_granted, p->pages_granted);
	row_u("peak frames in use", s->peak_used_pages, p->peak_used_pages);
	row_u("  of which page tables", s->peak_overhead_pages, p->peak_overhead_pages);
	row_pct("peak use (of usable frames)", s->peak_used_fraction, p->peak_used_fraction);
	row_pct("mean use (of usable frames)", s->mean_used_fraction, p->mean_used_fraction);
	row_f("ext. fragmentation, mean", s->extfrag_mean, p->extfrag_mean);
	row_f("ext. fragmentation, max", s->extfrag_max, p->extfrag_max);
	row_f("ext. fragmentation at peak use", s->extfrag_at_peak, p->extfrag_at_peak);
	printf("\next. fragmentation = 1 - largest run of free frames / free frames; paging needs "
	       "no run,\nso on that side it describes physical memory and causes no failure.\n");
}

static void print_thp(const struct mmsim_frag_result *res)
{
	const struct mmsim_frag_thp *t = &res->thp;

	printf("\nhuge pages and compaction: one process, requests as anonymous mappings "
	       "(movable pages),\ndemand around %u%% of %llu frames: %llu requests, %llu "
	       "refused, %llu pages live at the end\n\n",
	       res->config.thp_fill_percent, (unsigned long long)t->usable_pages,
	       (unsigned long long)t->requests, (unsigned long long)t->failed,
	       (unsigned long long)t->live_pages);
	printf("%-40s %14s %14s\n", "", "before", "after compact");
	row_u("free frames", t->free_pages_before, t->free_pages_after);
	row_u("free 2 MiB blocks (order >= 9)", t->order9_before, t->order9_after);
	row_f("unusable index, order 9", t->unusable9_before, t->unusable9_after);
	printf("%-40s %14s %14llu\n", "pages migrated", "",
	       (unsigned long long)t->compact_migrated);
	printf("\n%-24s %9s %9s %9s %9s %9s %9s %9s\n", "THP faults", "tried", "2M free", "alloc",
	       "fallback", "success", "stalls", "migrated");
	for (int i = 0; i < MMSIM_FRAG_THP_NR_ROWS; i++) {
		static const char *const label[MMSIM_FRAG_THP_NR_ROWS] = {
			"defrag=never", "defrag=madvise (direct)", "compact_memory, never"
		};
		const struct mmsim_frag_thp_result *r = &t->rows[i];

		printf("%-24s %9llu %9llu %9llu %9llu %8.1f%% %9llu %9llu\n", label[i],
		       (unsigned long long)r->attempts, (unsigned long long)r->order9_blocks,
		       (unsigned long long)r->thp_fault_alloc,
		       (unsigned long long)r->thp_fault_fallback, r->success_fraction * 100.0,
		       (unsigned long long)r->compact_stall,
		       (unsigned long long)r->pgmigrate_success);
	}
	printf("\nunusable index = share of free frames not in free 2 MiB blocks (Linux "
	       "unusable_free_index);\nstalls: direct compactions (compact_stall); each row "
	       "ran on a fresh machine.\n");
}

static int plot_thp(const struct mmsim_frag_result *r, const char *gnuplot, const char *file)
{
	static uint64_t x[MMSIM_FRAG_THP_POINTS];
	static double y[MMSIM_FRAG_THP_NR_ROWS][MMSIM_FRAG_THP_POINTS];
	struct cli_curve curves[MMSIM_FRAG_THP_NR_ROWS];
	char title[160];

	for (int i = 0; i < MMSIM_FRAG_THP_POINTS; i++)
		x[i] = (uint64_t)(i + 1) * 100 / MMSIM_FRAG_THP_POINTS;
	for (int row = 0; row < MMSIM_FRAG_THP_NR_ROWS; row++) {
		for (int i = 0; i < MMSIM_FRAG_THP_POINTS; i++)
			y[row][i] = r->thp.rows[row].success_at[i] * 100.0;
		curves[row] = (struct cli_curve){ .name = mmsim_frag_thp_row_name(row),
						  .nr = MMSIM_FRAG_THP_POINTS,
						  .x = x,
						  .y = y[row] };
	}
	snprintf(title, sizeof(title),
		 "THP faults after the fragmentation workload: seed %llu, %llu MiB, fill %u%%",
		 (unsigned long long)r->config.seed,
		 (unsigned long long)(r->config.mem_bytes >> 20), r->config.thp_fill_percent);
	return cli_plot_lines("experiment", gnuplot, file, title, "faults tried (% of them)",
			      "huge pages got so far (%)", false, curves, MMSIM_FRAG_THP_NR_ROWS);
}

static int run_fragmentation(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "seed", required_argument, NULL, OPT_SEED },
		{ "steps", required_argument, NULL, OPT_STEPS },
		{ "mem", required_argument, NULL, OPT_MEM },
		{ "sizes", required_argument, NULL, OPT_SIZES },
		{ "fit", required_argument, NULL, OPT_FIT },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "fill", required_argument, NULL, OPT_FILL },
		{ "plot", required_argument, NULL, OPT_PLOT },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *plot_file = NULL;
	char gnuplot[4096];
	uint64_t fill;
	int rc;
	struct mmsim_frag_config cfg;
	struct mmsim_frag_result res;
	struct mmsim_error err = { 0 };
	unsigned long long mem;
	bool json = false;
	int c;

	mmsim_frag_config_default(&cfg);
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case OPT_SEED:
			if (cli_parse_count(optarg, &cfg.seed))
				return cli_usage_error("experiment",
						       "--seed takes a number, not '%s'", optarg);
			break;
		case OPT_STEPS:
			if (cli_parse_count(optarg, &cfg.steps))
				return cli_usage_error("experiment",
						       "--steps takes a number, not '%s'", optarg);
			break;
		case OPT_MEM:
			if (cli_parse_size(optarg, &mem))
				return cli_usage_error("experiment",
						       "--mem takes a size such as 64M, "
						       "not '%s'",
						       optarg);
			cfg.mem_bytes = mem;
			break;
		case OPT_SIZES:
			if (parse_sizes(optarg, &cfg))
				return cli_usage_error("experiment",
						       "--sizes takes small, mixed, large "
						       "or MIN:MAX, not '%s'",
						       optarg);
			break;
		case OPT_FIT:
			if (!strcmp(optarg, "first"))
				cfg.fit = MMSIM_FRAG_FIRST_FIT;
			else if (!strcmp(optarg, "best"))
				cfg.fit = MMSIM_FRAG_BEST_FIT;
			else
				return cli_usage_error("experiment",
						       "--fit takes first or best, not "
						       "'%s'",
						       optarg);
			break;
		case OPT_JSON:
			json = true;
			break;
		case OPT_FILL:
			if (cli_parse_count(optarg, &fill) || fill > 90)
				return cli_usage_error("experiment",
						       "--fill takes a percentage from 0 to 90, "
						       "not '%s'",
						       optarg);
			cfg.thp_fill_percent = (unsigned int)fill;
			break;
		case OPT_PLOT:
			plot_file = optarg;
			break;
		case 'h':
			fputs(frag_usage, stdout);
			return CLI_EXIT_OK;
		default:
			return cli_experiment_bad_option("fragmentation", argv);
		}
	}
	if (optind < argc)
		return cli_usage_error("experiment", "unexpected argument '%s'", argv[optind]);
	if (plot_file) {
		if (!cfg.thp_fill_percent)
			return cli_usage_error("experiment",
					       "--plot draws the huge-page part, which --fill 0 "
					       "skips");
		rc = cli_need_gnuplot("experiment", plot_file, gnuplot, sizeof(gnuplot));
		if (rc)
			return rc;
	}
	if (mmsim_experiment_fragmentation(&cfg, &res, &err))
		return cli_experiment_failed(err.code, &err);
	if (json) {
		rc = print_json(&res);
	} else {
		print_table(&res);
		if (res.thp.ran)
			print_thp(&res);
		rc = CLI_EXIT_OK;
	}
	if (!rc && plot_file)
		rc = plot_thp(&res, gnuplot, plot_file);
	return rc;
}

int cli_experiment_bad_option(const char *name, char **argv)
{
	return cli_usage_error(
		"experiment",
		"unknown or incomplete option '%s' (see 'mmsim experiment %s --help')",
		argv[optind - 1], name);
}

int cli_experiment_failed(int code, const struct mmsim_error *err)
{
	fprintf(stderr, "mmsim experiment: %s\n", err->msg);
	return code == -EINVAL ? CLI_EXIT_USAGE : CLI_EXIT_FAILED;
}

int cli_cmd_experiment(int argc, char **argv)
{
	if (argc < 2) {
		fputs(experiment_usage, stderr);
		return CLI_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		fputs(experiment_usage, stdout);
		return CLI_EXIT_OK;
	}
	if (!strcmp(argv[1], "fragmentation"))
		return run_fragmentation(argc - 1, argv + 1);
	if (!strcmp(argv[1], "switch"))
		return cli_experiment_switch(argc - 1, argv + 1);
	if (!strcmp(argv[1], "pagesize"))
		return cli_experiment_pagesize(argc - 1, argv + 1);
	return cli_usage_error("experiment",
			       "unknown experiment '%s'; valid experiments: "
			       "fragmentation, switch, pagesize",
			       argv[1]);
}
