/*
 * cli/settings.c: the machine settings every simulating subcommand shares (run, sweep,
 * mrc): the options, their help text, and the one path from options to a struct
 * mmsim_config: the library's defaults, then the command's defaults for its input, then
 * the user's options in the order given. Every value is checked by mmsim_config_set() and
 * mmsim_system_create(), the same rules scripts and library users get; nothing here
 * repeats them.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "mmsim/error.h"
#include "mmsim/mmsim.h"
#include "mmsim/trace.h"
#include "mmsim/workloads.h"

const char cli_machine_help_base[] =
	"  --mem SIZE           simulated RAM, e.g. 16M, 1G\n"
	"  --swap SIZE          swap area, 0 for none\n"
	"  --reclaim MODE       demand: evict one page, the policy's choice, each time a\n"
	"                       frame is needed (the textbook model; the default when\n"
	"                       frames are capped); linux: kswapd and direct reclaim in\n"
	"                       batches of 32 pages (the default otherwise)\n"
	"  --tlb SPEC           TLB preset or spec (docs/tlb.md), e.g. skylake, zen4, off\n"
	"  --layout NAME        virtual memory map: modern, classic, la57 (5-level)\n"
	"  --pcid on|off        CR4.PCIDE: keep TLB entries across context switches\n"
	"  --kpti on|off|auto   page-table isolation: user and kernel PGD, CR3 switched at\n"
	"                       every fault and system call (docs/kernel.md); auto (the\n"
	"                       default): on with the skylake TLB preset, as Linux on a\n"
	"                       CPU with Meltdown, off with the others\n"
	"  --page-size SIZE     base page size: 4K (x86-64's, the default), or 8K, 16K or\n"
	"                       64K: a what-if that is NOT x86 (docs/page-size.md): a trace's\n"
	"                       pages, faults and frames are of that size; only with\n"
	"                       demand reclaim (--frames N) and the TLB off (the default\n"
	"                       then), where nothing else sees the page size\n"
	"  --seed N             seed of every seeded choice (random policy, workloads)\n"
	"  --paranoid           run every invariant checker after each operation\n"
	"  --config KEY=VALUE   any machine setting (mem, swap, policy, reclaim, frames,\n"
	"                       layout, levels, tlb, pcid, kpti, data, seed, paranoid,\n"
	"                       pt_reclaim=on|off: MADV_DONTNEED frees emptied page\n"
	"                       tables, Linux 6.14+, default on; thp=always|madvise|never\n"
	"                       and defrag=always|defer|defer+madvise|madvise|never:\n"
	"                       transparent huge pages, default madvise;\n"
	"                       khugepaged_pages_to_scan, khugepaged_scan_sleep_ms,\n"
	"                       khugepaged_max_ptes_none: khugepaged; pcp=on|off:\n"
	"                       per-CPU page lists in front of the buddy allocator, as\n"
	"                       Linux has them, default on)\n";

int cli_parse_page_size(const char *s, unsigned int *shift)
{
	static const struct {
		const char *name[4];
		unsigned int shift;
	} sizes[] = {
		{ { "4K", "4KiB", "4k", "4096" }, 12 },
		{ { "8K", "8KiB", "8k", "8192" }, 13 },
		{ { "16K", "16KiB", "16k", "16384" }, 14 },
		{ { "64K", "64KiB", "64k", "65536" }, 16 },
	};

	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		for (size_t n = 0; n < 4; n++) {
			if (!strcmp(s, sizes[i].name[n])) {
				*shift = sizes[i].shift;
				return 0;
			}
		}
	}
	return -EINVAL;
}

/* --page-size: 4 KiB is the machine's own page size; 8, 16 and 64 KiB are the what-if
 * that cli_settings_page_check() allows only where it is exact (docs/page-size.md). */
static int page_size_option(struct cli_settings *s, const char *cmd, const char *arg)
{
	if (cli_parse_page_size(arg, &s->page_shift))
		return cli_usage_error(cmd, "--page-size %s: want 4K, 8K, 16K or 64K", arg);
	return 0;
}

unsigned int cli_settings_page_shift(const struct cli_settings *s)
{
	return s->page_shift ? s->page_shift : 12;
}

const char *cli_page_note(unsigned int page_shift)
{
	switch (page_shift) {
	case 13:
		return "what-if page size 8 KiB: NOT x86 (docs/page-size.md)";
	case 14:
		return "what-if page size 16 KiB: NOT x86 (docs/page-size.md)";
	case 16:
		return "what-if page size 64 KiB: NOT x86 (docs/page-size.md)";
	default:
		return NULL;
	}
}

int cli_settings_page_check(const struct cli_settings *s, const char *cmd,
			    const struct mmsim_config *c)
{
	unsigned int shift = cli_settings_page_shift(s);

	if (shift == 12)
		return 0;
	/* The x86 walker, the TLB, the kernel's tables and Linux's batch reclaim all work in
	 * 4 KiB pages: only the policy's view of page numbers is exact at another size. */
	if (strcmp(mmsim_config_reclaim(c), "demand") || !c->frames)
		return cli_usage_error(cmd,
				       "--page-size %uK (a what-if, NOT x86) runs only in demand "
				       "mode (--frames N, --reclaim demand): Linux's reclaim, "
				       "the x86 walker and the TLB have 4 KiB pages only; "
				       "'mmsim experiment pagesize' models walks and TLB reach "
				       "at other sizes (docs/page-size.md)",
				       (1u << shift) >> 10);
	if (strcmp(c->tlb, "off"))
		return cli_usage_error(cmd,
				       "--page-size %uK (a what-if, NOT x86) needs the TLB off "
				       "(the x86 TLB has 4 KiB base pages only), not --tlb %s; "
				       "'mmsim experiment pagesize' models TLB reach at other "
				       "sizes (docs/page-size.md)",
				       (1u << shift) >> 10, c->tlb);
	return 0;
}

int cli_settings_add(struct cli_settings *s, const char *cmd, int opt, const char *arg)
{
	static const char *const keys[] = {
		[CLI_OPT_MEM - CLI_OPT_MACHINE] = "mem",
		[CLI_OPT_SWAP - CLI_OPT_MACHINE] = "swap",
		[CLI_OPT_POLICY - CLI_OPT_MACHINE] = "policy",
		[CLI_OPT_RECLAIM - CLI_OPT_MACHINE] = "reclaim",
		[CLI_OPT_FRAMES - CLI_OPT_MACHINE] = "frames",
		[CLI_OPT_TLB - CLI_OPT_MACHINE] = "tlb",
		[CLI_OPT_LAYOUT - CLI_OPT_MACHINE] = "layout",
		[CLI_OPT_PCID - CLI_OPT_MACHINE] = "pcid",
		[CLI_OPT_KPTI - CLI_OPT_MACHINE] = "kpti",
		[CLI_OPT_SEED - CLI_OPT_MACHINE] = "seed",
		[CLI_OPT_PARANOID - CLI_OPT_MACHINE] = "paranoid",
	};
	const char *key, *value = arg;
	char buf[sizeof(s->s[0].key)];

	if (opt == CLI_OPT_PAGE_SIZE)
		return page_size_option(s, cmd, arg);
	if (s->nr == CLI_MAX_SETTINGS)
		return cli_usage_error(cmd, "too many machine options (at most %d)",
				       CLI_MAX_SETTINGS);
	if (opt == CLI_OPT_CONFIG) {
		const char *eq = strchr(arg, '=');

		if (!eq || eq == arg || (size_t)(eq - arg) >= sizeof(buf))
			return cli_usage_error(cmd, "--config takes KEY=VALUE, not '%s'", arg);
		snprintf(buf, sizeof(buf), "%.*s", (int)(eq - arg), arg);
		key = buf;
		value = eq + 1;
	} else if (opt == CLI_OPT_PARANOID) {
		key = "paranoid";
		value = "on";
	} else {
		key = keys[opt - CLI_OPT_MACHINE];
	}
	if (strlen(value) >= sizeof(s->s[0].value))
		return cli_usage_error(cmd, "%s: value too long", key);
	snprintf(s->s[s->nr].key, sizeof(s->s[0].key), "%s", key);
	snprintf(s->s[s->nr].value, sizeof(s->s[0].value), "%s", value);
	s->nr++;
	return 0;
}

bool cli_settings_has(const struct cli_settings *s, const char *key)
{
	for (size_t i = 0; i < s->nr; i++) {
		if (!strcmp(s->s[i].key, key))
			return true;
	}
	return false;
}

int cli_parse_count(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (!s || *s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end)
		return -EINVAL;
	*out = v;
	return 0;
}

int cli_settings_config(const struct cli_settings *s, const struct mmsim_workload_info *w,
			const char *defaults, struct mmsim_config *c, struct mmsim_error *err)
{
	char buf[256], *save = NULL;
	int rc;

	mmsim_config_default(c);
	if (w) {
		rc = mmsim_workload_configure(w, c, err);
		if (rc)
			return rc;
	}
	snprintf(buf, sizeof(buf), "%s", defaults ? defaults : "");
	for (char *kv = strtok_r(buf, " ", &save); kv; kv = strtok_r(NULL, " ", &save)) {
		char *eq = strchr(kv, '=');

		if (!eq)
			continue;
		*eq = '\0';
		rc = mmsim_config_set(c, kv, eq + 1, err);
		if (rc)
			return rc;
	}
	/* The what-if page size: the TLB is off unless the user says otherwise (which
	 * cli_settings_page_check() then refuses). */
	if (cli_settings_page_shift(s) != 12) {
		rc = mmsim_config_set(c, "tlb", "off", err);
		if (rc)
			return rc;
	}
	for (size_t i = 0; i < s->nr; i++) {
		rc = mmsim_config_set(c, s->s[i].key, s->s[i].value, err);
		if (rc)
			return rc;
	}
	return 0;
}

int cli_trace_skip(struct mmsim_trace_reader *r, uint64_t n, struct mmsim_error *err)
{
	struct mmsim_trace_record recs[512];
	uint64_t done = 0;

	while (done < n) {
		size_t want = n - done < 512 ? (size_t)(n - done) : 512, got = 0;
		int rc = mmsim_trace_read(r, recs, want, &got, err);

		if (rc)
			return rc;
		if (!got)
			return mmsim_error_set(
				err, -EINVAL, "--skip %" PRIu64 ": %s has only %" PRIu64 " records",
				n, mmsim_trace_reader_name(r), done);
		done += got;
	}
	return 0;
}

void cli_trace_input_init(struct cli_trace_input *in)
{
	*in = (struct cli_trace_input){ .format = MMSIM_TRACE_FORMAT_AUTO };
}

int cli_trace_input_opt(struct cli_trace_input *in, const char *cmd, int ch, const char *arg)
{
	enum mmsim_trace_format f;
	char names[256];
	size_t len = 0;

	switch (ch) {
	case CLI_OPT_FORMAT:
		if (!mmsim_trace_format_from_name(arg, &f)) {
			in->format = f;
			in->format_name = arg;
			return 0;
		}
		/* The names from the library's table: "binary, lackey, ... or csv". */
		names[0] = '\0';
		for (int i = 0; i < MMSIM_TRACE_NR_FORMATS && len < sizeof(names); i++)
			len += (size_t)snprintf(
				names + len, sizeof(names) - len, "%s%s",
				!i				  ? ""
				: i == MMSIM_TRACE_NR_FORMATS - 1 ? " or "
								  : ", ",
				mmsim_trace_format_name((enum mmsim_trace_format)i));
		return cli_usage_error(cmd, "--format takes %s, not '%s'", names, arg);
	case CLI_OPT_ALLOW_EMPTY:
		in->allow_empty = true;
		return 0;
	case 't':
		in->params = arg;
		return 0;
	default:
		return 1;
	}
}
