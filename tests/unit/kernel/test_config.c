/*
 * tests/unit/kernel/test_config.c: the ways a machine is refused. mmsim_parse_size() takes
 * what the options take and refuses the rest (no sign, unknown suffix, overflow);
 * mmsim_config_set() names the key and what it wants; mmsim_system_create() refuses a bad
 * layout, levels, policy, reclaim mode, frame cap, TLB spec or RAM size with -EINVAL or
 * -ENOMEM and a message, and never leaves a half-built machine behind (ASan checks leaks).
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "mmsim/mmsim.h"

Test(config, sizes_parse_with_every_suffix)
{
	static const struct {
		const char *text;
		uint64_t bytes;
	} ok[] = {
		{ "0", 0 },
		{ "4096", 4096 },
		{ "64K", 64 << 10 },
		{ "64k", 64 << 10 },
		{ "256M", UINT64_C(256) << 20 },
		{ "2G", UINT64_C(2) << 30 },
		{ "1T", UINT64_C(1) << 40 },
		{ "4KiB", 4096 },
		{ "4KB", 4096 },
		{ "0x1000", 4096 },
		{ "16777215T", UINT64_C(16777215) << 40 },
	};

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		uint64_t v = 1;

		cr_assert_eq(mmsim_parse_size(ok[i].text, &v), 0, "%s", ok[i].text);
		cr_assert_eq(v, ok[i].bytes, "%s: %llu", ok[i].text, (unsigned long long)v);
	}
}

Test(config, bad_sizes_are_refused)
{
	static const char *const bad[] = {
		"",
		"-1",
		"+4",
		" 4",
		"4 ",
		"K",
		"4Q",
		"4KK",
		"4Ki",
		"4MiBs",
		"1.5G",
		"16777216T",
		"99999999999999999999",
		"18446744073709551615K",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		uint64_t v = 7;

		cr_assert_eq(mmsim_parse_size(bad[i], &v), -EINVAL, "'%s' accepted", bad[i]);
		cr_assert_eq(v, 7, "'%s' wrote the result", bad[i]);
	}
	cr_assert_eq(mmsim_parse_size(NULL, &(uint64_t){ 0 }), -EINVAL);
}

Test(config, bad_settings_name_the_key)
{
	static const struct {
		const char *key, *value, *want;
	} bad[] = {
		{ "mem", "lots", "mem=lots" },
		{ "swap", "-1", "swap=-1" },
		{ "reclaim", "lazy", "want linux or demand" },
		{ "frames", "many", "frames=many" },
		{ "levels", "3", "levels=3: want 4 or 5" },
		{ "pcid", "maybe", "pcid=maybe" },
		{ "data", "2", "data=2" },
		{ "paranoid", "sure", "paranoid=sure" },
		{ "policy", "a-policy-name-and-parameters-longer-than-the-field-of-48",
		  "name too long" },
		{ "colour", "blue", "unknown option 'colour'" },
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct mmsim_config c;
		struct mmsim_error err = { 0 };

		mmsim_config_default(&c);
		cr_assert_eq(mmsim_config_set(&c, bad[i].key, bad[i].value, &err), -EINVAL,
			     "%s=%s accepted", bad[i].key, bad[i].value);
		cr_assert(strstr(err.msg, bad[i].want) != NULL, "%s=%s: want '%s' in: %s",
			  bad[i].key, bad[i].value, bad[i].want, err.msg);
	}
}

/* mmsim_system_create() on the default config changed by set(), must fail with rc. */
static void refused(void (*set)(struct mmsim_config *), int rc, const char *want)
{
	struct mmsim_config c;
	struct mmsim_error err = { 0 };
	struct mmsim_system *sys = (struct mmsim_system *)&c; /* must not be touched */

	mmsim_config_default(&c);
	set(&c);
	cr_assert_eq(mmsim_system_create(&c, &sys, &err), rc, "want %d (%s), msg: %s", rc, want,
		     err.msg);
	cr_assert(strstr(err.msg, want) != NULL, "want '%s' in: %s", want, err.msg);
}

static void bad_layout(struct mmsim_config *c)
{
	snprintf(c->layout, 16, "flat");
}
static void bad_levels(struct mmsim_config *c)
{
	c->levels = 5;
}
static void bad_policy(struct mmsim_config *c)
{
	snprintf(c->policy, 16, "belady");
}
static void bad_reclaim(struct mmsim_config *c)
{
	snprintf(c->reclaim, 16, "never");
}
static void too_many_frames(struct mmsim_config *c)
{
	c->frames = (c->mem_bytes >> 12) + 1;
}
static void bad_tlb(struct mmsim_config *c)
{
	snprintf(c->tlb, 128, "l9=banana");
}
static void odd_mem(struct mmsim_config *c)
{
	c->mem_bytes = (UINT64_C(16) << 20) + 100;
}
static void no_mem(struct mmsim_config *c)
{
	c->mem_bytes = 0;
}
static void huge_mem(struct mmsim_config *c)
{
	c->mem_bytes = UINT64_C(1) << 62;
}

Test(config, system_create_refusals)
{
	refused(bad_layout, -EINVAL, "layout=flat");
	refused(bad_levels, -EINVAL, "levels=5 does not fit layout=modern");
	refused(bad_policy, -EINVAL, "unknown policy 'belady' (want one of: ");
	refused(bad_reclaim, -EINVAL, "reclaim=never");
	refused(too_many_frames, -EINVAL, "more than the");
	refused(bad_tlb, -EINVAL, "l9");
	refused(odd_mem, -EINVAL, "mem=");
	refused(no_mem, -EINVAL, "mem=");
	refused(huge_mem, -ENOMEM, "simulated RAM");
}
