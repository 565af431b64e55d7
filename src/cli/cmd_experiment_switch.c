/*
 * cli/cmd_experiment_switch.c: `mmsim experiment switch`: a workload switch with and
 * without proactive reclaim before it (mmsim/experiment.h), as a table, JSON or a plot.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cJSON.h"
#include "cli.h"
#include "mmsim/error.h"
#include "mmsim/experiment.h"

static const char switch_usage[] =
	"usage: mmsim experiment switch [--mem SIZE] [--swap SIZE] [--policy NAME]\n"
	"                               [--a SIZE] [--b SIZE] [--a-rounds N] [--b-rounds N]\n"
	"                               [--touches N] [--cost KEY=NS,...] [--seed N]\n"
	"                               [--json] [--plot FILE]\n"
	"\n"
	"Does proactive reclaim before a workload switch pay? Process A writes its working\n"
	"set and goes idle. Then, on a fresh machine for each row, the switch is prepared in\n"
	"one of four ways: none; MADV_PAGEOUT over A (process_madvise); cgroup v2\n"
	"memory.reclaim of B's size; hibernation's shrink_all_memory(). Process B then writes\n"
	"its working set, and A comes back for one pass. Each pass stores to every page\n"
	"--touches times, in address order.\n"
	"\n"
	"Per row: what the preparation freed and wrote to swap; for B after the switch and for\n"
	"A's return: minor and major faults, direct-reclaim stalls (allocstall), pages scanned\n"
	"and freed by direct reclaim and by kswapd, swap traffic, and a modelled time.\n"
	"The time is a model, not a measurement (mmsim counts events; it does not time them):\n"
	"  accesses x access + minor faults x minor + major faults x major\n"
	"  + pages direct reclaim scans x scan + pages it frees x pageout\n"
	"kswapd's work and the preparation are off the task's path and shown apart in the\n"
	"same model. mmsim's kswapd runs after each access until the high watermark is met,\n"
	"so it keeps up with one-page faults: a preparation mostly moves work, it rarely\n"
	"removes direct-reclaim stalls.\n"
	"\n"
	"Options:\n"
	"  --mem SIZE        RAM (default 64M)\n"
	"  --swap SIZE       swap (default 256M)\n"
	"  --policy NAME     page replacement, as mmsim run --policy (default linux)\n"
	"  --a SIZE, --b SIZE  working sets of A and B (default 40M each)\n"
	"  --a-rounds N      A's passes before the switch (default 2)\n"
	"  --b-rounds N      B's passes after it (default 2)\n"
	"  --touches N       stores per page per pass, dividing 512 (default 8)\n"
	"  --cost LIST       the model's nanoseconds, e.g. major=100000,pageout=20000; keys\n"
	"                    access (1), minor (1000), major (25000: a 4 KiB read from an\n"
	"                    SSD and the fault), scan (50), pageout (5000)\n"
	"  --seed N          the machines' seed (default 1)\n"
	"  --json            print the result as JSON\n"
	"  --plot FILE       draw B's modelled time against its progress, one line per row\n"
	"                    (FILE.svg or FILE.png; needs gnuplot)\n"
	"  -h, --help        this text\n";

enum switch_opt {
	OPT_MEM = 256,
	OPT_SWAP,
	OPT_POLICY,
	OPT_A,
	OPT_B,
	OPT_A_ROUNDS,
	OPT_B_ROUNDS,
	OPT_TOUCHES,
	OPT_COST,
	OPT_SEED,
	OPT_JSON,
	OPT_PLOT,
};

/* --NAME of an option's code, for messages. */
static const char *opt_name(const struct option *opts, int c)
{
	for (; opts->name; opts++) {
		if (opts->val == c)
			return opts->name;
	}
	return "?";
}

static int parse_cost(char *list, struct mmsim_switch_config *c)
{
	struct {
		const char *key;
		uint64_t *v;
	} keys[] = { { "access", &c->access_ns },
		     { "minor", &c->minor_ns },
		     { "major", &c->major_ns },
		     { "scan", &c->scan_ns },
		     { "pageout", &c->pageout_ns } };
	char *save = NULL;

	for (char *kv = strtok_r(list, ",", &save); kv; kv = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(kv, '=');
		size_t i;

		if (!eq)
			return cli_usage_error("experiment", "--cost takes KEY=NS, not '%s'", kv);
		*eq = '\0';
		for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
			if (!strcmp(kv, keys[i].key))
				break;
		}
		if (i == sizeof(keys) / sizeof(keys[0]))
			return cli_usage_error("experiment",
					       "--cost: unknown key '%s' (access, minor, major, "
					       "scan, pageout)",
					       kv);
		if (cli_parse_count(eq + 1, keys[i].v))
			return cli_usage_error("experiment",
					       "--cost %s takes nanoseconds, not '%s'", kv, eq + 1);
	}
	return 0;
}

static void add_phase(cJSON *o, const char *name, const struct mmsim_switch_phase *p)
{
	cJSON *j = cJSON_AddObjectToObject(o, name);

	cJSON_AddNumberToObject(j, "accesses", (double)p->accesses);
	cJSON_AddNumberToObject(j, "minflt", (double)p->minflt);
	cJSON_AddNumberToObject(j, "majflt", (double)p->majflt);
	cJSON_AddNumberToObject(j, "allocstall", (double)p->allocstall);
	cJSON_AddNumberToObject(j, "pgscan_direct", (double)p->pgscan_direct);
	cJSON_AddNumberToObject(j, "pgsteal_direct", (double)p->pgsteal_direct);
	cJSON_AddNumberToObject(j, "pgscan_kswapd", (double)p->pgscan_kswapd);
	cJSON_AddNumberToObject(j, "pgsteal_kswapd", (double)p->pgsteal_kswapd);
	cJSON_AddNumberToObject(j, "pswpin", (double)p->pswpin);
	cJSON_AddNumberToObject(j, "pswpout", (double)p->pswpout);
	cJSON_AddNumberToObject(j, "model_ms", p->time_ms);
	cJSON_AddNumberToObject(j, "kswapd_model_ms", p->kswapd_ms);
}

static int print_json(const struct mmsim_switch_result *r)
{
	const struct mmsim_switch_config *c = &r->config;
	cJSON *root = cJSON_CreateObject(), *cfg, *cost, *rows;

	if (!root)
		return CLI_EXIT_FAILED;
	cJSON_AddStringToObject(root, "experiment", "switch");
	cfg = cJSON_AddObjectToObject(root, "config");
	cJSON_AddNumberToObject(cfg, "mem_bytes", (double)c->mem_bytes);
	cJSON_AddNumberToObject(cfg, "swap_bytes", (double)c->swap_bytes);
	cJSON_AddStringToObject(cfg, "policy", c->policy);
	cJSON_AddNumberToObject(cfg, "a_bytes", (double)c->a_bytes);
	cJSON_AddNumberToObject(cfg, "b_bytes", (double)c->b_bytes);
	cJSON_AddNumberToObject(cfg, "a_rounds", c->a_rounds);
	cJSON_AddNumberToObject(cfg, "b_rounds", c->b_rounds);
	cJSON_AddNumberToObject(cfg, "touches", c->touches);
	cJSON_AddNumberToObject(cfg, "seed", (double)c->seed);
	cost = cJSON_AddObjectToObject(cfg, "model_ns");
	cJSON_AddNumberToObject(cost, "access", (double)c->access_ns);
	cJSON_AddNumberToObject(cost, "minor", (double)c->minor_ns);
	cJSON_AddNumberToObject(cost, "major", (double)c->major_ns);
	cJSON_AddNumberToObject(cost, "scan", (double)c->scan_ns);
	cJSON_AddNumberToObject(cost, "pageout", (double)c->pageout_ns);
	rows = cJSON_AddArrayToObject(root, "rows");
	for (int p = 0; p < MMSIM_SWITCH_NR_PREPS; p++) {
		const struct mmsim_switch_row *row = &r->rows[p];
		cJSON *o = cJSON_CreateObject(), *at;

		cJSON_AddItemToArray(rows, o);
		cJSON_AddStringToObject(o, "prepare", mmsim_switch_prep_name(row->prep));
		cJSON_AddNumberToObject(o, "reclaimed_bytes", (double)row->reclaimed_bytes);
		cJSON_AddNumberToObject(o, "prepare_pswpout", (double)row->prep_pswpout);
		cJSON_AddNumberToObject(o, "prepare_model_ms", row->prep_ms);
		add_phase(o, "a", &row->a);
		add_phase(o, "b", &row->b);
		add_phase(o, "a_back", &row->a_back);
		at = cJSON_AddArrayToObject(o, "b_model_ms_at");
		for (int i = 0; i < MMSIM_SWITCH_POINTS; i++)
			cJSON_AddItemToArray(at, cJSON_CreateNumber(row->b_ms_at[i]));
	}
	return cli_print_json(root);
}

static void print_table(const struct mmsim_switch_result *r)
{
	const struct mmsim_switch_config *c = &r->config;

	printf("Workload switch: A writes %" PRIu64 " MiB (%u passes) and goes idle; B writes "
	       "%" PRIu64 " MiB (%u passes); A comes back (1 pass).\n",
	       c->a_bytes >> 20, c->a_rounds, c->b_bytes >> 20, c->b_rounds);
	printf("Machine: %" PRIu64 " MiB RAM, %" PRIu64 " MiB swap, policy %s, %u stores a page "
	       "a pass.\n",
	       c->mem_bytes >> 20, c->swap_bytes >> 20, c->policy, c->touches);
	printf("Time is a model (ns): access %" PRIu64 ", minor fault %" PRIu64
	       ", major fault %" PRIu64 ", direct scan %" PRIu64 " and pageout %" PRIu64
	       " a page.\n\n",
	       c->access_ns, c->minor_ns, c->major_ns, c->scan_ns, c->pageout_ns);
	printf("%-15s %-29s | %-62s | %s\n", "", "prepared", "B after the switch", "A back");
	printf("%-15s %9s %9s %9s | %8s %8s %6s %8s %8s %9s %9s | %8s %9s\n", "prepare", "freed",
	       "swapped", "cost ms", "minflt", "majflt", "stalls", "direct", "kswapd", "time ms",
	       "kswapd ms", "majflt", "time ms");
	for (int p = 0; p < MMSIM_SWITCH_NR_PREPS; p++) {
		const struct mmsim_switch_row *row = &r->rows[p];

		printf("%-15s %8" PRIu64 "M %9" PRIu64 " %9.1f | %8" PRIu64 " %8" PRIu64
		       " %6" PRIu64 " %8" PRIu64 " %8" PRIu64 " %9.1f %9.1f | %8" PRIu64 " %9.1f\n",
		       mmsim_switch_prep_name(row->prep), row->reclaimed_bytes >> 20,
		       row->prep_pswpout, row->prep_ms, row->b.minflt, row->b.majflt,
		       row->b.allocstall, row->b.pgsteal_direct, row->b.pgsteal_kswapd,
		       row->b.time_ms, row->b.kswapd_ms, row->a_back.majflt, row->a_back.time_ms);
	}
	printf("\nfreed: by the preparation; swapped: pages it wrote; direct, kswapd: pages "
	       "freed during B's run\nby direct reclaim (in B's time) and by kswapd (kswapd ms, "
	       "not in B's time); stalls: allocstall.\nmmsim's kswapd runs after each access "
	       "and keeps up with one-page faults: a preparation\nmostly moves its work before "
	       "the switch, and A pays when it comes back.\n");
}

static int plot(const struct mmsim_switch_result *r, const char *file)
{
	static uint64_t x[MMSIM_SWITCH_POINTS];
	struct cli_curve curves[MMSIM_SWITCH_NR_PREPS];
	char gnuplot[4096], title[160];
	int rc = cli_need_gnuplot("experiment", file, gnuplot, sizeof(gnuplot));

	if (rc)
		return rc;
	for (int i = 0; i < MMSIM_SWITCH_POINTS; i++)
		x[i] = (uint64_t)(i + 1) * 100 / MMSIM_SWITCH_POINTS;
	for (int p = 0; p < MMSIM_SWITCH_NR_PREPS; p++)
		curves[p] = (struct cli_curve){ .name = mmsim_switch_prep_name(r->rows[p].prep),
						.nr = MMSIM_SWITCH_POINTS,
						.x = x,
						.y = r->rows[p].b_ms_at };
	snprintf(title, sizeof(title),
		 "B after a switch: %" PRIu64 " MiB RAM, A %" PRIu64 " MiB, B %" PRIu64
		 " MiB, policy %s",
		 r->config.mem_bytes >> 20, r->config.a_bytes >> 20, r->config.b_bytes >> 20,
		 r->config.policy);
	return cli_plot_lines("experiment", gnuplot, file, title, "B's progress (% of its stores)",
			      "B's modelled time (ms)", false, curves, MMSIM_SWITCH_NR_PREPS);
}

int cli_experiment_switch(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "mem", required_argument, NULL, OPT_MEM },
		{ "swap", required_argument, NULL, OPT_SWAP },
		{ "policy", required_argument, NULL, OPT_POLICY },
		{ "a", required_argument, NULL, OPT_A },
		{ "b", required_argument, NULL, OPT_B },
		{ "a-rounds", required_argument, NULL, OPT_A_ROUNDS },
		{ "b-rounds", required_argument, NULL, OPT_B_ROUNDS },
		{ "touches", required_argument, NULL, OPT_TOUCHES },
		{ "cost", required_argument, NULL, OPT_COST },
		{ "seed", required_argument, NULL, OPT_SEED },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "plot", required_argument, NULL, OPT_PLOT },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static struct mmsim_switch_result res;
	struct mmsim_switch_config cfg;
	struct mmsim_error err = { 0 };
	const char *plot_file = NULL;
	unsigned long long size;
	uint64_t n;
	bool json = false;
	int c, rc;

	mmsim_switch_config_default(&cfg);
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case OPT_MEM:
		case OPT_SWAP:
		case OPT_A:
		case OPT_B:
			if (cli_parse_size(optarg, &size))
				return cli_usage_error("experiment",
						       "--%s takes a size such as 64M, not '%s'",
						       opt_name(opts, c), optarg);
			*(c == OPT_MEM	  ? &cfg.mem_bytes
			  : c == OPT_SWAP ? &cfg.swap_bytes
			  : c == OPT_A	  ? &cfg.a_bytes
					  : &cfg.b_bytes) = size;
			break;
		case OPT_POLICY:
			if (strlen(optarg) >= sizeof(cfg.policy))
				return cli_usage_error("experiment", "--policy '%s' is too long",
						       optarg);
			strcpy(cfg.policy, optarg);
			break;
		case OPT_A_ROUNDS:
		case OPT_B_ROUNDS:
		case OPT_TOUCHES:
			if (cli_parse_count(optarg, &n) || n > 100000)
				return cli_usage_error("experiment",
						       "--%s takes a number, not '%s'",
						       opt_name(opts, c), optarg);
			*(c == OPT_A_ROUNDS   ? &cfg.a_rounds
			  : c == OPT_B_ROUNDS ? &cfg.b_rounds
					      : &cfg.touches) = (unsigned int)n;
			break;
		case OPT_COST:
			rc = parse_cost(optarg, &cfg);
			if (rc)
				return rc;
			break;
		case OPT_SEED:
			if (cli_parse_count(optarg, &cfg.seed))
				return cli_usage_error("experiment",
						       "--seed takes a number, not '%s'", optarg);
			break;
		case OPT_JSON:
			json = true;
			break;
		case OPT_PLOT:
			plot_file = optarg;
			break;
		case 'h':
			fputs(switch_usage, stdout);
			return CLI_EXIT_OK;
		default:
			return cli_experiment_bad_option("switch", argv);
		}
	}
	if (optind < argc)
		return cli_usage_error("experiment", "unexpected argument '%s'", argv[optind]);
	if (plot_file) {
		char gnuplot[4096];

		rc = cli_need_gnuplot("experiment", plot_file, gnuplot, sizeof(gnuplot));
		if (rc)
			return rc;
	}
	rc = mmsim_experiment_switch(&cfg, &res, &err);
	if (rc)
		return cli_experiment_failed(rc, &err);
	rc = json ? print_json(&res) : (print_table(&res), CLI_EXIT_OK);
	if (!rc && plot_file)
		rc = plot(&res, plot_file);
	return rc;
}
