/*
 * tests/fuzz/fuzz_format.h: the body of the libFuzzer targets for the readers of formats
 * that are named, not detected (fuzz_trace_din.c, fuzz_trace_pages.c, fuzz_trace_oracle.c,
 * fuzz_trace_champsim.c): each defines FUZZ_FORMAT and includes this file.
 *
 * On any input the reader must not crash, leak, hang or read out of bounds, and must either
 * end cleanly or fail with -EINVAL (or -ENOMEM) and a message that starts with the trace's
 * name. Buffering must change nothing: the smallest buffer and a large one give the same
 * records and the same message (for compressed input, only the records read before a
 * corruption must agree); a rewind gives the same again.
 */
#ifndef MMSIM_TESTS_FUZZ_FUZZ_FORMAT_H
#define MMSIM_TESTS_FUZZ_FUZZ_FORMAT_H

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mmsim/error.h"
#include "mmsim/trace.h"
#include "trace/trace_reader.h"
#include "trace/trace_source.h"

#define MAX_RECORDS 100000

#define CHECK(cond)                                                                             \
	do {                                                                                    \
		if (!(cond)) {                                                                  \
			fprintf(stderr, "fuzz_format: %s:%d: %s\n", __FILE__, __LINE__, #cond); \
			abort();                                                                \
		}                                                                               \
	} while (0)

struct outcome {
	struct mmsim_trace_record *recs; /* malloc'd */
	size_t n;
	int ret; /* 0 at the end, 1 when MAX_RECORDS stopped it, or the error */
	struct mmsim_error err;
};

static struct outcome read_all(struct mmsim_trace_reader *r)
{
	struct outcome o = { 0 };
	size_t cap = 0;

	for (;;) {
		if (o.n == MAX_RECORDS) {
			o.ret = 1;
			return o;
		}
		if (o.n == cap) {
			cap = cap ? cap * 2 : 256;
			o.recs = realloc(o.recs, cap * sizeof(*o.recs));
			CHECK(o.recs);
		}
		o.ret = mmsim_trace_next(r, &o.recs[o.n], &o.err);
		if (o.ret <= 0)
			return o;
		o.n++;
	}
}

static bool same_records(const struct outcome *a, const struct outcome *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct mmsim_trace_record *x = &a->recs[i], *y = &b->recs[i];

		if (x->kind != y->kind || x->addr != y->addr || x->size != y->size ||
		    x->pid != y->pid)
			return false;
	}
	return true;
}

static void check_valid(const struct outcome *o)
{
	CHECK(o->ret == 0 || o->ret == 1 || o->ret == -EINVAL || o->ret == -ENOMEM);
	if (o->ret < 0)
		CHECK(strncmp(o->err.msg, "fuzz", 4) == 0 && o->err.code == o->ret);
	for (size_t i = 0; i < o->n; i++) {
		CHECK((unsigned int)o->recs[i].kind < MMSIM_TRACE_NR_KINDS);
		CHECK(o->recs[i].size >= 1);
	}
}

static bool is_compressed(const uint8_t *d, size_t n)
{
	return n >= 2 && ((d[0] == 0x1f && d[1] == 0x8b) || (d[0] == 0x28 && d[1] == 0xb5) ||
			  ((d[0] & 0xf0) == 0x50 && d[1] == 0x2a) || (d[0] == 0xfd && d[1] == '7'));
}

/* Opens and reads data with a decoded buffer of buf_size; *r is kept for a rewind. */
static struct outcome open_and_read(const uint8_t *data, size_t size, size_t buf_size,
				    struct mmsim_trace_reader **r)
{
	struct outcome o = { 0 };

	o.ret = trace_reader_create_memory_as(data, size, "fuzz", buf_size, FUZZ_FORMAT, r, &o.err);
	if (o.ret) {
		*r = NULL;
		return o;
	}
	return read_all(*r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mmsim_trace_reader *small, *big;
	struct outcome a = open_and_read(data, size, TRACE_SOURCE_BUF_MIN, &small);
	struct outcome b = open_and_read(data, size, 1u << 20, &big);
	size_t n = a.n < b.n ? a.n : b.n;

	check_valid(&a);
	check_valid(&b);
	CHECK(same_records(&a, &b, n));
	if (!is_compressed(data, size)) {
		CHECK(a.n == b.n && a.ret == b.ret);
		CHECK(a.ret >= 0 || strcmp(a.err.msg, b.err.msg) == 0);
	}
	if (small && a.ret != 1) {
		struct mmsim_error err;
		struct outcome c;

		CHECK(mmsim_trace_rewind(small, &err) == 0 || err.code == -EINVAL);
		c = read_all(small);
		CHECK(c.n == a.n && same_records(&a, &c, a.n) && c.ret == a.ret);
		free(c.recs);
	}
	mmsim_trace_reader_destroy(small);
	mmsim_trace_reader_destroy(big);
	free(a.recs);
	free(b.recs);
	return 0;
}

#endif
