/*
 * tests/unit/trace/test_trace_csv.c: CSV request traces with libCacheSim's conventions
 * (trace/trace_csv.h). The guesses follow libCacheSim's csv.c: delimiter by counts weighted
 * tab 4, ',' 3, '|' 2, ':' 1; a header unless digits outnumber letters.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "trace/trace_csv.h"
#include "trace/trace_reader.h"
#include "trace/trace_source.h"
#include "trace/trace_test_util.h"

#define PG(pg)                                                                             \
	((struct mmsim_trace_record){ .kind = MMSIM_TRACE_STORE,                           \
				      .addr = MMSIM_TRACE_PAGE_BASE + (uint64_t)(pg)*4096, \
				      .size = 1,                                           \
				      .pid = 0 })

static char delim(const char *line)
{
	return trace_csv_guess_delimiter((const uint8_t *)line, strlen(line));
}

static bool header(const char *line)
{
	return trace_csv_guess_header((const uint8_t *)line, strlen(line));
}

Test(trace_csv, libcachesim_guesses)
{
	cr_expect_eq(delim("time,obj_id,size"), ',');
	cr_expect_eq(delim("1\t2,3"), '\t');	   /* 1 tab (4) beats 1 comma (3) */
	cr_expect_eq(delim("1,2,3\t4"), ',');	   /* 2 commas (6) beat 1 tab (4) */
	cr_expect_eq(delim("a:b:c:d|e"), ':');	   /* 3 colons (3) beat 1 pipe (2) */
	cr_expect_eq(delim("a:b|c|d"), '|');	   /* 2 pipes (4) beat 1 colon (1) */
	cr_expect_eq(delim("12345"), 0);	   /* none: one column */
	cr_expect(header("time,obj_id,obj_size")); /* letters only */
	cr_expect(!header("1,17,4096"));	   /* digits only */
	cr_expect(!header("1\tkey1\t512"));	   /* 5 digits, 3 letters */
	cr_expect(header("12,ab"));		   /* a tie is a header, as libCacheSim */
}

Test(trace_csv, columns_quotes_and_ids)
{
	/* A header naming the id column, quoted ids, repeated objects. */
	const char *a = "size,\"OBJ_ID\"\n10,\"x,1\"\n10,y\n\n10,\"x,1\"\r\n";
	/* No header: column 2; numbers in decimal and hex are the same object. */
	const char *b = "1,16,4096\n2,0x10,4096\n3,17,4096\n";
	struct mmsim_trace_record wa[] = { PG(0), PG(1), PG(0) };
	struct mmsim_trace_record wb[] = { PG(0), PG(0), PG(1) };
	struct tt_trace t = tt_read_as(a, strlen(a), MMSIM_TRACE_FORMAT_CSV, 4096);

	tt_assert_read(&t, wa, 3);
	t = tt_read_as(b, strlen(b), MMSIM_TRACE_FORMAT_CSV, 4096);
	tt_assert_read(&t, wb, 3);
}

Test(trace_csv, one_column)
{
	const char *s = "5\n6\n5\n";
	struct mmsim_trace_record w[] = { PG(0), PG(1), PG(0) };
	struct tt_trace t = tt_read_as(s, strlen(s), MMSIM_TRACE_FORMAT_CSV, 4096);

	tt_assert_read(&t, w, 3);
}

Test(trace_csv, errors_name_line_and_column)
{
	const struct {
		const char *text, *want;
	} bad[] = {
		{ "1,2,3\n1,\"2\"x,3\n", ":2:6: text after a closing quote" },
		{ "1,2\n1,2,3\n", ":2:1: 3 fields here, but the first line has 2" },
		{ "t,name\n1,a\n2,3\n", ":1:1: a header without an object id column" },
		{ "1,k,3\n1,7,3\n", ":2:3: object id '7' is a number, but line 1's was not" },
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct tt_trace t =
			tt_read_as(bad[i].text, strlen(bad[i].text), MMSIM_TRACE_FORMAT_CSV, 4096);

		cr_expect_eq(t.ret, -EINVAL, "case %zu", i);
		cr_expect(strstr(t.err.msg, bad[i].want), "case %zu: '%s' lacks '%s'", i, t.err.msg,
			  bad[i].want);
		free(t.recs);
	}
}

static struct trace_csv_params params(const char *text, int want_ret)
{
	struct trace_csv_params p;
	struct mmsim_error err = { 0 };

	trace_csv_params_init(&p);
	cr_assert_eq(trace_csv_parse_params(text, &p, &err), want_ret, "'%s': %s", text, err.msg);
	return p;
}

/* The parameter strings libCacheSim's cachesim takes after -t (its cli_reader_utils.c). */
Test(trace_csv, libcachesim_params)
{
	struct trace_csv_params p = params("", 0);

	cr_expect_eq(p.obj_id_col, 0);
	cr_expect_eq(p.delim, 0);
	cr_expect_eq(p.has_header, -1);
	cr_expect_eq(p.obj_id_is_num, -1);
	p = params("time-col=1, obj-id-col=2, obj-size-col=3, delimiter=,, has-header=true", 0);
	cr_expect_eq(p.obj_id_col, 2);
	cr_expect_eq(p.delim, ','); /* "delimiter=,," is a comma */
	cr_expect_eq(p.has_header, 1);
	p = params("OBJ_ID_COL=4,delimiter=\\t,header=no,obj-id-is-num=Y", 0);
	cr_expect_eq(p.obj_id_col, 4);
	cr_expect_eq(p.delim, '\t');
	cr_expect_eq(p.has_header, 0);
	cr_expect_eq(p.obj_id_is_num, 1);
	cr_expect_eq(params("delimiter=\\,obj-id-col=1", 0).delim, ',');
	cr_expect_eq(params("delimiter=;", 0).delim, ';');
	params("obj-id-col=0", -EINVAL);
	params("obj-id-col=x", -EINVAL);
	params("time-col=-1", -EINVAL);
	params("has-header=maybe", -EINVAL);
	params("delimiter=ab", -EINVAL);
	params("colour=red", -EINVAL);
	params("obj-id-col", -EINVAL);
}

Test(trace_csv, params_replace_the_guesses)
{
	/* Guessed: column 2 ("GET"/"PUT"). Given: column 3, ids as numbers or as strings. */
	const char *s = "100,GET,7\n200,PUT,007\n300,GET,7\n";
	struct mmsim_trace_record guessed[] = { PG(0), PG(1), PG(0) };
	struct mmsim_trace_record numbers[] = { PG(0), PG(0), PG(0) };
	struct mmsim_trace_record strings[] = { PG(0), PG(1), PG(0) };
	struct mmsim_trace_reader *r;
	struct mmsim_error err;
	struct tt_trace t = tt_read_as(s, strlen(s), MMSIM_TRACE_FORMAT_CSV, 4096);

	cr_assert_eq(t.ret, 0, "%s", t.err.msg);
	tt_assert_same(t.recs, guessed, 3);
	free(t.recs);
	for (int as_strings = 0; as_strings < 2; as_strings++) {
		cr_assert_eq(trace_reader_create_memory_as(s, strlen(s), "m", 4096,
							   MMSIM_TRACE_FORMAT_CSV, &r, &err),
			     0);
		cr_assert_eq(mmsim_trace_reader_set_params(
				     r,
				     as_strings ? "obj-id-col=3,obj-id-is-num=0" : "obj-id-col=3",
				     &err),
			     0, "%s", err.msg);
		t = tt_read_all(r);
		cr_assert_eq(t.ret, 0, "%s", t.err.msg);
		cr_assert_eq(t.n, 3);
		tt_assert_same(t.recs, as_strings ? strings : numbers, 3);
		free(t.recs);
		/* Too late once read; kept across a rewind. */
		cr_expect_eq(mmsim_trace_reader_set_params(r, "obj-id-col=1", &err), -EINVAL);
		cr_assert_eq(mmsim_trace_rewind(r, &err), 0);
		t = tt_read_all(r);
		tt_assert_same(t.recs, as_strings ? strings : numbers, 3);
		free(t.recs);
		mmsim_trace_reader_destroy(r);
	}
}

Test(trace_csv, writer_line)
{
	char line[TRACE_CSV_FORMAT_MAX];
	struct mmsim_trace_record rec = PG(5);

	cr_expect_eq(trace_csv_format(7, &rec, line), strlen("7,65541,4096\n"));
	cr_expect_str_eq(line, "7,65541,4096\n");
	rec.addr = UINT64_MAX;
	cr_expect_lt(trace_csv_format(UINT64_MAX, &rec, line), TRACE_CSV_FORMAT_MAX);
}
