/*
 * tests/unit/trace/test_trace_oracle.c: libCacheSim oracleGeneral records, built here byte
 * by byte from the published layout (<I Q I q>, little-endian, 24 bytes).
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "trace/trace_oracle.h"
#include "trace/trace_source.h"
#include "trace/trace_test_util.h"

static void put(uint8_t *p, uint64_t v, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++, v >>= 8)
		p[i] = (uint8_t)v;
}

static size_t build(uint8_t *buf, const uint64_t *ids, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		put(buf + 24 * i, i, 4);
		put(buf + 24 * i + 4, ids[i], 8);
		put(buf + 24 * i + 12, 100, 4);
		put(buf + 24 * i + 16, UINT64_MAX, 8);
	}
	return 24 * n;
}

Test(trace_oracle, ids_become_pages_in_order_of_first_request)
{
	static uint64_t ids[3000];
	static uint8_t buf[24 * 3000];
	size_t len;
	struct tt_trace t;

	/* Hash-like 64-bit ids, each seen three times: 1000 objects, enough to grow the map. */
	for (size_t i = 0; i < 3000; i++)
		ids[i] = ((i % 1000) * 0x9e3779b97f4a7c15ULL) | (1ULL << 63);
	len = build(buf, ids, 3000);
	t = tt_read_as(buf, len, MMSIM_TRACE_FORMAT_ORACLE_GENERAL, TRACE_SOURCE_BUF_MIN);
	cr_assert_eq(t.ret, 0, "%s", t.err.msg);
	cr_assert_eq(t.n, 3000);
	for (size_t i = 0; i < 3000; i++) {
		cr_assert_eq(t.recs[i].addr, MMSIM_TRACE_PAGE_BASE + (i % 1000) * 4096, "%zu", i);
		cr_assert_eq(t.recs[i].kind, MMSIM_TRACE_STORE);
		cr_assert_eq(t.recs[i].size, 1);
	}
	free(t.recs);
}

Test(trace_oracle, a_partial_record_names_its_byte)
{
	uint64_t ids[2] = { 5, 6 };
	uint8_t buf[48];
	struct tt_trace t;

	build(buf, ids, 2);
	t = tt_read_as(buf, 47, MMSIM_TRACE_FORMAT_ORACLE_GENERAL, 4096);
	cr_assert_eq(t.ret, -EINVAL);
	cr_assert_eq(t.n, 1);
	cr_assert_str_eq(t.err.msg, "t: byte 24: truncated oracleGeneral record (23 of 24 bytes)");
	free(t.recs);
}

Test(trace_oracle, encode_gives_next_access_indices)
{
	/* Pages 1 2 1 3 2: next uses 2, 4, -1, -1, -1. */
	static const uint64_t pages[] = { 1, 2, 1, 3, 2 };
	static const int64_t next[] = { 2, 4, -1, -1, -1 };
	struct trace_oracle_writer ow = { 0 };
	uint8_t *out;
	size_t len;

	for (size_t i = 0; i < 5; i++) {
		struct mmsim_trace_record r = { .addr = pages[i] * 4096 + 7, .size = 1 };

		cr_assert_eq(trace_oracle_writer_add(&ow, &r), 0);
	}
	cr_assert_eq(trace_oracle_encode(&ow, &out, &len), 0);
	cr_assert_eq(len, 5 * 24);
	for (size_t i = 0; i < 5; i++) {
		uint64_t id = 0, nx = 0;

		for (int b = 7; b >= 0; b--) {
			id = id << 8 | out[24 * i + 4 + b];
			nx = nx << 8 | out[24 * i + 16 + b];
		}
		cr_assert_eq(id, pages[i]);
		cr_assert_eq((int64_t)nx, next[i], "%zu", i);
	}
	free(out);
	trace_oracle_writer_fini(&ow);
}

Test(trace_oracle, an_impossible_next_access_time_is_refused)
{
	/* Lackey text read as oracleGeneral: its bytes 16..23 are printable, 2^56 or more. */
	static const char text[] = "I  0401ab70,3\n S 1fff0006a8,8\nI  0401b770,1\n L 10,4\n";
	uint64_t ids[3] = { 5, 6, 5 };
	uint8_t buf[72];
	struct tt_trace t;

	cr_assert_geq(sizeof(text) - 1, 48);
	t = tt_read_as(text, 48, MMSIM_TRACE_FORMAT_ORACLE_GENERAL, 4096);
	cr_assert_eq(t.ret, -EINVAL);
	cr_assert_eq(t.n, 0);
	cr_assert(strstr(t.err.msg, "t: byte 16: not an oracleGeneral record: next_access_vtime "),
		  "%s", t.err.msg);
	free(t.recs);

	/* -1, INT64_MAX and 2^48 - 1 are fine; 2^48 in the third record is not. */
	build(buf, ids, 3);
	put(buf + 16, INT64_MAX, 8);
	put(buf + 24 + 16, (UINT64_C(1) << 48) - 1, 8);
	put(buf + 48 + 16, UINT64_C(1) << 48, 8);
	t = tt_read_as(buf, sizeof(buf), MMSIM_TRACE_FORMAT_ORACLE_GENERAL, 4096);
	cr_assert_eq(t.ret, -EINVAL);
	cr_assert_eq(t.n, 2);
	cr_assert_str_eq(t.err.msg,
			 "t: byte 64: not an oracleGeneral record: next_access_vtime "
			 "281474976710656 (a request index below 2^48, or -1 or INT64_MAX "
			 "for none)");
	free(t.recs);
}
