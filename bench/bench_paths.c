/*
 * bench/bench_paths.c: one table of the per-path speed figures of issue 15, each beside a
 * baseline measured in the same run on the same page stream, so the ratio holds on a busy
 * or slower machine where the absolute figures do not.
 *
 * Rows (streams made here from fixed seeds; replayed as `mmsim run` replays a trace: an
 * in-memory mmsim binary trace, decoded and replayed through the public API):
 *   hit   64 hot pages take 90 % of the loads, the rest fall anywhere in 16 MiB: nearly all
 *         TLB hits.                                 Baseline: raw scan of the same records.
 *   walk  Zipf 0.9 over 262,144 pages (1 GiB), mem=2G swap=4G: TLB misses and page walks,
 *         no reclaim.                               Baseline: raw scan.
 *   lru   Zipf 0.9 stores over 1M pages, 100k frames, reclaim=demand tlb=off.
 *                                                   Baseline: textbook LRU (hash map + list).
 *   fifo  the same stream.                          Baseline: textbook FIFO (hash map + list).
 *   opt   the same stream (pre-pass included).      Baseline: textbook Belady (next-use
 *                                                   pre-pass + max-heap, hash maps).
 * The policy baselines are the "hash map + list" loops (a chained hash map, a node
 * allocated per resident page); each row also gives its ratio to the same loop over an
 * array-indexed map (pages are dense here), the cheapest possible map.
 *   boot  mmsim_system_create() with mem=64G.       Baseline: the same with mem=64M.
 * The policy rows print both miss counts, which must agree: demand reclaim evicts one page
 * a miss, as the textbook loops do. BENCH_SCALE=N multiplies the stream lengths;
 * BENCH_ROWS=hit,walk,... runs only the rows named. Every time is the thread's CPU time
 * (bench_cpu_now()): on a shared machine the wall clock also counts the other jobs, and a
 * ratio of two wall times taken moments apart moved by 5x between runs (issue 15).
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "bench_util.h"
#include "mmsim/mmsim.h"
#include "mmsim/replay.h"
#include "mmsim/trace.h"

#define PAGE_SHIFT 12
#define BASE_VA UINT64_C(0x10000000)
#define NONE UINT32_MAX

static uint64_t rng_state = 88172645463325252ull;

static uint64_t xorshift(void)
{
	return bench_xorshift(&rng_state);
}

static void *xmalloc(size_t n)
{
	return bench_xmalloc("bench_paths", n);
}

/* count page numbers 0..n-1, Zipf(theta) by rank, ranks scattered by a fixed permutation. */
static uint32_t *zipf_pages(uint32_t n, double theta, uint64_t count)
{
	return bench_zipf_pages("bench_paths", &rng_state, n, theta, count, 0);
}

/* ---- Streams as mmsim binary traces in memory ----------------------------------------- */

struct stream {
	struct mmsim_trace_record *recs;
	uint64_t nr;
	void *bin; /* the same records as an mmsim binary trace */
	size_t bin_size;
};

static void stream_encode(struct stream *s)
{
	char path[] = "/tmp/mmsim-bench-XXXXXX";
	int fd = mkstemp(path);
	struct mmsim_trace_writer_opts o = { 0 };
	struct mmsim_trace_writer *w;
	struct mmsim_error e = { 0 };
	FILE *f;

	if (fd < 0 || mmsim_trace_writer_create(path, &o, &w, &e)) {
		fprintf(stderr, "bench_paths: trace writer: %s\n", e.msg);
		exit(1);
	}
	for (uint64_t i = 0; i < s->nr; i++)
		if (mmsim_trace_write(w, &s->recs[i], &e)) {
			fprintf(stderr, "bench_paths: %s\n", e.msg);
			exit(1);
		}
	if (mmsim_trace_writer_finish(w, &e)) {
		fprintf(stderr, "bench_paths: %s\n", e.msg);
		exit(1);
	}
	mmsim_trace_writer_destroy(w);
	/* The writer replaces the file on finish (atomic): open it again by name. */
	close(fd);
	f = fopen(path, "rb");
	fseek(f, 0, SEEK_END);
	s->bin_size = (size_t)ftell(f);
	rewind(f);
	s->bin = xmalloc(s->bin_size);
	if (!f || fread(s->bin, 1, s->bin_size, f) != s->bin_size) {
		fprintf(stderr, "bench_paths: cannot read back %s\n", path);
		exit(1);
	}
	fclose(f);
	unlink(path);
}

static struct stream stream_of_pages(const uint32_t *pages, uint64_t nr, enum mmsim_trace_kind k)
{
	struct stream s = { .recs = xmalloc(nr * sizeof(*s.recs)), .nr = nr };

	for (uint64_t i = 0; i < nr; i++)
		s.recs[i] = (struct mmsim_trace_record){
			.addr = BASE_VA + ((uint64_t)pages[i] << PAGE_SHIFT) + (i * 8 & 4095),
			.size = 8,
			.kind = k,
		};
	stream_encode(&s);
	return s;
}

static void stream_free(struct stream *s)
{
	free(s->recs);
	free(s->bin);
}

/* The floor: one pass over the records, touching each field a replay needs; the fastest
 * of RAW_SCAN_PASSES passes (a pass takes milliseconds, so one cache-cold start or one
 * interruption would weigh on it as it does not on the longer rows). */
#define RAW_SCAN_PASSES 5

static double raw_scan(const struct stream *s)
{
	double best = 0;

	for (int pass = 0; pass < RAW_SCAN_PASSES; pass++) {
		double t0 = bench_cpu_now(), t;
		uint64_t sum = 0;

		for (uint64_t i = 0; i < s->nr; i++)
			sum += (s->recs[i].addr >> PAGE_SHIFT) + s->recs[i].kind + s->recs[i].pid;
		bench_sink(sum);
		t = bench_cpu_now() - t0;
		if (pass == 0 || t < best)
			best = t;
	}
	return best;
}

/* ---- mmsim ------------------------------------------------------------------------------ */

static struct mmsim_system *boot(const char *const *kv)
{
	struct mmsim_config c;
	struct mmsim_system *sys;
	struct mmsim_error e = { 0 };

	mmsim_config_default(&c);
	for (; kv && kv[0]; kv += 2)
		if (mmsim_config_set(&c, kv[0], kv[1], &e)) {
			fprintf(stderr, "bench_paths: %s=%s: %s\n", kv[0], kv[1], e.msg);
			exit(1);
		}
	if (mmsim_system_create(&c, &sys, &e)) {
		fprintf(stderr, "bench_paths: boot: %s\n", e.msg);
		exit(1);
	}
	return sys;
}

/* Seconds to replay s on a machine booted with kv (boot not timed; the opt pre-pass is);
 * *faults gets pgfault. */
static double replay(const struct stream *s, const char *const *kv, uint64_t *faults)
{
	struct mmsim_system *sys = boot(kv);
	struct mmsim_trace_reader *r;
	struct mmsim_replay_future *fut = NULL;
	struct mmsim_replay *rp;
	struct mmsim_error e = { 0 };
	double t0 = bench_cpu_now(), t;

	if (mmsim_trace_reader_create_memory(s->bin, s->bin_size, "bench", &r, &e) ||
	    mmsim_replay_create(sys, &rp, &e)) {
		fprintf(stderr, "bench_paths: %s\n", e.msg);
		exit(1);
	}
	if (mmsim_needs_future(sys)) {
		if (mmsim_replay_future_build(r, &fut, &e) || mmsim_trace_rewind(r, &e)) {
			fprintf(stderr, "bench_paths: pre-pass: %s\n", e.msg);
			exit(1);
		}
		mmsim_replay_set_future(rp, fut);
	}
	if (mmsim_replay_trace(rp, r, NULL, &e)) {
		fprintf(stderr, "bench_paths: replay: %s\n", e.msg);
		exit(1);
	}
	t = bench_cpu_now() - t0;
	if (mmsim_counter(sys, "pgfault", faults))
		*faults = 0;
	mmsim_replay_destroy(rp);
	mmsim_replay_future_destroy(fut);
	mmsim_trace_reader_destroy(r);
	mmsim_system_destroy(sys);
	return t;
}

/* ---- Textbook policies over page numbers 0..n-1 ----------------------------------------- */

/* The page -> slot map is an array here (pages are dense), the textbook's hash map at its
 * cheapest; the list and queue are arrays of links. */
static uint64_t ref_lru(const uint32_t *pages, uint64_t nr, uint32_t n, uint32_t frames)
{
	uint32_t *prev = xmalloc(n * sizeof(*prev)), *next = xmalloc(n * sizeof(*next));
	uint8_t *in = calloc(n, 1);
	uint32_t head = NONE, tail = NONE, resident = 0; /* head: most recent */
	uint64_t misses = 0;

	if (!in)
		exit(1);
	for (uint64_t i = 0; i < nr; i++) {
		uint32_t p = pages[i];

		if (in[p]) {
			if (p == head)
				continue;
			next[prev[p]] = next[p]; /* unlink */
			if (next[p] != NONE)
				prev[next[p]] = prev[p];
			else
				tail = prev[p];
		} else {
			misses++;
			if (resident == frames) {
				uint32_t v = tail;

				in[v] = 0;
				tail = prev[v];
				if (tail != NONE)
					next[tail] = NONE;
				else
					head = NONE;
			} else {
				resident++;
			}
			in[p] = 1;
		}
		prev[p] = NONE; /* push front */
		next[p] = head;
		if (head != NONE)
			prev[head] = p;
		head = p;
		if (tail == NONE)
			tail = p;
	}
	free(prev);
	free(next);
	free(in);
	return misses;
}

static uint64_t ref_fifo(const uint32_t *pages, uint64_t nr, uint32_t n, uint32_t frames)
{
	uint32_t *queue = xmalloc(frames * sizeof(*queue)), qh = 0, resident = 0;
	uint8_t *in = calloc(n, 1);
	uint64_t misses = 0;

	if (!in)
		exit(1);
	for (uint64_t i = 0; i < nr; i++) {
		uint32_t p = pages[i];

		if (in[p])
			continue;
		misses++;
		if (resident == frames) {
			in[queue[qh]] = 0;
			queue[qh] = p;
			qh = (qh + 1) % frames;
		} else {
			queue[resident++] = p;
		}
		in[p] = 1;
	}
	free(queue);
	free(in);
	return misses;
}

struct heap_ent {
	uint64_t next_use;
	uint32_t page;
};

/* Takes the entry with the latest next use off the max-heap h of *hn entries. */
static struct heap_ent heap_pop(struct heap_ent *h, uint64_t *hn)
{
	struct heap_ent top = h[0], x = h[--*hn];
	uint64_t k = 0, n = *hn;

	for (;;) {
		uint64_t c = 2 * k + 1;

		if (c >= n)
			break;
		if (c + 1 < n && h[c + 1].next_use > h[c].next_use)
			c++;
		if (h[c].next_use <= x.next_use)
			break;
		h[k] = h[c];
		k = c;
	}
	if (n)
		h[k] = x;
	return top;
}

/* Belady: next uses from a backward pass, then a max-heap of (next use, page) with stale
 * entries skipped (each access pushes one; a page's live entry is its latest next use). */
static uint64_t ref_opt(const uint32_t *pages, uint64_t nr, uint32_t n, uint32_t frames)
{
	uint64_t *next_use = xmalloc(nr * sizeof(*next_use)), *last = xmalloc(n * sizeof(*last));
	uint64_t *cur = xmalloc(n * sizeof(*cur)), misses = 0, hn = 0;
	struct heap_ent *h = xmalloc((nr + 1) * sizeof(*h));
	uint8_t *in = calloc(n, 1);
	uint32_t resident = 0;

	if (!in)
		exit(1);
	for (uint32_t p = 0; p < n; p++)
		last[p] = UINT64_MAX;
	for (uint64_t i = nr; i-- > 0;) {
		next_use[i] = last[pages[i]];
		last[pages[i]] = i;
	}
	for (uint64_t i = 0; i < nr; i++) {
		uint32_t p = pages[i];

		if (!in[p]) {
			misses++;
			if (resident == frames) {
				for (;;) { /* pop until a live entry */
					struct heap_ent top = heap_pop(h, &hn);
					if (in[top.page] && cur[top.page] == top.next_use) {
						in[top.page] = 0;
						break;
					}
				}
			} else {
				resident++;
			}
			in[p] = 1;
		}
		cur[p] = next_use[i];
		{
			uint64_t k = hn++;
			struct heap_ent x = { next_use[i], p };

			while (k > 0 && h[(k - 1) / 2].next_use < x.next_use) {
				h[k] = h[(k - 1) / 2];
				k = (k - 1) / 2;
			}
			h[k] = x;
		}
	}
	free(next_use);
	free(last);
	free(cur);
	free(h);
	free(in);
	return misses;
}

/* ---- The same loops with the textbook's hash map (issue 15's baseline) -------------------- */

/*
 * A chained hash map from page to node, each node allocated on insert and freed on
 * eviction, with the node's list links in it: the hash map + list of a textbook (and of
 * libCacheSim's request loop, which chains objects in a hash table and links them in a
 * list). Buckets: a power of two, at least twice the entries it will hold.
 */
struct hnode {
	uint32_t page;
	struct hnode *chain;	   /* next in the bucket */
	struct hnode *prev, *next; /* the policy's list */
	uint64_t next_use;	   /* opt: the position of the page's next use */
};

struct hmap {
	struct hnode **b;
	unsigned int bits;
};

static void hmap_init(struct hmap *m, uint64_t entries)
{
	m->bits = 1;
	while ((UINT64_C(1) << m->bits) < 2 * entries)
		m->bits++;
	m->b = calloc(UINT64_C(1) << m->bits, sizeof(*m->b));
	if (!m->b)
		exit(1);
}

static struct hnode **hmap_slot(const struct hmap *m, uint32_t page)
{
	return &m->b[(page * UINT64_C(0x9e3779b97f4a7c15)) >> (64 - m->bits)];
}

static struct hnode *hmap_find(const struct hmap *m, uint32_t page)
{
	struct hnode *n = *hmap_slot(m, page);

	while (n && n->page != page)
		n = n->chain;
	return n;
}

static struct hnode *hmap_insert(struct hmap *m, uint32_t page)
{
	struct hnode **slot = hmap_slot(m, page), *n = xmalloc(sizeof(*n));

	*n = (struct hnode){ .page = page, .chain = *slot };
	*slot = n;
	return n;
}

/* Unlinks the node from its bucket and frees it. */
static void hmap_remove(struct hmap *m, struct hnode *n)
{
	struct hnode **pp = hmap_slot(m, n->page);

	while (*pp != n)
		pp = &(*pp)->chain;
	*pp = n->chain;
	free(n);
}

static void hmap_fini(struct hmap *m)
{
	for (uint64_t i = 0; i < UINT64_C(1) << m->bits; i++)
		for (struct hnode *n = m->b[i], *c; n; n = c) {
			c = n->chain;
			free(n);
		}
	free(m->b);
}

/* A doubly linked list: head is the most recent (LRU) or the newest (FIFO). */
struct hlist {
	struct hnode *head, *tail;
};

static void hlist_push(struct hlist *l, struct hnode *n)
{
	n->prev = NULL;
	n->next = l->head;
	if (l->head)
		l->head->prev = n;
	else
		l->tail = n;
	l->head = n;
}

static void hlist_del(struct hlist *l, struct hnode *n)
{
	if (n->prev)
		n->prev->next = n->next;
	else
		l->head = n->next;
	if (n->next)
		n->next->prev = n->prev;
	else
		l->tail = n->prev;
}

/* A hash map and one list, the victim at its tail: LRU when a hit moves the page to the
 * head (move_on_hit), FIFO when it does not. Inlined into each with move_on_hit constant. */
static inline uint64_t hash_list(const uint32_t *pages, uint64_t nr, uint32_t frames,
				 bool move_on_hit)
{
	struct hmap m;
	struct hlist l = { 0 };
	uint64_t misses = 0, resident = 0;

	hmap_init(&m, frames);
	for (uint64_t i = 0; i < nr; i++) {
		struct hnode *e = hmap_find(&m, pages[i]);

		if (e) {
			if (move_on_hit) {
				hlist_del(&l, e);
				hlist_push(&l, e);
			}
			continue;
		}
		misses++;
		if (resident == frames) {
			struct hnode *v = l.tail;

			hlist_del(&l, v);
			hmap_remove(&m, v);
		} else {
			resident++;
		}
		hlist_push(&l, hmap_insert(&m, pages[i]));
	}
	hmap_fini(&m);
	return misses;
}

static uint64_t hash_lru(const uint32_t *pages, uint64_t nr, uint32_t n, uint32_t frames)
{
	(void)n;
	return hash_list(pages, nr, frames, true);
}

static uint64_t hash_fifo(const uint32_t *pages, uint64_t nr, uint32_t n, uint32_t frames)
{
	(void)n;
	return hash_list(pages, nr, frames, false);
}

/* Belady as ref_opt(), with hash maps for the pre-pass (page -> last position) and for
 * residency (page -> node holding its current next use). */
static uint64_t hash_opt(const uint32_t *pages, uint64_t nr, uint32_t n, uint32_t frames)
{
	uint64_t *next_use = xmalloc(nr * sizeof(*next_use)), misses = 0, hn = 0;
	struct heap_ent *h = xmalloc((nr + 1) * sizeof(*h));
	struct hmap last, m;
	uint32_t resident = 0;

	hmap_init(&last, n);
	for (uint64_t i = nr; i-- > 0;) {
		struct hnode *e = hmap_find(&last, pages[i]);

		if (!e) {
			e = hmap_insert(&last, pages[i]);
			e->next_use = UINT64_MAX;
		}
		next_use[i] = e->next_use;
		e->next_use = i;
	}
	hmap_fini(&last);
	hmap_init(&m, frames);
	for (uint64_t i = 0; i < nr; i++) {
		struct hnode *e = hmap_find(&m, pages[i]);

		if (!e) {
			misses++;
			if (resident == frames) {
				for (;;) { /* pop until a live entry */
					struct heap_ent top = heap_pop(h, &hn);
					struct hnode *v;
					v = hmap_find(&m, top.page);
					if (v && v->next_use == top.next_use) {
						hmap_remove(&m, v);
						break;
					}
				}
			} else {
				resident++;
			}
			e = hmap_insert(&m, pages[i]);
		}
		e->next_use = next_use[i];
		{
			uint64_t k = hn++;
			struct heap_ent x = { next_use[i], pages[i] };

			while (k > 0 && h[(k - 1) / 2].next_use < x.next_use) {
				h[k] = h[(k - 1) / 2];
				k = (k - 1) / 2;
			}
			h[k] = x;
		}
	}
	hmap_fini(&m);
	free(next_use);
	free(h);
	return misses;
}

/* ---- The table -------------------------------------------------------------------------- */

/* The row is wanted: BENCH_ROWS unset, or naming it. */
static bool wanted(const char *path)
{
	const char *rows = getenv("BENCH_ROWS");
	size_t n = strlen(path);

	for (const char *p = rows; p && *p; p += strcspn(p, ","), p += *p == ',')
		if (!strncmp(p, path, n) && (p[n] == ',' || p[n] == 0))
			return true;
	return !rows;
}

static void row(const char *path, const char *what, uint64_t n, double t, double t_base,
		const char *base)
{
	printf("%-5s %-44s %10.1f M/s %8.1f ns %8.2fx  %s\n", path, what, n / t / 1e6, t / n * 1e9,
	       t / t_base, base);
}

static void machine(void)
{
	char model[256] = "unknown CPU", line[512];
	FILE *f = fopen("/proc/cpuinfo", "r");
	struct utsname u;

	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, "model name", 10) && strchr(line, ':')) {
			snprintf(model, sizeof(model), "%s", strchr(line, ':') + 2);
			model[strcspn(model, "\n")] = 0;
			break;
		}
	if (f)
		fclose(f);
	uname(&u);
	printf("machine: %s, %ld CPUs online, %s %s %s; load average: ", model,
	       sysconf(_SC_NPROCESSORS_ONLN), u.sysname, u.release, u.machine);
	f = fopen("/proc/loadavg", "r");
	if (f && fgets(line, sizeof(line), f))
		printf("%s", line);
	else
		printf("unknown\n");
	if (f)
		fclose(f);
}

int main(void)
{
	const char *scale_env = getenv("BENCH_SCALE");
	uint64_t scale = scale_env && atoi(scale_env) > 0 ? (uint64_t)atoi(scale_env) : 1;
	const uint64_t n_hit = 4000000 * scale, n_walk = 2000000 * scale, n_pol = 2000000 * scale;
	const uint32_t pol_pages = 1u << 20, pol_frames = 100000;
	static const char *const kv_hit[] = { "mem", "64M", NULL };
	static const char *const kv_walk[] = { "mem", "2G", "swap", "4G", NULL };
	uint64_t faults;
	double t, tb;

	setvbuf(stdout, NULL, _IOLBF, 0);
	machine();
	printf("times: CPU time of this thread (CLOCK_THREAD_CPUTIME_ID), so what other jobs take "
	       "of the CPUs does not count; raw scan: the fastest of %d passes\n",
	       RAW_SCAN_PASSES);
	printf("%-5s %-44s %14s %11s %9s  %s\n", "path", "stream", "mmsim", "per access", "ratio",
	       "baseline (same run, same stream)");

	if (wanted("hit")) {
		uint32_t *pages = xmalloc(n_hit * sizeof(*pages));
		struct stream s;

		for (uint64_t i = 0; i < n_hit; i++) {
			uint64_t x = xorshift();

			pages[i] = (uint32_t)(x % 10 ? x / 10 % 64 : x / 10 % 4096);
		}
		s = stream_of_pages(pages, n_hit, MMSIM_TRACE_LOAD);
		free(pages);
		tb = raw_scan(&s);
		t = replay(&s, kv_hit, &faults);
		row("hit", "64 hot pages, 10% over 16 MiB, loads", n_hit, t, tb, "raw record scan");
		stream_free(&s);
	}
	if (wanted("walk")) {
		uint32_t *pages = zipf_pages(262144, 0.9, n_walk);
		struct stream s = stream_of_pages(pages, n_walk, MMSIM_TRACE_LOAD);

		free(pages);
		tb = raw_scan(&s);
		t = replay(&s, kv_walk, &faults);
		row("walk", "Zipf 0.9 over 262,144 pages, mem=2G", n_walk, t, tb,
		    "raw record scan");
		stream_free(&s);
	}
	if (wanted("lru") || wanted("fifo") || wanted("opt")) {
		uint32_t *pages = zipf_pages(pol_pages, 0.9, n_pol);
		struct stream s = stream_of_pages(pages, n_pol, MMSIM_TRACE_STORE);
		static const char *const names[] = { "lru", "fifo", "opt" };
		uint64_t (*const refs[])(const uint32_t *, uint64_t, uint32_t,
					 uint32_t) = { ref_lru, ref_fifo, ref_opt };
		uint64_t (*const hrefs[])(const uint32_t *, uint64_t, uint32_t,
					  uint32_t) = { hash_lru, hash_fifo, hash_opt };

		for (int k = 0; k < 3; k++) {
			const char *kv[] = { "mem",    "1G",	  "swap",   "5G",  "frames",
					     "100000", "reclaim", "demand", "tlb", "off",
					     "policy", names[k],  NULL };
			uint64_t misses, hmisses;
			char what[64], base[160];
			double t0 = bench_cpu_now(), ta;

			if (!wanted(names[k]))
				continue;
			hmisses = hrefs[k](pages, n_pol, pol_pages, pol_frames);
			tb = bench_cpu_now() - t0;
			t0 = bench_cpu_now();
			misses = refs[k](pages, n_pol, pol_pages, pol_frames);
			ta = bench_cpu_now() - t0;
			t = replay(&s, kv, &faults);
			snprintf(what, sizeof(what), "Zipf 0.9 stores over 1M pages, 100k frames");
			snprintf(base, sizeof(base),
				 "textbook %s loop, hash map + list (mmsim is %.2fx the array-map "
				 "loop's %.1f ns); misses %llu, mmsim %llu%s",
				 names[k], t / ta, ta / n_pol * 1e9, (unsigned long long)hmisses,
				 (unsigned long long)faults,
				 hmisses == faults && misses == faults ? "" : " DIFFER");
			row(names[k], what, n_pol, t, tb, base);
		}
		free(pages);
		stream_free(&s);
	}
	if (wanted("boot")) {
		static const char *const big[] = { "mem", "64G", NULL }, *const small[] = { "mem",
											    "64M",
											    NULL };
		double t0 = bench_cpu_now();

		mmsim_system_destroy(boot(small));
		tb = bench_cpu_now() - t0;
		t0 = bench_cpu_now();
		mmsim_system_destroy(boot(big));
		t = bench_cpu_now() - t0;
		printf("%-5s %-44s %10.1f ms %11s %8.2fx  %s\n", "boot",
		       "mmsim_system_create(mem=64G)", t * 1e3, "", t / tb,
		       "mem=64M boot, same run");
	}
	return 0;
}
