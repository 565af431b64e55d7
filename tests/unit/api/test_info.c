/*
 * tests/unit/api/test_info.c: metadata without booting (mmsim/info.h, issue 18). Each
 * listed policy, parameter and TLB preset must be accepted by the parser that boots a
 * system with it (mmsim_config_set() and mmsim_system_create()), each parameter's range
 * must be enforced at its ends, the counters must be those a booted system reports, in its
 * order, and a counter said to be an event must never go down while a run that frees
 * memory again makes some gauge go down. docs/library.md lists every counter with its kind.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mmsim/info.h"
#include "mmsim/mmsim.h"

static int boot_with(const char *key, const char *value)
{
	struct mmsim_config c;
	struct mmsim_system *sys = NULL;
	struct mmsim_error err = { 0 };
	int rc;

	mmsim_config_default(&c);
	c.mem_bytes = UINT64_C(32) << 20;
	rc = mmsim_config_set(&c, key, value, &err);
	if (!rc)
		rc = mmsim_system_create(&c, &sys, &err);
	mmsim_system_destroy(sys);
	return rc;
}

Test(info, policies_match_the_registry)
{
	struct mmsim_policy_info p;
	char names[1024], listed[1024] = "";
	unsigned int n = mmsim_policy_count(), nr_default = 0;

	cr_assert_gt(n, 5);
	for (unsigned int i = 0; i < n; i++) {
		cr_assert_eq(mmsim_policy_info(i, &p), 0);
		cr_expect(p.description && p.description[0], "%s has no description", p.name);
		cr_expect_eq(boot_with("policy", p.name), 0, "policy=%s does not boot", p.name);
		cr_expect(!p.needs_future || p.needs_accesses,
			  "%s: the future implies every access", p.name);
		nr_default += p.is_default;
		snprintf(listed + strlen(listed), sizeof(listed) - strlen(listed), "%s%s",
			 i ? ", " : "", p.name);
	}
	mmsim_names(MMSIM_NAMES_POLICIES, NULL, names, sizeof(names));
	cr_expect_str_eq(listed, names);
	cr_expect_eq(nr_default, 1);
	cr_expect_eq(mmsim_policy_info(n, &p), -ENOENT);
	cr_expect_eq(mmsim_policy_info_find("nosuch", &p), -ENOENT);
	cr_assert_eq(mmsim_policy_info_find("opt", &p), 0);
	cr_expect(p.needs_future);
	cr_assert_eq(mmsim_policy_info_find("linux", &p), 0);
	cr_expect(p.is_default && !p.needs_accesses);
}

/* Every parameter: its default, min and max boot; one past either end is refused. */
Test(info, parameters_and_their_ranges)
{
	struct mmsim_policy_info p;
	unsigned int nr_params = 0;
	char spec[128];

	cr_assert_eq(mmsim_policy_info_find("s3fifo", &p), 0);
	cr_assert_eq(p.nr_params, 4);
	cr_expect_str_eq(p.params[0].name, "move");
	cr_expect_eq(p.params[0].def, 2);
	for (unsigned int i = 0; !mmsim_policy_info(i, &p); i++) {
		for (unsigned int k = 0; k < p.nr_params; k++) {
			const struct mmsim_param_info *a = &p.params[k];
			const uint64_t ok[] = { a->def, a->min, a->max };

			nr_params++;
			cr_expect(a->min <= a->def && a->def <= a->max, "%s:%s", p.name, a->name);
			cr_expect(a->help && a->help[0]);
			for (unsigned int j = 0; j < 3; j++) {
				snprintf(spec, sizeof(spec), "%s:%s=%" PRIu64, p.name, a->name,
					 ok[j]);
				cr_expect_eq(boot_with("policy", spec), 0, "%s refused", spec);
			}
			if (a->min > 0) {
				snprintf(spec, sizeof(spec), "%s:%s=%" PRIu64, p.name, a->name,
					 a->min - 1);
				cr_expect_eq(boot_with("policy", spec), -EINVAL, "%s taken", spec);
			}
			if (a->max < UINT64_MAX) {
				snprintf(spec, sizeof(spec), "%s:%s=%" PRIu64, p.name, a->name,
					 a->max + 1);
				cr_expect_eq(boot_with("policy", spec), -EINVAL, "%s taken", spec);
			}
		}
	}
	cr_expect_geq(nr_params, 4);
}

Test(info, tlb_presets)
{
	struct mmsim_tlb_preset_info t;
	char names[512], listed[512] = "";
	unsigned int n = mmsim_tlb_preset_count(), nr_default = 0, nr_specs = 0;

	cr_assert_gt(n, 2);
	for (unsigned int i = 0; i < n; i++) {
		cr_assert_eq(mmsim_tlb_preset_info(i, &t), 0);
		cr_expect(t.description && t.description[0]);
		cr_expect_eq(boot_with("tlb", t.name), 0, "tlb=%s", t.name);
		/* The spec alone describes the same hierarchy ("" is every access walking), and
		 * every preset's spec fits in struct mmsim_config's tlb[] (skylake's is 141
		 * characters: it did not fit the old 128 bytes). */
		cr_expect_lt(strlen(t.spec), sizeof(((struct mmsim_config *)0)->tlb), "%s: %zu",
			     t.name, strlen(t.spec));
		if (t.spec[0]) {
			cr_expect_eq(boot_with("tlb", t.spec), 0, "tlb=%s", t.spec);
			nr_specs++;
		}
		nr_default += t.is_default;
		snprintf(listed + strlen(listed), sizeof(listed) - strlen(listed), "%s%s",
			 i ? ", " : "", t.name);
	}
	mmsim_names(MMSIM_NAMES_TLB_PRESETS, NULL, names, sizeof(names));
	cr_expect_str_eq(listed, names);
	cr_expect_eq(nr_default, 1);
	cr_expect_eq(nr_specs, n - 1, "every preset but off has a spec");
	cr_expect_eq(mmsim_tlb_preset_info(n, &t), -ENOENT);
}

struct seen {
	unsigned int n;
	const char *names[256];
	uint64_t values[256];
};

static void collect(void *ctx, const char *name, uint64_t value)
{
	struct seen *s = ctx;

	if (s->n < 256) {
		s->names[s->n] = name;
		s->values[s->n] = value;
	}
	s->n++;
}

Test(info, counters_are_the_systems)
{
	struct mmsim_config c;
	struct mmsim_system *sys;
	struct mmsim_counter_info ci;
	struct seen s = { 0 };

	mmsim_config_default(&c);
	cr_assert_eq(mmsim_system_create(&c, &sys, NULL), 0);
	mmsim_counters_foreach(sys, collect, &s);
	/* In the info order; the THP, compaction, workingset and file counters, all zero
	 * here, are left out. */
	cr_assert_lt(s.n, mmsim_counter_count());
	for (unsigned int i = 0, j = 0; j < s.n; i++, j++) {
		cr_assert_eq(mmsim_counter_info(i, &ci), 0);
		while (strcmp(ci.name, s.names[j])) {
			cr_expect(!strncmp(ci.name, "thp_", 4) ||
					  !strncmp(ci.name, "compact_", 8) ||
					  !strncmp(ci.name, "pgmigrate_", 10) ||
					  !strncmp(ci.name, "workingset_", 11) ||
					  !strncmp(ci.name, "file_", 5) ||
					  !strcmp(ci.name, "nr_anon_transparent_hugepages"),
				  "%s is missing from the counters", ci.name);
			cr_assert_eq(mmsim_counter_info(++i, &ci), 0, "%s out of order",
				     s.names[j]);
		}
	}
	cr_expect_eq(mmsim_counter_info(mmsim_counter_count(), &ci), -ENOENT);
	cr_assert_eq(mmsim_counter_info_find("nr_free_pages", &ci), 0);
	cr_expect_eq(ci.kind, MMSIM_COUNTER_GAUGE);
	cr_assert_eq(mmsim_counter_info_find("pgfault", &ci), 0);
	cr_expect_eq(ci.kind, MMSIM_COUNTER_EVENT);
	cr_assert_eq(mmsim_counter_info_find("dTLB-load-misses", &ci), 0);
	cr_expect_eq(ci.kind, MMSIM_COUNTER_EVENT);
	cr_expect_str_eq(ci.group, "tlb");
	cr_expect_eq(mmsim_counter_info_find("nosuch", &ci), -ENOENT);
	mmsim_system_destroy(sys);
}

/* The file I/O counters, which a system reports once a file was read, are listed too, as
 * events, in the system's order. */
Test(info, file_counters_are_listed)
{
	struct mmsim_config c;
	struct mmsim_system *sys;
	struct mmsim_task *t;
	struct mmsim_counter_info ci;
	struct seen s = { 0 };
	unsigned int files = 0, prev = 0;
	uint64_t read = 0;

	mmsim_config_default(&c);
	c.mem_bytes = UINT64_C(32) << 20;
	cr_assert_eq(mmsim_system_create(&c, &sys, NULL), 0);
	cr_assert_eq(mmsim_file_create(sys, "f", 64), 0);
	cr_assert_eq(mmsim_file_drop_cache(sys, "f", NULL), 0);
	cr_assert_eq(mmsim_task_spawn(sys, &t), 0);
	cr_assert_eq(mmsim_file_read(t, "f", 0, 8, &read), 0);
	cr_assert_eq(read, 8);
	mmsim_counters_foreach(sys, collect, &s);
	for (unsigned int j = 0; j < s.n; j++) {
		unsigned int i;

		cr_assert_eq(mmsim_counter_info_find(s.names[j], &ci), 0, "%s is not listed",
			     s.names[j]);
		for (i = 0; strcmp(mmsim_counter_info(i, &ci) ? "" : ci.name, s.names[j]); i++)
			;
		cr_expect(j == 0 || i > prev, "%s out of order", s.names[j]);
		prev = i;
		if (!strncmp(s.names[j], "file_", 5)) {
			files++;
			cr_expect_eq(ci.kind, MMSIM_COUNTER_EVENT, "%s", ci.name);
			cr_expect_str_eq(ci.group, "file");
		}
	}
	cr_expect_gt(files, 0, "no file counter reported: the test would not see them");
	mmsim_system_destroy(sys);
}

/*
 * The kinds hold in a run: map, touch, swap out under pressure, fork, unmap, exit. After
 * each step every event counter is at least what it was; some gauge went down somewhere.
 */
Test(info, events_never_decrease)
{
	struct mmsim_config c;
	struct mmsim_system *sys;
	struct mmsim_task *t, *child;
	struct seen before = { 0 }, after;
	uint64_t addr;
	bool gauge_fell = false;

	mmsim_config_default(&c);
	c.mem_bytes = UINT64_C(24) << 20;
	c.swap_bytes = UINT64_C(64) << 20;
	c.data_mode = false;
	cr_assert_eq(mmsim_system_create(&c, &sys, NULL), 0);
	cr_assert_eq(mmsim_task_spawn(sys, &t), 0);
	mmsim_counters_foreach(sys, collect, &before);
	for (unsigned int step = 0; step < 6; step++) {
		const uint64_t len = UINT64_C(12) << 20;

		cr_assert_eq(mmsim_mmap(t, 0, len, MMSIM_PROT_READ | MMSIM_PROT_WRITE,
					MMSIM_MAP_PRIVATE | MMSIM_MAP_ANONYMOUS, &addr),
			     0);
		for (uint64_t off = 0; off < len; off += 4096)
			mmsim_access(t, addr + off, MMSIM_ACCESS_WRITE, true);
		cr_assert_eq(mmsim_task_fork(t, &child), 0);
		mmsim_access(child, addr, MMSIM_ACCESS_WRITE, true);
		mmsim_task_exit(child);
		if (step % 2)
			cr_assert_eq(mmsim_munmap(t, addr, len), 0);
		after = (struct seen){ 0 };
		mmsim_counters_foreach(sys, collect, &after);
		cr_assert_eq(after.n, before.n);
		for (unsigned int i = 0; i < after.n; i++) {
			struct mmsim_counter_info ci;

			cr_assert_eq(mmsim_counter_info(i, &ci), 0);
			if (ci.kind == MMSIM_COUNTER_EVENT)
				cr_expect_geq(after.values[i], before.values[i],
					      "event %s went from %" PRIu64 " to %" PRIu64
					      " at step %u",
					      ci.name, before.values[i], after.values[i], step);
			else if (after.values[i] < before.values[i])
				gauge_fell = true;
		}
		before = after;
	}
	cr_expect(gauge_fell, "no gauge ever went down: the test would not tell kinds apart");
	mmsim_system_destroy(sys);
}

/* docs/library.md has a row "| `NAME` | event |" or "| `NAME` | gauge |" per counter. */
Test(info, counters_documented_with_their_kind)
{
	const char *here = __FILE__, *cut = strstr(here, "tests/unit/api/");
	char path[1024], row[160], *text;
	struct mmsim_counter_info ci;
	FILE *f;
	long n;

	cr_assert(cut);
	snprintf(path, sizeof(path), "%.*sdocs/library.md", (int)(cut - here), here);
	f = fopen(path, "rb");
	cr_assert(f, "cannot open %s", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	text = calloc(1, (size_t)n + 1);
	cr_assert(text);
	cr_assert_eq(fread(text, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	for (unsigned int i = 0; !mmsim_counter_info(i, &ci); i++) {
		snprintf(row, sizeof(row), "| `%s` | %s |", ci.name,
			 ci.kind == MMSIM_COUNTER_EVENT ? "event" : "gauge");
		cr_expect(strstr(text, row), "docs/library.md lacks the row '%s'", row);
	}
	free(text);
}
