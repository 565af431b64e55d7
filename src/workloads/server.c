/*
 * workloads/server.c: the forking server: a parent builds a table, forks workers that
 * serve requests from it, and each worker writes a little (copy-on-write).
 *
 * 1. The parent maps a table of TABLE_WORDS 8-byte words (16 MiB at scale 1, more than the
 *    default machine's 16 MiB of RAM holds beside everything else) and fills word i with
 *    splitmix64_mix(i). Its first REPLY_WORDS words are the reply area.
 * 2. It forks NR_WORKERS workers. They run interleaved, SLICE requests at a time (the
 *    scheduler's time slice), so the machine switches address spaces as a server does.
 *    A request picks a random row of ROW_WORDS words outside the reply area, sums the row
 *    (loads) and writes the sum into reply slot (request number mod REPLY_WORDS) (a store:
 *    the first to each page copies it, copy-on-write).
 * 3. Checks: each worker's sum of all its rows equals the one computed from splitmix64_mix()
 *    on the host; each reply slot holds the sum of the last request that wrote it; after
 *    the workers exit, the parent's whole table is still splitmix64_mix(i): no worker's
 *    store reached it.
 *
 * Scale multiplies the table, the reply area and the requests.
 */
#include <inttypes.h>
#include <stdint.h>

#include "workloads/workloads_impl.h"

#define TABLE_WORDS (UINT64_C(2) << 20)	 /* 16 MiB */
#define REPLY_WORDS (UINT64_C(32) << 10) /* 256 KiB: 64 pages each worker copies */
#define ROW_WORDS 8			 /* a 64-byte record */
#define NR_WORKERS 4
#define REQUESTS (UINT64_C(64) << 10) /* per worker */
#define SLICE 4096

struct worker {
	struct mmsim_task *task;
	uint64_t rng;	   /* its own request stream */
	uint64_t sum;	   /* of every row it read (simulated loads) */
	uint64_t expected; /* the same, computed on the host */
};

static uint64_t row_sum_expected(uint64_t first)
{
	uint64_t s = 0;

	for (uint64_t i = 0; i < ROW_WORDS; i++)
		s += splitmix64_mix(first + i);
	return s;
}

static uint64_t worker_row(struct worker *wk, uint64_t nr_rows)
{
	return (splitmix64_next(&wk->rng) >> 11) % nr_rows;
}

struct server {
	uint64_t table;	  /* address of word 0 */
	uint64_t words;	  /* in the table */
	uint64_t replies; /* words of the reply area, at the start of the table */
};

static void serve(struct workload_run *w, struct worker *wk, const struct server *sv,
		  uint64_t first_req, uint64_t nr_req)
{
	uint64_t nr_rows = (sv->words - sv->replies) / ROW_WORDS, table = sv->table;

	for (uint64_t r = first_req; r < first_req + nr_req && workload_ok(w); r++) {
		uint64_t first = sv->replies + worker_row(wk, nr_rows) * ROW_WORDS;
		uint64_t s = 0;

		for (uint64_t i = 0; i < ROW_WORDS; i++)
			s += workload_load(w, wk->task, table + (first + i) * 8);
		wk->sum += s;
		wk->expected += row_sum_expected(first);
		workload_store(w, wk->task, table + (r % sv->replies) * 8, s);
	}
}

/* Each reply slot holds the sum of the last request that wrote it, replayed on the host. */
static bool check_replies(struct workload_run *w, struct worker *wk, uint64_t seed_rng,
			  const struct server *sv, uint64_t nr_req)
{
	uint64_t nr_rows = (sv->words - sv->replies) / ROW_WORDS;
	uint64_t first_last = nr_req > sv->replies ? nr_req - sv->replies : 0;
	struct worker replay = { .rng = seed_rng };

	for (uint64_t r = 0; r < nr_req && workload_ok(w); r++) {
		uint64_t first = sv->replies + worker_row(&replay, nr_rows) * ROW_WORDS;
		uint64_t got;

		if (r < first_last)
			continue;
		got = workload_load(w, wk->task, sv->table + (r % sv->replies) * 8);
		if (got != row_sum_expected(first)) {
			workload_fail(w,
				      "pid %d: reply slot %" PRIu64 " holds 0x%" PRIx64
				      ", want 0x%" PRIx64,
				      mmsim_task_pid(wk->task), r % sv->replies, got,
				      row_sum_expected(first));
			return false;
		}
	}
	return workload_ok(w);
}

static void server_run(struct workload_run *w)
{
	struct server sv = { .words = workload_size(w, TABLE_WORDS, 4096),
			     .replies = workload_size(w, REPLY_WORDS, 512) };
	uint64_t nr_req = workload_size(w, REQUESTS, 1024), words = sv.words, table;
	struct worker wk[NR_WORKERS] = { { 0 } };
	uint64_t seeds[NR_WORKERS];
	struct mmsim_task *parent;
	uint64_t cow_before;

	w->res->planned = 2 * words + NR_WORKERS * nr_req * (ROW_WORDS + 1) +
			  NR_WORKERS * (nr_req < sv.replies ? nr_req : sv.replies);
	parent = workload_spawn(w);
	if (!parent)
		return;
	table = sv.table = workload_mmap(w, parent, words * 8);
	/* 1. The table. */
	for (uint64_t i = 0; i < words && workload_ok(w); i++)
		workload_store(w, parent, table + i * 8, splitmix64_mix(i));
	/* 2. The workers. */
	cow_before = workload_counter(w, "pgfault");
	for (int i = 0; i < NR_WORKERS; i++) {
		wk[i].task = workload_fork(w, parent);
		seeds[i] = wk[i].rng = workload_rand(w);
	}
	for (uint64_t done = 0; done < nr_req && workload_ok(w); done += SLICE) {
		uint64_t n = nr_req - done < SLICE ? nr_req - done : SLICE;

		for (int i = 0; i < NR_WORKERS && workload_ok(w); i++)
			serve(w, &wk[i], &sv, done, n);
	}
	/* 3. Checks: sums, reply slots, then the parent's table. */
	for (int i = 0; i < NR_WORKERS && workload_ok(w); i++) {
		if (wk[i].sum != wk[i].expected)
			workload_fail(w, "pid %d: rows summed to 0x%" PRIx64 ", want 0x%" PRIx64,
				      mmsim_task_pid(wk[i].task), wk[i].sum, wk[i].expected);
		else
			check_replies(w, &wk[i], seeds[i], &sv, nr_req);
	}
	workload_note(w,
		      "%d workers served %" PRIu64 " requests each; faults while serving: %" PRIu64,
		      NR_WORKERS, nr_req, workload_counter(w, "pgfault") - cow_before);
	for (int i = 0; i < NR_WORKERS; i++)
		workload_exit(w, wk[i].task);
	for (uint64_t i = 0; i < words && workload_ok(w); i++) {
		uint64_t got = workload_load(w, parent, table + i * 8);

		if (got != splitmix64_mix(i))
			workload_fail(w,
				      "parent's word %" PRIu64 " is 0x%" PRIx64 ", want 0x%" PRIx64
				      ": a worker's store leaked through copy-on-write",
				      i, got, splitmix64_mix(i));
	}
	workload_pass(w,
		      "%d workers' %" PRIu64 " row sums and reply slots right; the parent's "
		      "%" PRIu64 " MiB table untouched by their stores (copy-on-write)",
		      NR_WORKERS, NR_WORKERS * nr_req, words * 8 >> 20);
}

const struct workload_def workload_server = {
	.info = {
		.name = "server",
		.summary = "forking server: a parent's 16 MiB table, 4 workers read rows and "
			   "write replies (copy-on-write)",
		.config = "mem=16M swap=64M",
	},
	.run = server_run,
};
