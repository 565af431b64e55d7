/*
 * tests/unit/api/test_explore.c: looking inside a system (mmsim/explore.h) and stepping a
 * scenario script one command at a time (mmsim/script.h sessions), through the public API.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "mmsim/error.h"
#include "mmsim/explore.h"
#include "mmsim/mmsim.h"
#include "mmsim/script.h"

static struct mmsim_script *parse(const char *text)
{
	struct mmsim_script *s = NULL;
	struct mmsim_error err = { 0 };

	cr_assert_eq(mmsim_script_parse(text, strlen(text), "t.mms", &s, &err), 0, "%s", err.msg);
	return s;
}

Test(script_session, steps_one_command_at_a_time_and_matches_a_whole_run)
{
	const char *text = "config mem=64M\n"
			   "spawn P\n"
			   "P map A 8\n"
			   "P write A 0-7\n"
			   "P fork Q\n"
			   "Q write A 0-2\n"
			   "expect Q minflt 3\n"
			   "expect P minflt 8\n";
	struct mmsim_script *s = parse(text);
	struct mmsim_script_session *ss;
	struct mmsim_script_result whole, stepped;
	struct mmsim_error err = { 0 };
	unsigned long line = 0;
	int steps = 0, rc;

	cr_assert_eq(mmsim_script_run(s, NULL, &whole, &err), 0, "%s", err.msg);
	cr_assert_str_eq(mmsim_script_proc_name(s, 0), "P");
	cr_assert_str_eq(mmsim_script_proc_name(s, 1), "Q");
	cr_assert_null(mmsim_script_proc_name(s, 2));
	cr_assert_eq(mmsim_script_start(s, NULL, &ss, &err), 0, "%s", err.msg);
	cr_assert_null(mmsim_script_session_system(ss), "nothing boots before the first step");
	cr_assert_str_eq(mmsim_script_session_next(ss, &line), "spawn P");
	cr_assert_eq(line, 2);
	while ((rc = mmsim_script_step(ss, &err)) > 0) {
		steps++;
		if (steps == 3) {
			struct mmsim_task *p = mmsim_script_session_task(ss, "P");
			struct mmsim_task_stats st;

			cr_assert_not_null(p);
			cr_assert_null(mmsim_script_session_task(ss, "Q"), "Q is not forked yet");
			mmsim_task_stats(p, &st);
			cr_assert_eq(st.minflt, 8);
		}
	}
	cr_assert_eq(rc, 0, "%s", err.msg);
	cr_assert_eq(steps, 7);
	cr_assert_null(mmsim_script_session_next(ss, NULL));
	mmsim_script_session_result(ss, &stepped);
	cr_assert_eq(stepped.nr_commands, whole.nr_commands);
	cr_assert_eq(stepped.nr_expects, 2);
	cr_assert_eq(stepped.nr_failed, whole.nr_failed);
	cr_assert_eq(stepped.nr_failed, 0);
	mmsim_script_session_destroy(ss);
	mmsim_script_destroy(s);
}

Test(script_session, a_failing_command_stops_the_session)
{
	struct mmsim_script *s = parse("spawn P\nP map A 4\nP map B 40000000000\nP write A 0\n");
	struct mmsim_script_session *ss;
	struct mmsim_error err = { 0 };

	cr_assert_eq(mmsim_script_start(s, NULL, &ss, &err), 0, "%s", err.msg);
	cr_assert_eq(mmsim_script_step(ss, &err), 1);
	cr_assert_eq(mmsim_script_step(ss, &err), 1, "%s", err.msg);
	cr_assert_lt(mmsim_script_step(ss, &err), 0);
	cr_assert_eq(mmsim_script_step(ss, &err), 0, "a stopped session runs nothing more");
	mmsim_script_session_destroy(ss);
	mmsim_script_destroy(s);
}

/* A tiny system with one process that wrote n pages at addr. */
static struct mmsim_task *machine(struct mmsim_system **sys, uint64_t addr, unsigned int n)
{
	struct mmsim_config c;
	struct mmsim_error err = { 0 };
	struct mmsim_task *t;
	uint64_t got;

	mmsim_config_default(&c);
	cr_assert_eq(mmsim_config_set(&c, "mem", "32M", &err), 0, "%s", err.msg);
	cr_assert_eq(mmsim_system_create(&c, sys, &err), 0, "%s", err.msg);
	cr_assert_eq(mmsim_task_spawn(*sys, &t), 0);
	cr_assert_eq(mmsim_mmap(t, addr, n * 4096ull, MMSIM_PROT_READ | MMSIM_PROT_WRITE,
				MMSIM_MAP_PRIVATE | MMSIM_MAP_ANONYMOUS | MMSIM_MAP_FIXED, &got),
		     0);
	for (unsigned int i = 0; i < n; i++)
		cr_assert_eq(mmsim_access(t, addr + i * 4096ull, MMSIM_ACCESS_WRITE, true),
			     MMSIM_SIG_NONE);
	return t;
}

Test(explore, a_probe_walk_finds_the_page_and_sets_no_bit)
{
	struct mmsim_system *sys;
	struct mmsim_task *t = machine(&sys, 0x400000, 2);
	struct mmsim_translation a, b;

	cr_assert_eq(mmsim_task_walk(t, 0x401234, MMSIM_ACCESS_WRITE, &a), 0);
	cr_assert_eq(a.fault, MMSIM_FAULT_NONE);
	cr_assert_eq(a.nr_levels, 4);
	cr_assert_eq(a.pa & 0xfff, 0x234);
	cr_assert_eq(a.levels[3].level, 1);
	cr_assert_eq(a.levels[3].index, 1);
	cr_assert_eq(a.levels[0].index, 0);
	/* The same probe again reads the same entries: nothing was written. */
	cr_assert_eq(mmsim_task_walk(t, 0x401234, MMSIM_ACCESS_WRITE, &b), 0);
	for (unsigned int i = 0; i < 4; i++) {
		cr_assert_eq(a.levels[i].entry, b.levels[i].entry);
		cr_assert_eq(a.levels[i].written, a.levels[i].entry);
	}
	/* An unmapped page: a fault with the error code of a user write to a non-present page. */
	cr_assert_eq(mmsim_task_walk(t, 0x500000, MMSIM_ACCESS_WRITE, &b), 0);
	cr_assert_eq(b.fault, MMSIM_FAULT_PF);
	cr_assert_eq(b.error_code, MMSIM_PFEC_W | MMSIM_PFEC_U);
	mmsim_system_destroy(sys);
}

struct tlb_seen {
	unsigned long n, user_at_page;
};

static void on_tlb(void *ctx, const struct mmsim_tlb_entry *e)
{
	struct tlb_seen *s = ctx;

	s->n++;
	if (e->user && e->va == 0x401000 && e->shift == 12)
		s->user_at_page++;
	cr_assert(e->set < 4096 && e->structure[0]);
}

Test(explore, the_tlb_holds_what_an_access_filled)
{
	struct mmsim_system *sys;
	struct mmsim_task *t = machine(&sys, 0x400000, 2);
	struct tlb_seen seen = { 0 };
	const char *name;
	unsigned int sets, ways;

	cr_assert_eq(mmsim_tlb_foreach(sys, on_tlb, &seen), seen.n);
	cr_assert_geq(seen.user_at_page, 1, "the page just written is cached (dTLB and STLB)");
	cr_assert_eq(mmsim_tlb_array(sys, 0, &name, &sets, &ways), 0);
	cr_assert_gt(sets * ways, 0);
	cr_assert_eq(mmsim_tlb_array(sys, 1000, &name, &sets, &ways), -1);
	(void)t;
	mmsim_system_destroy(sys);
}

struct hit_seen {
	unsigned long hits, misses;
	unsigned int level;
	uint64_t va, pfn;
};

static void on_event(void *ctx, const struct mmsim_event *ev)
{
	struct hit_seen *h = ctx;

	if (ev->kind == MMSIM_EV_TLB_MISS)
		h->misses++;
	if (ev->kind != MMSIM_EV_TLB_HIT)
		return;
	h->hits++;
	h->level = ev->level;
	h->va = ev->va;
	h->pfn = ev->pfn;
}

/* Explain mode tells of hits too: the access, its frame, and which level served it. */
Test(explore, a_tlb_hit_is_an_event)
{
	struct mmsim_system *sys;
	struct mmsim_task *t = machine(&sys, 0x400000, 2);
	struct mmsim_translation w;
	struct hit_seen h = { 0 };
	char text[160];

	cr_assert_eq(mmsim_task_walk(t, 0x401008, MMSIM_ACCESS_READ, &w), 0);
	mmsim_set_event_hook(sys, on_event, &h);
	cr_assert_eq(mmsim_access(t, 0x401008, MMSIM_ACCESS_READ, true), MMSIM_SIG_NONE);
	cr_assert_eq(h.hits, 1);
	cr_assert_eq(h.misses, 0);
	cr_assert_eq(h.level, 1, "the page just written is in the L1 dTLB");
	cr_assert_eq(h.va, 0x401008);
	cr_assert_eq(h.pfn, w.pa >> 12);
	mmsim_event_describe(
		&(struct mmsim_event){
			.kind = MMSIM_EV_TLB_HIT, .va = 0x401008, .pfn = 0x1234, .level = 2 },
		text, sizeof(text));
	cr_assert_str_eq(text, "TLB hit at 0x401008: frame 0x1234 from the L2 TLB (the L1 TLB is "
			       "refilled)");
	/* Without a hook, nothing is told and nothing changes. */
	mmsim_set_event_hook(sys, NULL, NULL);
	cr_assert_eq(mmsim_access(t, 0x401010, MMSIM_ACCESS_READ, true), MMSIM_SIG_NONE);
	cr_assert_eq(h.hits, 1);
	mmsim_system_destroy(sys);
}

struct frame_count {
	unsigned long anon_mine, anon_several, tables_mine, free, total;
	int pid;
};

static void on_frame(void *ctx, const struct mmsim_frame *f)
{
	struct frame_count *c = ctx;

	c->total++;
	if (f->kind == MMSIM_FRAME_ANON && f->pid == c->pid)
		c->anon_mine++;
	if (f->kind == MMSIM_FRAME_ANON && f->pid == -1)
		c->anon_several++;
	if (f->kind == MMSIM_FRAME_PAGE_TABLE && f->pid == c->pid)
		c->tables_mine++;
	if (f->kind == MMSIM_FRAME_FREE)
		c->free++;
}

Test(explore, frames_show_their_owner)
{
	struct mmsim_system *sys;
	struct mmsim_task *t = machine(&sys, 0x400000, 5), *child;
	struct frame_count c = { .pid = mmsim_task_pid(t) };
	uint64_t free_pages;

	cr_assert_eq(mmsim_frames_foreach(sys, 0, UINT64_MAX, on_frame, &c), 0);
	cr_assert_eq(c.total, mmsim_nr_frames(sys));
	cr_assert_eq(c.anon_mine, 5);
	cr_assert_eq(c.tables_mine, 4, "PML4, PDPT, PD, PT");
	cr_assert_eq(mmsim_counter(sys, "nr_free_pages", &free_pages), 0);
	cr_assert_eq(c.free, free_pages);
	/* After fork the five pages are mapped by both: several owners. */
	cr_assert_eq(mmsim_task_fork(t, &child), 0);
	c = (struct frame_count){ .pid = mmsim_task_pid(t) };
	cr_assert_eq(mmsim_frames_foreach(sys, 0, UINT64_MAX, on_frame, &c), 0);
	cr_assert_eq(c.anon_mine, 0);
	cr_assert_eq(c.anon_several, 5);
	mmsim_system_destroy(sys);
}
