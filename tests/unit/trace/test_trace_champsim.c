/*
 * tests/unit/trace/test_trace_champsim.c: ChampSim input_instr records, built here byte by
 * byte from ChampSim's layout (ip at 0, destination_memory[2] at 16, source_memory[4] at 32).
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "trace/trace_champsim.h"
#include "trace/trace_source.h"
#include "trace/trace_test_util.h"

#define REC(k, a) ((struct mmsim_trace_record){ .kind = MMSIM_TRACE_##k, .addr = (a), .size = 1 })

static void put64(uint8_t *p, uint64_t v)
{
	for (unsigned int i = 0; i < 8; i++, v >>= 8)
		p[i] = (uint8_t)v;
}

Test(trace_champsim, fetch_then_loads_then_stores)
{
	static uint8_t buf[64 * 200];
	static struct mmsim_trace_record want[200 * 7];
	size_t nw = 0;

	for (unsigned int i = 0; i < 200; i++) {
		uint8_t *p = buf + 64 * i;

		put64(p, 0x400000 + 4 * i);
		p[8] = 1; /* is_branch: not used */
		want[nw++] = REC(IFETCH, 0x400000 + 4 * i);
		for (unsigned int s = 0; s < i % 5; s++) {
			put64(p + 32 + 8 * s, 0x7000 + 64 * s + i);
			want[nw++] = REC(LOAD, 0x7000 + 64 * s + i);
		}
		for (unsigned int d = 0; d < i % 3; d++) {
			put64(p + 16 + 8 * d, 0x9000 + 64 * d + i);
			want[nw++] = REC(STORE, 0x9000 + 64 * d + i);
		}
	}
	struct tt_trace t =
		tt_read_as(buf, sizeof(buf), MMSIM_TRACE_FORMAT_CHAMPSIM, TRACE_SOURCE_BUF_MIN);

	tt_assert_read(&t, want, nw);
}

Test(trace_champsim, a_partial_record_names_its_byte)
{
	uint8_t buf[64 * 2] = { 0 };
	struct tt_trace t = tt_read_as(buf, 100, MMSIM_TRACE_FORMAT_CHAMPSIM, 4096);

	cr_assert_eq(t.ret, -EINVAL);
	cr_assert_eq(t.n, 1);
	cr_assert_str_eq(t.err.msg, "t: byte 64: truncated ChampSim record (36 of 64 bytes)");
	free(t.recs);
}

Test(trace_champsim, a_branch_flag_other_than_0_or_1_is_refused)
{
	uint8_t buf[64 * 3] = { 0 };
	struct tt_trace t;

	put64(buf, 0x400000);
	buf[8] = 1;
	buf[9] = 1;
	put64(buf + 64, 0x400004);
	put64(buf + 128, 0x400008);
	buf[128 + 9] = '7'; /* text read as ChampSim has printable bytes here */
	t = tt_read_as(buf, sizeof(buf), MMSIM_TRACE_FORMAT_CHAMPSIM, 4096);
	cr_assert_eq(t.ret, -EINVAL);
	cr_assert_eq(t.n, 2);
	cr_assert_str_eq(t.err.msg, "t: byte 128: not a ChampSim record: is_branch 0, "
				    "branch_taken 55 (each 0 or 1 in ChampSim's input_instr)");
	free(t.recs);
}
