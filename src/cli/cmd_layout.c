/*
 * cli/cmd_layout.c: `mmsim layout`: the x86-64 kernel's virtual memory map.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "mmsim/mmsim.h"

static const char layout_usage[] =
	"usage: mmsim layout [--layout classic|modern|la57]\n"
	"\n"
	"Prints the x86-64 kernel's virtual memory map in the style of Linux's\n"
	"Documentation/arch/x86/x86_64/mm.rst, as mmsim boots it:\n"
	"  classic  the 4-level map of older kernels (direct map at 0xffff880000000000)\n"
	"  modern   today's 4-level map (direct map at 0xffff888000000000); the default\n"
	"  la57     the 5-level map (direct map at 0xff11000000000000)\n"
	"The map does not depend on the RAM's size, so --mem is refused.\n";

int cli_cmd_layout(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "layout", required_argument, NULL, 'l' },
		{ "mem", required_argument, NULL, 'm' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct mmsim_config cfg;
	struct mmsim_system *sys;
	struct mmsim_error err = { 0 };
	char *text;
	int c;

	mmsim_config_default(&cfg);
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'l':
			if (mmsim_config_set(&cfg, "layout", optarg, &err))
				return cli_usage_error("layout", "%s", err.msg);
			break;
		case 'm':
			/* issue 13: an option that would change nothing is an error. */
			return cli_usage_error("layout", "--mem does nothing here: the virtual "
							 "memory map is the same for any RAM size");
		case 'h':
			fputs(layout_usage, stdout);
			return CLI_EXIT_OK;
		default:
			return cli_usage_error("layout",
					       "unknown option '%s' (see mmsim layout --help)",
					       argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_usage_error("layout", "unexpected argument '%s'", argv[optind]);
	if (mmsim_system_create(&cfg, &sys, &err)) {
		fprintf(stderr, "mmsim layout: %s\n", err.msg);
		return CLI_EXIT_USAGE;
	}
	if (mmsim_report(sys, NULL, "layout", &text, &err)) {
		fprintf(stderr, "mmsim layout: %s\n", err.msg);
		mmsim_system_destroy(sys);
		return CLI_EXIT_FAILED;
	}
	fputs(text, stdout);
	free(text);
	mmsim_system_destroy(sys);
	return CLI_EXIT_OK;
}
