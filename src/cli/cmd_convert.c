/*
 * cli/cmd_convert.c: `mmsim convert IN OUT`: a trace from one format or compression to
 * another (mmsim_trace_convert()).
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "mmsim/error.h"
#include "mmsim/trace.h"

static const char convert_usage[] =
	"usage: mmsim convert [OPTIONS] IN OUT\n"
	"\n"
	"Reads the trace IN (valgrind lackey text or mmsim binary, told apart by content, or\n"
	"the format --from names; plain, zstd, gzip or xz; '-' for standard input) and writes\n"
	"it to OUT ('-' for standard output) in the format asked for.\n"
	"\n"
	"Formats (docs/trace-format.md gives each layout and its source):\n"
	"%s"
	"\n"
	"Options:\n"
	"  --from NAME          read IN as NAME (needed for din, oracleGeneral, csv,\n"
	"                       champsim and pages, which have no "
	"signature)\n" CLI_TRACE_PARAMS_HELP
	"  --format NAME        the output format (default binary); any but champsim; csv\n"
	"                       is \"time,obj_id,obj_size\" with a header, for libCacheSim\n"
	"  --zstd               compress the output with zstd\n"
	"  --gzip               compress the output with gzip\n"
	"  --level N            compression level (default: zstd 3, gzip 6)\n"
	"  --drop-events        write a trace's events (fork, exec, exit, reclaim,\n"
	"                       shrink-all, switch) nowhere when the output format cannot\n"
	"                       carry them (din, oracleGeneral, csv, pages), counting them;\n"
	"                       without it such a conversion is refused (binary and lackey\n"
	"                       keep events)\n"
	"  -q, --quiet          no closing line on standard error\n"
	"  -h, --help           this text\n"
	"\n"
	"OUT is written under a temporary name in its directory and renamed into place once\n"
	"complete: a failed or interrupted conversion leaves an older OUT as it was, or none.\n"
	"\n"
	"Exit status: 0 converted; 2 bad usage, or IN unreadable or malformed (the message\n"
	"names the file, the line or byte offset, and the reason), or OUT not writable;\n"
	"130 interrupted (^C), 143 terminated (SIGTERM): OUT was not written.\n";

/* Set by SIGINT or SIGTERM, to the signal: the conversion stops before its next batch.
 * The handler's only way in. */
static volatile sig_atomic_t interrupted;

static void on_sigint(int sig)
{
	interrupted = sig;
}

static bool convert_stop(void *ctx)
{
	(void)ctx;
	return interrupted != 0;
}

int cli_cmd_convert(int argc, char **argv)
{
	enum { OPT_FORMAT = 256, OPT_ZSTD, OPT_GZIP, OPT_LEVEL, OPT_FROM, OPT_DROP_EVENTS };
	static const struct option opts[] = {
		{ "from", required_argument, NULL, OPT_FROM },
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "zstd", no_argument, NULL, OPT_ZSTD },
		{ "gzip", no_argument, NULL, OPT_GZIP },
		{ "level", required_argument, NULL, OPT_LEVEL },
		{ "drop-events", no_argument, NULL, OPT_DROP_EVENTS },
		{ "trace-params", required_argument, NULL, 't' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct mmsim_trace_writer_opts wo = { .format = MMSIM_TRACE_FORMAT_BINARY };
	enum mmsim_trace_format from = MMSIM_TRACE_FORMAT_AUTO;
	struct mmsim_error err = { 0 };
	struct mmsim_trace_convert_result res = { 0 };
	uint64_t level;
	const char *params = NULL;
	bool quiet = false;
	int c, rc;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":hqt:", opts, NULL)) != -1) {
		switch (c) {
		case OPT_FORMAT:
			if (mmsim_trace_format_from_name(optarg, &wo.format) ||
			    wo.format == MMSIM_TRACE_FORMAT_AUTO ||
			    wo.format == MMSIM_TRACE_FORMAT_CHAMPSIM)
				return cli_usage_error("convert",
						       "--format takes binary, lackey, din, "
						       "oracleGeneral, csv or pages, not '%s'",
						       optarg);
			break;
		case OPT_FROM:
			if (mmsim_trace_format_from_name(optarg, &from))
				return cli_usage_error(
					"convert",
					"--from takes binary, lackey, din, "
					"oracleGeneral, csv, champsim or pages, not '%s'",
					optarg);
			break;
		case OPT_ZSTD:
		case OPT_GZIP:
			if (wo.compression)
				return cli_usage_error("convert", "--zstd or --gzip, not both");
			wo.compression = c == OPT_ZSTD ? MMSIM_TRACE_COMPRESSION_ZSTD
						       : MMSIM_TRACE_COMPRESSION_GZIP;
			break;
		case OPT_LEVEL:
			if (cli_parse_count(optarg, &level) || level < 1 || level > 22)
				return cli_usage_error("convert", "--level takes 1 to 22, not '%s'",
						       optarg);
			wo.level = (int)level;
			break;
		case 't':
			params = optarg;
			break;
		case OPT_DROP_EVENTS:
			wo.drop_events = true;
			break;
		case 'q':
			quiet = true;
			break;
		case 'h':
			printf(convert_usage, mmsim_trace_formats_help());
			return CLI_EXIT_OK;
		case ':':
			return cli_usage_error("convert", "option '%s' needs a value",
					       argv[optind - 1]);
		default:
			return cli_usage_error("convert",
					       "unknown option '%s' (see mmsim convert --help)",
					       argv[optind - 1]);
		}
	}
	if (argc - optind != 2)
		return cli_usage_error("convert", "want IN and OUT (see mmsim convert --help)");
	if (wo.level && !wo.compression)
		return cli_usage_error("convert", "--level goes with --zstd or --gzip");
	if (wo.compression == MMSIM_TRACE_COMPRESSION_GZIP && wo.level > 9)
		return cli_usage_error("convert", "gzip levels are 1 to 9");
	{
		/* A second ^C kills at once (SA_RESETHAND); the temporary file may then stay. */
		struct sigaction sa = { .sa_handler = on_sigint,
					.sa_flags = SA_RESTART | SA_RESETHAND };

		sigemptyset(&sa.sa_mask);
		sigaction(SIGINT, &sa, NULL);
		sigaction(SIGTERM, &sa, NULL); /* kill's and timeout(1)'s: the same clean stop */
	}
	rc = mmsim_trace_convert_counted(argv[optind], from, params, argv[optind + 1], &wo,
					 convert_stop, NULL, &res, &err);
	if (rc == -EINTR && interrupted) {
		fprintf(stderr,
			"mmsim convert: %s after %" PRIu64 " records; %s was not "
			"written\n",
			interrupted == SIGTERM ? "terminated (SIGTERM)" : "interrupted",
			res.nr_records, argv[optind + 1]);
		return 128 + interrupted;
	}
	if (rc) {
		fprintf(stderr, "mmsim convert: %s\n", err.msg);
		return CLI_EXIT_USAGE;
	}
	/* Dropped events are said even with -q: a trace lost something. */
	if (res.nr_dropped)
		fprintf(stderr,
			"mmsim convert: warning: %" PRIu64 " events (fork, exec, exit, reclaim, "
			"shrink-all, switch) dropped: %s cannot carry them\n",
			res.nr_dropped, mmsim_trace_format_name(wo.format));
	if (!quiet && res.nr_events)
		fprintf(stderr,
			"mmsim convert: %" PRIu64 " records and %" PRIu64 " events written to %s "
			"(%s%s%s)\n",
			res.nr_records, res.nr_events, argv[optind + 1],
			mmsim_trace_format_name(wo.format), wo.compression ? ", " : "",
			wo.compression ? mmsim_trace_compression_name(wo.compression) : "");
	else if (!quiet)
		fprintf(stderr, "mmsim convert: %" PRIu64 " records written to %s (%s%s%s)\n",
			res.nr_records, argv[optind + 1], mmsim_trace_format_name(wo.format),
			wo.compression ? ", " : "",
			wo.compression ? mmsim_trace_compression_name(wo.compression) : "");
	return CLI_EXIT_OK;
}
