/*
 * workloads/sort.c: an external-memory-style sort of more data than the machine has
 * memory: sorted runs that fit in memory, then one k-way merge, as a database sorts a table
 * larger than its buffer pool; here the "disk" is swap.
 *
 * The records are 8-byte words: a random 32-bit key in the upper half, the record's input
 * position in the lower half, so all words differ and "sorted" means sorted as numbers.
 * 1. Generate N words into the input array (16 MiB at scale 1 on a 16 MiB machine),
 *    keeping an order-independent checksum (sum and xor of splitmix64_mix() of each word).
 * 2. Sort each run of RUN_WORDS words in place: a stable LSD radix sort on the key's two
 *    16-bit digits through a run-sized scratch array (both digits counted in one pass;
 *    the two counting tables are the only arrays kept on the host). The lower half is the
 *    input order, which a stable sort keeps, so each run ends sorted as whole words.
 * 3. Merge the runs into the output array: the smallest head among the runs goes next.
 * 4. Check the output: every word at least its predecessor, and the same checksum.
 *
 * Scale multiplies N.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "workloads/workloads_impl.h"

#define N_WORDS (UINT64_C(2) << 20)	/* 16 MiB */
#define RUN_WORDS (UINT64_C(256) << 10) /* 2 MiB: a run and its scratch fit in memory */
#define DIGITS 65536

struct checksum {
	uint64_t sum, x;
};

static void checksum_add(struct checksum *c, uint64_t word)
{
	uint64_t m = splitmix64_mix(word);

	c->sum += m;
	c->x ^= m;
}

/* 2. A stable LSD radix sort of n words at run, through scratch, by the key's two digits. */
static void sort_run(struct workload_run *w, struct mmsim_task *t, uint64_t run, uint64_t scratch,
		     uint64_t n, uint32_t (*count)[DIGITS])
{
	memset(count, 0, 2 * sizeof(*count));
	for (uint64_t i = 0; i < n && workload_ok(w); i++) {
		uint64_t v = workload_load(w, t, run + i * 8);

		count[0][(v >> 32) & 0xffff]++;
		count[1][v >> 48]++;
	}
	for (int d = 0; d < 2; d++) {
		uint64_t from = d == 0 ? run : scratch, to = d == 0 ? scratch : run;
		uint32_t pos = 0;

		for (uint32_t b = 0; b < DIGITS; b++) {
			uint32_t c = count[d][b];

			count[d][b] = pos;
			pos += c;
		}
		for (uint64_t i = 0; i < n && workload_ok(w); i++) {
			uint64_t v = workload_load(w, t, from + i * 8);
			uint32_t b = d == 0 ? (v >> 32) & 0xffff : v >> 48;

			workload_store(w, t, to + (uint64_t)count[d][b]++ * 8, v);
		}
	}
}

struct run_head {
	uint64_t next; /* index of the next word to read */
	uint64_t end;
	uint64_t value; /* the word at next - 1: the run's current head */
};

/* 3. The k-way merge: k is small (N / RUN_WORDS), so a linear scan finds the smallest. */
static void merge(struct workload_run *w, struct mmsim_task *t, uint64_t in, uint64_t out,
		  uint64_t n, uint64_t run_words, struct run_head *heads, uint64_t k)
{
	for (uint64_t r = 0; r < k; r++) {
		heads[r].next = r * run_words;
		heads[r].end = heads[r].next + run_words < n ? heads[r].next + run_words : n;
		heads[r].value = workload_load(w, t, in + heads[r].next++ * 8);
	}
	for (uint64_t o = 0; o < n && workload_ok(w); o++) {
		uint64_t best = k;

		for (uint64_t r = 0; r < k; r++) {
			if (heads[r].next <= heads[r].end &&
			    (best == k || heads[r].value < heads[best].value))
				best = r;
		}
		workload_store(w, t, out + o * 8, heads[best].value);
		if (heads[best].next < heads[best].end)
			heads[best].value = workload_load(w, t, in + heads[best].next * 8);
		heads[best].next++;
	}
}

static void sort_run_all(struct workload_run *w)
{
	uint64_t n = workload_size(w, N_WORDS, 4096), run_words = RUN_WORDS >> w->shrink;
	uint64_t k = (n + run_words - 1) / run_words;
	uint32_t(*count)[DIGITS] = malloc(2 * sizeof(*count));
	struct run_head *heads = calloc(k, sizeof(*heads));
	struct checksum in_sum = { 0 }, out_sum = { 0 };
	uint64_t in, scratch, out, prev = 0, before;
	struct mmsim_task *t;

	w->res->planned = 9 * n;
	if (!count || !heads) {
		workload_fail(w, "out of host memory");
		goto out_free;
	}
	t = workload_spawn(w);
	if (!t)
		goto out_free;
	in = workload_mmap(w, t, n * 8);
	scratch = workload_mmap(w, t, run_words * 8);
	out = workload_mmap(w, t, n * 8);
	/* 1. Generate. */
	for (uint64_t i = 0; i < n && workload_ok(w); i++) {
		uint64_t v = (workload_rand(w) & ~UINT64_C(0xffffffff)) | i;

		checksum_add(&in_sum, v);
		workload_store(w, t, in + i * 8, v);
	}
	/* 2. Runs. */
	before = workload_counter(w, "pgmajfault");
	for (uint64_t r = 0; r < k && workload_ok(w); r++) {
		uint64_t len = n - r * run_words < run_words ? n - r * run_words : run_words;

		sort_run(w, t, in + r * run_words * 8, scratch, len, count);
	}
	workload_note(w, "%" PRIu64 " runs of %" PRIu64 " KiB sorted; major faults: %" PRIu64, k,
		      run_words * 8 >> 10, workload_counter(w, "pgmajfault") - before);
	/* 3. Merge. */
	before = workload_counter(w, "pgmajfault");
	if (workload_ok(w))
		merge(w, t, in, out, n, run_words, heads, k);
	workload_note(w, "%" PRIu64 "-way merge; major faults: %" PRIu64, k,
		      workload_counter(w, "pgmajfault") - before);
	/* 4. Check. */
	for (uint64_t i = 0; i < n && workload_ok(w); i++) {
		uint64_t v = workload_load(w, t, out + i * 8);

		if (i && v < prev)
			workload_fail(w,
				      "output word %" PRIu64 " (0x%016" PRIx64
				      ") is below its predecessor (0x%016" PRIx64 ")",
				      i, v, prev);
		checksum_add(&out_sum, v);
		prev = v;
	}
	if (workload_ok(w) && (out_sum.sum != in_sum.sum || out_sum.x != in_sum.x))
		workload_fail(w,
			      "the output is sorted but is not the input: checksum 0x%016" PRIx64
			      ", want 0x%016" PRIx64,
			      out_sum.sum, in_sum.sum);
	workload_pass(w,
		      "%" PRIu64 " MiB of records sorted; order and checksum (0x%016" PRIx64
		      ") verified",
		      n * 8 >> 20, in_sum.sum);
out_free:
	free(count);
	free(heads);
}

const struct workload_def workload_sort = {
	.info = {
		.name = "sort",
		.summary = "external-memory-style sort of 16 MiB of records: sorted runs, then a "
			   "k-way merge",
		.config = "mem=16M swap=64M",
	},
	.run = sort_run_all,
};
