/*
 * trace/trace_oracle.c: reading and writing libCacheSim oracleGeneral binary traces.
 *
 * The id map is a linear-probing hash table kept under 1/2 full; it grows by doubling.
 */
#include "trace/trace_oracle.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "mmsim/error.h"
#include "trace/trace_source.h"

#define PAGE_SHIFT 12
#define MAP_MIN_SLOTS 1024u

static uint64_t get_le(const uint8_t *p, unsigned int n)
{
	uint64_t v = 0;

	for (unsigned int i = n; i-- > 0;)
		v = v << 8 | p[i];
	return v;
}

static void put_le(uint8_t *p, uint64_t v, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++, v >>= 8)
		p[i] = (uint8_t)v;
}

/* splitmix64's finaliser: ids are often hashes already, but small counters are common too. */
static uint64_t mix(uint64_t x)
{
	x ^= x >> 30;
	x *= UINT64_C(0xbf58476d1ce4e5b9);
	x ^= x >> 27;
	x *= UINT64_C(0x94d049bb133111eb);
	return x ^ (x >> 31);
}

void trace_oracle_map_fini(struct trace_oracle_map *m)
{
	free(m->ids);
	free(m->pages);
	memset(m, 0, sizeof(*m));
}

static int map_grow(struct trace_oracle_map *m)
{
	size_t nr = m->nr_slots ? m->nr_slots * 2 : MAP_MIN_SLOTS;
	uint64_t *ids = calloc(nr, sizeof(*ids));
	uint64_t *pages = calloc(nr, sizeof(*pages));

	if (!ids || !pages) {
		free(ids);
		free(pages);
		return -ENOMEM;
	}
	for (size_t i = 0; i < m->nr_slots; i++) {
		size_t j;

		if (!m->pages[i])
			continue;
		j = (size_t)mix(m->ids[i]) & (nr - 1);
		while (pages[j])
			j = (j + 1) & (nr - 1);
		ids[j] = m->ids[i];
		pages[j] = m->pages[i];
	}
	free(m->ids);
	free(m->pages);
	m->ids = ids;
	m->pages = pages;
	m->nr_slots = nr;
	return 0;
}

int trace_oracle_map_page(struct trace_oracle_map *m, uint64_t id, uint64_t *page)
{
	size_t j;

	if ((m->nr_used + 1) * 2 > m->nr_slots && map_grow(m))
		return -ENOMEM;
	j = (size_t)mix(id) & (m->nr_slots - 1);
	while (m->pages[j]) {
		if (m->ids[j] == id) {
			*page = m->pages[j] - 1;
			return 0;
		}
		j = (j + 1) & (m->nr_slots - 1);
	}
	m->ids[j] = id;
	m->pages[j] = ++m->nr_used;
	*page = m->nr_used - 1;
	return 0;
}

void trace_oracle_reader_start(struct trace_oracle_reader *orr)
{
	trace_oracle_map_fini(&orr->map);
}

void trace_oracle_reader_fini(struct trace_oracle_reader *orr)
{
	trace_oracle_map_fini(&orr->map);
}

/*
 * next_access_vtime is a request index, or -1 or INT64_MAX for "never again" (libCacheSim's
 * oracleGeneralBin.h). An index of 2^48 or more would need a file of 6.7 PB: such a value
 * means the file is not an oracleGeneral trace (text read with --format oracleGeneral has
 * printable bytes there, 2^56 or more), which would otherwise replay as plausible objects.
 */
static int check_next(struct trace_source *src, const uint8_t *p, struct mmsim_error *err)
{
	int64_t next = (int64_t)get_le(p + 16, 8);

	if (next == -1 || next == INT64_MAX || (next >= 0 && next < TRACE_ORACLE_MAX_VTIME))
		return 0;
	return mmsim_error_set(err, -EINVAL,
			       "%s: byte %llu: not an oracleGeneral record: next_access_vtime %lld "
			       "(a request index below 2^48, or -1 or INT64_MAX for none)",
			       src->name, (unsigned long long)trace_source_offset(src, p + 16),
			       (long long)next);
}

int trace_oracle_read(struct trace_oracle_reader *orr, struct trace_source *src,
		      struct mmsim_trace_record *recs, size_t max, size_t *nr_out,
		      struct mmsim_error *err)
{
	size_t n = 0;
	int ret = 0;

	while (n < max) {
		const uint8_t *p;
		uint64_t page;

		ret = trace_source_record(src, TRACE_ORACLE_RECORD_SIZE, "oracleGeneral", err);
		if (ret <= 0)
			break;
		p = src->buf + src->pos;
		ret = check_next(src, p, err);
		if (ret < 0)
			break;
		if (orr->map.nr_used == TRACE_ORACLE_MAX_OBJECTS) {
			ret = mmsim_error_set(
				err, -EINVAL, "%s: byte %llu: more than %llu distinct objects",
				src->name, (unsigned long long)trace_source_offset(src, p),
				(unsigned long long)TRACE_ORACLE_MAX_OBJECTS);
			break;
		}
		if (trace_oracle_map_page(&orr->map, get_le(p + 4, 8), &page)) {
			ret = mmsim_error_set(err, -ENOMEM, "%s: out of memory for object ids",
					      src->name);
			break;
		}
		recs[n].addr = MMSIM_TRACE_PAGE_BASE + (page << PAGE_SHIFT);
		recs[n].pid = 0;
		recs[n].size = 1;
		recs[n].kind = MMSIM_TRACE_STORE;
		n++;
		src->pos += TRACE_ORACLE_RECORD_SIZE;
	}
	*nr_out = n;
	return ret < 0 ? ret : 0;
}

int trace_oracle_writer_add(struct trace_oracle_writer *ow, const struct mmsim_trace_record *rec)
{
	if (ow->nr == ow->cap) {
		size_t cap = ow->cap ? ow->cap * 2 : 4096;
		uint64_t *p = realloc(ow->pages, cap * sizeof(*p));

		if (!p)
			return -ENOMEM;
		ow->pages = p;
		ow->cap = cap;
	}
	ow->pages[ow->nr++] = rec->addr >> PAGE_SHIFT;
	return 0;
}

int trace_oracle_encode(const struct trace_oracle_writer *ow, uint8_t **out, size_t *len)
{
	struct trace_oracle_map last = { 0 }; /* page -> index of its latest request + 1 */
	uint8_t *buf;

	*out = NULL;
	*len = 0;
	buf = malloc(ow->nr ? ow->nr * TRACE_ORACLE_RECORD_SIZE : 1);
	if (!buf)
		return -ENOMEM;
	/* Backwards, so that each request finds the next one to its page already seen. */
	for (size_t i = ow->nr; i-- > 0;) {
		uint8_t *p = buf + i * TRACE_ORACLE_RECORD_SIZE;
		uint64_t slot_page, next = UINT64_MAX;
		size_t j;

		if ((last.nr_used + 1) * 2 > last.nr_slots && map_grow(&last)) {
			free(buf);
			trace_oracle_map_fini(&last);
			return -ENOMEM;
		}
		j = (size_t)mix(ow->pages[i]) & (last.nr_slots - 1);
		while (last.pages[j] && last.ids[j] != ow->pages[i])
			j = (j + 1) & (last.nr_slots - 1);
		if (last.pages[j])
			next = last.pages[j] - 1;
		else
			last.nr_used++;
		last.ids[j] = ow->pages[i];
		last.pages[j] = (uint64_t)i + 1;
		slot_page = ow->pages[i];
		put_le(p, (uint64_t)i, 4);
		put_le(p + 4, slot_page, 8);
		put_le(p + 12, 4096, 4);
		put_le(p + 16, next, 8); /* UINT64_MAX is -1: never again */
	}
	trace_oracle_map_fini(&last);
	*out = buf;
	*len = ow->nr * TRACE_ORACLE_RECORD_SIZE;
	return 0;
}

void trace_oracle_writer_fini(struct trace_oracle_writer *ow)
{
	free(ow->pages);
	memset(ow, 0, sizeof(*ow));
}
