/*
 * api/system.c: the public machine API's reports, counters, checks and explain hook
 * (mmsim/mmsim.h), over the kernel and mm layers.
 */
#include <errno.h>
#include <stddef.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/counters.h"
#include "arch/x86_64/tlb.h"
#include "arch/x86_64/walk.h"
#include "kernel/check.h"
#include "kernel/config.h"
#include "kernel/system.h"
#include "mm/check.h"
#include "mm/pgdat.h"
#include "mm/policy.h"
#include "mm/slab.h"
#include "mm/swap.h"
#include "mm/vmstat.h"
#include "mmsim/explore.h"
#include "mmsim/mmsim.h"
#include "report/report.h"
#include "report/task_views.h"
#include "util/macros.h"
#include "util/strbuf.h"

static_assert((int)MMSIM_EV_OOM_KILL == (int)MM_EV_OOM_KILL, "event kinds agree");
static_assert((int)MMSIM_EV_TLB_HIT == (int)MM_EV_TLB_HIT, "event kinds agree");
static_assert((int)MMSIM_EV_TLB_MISS == (int)MM_EV_TLB_MISS, "event kinds agree");

/* Counters of the system beyond /proc/vmstat's: TLB (perf names) and the kernel's own. */
static bool extra_counter(const struct mmsim_system *sys, const char *name, uint64_t *v)
{
	const struct tlb_stats *ts = tlb_get_stats(sys->tlb);

	for (unsigned int i = 0; i < tlb_stat_count; i++) {
		if (!strcmp(name, tlb_stat_names[i].name)) {
			*v = tlb_stat_value(ts, i);
			return true;
		}
	}
	if (!strcmp(name, "context_switches")) {
		*v = sys->context_switches;
		return true;
	}
	if (!strcmp(name, "kpti_entries")) {
		*v = sys->kpti_entries;
		return true;
	}
	/* File I/O and faults (docs/files.md); listed by mmsim_counters_foreach() only when
	 * non-zero, so that reports without files stay as they were. */
	for (size_t i = 0; i < API_NR_FILE_COUNTERS; i++) {
		if (!strcmp(name, api_file_counters[i].name)) {
			*v = *(const uint64_t *)((const char *)&sys->core.file_stats +
						 api_file_counters[i].offset);
			return true;
		}
	}
	return false;
}

int mmsim_counter(const struct mmsim_system *sys, const char *name, uint64_t *value_out)
{
	enum vmstat_item i = vmstat_lookup(name);

	if (i != VMSTAT_NR_ITEMS) {
		*value_out = sys->pgdat->vmstat[i];
		return 0;
	}
	return extra_counter(sys, name, value_out) ? 0 : -ENOENT;
}

void mmsim_counters_foreach(const struct mmsim_system *sys,
			    void (*fn)(void *ctx, const char *name, uint64_t value), void *ctx)
{
	const struct tlb_stats *ts = tlb_get_stats(sys->tlb);

	for (unsigned int i = 0; i < VMSTAT_NR_ITEMS; i++) {
		if (!vmstat_sparse(i) || sys->pgdat->vmstat[i])
			fn(ctx, vmstat_name(i), sys->pgdat->vmstat[i]);
	}
	/* The file counters, like the sparse vmstat ones, only once something happened. */
	for (size_t i = 0; i < API_NR_FILE_COUNTERS; i++) {
		uint64_t v = *(const uint64_t *)((const char *)&sys->core.file_stats +
						 api_file_counters[i].offset);

		if (v)
			fn(ctx, api_file_counters[i].name, v);
	}
	for (unsigned int i = 0; i < tlb_stat_count; i++)
		fn(ctx, tlb_stat_names[i].name, tlb_stat_value(ts, i));
	fn(ctx, "context_switches", sys->context_switches);
	fn(ctx, "kpti_entries", sys->kpti_entries);
}

static void vmstat_with_tlb(struct strbuf *sb, const struct mmsim_system *sys)
{
	const struct tlb_stats *ts = tlb_get_stats(sys->tlb);

	report_vmstat(sb, sys->pgdat);
	for (unsigned int i = 0; i < tlb_stat_count; i++)
		strbuf_printf(sb, "%s %llu\n", tlb_stat_names[i].name,
			      (unsigned long long)tlb_stat_value(ts, i));
	strbuf_printf(sb, "context_switches %llu\n", (unsigned long long)sys->context_switches);
}

/* /proc/PID/status from what mmsim_task_stats() exposes and the task's VMAs. */
static void status_view(struct strbuf *sb, struct mmsim_task *t)
{
	const struct mmsim_task *parent;
	struct mmsim_task_stats st;

	mmsim_task_stats(t, &st);
	/* Linux reparents an orphan to init (or a subreaper); mmsim has none: PPid 0. */
	for (parent = t->sys->tasks; parent && parent->pid != t->ppid; parent = parent->next)
		;
	report_status(sb,
		      &(struct report_task_status){
			      .pid = t->pid,
			      .ppid = parent ? t->ppid : 0,
			      .sid = t->sid,
			      .alive = t->alive,
			      .totalram_pages = t->sys->pgdat->totalram_pages,
			      .vmsize_kb = st.vmsize_kb,
			      .hwm_kb = st.hwm_kb,
			      .rss_kb = st.rss_kb,
			      .rss_anon_kb = st.rss_anon_kb,
			      .rss_shmem_kb = st.rss_shmem_kb,
			      .rss_file_kb = st.rss_file_kb,
			      .vmpte_kb = st.vmpte_kb,
			      .swap_kb = st.swap_kb,
		      },
		      t->mm);
}

/* VMALLOC_TOTAL: the size of the layout's vmalloc region less one byte, as Linux's
 * VMALLOC_END is inclusive (arch/x86/include/asm/pgtable_64_types.h). */
static unsigned long vmalloc_total_kb(const struct layout *l)
{
	for (unsigned int i = 0; i < l->nr_regions; i++)
		if (l->regions[i]->start == l->vmalloc_base)
			return (unsigned long)((l->regions[i]->end_incl - l->regions[i]->start) >>
					       10);
	return 0;
}

static void meminfo_view(struct strbuf *sb, struct mmsim_system *sys)
{
	struct report_meminfo_more more = {
		.vmalloc_total_kb = vmalloc_total_kb(&sys->layout),
	};

	if (sys->core.swap) {
		more.swap_total_pages = (unsigned long)swap_total_pages(&sys->core);
		more.swap_free_pages = (unsigned long)swap_free_pages(&sys->core);
	}
	for (const struct mmsim_task *t = sys->tasks; t; t = t->next)
		more.committed_pages += report_committed_pages(t->mm);
	for (unsigned int i = 0; i < 3; i++)
		more.directmap_pages[i] = (unsigned long)sys->direct_pages[i];
	report_meminfo(sb, sys->pgdat, &more);
}

static void extfrag_view(struct strbuf *sb, struct mmsim_system *sys)
{
	report_extfrag_unusable(sb, sys->pgdat);
	report_extfrag_index(sb, sys->pgdat);
}

static void vmstat_view(struct strbuf *sb, struct mmsim_system *sys)
{
	vmstat_with_tlb(sb, sys);
}

static void buddyinfo_view(struct strbuf *sb, struct mmsim_system *sys)
{
	report_buddyinfo(sb, sys->pgdat);
}

static void slabinfo_view(struct strbuf *sb, struct mmsim_system *sys)
{
	report_slabinfo(sb, sys->pgdat);
}

static void zoneinfo_view(struct strbuf *sb, struct mmsim_system *sys)
{
	report_zoneinfo(sb, sys->pgdat);
}

static void layout_view(struct strbuf *sb, struct mmsim_system *sys)
{
	layout_describe(&sys->layout, sb);
}

static void maps_view(struct strbuf *sb, struct mmsim_task *t)
{
	report_maps(sb, t->mm);
}

static void smaps_view(struct strbuf *sb, struct mmsim_task *t)
{
	report_smaps(sb, &t->sys->core, t->mm);
}

/* The views mmsim_report() shows: the one list that its errors, mmsim_names() and the
 * docs check read. */
static const struct {
	const char *name;
	void (*show)(struct strbuf *sb, struct mmsim_system *sys);
} system_views[] = {
	{ "vmstat", vmstat_view },	 { "meminfo", meminfo_view },
	{ "buddyinfo", buddyinfo_view }, { "slabinfo", slabinfo_view },
	{ "zoneinfo", zoneinfo_view },	 { "extfrag", extfrag_view },
	{ "layout", layout_view },
};

static const struct {
	const char *name;
	void (*show)(struct strbuf *sb, struct mmsim_task *t);
} task_views[] = {
	{ "maps", maps_view },
	{ "status", status_view },
	{ "smaps", smaps_view },
};

int mmsim_report(struct mmsim_system *sys, struct mmsim_task *task, const char *view,
		 char **text_out, struct mmsim_error *err)
{
	struct strbuf sb;
	size_t i;

	strbuf_init(&sb);
	if (task) {
		for (i = 0; i < ARRAY_SIZE(task_views) && strcmp(view, task_views[i].name); i++)
			;
		if (i < ARRAY_SIZE(task_views))
			task_views[i].show(&sb, task);
	} else {
		for (i = 0; i < ARRAY_SIZE(system_views) && strcmp(view, system_views[i].name); i++)
			;
		if (i < ARRAY_SIZE(system_views))
			system_views[i].show(&sb, sys);
	}
	if (i == (task ? ARRAY_SIZE(task_views) : ARRAY_SIZE(system_views))) {
		char names[256];

		strbuf_fini(&sb);
		mmsim_names(task ? MMSIM_NAMES_TASK_VIEWS : MMSIM_NAMES_SYSTEM_VIEWS, ", ", names,
			    sizeof(names));
		return mmsim_error_set(err, -EINVAL, "unknown %s view '%s' (want %s)",
				       task ? "process" : "system", view, names);
	}
	if (sb.failed) {
		strbuf_fini(&sb);
		return mmsim_error_set(err, -ENOMEM, "out of host memory");
	}
	*text_out = sb.buf ? sb.buf : strdup("");
	return *text_out ? 0 : -ENOMEM;
}

const char *mmsim_name(enum mmsim_names which, unsigned int i)
{
	switch (which) {
	case MMSIM_NAMES_POLICIES:
		return policy_name(i);
	case MMSIM_NAMES_CONFIG_KEYS:
		return i < config_nr_keys ? config_keys[i] : NULL;
	case MMSIM_NAMES_SYSTEM_VIEWS:
		return i < ARRAY_SIZE(system_views) ? system_views[i].name : NULL;
	case MMSIM_NAMES_TASK_VIEWS:
		return i < ARRAY_SIZE(task_views) ? task_views[i].name : NULL;
	case MMSIM_NAMES_TLB_PRESETS:
		return tlb_preset_name(i);
	}
	return NULL;
}

void mmsim_names(enum mmsim_names which, const char *sep, char *buf, size_t size)
{
	struct strbuf sb;
	const char *name;

	if (!sep)
		sep = ", ";
	strbuf_init(&sb);
	for (unsigned int i = 0; (name = mmsim_name(which, i)); i++)
		strbuf_printf(&sb, "%s%s", i ? sep : "", name);
	if (size)
		snprintf(buf, size, "%s", sb.failed ? "" : strbuf_str(&sb));
	strbuf_fini(&sb);
}

int mmsim_task_walk_text(struct mmsim_task *t, uint64_t va, char **text_out)
{
	struct mmsim_translation tr;
	int rc = mmsim_task_walk(t, va, MMSIM_ACCESS_READ, &tr);

	if (rc)
		return rc;
	return mmsim_translation_text(&tr, va, t->sys->cpu.levels, MMSIM_ACCESS_READ, true,
				      text_out);
}

int mmsim_check(struct mmsim_system *sys, struct mmsim_error *err)
{
	struct check_report why = { { 0 } };
	int rc = kernel_check_all(sys, &why);

	if (rc)
		return mmsim_error_set(err, rc, "invariant broken: %s", why.reason);
	return 0;
}

static void forward_event(void *ctx, const struct mm_event *ev)
{
	struct mmsim_system *sys = ctx;
	struct mmsim_event pub = {
		.kind = (enum mmsim_event_kind)ev->kind,
		.pid = ev->pid,
		.va = ev->va,
		.pfn = ev->pfn,
		.entry_addr = ev->entry_addr,
		.old = ev->old,
		.new = ev->new,
		.level = ev->level,
		.error_code = ev->error_code,
		.signal = (enum mmsim_signal)ev->signal,
		.what = ev->what,
	};

	sys->event_cb(sys->event_ctx, &pub);
}

/* The TLB's walk hook: a miss and the walk's steps as explain-mode events. */
static void walk_event(void *ctx, vaddr_t va, const struct x86_walk_result *w)
{
	struct mmsim_system *sys = ctx;

	core_event(&sys->core, &(struct mm_event){ .kind = MM_EV_TLB_MISS, .va = va });
	for (unsigned int i = 0; i < w->nr_steps; i++)
		core_event(&sys->core, &(struct mm_event){ .kind = MM_EV_WALK_STEP,
							   .va = va,
							   .level = w->steps[i].level,
							   .entry_addr = w->steps[i].entry_addr,
							   .old = w->steps[i].entry,
							   .new = w->steps[i].written });
}

void mmsim_set_event_hook(struct mmsim_system *sys, mmsim_event_cb cb, void *ctx)
{
	sys->event_cb = cb;
	sys->event_ctx = ctx;
	sys->core.event_cb = cb ? forward_event : NULL;
	sys->core.event_ctx = sys;
	tlb_set_walk_hook(sys->tlb, cb ? walk_event : NULL, sys);
}

void mmsim_event_describe(const struct mmsim_event *ev, char *buf, size_t size)
{
	static const char *const lvl[] = { "?", "PTE", "PDE", "PDPTE", "PML4E", "PML5E" };
	static const char *const sig[] = { "none", "SIGSEGV (SEGV_MAPERR)", "SIGSEGV (SEGV_ACCERR)",
					   "killed", "SIGBUS (BUS_ADRERR)" };
	char ec[96];

	switch (ev->kind) {
	case MMSIM_EV_TLB_MISS:
		snprintf(buf, size, "TLB miss at 0x%" PRIx64 ": the CPU walks the page tables",
			 ev->va);
		break;
	case MMSIM_EV_WALK_STEP: {
		char flags[96];

		mmsim_mmu_describe_entry(ev->old, ev->level, flags, sizeof(flags));
		snprintf(buf, size, "  walk %-5s at 0x%" PRIx64 " = 0x%016" PRIx64 " %s%s",
			 lvl[ev->level <= 5 ? ev->level : 0], ev->entry_addr, ev->old, flags,
			 ev->new != ev->old
				 ? (((ev->new ^ ev->old) & 0x40) ? " (A, D set)" : " (A set)")
				 : "");
		break;
	}
	case MMSIM_EV_PAGE_FAULT:
		mmsim_mmu_describe_error(ev->error_code, ec, sizeof(ec));
		snprintf(buf, size, "page fault at 0x%" PRIx64 ", error code 0x%x: %s", ev->va,
			 ev->error_code, ec);
		break;
	case MMSIM_EV_FAULT_DECISION:
		snprintf(buf, size, "fault handler: %s%s", ev->what ? ev->what : "?",
			 ev->pfn ? "" : "");
		if (ev->pfn) {
			size_t n = strlen(buf);

			snprintf(buf + n, size > n ? size - n : 0, " (frame 0x%" PRIx64 ")",
				 ev->pfn);
		}
		break;
	case MMSIM_EV_SIGNAL:
		snprintf(buf, size, "signal: %s at 0x%" PRIx64,
			 sig[ev->signal <= MMSIM_SIG_BUS_ADRERR ? ev->signal : 0], ev->va);
		break;
	case MMSIM_EV_FRAME_ALLOC:
		snprintf(buf, size, "frame 0x%" PRIx64 " allocated: %s", ev->pfn,
			 ev->what ? ev->what : "page");
		break;
	case MMSIM_EV_FRAME_FREE:
		snprintf(buf, size, "frame 0x%" PRIx64 " freed: %s", ev->pfn,
			 ev->what ? ev->what : "page");
		break;
	case MMSIM_EV_PTE_WRITE:
		snprintf(buf, size, "%s at 0x%" PRIx64 ": 0x%016" PRIx64 " -> 0x%016" PRIx64,
			 lvl[ev->level <= 5 ? ev->level : 0], ev->entry_addr, ev->old, ev->new);
		break;
	case MMSIM_EV_TLB_FLUSH:
		snprintf(buf, size, "TLB shootdown%s: %s", ev->va ? " of a range" : " of the mm",
			 ev->what ? ev->what : "");
		break;
	case MMSIM_EV_RECLAIM:
		snprintf(buf, size, "reclaim: %s", ev->what ? ev->what : "");
		break;
	case MMSIM_EV_EVICT:
		snprintf(buf, size, "evicted frame 0x%" PRIx64 " (va 0x%" PRIx64 "): %s", ev->pfn,
			 ev->va, ev->what ? ev->what : "");
		break;
	case MMSIM_EV_SWAP_IN:
		snprintf(buf, size, "swap-in of va 0x%" PRIx64 " into frame 0x%" PRIx64, ev->va,
			 ev->pfn);
		break;
	case MMSIM_EV_TLB_HIT:
		snprintf(buf, size, "TLB hit at 0x%" PRIx64 ": frame 0x%" PRIx64 " from the %s",
			 ev->va, ev->pfn,
			 ev->level == 2 ? "L2 TLB (the L1 TLB is refilled)" : "L1 TLB");
		break;
	case MMSIM_EV_OOM_KILL:
		snprintf(buf, size, "out of memory: killed pid %d", ev->pid);
		break;
	default:
		snprintf(buf, size, "event %d", (int)ev->kind);
		break;
	}
}

void mmsim_drop_caches(struct mmsim_system *sys)
{
	slab_shrink_all(sys->pgdat);
}

void mmsim_policy_names(char *buf, size_t size)
{
	policy_names(buf, size);
}

const char *mmsim_version(void)
{
	return MMSIM_LIB_VERSION;
}

void mmsim_policy_params(char *buf, size_t size)
{
	policy_params_help(buf, size);
}
