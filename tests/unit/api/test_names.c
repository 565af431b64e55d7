/*
 * tests/unit/api/test_names.c: each list of names lives in one table (issue 12 item 3), and
 * the docs list exactly that table. mmsim_names() reads the tables that the parsers read
 * (policy registry, config keys, the views of mmsim_report(), TLB presets); here each entry
 * must be accepted by its parser, the man page (docs/mmsim.1) must list exactly the
 * table's entries where it lists them, and the reference page under docs/ must name each
 * entry (as `name`).
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mmsim/mmsim.h"

#define MAX_NAMES 64

struct names {
	char buf[1024];
	char *v[MAX_NAMES];
	unsigned int n;
};

/* Splits text at ", " into names, dropping parenthesised remarks and a trailing '.'. */
static void split(struct names *ns, const char *text)
{
	char *tok, *save = NULL;

	snprintf(ns->buf, sizeof(ns->buf), "%s", text);
	ns->n = 0;
	for (tok = strtok_r(ns->buf, ",", &save); tok && ns->n < MAX_NAMES;
	     tok = strtok_r(NULL, ",", &save)) {
		char *end;

		while (*tok == ' ')
			tok++;
		end = tok + strcspn(tok, " (.");
		*end = '\0';
		if (*tok)
			ns->v[ns->n++] = tok;
	}
}

static void table(struct names *ns, enum mmsim_names which)
{
	char buf[1024];

	mmsim_names(which, NULL, buf, sizeof(buf));
	split(ns, buf);
}

static bool has(const struct names *ns, const char *name)
{
	for (unsigned int i = 0; i < ns->n; i++)
		if (!strcmp(ns->v[i], name))
			return true;
	return false;
}

static void same_set(const struct names *want, const struct names *got, const char *what)
{
	for (unsigned int i = 0; i < want->n; i++)
		cr_expect(has(got, want->v[i]), "%s: '%s' is in the table, not in the docs", what,
			  want->v[i]);
	for (unsigned int i = 0; i < got->n; i++)
		cr_expect(has(want, got->v[i]),
			  "%s: the docs list '%s', the table has no such entry", what, got->v[i]);
}

/* A file of the source tree as one string (newlines turned to spaces, man escapes kept). */
static char *slurp(const char *rel)
{
	char path[1024], *text;
	const char *here = __FILE__;
	const char *cut = strstr(here, "tests/unit/api/");
	FILE *f;
	long n;

	cr_assert(cut, "__FILE__ is %s", here);
	snprintf(path, sizeof(path), "%.*s%s", (int)(cut - here), here, rel);
	f = fopen(path, "rb");
	cr_assert(f, "cannot open %s", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	text = calloc(1, (size_t)n + 1);
	cr_assert(text);
	cr_assert_eq(fread(text, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	for (char *p = text; *p; p++)
		if (*p == '\n')
			*p = ' ';
	return text;
}

/* The text between anchor and the first of stop after it, split into names. */
static void doc_list(struct names *ns, const char *text, const char *anchor, const char *stop)
{
	const char *a = strstr(text, anchor);
	char buf[1024];
	size_t len;

	cr_assert(a, "docs/mmsim.1 no longer says '%s'", anchor);
	a += strlen(anchor);
	len = strstr(a, stop) ? (size_t)(strstr(a, stop) - a) : strlen(a);
	snprintf(buf, sizeof(buf), "%.*s", (int)len, a);
	split(ns, buf);
}

static void named_in(const struct names *ns, const char *doc)
{
	char *text = slurp(doc);
	char quoted[96];

	for (unsigned int i = 0; i < ns->n; i++) {
		snprintf(quoted, sizeof(quoted), "`%s`", ns->v[i]);
		cr_expect(strstr(text, quoted), "%s does not name %s", doc, quoted);
	}
	free(text);
}

Test(names, policies)
{
	struct names t, d;
	char *man = slurp("docs/mmsim.1");

	table(&t, MMSIM_NAMES_POLICIES);
	cr_assert_geq(t.n, 7);
	doc_list(&d, man, "Page replacement: ", ".");
	same_set(&t, &d, "mmsim.1 --policy");
	named_in(&t, "docs/policies.md");
	free(man);
}

Test(names, tlb_presets)
{
	struct names t, d;
	char *man = slurp("docs/mmsim.1");

	table(&t, MMSIM_NAMES_TLB_PRESETS);
	cr_assert_geq(t.n, 5);
	doc_list(&d, man, "A TLB preset (", ")");
	same_set(&t, &d, "mmsim.1 --tlb");
	named_in(&t, "docs/tlb.md");
	free(man);
}

Test(names, config_keys)
{
	struct names t, d;
	char *man = slurp("docs/mmsim.1");
	struct mmsim_config c;
	struct mmsim_error err;

	table(&t, MMSIM_NAMES_CONFIG_KEYS);
	mmsim_config_default(&c);
	for (unsigned int i = 0; i < t.n; i++) {
		memset(&err, 0, sizeof(err));
		mmsim_config_set(&c, t.v[i], "no-such-value-\x01", &err);
		cr_expect(!strstr(err.msg, "unknown option"), "%s: %s", t.v[i], err.msg);
	}
	memset(&err, 0, sizeof(err));
	cr_assert_eq(mmsim_config_set(&c, "nokey", "1", &err), -EINVAL);
	cr_expect(strstr(err.msg, "mem, swap, policy"), "%s", err.msg);
	doc_list(&d, man, "Any machine setting: ", ".");
	same_set(&t, &d, "mmsim.1 --config");
	named_in(&t, "docs/run.md");
	free(man);
}

Test(names, views)
{
	struct names sys_t, task_t, d, both;
	char *man = slurp("docs/mmsim.1"), joined[1024];
	struct mmsim_config c;
	struct mmsim_system *sys;
	struct mmsim_task *t;
	char *text, first[32];
	const char *and_first;

	table(&sys_t, MMSIM_NAMES_SYSTEM_VIEWS);
	table(&task_t, MMSIM_NAMES_TASK_VIEWS);
	mmsim_config_default(&c);
	cr_assert_eq(mmsim_system_create(&c, &sys, NULL), 0);
	cr_assert_eq(mmsim_task_spawn(sys, &t), 0);
	for (unsigned int i = 0; i < sys_t.n; i++) {
		cr_expect_eq(mmsim_report(sys, NULL, sys_t.v[i], &text, NULL), 0, "%s", sys_t.v[i]);
		free(text);
	}
	for (unsigned int i = 0; i < task_t.n; i++) {
		cr_expect_eq(mmsim_report(sys, t, task_t.v[i], &text, NULL), 0, "%s", task_t.v[i]);
		free(text);
	}
	mmsim_system_destroy(sys);
	/* "vmstat, ..., layout (the system) and maps, status, smaps (every running process)." */
	doc_list(&d, man, "print these views, comma-separated: ", ".");
	mmsim_names(MMSIM_NAMES_SYSTEM_VIEWS, NULL, joined, sizeof(joined));
	strcat(joined, ", ");
	mmsim_names(MMSIM_NAMES_TASK_VIEWS, NULL, joined + strlen(joined),
		    sizeof(joined) - strlen(joined));
	split(&both, joined);
	/* "layout (the system) and maps" split as "layout": the first process view follows. */
	and_first = strstr(man, "(the system) and ");
	cr_assert(and_first, "docs/mmsim.1 --show: want '(the system) and '");
	and_first += strlen("(the system) and ");
	snprintf(first, sizeof(first), "%.*s", (int)strcspn(and_first, ","), and_first);
	d.v[d.n++] = first;
	same_set(&both, &d, "mmsim.1 --show");
	named_in(&sys_t, "docs/run.md");
	named_in(&task_t, "docs/run.md");
	free(man);
}

/* The library says the version the command says (CMake's PROJECT_VERSION for both). */
Test(names, version_is_major_minor_patch)
{
	const char *v = mmsim_version();
	unsigned int a, b, c;
	char end;

	cr_assert_not_null(v);
	cr_assert_eq(sscanf(v, "%u.%u.%u%c", &a, &b, &c, &end), 3, "%s", v);
}

/* mmsim_name(i) walks the same table as mmsim_names(), in order, and ends with NULL. */
Test(names, one_name_at_a_time_is_the_same_table)
{
	static const enum mmsim_names lists[] = { MMSIM_NAMES_POLICIES, MMSIM_NAMES_CONFIG_KEYS,
						  MMSIM_NAMES_SYSTEM_VIEWS, MMSIM_NAMES_TASK_VIEWS,
						  MMSIM_NAMES_TLB_PRESETS };

	for (unsigned int l = 0; l < sizeof(lists) / sizeof(lists[0]); l++) {
		char all[1024], joined[1024] = "";
		const char *name;
		unsigned int i;

		mmsim_names(lists[l], "|", all, sizeof(all));
		for (i = 0; (name = mmsim_name(lists[l], i)); i++) {
			if (i)
				strcat(joined, "|");
			strcat(joined, name);
		}
		cr_assert_gt(i, 0, "list %u is empty", l);
		cr_assert_str_eq(joined, all, "list %u", l);
		cr_assert_null(mmsim_name(lists[l], i + 5));
	}
}
