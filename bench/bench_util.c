/*
 * bench/bench_util.c: timing helpers (see bench_util.h).
 */
#include "bench_util.h"

#include <stdio.h>
#include <time.h>

static volatile uint64_t sink;

double bench_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
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
