/*
 * replay/mrc.c: miss-ratio curves of LRU and OPT in one pass (mmsim/mrc.h), exact or
 * sampled with SHARDS.
 *
 * Steps per page access (numbered as replay numbers them):
 *  1. sampling: skip the access unless hash(pid, page) < T (always true when exact);
 *  2. the page's state: a page that never took part in a successful access is probed on a
 *     small machine of the caller's configuration (the first touch as the replay makes it,
 *     the VMA rule included); a success by a write makes it FRAMED, by a read or fetch ZERO
 *     (the zero page is mapped: no frame); a ZERO page turns FRAMED at its first write;
 *  3. a reference to a FRAMED page goes through the LRU stack (Fenwick tree) and the OPT
 *     stack; its distance, scaled by 1/R when sampling, is added to each histogram. The
 *     first reference of a page is a first touch, counted once among the pages.
 *
 * Host memory: a table of the pages seen (sampled), the Fenwick tree and the OPT stack over
 * the framed ones, and one histogram per curve.
 */
#include "mmsim/mrc.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mmsim/error.h"
#include "mmsim/mmsim.h"
#include "mmsim/replay.h"
#include "mmsim/trace.h"
#include "replay/replay.h"
#include "util/splitmix.h"

#define BATCH 4096
/* SHARDS: hashes are taken modulo P = 2^24. */
#define SAMPLE_BITS 24
#define SAMPLE_P (UINT64_C(1) << SAMPLE_BITS)
#define NONE UINT32_MAX

enum mrc_state {
	MRC_UNKNOWN = 0, /* no successful access yet: probe the next one */
	MRC_ZERO,	 /* mapped to the zero page: reads hit, no frame */
	MRC_FRAMED,	 /* written: holds a frame (or a swap slot) at every size */
	MRC_GONE,	 /* left the sample (fixed-size SHARDS lowered the rate) */
};

struct mrc_page {
	uint64_t k1;	   /* pid + 1 */
	uint64_t k2;	   /* page number (address >> page_shift) */
	uint64_t next_use; /* OPT priority: position of its next access; UINT64_MAX never */
	uint32_t lru_time; /* Fenwick time of its latest reference; NONE when not in the tree */
	uint32_t hash;	   /* sampling hash, below SAMPLE_P */
	uint8_t state;	   /* enum mrc_state */
	uint8_t in_opt;	   /* on the OPT stack */
	uint8_t ok_kinds;  /* access kinds (1 << read, write, fetch) known to succeed */
	uint8_t bad_kinds; /* kinds known to fail on the mapped page (its VMA forbids them) */
};

/* A weighted histogram of stack distances (scaled by 1/R when sampling). */
struct mrc_hist {
	double *count; /* by distance; count[0] unused */
	size_t cap;
	double *tail; /* after finish: tail[c] = sum of count[d] for d > c, c < cap */
	size_t max;   /* largest distance with a count */
};

struct mmsim_mrc {
	struct mmsim_mrc_opts opts;
	unsigned int shift; /* opts.page_shift, 0 made 12 */
	bool want[MMSIM_MRC_NR_POLICIES];
	const struct mmsim_replay_future *future;
	struct mmsim_mrc_info info;

	/* The pages: an array, and a hash table of indices + 1 (0: empty slot). */
	struct mrc_page *pages;
	uint32_t nr_pages, cap_pages;
	uint32_t *slots;
	uint64_t nr_slots; /* a power of two, at least twice nr_pages */
	uint32_t last_idx; /* the page of the previous access (cache), NONE */

	/* SHARDS. */
	uint32_t threshold; /* T: a page takes part iff its hash < T */
	double gscale;	    /* a stored count times gscale is the count at the current rate */
	uint32_t *heap;	    /* fixed size: max-heap of tracked pages by hash */
	uint32_t nr_heap;
	double w_cold, w_total; /* stored first touches and accesses of sampled pages */

	/* LRU: Fenwick tree over times 1..cap (1-based), owner of each time. */
	uint32_t *fen;
	uint32_t *owner;
	uint32_t fen_cap, now, live;

	/* OPT: the stack, top first. */
	uint32_t *stack;
	uint32_t nr_stack, cap_stack;

	struct mrc_hist hist[MMSIM_MRC_NR_POLICIES];

	/* The probing machine. */
	struct mmsim_system *sys;
	struct mmsim_replay *rp;
	struct mmsim_replay_stats probe_st;
};

static uint64_t page_hash(uint64_t k1, uint64_t k2)
{
	return splitmix64_mix(k1 * UINT64_C(0x9e3779b97f4a7c15) ^ k2);
}

/* ---- The page table ------------------------------------------------------------------- */

static int table_grow(struct mmsim_mrc *m)
{
	uint64_t n = m->nr_slots ? m->nr_slots * 2 : 4096;
	uint32_t *s = calloc(n, sizeof(*s));

	if (!s)
		return -ENOMEM;
	for (uint32_t i = 0; i < m->nr_pages; i++) {
		uint64_t j = page_hash(m->pages[i].k1, m->pages[i].k2) & (n - 1);

		while (s[j])
			j = (j + 1) & (n - 1);
		s[j] = i + 1;
	}
	free(m->slots);
	m->slots = s;
	m->nr_slots = n;
	return 0;
}

/* The index of (k1, k2), added when absent (*added). NONE: out of host memory. */
static uint32_t table_get(struct mmsim_mrc *m, uint64_t k1, uint64_t k2, uint64_t h, bool *added)
{
	uint64_t j, mask;

	*added = false;
	if ((uint64_t)(m->nr_pages + 1) * 2 > m->nr_slots && table_grow(m))
		return NONE;
	mask = m->nr_slots - 1;
	for (j = h & mask; m->slots[j]; j = (j + 1) & mask) {
		struct mrc_page *p = &m->pages[m->slots[j] - 1];

		if (p->k1 == k1 && p->k2 == k2)
			return m->slots[j] - 1;
	}
	if (m->nr_pages == m->cap_pages) {
		uint32_t cap = m->cap_pages ? m->cap_pages * 2 : 1024;
		struct mrc_page *pages;

		if (m->cap_pages >= NONE / 2)
			return NONE;
		pages = realloc(m->pages, (size_t)cap * sizeof(*pages));
		if (!pages)
			return NONE;
		m->pages = pages;
		m->cap_pages = cap;
	}
	m->pages[m->nr_pages] = (struct mrc_page){
		.k1 = k1,
		.k2 = k2,
		.next_use = UINT64_MAX,
		.lru_time = NONE,
		.hash = (uint32_t)(h >> (64 - SAMPLE_BITS)),
	};
	m->slots[j] = m->nr_pages + 1;
	*added = true;
	return m->nr_pages++;
}

/* ---- Histograms ----------------------------------------------------------------------- */

static int hist_add(struct mrc_hist *h, size_t d, double w)
{
	if (d >= h->cap) {
		size_t cap = h->cap ? h->cap : 1024;
		double *c;

		while (cap <= d)
			cap *= 2;
		c = realloc(h->count, cap * sizeof(*c));
		if (!c)
			return -ENOMEM;
		memset(c + h->cap, 0, (cap - h->cap) * sizeof(*c));
		h->count = c;
		h->cap = cap;
	}
	h->count[d] += w;
	if (d > h->max)
		h->max = d;
	return 0;
}

static int hist_finish(struct mrc_hist *h)
{
	size_t n = h->max + 1;

	h->tail = calloc(n, sizeof(*h->tail));
	if (!h->tail)
		return -ENOMEM;
	/* tail[c] = sum over d > c; summed from the far end, so exact for integer counts. */
	for (size_t c = n - 1; c-- > 0;)
		h->tail[c] = h->tail[c + 1] + h->count[c + 1];
	return 0;
}

static double hist_tail(const struct mrc_hist *h, uint64_t c)
{
	return h->tail && c <= h->max ? h->tail[c] : 0;
}

/* ---- LRU: Mattson's stack distance with a Fenwick tree over reference times ------------- */

static void fen_add(struct mmsim_mrc *m, uint32_t t, int32_t v)
{
	for (uint32_t i = t + 1; i <= m->fen_cap; i += i & -i)
		m->fen[i] += (uint32_t)v;
}

/* Marks at times 0..t. */
static uint32_t fen_prefix(const struct mmsim_mrc *m, uint32_t t)
{
	uint32_t s = 0;

	for (uint32_t i = t + 1; i; i -= i & -i)
		s += m->fen[i];
	return s;
}

static void lru_unmark(struct mmsim_mrc *m, struct mrc_page *p)
{
	fen_add(m, p->lru_time, -1);
	m->owner[p->lru_time] = NONE;
	p->lru_time = NONE;
	m->live--;
}

/* Renumbers the live marks 0..live-1 in time order and rebuilds the tree, doubling it when
 * more than half full: O(cap), once per cap - live references. */
static int lru_compact(struct mmsim_mrc *m)
{
	uint32_t cap = m->fen_cap, j = 0;

	if (!cap)
		cap = 1024;
	else if (m->live > cap / 2) {
		if (cap >= NONE / 2)
			return -ENOMEM;
		cap *= 2;
	}
	if (cap != m->fen_cap) {
		uint32_t *fen = realloc(m->fen, ((size_t)cap + 1) * sizeof(*fen));
		uint32_t *owner;

		if (!fen)
			return -ENOMEM;
		m->fen = fen;
		owner = realloc(m->owner, (size_t)cap * sizeof(*owner));
		if (!owner)
			return -ENOMEM;
		m->owner = owner;
	}
	for (uint32_t t = 0; t < m->now; t++) {
		uint32_t idx = m->owner[t];

		if (idx == NONE)
			continue;
		m->owner[j] = idx;
		m->pages[idx].lru_time = j++;
	}
	m->fen_cap = cap;
	m->now = j;
	memset(m->fen, 0, ((size_t)cap + 1) * sizeof(*m->fen));
	for (uint32_t i = 1; i <= cap; i++) {
		uint32_t up = i + (i & -i);

		m->fen[i] += i <= j ? 1 : 0;
		if (up <= cap)
			m->fen[up] += m->fen[i];
	}
	return 0;
}

/* The LRU stack distance of a reference to page idx (0: first reference), then idx is the
 * most recent. -ENOMEM in *rc when the tree cannot grow. */
static uint64_t lru_ref(struct mmsim_mrc *m, uint32_t idx, int *rc)
{
	struct mrc_page *p = &m->pages[idx];
	uint64_t d = 0;

	if (p->lru_time != NONE) {
		/* Pages referenced since: the marks after its own. */
		if (p->lru_time + 1 == m->now)
			return 1;
		d = (uint64_t)(m->live - fen_prefix(m, p->lru_time)) + 1;
		lru_unmark(m, p);
	}
	if (m->now == m->fen_cap) {
		*rc = lru_compact(m);
		if (*rc)
			return 0;
	}
	m->owner[m->now] = idx;
	p->lru_time = m->now;
	fen_add(m, m->now++, 1);
	m->live++;
	return d;
}

/* ---- OPT: Mattson's OPT stack, priority by next use ----------------------------------- */

/* Position i holds the page of higher priority (sooner next use) of the one pushed down
 * from above and the one there; the other goes on down, until the referenced page's old
 * place (or the bottom, for a first reference) takes it. Returns the stack distance (0:
 * first reference). -ENOMEM in *rc when the stack cannot grow. */
static uint64_t opt_ref(struct mmsim_mrc *m, uint32_t idx, uint64_t next_use, int *rc)
{
	struct mrc_page *p = &m->pages[idx];
	uint32_t carried, i;
	uint64_t d = 0;

	if (p->in_opt && m->stack[0] == idx) {
		p->next_use = next_use;
		return 1;
	}
	if (!p->in_opt && m->nr_stack == m->cap_stack) {
		uint32_t cap = m->cap_stack ? m->cap_stack * 2 : 1024;
		uint32_t *s = realloc(m->stack, (size_t)cap * sizeof(*s));

		if (!s) {
			*rc = -ENOMEM;
			return 0;
		}
		m->stack = s;
		m->cap_stack = cap;
	}
	carried = m->nr_stack ? m->stack[0] : NONE;
	for (i = 1; i < m->nr_stack; i++) {
		uint32_t here = m->stack[i];

		if (here == idx) {
			d = (uint64_t)i + 1;
			break;
		}
		/* The later next use goes on down; ties keep their place. */
		if (m->pages[here].next_use > m->pages[carried].next_use) {
			m->stack[i] = carried;
			carried = here;
		}
	}
	if (d)
		m->stack[i] = carried;
	else if (carried != NONE)
		m->stack[m->nr_stack++] = carried;
	else
		m->nr_stack++;
	m->stack[0] = idx;
	p->in_opt = 1;
	p->next_use = next_use;
	return d;
}

static void opt_remove(struct mmsim_mrc *m, uint32_t idx)
{
	for (uint32_t i = 0; i < m->nr_stack; i++) {
		if (m->stack[i] == idx) {
			memmove(&m->stack[i], &m->stack[i + 1],
				(m->nr_stack - i - 1) * sizeof(*m->stack));
			m->nr_stack--;
			break;
		}
	}
	m->pages[idx].in_opt = 0;
}

/* ---- SHARDS fixed size: a max-heap of the tracked pages by hash ------------------------- */

static uint32_t heap_hash(const struct mmsim_mrc *m, uint32_t i)
{
	return m->pages[m->heap[i]].hash;
}

static void heap_swap(struct mmsim_mrc *m, uint32_t a, uint32_t b)
{
	uint32_t t = m->heap[a];

	m->heap[a] = m->heap[b];
	m->heap[b] = t;
}

static void heap_push(struct mmsim_mrc *m, uint32_t idx)
{
	uint32_t i = m->nr_heap++;

	m->heap[i] = idx;
	while (i && heap_hash(m, (i - 1) / 2) < heap_hash(m, i)) {
		heap_swap(m, i, (i - 1) / 2);
		i = (i - 1) / 2;
	}
}

static uint32_t heap_pop(struct mmsim_mrc *m)
{
	uint32_t top = m->heap[0], i = 0;

	m->heap[0] = m->heap[--m->nr_heap];
	for (;;) {
		uint32_t l = 2 * i + 1, r = l + 1, big = i;

		if (l < m->nr_heap && heap_hash(m, l) > heap_hash(m, big))
			big = l;
		if (r < m->nr_heap && heap_hash(m, r) > heap_hash(m, big))
			big = r;
		if (big == i)
			return top;
		heap_swap(m, i, big);
		i = big;
	}
}

/* More than sample_max pages tracked: T drops to the largest hash, whose pages leave; the
 * counts so far are rescaled to the new rate (SHARDS_max). */
static void shards_lower(struct mmsim_mrc *m)
{
	uint32_t t = heap_hash(m, 0);
	double r_old = (double)m->threshold / (double)SAMPLE_P;

	while (m->nr_heap && heap_hash(m, 0) == t) {
		uint32_t idx = heap_pop(m);
		struct mrc_page *p = &m->pages[idx];

		if (p->lru_time != NONE)
			lru_unmark(m, p);
		if (p->in_opt)
			opt_remove(m, idx);
		p->state = MRC_GONE;
	}
	m->threshold = t;
	m->last_idx = NONE;
	m->gscale *= ((double)t / (double)SAMPLE_P) / r_old;
}

/* ---- The probing machine ------------------------------------------------------------- */

static int probe_create(struct mmsim_mrc *m, struct mmsim_error *err)
{
	struct mmsim_config c;
	int rc;

	if (m->opts.machine)
		c = *m->opts.machine;
	else
		mmsim_config_default(&c);
	/* Only mappings and signals matter: a cheap policy, no cap, no page contents. */
	snprintf(c.policy, sizeof(c.policy), "fifo");
	c.reclaim[0] = '\0';
	c.frames = 0;
	c.data_mode = false;
	c.paranoid = false;
	rc = mmsim_system_create(&c, &m->sys, err);
	if (!rc)
		rc = mmsim_replay_create(m->sys, &m->rp, err);
	if (!rc)
		rc = mmsim_replay_set_page_shift(m->rp, m->shift, err);
	return rc;
}

/* The task the probe replay made for pid. */
static struct mmsim_task *probe_task(const struct mmsim_mrc *m, uint32_t pid)
{
	uint32_t tp;

	for (size_t i = m->probe_st.nr_tasks; i-- > 0;) {
		struct mmsim_task *t = mmsim_replay_task(m->rp, i, &tp);

		if (tp == pid)
			return t;
	}
	return NULL;
}

/* One access at va as the replay makes it (VMA rule, then the access). *ok: it succeeded;
 * its page is then dropped (MADV_DONTNEED), so the machine stays small. */
static int probe(struct mmsim_mrc *m, uint32_t pid, uint64_t va, enum mmsim_trace_kind kind,
		 bool *ok, struct mmsim_error *err)
{
	struct mmsim_trace_record rec = { .addr = va, .pid = pid, .size = 1, .kind = kind };
	struct mmsim_replay_stats st;
	struct mmsim_task *t;
	int rc;

	if (kind == MMSIM_TRACE_MODIFY)
		rec.kind = MMSIM_TRACE_STORE;
	rc = mmsim_replay_record(m->rp, &rec, err);
	if (rc)
		return rc;
	mmsim_replay_get_stats(m->rp, &st);
	*ok = st.segv_maperr == m->probe_st.segv_maperr &&
	      st.segv_accerr == m->probe_st.segv_accerr && st.killed == m->probe_st.killed &&
	      st.skipped == m->probe_st.skipped;
	m->probe_st = st;
	t = *ok ? probe_task(m, pid) : NULL;
	if (t)
		mmsim_madvise(t, va & ~UINT64_C(4095), 4096, MMSIM_MADV_DONTNEED);
	return 0;
}

/* ---- One page access ----------------------------------------------------------------- */

static int add_distance(struct mmsim_mrc *m, enum mmsim_mrc_policy pol, uint64_t d)
{
	double rate = (double)m->threshold / (double)SAMPLE_P;
	/*
	 * A sampled distance d counts the page itself and d - 1 other sampled pages; each of
	 * the D - 1 other pages of the full distance D is sampled with probability R, so
	 * (d - 1) / R estimates D - 1 without bias. Scaling all of d by 1 / R (SHARDS, section
	 * 3) adds 1 / R - 1 frames to every distance: measured on bench_mrc's stream, MAE at
	 * R = 0.01 0.0121 -> 0.0107, at R = 0.1 0.0068 -> 0.0066.
	 */
	uint64_t scaled = m->info.exact ? d : 1 + (uint64_t)((double)(d - 1) / rate);

	if (scaled > SIZE_MAX / 2)
		return -ENOMEM;
	return hist_add(&m->hist[pol], (size_t)scaled, 1.0 / m->gscale);
}

static int reference(struct mmsim_mrc *m, uint32_t idx, uint64_t pos)
{
	uint64_t next_use = UINT64_MAX, d;
	int rc = 0;

	m->info.references++;
	if (m->want[MMSIM_MRC_LRU]) {
		d = lru_ref(m, idx, &rc);
		if (!rc && d)
			rc = add_distance(m, MMSIM_MRC_LRU, d);
		if (rc)
			return rc;
	}
	if (m->want[MMSIM_MRC_OPT]) {
		next_use = mmsim_replay_future_next_use(m->future, pos);
		d = opt_ref(m, idx, next_use, &rc);
		if (!rc && d)
			rc = add_distance(m, MMSIM_MRC_OPT, d);
	}
	return rc;
}

static int page_access(struct mmsim_mrc *m, uint32_t pid, uint64_t page, uint64_t va,
		       enum mmsim_trace_kind kind, struct mmsim_error *err)
{
	uint64_t k1 = (uint64_t)pid + 1, pos = m->info.accesses++, h;
	bool write = kind == MMSIM_TRACE_STORE || kind == MMSIM_TRACE_MODIFY, added, ok;
	uint8_t kbit = (uint8_t)(1u << (write ? MMSIM_TRACE_STORE : kind));
	uint32_t idx = m->last_idx;
	struct mrc_page *p;
	int rc;

	if (idx == NONE || m->pages[idx].k1 != k1 || m->pages[idx].k2 != page) {
		/* 1. Sampling. */
		h = page_hash(k1, page);
		if ((h >> (64 - SAMPLE_BITS)) >= m->threshold)
			return 0;
		idx = table_get(m, k1, page, h, &added);
		if (idx == NONE)
			return mmsim_error_set(err, -ENOMEM, "out of host memory");
		if (added && m->opts.sample_max) {
			heap_push(m, idx);
			if (m->nr_heap > m->opts.sample_max)
				shards_lower(m);
		}
		if (m->pages[idx].state == MRC_GONE)
			return 0;
		if (added) {
			m->info.pages++;
			m->w_cold += 1.0 / m->gscale;
		}
		m->last_idx = idx;
	}
	p = &m->pages[idx];
	m->info.sampled++;
	m->w_total += 1.0 / m->gscale;
	if (p->state == MRC_GONE)
		return 0;
	/* 2. Whether the access succeeds: learned once per page and kind from the probing
	 * machine (a page never mapped is probed until an access succeeds). A failed access
	 * is no reference: the machine's LRU and OPT do not hear of it, so OPT keeps the
	 * page's old next use, as here. */
	if (!(p->ok_kinds & kbit)) {
		if (p->bad_kinds & kbit) {
			if (p->state == MRC_FRAMED)
				m->info.refused_framed++;
			return 0;
		}
		m->info.probe_accesses++;
		rc = probe(m, pid, va, kind, &ok, err);
		if (rc)
			return rc;
		p = &m->pages[idx];
		if (!ok) {
			if (p->state != MRC_UNKNOWN)
				p->bad_kinds |= kbit;
			if (p->state == MRC_FRAMED)
				m->info.refused_framed++;
			return 0;
		}
		p->ok_kinds |= kbit;
	}
	/* The page's state. */
	switch ((enum mrc_state)p->state) {
	case MRC_UNKNOWN:
	case MRC_ZERO:
		if (!write) {
			p->state = MRC_ZERO;
			return 0;
		}
		p->state = MRC_FRAMED;
		m->info.framed_pages++;
		break;
	case MRC_FRAMED:
		break;
	case MRC_GONE:
		return 0;
	}
	/* 3. A reference to a framed page. */
	rc = reference(m, idx, pos);
	if (rc)
		return mmsim_error_set(err, rc, "out of host memory");
	return 0;
}

static int record(struct mmsim_mrc *m, const struct mmsim_trace_record *rec,
		  struct mmsim_error *err)
{
	unsigned int per_page = replay_kind_accesses(rec->kind);
	uint64_t first, last;
	int rc;

	if ((unsigned int)rec->kind >= MMSIM_TRACE_NR_KINDS || rec->size == 0)
		return mmsim_error_set(err, -EINVAL, "record %llu: %s",
				       (unsigned long long)m->info.records + 1,
				       rec->size ? "unknown access kind" : "size 0 is invalid");
	replay_record_pages(rec, m->shift, &first, &last);
	/*
	 * A sampled curve skips most records: a one-page record whose page the hash leaves out
	 * only counts its accesses, exactly as page_access() would (a left-out page is never
	 * m->last_idx). Records at the end of the pre-pass take the slow path, which reports.
	 * skip_unsampled() makes the same test on runs of records, before they come here.
	 */
	if (first == last && m->threshold < SAMPLE_P &&
	    (page_hash((uint64_t)rec->pid + 1, first) >> (64 - SAMPLE_BITS)) >= m->threshold &&
	    (!m->future ||
	     m->info.accesses + per_page <= mmsim_replay_future_nr_accesses(m->future))) {
		m->info.accesses += per_page;
		m->info.records++;
		return 0;
	}
	/* Bounded by the record's size: at most size / 4096 + 1 pages. */
	for (uint64_t page = first;; page++) {
		uint64_t va = replay_page_va(rec->addr, page, first, m->shift);

		for (unsigned int i = 0; i < per_page; i++) {
			enum mmsim_trace_kind kind = i ? MMSIM_TRACE_LOAD : rec->kind;

			if (m->future &&
			    m->info.accesses >= mmsim_replay_future_nr_accesses(m->future))
				return mmsim_error_set(err, -EINVAL,
						       "page access %llu lies beyond the "
						       "pre-pass: the trace changed between the "
						       "two passes",
						       (unsigned long long)m->info.accesses);
			rc = page_access(m, rec->pid, page, va, kind, err);
			if (rc)
				return rc;
		}
		if (page == last)
			break;
	}
	m->info.records++;
	return 0;
}

/*
 * The sampled pass's inner loop: record()'s first test on recs[i..n) in a row, without the
 * call, the checks of the records it cannot skip or the tick test per record. Counts each
 * record that record() would only count (a valid access kind and size, one page, whose hash
 * leaves it out) and stops at the first other one, or after the first that brings the
 * accesses to stop_at (the caller's next tick). Returns the index it stopped at. Without a
 * future only (with one, record() also checks the pre-pass's length). The page test
 * (offset + size - 1 within the page) says "one page" only where replay_record_pages()
 * does; it says "two" where that clips at the top of memory, which record() then handles.
 */
static size_t skip_unsampled(struct mmsim_mrc *m, const struct mmsim_trace_record *recs, size_t i,
			     size_t n, uint64_t stop_at)
{
	const uint64_t mask = (UINT64_C(1) << m->shift) - 1, t = m->threshold;
	const unsigned int shift = m->shift;
	uint64_t accesses = m->info.accesses, k1 = 0;
	uint32_t pid = 0;
	size_t start = i;

	if (i < n) {
		pid = recs[i].pid;
		k1 = ((uint64_t)pid + 1) * UINT64_C(0x9e3779b97f4a7c15);
	}
	for (; i < n; i++) {
		const struct mmsim_trace_record *rec = &recs[i];

		/* Size 0 fails the page test too: size - 1 wraps to 2^32 - 1. */
		if ((unsigned int)rec->kind >= MMSIM_TRACE_NR_KINDS ||
		    (rec->addr & mask) + (uint32_t)(rec->size - 1) > mask)
			break;
		if (rec->pid != pid) {
			pid = rec->pid;
			k1 = ((uint64_t)pid + 1) * UINT64_C(0x9e3779b97f4a7c15);
		}
		/* page_hash(pid + 1, page). */
		if ((splitmix64_mix(k1 ^ (rec->addr >> shift)) >> (64 - SAMPLE_BITS)) < t)
			break;
		accesses += replay_kind_accesses(rec->kind);
		if (accesses >= stop_at) {
			i++;
			break;
		}
	}
	m->info.records += i - start;
	m->info.accesses = accesses;
	return i;
}

/* ---- The curve ----------------------------------------------------------------------- */

static int check_opts(const struct mmsim_mrc_opts *o, const struct mmsim_replay_future *future,
		      struct mmsim_error *err)
{
	if (!o->policy[MMSIM_MRC_LRU] && !o->policy[MMSIM_MRC_OPT])
		return mmsim_error_set(err, -EINVAL, "no curve asked for (lru, opt)");
	if (o->policy[MMSIM_MRC_OPT] && !future)
		return mmsim_error_set(err, -EINVAL,
				       "the OPT curve needs the future: a pre-pass over the "
				       "trace (mmsim_replay_future_build())");
	if (!(o->sample_rate >= 0 && o->sample_rate <= 1))
		return mmsim_error_set(err, -EINVAL, "sampling rate %g: want 0 < R <= 1",
				       o->sample_rate);
	if (o->sample_rate > 0 && o->sample_rate * (double)SAMPLE_P < 1)
		return mmsim_error_set(err, -EINVAL, "sampling rate %g: below 2^-24",
				       o->sample_rate);
	if (o->page_shift && !replay_page_shift_ok(o->page_shift))
		return mmsim_error_set(err, -EINVAL,
				       "page_shift %u: want 12 (4 KiB), or the what-if 13, 14 or "
				       "16 (8, 16 or 64 KiB)",
				       o->page_shift);
	if (o->sample_max && o->sample_max >= NONE / 4)
		return mmsim_error_set(err, -EINVAL, "sample_max %llu: too large",
				       (unsigned long long)o->sample_max);
	return 0;
}

static int init(struct mmsim_mrc *m, const struct mmsim_mrc_opts *o,
		const struct mmsim_replay_future *future, struct mmsim_error *err)
{
	double rate = o->sample_rate > 0 ? o->sample_rate : 1;

	m->opts = *o;
	m->shift = o->page_shift ? o->page_shift : 12;
	m->future = future;
	for (int p = 0; p < MMSIM_MRC_NR_POLICIES; p++)
		m->want[p] = o->policy[p];
	m->last_idx = NONE;
	m->gscale = 1;
	m->threshold = (uint32_t)llround(rate * (double)SAMPLE_P);
	if (m->threshold > SAMPLE_P - 1 && rate < 1)
		m->threshold = SAMPLE_P - 1;
	if (rate >= 1)
		m->threshold = (uint32_t)SAMPLE_P;
	m->info.exact = rate >= 1 && !o->sample_max;
	if (o->sample_max) {
		m->heap = malloc((size_t)(o->sample_max + 1) * sizeof(*m->heap));
		if (!m->heap)
			return mmsim_error_set(err, -ENOMEM, "out of host memory");
	}
	if (lru_compact(m))
		return mmsim_error_set(err, -ENOMEM, "out of host memory");
	return probe_create(m, err);
}

int mmsim_mrc_build(struct mmsim_trace_reader *r, const struct mmsim_replay_future *future,
		    const struct mmsim_mrc_opts *opts, struct mmsim_mrc **out,
		    struct mmsim_error *err)
{
	struct mmsim_trace_record *recs = NULL;
	struct mmsim_mrc *m;
	uint64_t next_tick;
	int rc;

	rc = check_opts(opts, future, err);
	if (rc)
		return rc;
	m = calloc(1, sizeof(*m));
	if (!m)
		return mmsim_error_set(err, -ENOMEM, "out of host memory");
	rc = init(m, opts, future, err);
	if (rc)
		goto out_destroy;
	recs = malloc(BATCH * sizeof(*recs));
	if (!recs) {
		rc = mmsim_error_set(err, -ENOMEM, "out of host memory");
		goto out_destroy;
	}
	next_tick = opts->tick_accesses ? opts->tick_accesses : UINT64_MAX;
	for (;;) {
		size_t n;

		rc = mmsim_trace_read(r, recs, BATCH, &n, err);
		for (size_t i = 0; i < n;) {
			int rrc = 0;
			/* Sampled (the fixed size's rate may have dropped below 1 since). */
			size_t j = m->threshold < SAMPLE_P && !future
					   ? skip_unsampled(m, recs, i, n, next_tick)
					   : i;

			if (j > i)
				i = j; /* skipped records, the last of them maybe at a tick */
			else
				rrc = record(m, &recs[i++], err);

			if (!rrc && m->info.accesses >= next_tick) {
				next_tick = m->info.accesses + opts->tick_accesses;
				if (opts->tick && !opts->tick(opts->ctx, m->info.accesses))
					rrc = mmsim_error_set(err, -EINTR, "stopped");
			}

			if (rrc) {
				char msg[MMSIM_ERROR_MSG_SIZE];

				snprintf(msg, sizeof(msg), "%s", err ? err->msg : "");
				rc = mmsim_error_set(err, rrc, "%s: %s", mmsim_trace_reader_name(r),
						     msg);
				goto out_destroy;
			}
		}
		if (rc)
			goto out_destroy;
		if (n == 0)
			break;
	}
	if (future && m->info.accesses < mmsim_replay_future_nr_accesses(future)) {
		/* OPT's priorities would be next uses that never come. */
		rc = mmsim_error_set(err, -EINVAL,
				     "%s: the trace ends at page access %llu, before the "
				     "pre-pass's %llu: the trace changed between the two passes",
				     mmsim_trace_reader_name(r),
				     (unsigned long long)m->info.accesses,
				     (unsigned long long)mmsim_replay_future_nr_accesses(future));
		goto out_destroy;
	}
	for (int p = 0; p < MMSIM_MRC_NR_POLICIES; p++) {
		if (m->want[p] && hist_finish(&m->hist[p])) {
			rc = mmsim_error_set(err, -ENOMEM, "out of host memory");
			goto out_destroy;
		}
	}
	m->info.rate = (double)m->threshold / (double)SAMPLE_P;
	free(recs);
	/* The machine has done its work. */
	mmsim_replay_destroy(m->rp);
	mmsim_system_destroy(m->sys);
	m->rp = NULL;
	m->sys = NULL;
	*out = m;
	return 0;

out_destroy:
	free(recs);
	mmsim_mrc_destroy(m);
	return rc;
}

void mmsim_mrc_destroy(struct mmsim_mrc *m)
{
	if (!m)
		return;
	mmsim_replay_destroy(m->rp);
	mmsim_system_destroy(m->sys);
	for (int p = 0; p < MMSIM_MRC_NR_POLICIES; p++) {
		free(m->hist[p].count);
		free(m->hist[p].tail);
	}
	free(m->pages);
	free(m->slots);
	free(m->heap);
	free(m->fen);
	free(m->owner);
	free(m->stack);
	free(m);
}

void mmsim_mrc_get_info(const struct mmsim_mrc *m, struct mmsim_mrc_info *out)
{
	*out = m->info;
}

bool mmsim_mrc_has(const struct mmsim_mrc *m, enum mmsim_mrc_policy p)
{
	return (unsigned int)p < MMSIM_MRC_NR_POLICIES && m->want[p];
}

double mmsim_mrc_miss_ratio(const struct mmsim_mrc *m, enum mmsim_mrc_policy p, uint64_t frames)
{
	if (!mmsim_mrc_has(m, p) || !m->info.accesses)
		return 0;
	if (m->info.exact)
		return (double)mmsim_mrc_misses(m, p, frames) / (double)m->info.accesses;
	/*
	 * SHARDS_adj (Waldspurger et al., FAST 2015, section 4.3): divide by the accesses
	 * the rate should have sampled (R x N, in stored units), not by those it did. A very
	 * hot page in or out of the sample moves the sampled accesses far from R x N; its
	 * references are nearly all hits at the smallest distances, so the difference is
	 * counted as hits there. Without it, one hot page skews the whole curve (measured:
	 * bench_mrc, MAE 0.035 -> 0.012 at R = 0.01). Over 1 at sizes too small for the
	 * rate to resolve; a ratio is at most 1.
	 */
	double expected = m->info.rate * (double)m->info.accesses / m->gscale, r;

	if (expected <= 0)
		return 0;
	r = (m->w_cold + hist_tail(&m->hist[p], frames)) / expected;
	return r < 1 ? r : 1;
}

uint64_t mmsim_mrc_misses(const struct mmsim_mrc *m, enum mmsim_mrc_policy p, uint64_t frames)
{
	if (!mmsim_mrc_has(m, p))
		return 0;
	if (m->info.exact)
		return m->info.pages + (uint64_t)hist_tail(&m->hist[p], frames);
	return (uint64_t)llround(mmsim_mrc_miss_ratio(m, p, frames) * (double)m->info.accesses);
}

uint64_t mmsim_mrc_max_frames(const struct mmsim_mrc *m, enum mmsim_mrc_policy p)
{
	if (!mmsim_mrc_has(m, p) || m->hist[p].max < 1)
		return 1;
	return m->hist[p].max;
}

const char *mmsim_mrc_policy_name(enum mmsim_mrc_policy p)
{
	static const char *const names[MMSIM_MRC_NR_POLICIES] = {
		[MMSIM_MRC_LRU] = "lru",
		[MMSIM_MRC_OPT] = "opt",
	};

	return (unsigned int)p < MMSIM_MRC_NR_POLICIES ? names[p] : NULL;
}
