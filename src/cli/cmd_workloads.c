/*
 * cli/cmd_workloads.c: `mmsim workloads`: the built-in workloads, one line each.
 */
#include <getopt.h>
#include <stdio.h>

#include "cli.h"
#include "mmsim/workloads.h"

static const char workloads_usage[] =
	"usage: mmsim workloads\n"
	"\n"
	"Lists the built-in workloads `mmsim run --workload NAME` runs: real computations\n"
	"whose memory lives in the simulated machine, each checking its own result. Each line\n"
	"gives the name, what it does, and the machine it sets up before your options (sized\n"
	"so that reclaim and swap happen in a run of a few seconds). The first is the one\n"
	"`mmsim run` runs by default. docs/workloads.md describes each.\n";

int cli_cmd_workloads(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (c == 'h') {
			fputs(workloads_usage, stdout);
			return CLI_EXIT_OK;
		}
		return cli_usage_error("workloads",
				       "unknown option '%s' (see mmsim workloads --help)",
				       argv[optind - 1]);
	}
	if (optind < argc)
		return cli_usage_error("workloads", "takes no arguments, not '%s'", argv[optind]);
	for (size_t i = 0; i < mmsim_workload_count(); i++) {
		const struct mmsim_workload_info *w = mmsim_workload_at(i);

		printf("%-8s %s [%s]%s\n", w->name, w->summary, w->config,
		       w == mmsim_workload_default() ? " (default)" : "");
	}
	return CLI_EXIT_OK;
}
