/*
 * cli/cmd_merge.c: `mmsim merge PARTS... -o RESULT`: the partial results of
 * `mmsim sweep --shard K/N` or `mmsim mrc --shard K/N` joined into what one unsharded run
 * writes, byte for byte, once they are shown to fit together (partial.h; docs/cluster.md).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "outfile.h"
#include "partial.h"

static const char merge_usage[] =
	"usage: mmsim merge [OPTIONS] PART...\n"
	"\n"
	"Joins the partial results of `mmsim sweep --shard K/N` or `mmsim mrc --shard K/N`\n"
	"(one file per slice, in any order) and writes what the unsharded run writes, byte\n"
	"for byte. The parts must fit together: made by the same command from the same trace\n"
	"(the hash of its bytes) with the same settings, every slice 1..N given once, and\n"
	"each part unchanged since mmsim wrote it (the sum of its bytes on its last lines).\n"
	"\n"
	"Options:\n"
	"  -o, --output FILE    the CSV (default standard output)\n"
	"  --json FILE          the curves as JSON (parts of mmsim mrc)\n"
	"  --plot FILE          the miss-ratio plot with gnuplot: FILE.svg or FILE.png\n"
	"  --allow-kill         parts of mmsim sweep: a killed run is a result (status 0)\n"
	"  -h, --help           this text\n"
	"\n"
	"Exit status: 0 done; 2 bad usage, a part unreadable or not fitting the others (the\n"
	"message names the file and the reason), gnuplot missing or failing; 3 a sweep's run\n"
	"had its process OOM-killed (--allow-kill: 0).\n";

int cli_cmd_merge(int argc, char **argv)
{
	enum { OPT_JSON = 256, OPT_PLOT, OPT_ALLOW_KILL };
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "json", required_argument, NULL, OPT_JSON },
		{ "plot", required_argument, NULL, OPT_PLOT },
		{ "allow-kill", no_argument, NULL, OPT_ALLOW_KILL },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct cli_merge_opts o = { 0 };
	struct cli_partial *parts = NULL;
	size_t nr = 0;
	char msg[1024];
	int c, rc = 0;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":ho:", opts, NULL)) != -1) {
		switch (c) {
		case 'o':
			o.csv = optarg;
			break;
		case OPT_JSON:
			o.json = optarg;
			break;
		case OPT_PLOT:
			o.plot = optarg;
			break;
		case OPT_ALLOW_KILL:
			o.allow_kill = true;
			break;
		case 'h':
			fputs(merge_usage, stdout);
			return CLI_EXIT_OK;
		case ':':
			return cli_usage_error("merge", "option '%s' needs a value",
					       argv[optind - 1]);
		default:
			return cli_usage_error("merge",
					       "unknown option '%s' (see mmsim merge --help)",
					       argv[optind - 1]);
		}
	}
	if (optind == argc)
		return cli_usage_error("merge", "missing PART... (see mmsim merge --help)");
	if (o.plot && !cli_plot_name_ok(o.plot))
		return cli_usage_error("merge", "--plot %s: the file name must end in .svg or .png",
				       o.plot);
	for (int i = optind - 1; i < argc; i++) {
		/* Each output, and no output over a part (a PART in the list of paths). */
		const char *const opts[] = { "-o", "--json", "--plot", "a PART" };
		const char *const paths[] = { o.csv, o.json, o.plot, i >= optind ? argv[i] : NULL };

		rc = cli_outfile_distinct("merge", opts, paths, 4);
		if (rc)
			return rc;
	}
	parts = calloc((size_t)(argc - optind), sizeof(*parts));
	if (!parts)
		return cli_usage_error("merge", "out of host memory");
	for (; optind < argc; optind++) {
		if (cli_partial_load(argv[optind], &parts[nr], msg, sizeof(msg))) {
			rc = cli_usage_error("merge", "%s", msg);
			cli_partial_free(&parts[nr]);
			goto out;
		}
		nr++;
	}
	/* cli_partial_check (in each command's merge) requires every part's command to be
	 * the first one's. */
	if (!strcmp(parts[0].command, "sweep"))
		rc = cli_sweep_merge(parts, nr, &o);
	else
		rc = cli_mrc_merge(parts, nr, &o);
out:
	for (size_t i = 0; i < nr; i++)
		cli_partial_free(&parts[i]);
	free(parts);
	return rc;
}
