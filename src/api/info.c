/*
 * api/info.c: metadata without a system (mmsim/info.h): policies and their parameters from
 * the policy registry (mm/policy.c), TLB presets from arch/x86_64/tlb_config.c, counters
 * from the vmstat items (mm/vmstat.h: gauges first, then events, as Linux orders them), the
 * TLB's perf-named event counts and the kernel's own, in mmsim_counters_foreach()'s order.
 */
#include "mmsim/info.h"

#include <assert.h>
#include <errno.h>
#include <string.h>

#include "arch/x86_64/tlb.h"
#include "kernel/config.h"
#include "mm/policy.h"
#include "mm/vmstat.h"
#include "mmsim/mmsim.h"
#include "util/macros.h"

static_assert(MMSIM_POLICY_MAX_PARAMS == POLICY_MAX_PARAMS, "parameter slots agree");

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
	return VMSTAT_NR_ITEMS + tlb_stat_count + NR_KERNEL_COUNTERS;
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
	if (i < tlb_stat_count) {
		/* struct tlb_stats holds plain event counts only (arch/x86_64/tlb.h). */
		*out = (struct mmsim_counter_info){
			.name = tlb_stat_names[i].name,
			.kind = MMSIM_COUNTER_EVENT,
			.group = "tlb",
		};
		return 0;
	}
	i -= tlb_stat_count;
	if (i < NR_KERNEL_COUNTERS) {
		*out = (struct mmsim_counter_info){
			.name = kernel_counters[i],
			.kind = MMSIM_COUNTER_EVENT,
			.group = "kernel",
		};
		return 0;
	}
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
