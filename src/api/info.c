/*
 * api/info.c: metadata without a system (mmsim/info.h): policies and their parameters from
 * the policy registry (mm/policy.c), TLB presets from arch/x86_64/tlb_config.c, counters
 * from the vmstat items (mm/vmstat.h: gauges first, then events, as Linux orders them), the
 * file I/O counts (api/counters.h), the TLB's perf-named event counts and the kernel's own,
 * in mmsim_counters_foreach()'s order. The file counters' table lives here.
 */
#include "mmsim/info.h"

#include <assert.h>
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "api/counters.h"
#include "arch/x86_64/tlb.h"
#include "kernel/config.h"
#include "mm/core.h"
#include "mm/policy.h"
#include "mm/vmstat.h"
#include "mmsim/mmsim.h"
#include "util/macros.h"

static_assert(MMSIM_POLICY_MAX_PARAMS == POLICY_MAX_PARAMS, "parameter slots agree");

const struct api_file_counter api_file_counters[API_NR_FILE_COUNTERS] = {
	{ "file_io_requests", offsetof(struct filemap_stats, io_requests) },
	{ "file_io_us", offsetof(struct filemap_stats, io_us) },
	{ "file_ra_pages", offsetof(struct filemap_stats, ra_pages) },
	{ "file_dirtied", offsetof(struct filemap_stats, dirtied) },
	{ "file_written", offsetof(struct filemap_stats, written) },
	{ "file_dirty_throttled", offsetof(struct filemap_stats, dirty_throttled) },
	{ "file_bg_writeback", offsetof(struct filemap_stats, bg_writeback_runs) },
	{ "file_faults", offsetof(struct filemap_stats, faults) },
	{ "file_major_faults", offsetof(struct filemap_stats, major_faults) },
};

/* Counters kept by the kernel layer itself (struct mmsim_system), after vmstat and TLB. */
static const char *const kernel_counters[] = { "context_switches", "kpti_entries" };

#define NR_KERNEL_COUNTERS ARRAY_SIZE(kernel_counters)

static void fill_policy(const struct policy_ops *ops, struct mmsim_policy_info *out)
{
	struct mmsim_config def;

	mmsim_config_default(&def);
	memset(out, 0, sizeof(*out));
	out->name = ops->name;
	out->description = ops->summary;
	out->is_default = policy_find(def.policy) == ops;
	out->needs_accesses = ops->needs_accesses;
	out->needs_future = ops->needs_future;
	out->nr_params = ops->nr_params;
	for (unsigned int i = 0; i < ops->nr_params; i++)
		out->params[i] = (struct mmsim_param_info){
			.name = ops->params[i].name,
			.def = ops->params[i].def,
			.min = ops->params[i].min,
			.max = ops->params[i].max,
			.help = ops->params[i].help,
		};
}

unsigned int mmsim_policy_count(void)
{
	unsigned int n = 0;

	while (policy_name(n))
		n++;
	return n;
}

int mmsim_policy_info(unsigned int i, struct mmsim_policy_info *out)
{
	const char *name = policy_name(i);

	if (!name)
		return -ENOENT;
	fill_policy(policy_find(name), out);
	return 0;
}

int mmsim_policy_info_find(const char *name, struct mmsim_policy_info *out)
{
	const struct policy_ops *ops = name ? policy_find(name) : NULL;

	if (!ops)
		return -ENOENT;
	fill_policy(ops, out);
	return 0;
}

unsigned int mmsim_tlb_preset_count(void)
{
	unsigned int n = 0;

	while (tlb_preset_name(n))
		n++;
	return n;
}

int mmsim_tlb_preset_info(unsigned int i, struct mmsim_tlb_preset_info *out)
{
	if (!tlb_preset_name(i))
		return -ENOENT;
	*out = (struct mmsim_tlb_preset_info){
		.name = tlb_preset_name(i),
		.description = tlb_preset_source(i),
		.spec = tlb_preset_spec(i),
		.is_default = !strcmp(tlb_preset_name(i), TLB_CONFIG_DEFAULT),
	};
	return 0;
}

unsigned int mmsim_counter_count(void)
{
	return VMSTAT_NR_ITEMS + API_NR_FILE_COUNTERS + tlb_stat_count + NR_KERNEL_COUNTERS;
}

static int event_counter(struct mmsim_counter_info *out, const char *name, const char *group)
{
	*out = (struct mmsim_counter_info){
		.name = name,
		.kind = MMSIM_COUNTER_EVENT,
		.group = group,
	};
	return 0;
}

int mmsim_counter_info(unsigned int i, struct mmsim_counter_info *out)
{
	if (i < VMSTAT_NR_ITEMS) {
		*out = (struct mmsim_counter_info){
			.name = vmstat_name(i),
			.kind = i < VMSTAT_FIRST_EVENT ? MMSIM_COUNTER_GAUGE : MMSIM_COUNTER_EVENT,
			.group = "vmstat",
		};
		return 0;
	}
	i -= VMSTAT_NR_ITEMS;
	/* counts of device requests, time, pages and faults since boot */
	if (i < API_NR_FILE_COUNTERS)
		return event_counter(out, api_file_counters[i].name, "file");
	i -= API_NR_FILE_COUNTERS;
	/* struct tlb_stats holds plain event counts only (arch/x86_64/tlb.h). */
	if (i < tlb_stat_count)
		return event_counter(out, tlb_stat_names[i].name, "tlb");
	i -= tlb_stat_count;
	if (i < NR_KERNEL_COUNTERS)
		return event_counter(out, kernel_counters[i], "kernel");
	return -ENOENT;
}

int mmsim_counter_info_find(const char *name, struct mmsim_counter_info *out)
{
	for (unsigned int i = 0; name && !mmsim_counter_info(i, out); i++) {
		if (!strcmp(out->name, name))
			return 0;
	}
	return -ENOENT;
}
