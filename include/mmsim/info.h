/*
 * mmsim/info.h: what the library offers, asked without booting a system: the page
 * replacement policies with their parameters, the TLB presets, and the counters with their
 * kind (an event count that only goes up, or a gauge that follows a state up and down).
 *
 * Every entry comes from the same table the parsers and the machine use (the policy
 * registry, the TLB presets of tlb=, the counters of mmsim_counters_foreach()), so what is
 * listed is what is accepted. Returned strings are static: never freed, valid for the life
 * of the program. Indexes run from 0 to the count minus one, in the order --help and the
 * reports use.
 */
#ifndef MMSIM_INFO_H
#define MMSIM_INFO_H

#include "mmsim/export.h"

#include <stdbool.h>
#include <stdint.h>

/* A numeric parameter of a policy, set as policy=NAME:KEY=VALUE[:KEY=VALUE]. */
struct mmsim_param_info {
	const char *name;  /* KEY */
	uint64_t def;	   /* the value when not given */
	uint64_t min, max; /* accepted range, both included */
	const char *help;  /* one line, citing where the default comes from */
};

#define MMSIM_POLICY_MAX_PARAMS 4

struct mmsim_policy_info {
	const char *name;	 /* as written after policy= */
	const char *description; /* one line, as in --help */
	bool is_default;	 /* the policy mmsim_config_default() picks */
	bool needs_accesses;	 /* sees every access (an oracle: hardware gives only A/D bits) */
	bool needs_future; /* needs next-use times: trace replay only (mmsim_access_future()) */
	unsigned int nr_params; /* params[0..nr_params) are valid */
	struct mmsim_param_info params[MMSIM_POLICY_MAX_PARAMS];
};

/* The number of policies; mmsim_policy_info(i) for i below it fills out. */
MMSIM_API unsigned int mmsim_policy_count(void);
/* 0, or -ENOENT when i is past the last policy. */
MMSIM_API int mmsim_policy_info(unsigned int i, struct mmsim_policy_info *out);
/* By name ("s3fifo"; a spec's parameters after ':' are ignored). 0 or -ENOENT. */
MMSIM_API int mmsim_policy_info_find(const char *name, struct mmsim_policy_info *out);

struct mmsim_tlb_preset_info {
	const char *name;	 /* as written after tlb= */
	const char *description; /* the processor and where its sizes come from */
	const char *spec;	 /* its structures as a spec (docs/tlb.md); "" for off */
	bool is_default;	 /* what tlb="" (mmsim_config_default()) means */
};

MMSIM_API unsigned int mmsim_tlb_preset_count(void);
/* 0, or -ENOENT when i is past the last preset. */
MMSIM_API int mmsim_tlb_preset_info(unsigned int i, struct mmsim_tlb_preset_info *out);

enum mmsim_counter_kind {
	MMSIM_COUNTER_EVENT = 0, /* counts events since boot: never goes down */
	MMSIM_COUNTER_GAUGE = 1, /* the size of a state now (nr_* in pages, nr_kernel_stack
				  * in kB): goes up and down */
};

struct mmsim_counter_info {
	const char *name; /* as mmsim_counter() takes it: /proc/vmstat or perf event name */
	enum mmsim_counter_kind kind;
	const char *group; /* "vmstat", "file" (mmsim's file I/O), "tlb" (perf's names) or
			    * "kernel" */
};

/* The counters of every system, in mmsim_counters_foreach()'s order. */
MMSIM_API unsigned int mmsim_counter_count(void);
/* 0, or -ENOENT when i is past the last counter. */
MMSIM_API int mmsim_counter_info(unsigned int i, struct mmsim_counter_info *out);
/* By name. 0 or -ENOENT. */
MMSIM_API int mmsim_counter_info_find(const char *name, struct mmsim_counter_info *out);

#endif
