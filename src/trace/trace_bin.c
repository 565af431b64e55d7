/*
 * trace/trace_bin.c: encoding and decoding mmsim's binary trace, versions 1 and 2.
 *
 * The decoder has two paths. The fast one handles the common record (no pid change, size
 * given by the tag code) while at least TRACE_BIN_RECORD_MAX bytes are buffered, so it needs
 * no bounds check per byte. Everything else (pid changes, explicit sizes, control bytes, the
 * buffer's edge, malformed bytes) goes to the careful path, which alone reports errors. Both
 * update the same state the same way, so they may alternate record by record.
 */
#include "trace/trace_bin.h"

#include <errno.h>
#include <string.h>

#include "mmsim/error.h"
#include "trace/trace_event.h"
#include "trace/trace_source.h"

static const uint8_t bin_magic[TRACE_BIN_MAGIC_SIZE] = {
	TRACE_BIN_MAGIC0, 'M', 'M', 'T', 'R', '\r', '\n', 0x1a,
};

/* Size for each tag size code; 0: an explicit size varint follows. */
static const uint32_t size_of_code[16] = {
	0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 16, 32, 64,
};

/* Bytes of a 64-bit LEB128 varint at most; the last may only carry bit 63. */
#define VARINT64_MAX 10
#define VARINT32_MAX 5

unsigned int trace_bin_size_code(uint32_t size)
{
	if (size >= 1 && size <= 12)
		return size;
	switch (size) {
	case 16:
		return 13;
	case 32:
		return 14;
	case 64:
		return 15;
	default:
		return 0;
	}
}

static uint64_t zigzag_encode(uint64_t delta)
{
	return (delta << 1) ^ (0 - (delta >> 63));
}

static uint64_t zigzag_decode(uint64_t v)
{
	return (v >> 1) ^ (0 - (v & 1));
}

static uint8_t *put_varint(uint8_t *p, uint64_t v)
{
	while (v >= 0x80) {
		*p++ = (uint8_t)(v | 0x80);
		v >>= 7;
	}
	*p++ = (uint8_t)v;
	return p;
}

static void put_le16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

void trace_bin_encode_header(uint8_t out[TRACE_BIN_HEADER_SIZE])
{
	memcpy(out, bin_magic, TRACE_BIN_MAGIC_SIZE);
	put_le16(out + 8, MMSIM_TRACE_BINARY_VERSION);
	put_le16(out + 10, 0);	/* flags: none defined in versions 1 and 2 */
	memset(out + 12, 0, 4); /* reserved */
}

static enum trace_bin_stream stream_of(enum mmsim_trace_kind kind)
{
	return kind == MMSIM_TRACE_IFETCH ? TRACE_BIN_STREAM_IFETCH : TRACE_BIN_STREAM_DATA;
}

size_t trace_bin_encode(struct trace_bin_state *st, const struct mmsim_trace_record *rec,
			uint8_t *out)
{
	enum trace_bin_stream stream = stream_of(rec->kind);
	unsigned int code = trace_bin_size_code(rec->size);
	uint8_t tag = (uint8_t)((unsigned int)rec->kind | code << TRACE_BIN_TAG_SIZE_SHIFT);
	uint8_t *p = out + 1;

	if (rec->pid != st->pid) {
		tag |= TRACE_BIN_TAG_PID;
		p = put_varint(p, rec->pid);
		st->pid = rec->pid;
	}
	if (code == 0)
		p = put_varint(p, rec->size);
	p = put_varint(p, zigzag_encode(rec->addr - st->prev_addr[stream]));
	st->prev_addr[stream] = rec->addr;
	st->nr_records++;
	out[0] = tag;
	return (size_t)(p - out);
}

size_t trace_bin_encode_event(struct trace_bin_state *st, const struct mmsim_trace_record *ev,
			      uint8_t *out)
{
	uint8_t *p = out + 1;

	switch (ev->kind) {
	case MMSIM_TRACE_FORK:
		out[0] = TRACE_BIN_CTL_FORK;
		p = put_varint(p, ev->pid);
		p = put_varint(p, ev->addr);
		break;
	case MMSIM_TRACE_EXEC:
	case MMSIM_TRACE_EXIT:
		out[0] = ev->kind == MMSIM_TRACE_EXEC ? TRACE_BIN_CTL_EXEC : TRACE_BIN_CTL_EXIT;
		p = put_varint(p, ev->pid);
		break;
	case MMSIM_TRACE_RECLAIM:
		out[0] = TRACE_BIN_CTL_RECLAIM;
		p = put_varint(p, ev->addr);
		p = put_varint(p, ev->size == MMSIM_TRACE_EVENT_ALL ? 0 : (uint64_t)ev->pid + 1);
		break;
	case MMSIM_TRACE_SHRINK_ALL:
		out[0] = TRACE_BIN_CTL_SHRINK_ALL;
		break;
	default:
		out[0] = TRACE_BIN_CTL_SWITCH;
		break;
	}
	st->nr_records++;
	return (size_t)(p - out);
}

size_t trace_bin_encode_end(const struct trace_bin_state *st, uint8_t *out)
{
	out[0] = TRACE_BIN_CTL_END;
	return (size_t)(put_varint(out + 1, st->nr_records) - out);
}

static int bin_error(const struct trace_source *src, uint64_t offset, struct mmsim_error *err,
		     const char *reason)
{
	return mmsim_error_set(err, -EINVAL, "%s: byte %llu: %s", src->name,
			       (unsigned long long)offset, reason);
}

static uint16_t get_le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

int trace_bin_read_header(struct trace_bin_reader *br, struct trace_source *src,
			  struct mmsim_error *err)
{
	const uint8_t *h;
	uint16_t version, flags;
	int ret;

	bool events = br->events;

	memset(br, 0, sizeof(*br));
	br->events = events;
	ret = trace_source_need(src, TRACE_BIN_HEADER_SIZE, err);
	if (ret)
		return ret;
	h = src->buf + src->pos;
	if (src->end - src->pos < TRACE_BIN_HEADER_SIZE)
		return mmsim_error_set(
			err, -EINVAL, "%s: byte %zu: truncated header (%zu of %d bytes)", src->name,
			src->end - src->pos, src->end - src->pos, TRACE_BIN_HEADER_SIZE);
	if (memcmp(h, bin_magic, TRACE_BIN_MAGIC_SIZE) != 0)
		return bin_error(src, 0, err, "not an mmsim binary trace (bad magic)");
	version = get_le16(h + 8);
	if (version < 1 || version > MMSIM_TRACE_BINARY_VERSION)
		return mmsim_error_set(err, -EINVAL,
				       "%s: byte 8: unsupported binary trace version %u "
				       "(this mmsim reads versions 1 to %d)",
				       src->name, version, MMSIM_TRACE_BINARY_VERSION);
	br->version = version;
	flags = get_le16(h + 10);
	if (flags != 0)
		return mmsim_error_set(err, -EINVAL, "%s: byte 10: unknown header flags 0x%04x",
				       src->name, flags);
	if (h[12] | h[13] | h[14] | h[15])
		return bin_error(src, 12, err, "reserved header bytes are not zero");
	src->pos += TRACE_BIN_HEADER_SIZE;
	return 0;
}

/*
 * Careful varint reader: stops at end. Returns 1 with *v set and *pp advanced, 0 when the
 * bytes run out first, -1 when the varint is longer than max_len bytes or exceeds 64 bits.
 */
static int get_varint(const uint8_t **pp, const uint8_t *end, unsigned int max_len, uint64_t *v)
{
	const uint8_t *p = *pp;
	uint64_t r = 0;

	for (unsigned int i = 0; i < max_len; i++) {
		uint64_t b;

		if (p == end)
			return 0;
		b = *p++;
		if (i == VARINT64_MAX - 1 && b > 1)
			return -1; /* bits beyond 63 */
		r |= (b & 0x7f) << (7 * i);
		if (b < 0x80) {
			*v = r;
			*pp = p;
			return 1;
		}
	}
	return -1;
}

struct varint_field {
	const char *what;     /* "pid", "size", "address delta", "record count" */
	unsigned int max_len; /* VARINT32_MAX or VARINT64_MAX */
	uint64_t max_value;   /* largest value allowed */
};

static const struct varint_field field_pid = { "pid", VARINT32_MAX, UINT32_MAX };
static const struct varint_field field_size = { "size", VARINT32_MAX, UINT32_MAX };
static const struct varint_field field_addr = { "address delta", VARINT64_MAX, UINT64_MAX };
static const struct varint_field field_count = { "record count", VARINT64_MAX, UINT64_MAX };
static const struct varint_field field_child = { "child pid", VARINT32_MAX, UINT32_MAX };
static const struct varint_field field_bytes = { "reclaim size", VARINT64_MAX, UINT64_MAX };
static const struct varint_field field_target = { "reclaim target", VARINT64_MAX,
						  (uint64_t)UINT32_MAX + 1 };

/* Reads one varint field at *pp for the careful path, with errors named by field. */
static int read_field(const struct trace_source *src, const uint8_t **pp, const uint8_t *end,
		      const struct varint_field *f, uint64_t rec_offset, uint64_t *v,
		      struct mmsim_error *err)
{
	uint64_t at = trace_source_offset(src, *pp);
	int got = get_varint(pp, end, f->max_len, v);

	if (got == 0)
		return mmsim_error_set(err, -EINVAL,
				       "%s: byte %llu: truncated trace: the file ends inside %s",
				       src->name, (unsigned long long)rec_offset,
				       f == &field_count ? "the end marker" : "a record");
	if (f == &field_target && got > 0 && *v > f->max_value)
		return mmsim_error_set(err, -EINVAL,
				       "%s: byte %llu: reclaim target %llu is not 0 (all) or a "
				       "pid + 1",
				       src->name, (unsigned long long)at, (unsigned long long)*v);
	if (got < 0 || *v > f->max_value)
		return mmsim_error_set(err, -EINVAL, "%s: byte %llu: %s does not fit in %d bits",
				       src->name, (unsigned long long)at, f->what,
				       f->max_len == VARINT32_MAX ? 32 : 64);
	return 0;
}

/* After the end marker: nothing may follow. */
static int check_after_end(struct trace_bin_reader *br, struct trace_source *src,
			   struct mmsim_error *err)
{
	int ret = trace_source_need(src, 1, err);

	if (ret)
		return ret;
	if (src->pos < src->end)
		return bin_error(src, trace_source_offset(src, src->buf + src->pos), err,
				 "data after the end-of-trace marker");
	br->done = true;
	return 0;
}

static int read_end_marker(struct trace_bin_reader *br, struct trace_source *src,
			   struct mmsim_error *err)
{
	const uint8_t *start = src->buf + src->pos;
	const uint8_t *p = start + 1;
	uint64_t offset = trace_source_offset(src, start);
	uint64_t count;
	int ret;

	ret = read_field(src, &p, src->buf + src->end, &field_count, offset, &count, err);
	if (ret)
		return ret;
	if (count != br->st.nr_records)
		return mmsim_error_set(err, -EINVAL,
				       "%s: byte %llu: the end marker counts %llu records, "
				       "but the trace holds %llu",
				       src->name, (unsigned long long)offset,
				       (unsigned long long)count,
				       (unsigned long long)br->st.nr_records);
	src->pos = (size_t)(p - src->buf);
	return check_after_end(br, src, err);
}

/*
 * A version-2 event at start (its control byte ctl, p just after it): decodes its fields
 * into *ev and checks them (trace_event_invalid()); on success *pp is past the event.
 */
static int decode_event(struct trace_source *src, unsigned int ctl, const uint8_t **pp,
			const uint8_t *end, uint64_t offset, struct mmsim_trace_record *ev,
			struct mmsim_error *err)
{
	uint64_t a = 0, b = 0;
	const char *why;
	int ret = 0;

	memset(ev, 0, sizeof(*ev));
	switch (ctl) {
	case TRACE_BIN_CTL_FORK:
		ev->kind = MMSIM_TRACE_FORK;
		ret = read_field(src, pp, end, &field_pid, offset, &a, err);
		if (!ret)
			ret = read_field(src, pp, end, &field_child, offset, &b, err);
		ev->pid = (uint32_t)a;
		ev->addr = b;
		break;
	case TRACE_BIN_CTL_EXEC:
	case TRACE_BIN_CTL_EXIT:
		ev->kind = ctl == TRACE_BIN_CTL_EXEC ? MMSIM_TRACE_EXEC : MMSIM_TRACE_EXIT;
		ret = read_field(src, pp, end, &field_pid, offset, &a, err);
		ev->pid = (uint32_t)a;
		break;
	case TRACE_BIN_CTL_RECLAIM:
		ev->kind = MMSIM_TRACE_RECLAIM;
		ret = read_field(src, pp, end, &field_bytes, offset, &a, err);
		if (!ret)
			ret = read_field(src, pp, end, &field_target, offset, &b, err);
		ev->addr = a;
		if (b == 0)
			ev->size = MMSIM_TRACE_EVENT_ALL;
		else
			ev->pid = (uint32_t)(b - 1);
		break;
	case TRACE_BIN_CTL_SHRINK_ALL:
		ev->kind = MMSIM_TRACE_SHRINK_ALL;
		break;
	default:
		ev->kind = MMSIM_TRACE_SWITCH;
		break;
	}
	if (ret)
		return ret;
	why = trace_event_invalid(ev);
	if (why)
		return bin_error(src, offset, err, why);
	return 0;
}

/*
 * The careful path: decodes whatever comes next. Returns 0 with *got true and *rec filled,
 * or *got false when the end marker was reached (br->done) or an event was skipped; or an
 * error.
 */
static int decode_careful(struct trace_bin_reader *br, struct trace_source *src,
			  struct mmsim_trace_record *rec, bool *got, struct mmsim_error *err)
{
	const uint8_t *start, *p, *end;
	uint64_t offset, pid, size, delta;
	enum trace_bin_stream stream;
	unsigned int tag;
	int ret;

	*got = false;
	ret = trace_source_need(src, TRACE_BIN_RECORD_MAX, err);
	if (ret)
		return ret;
	start = src->buf + src->pos;
	end = src->buf + src->end;
	offset = trace_source_offset(src, start);
	if (start == end)
		return mmsim_error_set(err, -EINVAL,
				       "%s: byte %llu: truncated trace: the file ends after %llu "
				       "records, before the end-of-trace marker",
				       src->name, (unsigned long long)offset,
				       (unsigned long long)br->st.nr_records);
	tag = *start;
	p = start + 1;
	if (tag & TRACE_BIN_TAG_CONTROL) {
		if (tag == TRACE_BIN_CTL_END)
			return read_end_marker(br, src, err);
		if (br->version < TRACE_BIN_VERSION_EVENTS || tag > TRACE_BIN_CTL_SWITCH)
			return mmsim_error_set(err, -EINVAL,
					       "%s: byte %llu: unknown control byte 0x%02x",
					       src->name, (unsigned long long)offset, tag);
		ret = decode_event(src, tag, &p, end, offset, rec, err);
		if (ret)
			return ret;
		br->st.nr_records++;
		br->nr_events++;
		src->pos = (size_t)(p - src->buf);
		*got = br->events;
		return 0;
	}
	pid = br->st.pid;
	if (tag & TRACE_BIN_TAG_PID) {
		ret = read_field(src, &p, end, &field_pid, offset, &pid, err);
		if (ret)
			return ret;
	}
	size = size_of_code[(tag & TRACE_BIN_TAG_SIZE_MASK) >> TRACE_BIN_TAG_SIZE_SHIFT];
	if (size == 0) {
		uint64_t at = trace_source_offset(src, p);

		ret = read_field(src, &p, end, &field_size, offset, &size, err);
		if (ret)
			return ret;
		if (size == 0)
			return bin_error(src, at, err, "size 0 is invalid");
	}
	ret = read_field(src, &p, end, &field_addr, offset, &delta, err);
	if (ret)
		return ret;
	rec->kind = (enum mmsim_trace_kind)(tag & TRACE_BIN_TAG_KIND_MASK);
	rec->pid = (uint32_t)pid;
	rec->size = (uint32_t)size;
	stream = stream_of(rec->kind);
	rec->addr = br->st.prev_addr[stream] + zigzag_decode(delta);
	br->st.prev_addr[stream] = rec->addr;
	br->st.pid = rec->pid;
	br->st.nr_records++;
	src->pos = (size_t)(p - src->buf);
	*got = true;
	return 0;
}

/*
 * A varint of at most 8 bytes at q, decoded from one little-endian word without a branch
 * per byte (the addresses of a random stream take 4 or 5 bytes, each a mispredicted branch
 * in the byte loop). False when the varint is longer (the byte loop decodes it) or the host
 * is not little-endian. The caller has at least 8 bytes at q.
 */
static inline bool varint_word(const uint8_t *q, uint64_t *v, const uint8_t **end)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	uint64_t w, stop, x;

	memcpy(&w, q, sizeof(w));
	stop = ~w & UINT64_C(0x8080808080808080);
	if (!stop)
		return false;
	/* stop ^ (stop - 1): every bit up to the last byte's bit 7, none of the bytes after. */
	x = w & UINT64_C(0x7f7f7f7f7f7f7f7f) & (stop ^ (stop - 1));
	/* Squeeze the 7-bit groups together: pairs, then fours, then the two halves. */
	x = ((x & UINT64_C(0x7f007f007f007f00)) >> 1) | (x & UINT64_C(0x007f007f007f007f));
	x = ((x & UINT64_C(0x3fff00003fff0000)) >> 2) | (x & UINT64_C(0x00003fff00003fff));
	x = ((x & UINT64_C(0x0fffffff00000000)) >> 4) | (x & UINT64_C(0x000000000fffffff));
	*v = x;
	*end = q + ((unsigned int)__builtin_ctzll(stop) >> 3) + 1;
	return true;
#else
	(void)q, (void)v, (void)end;
	return false;
#endif
}

/*
 * The record's size for a tag the fast path decodes (an access record with its size given by
 * the tag code and no pid varint), else 0 (control bytes too): one look-up for three tests.
 */
static const uint8_t fast_size[256] = {
#define FAST_ROW(code)                                                         \
	[(code) << TRACE_BIN_TAG_SIZE_SHIFT |                                  \
		0] = SIZE_OF_CODE(code),                                       \
		[(code) << TRACE_BIN_TAG_SIZE_SHIFT | 1] = SIZE_OF_CODE(code), \
		[(code) << TRACE_BIN_TAG_SIZE_SHIFT | 2] = SIZE_OF_CODE(code), \
		[(code) << TRACE_BIN_TAG_SIZE_SHIFT | 3] = SIZE_OF_CODE(code)
#define SIZE_OF_CODE(code) ((code) <= 12 ? (code) : (code) == 13 ? 16 : (code) == 14 ? 32 : 64)
	FAST_ROW(1),  FAST_ROW(2),  FAST_ROW(3),  FAST_ROW(4),	FAST_ROW(5),
	FAST_ROW(6),  FAST_ROW(7),  FAST_ROW(8),  FAST_ROW(9),	FAST_ROW(10),
	FAST_ROW(11), FAST_ROW(12), FAST_ROW(13), FAST_ROW(14), FAST_ROW(15),
#undef SIZE_OF_CODE
#undef FAST_ROW
};

/*
 * The fast path: decodes common records while a whole record is surely buffered. Stops at
 * the first record it does not handle, leaving it for decode_careful(). Returns the number
 * of records written to recs.
 */
static size_t decode_fast(struct trace_bin_reader *br, struct trace_source *src,
			  struct mmsim_trace_record *recs, size_t max)
{
	const uint8_t *p = src->buf + src->pos;
	const uint8_t *end = src->buf + src->end;
	uint64_t prev[TRACE_BIN_NR_STREAMS] = { br->st.prev_addr[0], br->st.prev_addr[1] };
	uint32_t pid = br->st.pid;
	struct mmsim_trace_record *r = recs, *stop;

	/* Blocks of records that surely fit in the bytes buffered: no bounds test per record. */
	for (;;) {
		size_t fit = (size_t)(end - p) / TRACE_BIN_RECORD_MAX;

		if (fit > max - (size_t)(r - recs))
			fit = max - (size_t)(r - recs);
		if (!fit)
			break;
		for (stop = r + fit; r < stop; r++) {
			unsigned int tag = p[0];
			unsigned int size = fast_size[tag];
			const uint8_t *q = p + 1;
			uint64_t v, b;
			unsigned int shift;
			enum mmsim_trace_kind kind;

			if (!size)
				goto out;
			if (!varint_word(q, &v, &q)) {
				b = *q++;
				v = b & 0x7f;
				for (shift = 7; b >= 0x80 && shift < 7 * VARINT64_MAX; shift += 7) {
					b = *q++;
					v |= (b & 0x7f) << shift;
				}
				if (b >= 0x80 || (shift == 7 * VARINT64_MAX && b > 1))
					goto out; /* overlong: the careful path reports it */
			}
			kind = (enum mmsim_trace_kind)(tag & TRACE_BIN_TAG_KIND_MASK);
			r->addr = prev[stream_of(kind)] += zigzag_decode(v);
			r->pid = pid;
			r->size = size;
			r->kind = kind;
			p = q;
		}
	}
out:
	br->st.prev_addr[0] = prev[0];
	br->st.prev_addr[1] = prev[1];
	br->st.nr_records += (size_t)(r - recs);
	src->pos = (size_t)(p - src->buf);
	return (size_t)(r - recs);
}

int trace_bin_read(struct trace_bin_reader *br, struct trace_source *src,
		   struct mmsim_trace_record *recs, size_t max, size_t *nr_out,
		   struct mmsim_error *err)
{
	size_t n = 0;
	bool got;
	int ret = 0;

	while (n < max && !br->done) {
		n += decode_fast(br, src, recs + n, max - n);
		if (n == max)
			break;
		ret = decode_careful(br, src, &recs[n], &got, err);
		if (ret)
			break;
		if (got)
			n++;
	}
	*nr_out = n;
	return ret;
}
