/*
 * workloads/kv.c: a key-value store under skewed (Zipf) lookups mixed with scans: the
 * access pattern where page-replacement policies part ways. Hot keys reward recency (LRU),
 * scans punish it (a scan's pages are touched once and evict hot ones); Clock only
 * approximates LRU; OPT, replaying a saved trace (--save-trace), bounds them all.
 *
 * 1. A hash table of SLOTS 16-byte slots (16 MiB at scale 1, on a 16 MiB machine) gets
 *    KEYS keys by linear probing. A slot is [key + 1, value] (0: empty); the value keeps
 *    splitmix64_mix(key) in its low 40 bits and a hit counter above.
 * 2. OPS operations: a key drawn from a Zipf distribution (theta 0.99, Gray et al.'s
 *    method, "Quickly generating billion-record synthetic databases", SIGMOD 1994) is looked
 *    up, and one lookup in UPDATE_EVERY also increments the key's hit counter (a store).
 *    Every SCAN_EVERY operations a scan reads SCAN_SLOTS consecutive slots from a random
 *    place, as a range query or a backup would.
 * 3. Checks: every lookup found its key with the right value; every slot a scan saw was
 *    consistent; at the end, a pass over the whole table finds KEYS keys whose hit
 *    counters add up to the updates made.
 *
 * Scale multiplies the table, the keys, the operations and the size of a scan.
 */
#include <inttypes.h>
#include <math.h>
#include <stdint.h>

#include "workloads/workloads_impl.h"

#define SLOTS (UINT64_C(1) << 20) /* 16 MiB */
#define KEYS (SLOTS / 2)
#define OPS (UINT64_C(1) << 20)
#define UPDATE_EVERY 20
#define SCAN_EVERY (UINT64_C(64) << 10)
#define SCAN_SLOTS (UINT64_C(64) << 10) /* 1 MiB */
#define ZIPF_THETA 0.99
#define LOW_BITS 40
#define LOW_MASK ((UINT64_C(1) << LOW_BITS) - 1)

struct zipf {
	uint64_t n;
	double theta, alpha, zetan, eta, half_pow_theta;
};

/* Gray et al.: zeta(n) once (O(n) on the host, no tables), then O(1) per draw. */
static void zipf_init(struct zipf *z, uint64_t n, double theta)
{
	double zeta2 = 1.0 + pow(0.5, theta);

	z->n = n;
	z->theta = theta;
	z->zetan = 0;
	for (uint64_t i = 1; i <= n; i++)
		z->zetan += 1.0 / pow((double)i, theta);
	z->alpha = 1.0 / (1.0 - theta);
	z->eta = (1.0 - pow(2.0 / (double)n, 1.0 - theta)) / (1.0 - zeta2 / z->zetan);
	z->half_pow_theta = pow(0.5, theta);
}

/* A rank in 0 .. n-1, rank 0 the most frequent. */
static uint64_t zipf_draw(struct workload_run *w, const struct zipf *z)
{
	double u = (double)(workload_rand(w) >> 11) / 9007199254740992.0; /* [0, 1) */
	double uz = u * z->zetan;
	uint64_t r;

	if (uz < 1.0)
		return 0;
	if (uz < 1.0 + z->half_pow_theta)
		return 1;
	r = (uint64_t)((double)z->n * pow(z->eta * u - z->eta + 1.0, z->alpha));
	return r < z->n ? r : z->n - 1;
}

struct table {
	struct mmsim_task *t;
	uint64_t base; /* address of slot 0 */
	uint64_t mask; /* slots - 1 */
};

static uint64_t slot_addr(const struct table *tb, uint64_t slot)
{
	return tb->base + (slot & tb->mask) * 16;
}

static uint64_t home(const struct table *tb, uint64_t key)
{
	return splitmix64_mix(key ^ UINT64_C(0x5bd1e9955bd1e995)) & tb->mask;
}

static void insert(struct workload_run *w, const struct table *tb, uint64_t key)
{
	for (uint64_t s = home(tb, key), probes = 0; probes <= tb->mask && workload_ok(w);
	     s++, probes++) {
		if (workload_load(w, tb->t, slot_addr(tb, s)) == 0) {
			workload_store(w, tb->t, slot_addr(tb, s), key + 1);
			workload_store(w, tb->t, slot_addr(tb, s) + 8,
				       splitmix64_mix(key) & LOW_MASK);
			return;
		}
	}
	workload_fail(w, "key %" PRIu64 ": the table is full", key);
}

/* The address of key's value, or 0 (and the workload failed) when it is missing. */
static uint64_t lookup(struct workload_run *w, const struct table *tb, uint64_t key)
{
	for (uint64_t s = home(tb, key), probes = 0; probes <= tb->mask && workload_ok(w);
	     s++, probes++) {
		uint64_t k = workload_load(w, tb->t, slot_addr(tb, s));

		if (k == key + 1)
			return slot_addr(tb, s) + 8;
		if (k == 0)
			break;
	}
	workload_fail(w, "key %" PRIu64 " not found", key);
	return 0;
}

/* Reads slots [first, first + n); returns the keys seen, adds their hits to *hits. */
static uint64_t scan(struct workload_run *w, const struct table *tb, uint64_t first, uint64_t n,
		     uint64_t *hits)
{
	uint64_t keys = 0;

	for (uint64_t s = first; s < first + n && workload_ok(w); s++) {
		uint64_t k = workload_load(w, tb->t, slot_addr(tb, s)), v;

		if (!k)
			continue;
		v = workload_load(w, tb->t, slot_addr(tb, s) + 8);
		if ((v & LOW_MASK) != (splitmix64_mix(k - 1) & LOW_MASK))
			workload_fail(w, "slot %" PRIu64 ": key %" PRIu64 " holds value 0x%" PRIx64,
				      s & tb->mask, k - 1, v);
		keys++;
		*hits += v >> LOW_BITS;
	}
	return keys;
}

static void kv_run(struct workload_run *w)
{
	uint64_t slots = workload_size(w, SLOTS, 4096), keys = workload_size(w, KEYS, 2048);
	uint64_t ops = workload_size(w, OPS, 4096), scan_slots = workload_size(w, SCAN_SLOTS, 256);
	uint64_t scan_every = SCAN_EVERY >> w->shrink > 256 ? SCAN_EVERY >> w->shrink : 256;
	struct table tb = { .mask = slots - 1 };
	uint64_t updates = 0, hits = 0, found, maj, scans = 0;
	struct zipf z;

	/* The table size must stay a power of two: round the scale down to one. */
	while (slots & (slots - 1))
		slots &= slots - 1;
	tb.mask = slots - 1;
	if (keys > slots / 2)
		keys = slots / 2;
	w->res->planned =
		keys * 4 + ops * 3 + (ops / scan_every) * scan_slots * 3 / 2 + slots * 3 / 2;
	zipf_init(&z, keys, ZIPF_THETA);
	tb.t = workload_spawn(w);
	if (!tb.t)
		return;
	tb.base = workload_mmap(w, tb.t, slots * 16);
	/* 1. Build. */
	for (uint64_t k = 0; k < keys && workload_ok(w); k++)
		insert(w, &tb, k);
	/* 2. Lookups, updates and scans. */
	maj = workload_counter(w, "pgmajfault");
	for (uint64_t op = 0; op < ops && workload_ok(w); op++) {
		uint64_t key = zipf_draw(w, &z), va = lookup(w, &tb, key), v;

		if (!va)
			break;
		v = workload_load(w, tb.t, va);
		if ((v & LOW_MASK) != (splitmix64_mix(key) & LOW_MASK)) {
			workload_fail(w, "key %" PRIu64 " has value 0x%" PRIx64, key, v);
			break;
		}
		if (op % UPDATE_EVERY == 0) {
			workload_store(w, tb.t, va, v + (UINT64_C(1) << LOW_BITS));
			updates++;
		}
		if (op % scan_every == scan_every - 1) {
			uint64_t ignored = 0;

			scan(w, &tb, workload_rand_below(w, slots), scan_slots, &ignored);
			scans++;
		}
	}
	workload_note(w,
		      "%" PRIu64 " Zipf lookups (%" PRIu64 " updates) and %" PRIu64
		      " scans of %" PRIu64 " KiB; major faults: %" PRIu64,
		      ops, updates, scans, scan_slots * 16 >> 10,
		      workload_counter(w, "pgmajfault") - maj);
	/* 3. The whole table. */
	found = scan(w, &tb, 0, slots, &hits);
	if (workload_ok(w) && found != keys)
		workload_fail(w, "the table holds %" PRIu64 " keys, want %" PRIu64, found, keys);
	if (workload_ok(w) && hits != updates)
		workload_fail(w, "hit counters add up to %" PRIu64 ", want %" PRIu64, hits,
			      updates);
	workload_pass(w,
		      "%" PRIu64 " lookups found the right values; %" PRIu64 " keys and %" PRIu64
		      " updates accounted for",
		      ops, keys, updates);
}

const struct workload_def workload_kv = {
	.info = {
		.name = "kv",
		.summary = "key-value store: Zipf lookups and updates mixed with scans (where LRU, "
			   "Clock and OPT differ)",
		.config = "mem=16M swap=64M",
	},
	.run = kv_run,
};
