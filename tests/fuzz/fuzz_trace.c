/*
 * tests/fuzz/fuzz_trace.c: libFuzzer target for the trace readers (trace/trace_*.c): format
 * and compression detection, the lackey text parser, the binary decoder, gzip and zstd.
 * Seeds: tests/fuzz/corpus/trace/; dictionary: tests/fuzz/trace.dict.
 *
 * On any input the reader must not crash, leak, hang or read out of bounds, and must either
 * end cleanly or fail with -EINVAL and a message that starts with the trace's name. Beyond
 * that, properties that tie the pieces together:
 *   1. buffering changes nothing: the smallest buffer and the default one give the same
 *      records and the same message (for compressed input, where a corruption is noticed
 *      depends on the buffer: then both must fail, and agree on the records before);
 *   2. a rewind gives the same records and message again;
 *   3. whatever was read re-encodes: binary and lackey text decode back to exactly the same
 *      records. (Compressing them too would test the writer, not the input's handling, at
 *      the price of a compressor's set-up per run: the unit tests do that.)
 *   4. events: a reader that hands them out gives the same accesses plus valid events
 *      (trace_event_invalid()), the same message, and they re-encode with the events.
 *
 * Build and run: tests/fuzz/run_fuzz.sh SECONDS trace
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mmsim/error.h"
#include "mmsim/trace.h"
#include "trace/trace_event.h"
#include "trace/trace_reader.h"
#include "trace/trace_writer.h"

/* Records compared per input at most: a compression bomb must not make one run slow. */
#define MAX_RECORDS 100000

#define CHECK(cond)                                                                            \
	do {                                                                                   \
		if (!(cond)) {                                                                 \
			fprintf(stderr, "fuzz_trace: %s:%d: %s\n", __FILE__, __LINE__, #cond); \
			abort();                                                               \
		}                                                                              \
	} while (0)

struct outcome {
	struct mmsim_trace_record *recs; /* malloc'd */
	size_t n;
	int ret; /* 0 at the end, 1 when MAX_RECORDS stopped it, or the error */
	struct mmsim_error err;
};

/* Room for 64 more records in o. */
static void grow(struct outcome *o, size_t *cap)
{
	if (*cap - o->n >= 64)
		return;
	*cap = *cap ? *cap * 2 : 256;
	o->recs = realloc(o->recs, *cap * sizeof(*o->recs));
	CHECK(o->recs);
}

/* Reads with next() and read() in turn, as a consumer might mix them. */
static struct outcome read_some(struct mmsim_trace_reader *r)
{
	struct outcome o = { 0 };
	size_t cap = 0, k;

	while (o.n < MAX_RECORDS) {
		grow(&o, &cap);
		if (o.n % 3 == 1) {
			size_t want = MAX_RECORDS - o.n < 50 ? MAX_RECORDS - o.n : 50;

			o.ret = mmsim_trace_read(r, o.recs + o.n, want, &k, &o.err);
			o.n += k;
			if (o.ret || k == 0)
				return o;
		} else {
			o.ret = mmsim_trace_next(r, &o.recs[o.n], &o.err);
			if (o.ret <= 0)
				return o;
			o.n++;
		}
	}
	o.ret = 1;
	return o;
}

/* Whether a's records are the first records of b (or all of them). */
static bool is_prefix(const struct outcome *a, const struct outcome *b)
{
	if (a->n > b->n)
		return false;
	for (size_t i = 0; i < a->n; i++) {
		const struct mmsim_trace_record *x = &a->recs[i], *y = &b->recs[i];

		if (x->kind != y->kind || x->addr != y->addr || x->size != y->size ||
		    x->pid != y->pid)
			return false;
	}
	return true;
}

static void check_identical(const struct outcome *a, const struct outcome *b)
{
	CHECK(a->n == b->n && is_prefix(a, b));
	CHECK(a->ret == b->ret);
	CHECK(a->ret >= 0 || strcmp(a->err.msg, b->err.msg) == 0);
}

/*
 * Property 1. A compressed stream is decoded a buffer at a time, so where a corruption is
 * noticed (at create, or after some records; at which byte) depends on the buffer; what is
 * read before it must still agree, and both readers must fail.
 */
static void check_buffering(const struct outcome *a, const struct outcome *b, bool compressed)
{
	if (!compressed) {
		check_identical(a, b);
		return;
	}
	CHECK(is_prefix(a, b) || is_prefix(b, a));
	if (a->ret != 1 && b->ret != 1)
		CHECK((a->ret == 0) == (b->ret == 0));
}

static bool is_compressed(const uint8_t *d, size_t n)
{
	return n >= 2 && ((d[0] == 0x1f && d[1] == 0x8b) || (d[0] == 0x28 && d[1] == 0xb5) ||
			  ((d[0] & 0xf0) == 0x50 && d[1] == 0x2a) || (d[0] == 0xfd && d[1] == '7'));
}

static void check_valid(const struct outcome *o, bool events)
{
	CHECK(o->ret == 0 || o->ret == 1 || o->ret == -EINVAL);
	if (o->ret < 0)
		CHECK(strncmp(o->err.msg, "fuzz", 4) == 0 && o->err.code == o->ret);
	for (size_t i = 0; i < o->n; i++) {
		if (events && mmsim_trace_kind_is_event(o->recs[i].kind)) {
			CHECK(trace_event_invalid(&o->recs[i]) == NULL);
			continue;
		}
		CHECK((unsigned int)o->recs[i].kind < MMSIM_TRACE_NR_KINDS);
		CHECK(o->recs[i].size >= 1);
	}
}

/* Property 4: e (read with events) without its events is b (read without). */
static void check_events(const struct outcome *e, const struct outcome *b)
{
	struct outcome acc = { 0 };

	if (e->ret == 1 || b->ret == 1)
		return; /* stopped at MAX_RECORDS: the two counts differ */
	acc.recs = malloc((e->n ? e->n : 1) * sizeof(*acc.recs));
	CHECK(acc.recs);
	for (size_t i = 0; i < e->n; i++) {
		if (!mmsim_trace_kind_is_event(e->recs[i].kind))
			acc.recs[acc.n++] = e->recs[i];
	}
	acc.ret = e->ret;
	acc.err = e->err;
	check_identical(&acc, b);
	free(acc.recs);
}

/* Property 3: o's records written in a format and read back are the same records. */
static void check_reencode(const struct outcome *o, enum mmsim_trace_format format,
			   enum mmsim_trace_compression compression)
{
	struct mmsim_trace_writer_opts opts = { .format = format,
						.compression = compression,
						.level = 1 };
	struct mmsim_trace_writer *w;
	struct mmsim_trace_reader *r;
	struct mmsim_error err;
	struct outcome back;
	const uint8_t *bytes;
	size_t len;

	CHECK(trace_writer_create_memory("re", &opts, &w, &err) == 0);
	for (size_t i = 0; i < o->n; i++)
		CHECK(mmsim_trace_write(w, &o->recs[i], &err) == 0);
	CHECK(mmsim_trace_writer_finish(w, &err) == 0);
	bytes = trace_writer_memory(w, &len);
	CHECK(mmsim_trace_reader_create_memory(bytes, len, "re", &r, &err) == 0);
	mmsim_trace_reader_set_events(r, true);
	back = read_some(r);
	CHECK(back.ret == 0);
	CHECK(back.n == o->n && is_prefix(o, &back));
	free(back.recs);
	mmsim_trace_reader_destroy(r);
	mmsim_trace_writer_destroy(w);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Opens and reads; a failed open is an outcome with no records. */
static struct outcome open_and_read(const uint8_t *data, size_t size, size_t buf_size, bool events,
				    struct mmsim_trace_reader **r)
{
	struct outcome o = { 0 };

	if (buf_size)
		o.ret = trace_reader_create_memory_buffered(data, size, "fuzz", buf_size, r,
							    &o.err);
	else
		o.ret = mmsim_trace_reader_create_memory(data, size, "fuzz", r, &o.err);
	if (o.ret) {
		CHECK(*r == NULL);
		return o;
	}
	mmsim_trace_reader_set_events(*r, events);
	return read_some(*r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mmsim_trace_reader *small = NULL, *big = NULL, *ev = NULL;
	struct mmsim_error err;
	struct outcome a, b, c, e;

	a = open_and_read(data, size, 1, false, &small); /* the smallest buffer allowed */
	b = open_and_read(data, size, 0, false, &big);	 /* the default */
	e = open_and_read(data, size, 0, true, &ev);	 /* with events */
	check_valid(&a, false);
	check_valid(&b, false);
	check_valid(&e, true);
	check_events(&e, &b); /* 4 */
	check_reencode(&e, MMSIM_TRACE_FORMAT_BINARY, MMSIM_TRACE_COMPRESSION_NONE);
	check_reencode(&e, MMSIM_TRACE_FORMAT_LACKEY, MMSIM_TRACE_COMPRESSION_NONE);
	free(e.recs);
	mmsim_trace_reader_destroy(ev);
	check_buffering(&a, &b, is_compressed(data, size)); /* 1 */
	if (small) {
		/* What the open survived, the rewind survives: same bytes, same buffer. */
		CHECK(mmsim_trace_rewindable(small));
		CHECK(mmsim_trace_rewind(small, &err) == 0);
		c = read_some(small);
		check_identical(&a, &c); /* 2 */
		free(c.recs);
	}
	check_reencode(&a, MMSIM_TRACE_FORMAT_BINARY, MMSIM_TRACE_COMPRESSION_NONE); /* 3 */
	check_reencode(&a, MMSIM_TRACE_FORMAT_LACKEY, MMSIM_TRACE_COMPRESSION_NONE);
	free(a.recs);
	free(b.recs);
	mmsim_trace_reader_destroy(small);
	mmsim_trace_reader_destroy(big);
	return 0;
}
