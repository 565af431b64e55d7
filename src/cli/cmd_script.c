/*
 * cli/cmd_script.c: `mmsim script`: runs a scenario script (docs/scenario.md) and prints what
 * it asks to see. The library parses and runs; this file only prints and picks the exit
 * status.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "mmsim/error.h"
#include "mmsim/mmsim.h"
#include "mmsim/script.h"

/* --addr ADDR selects the 4 KiB page holding ADDR. */
#define CLI_SCRIPT_PAGE_SIZE 4096u

static const char script_usage[] =
	"usage: mmsim script [--explain] [--process P] [--events LIST] [--addr RANGE]\n"
	"                    [--paranoid] FILE\n"
	"\n"
	"Runs the scenario script FILE ('-' for standard input): processes, mappings and\n"
	"accesses on a simulated Linux x86-64 machine, with expectations about the faults,\n"
	"memory and counters they cause. The whole file is parsed before anything runs.\n"
	"One command a line; '#' starts a comment. PAGES are 4096-byte pages; RANGE is a page\n"
	"of the region or FIRST-LAST; numbers are decimal or 0x hex.\n"
	"\n"
	"  config KEY=VALUE...            mem=64M swap=128M policy=clock reclaim=linux\n"
	"                                 layout=modern levels=4 ...; before any other command\n"
	"  spawn P                        a process with an empty address space\n"
	"  P map A PAGES [r|rw|rx|rwx|none] [private|shared] [at=0xADDR] [populate]\n"
	"                                 anonymous mmap named A (default rw private)\n"
	"  P read|write|exec A RANGE      one access per page, at the page's first byte\n"
	"  P access 0xADDR r|w|x [kernel] one access at a raw address (user mode by default)\n"
	"  P fork Q                       Q is P's child and knows P's region names\n"
	"  P protect A RANGE RIGHTS       mprotect\n"
	"  P unmap A RANGE                munmap\n"
	"  P advise A RANGE dontneed|pageout\n"
	"                                 madvise(MADV_DONTNEED), madvise(MADV_PAGEOUT)\n"
	"  P remap A PAGES                mremap(MREMAP_MAYMOVE) of the whole region\n"
	"  P brk +PAGES|-PAGES            move the break; region 'heap' starts at the first\n"
	"                                 page above the initial break\n"
	"  P exit\n"
	"  file NAME PAGES                a file, every page cached and clean; dropcache NAME\n"
	"                                 drops its clean unmapped pages (docs/files.md)\n"
	"  P map A file NAME [offset=PAGES] [pages=N] private|shared [RIGHTS] [at=0xADDR]\n"
	"                                 mmap of a file; P msync A [RANGE] writes it back\n"
	"  P read file NAME [offset=PAGES] [pages=N] [into=R]\n"
	"                                 read(2) at P's file position (pread at offset=),\n"
	"                                 with on-demand readahead; into=R copies the pages\n"
	"                                 to region R (copy_to_user())\n"
	"  lib NAME text=PAGES [data=PAGES] [bss=PAGES]\n"
	"                                 a shared library; P load NAME [as A] maps it as\n"
	"                                 ld.so does: A = text, then data, then bss\n"
	"  reclaim SIZE [P|all]           proactive reclaim: memory.reclaim of the machine,\n"
	"                                 or process_madvise(MADV_PAGEOUT) of P (SIZE: 4M ...)\n"
	"  shrink-all                     shrink_all_memory(), as before hibernation\n"
	"  switch                         the workload switches here: the run ends with what\n"
	"                                 came after the last switch (faults, swap-ins)\n"
	"  expect P minflt|majflt|rss|rssanon|rssfile|pss|swap|vmpte|anonhuge [OP] N\n"
	"                                 OP: == != < <= > >= (default ==); rss, swap and vmpte\n"
	"                                 in kB as in /proc/PID/status\n"
	"  expect P signal [==|!=] none|SEGV_MAPERR|SEGV_ACCERR|SIGBUS|KILLED\n"
	"                                 the result of P's last access\n"
	"  expect cache NAME [OP] N       pages of file NAME in the page cache\n"
	"  expect sys COUNTER [OP] N      a /proc/vmstat or perf TLB counter; events count\n"
	"                                 since the first command, nr_* levels are read as is\n"
	"  expect switch COUNTER [OP] N   as expect sys, events counted since the last switch\n"
	"  show P %-23s /proc/PID views\n"
	"  show P walk 0xADDR|A PAGE      the page walk for an address\n"
	"  show sys %s\n"
	"\n"
	"Options:\n"
	"  --explain    print each command, then the events it caused ('  | ...'); after\n"
	"               each expect line its verdict: '  = PASS line N: wanted ..., got ...'\n"
	"               or '  = FAIL ...'\n"
	"  --process P  explain only the events that happen while process P runs (a name\n"
	"               from the script, or a pid)\n"
	"  --events LIST\n"
	"               explain only events of these classes, comma-separated: fault (faults,\n"
	"               the handler's decisions, signals), cow, reclaim, swap, tlb (hits,\n"
	"               misses, walk steps, shootdowns), frame, pte (page-table entry writes)\n"
	"  --addr RANGE explain only events about virtual addresses START-END (END excluded)\n"
	"               or about the page holding ADDR; hexadecimal with or without 0x\n"
	"               (filters combine, imply --explain, and hide commands with no event\n"
	"               left; expect and show lines always show)\n"
	"  --paranoid   run every whole-structure checker after every operation and every\n"
	"               command; the first broken invariant stops the run\n"
	"  -h, --help   this text\n"
	"\n"
	"Failed expectations are printed as 'FILE:LINE: expect ... failed: ...' and the run\n"
	"goes on to the end; a script whose expectations all held ends with 'FILE: N\n"
	"expectations passed'. Exit status: 0 every expectation held; 1 an expectation failed or\n"
	"a checker found a broken invariant; 2 bad usage, a malformed script (FILE:LINE:COL:\n"
	"reason; nothing runs) or a command that failed (FILE:LINE: ...: call failed: ERRNO).\n"
	"See docs/scenario.md.\n";

static void print_output(void *ctx, const struct mmsim_script_output *o)
{
	size_t len;

	(void)ctx;
	switch (o->kind) {
	case MMSIM_SCRIPT_OUT_COMMAND:
		printf("%lu: %s\n", o->line, o->text);
		break;
	case MMSIM_SCRIPT_OUT_EVENT:
		printf("  | %s\n", o->text);
		break;
	case MMSIM_SCRIPT_OUT_EXPECT_VERDICT:
		printf("  = %s\n", o->text);
		break;
	case MMSIM_SCRIPT_OUT_SHOW:
		len = strlen(o->text);
		printf("== %s ==\n%s%s", o->title, o->text,
		       len && o->text[len - 1] != '\n' ? "\n" : "");
		break;
	case MMSIM_SCRIPT_OUT_EXPECT_FAILED:
	case MMSIM_SCRIPT_OUT_CHECK_FAILED:
		/* Keep the order the reader saw when both streams go to one terminal or file. */
		fflush(stdout);
		fprintf(stderr, "%s\n", o->text);
		break;
	}
}

/* --addr: START-END (END excluded) or ADDR (its 4 KiB page), hexadecimal as in /proc. */
static int parse_range(const char *arg, struct mmsim_script_filter *f)
{
	const char *dash = strchr(arg, '-');
	uint64_t start, end;

	if (dash) {
		if (mmsim_parse_addr(arg, (size_t)(dash - arg), &start) ||
		    mmsim_parse_addr(dash + 1, strlen(dash + 1), &end))
			return cli_usage_error("script",
					       "--addr '%s': want START-END or ADDR, hexadecimal, "
					       "with or without 0x",
					       arg);
		if (end <= start)
			return cli_usage_error("script",
					       "--addr '%s': end 0x%" PRIx64
					       " is not above start 0x%" PRIx64,
					       arg, end, start);
	} else {
		if (mmsim_parse_addr(arg, strlen(arg), &start))
			return cli_usage_error("script",
					       "--addr '%s': want START-END or ADDR, hexadecimal, "
					       "with or without 0x",
					       arg);
		start &= ~(uint64_t)(CLI_SCRIPT_PAGE_SIZE - 1);
		end = start + CLI_SCRIPT_PAGE_SIZE;
		if (end < start)
			end = UINT64_MAX;
	}
	f->has_range = true;
	f->addr_start = start;
	f->addr_end = end;
	return 0;
}

/* --process: a pid (digits) or a script process name (which starts with a letter). */
static int parse_process(const char *arg, struct mmsim_script_filter *f)
{
	char *end;
	long pid;

	if (*arg >= '0' && *arg <= '9') {
		errno = 0;
		pid = strtol(arg, &end, 10);
		if (*end || errno || pid <= 0 || pid > INT_MAX)
			return cli_usage_error("script",
					       "--process '%s': want a process name from the "
					       "script or a pid",
					       arg);
		f->pid = (int)pid;
		f->proc = NULL;
		return 0;
	}
	f->proc = arg;
	f->pid = 0;
	return 0;
}

int cli_cmd_script(int argc, char **argv)
{
	enum { OPT_EXPLAIN = 256, OPT_PARANOID, OPT_PROCESS, OPT_EVENTS, OPT_ADDR };
	static const struct option opts[] = {
		{ "explain", no_argument, NULL, OPT_EXPLAIN },
		{ "paranoid", no_argument, NULL, OPT_PARANOID },
		{ "process", required_argument, NULL, OPT_PROCESS },
		{ "events", required_argument, NULL, OPT_EVENTS },
		{ "addr", required_argument, NULL, OPT_ADDR },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct mmsim_script_filter filter = { 0 };
	struct mmsim_script_run_opts run = { .output = print_output };
	bool filtered = false;
	struct mmsim_script_result res;
	struct mmsim_error err = { 0 };
	struct mmsim_script *s;
	int c, rc;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case OPT_EXPLAIN:
			run.explain = true;
			break;
		case OPT_PARANOID:
			run.paranoid = true;
			break;
		case OPT_PROCESS:
			rc = parse_process(optarg, &filter);
			if (rc)
				return rc;
			filtered = true;
			break;
		case OPT_EVENTS:
			if (mmsim_script_event_classes(optarg, &filter.classes, &err))
				return cli_usage_error("script", "--events: %s", err.msg);
			filtered = true;
			break;
		case OPT_ADDR:
			rc = parse_range(optarg, &filter);
			if (rc)
				return rc;
			filtered = true;
			break;
		case 'h': {
			char task_views[128], sys_views[256];

			/* The view lists from the library's tables (issue 12: one table). */
			mmsim_names(MMSIM_NAMES_TASK_VIEWS, "|", task_views, sizeof(task_views));
			mmsim_names(MMSIM_NAMES_SYSTEM_VIEWS, "|", sys_views, sizeof(sys_views));
			printf(script_usage, task_views, sys_views);
			return CLI_EXIT_OK;
		}
		default:
			return cli_usage_error("script",
					       "unknown option '%s' (see mmsim script --help)",
					       argv[optind - 1]);
		}
	}
	if (filtered) {
		/* Filters select what --explain shows, so they imply it. */
		run.explain = true;
		run.filter = &filter;
	}
	if (optind == argc)
		return cli_usage_error("script", "missing FILE (see mmsim script --help)");
	if (argc - optind > 1)
		return cli_usage_error("script", "one FILE only, not '%s' too", argv[optind + 1]);

	if (mmsim_script_load(argv[optind], &s, &err)) {
		fprintf(stderr, "%s\n", err.msg);
		return CLI_EXIT_USAGE;
	}
	rc = mmsim_script_run(s, &run, &res, &err);
	mmsim_script_destroy(s);
	fflush(stdout);
	if (rc) {
		fprintf(stderr, "%s\n", err.msg);
		return CLI_EXIT_USAGE;
	}
	if (res.switches)
		/* The figures `mmsim run` gives after a trace's last switch event. */
		printf("after the last workload switch (line %lu): %" PRIu64
		       " page faults, %" PRIu64 " major, %" PRIu64 " pages swapped in\n",
		       res.switch_line, res.switch_faults, res.switch_major_faults,
		       res.switch_swap_ins);
	if (res.nr_failed)
		fprintf(stderr, "%s: %lu of %lu expectations failed\n",
			strcmp(argv[optind], "-") ? argv[optind] : "<stdin>", res.nr_failed,
			res.nr_expects);
	else if (res.nr_expects && !res.check_failed)
		/* A passing script says so in one line (issue 13 §5). */
		printf("%s: %lu expectation%s passed\n",
		       strcmp(argv[optind], "-") ? argv[optind] : "<stdin>", res.nr_expects,
		       res.nr_expects == 1 ? "" : "s");
	return res.nr_failed || res.check_failed ? CLI_EXIT_FAILED : CLI_EXIT_OK;
}
