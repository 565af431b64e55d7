/*
 * cli/main.c: the mmsim command: a table of subcommands, --help and --version.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const struct cli_command commands[] = {
	{ "run", "run a workload or replay a memory trace, and report what memory did",
	  cli_cmd_run },
	{ "sweep", "replay a trace for every policy and frame count: CSV, miss-ratio plot",
	  cli_cmd_sweep },
	{ "mrc", "miss-ratio curves: LRU and OPT exact in one pass, or sampled (SHARDS)",
	  cli_cmd_mrc },
	{ "merge", "join the partial results of sweep or mrc --shard into one result",
	  cli_cmd_merge },
	{ "record", "record a program's memory accesses with valgrind into a trace",
	  cli_cmd_record },
	{ "convert", "convert a trace between formats and compressions", cli_cmd_convert },
	{ "workloads", "list the built-in workloads", cli_cmd_workloads },
	{ "walk", "show a page walk level by level, or check walk test vectors", cli_cmd_walk },
	{ "script", "run a scenario script: processes, accesses and expectations", cli_cmd_script },
	{ "layout", "print the x86-64 kernel's virtual memory map", cli_cmd_layout },
	{ "experiment", "run a measurement experiment (fragmentation, switch, pagesize)",
	  cli_cmd_experiment },
};

#define NR_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static void print_help(FILE *out)
{
	fprintf(out, "usage: mmsim [--help] [--version] COMMAND [ARGS]\n"
		     "\n"
		     "mmsim simulates Linux's paging and virtual-memory system on an x86-64 MMU.\n"
		     "\n"
		     "Commands:\n");
	for (size_t i = 0; i < NR_COMMANDS; i++)
		fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fprintf(out,
		"\n'mmsim COMMAND --help' or 'mmsim help COMMAND' describes a command and its "
		"options.\n"
		"Exit status: 0 success, 1 a check or expectation failed, 2 usage or input "
		"error,\n3 a process was OOM-killed so part of the input was not simulated "
		"(run, sweep, merge),\n130 interrupted by ^C (run, sweep, mrc, convert, record: "
		"nothing half-written),\n143 terminated by SIGTERM (run, convert, record: as "
		"^C).\n");
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "mmsim %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return CLI_EXIT_USAGE;
}

int main(int argc, char **argv)
{
	const char *name;

	if (argc < 2) {
		print_help(stderr);
		return CLI_EXIT_USAGE;
	}
	name = argv[1];
	/* mmsim help CMD is mmsim CMD --help. */
	if (!strcmp(argv[1], "help") && argc > 2) {
		char *sub[] = { argv[2], "--help", NULL };

		if (argc > 3) {
			fprintf(stderr, "mmsim help: one COMMAND only, not '%s' too\n", argv[3]);
			return CLI_EXIT_USAGE;
		}
		for (size_t i = 0; i < NR_COMMANDS; i++) {
			if (!strcmp(argv[2], commands[i].name))
				return commands[i].run(2, sub);
		}
		name = argv[2];
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    (!strcmp(argv[1], "help") && argc == 2)) {
		print_help(stdout);
		return CLI_EXIT_OK;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("mmsim %s\n", MMSIM_VERSION);
		return CLI_EXIT_OK;
	}
	for (size_t i = 0; i < NR_COMMANDS; i++) {
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].run(argc - 1, argv + 1);
	}
	fprintf(stderr, "mmsim: unknown command '%s'; valid commands:", name);
	for (size_t i = 0; i < NR_COMMANDS; i++)
		fprintf(stderr, " %s", commands[i].name);
	fputc('\n', stderr);
	return CLI_EXIT_USAGE;
}
