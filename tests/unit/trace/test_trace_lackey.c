/*
 * tests/unit/trace/test_trace_lackey.c: valgrind lackey text, in and out.
 *
 * The expected records are read off the text by eye (hex address, decimal size, as lackey's
 * lk_main.c prints them with "%08lx,%lu"); the expected messages count columns from 1 over
 * the bytes of the line.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trace/trace_lackey.h"
#include "trace/trace_reader.h"
#include "trace/trace_test_util.h"
#include "util/macros.h"

#define REC(k, a, s, p)               \
	((struct mmsim_trace_record){ \
		.kind = MMSIM_TRACE_##k, .addr = (a), .size = (s), .pid = (p) })

static struct tt_trace read_text(const char *text)
{
	return tt_read_memory(text, strlen(text));
}

Test(trace_lackey, reads_valgrind_output)
{
	/* Lines as valgrind 3.19's lackey printed them for /bin/true, banners included. */
	const char *text = "==4456== Lackey, an example Valgrind tool\n"
			   "==4456== Command: /bin/true\n"
			   "==4456== \n"
			   "I  0401ab70,3\n"
			   " S 1fff000628,8\n"
			   " L 04020d58,4\n"
			   " M 1ffefffd70,16\n"
			   "I  0401b771,7\n"
			   "==4456== \n"
			   "==4456== Counted 0 calls to main()\n";
	const struct mmsim_trace_record want[] = {
		REC(IFETCH, 0x0401ab70, 3, 0), REC(STORE, 0x1fff000628, 8, 0),
		REC(LOAD, 0x04020d58, 4, 0),   REC(MODIFY, 0x1ffefffd70, 16, 0),
		REC(IFETCH, 0x0401b771, 7, 0),
	};
	struct tt_trace t = read_text(text);

	tt_assert_read(&t, want, 5);
}

Test(trace_lackey, accepts_what_people_write)
{
	/* Tabs, 0x, upper case, trailing blanks, CRLF, a byte-order mark, no final newline. */
	const char *text = "\xef\xbb\xbf"
			   "I  10,1\n"
			   "\tL\t0X1F,4\r\n"
			   "  M 0xabcdef,2  \n"
			   "S ffffffffffffffff,4294967295";
	const struct mmsim_trace_record want[] = {
		REC(IFETCH, 0x10, 1, 0),
		REC(LOAD, 0x1f, 4, 0),
		REC(MODIFY, 0xabcdef, 2, 0),
		REC(STORE, UINT64_MAX, UINT32_MAX, 0),
	};
	struct tt_trace t = read_text(text);

	tt_assert_read(&t, want, 4);
}

Test(trace_lackey, skips_blank_and_valgrind_lines_and_counts_valgrind_lines)
{
	const char *text = "==123== Lackey, an example Valgrind tool\n"
			   "\n"
			   "   \r\n"
			   " L 20,4\n"
			   "--123-- a debug line\n"
			   "==1==\n";
	struct mmsim_trace_reader *r;
	struct mmsim_trace_progress pr;
	struct mmsim_error err;
	struct tt_trace t;

	cr_assert_eq(mmsim_trace_reader_create_memory(text, strlen(text), "t", &r, &err), 0);
	t = tt_read_all(r);
	cr_assert_eq(t.ret, 0, "%s", t.err.msg);
	cr_assert_eq(t.n, 1);
	tt_assert_same(t.recs, &REC(LOAD, 0x20, 4, 0), 1);
	mmsim_trace_get_progress(r, &pr);
	cr_assert_eq(pr.nr_skipped, 3);
	mmsim_trace_reader_destroy(r);
	free(t.recs);
}

/* Issue 13: any line that is neither a record nor valgrind's is an error naming it. */
Test(trace_lackey, refuses_a_junk_line_after_records)
{
	static const struct {
		const char *text, *msg;
	} cases[] = {
		{ " L 20,4\nLoad average 5\n", "t:2:1: not a lackey record" },
		{ " L 20,4\n# a comment\n", "t:2:1: not a lackey record" },
		{ " L 20,4\n#mmsim pid 3\n", "t:2:1: not a lackey record" },
		{ " L 20,4\n=1= x\n", "t:2:1: not a lackey record" },
		{ " L 20,4\n==12 x\n", "t:2:1: not a lackey record" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct tt_trace t = read_text(cases[i].text);

		cr_assert_eq(t.ret, -EINVAL, "case %zu", i);
		cr_assert_eq(t.n, 1, "case %zu", i);
		cr_assert(strncmp(t.err.msg, cases[i].msg, strlen(cases[i].msg)) == 0,
			  "case %zu: %s", i, t.err.msg);
		free(t.recs);
	}
}

/* Issue 13: a file that is no trace says so, with its first line, not "0 records". */
Test(trace_lackey, a_file_that_is_no_trace_is_refused_as_such)
{
	struct tt_trace t = read_text("root:x:0:0:root:/root:/bin/bash\nI  10,1\n");

	cr_assert_eq(t.ret, -EINVAL);
	cr_assert_eq(t.n, 0);
	cr_assert_str_eq(t.err.msg, "t: not a memory trace (expected valgrind lackey text or an "
				    "mmsim binary trace; din, oracleGeneral, champsim and page "
				    "lists need --format NAME; first line: "
				    "\"root:x:0:0:root:/root:/bin/bash\")");
	free(t.recs);
	t = read_text("==7== banner\n0 400000\n");
	cr_assert_eq(t.ret, -EINVAL);
	cr_assert(strstr(t.err.msg, "not a memory trace") &&
			  strstr(t.err.msg, "line 2: \"0 400000\""),
		  "%s", t.err.msg);
	free(t.recs);
	t = read_text("\x7f"
		      "ELF\x02\x01\n");
	cr_assert_eq(t.ret, -EINVAL);
	cr_assert(strstr(t.err.msg, "first line: \"\\x7fELF\\x02\\x01\")"), "%s", t.err.msg);
	free(t.recs);
}

/* Named (not detected), the same file gets the line-level message. */
Test(trace_lackey, named_format_reports_the_line)
{
	const char *text = "R 0x1234\n";
	struct mmsim_trace_reader *r;
	struct tt_trace t = { 0 };

	cr_assert_eq(trace_reader_create_memory_as(text, strlen(text), "t", 4096,
						   MMSIM_TRACE_FORMAT_LACKEY, &r, &t.err),
		     0);
	t = tt_read_all(r);
	cr_assert_eq(t.ret, -EINVAL);
	cr_assert(strncmp(t.err.msg, "t:1:1: not a lackey record", 26) == 0, "%s", t.err.msg);
	mmsim_trace_reader_destroy(r);
	free(t.recs);
}

Test(trace_lackey, empty_and_banner_only_traces_have_no_records)
{
	struct tt_trace t = read_text("");

	cr_assert_eq(t.ret, 0);
	cr_assert_eq(t.n, 0);
	free(t.recs);
	t = read_text("==1== Lackey\n==1== \n");
	cr_assert_eq(t.ret, 0);
	cr_assert_eq(t.n, 0);
	free(t.recs);
}

Test(trace_lackey, pid_directive_sets_the_pid_of_later_records)
{
	const char *text = "I  10,1\n"
			   "# mmsim pid 42\n"
			   " L 20,4\n"
			   " S 30,8\n"
			   "# mmsim\tpid\t4294967295 \r\n"
			   "I  40,2\n"
			   "# mmsim pid 0\n"
			   " M 50,1\n";
	const struct mmsim_trace_record want[] = {
		REC(IFETCH, 0x10, 1, 0),	  REC(LOAD, 0x20, 4, 42),  REC(STORE, 0x30, 8, 42),
		REC(IFETCH, 0x40, 2, UINT32_MAX), REC(MODIFY, 0x50, 1, 0),
	};
	struct tt_trace t = read_text(text);

	tt_assert_read(&t, want, 5);
}

Test(trace_lackey, event_lines_are_events_when_asked_and_skipped_otherwise)
{
	const char *text = "# mmsim pid 5\n"
			   " S 1000,8\n"
			   "# mmsim fork 5 300\n"
			   "# mmsim pid 300\n"
			   " L 1008,4\n"
			   "# mmsim exec 300\n"
			   "# mmsim  exit\t5 \r\n"
			   "# mmsim reclaim 1048576 300\n"
			   "# mmsim reclaim 4096 all\n"
			   "# mmsim shrink-all\n"
			   "# mmsim switch\n"
			   " L 1010,4\n";
	const struct mmsim_trace_record want[] = {
		REC(STORE, 0x1000, 8, 5),
		REC(FORK, 300, 0, 5),
		REC(LOAD, 0x1008, 4, 300),
		REC(EXEC, 0, 0, 300),
		REC(EXIT, 0, 0, 5),
		REC(RECLAIM, 1 << 20, 0, 300),
		REC(RECLAIM, 4096, MMSIM_TRACE_EVENT_ALL, 0),
		REC(SHRINK_ALL, 0, 0, 0),
		REC(SWITCH, 0, 0, 0),
		REC(LOAD, 0x1010, 4, 300),
	};
	struct mmsim_trace_reader *r;
	struct mmsim_error err = { 0 };
	struct tt_trace t = read_text(text);

	cr_assert_eq(t.ret, 0, "%s", t.err.msg);
	cr_assert_eq(t.n, 3);
	tt_assert_same(&t.recs[0], &want[0], 1);
	tt_assert_same(&t.recs[1], &want[2], 1);
	tt_assert_same(&t.recs[2], &want[9], 1);
	free(t.recs);

	cr_assert_eq(mmsim_trace_reader_create_memory(text, strlen(text), "t", &r, &err), 0, "%s",
		     err.msg);
	mmsim_trace_reader_set_events(r, true);
	t = tt_read_all(r);
	cr_assert_eq(t.ret, 0, "%s", t.err.msg);
	cr_assert_eq(t.n, ARRAY_SIZE(want));
	tt_assert_same(t.recs, want, t.n);
	cr_assert_eq(mmsim_trace_reader_nr_events(r), 7);
	free(t.recs);
	mmsim_trace_reader_destroy(r);
}

Test(trace_lackey, events_are_written_as_directive_lines)
{
	const struct mmsim_trace_record recs[] = {
		REC(STORE, 0x1000, 8, 5),
		REC(FORK, 300, 0, 5),
		REC(LOAD, 0x1008, 4, 300),
		REC(EXEC, 0, 0, 300),
		REC(EXIT, 0, 0, 5),
		REC(RECLAIM, 1 << 20, 0, 300),
		REC(RECLAIM, 4096, MMSIM_TRACE_EVENT_ALL, 0),
		REC(SHRINK_ALL, 0, 0, 0),
		REC(SWITCH, 0, 0, 0),
		REC(LOAD, 0x1010, 4, 300),
	};
	const char *want = "# mmsim pid 5\n"
			   " S 00001000,8\n"
			   "# mmsim fork 5 300\n"
			   "# mmsim pid 300\n"
			   " L 00001008,4\n"
			   "# mmsim exec 300\n"
			   "# mmsim exit 5\n"
			   "# mmsim reclaim 1048576 300\n"
			   "# mmsim reclaim 4096 all\n"
			   "# mmsim shrink-all\n"
			   "# mmsim switch\n"
			   " L 00001010,4\n";
	struct trace_lackey_writer lw = { 0 };
	char out[TRACE_LACKEY_FORMAT_MAX * ARRAY_SIZE(recs)];
	size_t len = 0;

	for (size_t i = 0; i < ARRAY_SIZE(recs); i++)
		len += trace_lackey_format(&lw, &recs[i], out + len);
	cr_assert_eq(len, strlen(want));
	cr_assert_arr_eq(out, want, len);
}

struct bad_line {
	const char *text;
	const char *msg;
};

static const struct bad_line bad_lines[] = {
	{ "I  0401ab7g,3", "t:1:11: expected ',' after the address, found 'g'" },
	{ " L 1fff000628", "t:1:14: expected ',' after the address, found end of line" },
	{ " L 1fff000628\r", "t:1:14: expected ',' after the address, found end of line" },
	{ " S ,8", "t:1:4: expected a hex address, found ','" },
	{ " L 0x,4", "t:1:6: expected a hex address, found ','" },
	{ "I", "t:1:2: expected a hex address, found end of line" },
	{ " M 10,", "t:1:7: expected a decimal size, found end of line" },
	{ " L 10,x", "t:1:7: expected a decimal size, found 'x'" },
	{ " L\t10,\x01", "t:1:7: expected a decimal size, found byte 0x01" },
	{ " L 10,0", "t:1:7: size 0 is invalid (an access has 1 byte or more)" },
	{ " L 10,4294967296", "t:1:7: size does not fit in 32 bits" },
	{ " L 10000000000000000,4", "t:1:4: address does not fit in 64 bits" },
	{ " L 10,4 x", "t:1:9: unexpected 'x' after the size" },
	{ " L 10,4x", "t:1:8: unexpected 'x' after the size" },
	{ "I am here", "t:1:4: expected ',' after the address, found 'm'" },
	{ "# mmsim", "t:1:8: expected a directive after '# mmsim', found end of line" },
	{ "# mmsim foo 3", "t:1:9: unknown mmsim directive 'foo' (want pid, fork, exec, exit, "
			   "reclaim, shrink-all or switch)" },
	{ "# mmsim fork 3", "t:1:15: expected a decimal child pid, found end of line" },
	{ "# mmsim fork 3 3", "t:1:16: fork: the child pid equals the parent's" },
	{ "# mmsim fork3 4", "t:1:13: expected a blank after 'fork', found '3'" },
	{ "# mmsim fork 3 4 5", "t:1:18: unexpected '5' after the fork" },
	{ "# mmsim exec", "t:1:13: expected a decimal pid, found end of line" },
	{ "# mmsim exit 4294967296", "t:1:14: pid does not fit in 32 bits" },
	{ "# mmsim reclaim 0 all", "t:1:17: reclaim: 0 bytes (reclaim at least 1 byte)" },
	{ "# mmsim reclaim 4096", "t:1:21: expected a decimal pid, found end of line" },
	{ "# mmsim reclaim 4096 al", "t:1:22: expected a pid or 'all', found 'a'" },
	{ "# mmsim reclaim 18446744073709551616 1",
	  "t:1:17: size in bytes does not fit in 64 bits" },
	{ "# mmsim shrink-all 3", "t:1:20: unexpected '3' after the shrink-all" },
	{ "# mmsim switch x", "t:1:16: unexpected 'x' after the switch" },
	{ "# mmsim pid7", "t:1:12: expected a blank after 'pid', found '7'" },
	{ "# mmsim pid", "t:1:12: expected a decimal pid, found end of line" },
	{ "# mmsim pid 4294967296", "t:1:13: pid does not fit in 32 bits" },
	{ "# mmsim pid 7 x", "t:1:15: unexpected 'x' after the pid" },
	{ "==1== ok\0z", "t:1:9: NUL byte: this is not a text trace (nor an mmsim binary one)" },
};

Test(trace_lackey, malformed_lines_name_line_column_and_reason)
{
	for (size_t i = 0; i < ARRAY_SIZE(bad_lines); i++) {
		const struct bad_line *b = &bad_lines[i];
		/* The NUL case has a byte after the NUL: count it in. */
		size_t len = strlen(b->text) + (strstr(b->text, "ok") ? 2 : 0);
		struct tt_trace t = tt_read_memory(b->text, len);

		cr_assert_eq(t.ret, -EINVAL, "case %zu (%s): ret %d", i, b->text, t.ret);
		cr_assert_str_eq(t.err.msg, b->msg, "case %zu", i);
		cr_assert_eq(t.n, 0);
		free(t.recs);
	}
}

Test(trace_lackey, records_before_an_error_are_delivered_first)
{
	const char *text = "I  10,1\n L 20,2\n S 30\n M 40,4\n";
	struct tt_trace t = read_text(text);

	cr_assert_eq(t.ret, -EINVAL);
	cr_assert_eq(t.n, 2);
	cr_assert_str_eq(t.err.msg, "t:3:6: expected ',' after the address, found end of line");
	free(t.recs);
}

Test(trace_lackey, record_lines_have_a_length_limit)
{
	char line[TRACE_LACKEY_LINE_MAX + 64];
	char msg[128];
	struct tt_trace t;

	/* 256 bytes exactly: accepted. */
	memset(line, ' ', sizeof(line));
	memcpy(line, " L 10,4", 7);
	line[TRACE_LACKEY_LINE_MAX] = '\n';
	t = tt_read_memory(line, TRACE_LACKEY_LINE_MAX + 1);
	cr_assert_eq(t.ret, 0, "%s", t.err.msg);
	cr_assert_eq(t.n, 1);
	free(t.recs);

	/* One more: refused at column 257, whether the newline is buffered or not. */
	line[TRACE_LACKEY_LINE_MAX] = ' ';
	line[TRACE_LACKEY_LINE_MAX + 1] = '\n';
	snprintf(msg, sizeof(msg), "t:1:%d: line is longer than %d bytes",
		 TRACE_LACKEY_LINE_MAX + 1, TRACE_LACKEY_LINE_MAX);
	t = tt_read_memory(line, TRACE_LACKEY_LINE_MAX + 2);
	cr_assert_eq(t.ret, -EINVAL);
	cr_assert_str_eq(t.err.msg, msg);
	free(t.recs);
}

/* A trace of many lines (records, banners, a very long banner), with its records. */
static char *big_text(size_t nr_lines, size_t *len, struct mmsim_trace_record **recs,
		      size_t *nr_recs)
{
	size_t cap = nr_lines * 40 + 200000, n = 0;
	char *text = malloc(cap);
	uint64_t s = 7;

	cr_assert_not_null(text);
	*recs = calloc(nr_lines, sizeof(**recs));
	*nr_recs = 0;
	for (size_t i = 0; i < nr_lines; i++) {
		uint64_t x = tt_rand(&s);

		if (i == nr_lines / 2) {
			/* 100 kB of banner: longer than any buffer a test uses. */
			n += (size_t)sprintf(text + n, "==9== ");
			memset(text + n, 'x', 100000);
			n += 100000;
			text[n++] = '\n';
		} else if (x % 5 == 0) {
			n += (size_t)sprintf(text + n, "==9== banner %zu\n", i);
		} else {
			static const char letters[] = "LSMI";
			struct mmsim_trace_record *r = &(*recs)[(*nr_recs)++];

			r->kind = (enum mmsim_trace_kind)((x >> 8) % 4);
			r->addr = x >> 20;
			r->size = (uint32_t)(x >> 4) % 64 + 1;
			n += (size_t)sprintf(text + n, "%s%c %08llx,%u\n",
					     r->kind == MMSIM_TRACE_IFETCH ? "" : " ",
					     letters[r->kind], (unsigned long long)r->addr,
					     r->size);
		}
	}
	*len = n;
	return text;
}

Test(trace_lackey, buffer_edges_change_nothing)
{
	struct mmsim_trace_record *want;
	size_t len, nr_want;
	char *text = big_text(20000, &len, &want, &nr_want);
	struct tt_trace small = tt_read_memory_small(text, len);
	struct tt_trace big = tt_read_memory(text, len);

	cr_assert_eq(small.ret, 0, "%s", small.err.msg);
	cr_assert_eq(big.ret, 0, "%s", big.err.msg);
	cr_assert_eq(small.n, nr_want);
	cr_assert_eq(big.n, nr_want);
	tt_assert_same(small.recs, want, nr_want);
	tt_assert_same(big.recs, want, nr_want);
	free(small.recs);
	free(big.recs);
	free(want);
	free(text);
}

Test(trace_lackey, line_numbers_count_every_line)
{
	struct mmsim_trace_record *want;
	size_t len, nr_want;
	char *text = big_text(20000, &len, &want, &nr_want);
	struct tt_trace t;

	/* Line 20001 is bad; the text is read through the smallest buffer. */
	text = realloc(text, len + 16);
	memcpy(text + len, " L 12,q\n", 8);
	t = tt_read_memory_small(text, len + 8);
	cr_assert_eq(t.ret, -EINVAL);
	cr_assert_eq(t.n, nr_want);
	cr_assert_str_eq(t.err.msg, "t:20001:7: expected a decimal size, found 'q'");
	free(t.recs);
	free(want);
	free(text);
}

Test(trace_lackey, nul_in_a_long_skipped_line_names_its_column)
{
	size_t len = 5000;
	char *text = malloc(len);

	memset(text, 'x', len);
	memcpy(text, "==1== ", 6);
	text[4321] = '\0';
	{
		struct tt_trace t = tt_read_memory_small(text, len);

		cr_assert_eq(t.ret, -EINVAL);
		cr_assert_str_eq(t.err.msg, "t:1:4322: NUL byte: this is not a text trace "
					    "(nor an mmsim binary one)");
		free(t.recs);
	}
	free(text);
}

Test(trace_lackey, formats_as_valgrind_prints)
{
	struct trace_lackey_writer lw = { 0 };
	char out[4 * TRACE_LACKEY_FORMAT_MAX + 1];
	size_t n = 0;

	n += trace_lackey_format(&lw, &REC(IFETCH, 0x0401ab70, 3, 0), out + n);
	n += trace_lackey_format(&lw, &REC(STORE, 0x1fff000628, 8, 0), out + n);
	n += trace_lackey_format(&lw, &REC(LOAD, 0x10, 4, 7), out + n);
	n += trace_lackey_format(&lw, &REC(MODIFY, UINT64_MAX, UINT32_MAX, 7), out + n);
	out[n] = '\0';
	cr_assert_str_eq(out, "I  0401ab70,3\n"
			      " S 1fff000628,8\n"
			      "# mmsim pid 7\n"
			      " L 00000010,4\n"
			      " M ffffffffffffffff,4294967295\n");
}
