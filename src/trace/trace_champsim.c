/*
 * trace/trace_champsim.c: reading ChampSim input_instr records.
 *
 * A record may make more accesses than the caller has room for: the rest wait in
 * pending, so a record is never split between what was read and what was lost.
 */
#include "trace/trace_champsim.h"

#include <errno.h>

#include "mmsim/error.h"
#include "trace/trace_source.h"

/* Byte offsets inside struct input_instr (8-byte aligned after the 16-byte head). */
#define OFF_IP 0
#define OFF_IS_BRANCH 8
#define OFF_BRANCH_TAKEN 9
#define OFF_DST_MEM 16
#define NR_DST_MEM 2
#define OFF_SRC_MEM 32
#define NR_SRC_MEM 4

static uint64_t get_le64(const uint8_t *p)
{
	uint64_t v = 0;

	for (unsigned int i = 8; i-- > 0;)
		v = v << 8 | p[i];
	return v;
}

void trace_champsim_reader_start(struct trace_champsim_reader *cr)
{
	cr->pending_pos = cr->pending_nr = 0;
}

static void add(struct trace_champsim_reader *cr, uint64_t addr, enum mmsim_trace_kind kind)
{
	struct mmsim_trace_record *r = &cr->pending[cr->pending_nr++];

	r->addr = addr;
	r->pid = 0;
	r->size = 1;
	r->kind = kind;
}

static void decode(struct trace_champsim_reader *cr, const uint8_t *p)
{
	uint64_t a;

	cr->pending_pos = cr->pending_nr = 0;
	add(cr, get_le64(p + OFF_IP), MMSIM_TRACE_IFETCH);
	for (unsigned int i = 0; i < NR_SRC_MEM; i++)
		if ((a = get_le64(p + OFF_SRC_MEM + 8 * i)) != 0)
			add(cr, a, MMSIM_TRACE_LOAD);
	for (unsigned int i = 0; i < NR_DST_MEM; i++)
		if ((a = get_le64(p + OFF_DST_MEM + 8 * i)) != 0)
			add(cr, a, MMSIM_TRACE_STORE);
}

/*
 * is_branch and branch_taken are bools in every ChampSim tracer (tracer/pin/
 * champsim_tracer.cpp sets them to 1 and to the branch's taken flag): any other byte means
 * the file is not a ChampSim trace (text read with --format champsim, say), which would
 * otherwise replay as a plausible stream of made-up addresses.
 */
static int check(struct trace_source *src, const uint8_t *p, struct mmsim_error *err)
{
	if (p[OFF_IS_BRANCH] <= 1 && p[OFF_BRANCH_TAKEN] <= 1)
		return 0;
	return mmsim_error_set(
		err, -EINVAL,
		"%s: byte %llu: not a ChampSim record: is_branch %u, branch_taken %u "
		"(each 0 or 1 in ChampSim's input_instr)",
		src->name, (unsigned long long)trace_source_offset(src, p), p[OFF_IS_BRANCH],
		p[OFF_BRANCH_TAKEN]);
}

int trace_champsim_read(struct trace_champsim_reader *cr, struct trace_source *src,
			struct mmsim_trace_record *recs, size_t max, size_t *nr_out,
			struct mmsim_error *err)
{
	size_t n = 0;
	int ret = 0;

	while (n < max) {
		if (cr->pending_pos < cr->pending_nr) {
			recs[n++] = cr->pending[cr->pending_pos++];
			continue;
		}
		ret = trace_source_record(src, TRACE_CHAMPSIM_RECORD_SIZE, "ChampSim", err);
		if (ret <= 0)
			break;
		ret = check(src, src->buf + src->pos, err);
		if (ret < 0)
			break;
		decode(cr, src->buf + src->pos);
		src->pos += TRACE_CHAMPSIM_RECORD_SIZE;
	}
	*nr_out = n;
	return ret < 0 ? ret : 0;
}
