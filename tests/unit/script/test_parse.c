/*
 * tests/unit/script/test_parse.c: the scenario-script parser (script/parse.c).
 *
 * Every command form and what it becomes, every error with its exact FILE:LINE:COL, and the
 * text-level rules: comments, blank lines, CRLF, long lines, bytes that cannot be in a script,
 * numbers that overflow. No system is involved: the parser only reads text.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mmsim/error.h"
#include "script/script.h"
#include "util/macros.h"

static struct script *parse_ok(const char *text)
{
	struct mmsim_error e = { 0 };
	struct script *s = NULL;
	int rc = script_parse(text, strlen(text), "t.mms", NULL, NULL, &s, &e);

	cr_assert_eq(rc, 0, "parse failed: %s", e.msg);
	cr_assert_not_null(s);
	return s;
}

static void parse_err_len(const char *text, size_t len, const char *want)
{
	struct mmsim_error e = { 0 };
	struct script *s = NULL;
	int rc = script_parse(text, len, "t.mms", NULL, NULL, &s, &e);

	cr_assert_eq(rc, -EINVAL, "want -EINVAL, got %d for:\n%s", rc, text);
	cr_assert_null(s);
	cr_assert_eq(e.code, -EINVAL);
	cr_assert_str_eq(e.msg, want, "for:\n%s", text);
}

static void parse_err(const char *text, const char *want)
{
	parse_err_len(text, strlen(text), want);
}

/* The last command of a script. */
static const struct script_cmd *last(const struct script *s)
{
	cr_assert_gt(s->nr_cmds, 0);
	return &s->cmds[s->nr_cmds - 1];
}

/* ---- text ------------------------------------------------------------------------------------ */

Test(script_text, empty_and_comments_only)
{
	struct script *s = parse_ok("");

	cr_expect_eq(s->nr_cmds, 0);
	cr_expect_eq(s->nr_procs, 0);
	cr_expect_str_eq(s->name, "t.mms");
	script_destroy(s);
	s = parse_ok("# nothing\n\n   \t\n# more # hashes\n");
	cr_expect_eq(s->nr_cmds, 0);
	script_destroy(s);
}

Test(script_text, comments_blank_lines_and_line_numbers)
{
	struct script *s = parse_ok("# a lesson\n"
				    "\n"
				    "spawn P   # the process\n"
				    "\t \n"
				    "  P map A 4#no blank before the hash\n"
				    "P write A 0-3");

	cr_assert_eq(s->nr_cmds, 3);
	cr_expect_eq(s->cmds[0].line, 3);
	cr_expect_str_eq(s->cmds[0].text, "spawn P");
	cr_expect_eq(s->cmds[1].line, 5);
	cr_expect_str_eq(s->cmds[1].text, "P map A 4");
	cr_expect_eq(s->cmds[2].line, 6);
	cr_expect_str_eq(s->cmds[2].text, "P write A 0-3");
	script_destroy(s);
}

Test(script_text, crlf_reads_like_lf)
{
	struct script *s = parse_ok("spawn P\r\nP map A 4 r\r\n\r\nP read A 3\r\n");

	cr_assert_eq(s->nr_cmds, 3);
	cr_expect_str_eq(s->cmds[1].text, "P map A 4 r");
	cr_expect_eq(s->cmds[1].map.prot, MMSIM_PROT_READ);
	cr_expect_eq(s->cmds[2].line, 4);
	script_destroy(s);
	parse_err("spawn P\r\nP map A 4 q\r\n",
		  "t.mms:2:11: unknown map option 'q' (want "
		  "r|rw|rx|rwx|none, private|shared, at=0xADDR, populate)");
}

Test(script_text, words_split_on_tabs_and_many_blanks)
{
	struct script *s = parse_ok("spawn\tP\nP \t map\t\tA   8\t  shared  ");

	cr_expect_eq(last(s)->map.nr_pages, 8);
	cr_expect_eq(last(s)->map.flags, MMSIM_MAP_ANONYMOUS | MMSIM_MAP_SHARED);
	cr_expect_str_eq(last(s)->text, "P \t map\t\tA   8\t  shared");
	script_destroy(s);
}

Test(script_text, bytes_that_cannot_be_in_a_script)
{
	parse_err(
		"spawn P\nP map A 4 r\x01w\n",
		"t.mms:2:12: unexpected byte 0x01 (outside comments a script is printable ASCII)");
	parse_err("spawn P\xc3\xa9\n",
		  "t.mms:1:8: unexpected byte 0xc3 (outside comments a script is printable ASCII)");
	parse_err_len("spawn P\nP exit\0 x\n", 16,
		      "t.mms:2:7: unexpected byte 0x00 (outside comments a script is printable "
		      "ASCII)");
	parse_err("\x7f", "t.mms:1:1: unexpected byte 0x7f (outside comments a script is "
			  "printable ASCII)");
}

Test(script_text, anything_goes_in_comments)
{
	static const char text[] = "spawn P # caf\xc3\xa9 \x01\x7f \0 tab\there\nP exit\n";
	struct mmsim_error e = { 0 };
	struct script *s = NULL;

	cr_assert_eq(script_parse(text, sizeof(text) - 1, "t.mms", NULL, NULL, &s, &e), 0, "%s",
		     e.msg);
	cr_expect_eq(s->nr_cmds, 2);
	script_destroy(s);
}

Test(script_text, no_newline_at_end)
{
	struct script *s = parse_ok("spawn P\nP exit");

	cr_expect_eq(last(s)->op, SCRIPT_OP_EXIT);
	cr_expect_eq(last(s)->line, 2);
	script_destroy(s);
}

Test(script_text, text_need_not_be_nul_terminated)
{
	char buf[16];
	struct mmsim_error e = { 0 };
	struct script *s = NULL;

	memcpy(buf, "spawn PQRSTUVWXYZ", 16);
	cr_assert_eq(script_parse(buf, 7, "t.mms", NULL, NULL, &s, &e), 0, "%s", e.msg);
	cr_expect_str_eq(s->procs[0].name, "P");
	script_destroy(s);
}

Test(script_text, very_long_lines)
{
	size_t n = 1 << 20;
	char *text = malloc(n + 64);
	struct script *s;

	/* A long comment is fine. */
	strcpy(text, "spawn P #");
	memset(text + 9, 'c', n);
	strcpy(text + 9 + n, "\nP exit\n");
	s = parse_ok(text);
	cr_expect_eq(s->nr_cmds, 2);
	script_destroy(s);

	/* A long run of blanks before a word: the column says where. */
	memset(text, ' ', n);
	strcpy(text + n, "spawn P\nP map A 4 wat\n");
	parse_err(text, "t.mms:2:11: unknown map option 'wat' (want r|rw|rx|rwx|none, "
			"private|shared, at=0xADDR, populate)");
	memset(text, ' ', n);
	strcpy(text + n, "frob\n");
	parse_err(text, "t.mms:1:1048577: 'frob' is neither a command "
			"(config|spawn|expect|show|reclaim|shrink-all|switch|sleep|compact_memory|"
			"file|dropcache|lib) "
			"nor a process");

	/* A huge word is quoted cut short. */
	strcpy(text, "spawn ");
	memset(text + 6, 'x', n);
	strcpy(text + 6 + n, "\n");
	parse_err(text, "t.mms:1:7: bad process name 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...' "
			"(want a letter or _, then letters, digits or _; at most 32)");

	/* A huge config value is kept whole. */
	strcpy(text, "config tlb=");
	memset(text + 11, 'v', n);
	strcpy(text + 11 + n, "\n");
	s = parse_ok(text);
	cr_assert_eq(s->nr_configs, 1);
	cr_expect_eq(strlen(s->configs[0].value), n);
	script_destroy(s);
	free(text);
}

Test(script_text, too_many_words)
{
	parse_err("config a=1 b=2 c=3 d=4 e=5 f=6 g=7 h=8 i=9 j=10 k=11 l=12 m=13 n=14 o=15 p=16\n",
		  "t.mms:1:74: too many words on one line (at most 16)");
}

Test(script_text, many_lines)
{
	size_t n = 20000, len = 0;
	char *text = malloc(n * 24 + 32);
	struct script *s;

	len += (size_t)sprintf(text + len, "spawn P\nP map A 64\n");
	for (size_t i = 0; i < n; i++)
		len += (size_t)sprintf(text + len, "P write A %zu\n", i % 64);
	s = parse_ok(text);
	cr_expect_eq(s->nr_cmds, n + 2);
	cr_expect_eq(last(s)->line, n + 2);
	script_destroy(s);
	free(text);
}

/* ---- config and spawn ------------------------------------------------------------------------ */

Test(script_config, pairs_in_order)
{
	struct script *s = parse_ok("config mem=64M swap=128M\n"
				    "  config policy=clock reclaim=linux layout=modern levels=4\n"
				    "spawn P\n");

	cr_assert_eq(s->nr_configs, 6);
	cr_expect_str_eq(s->configs[0].key, "mem");
	cr_expect_str_eq(s->configs[0].value, "64M");
	cr_expect_eq(s->configs[0].line, 1);
	cr_expect_eq(s->configs[0].col, 8);
	cr_expect_str_eq(s->configs[1].key, "swap");
	cr_expect_eq(s->configs[1].col, 16);
	cr_expect_str_eq(s->configs[5].key, "levels");
	cr_expect_str_eq(s->configs[5].value, "4");
	cr_expect_eq(s->configs[5].line, 2);
	cr_expect_eq(s->configs[5].col, 51);
	cr_expect_eq(s->nr_cmds, 1, "config lines are not commands");
	script_destroy(s);
}

Test(script_config, value_may_hold_an_equals_sign)
{
	struct script *s = parse_ok("config tlb=l1d=64\n");

	cr_expect_str_eq(s->configs[0].key, "tlb");
	cr_expect_str_eq(s->configs[0].value, "l1d=64");
	script_destroy(s);
}

Test(script_config, errors)
{
	parse_err("config\n", "t.mms:1:7: missing KEY=VALUE after config");
	parse_err("config mem\n", "t.mms:1:8: 'mem' is not KEY=VALUE");
	parse_err("config =64M\n", "t.mms:1:8: '=64M' is not KEY=VALUE");
	parse_err("config mem=\n", "t.mms:1:8: 'mem=' is not KEY=VALUE");
	parse_err("spawn P\n# then\nconfig mem=1G\n",
		  "t.mms:3:1: config after the first command (line 1): the system boots there, "
		  "so config lines come first");
	parse_err("config mem=1G\nexpect sys pgfault 0\n  config swap=1G\n",
		  "t.mms:3:3: config after the first command (line 2): the system boots there, "
		  "so config lines come first");
}

struct check_log {
	int calls;
	char seen[256];
};

static int check_stub(void *ctx, const char *key, const char *value, struct mmsim_error *err)
{
	struct check_log *log = ctx;

	log->calls++;
	snprintf(log->seen + strlen(log->seen), sizeof(log->seen) - strlen(log->seen), "%s=%s;",
		 key, value);
	if (!strcmp(key, "policy") && strcmp(value, "clock"))
		return mmsim_error_set(err, -EINVAL, "unknown policy '%s' (want clock)", value);
	if (!strcmp(key, "silent"))
		return -EINVAL;
	return 0;
}

Test(script_config, checked_through_the_callback_at_its_column)
{
	struct check_log log = { 0 };
	struct mmsim_error e = { 0 };
	struct script *s = NULL;
	const char *ok = "config mem=1G policy=clock\n";
	const char *bad = "config mem=1G\nconfig  policy=lfu mem=2G\nspawn P\nP map\n";
	const char *silent = "config silent=1\n";

	cr_assert_eq(script_parse(ok, strlen(ok), "t.mms", check_stub, &log, &s, &e), 0);
	cr_expect_eq(log.calls, 2);
	cr_expect_str_eq(log.seen, "mem=1G;policy=clock;");
	script_destroy(s);

	/* The first error in the file wins: the bad config, not the later malformed map. */
	memset(&log, 0, sizeof(log));
	cr_assert_eq(script_parse(bad, strlen(bad), "t.mms", check_stub, &log, &s, &e), -EINVAL);
	cr_expect_str_eq(e.msg, "t.mms:2:9: unknown policy 'lfu' (want clock)");
	cr_expect_eq(log.calls, 2, "nothing is checked after the first error");

	cr_assert_eq(script_parse(silent, strlen(silent), "t.mms", check_stub, &log, &s, &e),
		     -EINVAL);
	cr_expect_str_eq(e.msg, "t.mms:1:8: bad config");
}

Test(script_spawn, creates_a_process_with_an_empty_heap)
{
	struct script *s = parse_ok("spawn P\nspawn worker_2\n");

	cr_assert_eq(s->nr_procs, 2);
	cr_expect_eq(s->cmds[0].op, SCRIPT_OP_SPAWN);
	cr_expect_eq(s->cmds[0].proc, 0);
	cr_expect_eq(s->cmds[1].proc, 1);
	cr_expect_str_eq(s->procs[1].name, "worker_2");
	cr_expect_eq(s->procs[1].line, 2);
	cr_assert_eq(s->procs[0].nr_regions, 1);
	cr_expect_str_eq(s->procs[0].regions[SCRIPT_HEAP_REGION].name, "heap");
	cr_expect_eq(s->procs[0].regions[SCRIPT_HEAP_REGION].nr_pages, 0);
	script_destroy(s);
}

Test(script_spawn, errors)
{
	parse_err("spawn\n", "t.mms:1:6: missing process name after spawn");
	parse_err("spawn P Q\n", "t.mms:1:9: unexpected 'Q' after the command");
	parse_err("spawn P\nspawn P\n", "t.mms:2:7: process 'P' already exists (line 1)");
	parse_err("spawn 9P\n", "t.mms:1:7: bad process name '9P' (want a letter or _, then "
				"letters, digits or _; at most 32)");
	parse_err("spawn P-1\n", "t.mms:1:7: bad process name 'P-1' (want a letter or _, then "
				 "letters, digits or _; at most 32)");
	parse_err("spawn abcdefghijabcdefghijabcdefghij012\n",
		  "t.mms:1:7: bad process name 'abcdefghijabcdefghijabcdefghij012' (want a letter "
		  "or _, then letters, digits or _; at most 32)");
	parse_err("spawn sys\n", "t.mms:1:7: 'sys' is a keyword and cannot name a process");
	parse_err("spawn spawn\n", "t.mms:1:7: 'spawn' is a keyword and cannot name a process");
	parse_err("spawn P\nP exit\nspawn P\n", "t.mms:3:7: process 'P' already exists (line 1)");
}

Test(script_spawn, longest_name)
{
	struct script *s = parse_ok("spawn abcdefghijabcdefghijabcdefghij01\n"
				    "abcdefghijabcdefghijabcdefghij01 exit\n");

	cr_expect_eq(last(s)->op, SCRIPT_OP_EXIT);
	script_destroy(s);
}

/* ---- map ------------------------------------------------------------------------------------- */

Test(script_map, defaults)
{
	struct script *s = parse_ok("spawn P\nP map A 64\n");
	const struct script_cmd *c = last(s);

	cr_expect_eq(c->op, SCRIPT_OP_MAP);
	cr_expect_eq(c->proc, 0);
	cr_expect_eq(c->map.region, 1);
	cr_expect_eq(c->map.nr_pages, 64);
	cr_expect_eq(c->map.prot, MMSIM_PROT_READ | MMSIM_PROT_WRITE);
	cr_expect_eq(c->map.flags, MMSIM_MAP_ANONYMOUS | MMSIM_MAP_PRIVATE);
	cr_expect_eq(c->map.addr, 0);
	cr_expect_str_eq(s->procs[0].regions[1].name, "A");
	cr_expect_eq(s->procs[0].regions[1].nr_pages, 64);
	cr_expect_eq(s->procs[0].regions[1].line, 2);
	script_destroy(s);
}

Test(script_map, every_right)
{
	static const struct {
		const char *word;
		int prot;
	} rights[] = {
		{ "r", MMSIM_PROT_READ },
		{ "rw", MMSIM_PROT_READ | MMSIM_PROT_WRITE },
		{ "rx", MMSIM_PROT_READ | MMSIM_PROT_EXEC },
		{ "rwx", MMSIM_PROT_READ | MMSIM_PROT_WRITE | MMSIM_PROT_EXEC },
		{ "none", MMSIM_PROT_NONE },
	};

	for (size_t i = 0; i < ARRAY_SIZE(rights); i++) {
		char text[64];
		struct script *s;

		snprintf(text, sizeof(text), "spawn P\nP map A 1 %s\n", rights[i].word);
		s = parse_ok(text);
		cr_expect_eq(last(s)->map.prot, rights[i].prot, "%s", rights[i].word);
		script_destroy(s);
	}
}

Test(script_map, every_option_in_any_order)
{
	struct script *s = parse_ok("spawn P\n"
				    "P map A 16 rw shared at=0x7f0000000000 populate\n"
				    "P map B 2 populate at=1000 private rx\n"
				    "P map C 0x10 shared\n");
	const struct script_cmd *a = &s->cmds[1], *b = &s->cmds[2], *c = &s->cmds[3];

	cr_expect_eq(a->map.flags,
		     MMSIM_MAP_ANONYMOUS | MMSIM_MAP_SHARED | MMSIM_MAP_FIXED | MMSIM_MAP_POPULATE);
	cr_expect_eq(a->map.addr, UINT64_C(0x7f0000000000));
	cr_expect_eq(a->map.prot, MMSIM_PROT_READ | MMSIM_PROT_WRITE);
	cr_expect_eq(b->map.flags, MMSIM_MAP_ANONYMOUS | MMSIM_MAP_PRIVATE | MMSIM_MAP_FIXED |
					   MMSIM_MAP_POPULATE);
	cr_expect_eq(b->map.addr, 0x1000); /* hex without 0x */
	cr_expect_eq(b->map.prot, MMSIM_PROT_READ | MMSIM_PROT_EXEC);
	cr_expect_eq(b->map.region, 2);
	cr_expect_eq(c->map.nr_pages, 16);
	cr_expect_eq(c->map.region, 3);
	script_destroy(s);
}

Test(script_map, largest_size)
{
	struct script *s = parse_ok("spawn P\nP map A 35184372088832\n");

	cr_expect_eq(last(s)->map.nr_pages, SCRIPT_MAX_PAGES);
	script_destroy(s);
}

Test(script_map, errors)
{
	parse_err("spawn P\nP map\n", "t.mms:2:6: missing region name after map");
	parse_err("spawn P\nP map A\n", "t.mms:2:8: missing size in pages, or file NAME");
	parse_err("spawn P\nP map 1A 4\n", "t.mms:2:7: bad region name '1A' (want a letter or _, "
					   "then letters, digits or _; at most 32)");
	parse_err("spawn P\nP map heap 4\n",
		  "t.mms:2:7: 'heap' names the brk heap; choose another name");
	parse_err("spawn P\nP map A 4\nP map A 8\n",
		  "t.mms:3:7: region 'A' already exists in process 'P' (line 2)");
	parse_err("spawn P\nP map A 0\n", "t.mms:2:9: size 0: a region has at least 1 page");
	parse_err("spawn P\nP map A -1\n",
		  "t.mms:2:9: size '-1' is not a number (want decimal or 0x hex)");
	parse_err("spawn P\nP map A 4k\n",
		  "t.mms:2:9: size '4k' is not a number (want decimal or 0x hex)");
	parse_err("spawn P\nP map A 0x\n",
		  "t.mms:2:9: size '0x' is not a number (want decimal or 0x hex)");
	parse_err("spawn P\nP map A 35184372088833\n",
		  "t.mms:2:9: size 35184372088833 pages is larger than any address space (at most "
		  "35184372088832)");
	parse_err("spawn P\nP map A 18446744073709551616\n",
		  "t.mms:2:9: size '18446744073709551616' does not fit in 64 bits");
	parse_err("spawn P\nP map A 0x10000000000000000\n",
		  "t.mms:2:9: size '0x10000000000000000' does not fit in 64 bits");
	parse_err("spawn P\nP map A 4 q\n", "t.mms:2:11: unknown map option 'q' (want "
					    "r|rw|rx|rwx|none, private|shared, at=0xADDR, "
					    "populate)");
	parse_err("spawn P\nP map A 4 r rw\n", "t.mms:2:13: rights given twice ('rw')");
	parse_err("spawn P\nP map A 4 shared private\n",
		  "t.mms:2:18: private or shared given twice ('private')");
	parse_err("spawn P\nP map A 4 at=0x1000 at=0x2000\n", "t.mms:2:21: at= given twice");
	parse_err("spawn P\nP map A 4 populate populate\n", "t.mms:2:20: populate given twice");
	parse_err("spawn P\nP map A 4 at=0x1001\n",
		  "t.mms:2:11: address in 'at=0x1001' is not page-aligned (4096)");
	parse_err("spawn P\nP map A 4 at=\n",
		  "t.mms:2:11: bad address in 'at=' (want at=ADDR, hexadecimal with or without "
		  "0x)");
	parse_err("spawn P\nP map A 4 at=0xg000\n",
		  "t.mms:2:11: bad address in 'at=0xg000' (want at=ADDR, hexadecimal with or "
		  "without 0x)");
	parse_err("spawn P\nP map A 4 at=0x10000000000000000\n",
		  "t.mms:2:11: address in 'at=0x10000000000000000' does not fit in 64 bits");
}

/* ---- accesses -------------------------------------------------------------------------------- */

Test(script_touch, read_write_exec_page_and_range)
{
	struct script *s = parse_ok("spawn P\nP map A 64 rwx\n"
				    "P write A 0-63\nP read A 5\nP exec A 0-3\nP read A 63-63\n");
	const struct script_cmd *w = &s->cmds[2], *r = &s->cmds[3], *x = &s->cmds[4];

	cr_expect_eq(w->op, SCRIPT_OP_TOUCH);
	cr_expect_eq(w->touch.kind, MMSIM_ACCESS_WRITE);
	cr_expect_eq(w->touch.range.region, 1);
	cr_expect_eq(w->touch.range.first, 0);
	cr_expect_eq(w->touch.range.last, 63);
	cr_expect_eq(r->touch.kind, MMSIM_ACCESS_READ);
	cr_expect_eq(r->touch.range.first, 5);
	cr_expect_eq(r->touch.range.last, 5);
	cr_expect_eq(x->touch.kind, MMSIM_ACCESS_FETCH);
	cr_expect_eq(x->touch.range.last, 3);
	cr_expect_eq(last(s)->touch.range.first, 63);
	script_destroy(s);
}

Test(script_touch, hex_pages)
{
	struct script *s = parse_ok("spawn P\nP map A 64\nP write A 0x10-0x3f\n");

	cr_expect_eq(last(s)->touch.range.first, 16);
	cr_expect_eq(last(s)->touch.range.last, 63);
	script_destroy(s);
}

Test(script_touch, errors)
{
	parse_err("spawn P\nP map A 64\nP write\n", "t.mms:3:8: missing region name");
	parse_err("spawn P\nP map A 64\nP write A\n",
		  "t.mms:3:10: missing page or page range (PAGE or FIRST-LAST)");
	parse_err("spawn P\nP map A 64\nP write B 0\n",
		  "t.mms:3:9: unknown region 'B' in process 'P' (map it first)");
	parse_err("spawn P\nP map A 64\nP write A 64\n",
		  "t.mms:3:11: page range '64' is outside region A of process 'P' (pages 0-63)");
	parse_err("spawn P\nP map A 64\nP write A 0-64\n",
		  "t.mms:3:11: page range '0-64' is outside region A of process 'P' (pages 0-63)");
	parse_err("spawn P\nP map A 64\nP write A 9-3\n",
		  "t.mms:3:11: reversed page range '9-3' (FIRST must not exceed LAST)");
	parse_err("spawn P\nP map A 64\nP write A 3-\n",
		  "t.mms:3:11: bad page range '3-' (want PAGE or FIRST-LAST)");
	parse_err("spawn P\nP map A 64\nP write A -3\n",
		  "t.mms:3:11: bad page range '-3' (want PAGE or FIRST-LAST)");
	parse_err("spawn P\nP map A 64\nP write A 1-2-3\n",
		  "t.mms:3:11: bad page range '1-2-3' (want PAGE or FIRST-LAST)");
	parse_err("spawn P\nP map A 64\nP write A x\n",
		  "t.mms:3:11: bad page range 'x' (want PAGE or FIRST-LAST)");
	parse_err("spawn P\nP map A 64\nP write A 0-99999999999999999999\n",
		  "t.mms:3:11: page range '0-99999999999999999999' does not fit in 64 bits");
	parse_err("spawn P\nP map A 64\nP write A 18446744073709551615\n",
		  "t.mms:3:11: page range '18446744073709551615' is outside region A of process "
		  "'P' (pages 0-63)");
	parse_err("spawn P\nP map A 64\nP write A 1 2\n",
		  "t.mms:3:13: unexpected '2' after the command");
	parse_err("spawn P\nP map A 64\nP write A 0-3 w\n",
		  "t.mms:3:15: unexpected 'w' after the command");
	parse_err("spawn P\nP read heap 0\n",
		  "t.mms:2:13: region heap of process 'P' is empty (grow it with 'P brk +PAGES' "
		  "first)");
}

Test(script_access, raw_addresses)
{
	struct script *s = parse_ok("spawn P\n"
				    "P access 0x7f0000001234 w\n"
				    "P access 1000 r kernel\n"
				    "P access 0xffffffffffffffff x\n");

	cr_expect_eq(s->cmds[1].op, SCRIPT_OP_ACCESS);
	cr_expect_eq(s->cmds[1].access.addr, UINT64_C(0x7f0000001234));
	cr_expect_eq(s->cmds[1].access.kind, MMSIM_ACCESS_WRITE);
	cr_expect(s->cmds[1].access.user);
	cr_expect_eq(s->cmds[2].access.addr, 0x1000); /* addresses are hex, 0x or not */
	cr_expect_eq(s->cmds[2].access.kind, MMSIM_ACCESS_READ);
	cr_expect_not(s->cmds[2].access.user);
	cr_expect_eq(s->cmds[3].access.addr, UINT64_MAX);
	cr_expect_eq(s->cmds[3].access.kind, MMSIM_ACCESS_FETCH);
	script_destroy(s);
}

Test(script_access, errors)
{
	parse_err("spawn P\nP access\n", "t.mms:2:9: missing address after access");
	parse_err("spawn P\nP access 0x1000\n", "t.mms:2:16: missing access kind (r|w|x)");
	parse_err("spawn P\nP access 0x1000 rw\n",
		  "t.mms:2:17: unknown access kind 'rw' (want r|w|x)");
	parse_err("spawn P\nP access zz r\n",
		  "t.mms:2:10: address 'zz' is not hexadecimal (addresses are hex, with or "
		  "without 0x)");
	parse_err("spawn P\nP access 0x1ffffffffffffffff r\n",
		  "t.mms:2:10: address '0x1ffffffffffffffff' does not fit in 64 bits");
	parse_err("spawn P\nP access 0x1000 r user\n",
		  "t.mms:2:19: unexpected 'user' (want kernel, or nothing for a user access)");
	parse_err("spawn P\nP access 0x1000 r kernel now\n",
		  "t.mms:2:26: unexpected 'now' after the command");
}

/* ---- fork, exit ------------------------------------------------------------------------------ */

Test(script_fork, child_inherits_region_names)
{
	struct script *s = parse_ok("spawn P\nP map A 64\nP brk +4\nP fork Q\n"
				    "P map B 2\nQ map C 8\nQ write A 0-63\nQ write heap 3\n"
				    "Q write C 7\n");
	const struct script_cmd *f = &s->cmds[3];

	cr_expect_eq(f->op, SCRIPT_OP_FORK);
	cr_expect_eq(f->proc, 0);
	cr_expect_eq(f->fork.child, 1);
	cr_expect_eq(f->fork.nr_inherited, 2);
	cr_expect_str_eq(s->procs[1].name, "Q");
	cr_expect_eq(s->procs[1].nr_regions, 3, "heap, A, then its own C");
	cr_expect_str_eq(s->procs[1].regions[2].name, "C");
	cr_expect_eq(s->procs[1].heap_pages, 4);
	cr_expect_eq(s->cmds[5].map.region, 2, "Q's C takes the index after the inherited ones");
	cr_expect_eq(s->cmds[4].map.region, 2, "P's B too, in P's own table");
	cr_expect_eq(s->cmds[6].proc, 1);
	cr_expect_eq(s->cmds[6].touch.range.region, 1);
	script_destroy(s);
}

Test(script_fork, errors)
{
	parse_err("spawn P\nP fork\n", "t.mms:2:7: missing child's name after fork");
	parse_err("spawn P\nP fork P\n", "t.mms:2:8: process 'P' already exists (line 1)");
	parse_err("spawn P\nP fork Q R\n", "t.mms:2:10: unexpected 'R' after the command");
	parse_err("spawn P\nP fork show\n",
		  "t.mms:2:8: 'show' is a keyword and cannot name a process");
	parse_err("spawn P\nP map A 1\nP fork Q\nP map B 1\nQ write B 0\n",
		  "t.mms:5:9: unknown region 'B' in process 'Q' (map it first)");
	parse_err("spawn P\nP fork Q\nQ map A 1\nP write A 0\n",
		  "t.mms:4:9: unknown region 'A' in process 'P' (map it first)");
}

Test(script_exit, nothing_after_exit)
{
	struct script *s = parse_ok("spawn P\nP fork Q\nP exit\nQ exit\n");

	cr_expect_eq(s->cmds[2].op, SCRIPT_OP_EXIT);
	cr_expect_eq(s->procs[0].exit_line, 3);
	cr_expect_eq(s->procs[1].exit_line, 4);
	script_destroy(s);
	parse_err("spawn P\nP exit\nP map A 1\n", "t.mms:3:1: process 'P' exited at line 2");
	parse_err("spawn P\nP exit\nP exit\n", "t.mms:3:1: process 'P' exited at line 2");
	parse_err("spawn P\nP exit\nexpect P minflt 0\n",
		  "t.mms:3:8: process 'P' exited at line 2");
	parse_err("spawn P\nP exit\nshow P maps\n", "t.mms:3:6: process 'P' exited at line 2");
	parse_err("spawn P\nP exit now\n", "t.mms:2:8: unexpected 'now' after the command");
}

Test(script_fork, region_names_are_bounded)
{
	/* 1025 names in P (heap and R0..R1023); each fork copies them all. */
	size_t len = 0;
	char *text = malloc(64 * 1024);

	len += (size_t)sprintf(text + len, "spawn P\n");
	for (int i = 0; i < 1024; i++)
		len += (size_t)sprintf(text + len, "P map R%d 1\n", i);
	for (int i = 1; i <= 1023; i++)
		len += (size_t)sprintf(text + len, "P fork Q%d\n", i);
	parse_err(text, "t.mms:2048:1: too many regions: at most 1048576 over all processes (a "
			"fork copies its parent's)");
	free(text);
}

/* ---- protect, unmap, advise, remap, brk ------------------------------------------------------ */

Test(script_change, protect_unmap_advise)
{
	struct script *s = parse_ok("spawn P\nP map A 64\nP protect A 0-31 r\nP unmap A 16-31\n"
				    "P advise A 0-63 dontneed\nP protect A 40 none\n");

	cr_expect_eq(s->cmds[2].op, SCRIPT_OP_PROTECT);
	cr_expect_eq(s->cmds[2].change.prot, MMSIM_PROT_READ);
	cr_expect_eq(s->cmds[2].change.range.last, 31);
	cr_expect_eq(s->cmds[3].op, SCRIPT_OP_UNMAP);
	cr_expect_eq(s->cmds[3].change.range.first, 16);
	cr_expect_eq(s->cmds[4].op, SCRIPT_OP_ADVISE);
	cr_expect_eq(s->cmds[4].change.advice, SCRIPT_ADVICE_DONTNEED);
	cr_expect_eq(s->cmds[4].change.range.last, 63);
	cr_expect_eq(s->cmds[5].change.prot, MMSIM_PROT_NONE);
	script_destroy(s);
}

Test(script_change, names_outlive_unmap)
{
	/* A region names an address range; unmapping part or all of it keeps the name. */
	struct script *s = parse_ok("spawn P\nP map A 4\nP unmap A 0-3\nP write A 2\n");

	cr_expect_eq(last(s)->touch.range.first, 2);
	script_destroy(s);
}

Test(script_change, errors)
{
	parse_err("spawn P\nP map A 64\nP protect A 0-31\n",
		  "t.mms:3:17: missing rights (r|rw|rx|rwx|none)");
	parse_err("spawn P\nP map A 64\nP protect A 0-31 q\n",
		  "t.mms:3:18: unknown right 'q' (want r|rw|rx|rwx|none)");
	parse_err("spawn P\nP map A 64\nP protect A 0-31 r w\n",
		  "t.mms:3:20: unexpected 'w' after the command");
	parse_err("spawn P\nP map A 64\nP unmap A 16-31 now\n",
		  "t.mms:3:17: unexpected 'now' after the command");
	parse_err("spawn P\nP map A 64\nP unmap A\n",
		  "t.mms:3:10: missing page or page range (PAGE or FIRST-LAST)");
	parse_err("spawn P\nP map A 64\nP advise A 0-63\n",
		  "t.mms:3:16: missing advice (dontneed|pageout|hugepage|nohugepage)");
	parse_err("spawn P\nP map A 64\nP advise A 0-63 willneed\n",
		  "t.mms:3:17: unknown advice 'willneed' (want "
		  "dontneed|pageout|hugepage|nohugepage)");
	parse_err("spawn P\nP map A 64\nP advise A 0-63 dontneed x\n",
		  "t.mms:3:26: unexpected 'x' after the command");
}

Test(script_remap, the_name_follows_the_new_size)
{
	struct script *s = parse_ok("spawn P\nP map A 64\nP remap A 128\nP write A 127\n"
				    "P remap A 2\n");
	const struct script_cmd *r1 = &s->cmds[2], *r2 = last(s);

	cr_expect_eq(r1->op, SCRIPT_OP_REMAP);
	cr_expect_eq(r1->remap.region, 1);
	cr_expect_eq(r1->remap.old_pages, 64);
	cr_expect_eq(r1->remap.new_pages, 128);
	cr_expect_eq(r2->remap.old_pages, 128);
	cr_expect_eq(r2->remap.new_pages, 2);
	script_destroy(s);
	parse_err("spawn P\nP map A 64\nP remap A 2\nP write A 2\n",
		  "t.mms:4:11: page range '2' is outside region A of process 'P' (pages 0-1)");
}

Test(script_remap, errors)
{
	parse_err("spawn P\nP map A 64\nP remap\n", "t.mms:3:8: missing region name after remap");
	parse_err("spawn P\nP map A 64\nP remap A\n", "t.mms:3:10: missing new size in pages");
	parse_err("spawn P\nP map A 64\nP remap A 0\n",
		  "t.mms:3:11: size 0: a region has at least 1 page");
	parse_err("spawn P\nP map A 64\nP remap B 4\n",
		  "t.mms:3:9: unknown region 'B' in process 'P' (map it first)");
	parse_err("spawn P\nP brk +4\nP remap heap 8\n",
		  "t.mms:3:9: the heap moves with brk, not remap");
	parse_err("spawn P\nP map A 64\nP remap A 4 4\n",
		  "t.mms:3:13: unexpected '4' after the command");
}

Test(script_brk, heap_grows_and_shrinks)
{
	struct script *s = parse_ok("spawn P\nP brk +16\nP write heap 0-15\nP brk -4\n"
				    "P write heap 15\nP brk +0\nP brk -12\nP brk +2\n");
	const struct script_proc *pr = &s->procs[0];

	cr_expect_eq(s->cmds[1].op, SCRIPT_OP_BRK);
	cr_expect_eq(s->cmds[1].brk_delta, 16);
	cr_expect_eq(s->cmds[2].touch.range.region, SCRIPT_HEAP_REGION);
	cr_expect_eq(s->cmds[3].brk_delta, -4);
	cr_expect_eq(s->cmds[5].brk_delta, 0);
	cr_expect_eq(s->cmds[6].brk_delta, -12);
	cr_expect_eq(pr->heap_pages, 2);
	cr_expect_eq(pr->regions[SCRIPT_HEAP_REGION].nr_pages, 16,
		     "the heap region keeps the pages the break once covered");
	script_destroy(s);
}

Test(script_brk, errors)
{
	parse_err("spawn P\nP brk\n", "t.mms:2:6: missing +PAGES or -PAGES after brk");
	parse_err("spawn P\nP brk 16\n", "t.mms:2:7: brk takes +PAGES or -PAGES, not '16'");
	parse_err("spawn P\nP brk +\n", "t.mms:2:7: brk takes +PAGES or -PAGES, not '+'");
	parse_err("spawn P\nP brk +x\n", "t.mms:2:7: brk takes +PAGES or -PAGES, not '+x'");
	parse_err("spawn P\nP brk ++1\n", "t.mms:2:7: brk takes +PAGES or -PAGES, not '++1'");
	parse_err("spawn P\nP brk +99999999999999999999\n",
		  "t.mms:2:7: brk step '+99999999999999999999' does not fit in 64 bits");
	parse_err("spawn P\nP brk +4\nP brk -5\n",
		  "t.mms:3:7: brk -5 would take the break below its initial value (the heap has "
		  "4 pages)");
	parse_err("spawn P\nP brk +35184372088832\nP brk +1\n",
		  "t.mms:3:7: the heap would grow past 35184372088832 pages, larger than any "
		  "address space");
	parse_err("spawn P\nP brk +4\nP write heap 4\n",
		  "t.mms:3:14: page range '4' is outside region heap of process 'P' (pages 0-3)");
	parse_err("spawn P\nP brk +4 +4\n", "t.mms:2:10: unexpected '+4' after the command");
}

/* ---- expect ---------------------------------------------------------------------------------- */

Test(script_expect, task_fields_and_comparisons)
{
	static const struct {
		const char *text;
		enum script_field field;
		enum script_cmp cmp;
		uint64_t value;
	} cases[] = {
		{ "expect P minflt 64", SCRIPT_FIELD_MINFLT, SCRIPT_CMP_EQ, 64 },
		{ "expect P majflt == 0", SCRIPT_FIELD_MAJFLT, SCRIPT_CMP_EQ, 0 },
		{ "expect P rss != 256", SCRIPT_FIELD_RSS, SCRIPT_CMP_NE, 256 },
		{ "expect P swap < 4", SCRIPT_FIELD_SWAP, SCRIPT_CMP_LT, 4 },
		{ "expect P vmpte <= 12", SCRIPT_FIELD_VMPTE, SCRIPT_CMP_LE, 12 },
		{ "expect P rss > 0x10", SCRIPT_FIELD_RSS, SCRIPT_CMP_GT, 16 },
		{ "expect P minflt >= 18446744073709551615", SCRIPT_FIELD_MINFLT, SCRIPT_CMP_GE,
		  UINT64_MAX },
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		char text[128];
		struct script *s;
		const struct script_cmd *c;

		snprintf(text, sizeof(text), "spawn P\n%s\n", cases[i].text);
		s = parse_ok(text);
		c = last(s);
		cr_expect_eq(c->op, SCRIPT_OP_EXPECT_TASK, "%s", cases[i].text);
		cr_expect_eq(c->proc, 0);
		cr_expect_eq(c->expect.field, cases[i].field, "%s", cases[i].text);
		cr_expect_eq(c->expect.cmp, cases[i].cmp, "%s", cases[i].text);
		cr_expect_eq(c->expect.value, cases[i].value, "%s", cases[i].text);
		cr_expect_str_eq(c->text, cases[i].text);
		script_destroy(s);
	}
}

Test(script_expect, signal)
{
	struct script *s = parse_ok("spawn P\nexpect P signal SEGV_ACCERR\n"
				    "expect P signal none\nexpect P signal != SEGV_MAPERR\n"
				    "expect P signal == KILLED\n");

	cr_expect_eq(s->cmds[1].op, SCRIPT_OP_EXPECT_SIGNAL);
	cr_expect_eq(s->cmds[1].expect.field, SCRIPT_FIELD_SIGNAL);
	cr_expect_eq(s->cmds[1].expect.signal, MMSIM_SIG_SEGV_ACCERR);
	cr_expect_eq(s->cmds[1].expect.cmp, SCRIPT_CMP_EQ);
	cr_expect_eq(s->cmds[2].expect.signal, MMSIM_SIG_NONE);
	cr_expect_eq(s->cmds[3].expect.signal, MMSIM_SIG_SEGV_MAPERR);
	cr_expect_eq(s->cmds[3].expect.cmp, SCRIPT_CMP_NE);
	cr_expect_eq(s->cmds[4].expect.signal, MMSIM_SIG_KILLED);
	script_destroy(s);
}

Test(script_expect, sys_counters)
{
	struct script *s = parse_ok("expect sys pswpout > 0\nexpect sys dTLB-load-misses 3\n"
				    "expect sys nr_free_pages >= 100\n");

	cr_expect_eq(s->cmds[0].op, SCRIPT_OP_EXPECT_SYS);
	cr_expect_str_eq(s->cmds[0].expect.counter, "pswpout");
	cr_expect_eq(s->cmds[0].expect.counter_col, 12);
	cr_expect_eq(s->cmds[0].expect.cmp, SCRIPT_CMP_GT);
	cr_expect_eq(s->cmds[0].expect.value, 0);
	cr_expect_str_eq(s->cmds[1].expect.counter, "dTLB-load-misses");
	cr_expect_eq(s->cmds[1].expect.cmp, SCRIPT_CMP_EQ);
	cr_expect_eq(s->cmds[1].expect.value, 3);
	script_destroy(s);
}

Test(script_expect, errors)
{
	parse_err("expect\n", "t.mms:1:7: missing process name, sys, switch or cache after expect");
	parse_err("expect P minflt 1\n",
		  "t.mms:1:8: unknown process 'P' (no spawn or fork created it)");
	parse_err("spawn P\nexpect P\n",
		  "t.mms:2:9: missing field "
		  "(minflt|majflt|rss|rssanon|rssfile|pss|swap|vmpte|anonhuge|signal)");
	parse_err("spawn P\nexpect P minflt\n", "t.mms:2:16: missing value");
	parse_err("spawn P\nexpect P faults 1\n",
		  "t.mms:2:10: unknown field 'faults' (want "
		  "minflt|majflt|rss|rssanon|rssfile|pss|swap|vmpte|anonhuge|signal)");
	parse_err("spawn P\nexpect P minflt =< 1\n",
		  "t.mms:2:17: unknown comparison '=<' (want == != < <= > >=)");
	parse_err("spawn P\nexpect P minflt = 1\n",
		  "t.mms:2:17: unknown comparison '=' (want == != < <= > >=)");
	parse_err("spawn P\nexpect P minflt == 1 2\n",
		  "t.mms:2:22: unexpected '2' after the command");
	parse_err("spawn P\nexpect P minflt 18446744073709551616\n",
		  "t.mms:2:17: value '18446744073709551616' does not fit in 64 bits");
	parse_err("spawn P\nexpect P rss 64kB\n",
		  "t.mms:2:14: value '64kB' is not a number (want decimal or 0x hex)");
	parse_err("spawn P\nexpect P minflt ==\n",
		  "t.mms:2:17: value '==' is not a number (want decimal or 0x hex)");
	parse_err("spawn P\nexpect P signal\n",
		  "t.mms:2:16: missing signal (none|SEGV_MAPERR|SEGV_ACCERR|SIGBUS|KILLED)");
	parse_err("spawn P\nexpect P signal SIGSEGV\n",
		  "t.mms:2:17: unknown signal 'SIGSEGV' (want "
		  "none|SEGV_MAPERR|SEGV_ACCERR|SIGBUS|KILLED)");
	parse_err("spawn P\nexpect P signal segv_accerr\n",
		  "t.mms:2:17: unknown signal 'segv_accerr' (want "
		  "none|SEGV_MAPERR|SEGV_ACCERR|SIGBUS|KILLED)");
	parse_err("spawn P\nexpect P signal > none\n",
		  "t.mms:2:17: a signal compares with == or != only, not '>'");
	parse_err("expect sys\n", "t.mms:1:11: missing counter name (a /proc/vmstat or perf name)");
	parse_err("expect sys pg.fault 1\n", "t.mms:1:12: bad counter name 'pg.fault'");
	parse_err("expect sys -x 1\n", "t.mms:1:12: bad counter name '-x'");
	parse_err("expect sys pgfault\n", "t.mms:1:19: missing value");
}

/* ---- show ------------------------------------------------------------------------------------ */

Test(script_show, every_view)
{
	static const char *const sys_views[] = {
		"vmstat", "meminfo", "buddyinfo", "slabinfo", "zoneinfo", "layout", "extfrag",
	};
	static const char *const task_views[] = { "maps", "status", "smaps" };

	for (size_t i = 0; i < ARRAY_SIZE(sys_views); i++) {
		char text[64];
		struct script *s;

		snprintf(text, sizeof(text), "show sys %s\n", sys_views[i]);
		s = parse_ok(text);
		cr_expect_eq(last(s)->op, SCRIPT_OP_SHOW_SYS);
		cr_expect_str_eq(last(s)->view, sys_views[i]);
		script_destroy(s);
	}
	for (size_t i = 0; i < ARRAY_SIZE(task_views); i++) {
		char text[64];
		struct script *s;

		snprintf(text, sizeof(text), "spawn P\nshow P %s\n", task_views[i]);
		s = parse_ok(text);
		cr_expect_eq(last(s)->op, SCRIPT_OP_SHOW_TASK);
		cr_expect_eq(last(s)->proc, 0);
		cr_expect_str_eq(last(s)->view, task_views[i]);
		script_destroy(s);
	}
}

Test(script_show, walk)
{
	struct script *s = parse_ok("spawn P\nP map A 8\nshow P walk 0x7f0000001234\n"
				    "show P walk A 7\n");
	const struct script_cmd *raw = &s->cmds[2], *reg = &s->cmds[3];

	cr_expect_eq(raw->op, SCRIPT_OP_SHOW_WALK);
	cr_expect_not(raw->walk.in_region);
	cr_expect_eq(raw->walk.addr, UINT64_C(0x7f0000001234));
	cr_expect(reg->walk.in_region);
	cr_expect_eq(reg->walk.page.region, 1);
	cr_expect_eq(reg->walk.page.first, 7);
	cr_expect_eq(reg->walk.page.last, 7);
	script_destroy(s);
}

Test(script_show, errors)
{
	parse_err("show\n", "t.mms:1:5: missing process name or sys after show");
	parse_err("show sys\n", "t.mms:1:9: missing view "
				"(vmstat|meminfo|buddyinfo|slabinfo|zoneinfo|extfrag|layout)");
	parse_err("show sys maps\n", "t.mms:1:10: unknown view 'maps' (want "
				     "vmstat|meminfo|buddyinfo|slabinfo|zoneinfo|extfrag|layout)");
	parse_err("show sys vmstat now\n", "t.mms:1:17: unexpected 'now' after the command");
	parse_err("show Q maps\n", "t.mms:1:6: unknown process 'Q' (no spawn or fork created it)");
	parse_err("spawn P\nshow P\n", "t.mms:2:7: missing view (maps|status|smaps|walk)");
	parse_err("spawn P\nshow P vmstat\n",
		  "t.mms:2:8: unknown view 'vmstat' (want maps|status|smaps|walk)");
	parse_err("spawn P\nshow P walk\n",
		  "t.mms:2:12: missing address (0xADDR) or REGION PAGE after walk");
	parse_err("spawn P\nshow P walk 0x1000 r\n",
		  "t.mms:2:20: unexpected 'r' after the command");
	parse_err("spawn P\nshow P walk 0xZ\n",
		  "t.mms:2:13: address '0xZ' is not hexadecimal (addresses are hex, with or "
		  "without 0x)");
	parse_err("spawn P\nshow P walk A 0\n",
		  "t.mms:2:13: unknown region 'A' in process 'P' (map it first)");
	parse_err("spawn P\nP map A 4\nshow P walk A\n", "t.mms:3:14: missing page of the region");
	parse_err("spawn P\nP map A 4\nshow P walk A 0-1\n",
		  "t.mms:3:15: walk takes one page, not a range ('0-1')");
	parse_err("spawn P\nP map A 4\nshow P walk A 4\n",
		  "t.mms:3:15: page range '4' is outside region A of process 'P' (pages 0-3)");
	parse_err("spawn P\nP map A 4\nshow P walk A 1 2\n",
		  "t.mms:3:17: unexpected '2' after the command");
}

/* ---- first words ----------------------------------------------------------------------------- */

Test(script_words, unknown_first_words_and_verbs)
{
	parse_err("spwan P\n", "t.mms:1:1: 'spwan' is neither a command "
			       "(config|spawn|expect|show|reclaim|shrink-all|switch|sleep|"
			       "compact_memory|file|dropcache|lib) "
			       "nor a process");
	parse_err("  sys exit\n",
		  "t.mms:1:3: sys is not a process (sys goes after expect or show)");
	parse_err("spawn P\nP\n",
		  "t.mms:2:2: missing command after the process name "
		  "(map|read|write|exec|access|fork|protect|unmap|advise|madvise|remap|brk|"
		  "exit|msync|load)");
	parse_err("spawn P\nP touch A 0\n", "t.mms:2:3: unknown command 'touch' (want "
					    "map|read|write|exec|access|fork|protect|unmap|advise|"
					    "madvise|remap|brk|exit|msync|load)");
	parse_err("spawn P\nP MAP A 4\n", "t.mms:2:3: unknown command 'MAP' (want "
					  "map|read|write|exec|access|fork|protect|unmap|advise|"
					  "madvise|remap|brk|exit|msync|load)");
	parse_err("Spawn P\n", "t.mms:1:1: 'Spawn' is neither a command "
			       "(config|spawn|expect|show|reclaim|shrink-all|switch|sleep|"
			       "compact_memory|file|dropcache|lib) "
			       "nor a process");
}

Test(script_words, keywords_are_fine_as_region_names_and_verbs_as_process_names)
{
	struct script *s = parse_ok("spawn map\nmap map map 1\nmap write map 0\n"
				    "expect map minflt 1\n");

	cr_expect_eq(s->cmds[1].op, SCRIPT_OP_MAP);
	cr_expect_eq(s->cmds[2].op, SCRIPT_OP_TOUCH);
	script_destroy(s);
}

Test(script_words, first_error_stops_the_parse)
{
	/* Line 3 is bad; line 4 would be bad too, but only line 3 is reported. */
	parse_err("spawn P\nP map A 4\nP write A 4\nP frob\n",
		  "t.mms:3:11: page range '4' is outside region A of process 'P' (pages 0-3)");
}

/* ---- files ----------------------------------------------------------------------------------- */

Test(script_file, reads_a_file_and_names_it)
{
	char path[] = "/tmp/mmsim-script-XXXXXX";
	int fd = mkstemp(path);
	struct mmsim_error e = { 0 };
	struct script *s = NULL;
	const char *text = "spawn P\nP map A 4 q\n";

	cr_assert_geq(fd, 0);
	cr_assert_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	cr_expect_eq(script_parse_file(path, NULL, NULL, &s, &e), -EINVAL);
	cr_expect(strstr(e.msg, ":2:11: unknown map option 'q'") != NULL, "%s", e.msg);
	cr_expect(!strncmp(e.msg, path, strlen(path)), "%s", e.msg);
	fd = open(path, O_WRONLY | O_TRUNC);
	cr_assert_eq(write(fd, "spawn P\n", 8), 8);
	close(fd);
	cr_expect_eq(script_parse_file(path, NULL, NULL, &s, &e), 0, "%s", e.msg);
	cr_expect_str_eq(s->name, path);
	script_destroy(s);
	unlink(path);
}

Test(script_file, missing_file_and_directory)
{
	struct mmsim_error e = { 0 };
	struct script *s = NULL;

	cr_expect_eq(script_parse_file("/nonexistent/x.mms", NULL, NULL, &s, &e), -ENOENT);
	cr_expect_str_eq(e.msg, "/nonexistent/x.mms: No such file or directory");
	cr_expect_eq(script_parse_file("/tmp", NULL, NULL, &s, &e), -EISDIR);
	cr_expect_str_eq(e.msg, "/tmp: Is a directory");
}

Test(script_names, for_messages)
{
	cr_expect_str_eq(script_field_name(SCRIPT_FIELD_VMPTE), "vmpte");
	cr_expect_str_eq(script_cmp_name(SCRIPT_CMP_GE), ">=");
	cr_expect_str_eq(script_signal_name(MMSIM_SIG_SEGV_MAPERR), "SEGV_MAPERR");
	cr_expect_str_eq(script_signal_name((enum mmsim_signal)99), "?");
}

Test(script_destroy, accepts_null)
{
	script_destroy(NULL);
}

Test(script_reclaim, sizes_processes_and_advice)
{
	struct script *s =
		parse_ok("spawn P\nP map A 4\nreclaim 4M\nreclaim 16K all\nreclaim 8192 P\n"
			 "shrink-all\nP advise A 0-3 pageout\n");
	const struct script_cmd *c = &s->cmds[2];

	cr_assert_eq(c->op, SCRIPT_OP_RECLAIM);
	cr_assert_eq(c->reclaim.bytes, 4u << 20);
	cr_assert(c->reclaim.all);
	cr_assert_eq(s->cmds[3].reclaim.bytes, 16u << 10);
	cr_assert(s->cmds[3].reclaim.all);
	cr_assert_eq(s->cmds[4].reclaim.bytes, 8192);
	cr_assert_not(s->cmds[4].reclaim.all);
	cr_assert_eq(s->cmds[4].proc, 0);
	cr_assert_eq(s->cmds[5].op, SCRIPT_OP_SHRINK_ALL);
	cr_assert_eq(last(s)->op, SCRIPT_OP_ADVISE);
	cr_assert_eq(last(s)->change.advice, SCRIPT_ADVICE_PAGEOUT);
	script_destroy(s);
}

Test(script_reclaim, malformed_lines_name_the_place)
{
	parse_err("reclaim\n", "t.mms:1:8: missing a size after reclaim (e.g. 4M)");
	parse_err("reclaim 0\n",
		  "t.mms:1:9: bad size '0' (want a number of bytes with K, M or G, not 0)");
	parse_err("reclaim lots\n",
		  "t.mms:1:9: bad size 'lots' (want a number of bytes with K, M or G, not 0)");
	parse_err("reclaim 4M Z\n",
		  "t.mms:1:12: unknown process 'Z' (no spawn or fork created it)");
	parse_err("spawn P\nP exit\nreclaim 4M P\n", "t.mms:3:12: process 'P' exited at line 2");
	parse_err("reclaim 4M all now\n", "t.mms:1:16: unexpected 'now' after the command");
	parse_err("shrink-all now\n", "t.mms:1:12: unexpected 'now' after the command");
	parse_err("switch now\n", "t.mms:1:8: unexpected 'now' after the command");
	parse_err("spawn switch\n", "t.mms:1:7: 'switch' is a keyword and cannot name a process");
	/* expect switch counts from a switch: one must come before it. */
	parse_err("spawn P\nexpect switch pgfault 0\nswitch\n",
		  "t.mms:2:8: expect switch: no switch before this line (mark one with the "
		  "command switch)");
	parse_err("switch\nexpect switch 9lives 0\n", "t.mms:2:15: bad counter name '9lives'");
	parse_err("spawn P\nP map A 4\nP advise A 0 cold\n",
		  "t.mms:3:14: unknown advice 'cold' (want dontneed|pageout|hugepage|nohugepage)");
}

Test(script_files, file_words_parse)
{
	struct script *s = parse_ok("file lib.so-1 16\nspawn P\n"
				    "P map L file lib.so-1 offset=4 shared rx at=0x7f0000000000\n"
				    "P map M file lib.so-1 pages=40 private r\n"
				    "P msync L\nP msync L 2-3\ndropcache lib.so-1\n"
				    "expect cache lib.so-1 >= 2\nexpect P rssfile 8\n"
				    "expect P rssanon 0\nexpect P pss 4\n");

	cr_assert_eq(s->nr_files, 1);
	cr_expect_eq(s->files[0].nr_pages, 16);
	cr_assert_eq(s->cmds[0].op, SCRIPT_OP_FILE);
	cr_expect_str_eq(s->cmds[0].file.name, "lib.so-1");
	cr_assert_eq(s->cmds[2].op, SCRIPT_OP_MAP);
	cr_expect_str_eq(s->cmds[2].map.file, "lib.so-1");
	cr_expect_eq(s->cmds[2].map.offset_pages, 4);
	cr_expect_eq(s->cmds[2].map.nr_pages, 12, "to the file's end");
	cr_expect_eq(s->cmds[2].map.flags, MMSIM_MAP_SHARED | MMSIM_MAP_FIXED);
	cr_expect_eq(s->cmds[3].map.nr_pages, 40, "pages= may pass the end");
	cr_assert_eq(s->cmds[4].op, SCRIPT_OP_MSYNC);
	cr_expect_eq(s->cmds[4].change.range.last, 11);
	cr_expect_eq(s->cmds[5].change.range.first, 2);
	cr_expect_eq(s->cmds[6].op, SCRIPT_OP_DROPCACHE);
	cr_assert_eq(s->cmds[7].op, SCRIPT_OP_EXPECT_CACHE);
	cr_expect_eq(s->cmds[7].expect.cmp, SCRIPT_CMP_GE);
	cr_expect_eq(s->cmds[8].expect.field, SCRIPT_FIELD_RSSFILE);
	cr_expect_eq(s->cmds[9].expect.field, SCRIPT_FIELD_RSSANON);
	cr_expect_eq(s->cmds[10].expect.field, SCRIPT_FIELD_PSS);
	script_destroy(s);
}

Test(script_files, file_errors_name_the_place)
{
	parse_err("file a/b 4\n", "t.mms:1:6: bad file name 'a/b' (want 1 to 32 letters, digits, "
				  "_ . -)");
	parse_err("file a 4\nfile a 2\n", "t.mms:2:6: file 'a' already exists (line 1)");
	parse_err("file a 0\n", "t.mms:1:8: size 0: a region has at least 1 page");
	parse_err("dropcache b\n", "t.mms:1:11: no file 'b' (create it first: file NAME PAGES)");
	parse_err(
		"file a 4\nspawn P\nP map A file a offset=4 private r\n",
		"t.mms:3:14: offset 4 is at or past the end of 'a' (4 pages): give pages=N to map "
		"beyond it");
	parse_err("file a 4\nspawn P\nP map A file a wat\n",
		  "t.mms:3:16: unknown map option 'wat' (want offset=PAGES, pages=N, "
		  "r|rw|rx|rwx|none, private|shared, at=0xADDR, populate)");
	parse_err("spawn file\n", "t.mms:1:7: 'file' is a keyword and cannot name a process");
	parse_err("file a 4\nexpect cache a\n", "t.mms:2:15: missing number of pages");
}

Test(script_files, lib_and_load_parse)
{
	struct script *s = parse_ok("lib libc.so.6 text=6 data=3 bss=2\nlib ld text=1\nspawn P\n"
				    "P load libc.so.6 as C\nP load ld\nP exec C 0-5\n"
				    "P write C 10\nP read ld 0\n");

	cr_assert_eq(s->nr_files, 2);
	cr_expect_eq(s->files[0].nr_pages, 9, "text + data are in the file");
	cr_expect_eq(s->files[0].lib_pages, 11, "text + data + bss");
	cr_assert_eq(s->cmds[0].op, SCRIPT_OP_LIB);
	cr_expect_eq(s->cmds[0].file.text_pages, 6);
	cr_expect_eq(s->cmds[0].file.data_pages, 3);
	cr_expect_eq(s->cmds[0].file.bss_pages, 2);
	cr_expect_eq(s->cmds[1].file.data_pages, 0);
	cr_assert_eq(s->cmds[3].op, SCRIPT_OP_LOAD);
	cr_expect_str_eq(s->cmds[3].load.lib, "libc.so.6");
	cr_expect_str_eq(s->procs[0].regions[s->cmds[3].load.region].name, "C");
	cr_expect_eq(s->procs[0].regions[s->cmds[3].load.region].nr_pages, 11);
	cr_expect_str_eq(s->procs[0].regions[s->cmds[4].load.region].name, "ld");
	script_destroy(s);
}

Test(script_files, lib_and_load_errors_name_the_place)
{
	parse_err("lib a\n", "t.mms:1:6: missing text=PAGES");
	parse_err("lib a data=2\n", "t.mms:1:5: library without text=PAGES (its first segment "
				    "holds the ELF header)");
	parse_err("lib a text=0\n", "t.mms:1:7: 'text=0': the text needs at least 1 page");
	parse_err("lib a text=1 text=2\n", "t.mms:1:14: text= given twice");
	parse_err("lib a text=1 rodata=2\n",
		  "t.mms:1:14: unknown lib option 'rodata=2' (want text=PAGES, data=PAGES, "
		  "bss=PAGES)");
	parse_err("file a 4\nlib a text=1\n", "t.mms:2:5: file 'a' already exists (line 1)");
	parse_err("file a 4\nspawn P\nP load a\n",
		  "t.mms:3:8: 'a' is a plain file, not a library (create it with lib NAME "
		  "text=PAGES [data=PAGES] [bss=PAGES])");
	parse_err("lib a.so text=1\nspawn P\nP load a.so\n",
		  "t.mms:3:8: library 'a.so' is no region name: name the region with as REGION");
	parse_err("lib a text=1\nspawn P\nP map a 1\nP load a\n",
		  "t.mms:4:8: region 'a' already exists in process 'P' (line 3)");
	parse_err("lib a text=1\nspawn P\nP load a to B\n",
		  "t.mms:3:10: unexpected 'to' (want as REGION)");
	parse_err("lib a text=1\nspawn P\nP load a as B C\n",
		  "t.mms:3:15: unexpected 'C' after the command");
	parse_err("spawn lib\n", "t.mms:1:7: 'lib' is a keyword and cannot name a process");
}

Test(script_files, read_file_parses)
{
	struct script *s = parse_ok("file f 64\nspawn P\nP read file f\n"
				    "P read file f pages=8\nP read file f offset=4 pages=2\n"
				    "P map A 4\nP read A 0-3\n");

	cr_assert_eq(s->cmds[2].op, SCRIPT_OP_READ_FILE);
	cr_expect_str_eq(s->cmds[2].read_file.name, "f");
	cr_expect_eq(s->cmds[2].read_file.offset_pages, MMSIM_FILE_POS);
	cr_expect_eq(s->cmds[2].read_file.nr_pages, 1);
	cr_expect_eq(s->cmds[3].read_file.nr_pages, 8);
	cr_expect_eq(s->cmds[4].read_file.offset_pages, 4);
	cr_expect_eq(s->cmds[4].read_file.nr_pages, 2);
	cr_expect_eq(s->cmds[6].op, SCRIPT_OP_TOUCH);
	script_destroy(s);
	parse_err("spawn P\nP read file g\n",
		  "t.mms:2:13: no file 'g' (create it first: file NAME PAGES)");
	parse_err("file f 4\nspawn P\nP read file f pages=0\n",
		  "t.mms:3:15: 'pages=0': want 1 to 2^45 pages");
	parse_err("file f 4\nspawn P\nP read file f offset=1 offset=2\n",
		  "t.mms:3:24: offset= given twice");
	parse_err("file f 4\nspawn P\nP read file f 3\n",
		  "t.mms:3:15: unknown read option '3' (want offset=PAGES, pages=N, "
		  "into=REGION)");
	/* into=R: a region of P that holds the pages read, from its page 0. */
	s = parse_ok("file f 64\nspawn P\nP map B 8\nP read file f pages=8 into=B\n"
		     "P brk +1\nP read file f into=heap\n");
	cr_expect(s->cmds[3].read_file.into);
	cr_expect_eq(s->cmds[3].read_file.region, 1);
	cr_expect_eq(s->cmds[5].read_file.region, SCRIPT_HEAP_REGION);
	script_destroy(s);
	parse_err("file f 4\nspawn P\nP read file f into=B\n", "t.mms:3:20: P has no region 'B'");
	parse_err("file f 64\nspawn P\nP map B 2\nP read file f pages=3 into=B\n",
		  "t.mms:4:23: region B has 2 pages, fewer than the 3 read");
	parse_err("file f 64\nspawn P\nP map B 2\nP read file f into=B into=B\n",
		  "t.mms:4:22: into= given twice");
	parse_err("spawn P\nP map file 4\n",
		  "t.mms:2:7: 'file' starts a file read (P read file NAME); choose another region "
		  "name");
}
