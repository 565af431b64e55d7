/*
 * tests/unit/trace/test_trace_bin.c: the binary trace format, versions 1 and 2.
 *
 * The byte-exact vectors are worked out by hand from docs/trace-format.md (tag bits, LEB128,
 * zigzag, event control bytes), independently of the encoder; the round trips then check encoder
 * against decoder on records of every shape, through every compression and buffer size.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "trace/trace_bin.h"
#include "trace/trace_reader.h"
#include "trace/trace_test_util.h"
#include "trace/trace_writer.h"
#include "util/macros.h"

#define REC(k, a, s, p)               \
	((struct mmsim_trace_record){ \
		.kind = MMSIM_TRACE_##k, .addr = (a), .size = (s), .pid = (p) })

/* Version 2 (what the writer writes) and version 1 (older files, read as before). */
#define HEADER 0x89, 'M', 'M', 'T', 'R', '\r', '\n', 0x1a, 2, 0, 0, 0, 0, 0, 0, 0
#define HEADER1 0x89, 'M', 'M', 'T', 'R', '\r', '\n', 0x1a, 1, 0, 0, 0, 0, 0, 0, 0

static const struct mmsim_trace_record vector_recs[] = {
	REC(LOAD, 0x1000, 4, 0),     REC(IFETCH, 0x400000, 3, 0),  REC(STORE, 0x0ffc, 8, 5),
	REC(MODIFY, 0x0ffc, 100, 5), REC(IFETCH, 0x400003, 16, 5),
};

static const uint8_t vector_bytes[] = {
	HEADER, 0x20, 0x80, 0x40,	/* load (0) | code 4 << 3; zigzag(0x1000) = 0x2000 */
	0x1b,	0x80, 0x80, 0x80, 0x04, /* ifetch (3) | code 3 << 3; zigzag(0x400000) = 1 << 23 */
	0x45,	0x05, 0x07,		/* store (1) | P | code 8 << 3; pid 5; zigzag(-4) = 7 */
	0x02,	0x64, 0x00,		/* modify (2), code 0: size 100 follows; delta 0 */
	0x6b,	0x06,			/* ifetch | code 13 (16 bytes) << 3; zigzag(3) = 6 */
	0x80,	0x05,			/* end: 5 records */
};

/* Writes recs to a memory writer; returns a malloc'd copy of the output. */
static uint8_t *encode(const struct mmsim_trace_record *recs, size_t n,
		       enum mmsim_trace_compression c, size_t *len)
{
	struct mmsim_trace_writer_opts opts = { .format = MMSIM_TRACE_FORMAT_BINARY,
						.compression = c };
	struct mmsim_trace_writer *w;
	struct mmsim_error err = { 0 };
	const uint8_t *mem;
	uint8_t *copy;

	cr_assert_eq(trace_writer_create_memory("w", &opts, &w, &err), 0, "%s", err.msg);
	for (size_t i = 0; i < n; i++)
		cr_assert_eq(mmsim_trace_write(w, &recs[i], &err), 0, "%s", err.msg);
	cr_assert_eq(mmsim_trace_writer_finish(w, &err), 0, "%s", err.msg);
	mem = trace_writer_memory(w, len);
	copy = malloc(*len ? *len : 1);
	memcpy(copy, mem, *len);
	mmsim_trace_writer_destroy(w);
	return copy;
}

Test(trace_bin, encodes_the_hand_worked_vector)
{
	size_t len;
	uint8_t *bytes = encode(vector_recs, 5, MMSIM_TRACE_COMPRESSION_NONE, &len);

	cr_assert_eq(len, sizeof(vector_bytes));
	cr_assert_arr_eq(bytes, vector_bytes, len);
	free(bytes);
}

Test(trace_bin, decodes_the_hand_worked_vector)
{
	struct tt_trace t = tt_read_memory(vector_bytes, sizeof(vector_bytes));

	tt_assert_read(&t, vector_recs, 5);
}

/*
 * Events, worked out by hand from docs/trace-format.md: store 0x1000 (8 bytes, pid 5); fork
 * 5 -> 300; load 0x1008 (4, pid 300); exec 300; exit 5; reclaim 1 MiB from pid 300; reclaim
 * 4096 from all; shrink-all; switch.
 */
#define EV(k, a, s, p) REC(k, a, s, p)
static const struct mmsim_trace_record event_recs[] = {
	REC(STORE, 0x1000, 8, 5),
	EV(FORK, 300, 0, 5),
	REC(LOAD, 0x1008, 4, 300),
	EV(EXEC, 0, 0, 300),
	EV(EXIT, 0, 0, 5),
	EV(RECLAIM, 1 << 20, 0, 300),
	EV(RECLAIM, 4096, MMSIM_TRACE_EVENT_ALL, 0),
	EV(SHRINK_ALL, 0, 0, 0),
	EV(SWITCH, 0, 0, 0),
};

static const uint8_t event_bytes[] = {
	HEADER, 0x45, 0x05, 0x80, 0x40, /* store | P | code 8; pid 5; zigzag(0x1000) = 0x2000 */
	0x81,	0x05, 0xac, 0x02,	/* fork: parent 5, child 300 = 0x12c */
	0x24,	0xac, 0x02, 0x10,	/* load | P | code 4; pid 300; zigzag(8) = 16 */
	0x82,	0xac, 0x02,		/* exec 300 */
	0x83,	0x05,			/* exit 5 */
	0x84,	0x80, 0x80, 0x40, 0xad, 0x02, /* reclaim 1 MiB (2^20 = 0x40 << 14); 301 = pid+1 */
	0x84,	0x80, 0x20, 0x00,	      /* reclaim 4096 (0x20 << 7), target 0: all */
	0x85,				      /* shrink-all */
	0x86,				      /* switch */
	0x80,	0x09,			      /* end: 2 records + 7 events */
};

Test(trace_bin, encodes_the_hand_worked_event_vector)
{
	size_t len;
	uint8_t *bytes =
		encode(event_recs, ARRAY_SIZE(event_recs), MMSIM_TRACE_COMPRESSION_NONE, &len);

	cr_assert_eq(len, sizeof(event_bytes));
	cr_assert_arr_eq(bytes, event_bytes, len);
	free(bytes);
}

Test(trace_bin, decodes_events_only_when_asked)
{
	struct mmsim_trace_reader *r;
	struct mmsim_error err = { 0 };
	struct tt_trace t;

	/* Asked: every event in place. */
	cr_assert_eq(
		mmsim_trace_reader_create_memory(event_bytes, sizeof(event_bytes), "t", &r, &err),
		0, "%s", err.msg);
	mmsim_trace_reader_set_events(r, true);
	t = tt_read_all(r);
	cr_assert_eq(t.ret, 0, "%s", t.err.msg);
	cr_assert_eq(t.n, ARRAY_SIZE(event_recs));
	tt_assert_same(t.recs, event_recs, t.n);
	cr_assert_eq(mmsim_trace_reader_nr_events(r), 7);
	free(t.recs);
	/* The choice stays across a rewind. */
	cr_assert_eq(mmsim_trace_rewind(r, &err), 0, "%s", err.msg);
	t = tt_read_all(r);
	cr_assert_eq(t.n, ARRAY_SIZE(event_recs));
	free(t.recs);
	mmsim_trace_reader_destroy(r);

	/* Not asked (the default): the accesses alone, the events counted. */
	cr_assert_eq(
		mmsim_trace_reader_create_memory(event_bytes, sizeof(event_bytes), "t", &r, &err),
		0, "%s", err.msg);
	t = tt_read_all(r);
	cr_assert_eq(t.ret, 0, "%s", t.err.msg);
	cr_assert_eq(t.n, 2);
	tt_assert_same(&t.recs[0], &event_recs[0], 1);
	tt_assert_same(&t.recs[1], &event_recs[2], 1);
	cr_assert_eq(mmsim_trace_reader_nr_events(r), 7);
	free(t.recs);
	mmsim_trace_reader_destroy(r);
}

Test(trace_bin, version_1_reads_as_before)
{
	uint8_t v1[sizeof(vector_bytes)];
	struct tt_trace t;

	memcpy(v1, vector_bytes, sizeof(v1));
	v1[8] = 1;
	t = tt_read_memory(v1, sizeof(v1));
	tt_assert_read(&t, vector_recs, 5);
}

Test(trace_bin, events_that_break_the_rules_are_refused_by_the_writer)
{
	const struct mmsim_trace_record bad[] = {
		EV(FORK, 5, 0, 5),
		EV(FORK, UINT64_C(1) << 32, 0, 5),
		EV(RECLAIM, 0, 0, 1),
		EV(RECLAIM, 4096, MMSIM_TRACE_EVENT_ALL, 3),
		EV(EXIT, 1, 0, 3),
		EV(SWITCH, 0, 0, 3),
		{ .kind = (enum mmsim_trace_kind)MMSIM_TRACE_NR_ALL_KINDS },
	};
	struct mmsim_trace_writer_opts opts = { .format = MMSIM_TRACE_FORMAT_BINARY };

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		struct mmsim_trace_writer *w;
		struct mmsim_error err = { 0 };

		cr_assert_eq(trace_writer_create_memory("w", &opts, &w, &err), 0, "%s", err.msg);
		cr_assert_eq(mmsim_trace_write(w, &bad[i], &err), -EINVAL, "case %zu", i);
		mmsim_trace_writer_destroy(w);
	}
}

Test(trace_bin, formats_without_events_refuse_or_drop_them_counted)
{
	struct mmsim_trace_writer_opts opts = { .format = MMSIM_TRACE_FORMAT_DIN };
	struct mmsim_trace_writer *w;
	struct mmsim_error err = { 0 };

	cr_assert_eq(trace_writer_create_memory("w", &opts, &w, &err), 0, "%s", err.msg);
	cr_assert_eq(mmsim_trace_write(w, &event_recs[0], &err), 0, "%s", err.msg);
	cr_assert_eq(mmsim_trace_write(w, &event_recs[1], &err), -EINVAL);
	cr_assert_str_eq(err.msg, "w: after record 1: a fork event, which din cannot carry (write "
				  "binary or lackey to keep events, or drop them: mmsim convert "
				  "--drop-events)");
	mmsim_trace_writer_destroy(w);

	opts.drop_events = true;
	cr_assert_eq(trace_writer_create_memory("w", &opts, &w, &err), 0, "%s", err.msg);
	for (size_t i = 0; i < ARRAY_SIZE(event_recs); i++)
		cr_assert_eq(mmsim_trace_write(w, &event_recs[i], &err), 0, "%s", err.msg);
	cr_assert_eq(mmsim_trace_writer_nr_records(w), 2);
	cr_assert_eq(mmsim_trace_writer_nr_events(w), 0);
	cr_assert_eq(mmsim_trace_writer_nr_dropped(w), 7);
	mmsim_trace_writer_destroy(w);
}

Test(trace_bin, size_codes)
{
	for (uint32_t s = 1; s <= 12; s++)
		cr_assert_eq(trace_bin_size_code(s), s);
	cr_assert_eq(trace_bin_size_code(16), 13);
	cr_assert_eq(trace_bin_size_code(32), 14);
	cr_assert_eq(trace_bin_size_code(64), 15);
	cr_assert_eq(trace_bin_size_code(0), 0);
	cr_assert_eq(trace_bin_size_code(13), 0);
	cr_assert_eq(trace_bin_size_code(128), 0);
	cr_assert_eq(trace_bin_size_code(UINT32_MAX), 0);
}

static void round_trip(size_t n, enum mmsim_trace_compression c, uint64_t seed)
{
	struct mmsim_trace_record *recs = tt_random_records(n, seed);
	size_t len;
	uint8_t *bytes = encode(recs, n, c, &len);
	struct tt_trace big = tt_read_memory(bytes, len);
	struct tt_trace small = tt_read_memory_small(bytes, len);

	cr_assert_eq(big.ret, 0, "%s", big.err.msg);
	cr_assert_eq(small.ret, 0, "%s", small.err.msg);
	cr_assert_eq(big.n, n);
	cr_assert_eq(small.n, n);
	tt_assert_same(big.recs, recs, n);
	tt_assert_same(small.recs, recs, n);
	free(big.recs);
	free(small.recs);
	free(bytes);
	free(recs);
}

Test(trace_bin, round_trip_plain)
{
	round_trip(100000, MMSIM_TRACE_COMPRESSION_NONE, 1);
}

Test(trace_bin, round_trip_zstd)
{
	round_trip(100000, MMSIM_TRACE_COMPRESSION_ZSTD, 2);
}

Test(trace_bin, round_trip_gzip)
{
	round_trip(100000, MMSIM_TRACE_COMPRESSION_GZIP, 3);
}

Test(trace_bin, round_trip_empty)
{
	round_trip(0, MMSIM_TRACE_COMPRESSION_NONE, 4);
	round_trip(0, MMSIM_TRACE_COMPRESSION_ZSTD, 4);
}

Test(trace_bin, multi_pid_trace_keeps_each_records_pid)
{
	const struct mmsim_trace_record recs[] = {
		REC(LOAD, 0x1000, 4, 100),	REC(STORE, 0x2000, 4, 200),
		REC(LOAD, 0x1008, 4, 100),	REC(IFETCH, 0x4000, 2, 0),
		REC(IFETCH, 0x4002, 2, 0),	REC(MODIFY, 0x10, 8, 1),
		REC(LOAD, 0x20, 1, UINT32_MAX),
	};
	size_t n = ARRAY_SIZE(recs), len;
	uint8_t *bytes = encode(recs, n, MMSIM_TRACE_COMPRESSION_NONE, &len);
	struct tt_trace t = tt_read_memory(bytes, len);

	tt_assert_read(&t, recs, n);
	free(bytes);
}

/* Every proper prefix of a trace is an error; what it delivers is a prefix of the records. */
static void every_prefix_fails(const struct mmsim_trace_record *recs, size_t n,
			       enum mmsim_trace_compression c, size_t step)
{
	size_t len;
	uint8_t *bytes = encode(recs, n, c, &len);

	for (size_t cut = 0; cut < len; cut += step) {
		struct tt_trace t = tt_read_memory(bytes, cut);

		if (cut == 0) {
			/* An empty file is an empty text trace, not a binary one. */
			cr_assert_eq(t.ret, 0);
			cr_assert_eq(t.n, 0);
		} else {
			cr_assert_eq(t.ret, -EINVAL, "cut at %zu of %zu: ret %d, %zu records", cut,
				     len, t.ret, t.n);
			cr_assert_lt(t.n, n + 1);
			tt_assert_same(t.recs, recs, t.n);
		}
		free(t.recs);
	}
	free(bytes);
}

Test(trace_bin, truncation_is_always_an_error)
{
	struct mmsim_trace_record *recs = tt_random_records(300, 5);

	every_prefix_fails(vector_recs, 5, MMSIM_TRACE_COMPRESSION_NONE, 1);
	every_prefix_fails(recs, 300, MMSIM_TRACE_COMPRESSION_NONE, 1);
	every_prefix_fails(recs, 300, MMSIM_TRACE_COMPRESSION_ZSTD, 1);
	every_prefix_fails(recs, 300, MMSIM_TRACE_COMPRESSION_GZIP, 1);
	free(recs);
}

static void expect_message(const uint8_t *bytes, size_t len, const char *msg)
{
	struct tt_trace t = tt_read_memory(bytes, len);

	cr_assert_eq(t.ret, -EINVAL);
	cr_assert_str_eq(t.err.msg, msg);
	free(t.recs);
}

Test(trace_bin, truncation_messages)
{
	const uint8_t only_header[] = { HEADER };
	const uint8_t mid_record[] = { HEADER, 0x20, 0x80 };
	const uint8_t mid_end[] = { HEADER, 0x80 };
	const uint8_t short_header[] = { 0x89, 'M', 'M', 'T', 'R' };

	expect_message(only_header, sizeof(only_header),
		       "t: byte 16: truncated trace: the file ends after 0 records, "
		       "before the end-of-trace marker");
	expect_message(mid_record, sizeof(mid_record),
		       "t: byte 16: truncated trace: the file ends inside a record");
	expect_message(mid_end, sizeof(mid_end),
		       "t: byte 16: truncated trace: the file ends inside the end marker");
	expect_message(short_header, sizeof(short_header),
		       "t: byte 5: truncated header (5 of 16 bytes)");
}

struct bad_bin {
	uint8_t bytes[40];
	size_t len;
	const char *msg;
};

#define BAD(msg_, ...)                                                                             \
	{                                                                                          \
		.bytes = { __VA_ARGS__ }, .len = sizeof((uint8_t[]){ __VA_ARGS__ }), .msg = (msg_) \
	}

static const struct bad_bin bad_bins[] = {
	BAD("t: byte 0: not an mmsim binary trace (bad magic)", 0x89, 'M', 'M', 'T', 'X', '\r',
	    '\n', 0x1a, 1, 0, 0, 0, 0, 0, 0, 0, 0x80, 0),
	BAD("t: byte 8: unsupported binary trace version 3 (this mmsim reads versions 1 to 2)",
	    0x89, 'M', 'M', 'T', 'R', '\r', '\n', 0x1a, 3, 0, 0, 0, 0, 0, 0, 0, 0x80, 0),
	BAD("t: byte 8: unsupported binary trace version 0 (this mmsim reads versions 1 to 2)",
	    0x89, 'M', 'M', 'T', 'R', '\r', '\n', 0x1a, 0, 0, 0, 0, 0, 0, 0, 0x80, 0),
	BAD("t: byte 10: unknown header flags 0x0100", 0x89, 'M', 'M', 'T', 'R', '\r', '\n', 0x1a,
	    1, 0, 0, 1, 0, 0, 0, 0, 0x80, 0),
	BAD("t: byte 12: reserved header bytes are not zero", 0x89, 'M', 'M', 'T', 'R', '\r', '\n',
	    0x1a, 1, 0, 0, 0, 0, 0, 0, 9, 0x80, 0),
	BAD("t: byte 16: unknown control byte 0x81", HEADER1, 0x81, 1, 2, 0x80, 1),
	BAD("t: byte 16: unknown control byte 0x86", HEADER1, 0x86, 0x80, 1),
	BAD("t: byte 16: unknown control byte 0x87", HEADER, 0x87, 0x80, 1),
	BAD("t: byte 16: unknown control byte 0xff", HEADER, 0xff, 0x80, 1),
	BAD("t: byte 16: fork: the child pid equals the parent's", HEADER, 0x81, 7, 7, 0x80, 1),
	BAD("t: byte 18: child pid does not fit in 32 bits", HEADER, 0x81, 7, 0x80, 0x80, 0x80,
	    0x80, 0x10, 0x80, 1),
	BAD("t: byte 17: pid does not fit in 32 bits", HEADER, 0x82, 0xff, 0xff, 0xff, 0xff, 0x10,
	    0x80, 1),
	BAD("t: byte 16: truncated trace: the file ends inside a record", HEADER, 0x81, 7),
	BAD("t: byte 16: truncated trace: the file ends inside a record", HEADER, 0x83),
	BAD("t: byte 16: reclaim: 0 bytes (reclaim at least 1 byte)", HEADER, 0x84, 0, 0, 0x80, 1),
	BAD("t: byte 18: reclaim target 4294967297 is not 0 (all) or a pid + 1", HEADER, 0x84, 0x40,
	    0x81, 0x80, 0x80, 0x80, 0x10, 0x80, 1),
	BAD("t: byte 17: the end marker counts 0 records, but the trace holds 1", HEADER, 0x85,
	    0x80, 0),
	BAD("t: byte 17: address delta does not fit in 64 bits", HEADER, 0x20, 0xff, 0xff, 0xff,
	    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0x80, 0x01),
	BAD("t: byte 17: address delta does not fit in 64 bits", HEADER, 0x20, 0xff, 0xff, 0xff,
	    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01, 0x80, 0x01),
	BAD("t: byte 17: pid does not fit in 32 bits", HEADER, 0x24, 0xff, 0xff, 0xff, 0xff, 0x10,
	    0x00, 0x80, 0x01),
	BAD("t: byte 17: pid does not fit in 32 bits", HEADER, 0x24, 0x80, 0x80, 0x80, 0x80, 0x80,
	    0x00, 0x00, 0x80, 0x01),
	BAD("t: byte 17: size does not fit in 32 bits", HEADER, 0x00, 0x80, 0x80, 0x80, 0x80, 0x10,
	    0x00, 0x80, 0x01),
	BAD("t: byte 17: size 0 is invalid", HEADER, 0x00, 0x00, 0x00, 0x80, 0x01),
	BAD("t: byte 19: the end marker counts 2 records, but the trace holds 1", HEADER, 0x20,
	    0x80, 0x40, 0x80, 0x02),
	BAD("t: byte 18: data after the end-of-trace marker", HEADER, 0x80, 0x00, 0x00),
	BAD("t: byte 18: data after the end-of-trace marker", HEADER, 0x80, 0x00, 0x89),
};

Test(trace_bin, malformed_input_names_byte_and_reason)
{
	for (size_t i = 0; i < ARRAY_SIZE(bad_bins); i++) {
		const struct bad_bin *b = &bad_bins[i];
		struct tt_trace t = tt_read_memory(b->bytes, b->len);
		struct tt_trace s = tt_read_memory_small(b->bytes, b->len);

		cr_assert_eq(t.ret, -EINVAL, "case %zu: ret %d", i, t.ret);
		cr_assert_str_eq(t.err.msg, b->msg, "case %zu", i);
		cr_assert_str_eq(s.err.msg, b->msg, "case %zu, small buffer", i);
		free(t.recs);
		free(s.recs);
	}
}

Test(trace_bin, long_runs_cross_buffer_edges_on_both_paths)
{
	/* Alternate fast-path records with pid changes and explicit sizes (careful path). */
	size_t n = 50000;
	struct mmsim_trace_record *recs = calloc(n, sizeof(*recs));
	size_t len;
	uint8_t *bytes;
	struct tt_trace t;

	for (size_t i = 0; i < n; i++) {
		recs[i].kind = (enum mmsim_trace_kind)(i % 4);
		recs[i].addr = UINT64_C(0x7fff00000000) + i * 8;
		recs[i].size = i % 7 == 0 ? 100 : 8;
		recs[i].pid = (uint32_t)(i / 13);
	}
	bytes = encode(recs, n, MMSIM_TRACE_COMPRESSION_NONE, &len);
	t = tt_read_memory_small(bytes, len);
	tt_assert_read(&t, recs, n);
	free(bytes);
	free(recs);
}

Test(trace_bin, every_varint_length_on_the_fast_path)
{
	/* Deltas of every bit length, both signs, in common records (one pid, size 8): the
	 * fast path decodes varints of 1 to 8 bytes from one word, longer ones byte by byte. */
	size_t n = 0, cap = 4 * 64 + 2;
	struct mmsim_trace_record *recs = calloc(cap, sizeof(*recs));
	uint64_t addr = 0;
	size_t len;
	uint8_t *bytes;
	struct tt_trace t;

	for (unsigned int bits = 0; bits < 64; bits++) {
		uint64_t delta = bits ? (UINT64_C(1) << bits) | (bits * UINT64_C(0x9e3779b9)) : 0;

		delta &= bits < 63 ? (UINT64_C(1) << (bits + 1)) - 1 : UINT64_MAX;
		for (int sign = 0; sign < 2; sign++) {
			addr += sign ? 0 - delta : delta;
			recs[n++] = REC(LOAD, addr, 8, 7);
			addr += sign ? delta - 1 : 1 - delta;
			recs[n++] = REC(STORE, addr, 8, 7);
		}
	}
	recs[n++] = REC(LOAD, UINT64_MAX, 8, 7);
	recs[n++] = REC(LOAD, 0, 8, 7);
	bytes = encode(recs, n, MMSIM_TRACE_COMPRESSION_NONE, &len);
	t = tt_read_memory(bytes, len);
	tt_assert_read(&t, recs, n);
	t = tt_read_memory_small(bytes, len);
	cr_assert_eq(t.ret, 0, "%s", t.err.msg);
	tt_assert_same(t.recs, recs, n);
	free(t.recs);
	free(bytes);
	free(recs);
}
