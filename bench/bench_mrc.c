/*
 * bench/bench_mrc.c: miss-ratio curves (issue 16): the exact one-pass LRU curve against one
 * plain demand-LRU replay of the same trace (the target: under 2x), and SHARDS
 * sampled curves against the exact one (time and mean absolute error of the miss ratio).
 *
 * The stream: Zipf 0.9 stores over 262,144 pages (1 GiB) in an in-memory mmsim binary
 * trace, 2M accesses (BENCH_SCALE=N multiplies them), read as `mmsim mrc` reads a trace
 * file. The replay row: mmsim_replay_trace() on a machine with policy=lru, reclaim=demand
 * and frames = a tenth of the pages (boot not timed). Both print their misses at that size,
 * which must agree (the curve equals the sweep's). MAE: of the miss ratio over the sizes
 * `mmsim mrc` draws by default (footprint / 256, doubling, up to the footprint).
 *
 * Then the exact curve and SHARDS R = 0.1 and 0.01 on a real program's trace (zstd
 * decompressing: tests/data/traces/README.md), and two rows that every pass contains: reading
 * the trace alone (zstd decompression and record decoding, no curve), and booting and
 * destroying the probing machine mmsim_mrc_build() makes (the bench's machine: 2 GiB).
 *
 * Times are CPU time of the calling thread (CLOCK_THREAD_CPUTIME_ID: user and system, so the
 * host page faults of a boot count; other processes on a shared machine do not), best of one.
 */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench_util.h"
#include "mmsim/mmsim.h"
#include "mmsim/mrc.h"
#include "mmsim/replay.h"
#include "mmsim/trace.h"

#define PAGE_SHIFT 12
#define BASE_VA UINT64_C(0x10000000)
#define NR_PAGES 262144u
/* Under the source tree (bench/bench.cmake defines MMSIM_SOURCE_DIR). */
#define REAL_TRACE "tests/data/traces/zstd-d.trace.zst"

static uint64_t rng_state = 2463534242ull;

static void die(const char *what, const char *msg)
{
	fprintf(stderr, "bench_mrc: %s: %s\n", what, msg);
	exit(1);
}

/* The whole file at path, read into memory; its size in *size. */
static void *read_file(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	void *bin;

	if (!f || fseek(f, 0, SEEK_END))
		die(path, "cannot read it");
	*size = (size_t)ftell(f);
	rewind(f);
	bin = bench_xmalloc("bench_mrc", *size);
	if (fread(bin, 1, *size, f) != *size)
		die(path, "cannot read it");
	fclose(f);
	return bin;
}

/* The stream as an mmsim binary trace in memory (written to a file, read back). */
static void *zipf_trace(uint64_t count, size_t *size)
{
	uint32_t *pages;
	char path[] = "/tmp/mmsim-bench-mrc-XXXXXX";
	struct mmsim_trace_writer_opts o = { 0 };
	struct mmsim_trace_writer *w;
	struct mmsim_error e = { 0 };
	int fd = mkstemp(path);
	void *bin;

	if (fd < 0 || mmsim_trace_writer_create(path, &o, &w, &e))
		die("trace writer", e.msg);
	pages = bench_zipf_pages("bench_mrc", &rng_state, NR_PAGES, 0.9, count, 0);
	for (uint64_t k = 0; k < count; k++) {
		struct mmsim_trace_record rec = { .size = 8, .kind = MMSIM_TRACE_STORE };

		rec.addr = BASE_VA + ((uint64_t)pages[k] << PAGE_SHIFT) + (k * 8 & 4095);
		if (mmsim_trace_write(w, &rec, &e))
			die("trace write", e.msg);
	}
	if (mmsim_trace_writer_finish(w, &e))
		die("trace finish", e.msg);
	mmsim_trace_writer_destroy(w);
	free(pages);
	/* The writer replaces the file on finish (atomic): open it again by name. */
	close(fd);
	bin = read_file(path, size);
	unlink(path);
	return bin;
}

static void machine(struct mmsim_config *c, const char *frames)
{
	const char *kv[] = { "mem", "2G",      "swap",	 "2G",	   "data", "off", "policy",
			     "lru", "reclaim", "demand", "frames", frames, NULL };
	struct mmsim_error e = { 0 };

	mmsim_config_default(c);
	for (const char **p = kv; p[0]; p += 2)
		if (mmsim_config_set(c, p[0], p[1], &e))
			die(p[0], e.msg);
}

/* Seconds for one curve; the curve in *out. */
static double curve(const void *bin, size_t size, double rate, uint64_t max, struct mmsim_mrc **out)
{
	struct mmsim_mrc_opts o = { .sample_rate = rate, .sample_max = max };
	struct mmsim_trace_reader *r;
	struct mmsim_error e = { 0 };
	struct mmsim_config c;
	double t0;

	machine(&c, "16");
	o.machine = &c;
	o.policy[MMSIM_MRC_LRU] = true;
	if (mmsim_trace_reader_create_memory(bin, size, "bench", &r, &e))
		die("reader", e.msg);
	t0 = bench_cpu_now();
	if (mmsim_mrc_build(r, NULL, &o, out, &e))
		die("mrc", e.msg);
	t0 = bench_cpu_now() - t0;
	mmsim_trace_reader_destroy(r);
	return t0;
}

/* Seconds for one demand-LRU replay with frames; its misses (first touches + major). */
static double replay(const void *bin, size_t size, uint64_t frames, uint64_t *misses)
{
	struct mmsim_trace_reader *r;
	struct mmsim_replay *rp;
	struct mmsim_system *sys;
	struct mmsim_replay_footprint fp;
	struct mmsim_error e = { 0 };
	struct mmsim_config c;
	uint64_t major = 0;
	char buf[32];
	double t0;

	snprintf(buf, sizeof(buf), "%llu", (unsigned long long)frames);
	machine(&c, buf);
	if (mmsim_trace_reader_create_memory(bin, size, "bench", &r, &e) ||
	    mmsim_replay_scan(r, &fp, &e) || mmsim_trace_rewind(r, &e))
		die("scan", e.msg);
	if (mmsim_system_create(&c, &sys, &e) || mmsim_replay_create(sys, &rp, &e))
		die("boot", e.msg);
	t0 = bench_cpu_now();
	if (mmsim_replay_trace(rp, r, NULL, &e))
		die("replay", e.msg);
	t0 = bench_cpu_now() - t0;
	mmsim_counter(sys, "pgmajfault", &major);
	*misses = fp.pages + major;
	mmsim_replay_destroy(rp);
	mmsim_system_destroy(sys);
	mmsim_trace_reader_destroy(r);
	return t0;
}

/* Seconds to read every record of the trace (as mmsim_mrc_build() reads it) and no more. */
static double read_only(const void *bin, size_t size, uint64_t *records)
{
	struct mmsim_trace_record *recs = bench_xmalloc("bench_mrc", 4096 * sizeof(*recs));
	struct mmsim_trace_reader *r;
	struct mmsim_error e = { 0 };
	uint64_t sum = 0;
	size_t n;
	double t0;

	*records = 0;
	if (mmsim_trace_reader_create_memory(bin, size, "bench", &r, &e))
		die("reader", e.msg);
	t0 = bench_cpu_now();
	do {
		if (mmsim_trace_read(r, recs, 4096, &n, &e))
			die("read", e.msg);
		for (size_t i = 0; i < n; i++)
			sum += recs[i].addr;
		*records += n;
	} while (n);
	t0 = bench_cpu_now() - t0;
	bench_sink(sum);
	mmsim_trace_reader_destroy(r);
	free(recs);
	return t0;
}

/* Seconds to boot and destroy the machine mmsim_mrc_build() probes on (mrc.c,
 * probe_create(): the bench's machine with policy fifo, no cap, no reclaim asked for). */
static double probe_boot(void)
{
	struct mmsim_system *sys;
	struct mmsim_error e = { 0 };
	struct mmsim_config c;
	double t0;

	machine(&c, "16");
	snprintf(c.policy, sizeof(c.policy), "fifo");
	c.reclaim[0] = '\0';
	c.frames = 0;
	t0 = bench_cpu_now();
	if (mmsim_system_create(&c, &sys, &e))
		die("boot", e.msg);
	mmsim_system_destroy(sys);
	return bench_cpu_now() - t0;
}

/* Over `mmsim mrc`'s default sizes: pages / 256 (at least 16), doubling, up to pages. */
static double mae(const struct mmsim_mrc *est, const struct mmsim_mrc *exact, uint64_t pages)
{
	uint64_t f = pages / 256 > 16 ? pages / 256 : 16;
	double sum = 0;
	unsigned int n = 0;

	for (; f <= pages; f *= 2, n++)
		sum += fabs(mmsim_mrc_miss_ratio(est, MMSIM_MRC_LRU, f) -
			    mmsim_mrc_miss_ratio(exact, MMSIM_MRC_LRU, f));
	return n ? sum / n : 0;
}

static const struct {
	const char *name;
	double rate;
	uint64_t max;
} samples[] = {
	{ "SHARDS R=0.1", 0.1, 0 },	      { "SHARDS R=0.01", 0.01, 0 },
	{ "SHARDS R=0.001", 0.001, 0 },	      { "SHARDS max 8192 pages", 0, 8192 },
	{ "SHARDS max 1024 pages", 0, 1024 },
};

/* The sampled rows against the exact curve (t_exact seconds), for samples[0..nr). */
static void sampled_rows(const void *bin, size_t size, const struct mmsim_mrc *exact,
			 double t_exact, uint64_t footprint, size_t nr)
{
	struct mmsim_mrc_info info;
	struct mmsim_mrc *est;
	double t;

	for (size_t i = 0; i < nr; i++) {
		t = curve(bin, size, samples[i].rate, samples[i].max, &est);
		mmsim_mrc_get_info(est, &info);
		printf("%-24s %9.3f %9.1fx %10.5f  final rate %.5f, %llu pages sampled\n",
		       samples[i].name, t, t_exact / t, mae(est, exact, footprint), info.rate,
		       (unsigned long long)info.pages);
		mmsim_mrc_destroy(est);
	}
}

int main(void)
{
	const char *scale_env = getenv("BENCH_SCALE");
	uint64_t scale = scale_env ? strtoull(scale_env, NULL, 10) : 1, n, frames, rmiss, footprint;
	struct mmsim_mrc *exact;
	struct mmsim_mrc_info info;
	double loads[3] = { 0 }, t_exact, t_replay;
	size_t size;
	void *bin;

	n = 2000000 * (scale ? scale : 1);
	bin = zipf_trace(n, &size);
	getloadavg(loads, 3);
	printf("bench_mrc: %llu stores, Zipf 0.9 over %u pages; load average %.1f\n",
	       (unsigned long long)n, NR_PAGES, loads[0]);
	t_exact = curve(bin, size, 0, 0, &exact);
	mmsim_mrc_get_info(exact, &info);
	if (info.accesses != n)
		die("trace", "the curve saw another number of accesses than were written");
	footprint = info.pages;
	frames = info.pages / 10;
	t_replay = replay(bin, size, frames, &rmiss);
	printf("%-24s %9s %10s %10s  %s\n", "curve", "seconds", "vs exact", "MAE", "note");
	printf("%-24s %9.3f %10s %10s  %.2fx one demand-LRU replay at %llu frames (%.3f s); "
	       "misses there: curve %llu, replay %llu\n",
	       "LRU exact, one pass", t_exact, "1.00x", "0", t_exact / t_replay,
	       (unsigned long long)frames, t_replay,
	       (unsigned long long)mmsim_mrc_misses(exact, MMSIM_MRC_LRU, frames),
	       (unsigned long long)rmiss);
	sampled_rows(bin, size, exact, t_exact, footprint, sizeof(samples) / sizeof(samples[0]));
	mmsim_mrc_destroy(exact);
	free(bin);

	/* The real program's trace: the exact curve, SHARDS R = 0.1 and 0.01. */
	bin = read_file(MMSIM_SOURCE_DIR "/" REAL_TRACE, &size);
	t_exact = curve(bin, size, 0, 0, &exact);
	mmsim_mrc_get_info(exact, &info);
	printf("\nbench_mrc: %s (%llu accesses, %llu pages)\n", REAL_TRACE,
	       (unsigned long long)info.accesses, (unsigned long long)info.pages);
	printf("%-24s %9.3f %10s %10s\n", "LRU exact, one pass", t_exact, "1.00x", "0");
	sampled_rows(bin, size, exact, t_exact, info.pages, 2);
	{
		uint64_t records;
		double t_read = read_only(bin, size, &records), t_boot = probe_boot();

		printf("%-24s %9.3f %9.1fx %10s  %llu records: zstd and decoding, no curve\n",
		       "reading alone", t_read, t_exact / t_read, "-", (unsigned long long)records);
		printf("%-24s %9.3f %9.1fx %10s  boot and destroy of the probing machine (2 GiB)\n",
		       "probe machine alone", t_boot, t_exact / t_boot, "-");
	}
	mmsim_mrc_destroy(exact);
	free(bin);
	return 0;
}
