/*
 * bench/bench_util.c: timing helpers (see bench_util.h).
 */
#include "bench_util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static volatile uint64_t sink;

double bench_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

double bench_cpu_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

void bench_sink(uint64_t v)
{
	sink += v;
}

double bench_report(const char *name, uint64_t ops, double seconds)
{
	double rate = seconds > 0 ? (double)ops / seconds : 0;

	printf("%-44s %12llu ops in %7.3f s = %14.0f ops/s\n", name, (unsigned long long)ops,
	       seconds, rate);
	return rate;
}

void bench_ratio(const char *name, double a, double b)
{
	printf("%-44s ratio %.3f\n", name, b > 0 ? a / b : 0.0);
}

void *bench_xmalloc(const char *prog, size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p) {
		fprintf(stderr, "%s: out of memory\n", prog);
		exit(1);
	}
	return p;
}

uint32_t *bench_zipf_pages(const char *prog, uint64_t *rng, uint32_t n, double theta,
			   uint64_t count, unsigned int store_one_in)
{
	double *cdf = bench_xmalloc(prog, n * sizeof(*cdf)), sum = 0;
	uint32_t *perm = bench_xmalloc(prog, n * sizeof(*perm));
	uint32_t *out = bench_xmalloc(prog, count * sizeof(*out));

	for (uint32_t i = 0; i < n; i++) {
		sum += 1.0 / pow((double)i + 1, theta);
		cdf[i] = sum;
		perm[i] = i;
	}
	for (uint32_t i = n - 1; i > 0; i--) {
		uint32_t j = (uint32_t)(bench_xorshift(rng) % (i + 1)), t = perm[i];

		perm[i] = perm[j], perm[j] = t;
	}
	for (uint64_t k = 0; k < count; k++) {
		double u = (double)(bench_xorshift(rng) >> 11) / (double)(UINT64_C(1) << 53) * sum;
		uint32_t lo = 0, hi = n - 1;

		while (lo < hi) {
			uint32_t mid = lo + (hi - lo) / 2;

			if (cdf[mid] < u)
				lo = mid + 1;
			else
				hi = mid;
		}
		out[k] = perm[lo];
		if (store_one_in && bench_xorshift(rng) % store_one_in == 0)
			out[k] |= UINT32_C(1) << 31;
	}
	free(cdf);
	free(perm);
	return out;
}
