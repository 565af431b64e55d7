/*
 * web/src/mmsim_web.c: the browser explorer's bridge to libmmsim (compiled to WebAssembly
 * with emscripten; docs/web.md). It sits where the command line sits: it uses only the
 * public API (include/mmsim/), and hands JavaScript JSON text that it frees with
 * web_free(). Every figure the page shows comes from here, so what the page shows is what
 * the simulator computes.
 *
 * A session is one scenario script run one command at a time (mmsim_script_start/step);
 * the page re-runs a script from its start to go back.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mmsim/error.h"
#include "mmsim/explore.h"
#include "mmsim/mmsim.h"
#include "mmsim/replay.h"
#include "mmsim/script.h"
#include "mmsim/trace.h"

#ifdef __EMSCRIPTEN__
#include <emscripten/emscripten.h>
#define WEB_EXPORT EMSCRIPTEN_KEEPALIVE
#else
#define WEB_EXPORT
#endif

/* ---- a growing JSON text --------------------------------------------------------------- */

struct out {
	char *buf;
	size_t len, cap;
	bool oom;
};

static void put(struct out *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (o->oom)
		return;
	for (;;) {
		size_t room = o->cap - o->len;

		va_start(ap, fmt);
		n = vsnprintf(o->buf ? o->buf + o->len : NULL, room, fmt, ap);
		va_end(ap);
		if (n < 0) {
			o->oom = true;
			return;
		}
		if ((size_t)n < room) {
			o->len += (size_t)n;
			return;
		}
		size_t cap = o->cap ? o->cap * 2 : 4096;
		while (cap - o->len <= (size_t)n)
			cap *= 2;
		char *b = realloc(o->buf, cap);
		if (!b) {
			o->oom = true;
			return;
		}
		o->buf = b;
		o->cap = cap;
	}
}

/* s as a JSON string, quotes included. */
static void put_str(struct out *o, const char *s)
{
	put(o, "\"");
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			put(o, "\\%c", c);
		else if (c == '\n')
			put(o, "\\n");
		else if (c < 0x20)
			put(o, "\\u%04x", c);
		else
			put(o, "%c", c);
	}
	put(o, "\"");
}

static char *done(struct out *o)
{
	if (o->oom) {
		free(o->buf);
		return strdup("{\"error\":\"out of memory in the page\"}");
	}
	return o->buf ? o->buf : strdup("{}");
}

WEB_EXPORT void web_free(void *p)
{
	free(p);
}

/* ---- sessions ------------------------------------------------------------------------- */

struct web_session {
	struct mmsim_script *script;
	struct mmsim_script_session *ss;
	struct mmsim_error err; /* why the script did not parse, or the last step failed */
	struct out pending;	/* outputs of the step running, as JSON array items */
	unsigned long steps;	/* commands run */
};

static const char *const out_kinds[] = {
	[MMSIM_SCRIPT_OUT_COMMAND] = "command",
	[MMSIM_SCRIPT_OUT_EVENT] = "event",
	[MMSIM_SCRIPT_OUT_SHOW] = "show",
	[MMSIM_SCRIPT_OUT_EXPECT_FAILED] = "expect_failed",
	[MMSIM_SCRIPT_OUT_CHECK_FAILED] = "check_failed",
	[MMSIM_SCRIPT_OUT_EXPECT_VERDICT] = "expect_verdict",
};

static void on_output(void *ctx, const struct mmsim_script_output *o)
{
	struct web_session *w = ctx;

	put(&w->pending, "%s{\"kind\":", w->pending.len ? "," : "");
	put_str(&w->pending, out_kinds[o->kind]);
	put(&w->pending, ",\"line\":%lu,\"title\":", o->line);
	put_str(&w->pending, o->title ? o->title : "");
	put(&w->pending, ",\"text\":");
	put_str(&w->pending, o->text);
	put(&w->pending, "}");
}

/* Parses text and prepares its run (explain on: every event is handed over). */
WEB_EXPORT struct web_session *web_open(const char *text)
{
	struct web_session *w = calloc(1, sizeof(*w));
	struct mmsim_script_run_opts opts = { .explain = true, .paranoid = true };

	if (!w)
		return NULL;
	opts.output = on_output;
	opts.ctx = w;
	if (mmsim_script_parse(text, strlen(text), "scenario", &w->script, &w->err))
		return w;
	if (mmsim_script_start(w->script, &opts, &w->ss, &w->err))
		mmsim_script_destroy(w->script), w->script = NULL;
	return w;
}

WEB_EXPORT void web_close(struct web_session *w)
{
	if (!w)
		return;
	mmsim_script_session_destroy(w->ss);
	mmsim_script_destroy(w->script);
	free(w->pending.buf);
	free(w);
}

static void put_result(struct out *o, struct web_session *w)
{
	struct mmsim_script_result res = { 0 };
	unsigned long line = 0;
	const char *next = w->ss ? mmsim_script_session_next(w->ss, &line) : NULL;

	if (w->ss)
		mmsim_script_session_result(w->ss, &res);
	put(o, "\"error\":");
	put_str(o, w->err.msg);
	put(o, ",\"next\":");
	put_str(o, next ? next : "");
	put(o,
	    ",\"next_line\":%lu,\"done\":%s,\"steps\":%lu,\"commands\":%lu,\"expects\":%lu,"
	    "\"failed\":%lu,\"check_failed\":%s",
	    line, next ? "false" : "true", w->steps, res.nr_commands, res.nr_expects, res.nr_failed,
	    res.check_failed ? "true" : "false");
}

/* Runs the next command: {"rc":1|0|-errno, "out":[...outputs...], ...result}. */
WEB_EXPORT char *web_step(struct web_session *w)
{
	struct out o = { 0 };
	int rc = 0;

	w->pending.len = 0;
	if (w->ss) {
		rc = mmsim_script_step(w->ss, &w->err);
		if (rc > 0)
			w->steps++;
	}
	put(&o, "{\"rc\":%d,\"out\":[", rc);
	if (w->pending.len)
		put(&o, "%.*s", (int)w->pending.len, w->pending.buf);
	put(&o, "],");
	put_result(&o, w);
	put(&o, "}");
	return done(&o);
}

static const char *signal_name(enum mmsim_signal s)
{
	switch (s) {
	case MMSIM_SIG_NONE:
		return "none";
	case MMSIM_SIG_SEGV_MAPERR:
		return "SEGV_MAPERR";
	case MMSIM_SIG_SEGV_ACCERR:
		return "SEGV_ACCERR";
	default:
		return "killed";
	}
}

static void put_counter(struct out *o, const struct mmsim_system *sys, const char *name,
			bool *first)
{
	uint64_t v;

	if (mmsim_counter(sys, name, &v))
		return;
	put(o, "%s", *first ? "" : ",");
	put_str(o, name);
	put(o, ":%" PRIu64, v);
	*first = false;
}

/* The machine between two commands: processes (stats and maps) and the main counters. */
WEB_EXPORT char *web_state(struct web_session *w)
{
	static const char *const counters[] = {
		"pgfault",
		"pgmajfault",
		"pswpin",
		"pswpout",
		"nr_free_pages",
		"nr_anon_pages",
		"nr_page_table_pages",
		"dTLB-loads",
		"dTLB-load-misses",
		"dTLB-stores",
		"dTLB-store-misses",
		"page_walks",
		"pgscan_kswapd",
		"pgscan_direct",
		"pgsteal_kswapd",
		"pgsteal_direct",
		"oom_kill",
	};
	struct mmsim_system *sys = w->ss ? mmsim_script_session_system(w->ss) : NULL;
	struct out o = { 0 };
	bool first = true;

	put(&o, "{");
	put_result(&o, w);
	put(&o, ",\"booted\":%s,\"procs\":[", sys ? "true" : "false");
	for (unsigned int i = 0; w->script && mmsim_script_proc_name(w->script, i); i++) {
		const char *name = mmsim_script_proc_name(w->script, i);
		struct mmsim_task *t = mmsim_script_session_task(w->ss, name);
		struct mmsim_task_stats st;
		struct mmsim_error e = { 0 };
		char *maps = NULL;

		put(&o, "%s{\"name\":", i ? "," : "");
		put_str(&o, name);
		if (!t) {
			put(&o, ",\"pid\":0}");
			continue;
		}
		mmsim_task_stats(t, &st);
		put(&o,
		    ",\"pid\":%d,\"alive\":%s,\"minflt\":%" PRIu64 ",\"majflt\":%" PRIu64
		    ",\"rss_kb\":%" PRIu64 ",\"swap_kb\":%" PRIu64 ",\"vmpte_kb\":%" PRIu64
		    ",\"signal\":",
		    mmsim_task_pid(t), mmsim_task_alive(t) ? "true" : "false", st.minflt, st.majflt,
		    st.rss_kb, st.swap_kb, st.vmpte_kb);
		put_str(&o, signal_name(st.last_signal));
		put(&o, ",\"maps\":");
		if (!mmsim_report(sys, t, "maps", &maps, &e))
			put_str(&o, maps);
		else
			put_str(&o, "");
		free(maps);
		put(&o, "}");
	}
	put(&o, "],\"counters\":{");
	for (size_t i = 0; sys && i < sizeof(counters) / sizeof(counters[0]); i++)
		put_counter(&o, sys, counters[i], &first);
	put(&o, "}}");
	return done(&o);
}

/* The walk process proc would make to access va (hex, with or without 0x); kind 0 r, 1 w, 2 x. */
WEB_EXPORT char *web_walk(struct web_session *w, const char *proc, const char *va_text, int kind)
{
	struct mmsim_task *t = w->ss ? mmsim_script_session_task(w->ss, proc) : NULL;
	struct mmsim_translation tr;
	struct out o = { 0 };
	char *end = NULL, desc[256];
	uint64_t va = strtoull(va_text, &end, 16);

	if (!t)
		return strdup("{\"error\":\"no such live process\"}");
	if (!end || end == va_text || *end)
		return strdup("{\"error\":\"the address is not a hexadecimal number\"}");
	if (kind < 0 || kind > 2 || mmsim_task_walk(t, va, (enum mmsim_access)kind, &tr))
		return strdup("{\"error\":\"cannot walk for this process\"}");
	put(&o,
	    "{\"va\":\"0x%" PRIx64 "\",\"fault\":%d,\"pa\":\"0x%" PRIx64 "\",\"page_shift\":%u,"
	    "\"error_code\":%u,\"user\":%s,\"writable\":%s,\"executable\":%s,\"levels\":[",
	    va, (int)tr.fault, tr.pa, tr.page_shift, tr.error_code, tr.user ? "true" : "false",
	    tr.writable ? "true" : "false", tr.executable ? "true" : "false");
	for (unsigned int i = 0; i < tr.nr_levels; i++) {
		const struct mmsim_walk_level *l = &tr.levels[i];

		mmsim_mmu_describe_entry(l->entry, l->level, desc, sizeof(desc));
		put(&o,
		    "%s{\"level\":%u,\"table\":\"0x%" PRIx64
		    "\",\"index\":%u,\"entry\":\"0x%016" PRIx64 "\",\"flags\":",
		    i ? "," : "", l->level, l->table, l->index, l->entry);
		put_str(&o, desc);
		put(&o, "}");
	}
	mmsim_mmu_describe_error(tr.error_code, desc, sizeof(desc));
	put(&o, "],\"error_text\":");
	put_str(&o, tr.fault == MMSIM_FAULT_PF ? desc : "");
	put(&o, "}");
	return done(&o);
}

struct tlb_out {
	struct out *o;
	bool first;
};

static void on_tlb(void *ctx, const struct mmsim_tlb_entry *e)
{
	struct tlb_out *t = ctx;

	put(t->o, "%s[%u,%u,%u,\"0x%" PRIx64 "\",\"0x%" PRIx64 "\",%u,%u,%d,%d,%d,%d]",
	    t->first ? "" : ",", e->array, e->set, e->way, e->va, e->pa, e->shift, e->pcid,
	    e->global, e->user, e->writable, e->dirty);
	t->first = false;
}

/* The TLB: its arrays (structure, sets, ways) and every valid entry as
 * [array, set, way, va, pa, shift, pcid, global, user, writable, dirty]. */
WEB_EXPORT char *web_tlb(struct web_session *w)
{
	struct mmsim_system *sys = w->ss ? mmsim_script_session_system(w->ss) : NULL;
	struct out o = { 0 };
	struct tlb_out t = { .o = &o, .first = true };
	const char *name;
	unsigned int sets, ways;

	put(&o, "{\"arrays\":[");
	for (unsigned int i = 0; sys && !mmsim_tlb_array(sys, i, &name, &sets, &ways); i++) {
		put(&o, "%s{\"structure\":", i ? "," : "");
		put_str(&o, name);
		put(&o, ",\"sets\":%u,\"ways\":%u}", sets, ways);
	}
	put(&o, "],\"entries\":[");
	if (sys)
		mmsim_tlb_foreach(sys, on_tlb, &t);
	put(&o, "]}");
	return done(&o);
}

struct frames_out {
	struct out *kinds, *pids;
};

static void on_frame(void *ctx, const struct mmsim_frame *f)
{
	struct frames_out *fo = ctx;

	/* kind digit, and for free frames the buddy order as a letter a (0) .. k (10) */
	put(fo->kinds, "%c%c", '0' + (int)f->kind,
	    f->kind == MMSIM_FRAME_FREE ? 'a' + (int)f->order : '.');
	put(fo->pids, "%s%d", f->pfn ? "," : "", f->pid);
}

/* Every frame: "kinds" two characters each (kind, order), "pids" the owners. */
WEB_EXPORT char *web_frames(struct web_session *w)
{
	struct mmsim_system *sys = w->ss ? mmsim_script_session_system(w->ss) : NULL;
	struct out kinds = { 0 }, pids = { 0 }, o = { 0 };
	struct frames_out fo = { &kinds, &pids };

	if (!sys)
		return strdup("{\"n\":0,\"kinds\":\"\",\"pids\":[]}");
	put(&kinds, "%s", "");
	put(&pids, "%s", "");
	if (mmsim_frames_foreach(sys, 0, UINT64_MAX, on_frame, &fo) || kinds.oom || pids.oom) {
		free(kinds.buf);
		free(pids.buf);
		return strdup("{\"error\":\"out of memory in the page\"}");
	}
	put(&o, "{\"n\":%" PRIu64 ",\"kinds\":\"%s\",\"pids\":[%s]}", mmsim_nr_frames(sys),
	    kinds.buf, pids.buf);
	free(kinds.buf);
	free(pids.buf);
	return done(&o);
}

/* ---- miss-ratio curves from a trace ---------------------------------------------------- */

/*
 * One replay of the trace in data (len bytes) per (policy, frames), with the machine that
 * `mmsim sweep` builds for a cell (cli/cmd_sweep.c job_config): demand reclaim, the frame
 * cap, memory for the frames, the tables and the kernel, swap for the footprint, no TLB
 * effect on the counts. policies: comma-separated; frames: comma-separated counts.
 * Misses are counted as sweep counts them: the trace's distinct pages (first touches) plus
 * the major faults (pages brought back from swap).
 * {"accesses":N,"pages":N,"rows":[[policy,frames,misses,major,faults],...]} or {"error":...}.
 */
WEB_EXPORT char *web_curve(const uint8_t *data, size_t len, const char *name, const char *policies,
			   const char *frames)
{
	struct mmsim_error err = { 0 };
	struct mmsim_trace_reader *r = NULL;
	struct mmsim_replay_future *future = NULL;
	struct mmsim_replay_footprint fp;
	struct out o = { 0 };
	char pol[256], *save = NULL;
	bool first = true;
	int rc;

	rc = mmsim_trace_reader_create_memory(data, len, name, &r, &err);
	if (!rc)
		rc = mmsim_replay_future_build(r, &future, &err);
	mmsim_trace_reader_destroy(r);
	r = NULL;
	if (rc)
		goto out_error;
	mmsim_replay_future_footprint(future, &fp);
	put(&o, "{\"accesses\":%" PRIu64 ",\"pages\":%" PRIu64 ",\"rows\":[", fp.accesses,
	    fp.pages);
	snprintf(pol, sizeof(pol), "%s", policies);
	for (char *p = strtok_r(pol, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
		const char *f = frames;

		while (*f) {
			char *end, buf[64];
			uint64_t n = strtoull(f, &end, 10), faults = 0, major = 0;
			struct mmsim_config c;
			struct mmsim_system *sys = NULL;
			struct mmsim_replay *rp = NULL;

			if (end == f || n == 0) {
				mmsim_error_set(&err, -EINVAL, "bad frame count in '%s'", frames);
				rc = -1;
				goto out_free;
			}
			f = *end == ',' ? end + 1 : end;
			mmsim_config_default(&c);
			rc = mmsim_config_set(&c, "reclaim", "demand", &err);
			if (!rc)
				rc = mmsim_config_set(&c, "policy", p, &err);
			snprintf(buf, sizeof(buf), "%" PRIu64, n);
			if (!rc)
				rc = mmsim_config_set(&c, "frames", buf, &err);
			snprintf(buf, sizeof(buf), "%" PRIu64 "M",
				 (n * 4096 + fp.pages * 16 + (UINT64_C(48) << 20) + (1 << 20) -
				  1) >> 20);
			if (!rc)
				rc = mmsim_config_set(&c, "mem", buf, &err);
			snprintf(buf, sizeof(buf), "%" PRIu64 "M",
				 ((fp.pages * 4096 + (1 << 20) - 1) >> 20) + 16);
			if (!rc)
				rc = mmsim_config_set(&c, "swap", buf, &err);
			if (!rc)
				rc = mmsim_system_create(&c, &sys, &err);
			if (!rc)
				rc = mmsim_trace_reader_create_memory(data, len, name, &r, &err);
			if (!rc)
				rc = mmsim_replay_create(sys, &rp, &err);
			if (!rc) {
				if (mmsim_needs_future(sys))
					mmsim_replay_set_future(rp, future);
				rc = mmsim_replay_trace(rp, r, NULL, &err);
			}
			if (!rc) {
				mmsim_counter(sys, "pgfault", &faults);
				mmsim_counter(sys, "pgmajfault", &major);
			}
			mmsim_replay_destroy(rp);
			mmsim_trace_reader_destroy(r);
			r = NULL;
			mmsim_system_destroy(sys);
			if (rc)
				goto out_free;
			put(&o, "%s[", first ? "" : ",");
			put_str(&o, p);
			put(&o, ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 "]", n,
			    fp.pages + major, major, faults);
			first = false;
		}
	}
	put(&o, "]}");
	mmsim_replay_future_destroy(future);
	return done(&o);
out_free:
	free(o.buf);
	mmsim_replay_future_destroy(future);
out_error:
	o = (struct out){ 0 };
	put(&o, "{\"error\":");
	put_str(&o, err.msg[0] ? err.msg : "the trace could not be replayed");
	put(&o, "}");
	return done(&o);
}
