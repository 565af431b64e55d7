/*
 * cli/cmd_experiment_pagesize.c: `mmsim experiment pagesize TRACE`: the page-size what if
 * (NOT x86; docs/page-size.md). Reads the trace once per page size and feeds it to the
 * library's mmsim_pagesize_* counter; prints a table or JSON.
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include <cjson/cJSON.h>

#include "cli.h"
#include "mmsim/error.h"
#include "mmsim/experiment.h"
#include "mmsim/trace.h"

enum pagesize_opt {
	OPT_FORMAT = 256,
	OPT_JSON,
	OPT_PAGE_SIZE,
};

static const char pagesize_usage[] =
	"usage: mmsim experiment pagesize TRACE [--format NAME] [--json] [--page-size SIZE]\n"
	"\n"
	"A \"what if\" that is NOT x86 (docs/page-size.md): the trace's accesses translated with\n"
	"a base page of 4, 8, 16 and 64 KiB through per-process radix tables (arm64-style\n"
	"granules, 48-bit addresses), every first touch of a page a fault that maps it (no\n"
	"memory limit, no reclaim), in front two TLBs of Skylake's shapes (64 entries 4-way,\n"
	"1,536 entries 12-way, LRU, one page size). Reported per page size: faults, memory\n"
	"mapped and the 64-byte lines actually touched in it (internal fragmentation), table\n"
	"pages and bytes, misses of each TLB and the table entries their walks read.\n"
	"\n"
	"Options:\n"
	"  --format NAME     the trace's format (default: detected)\n"
	"  --json            print the result as JSON\n"
	"  --page-size SIZE  only this base page size: 4K, 8K, 16K or 64K (default: all four)\n"
	"  -h, --help        this text\n";

static const unsigned int pagesize_shifts[] = { 12, 13, 14, 16 };
#define NR_PAGESIZES (sizeof(pagesize_shifts) / sizeof(pagesize_shifts[0]))

/* Feeds the whole trace at path to one page size. 0, or an error in err. */
static int pagesize_one(const char *path, enum mmsim_trace_format fmt, unsigned int shift,
			struct mmsim_pagesize_result *out, struct mmsim_error *err)
{
	struct mmsim_trace_reader *r = NULL;
	struct mmsim_pagesize *ps = NULL;
	struct mmsim_trace_record rec;
	int rc;

	rc = mmsim_trace_reader_create_as(path, fmt, &r, err);
	if (rc)
		return rc;
	rc = mmsim_pagesize_create(shift, &ps);
	if (rc) {
		mmsim_error_set(err, rc, "out of host memory");
		goto out;
	}
	while ((rc = mmsim_trace_next(r, &rec, err)) == 1) {
		rc = mmsim_pagesize_access(ps, rec.pid, rec.addr, rec.size);
		if (rc) {
			mmsim_error_set(err, rc, "%s: address %#llx: %s", path,
					(unsigned long long)rec.addr,
					rc == -EINVAL ? "beyond 48 bits" : "out of host memory");
			goto out;
		}
	}
	if (rc == 0)
		mmsim_pagesize_result(ps, out);
out:
	mmsim_pagesize_destroy(ps);
	mmsim_trace_reader_destroy(r);
	return rc;
}

static double pct(uint64_t part, uint64_t whole)
{
	return whole ? 100.0 * (double)part / (double)whole : 0.0;
}

static int pagesize_print_json(const struct mmsim_pagesize_result *res, unsigned int nr)
{
	cJSON *root = cJSON_CreateObject(), *arr = cJSON_AddArrayToObject(root, "page_sizes");

	cJSON_AddStringToObject(root, "note", "what if: NOT x86 (docs/page-size.md)");
	for (unsigned int i = 0; i < nr; i++) {
		const struct mmsim_pagesize_result *r = &res[i];
		cJSON *o = cJSON_CreateObject();

		cJSON_AddNumberToObject(o, "page_bytes", (double)(UINT64_C(1) << r->page_shift));
		cJSON_AddNumberToObject(o, "levels", r->levels);
		cJSON_AddNumberToObject(o, "accesses", (double)r->accesses);
		cJSON_AddNumberToObject(o, "faults", (double)r->faults);
		cJSON_AddNumberToObject(o, "mapped_bytes", (double)r->mapped_bytes);
		cJSON_AddNumberToObject(o, "touched_bytes", (double)r->touched_bytes);
		cJSON_AddNumberToObject(o, "table_pages", (double)r->table_pages);
		cJSON_AddNumberToObject(o, "table_bytes", (double)r->table_bytes);
		cJSON_AddNumberToObject(o, "l1_misses", (double)r->l1_misses);
		cJSON_AddNumberToObject(o, "l2_misses", (double)r->l2_misses);
		cJSON_AddNumberToObject(o, "walk_entries_read", (double)r->walks_steps);
		cJSON_AddItemToArray(arr, o);
	}
	return cli_print_json(root);
}

static void pagesize_print_table(const struct mmsim_pagesize_result *res, unsigned int nr)
{
	printf("page-size what if: NOT x86 (x86-64 has 4 KiB base pages only; "
	       "docs/page-size.md)\n");
	printf("%6s %6s %10s %12s %12s %7s %7s %10s %10s %10s %10s\n", "page", "levels", "faults",
	       "mapped KiB", "touched KiB", "unused", "tables", "table KiB", "L1 misses",
	       "L2 misses", "walk reads");
	for (unsigned int i = 0; i < nr; i++) {
		const struct mmsim_pagesize_result *r = &res[i];

		printf("%4uKiB %6u %10llu %12llu %12.1f %6.1f%% %7llu %10llu %10llu %10llu "
		       "%10llu\n",
		       (1u << r->page_shift) >> 10, r->levels, (unsigned long long)r->faults,
		       (unsigned long long)(r->mapped_bytes >> 10),
		       (double)r->touched_bytes / 1024.0,
		       100.0 - pct(r->touched_bytes, r->mapped_bytes),
		       (unsigned long long)r->table_pages,
		       (unsigned long long)(r->table_bytes >> 10), (unsigned long long)r->l1_misses,
		       (unsigned long long)r->l2_misses, (unsigned long long)r->walks_steps);
	}
}

int cli_experiment_pagesize(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "page-size", required_argument, NULL, OPT_PAGE_SIZE },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	enum mmsim_trace_format fmt = MMSIM_TRACE_FORMAT_AUTO;
	struct mmsim_pagesize_result res[NR_PAGESIZES];
	unsigned int shifts[NR_PAGESIZES], nr = NR_PAGESIZES, one;
	struct mmsim_error err = { 0 };
	bool json = false;
	int c;

	for (unsigned int i = 0; i < NR_PAGESIZES; i++)
		shifts[i] = pagesize_shifts[i];

	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case OPT_FORMAT:
			if (mmsim_trace_format_from_name(optarg, &fmt))
				return cli_usage_error("experiment", "unknown trace format '%s'",
						       optarg);
			break;
		case OPT_JSON:
			json = true;
			break;
		case OPT_PAGE_SIZE:
			if (cli_parse_page_size(optarg, &one))
				return cli_usage_error("experiment",
						       "--page-size %s: want 4K, 8K, 16K or 64K",
						       optarg);
			shifts[0] = one;
			nr = 1;
			break;
		case 'h':
			fputs(pagesize_usage, stdout);
			return CLI_EXIT_OK;
		default:
			return cli_experiment_bad_option("pagesize", argv);
		}
	}
	if (optind + 1 != argc)
		return cli_usage_error("experiment", "pagesize takes one trace file");
	for (unsigned int i = 0; i < nr; i++) {
		int rc = pagesize_one(argv[optind], fmt, shifts[i], &res[i], &err);

		if (rc)
			return cli_experiment_failed(rc, &err);
	}
	if (json)
		return pagesize_print_json(res, nr);
	pagesize_print_table(res, nr);
	return CLI_EXIT_OK;
}
