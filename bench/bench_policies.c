/*
 * bench/bench_policies.c: each replacement policy's speed on the same page stream (issue 19),
 * one row a policy, in the registry's order (mmsim_policy_info()).
 *
 * The stream (fixed seed): 1M accesses, Zipf 0.9 over 65,536 pages (256 MiB), one store in
 * four, the rest loads; 8,192 frames (32 MiB), reclaim=demand, tlb=off, swap=512M: about a
 * third of the accesses miss, so the figures weigh each policy's bookkeeping per access
 * (oracles hear every one) and per eviction (scans, walks). Every policy sees exactly the
 * same accesses through mmsim_access() (opt through mmsim_access_future() with next-use
 * times computed here, as the trace pre-pass would). Each row prints accesses per second,
 * the faults taken (minor + major: the policies' quality on this stream), and its speed
 * relative to lru's row of the same run, which holds on a busy machine where absolute
 * figures do not. A row stops after ROW_SECONDS and says at which access (nru: with every
 * resident page dirty it scans all frames twice per eviction). BENCH_SCALE=N multiplies the stream
 * length; BENCH_POLICIES=a,b,... runs only those (lru always runs, for the ratio).
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_util.h"
#include "mmsim/info.h"
#include "mmsim/mmsim.h"

#define PAGE 4096u
#define NR_PAGES 65536u
#define FRAMES "8192"

static uint64_t rng_state = 88172645463325252ull;

static void *xmalloc(size_t n)
{
	return bench_xmalloc("bench_policies", n);
}

/* Page numbers, Zipf(theta) by rank, ranks scattered by a fixed permutation; bit 31 of each
 * entry marks a store. */
static uint32_t *make_stream(uint64_t count)
{
	return bench_zipf_pages("bench_policies", &rng_state, NR_PAGES, 0.9, count, 4);
}

/* next[k]: the position of the next access to the same page, UINT64_MAX when none. */
static uint64_t *next_uses(const uint32_t *stream, uint64_t count)
{
	uint64_t *next = xmalloc(count * sizeof(*next));
	uint64_t *last = xmalloc(NR_PAGES * sizeof(*last));

	for (uint32_t i = 0; i < NR_PAGES; i++)
		last[i] = UINT64_MAX;
	for (uint64_t k = count; k-- > 0;) {
		uint32_t page = stream[k] & ~(UINT32_C(1) << 31);

		next[k] = last[page];
		last[page] = k;
	}
	free(last);
	return next;
}

/* A row stops after this long (nru scans every frame per eviction when all are dirty). */
#define ROW_SECONDS 10.0

struct row {
	double rate;
	uint64_t faults;
	uint64_t done; /* accesses run: count, or fewer when the row ran out of time */
};

static bool run(const char *policy, const uint32_t *stream, const uint64_t *next, uint64_t count,
		struct row *out)
{
	struct mmsim_config c;
	struct mmsim_system *s;
	struct mmsim_error e = { 0 };
	struct mmsim_task *t;
	struct mmsim_task_stats st;
	uint64_t base;
	double t0;

	mmsim_config_default(&c);
	if (mmsim_config_set(&c, "policy", policy, &e) ||
	    mmsim_config_set(&c, "reclaim", "demand", &e) ||
	    mmsim_config_set(&c, "frames", FRAMES, &e) || mmsim_config_set(&c, "tlb", "off", &e) ||
	    mmsim_config_set(&c, "swap", "512M", &e) || mmsim_system_create(&c, &s, &e)) {
		fprintf(stderr, "bench_policies: %s: %s\n", policy, e.msg);
		return false;
	}
	if (mmsim_task_spawn(s, &t) ||
	    mmsim_mmap(t, 0, (uint64_t)NR_PAGES * PAGE, MMSIM_PROT_READ | MMSIM_PROT_WRITE,
		       MMSIM_MAP_PRIVATE | MMSIM_MAP_ANONYMOUS, &base)) {
		fprintf(stderr, "bench_policies: %s: cannot set up the task\n", policy);
		mmsim_system_destroy(s);
		return false;
	}
	t0 = bench_now();
	out->done = count;
	for (uint64_t k = 0; k < count; k++) {
		uint64_t va = base + (uint64_t)(stream[k] & ~(UINT32_C(1) << 31)) * PAGE;
		enum mmsim_access kind = stream[k] >> 31 ? MMSIM_ACCESS_WRITE : MMSIM_ACCESS_READ;

		if (next)
			mmsim_access_future(t, va, kind, true, next[k]);
		else
			mmsim_access(t, va, kind, true);
		if (k % 4096 == 4095 && bench_now() - t0 > ROW_SECONDS) {
			out->done = k + 1;
			break;
		}
	}
	out->rate = (double)out->done / (bench_now() - t0);
	mmsim_task_stats(t, &st);
	out->faults = st.minflt + st.majflt;
	mmsim_system_destroy(s);
	return true;
}

static bool wanted(const char *only, const char *name)
{
	size_t n = strlen(name);

	if (!only || !strcmp(name, "lru"))
		return true;
	for (const char *p = only; (p = strstr(p, name)); p += n) {
		if ((p == only || p[-1] == ',') && (p[n] == ',' || p[n] == '\0'))
			return true;
	}
	return false;
}

int main(void)
{
	const char *scale_env = getenv("BENCH_SCALE");
	const char *only = getenv("BENCH_POLICIES");
	uint64_t count = UINT64_C(1000000) * (scale_env ? strtoull(scale_env, NULL, 10) : 1);
	uint32_t *stream = make_stream(count ? count : 1);
	uint64_t *next = next_uses(stream, count);
	struct row lru = { 0 };
	struct mmsim_policy_info info;
	int rc = 0;

	printf("policies: %llu accesses, Zipf 0.9 over %u pages, 1/4 stores, frames=%s, "
	       "reclaim=demand tlb=off\n",
	       (unsigned long long)count, NR_PAGES, FRAMES);
	if (!run("lru", stream, NULL, count, &lru))
		return 1;
	for (unsigned int i = 0; !mmsim_policy_info(i, &info); i++) {
		const char *name = info.name;
		struct row r;
		char label[64];

		if (!wanted(only, name))
			continue;
		if (!strcmp(name, "lru")) {
			r = lru;
		} else if (!run(name, stream, !strcmp(name, "opt") ? next : NULL, count, &r)) {
			rc = 1;
			continue;
		}
		if (r.done == count)
			snprintf(label, sizeof(label), "policy %-9s (%llu faults)", name,
				 (unsigned long long)r.faults);
		else
			snprintf(label, sizeof(label), "policy %-9s (stopped at %llu)", name,
				 (unsigned long long)r.done);
		printf("%-44s %14.0f accesses/s   x%.2f of lru\n", label, r.rate,
		       lru.rate > 0 ? r.rate / lru.rate : 0.0);
	}
	free(stream);
	free(next);
	return rc;
}
