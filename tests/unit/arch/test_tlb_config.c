/*
 * tests/unit/arch/test_tlb_config.c: TLB specs: presets, the item syntax, error messages
 * that name the bad item, and format/parse round trips.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>

#include "arch/x86_64/tlb.h"
#include "mmsim/error.h"

static const struct tlb_array_config *find(const struct tlb_config *c, enum tlb_struct_id where,
					   unsigned int sizes)
{
	for (unsigned int i = 0; i < c->nr_arrays; i++) {
		if (c->arrays[i].where == where && c->arrays[i].sizes == sizes)
			return &c->arrays[i];
	}
	return NULL;
}

static void parse_ok(const char *spec, struct tlb_config *c)
{
	struct mmsim_error err = { 0 };

	cr_assert_eq(tlb_config_parse(spec, c, &err), 0, "'%s': %s", spec, err.msg);
}

/* The spec fails and the message is exactly want. */
static void parse_fails(const char *spec, const char *want)
{
	struct tlb_config c;
	struct mmsim_error err = { 0 };

	cr_assert_eq(tlb_config_parse(spec, &c, &err), -EINVAL, "'%s' parsed", spec);
	cr_assert_str_eq(err.msg, want, "'%s'", spec);
}

Test(tlb_config, skylake_has_the_documented_shapes)
{
	struct tlb_config c;
	const struct tlb_array_config *a;

	parse_ok("skylake", &c);
	cr_assert_str_eq(c.name, "skylake");
	a = find(&c, TLB_DTLB, TLB_SIZE_4K);
	cr_assert(a && a->entries == 64 && a->ways == 4);
	a = find(&c, TLB_DTLB, TLB_SIZE_1G);
	cr_assert(a && a->entries == 4 && a->ways == 4);
	a = find(&c, TLB_ITLB, TLB_SIZE_4K);
	cr_assert(a && a->entries == 128 && a->ways == 8);
	a = find(&c, TLB_STLB, TLB_SIZE_4K | TLB_SIZE_2M);
	cr_assert(a && a->entries == 1536 && a->ways == 12);
	a = find(&c, TLB_STLB, TLB_SIZE_1G);
	cr_assert(a && a->entries == 16 && a->ways == 4);
	cr_assert_eq(c.pwc.level[PWC_PDE].entries, 32);
}

Test(tlb_config, empty_spec_is_the_default_preset)
{
	struct tlb_config a, b;

	parse_ok("", &a);
	parse_ok(TLB_CONFIG_DEFAULT, &b);
	cr_assert_eq(memcmp(&a, &b, sizeof(a)), 0);
}

Test(tlb_config, every_preset_builds_and_round_trips)
{
	for (unsigned int i = 0; tlb_preset_name(i); i++) {
		struct tlb_config c, back;
		struct tlb *tlb;
		char buf[1024];

		parse_ok(tlb_preset_name(i), &c);
		cr_assert_not_null(tlb_preset_source(i));
		cr_assert_eq(tlb_create(&c, &tlb), 0, "%s", tlb_preset_name(i));
		tlb_destroy(tlb);
		cr_assert_eq(tlb_config_format(&c, buf, sizeof(buf)), 0);
		parse_ok(buf, &back);
		cr_assert_eq(back.nr_arrays, c.nr_arrays, "%s: %s", tlb_preset_name(i), buf);
		cr_assert_eq(memcmp(back.arrays, c.arrays, sizeof(c.arrays)), 0, "%s", buf);
		cr_assert_eq(memcmp(&back.pwc, &c.pwc, sizeof(c.pwc)), 0, "%s", buf);
	}
}

Test(tlb_config, off_has_nothing)
{
	struct tlb_config c;
	char buf[16];

	parse_ok("off", &c);
	cr_assert_eq(c.nr_arrays, 0);
	for (unsigned int l = 0; l < PWC_NR_LEVELS; l++)
		cr_assert_eq(c.pwc.level[l].entries, 0);
	cr_assert_eq(tlb_config_format(&c, buf, sizeof(buf)), 0);
	cr_assert_str_eq(buf, "off");
}

Test(tlb_config, items_build_and_override)
{
	struct tlb_config c;
	const struct tlb_array_config *a;

	parse_ok("dtlb4k:16x4,dtlb2m1g:8xfull:plru,l2dtlb:512x8,pde:16x4", &c);
	cr_assert_str_eq(c.name, "custom");
	cr_assert_eq(c.nr_arrays, 3);
	a = find(&c, TLB_DTLB, TLB_SIZE_2M | TLB_SIZE_1G);
	cr_assert(a && a->entries == 8 && a->ways == 8 && a->repl == TLB_REPL_PLRU);
	a = find(&c, TLB_L2DTLB, TLB_SIZES_ALL);
	cr_assert(a && a->entries == 512 && a->ways == 8 && a->repl == TLB_REPL_LRU);
	cr_assert_eq(c.pwc.level[PWC_PDE].entries, 16);
	cr_assert_eq(c.pwc.level[PWC_PDPTE].entries, 0, "a spec without a preset starts empty");

	/* After a preset: the same name replaces, :0 removes, pwc:off drops the caches. */
	parse_ok("skylake,dtlb4k:128x8,stlb1g:0,pwc:off", &c);
	cr_assert_str_eq(c.name, "custom");
	a = find(&c, TLB_DTLB, TLB_SIZE_4K);
	cr_assert(a && a->entries == 128 && a->ways == 8);
	cr_assert_null(find(&c, TLB_STLB, TLB_SIZE_1G));
	cr_assert_eq(c.pwc.level[PWC_PDE].entries, 0);

	/* Replacing the shared STLB by split L2 TLBs. */
	parse_ok("skylake,stlb4k2m:0,stlb1g:0,l2dtlb:1024x8,l2itlb4k:256x4", &c);
	cr_assert_not_null(find(&c, TLB_L2ITLB, TLB_SIZE_4K));
}

Test(tlb_config, errors_name_the_item_and_the_reason)
{
	parse_fails("xtlb4k:64x4",
		    "tlb:1: 'xtlb4k:64x4': unknown structure 'xtlb4k' (want dtlb itlb stlb l2dtlb "
		    "l2itlb, with sizes 4k 2m 1g, or pml5e pml4e pdpte pde, or pwc:off)");
	parse_fails(
		"dtlb4k:64x4,itlb3m:8x8",
		"tlb:13: 'itlb3m:8x8': unknown page size '3m' (want 4k, 2m, 1g, e.g. itlb4k2m)");
	parse_fails("dtlb4k4k:64x4", "tlb:1: 'dtlb4k4k:64x4': page size 4k named twice");
	parse_fails("dtlb4k:64x3", "tlb:1: 'dtlb4k:64x3': 64 entries are not a multiple of 3 ways");
	parse_fails("dtlb4k:96x4",
		    "tlb:1: 'dtlb4k:96x4': 96 entries / 4 ways = 24 sets, not a power of two");
	parse_fails("dtlb4k:64y4",
		    "tlb:1: 'dtlb4k:64y4': expected ENTRIESxWAYS[:lru|plru] or 0 after the name");
	parse_fails("dtlb4k:6ax4",
		    "tlb:1: 'dtlb4k:6ax4': bad entry count '6a' (want a decimal number)");
	parse_fails(
		"dtlb4k:64xmany",
		"tlb:1: 'dtlb4k:64xmany': bad way count 'many' (want a decimal number or full)");
	parse_fails("dtlb4k:64x4:mru",
		    "tlb:1: 'dtlb4k:64x4:mru': unknown replacement 'mru' (want lru|plru)");
	parse_fails("stlb:1536x12:plru", "tlb:1: 'stlb:1536x12:plru': plru needs a power-of-two "
					 "number of ways up to 64, not 12");
	parse_fails("dtlb4k:131072x4", "tlb:1: 'dtlb4k:131072x4': 131072 entries (want 1..65536)");
	parse_fails("dtlb4k:64x4,,itlb4k:64x4", "tlb:13: '': empty item");
	parse_fails("dtlb4k:64x4,skylake",
		    "tlb:13: 'skylake': a preset can only be the first item");
	parse_fails("haswell", "tlb:1: 'haswell': unknown preset or missing ':' (presets: skylake "
			       "goldencove zen2 zen3 zen4 off; items: NAME:ENTRIESxWAYS)");
	parse_fails("skylake,pwc:on", "tlb:9: 'pwc:on': want pwc:off");
	parse_fails("skylake,stlb:2048x16",
		    "tlb:9: 'stlb:2048x16': overlaps 'stlb4k2m' (each page size in one array per "
		    "level; write stlb4k2m:0 first to remove it)");
	parse_fails("stlb4k:64x4,l2dtlb4k2m:64x4",
		    "tlb:13: 'l2dtlb4k2m:64x4': overlaps 'stlb4k' (each page size in one array per "
		    "level; write stlb4k:0 first to remove it)");
}

Test(tlb_config, a_failed_parse_leaves_an_empty_config)
{
	struct tlb_config c;

	cr_assert_eq(tlb_config_parse("skylake,bogus", &c, NULL), -EINVAL);
	cr_assert_eq(c.nr_arrays, 0);
}

Test(tlb_config, hand_built_configs_are_validated)
{
	struct tlb_config c = { .nr_arrays = 2 };
	struct mmsim_error err = { 0 };
	struct tlb *tlb;

	c.arrays[0] = (struct tlb_array_config){
		.where = TLB_DTLB, .sizes = TLB_SIZE_4K, .entries = 64, .ways = 4
	};
	c.arrays[1] = (struct tlb_array_config){
		.where = TLB_DTLB, .sizes = TLB_SIZES_ALL, .entries = 8, .ways = 8
	};
	cr_assert_eq(tlb_config_validate(&c, &err), -EINVAL);
	cr_assert_str_eq(err.msg, "tlb: 'dtlb4k2m1g' and 'dtlb4k' hold the same page size");
	cr_assert_eq(tlb_create(&c, &tlb), -EINVAL);
	cr_assert_null(tlb);
	c.arrays[1].sizes = TLB_SIZE_2M;
	cr_assert_eq(tlb_config_validate(&c, &err), 0);
	c.pwc.level[PWC_PDE] = (struct pwc_level_config){ .entries = 24, .ways = 4 };
	cr_assert_eq(tlb_config_validate(&c, &err), -EINVAL);
	cr_assert_str_eq(err.msg, "tlb: 'pde': 24 entries / 4 ways = 6 sets, not a power of two");
}
