/*
 * arch/x86_64/tlb_config.c: TLB specs: parsing, presets, validation, formatting (tlb.h).
 *
 * A preset is itself a spec, parsed by the same code, so there is one source of truth for
 * what each name means. Sizes come from the vendors' optimisation manuals where this file
 * says so; paging-structure-cache sizes are not published by either vendor and are an
 * assumption (mmsim: docs/tlb.md says which figures are which).
 */
#include "arch/x86_64/tlb.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "mmsim/error.h"
#include "util/macros.h"

/*
 * mmsim: Intel and AMD do not publish paging-structure-cache sizes; these are assumed,
 * small fully associative caches. Every preset uses them so that presets differ only in
 * documented figures.
 */
#define PWC_ASSUMED "pml5e:2xfull,pml4e:2xfull,pdpte:4xfull,pde:32xfull"

struct tlb_preset {
	const char *name;
	const char *spec;
	const char *source;
	bool meltdown; /* the CPU has Meltdown (Linux X86_BUG_CPU_MELTDOWN: PTI on by default) */
};

static const struct tlb_preset presets[] = {
	{
		.name = "skylake",
		.spec = "dtlb4k:64x4,dtlb2m:32x4,dtlb1g:4x4,itlb4k:128x8,itlb2m:8xfull,"
			"stlb4k2m:1536x12,stlb1g:16x4," PWC_ASSUMED,
		.source = "Intel Skylake client: Intel 64 and IA-32 Architectures Optimization "
			  "Reference Manual (248966-045), table 2-15",
		.meltdown = true,
	},
	{
		.name = "goldencove",
		.spec = "dtlb4k:96x6,dtlb2m:32x4,dtlb1g:8xfull,itlb4k:256x8,itlb2m:32x8,"
			"stlb:2048x16," PWC_ASSUMED,
		.source = "Intel Golden Cove (Alder Lake P-core): Hennessy & Patterson, Computer "
			  "Architecture: A Quantitative Approach, 7th ed., Core i9-12900",
	},
	{
		.name = "zen2",
		.spec = "dtlb:64xfull,itlb:64xfull,"
			"l2dtlb4k2m:2048x16,l2itlb4k2m:512x8," PWC_ASSUMED,
		.source = "AMD Zen 2: AMD Family 17h optimization guide (via WikiChip), 7-cpu.com; "
			  "the 12-way skewed L2 DTLB modelled 16-way",
	},
	{
		.name = "zen3",
		.spec = "dtlb:64xfull,itlb:64xfull,"
			"l2dtlb4k2m:2048x16,l2itlb4k2m:512x8," PWC_ASSUMED,
		.source = "AMD Zen 3: sizes as Zen 2 (AMD Family 19h guide 56665, not rechecked "
			  "here; docs/tlb.md)",
	},
	{
		.name = "zen4",
		.spec = "dtlb:72xfull,itlb:64xfull,"
			"l2dtlb4k2m:3072x24,l2itlb4k2m:512x8," PWC_ASSUMED,
		.source = "AMD Zen 4: AMD Zen 4 optimization guide (57647), not rechecked here; "
			  "L2 DTLB ways assumed (docs/tlb.md)",
	},
	{
		.name = "off",
		.spec = "",
		.source = "no TLB and no paging-structure cache: every access walks from CR3",
	},
};

#define NR_PRESETS (ARRAY_SIZE(presets))

const char *tlb_preset_name(unsigned int i)
{
	return i < NR_PRESETS ? presets[i].name : NULL;
}

const char *tlb_preset_source(unsigned int i)
{
	return i < NR_PRESETS ? presets[i].source : NULL;
}

const char *tlb_preset_spec(unsigned int i)
{
	return i < NR_PRESETS ? presets[i].spec : NULL;
}

static const char *const struct_names[TLB_NR_STRUCTS] = {
	[TLB_DTLB] = "dtlb",	 [TLB_ITLB] = "itlb",	  [TLB_STLB] = "stlb",
	[TLB_L2DTLB] = "l2dtlb", [TLB_L2ITLB] = "l2itlb",
};

const char *tlb_struct_name(enum tlb_struct_id where)
{
	return where < TLB_NR_STRUCTS ? struct_names[where] : "?";
}

static const char *const size_names[] = { "4k", "2m", "1g" };

#define NR_SIZE_NAMES 3
#define ITEM_MAX 64 /* longest item accepted, in characters */
#define NAME_MAX_LEN 24

/* "stlb4k2m": the name an array has in a spec. */
static void array_name(enum tlb_struct_id where, unsigned int sizes, char *buf, size_t size)
{
	size_t n = (size_t)snprintf(buf, size, "%s", struct_names[where]);

	for (unsigned int i = 0; i < NR_SIZE_NAMES && n < size; i++) {
		if (sizes & (1u << i))
			n += (size_t)snprintf(buf + n, size - n, "%s", size_names[i]);
	}
}

/* Two structures are looked up by the same access at the same level. */
static bool same_lookup_level(enum tlb_struct_id a, enum tlb_struct_id b)
{
	if (a == b)
		return true;
	if (a == TLB_STLB)
		return b == TLB_L2DTLB || b == TLB_L2ITLB;
	if (b == TLB_STLB)
		return a == TLB_L2DTLB || a == TLB_L2ITLB;
	return false;
}

/* The shape rules of tlb_repl and of set indexing; a reason in why, or 0. */
static int check_shape(unsigned int entries, unsigned int ways, enum tlb_repl_kind repl, char *why,
		       size_t size)
{
	unsigned int nr_sets;

	if (entries == 0 || entries > TLB_MAX_ENTRIES) {
		snprintf(why, size, "%u entries (want 1..%u)", entries, TLB_MAX_ENTRIES);
		return -EINVAL;
	}
	if (ways == 0 || ways > TLB_MAX_WAYS) {
		snprintf(why, size, "%u ways (want 1..%u)", ways, TLB_MAX_WAYS);
		return -EINVAL;
	}
	if (entries % ways) {
		snprintf(why, size, "%u entries are not a multiple of %u ways", entries, ways);
		return -EINVAL;
	}
	nr_sets = entries / ways;
	if (nr_sets & (nr_sets - 1)) {
		snprintf(why, size, "%u entries / %u ways = %u sets, not a power of two", entries,
			 ways, nr_sets);
		return -EINVAL;
	}
	if (!tlb_repl_supports(repl, ways)) {
		snprintf(why, size, "plru needs a power-of-two number of ways up to %u, not %u",
			 TLB_REPL_PLRU_MAX_WAYS, ways);
		return -EINVAL;
	}
	return 0;
}

int tlb_config_validate(const struct tlb_config *cfg, struct mmsim_error *err)
{
	char why[128];
	char name[NAME_MAX_LEN];
	char other[NAME_MAX_LEN];

	if (cfg->nr_arrays > TLB_MAX_ARRAYS)
		return mmsim_error_set(err, -EINVAL, "tlb: %u arrays (at most %u)", cfg->nr_arrays,
				       TLB_MAX_ARRAYS);
	for (unsigned int i = 0; i < cfg->nr_arrays; i++) {
		const struct tlb_array_config *a = &cfg->arrays[i];

		if (a->where >= TLB_NR_STRUCTS || a->sizes == 0 || (a->sizes & ~TLB_SIZES_ALL))
			return mmsim_error_set(err, -EINVAL,
					       "tlb: array %u: bad structure or sizes", i);
		array_name(a->where, a->sizes, name, sizeof(name));
		if (check_shape(a->entries, a->ways, a->repl, why, sizeof(why)))
			return mmsim_error_set(err, -EINVAL, "tlb: '%s': %s", name, why);
		for (unsigned int j = 0; j < i; j++) {
			const struct tlb_array_config *b = &cfg->arrays[j];

			if (!same_lookup_level(a->where, b->where) || !(a->sizes & b->sizes))
				continue;
			array_name(b->where, b->sizes, other, sizeof(other));
			return mmsim_error_set(err, -EINVAL,
					       "tlb: '%s' and '%s' hold the same page size", name,
					       other);
		}
	}
	for (unsigned int l = 0; l < PWC_NR_LEVELS; l++) {
		const struct pwc_level_config *c = &cfg->pwc.level[l];

		if (c->entries && check_shape(c->entries, c->ways, c->repl, why, sizeof(why)))
			return mmsim_error_set(err, -EINVAL, "tlb: '%s': %s",
					       pwc_level_name((enum pwc_level)l), why);
	}
	return 0;
}

/* --- parsing --------------------------------------------------------------------------- */

/* One comma-separated item of a spec, with its place for error messages. */
struct item {
	char text[ITEM_MAX + 1];
	unsigned int column; /* 1-based offset of the item in the spec */
	bool from_preset;    /* the item came from expanding a preset (a bug if it fails) */
};

static int item_error(struct mmsim_error *err, const struct item *it, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int item_error(struct mmsim_error *err, const struct item *it, const char *fmt, ...)
{
	char why[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	return mmsim_error_set(err, -EINVAL, "tlb:%u: '%s': %s%s", it->column, it->text, why,
			       it->from_preset ? " (in a preset)" : "");
}

/* A decimal number without sign, from s to the end or to the first of stops. */
static bool parse_uint(const char *s, size_t len, unsigned int *out)
{
	uint64_t v = 0;

	if (len == 0 || len > 9)
		return false;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	*out = (unsigned int)v;
	return true;
}

/* "64x4", "8xfull", "64x4:plru", or "0". */
static int parse_shape(const char *s, const struct item *it, unsigned int *entries,
		       unsigned int *ways, enum tlb_repl_kind *repl, struct mmsim_error *err)
{
	const char *x = strchr(s, 'x');
	const char *colon = strchr(s, ':');
	const char *ways_end = colon ? colon : s + strlen(s);
	char why[128];

	*repl = TLB_REPL_LRU;
	if (strcmp(s, "0") == 0) {
		*entries = 0;
		*ways = 0;
		return 0;
	}
	if (!x || (colon && colon < x))
		return item_error(err, it, "expected ENTRIESxWAYS[:lru|plru] or 0 after the name");
	if (!parse_uint(s, (size_t)(x - s), entries))
		return item_error(err, it, "bad entry count '%.*s' (want a decimal number)",
				  (int)(x - s), s);
	if ((size_t)(ways_end - (x + 1)) == 4 && strncmp(x + 1, "full", 4) == 0)
		*ways = *entries;
	else if (!parse_uint(x + 1, (size_t)(ways_end - (x + 1)), ways))
		return item_error(err, it, "bad way count '%.*s' (want a decimal number or full)",
				  (int)(ways_end - (x + 1)), x + 1);
	if (colon) {
		if (strcmp(colon + 1, "lru") == 0)
			*repl = TLB_REPL_LRU;
		else if (strcmp(colon + 1, "plru") == 0)
			*repl = TLB_REPL_PLRU;
		else
			return item_error(err, it, "unknown replacement '%s' (want lru|plru)",
					  colon + 1);
	}
	if (check_shape(*entries, *ways, *repl, why, sizeof(why)))
		return item_error(err, it, "%s", why);
	return 0;
}

/* "stlb4k2m" -> structure and sizes. 0, 1 when name is no TLB structure, or -EINVAL. */
static int parse_tlb_name(const char *name, const struct item *it, enum tlb_struct_id *where,
			  unsigned int *sizes, struct mmsim_error *err)
{
	/* Longest names first: "l2dtlb" must not be read as something ending in "dtlb". */
	static const enum tlb_struct_id order[] = { TLB_L2DTLB, TLB_L2ITLB, TLB_DTLB, TLB_ITLB,
						    TLB_STLB };
	const char *rest = NULL;

	for (unsigned int i = 0; i < ARRAY_SIZE(order); i++) {
		size_t n = strlen(struct_names[order[i]]);

		if (strncmp(name, struct_names[order[i]], n) == 0) {
			*where = order[i];
			rest = name + n;
			break;
		}
	}
	if (!rest)
		return 1;
	*sizes = 0;
	while (*rest) {
		unsigned int i;

		for (i = 0; i < NR_SIZE_NAMES; i++) {
			if (strncmp(rest, size_names[i], 2) == 0)
				break;
		}
		if (i == NR_SIZE_NAMES)
			return item_error(err, it,
					  "unknown page size '%s' (want 4k, 2m, 1g, e.g. %s4k2m)",
					  rest, struct_names[*where]);
		if (*sizes & (1u << i))
			return item_error(err, it, "page size %s named twice", size_names[i]);
		*sizes |= 1u << i;
		rest += 2;
	}
	if (*sizes == 0)
		*sizes = TLB_SIZES_ALL;
	return 0;
}

static int apply_tlb_item(struct tlb_config *cfg, const struct item *it, enum tlb_struct_id where,
			  unsigned int sizes, const char *shape, struct mmsim_error *err)
{
	struct tlb_array_config a = { .where = where, .sizes = sizes };
	unsigned int slot = cfg->nr_arrays;
	char other[NAME_MAX_LEN];
	int ret = parse_shape(shape, it, &a.entries, &a.ways, &a.repl, err);

	if (ret)
		return ret;
	for (unsigned int i = 0; i < cfg->nr_arrays; i++) {
		const struct tlb_array_config *b = &cfg->arrays[i];

		if (b->where == where && b->sizes == sizes) {
			slot = i;
			continue;
		}
		if (a.entries && same_lookup_level(where, b->where) && (sizes & b->sizes)) {
			array_name(b->where, b->sizes, other, sizeof(other));
			return item_error(err, it,
					  "overlaps '%s' (each page size in one array per "
					  "level; write %s:0 first to remove it)",
					  other, other);
		}
	}
	if (a.entries == 0) {
		if (slot < cfg->nr_arrays) {
			memmove(&cfg->arrays[slot], &cfg->arrays[slot + 1],
				(cfg->nr_arrays - slot - 1) * sizeof(cfg->arrays[0]));
			cfg->nr_arrays--;
		}
		return 0;
	}
	if (slot == cfg->nr_arrays) {
		if (cfg->nr_arrays == TLB_MAX_ARRAYS)
			return item_error(err, it, "too many arrays (at most %u)", TLB_MAX_ARRAYS);
		cfg->nr_arrays++;
	}
	cfg->arrays[slot] = a;
	return 0;
}

static int apply_pwc_item(struct tlb_config *cfg, const struct item *it, enum pwc_level level,
			  const char *shape, struct mmsim_error *err)
{
	struct pwc_level_config c;
	int ret = parse_shape(shape, it, &c.entries, &c.ways, &c.repl, err);

	if (ret)
		return ret;
	cfg->pwc.level[level] = c;
	return 0;
}

static int parse_spec(const char *spec, struct tlb_config *cfg, bool from_preset,
		      struct mmsim_error *err);

static int apply_preset(const char *name, struct tlb_config *cfg, const struct item *it, bool first,
			struct mmsim_error *err)
{
	for (unsigned int i = 0; i < NR_PRESETS; i++) {
		if (strcmp(name, presets[i].name) != 0)
			continue;
		if (!first || it->from_preset)
			return item_error(err, it, "a preset can only be the first item");
		memset(cfg, 0, sizeof(*cfg));
		if (presets[i].spec[0] && parse_spec(presets[i].spec, cfg, true, err))
			return -EINVAL;
		snprintf(cfg->name, sizeof(cfg->name), "%s", presets[i].name);
		cfg->meltdown = presets[i].meltdown;
		return 0;
	}
	return item_error(
		err, it,
		"unknown preset or missing ':' (presets: skylake goldencove zen2 zen3 zen4 "
		"off; items: NAME:ENTRIESxWAYS)");
}

static int parse_item(struct tlb_config *cfg, const struct item *it, bool first,
		      struct mmsim_error *err)
{
	char name[ITEM_MAX + 1];
	const char *colon = strchr(it->text, ':');
	enum tlb_struct_id where;
	unsigned int sizes;
	int ret;

	if (!colon)
		return apply_preset(it->text, cfg, it, first, err);
	snprintf(name, sizeof(name), "%.*s", (int)(colon - it->text), it->text);
	if (strcmp(name, "pwc") == 0) {
		if (strcmp(colon + 1, "off") != 0)
			return item_error(err, it, "want pwc:off");
		memset(&cfg->pwc, 0, sizeof(cfg->pwc));
		return 0;
	}
	for (unsigned int l = 0; l < PWC_NR_LEVELS; l++) {
		if (strcmp(name, pwc_level_name((enum pwc_level)l)) == 0)
			return apply_pwc_item(cfg, it, (enum pwc_level)l, colon + 1, err);
	}
	ret = parse_tlb_name(name, it, &where, &sizes, err);
	if (ret > 0)
		return item_error(err, it,
				  "unknown structure '%s' (want dtlb itlb stlb l2dtlb l2itlb, with "
				  "sizes 4k 2m 1g, or pml5e pml4e pdpte pde, or pwc:off)",
				  name);
	if (ret)
		return ret;
	return apply_tlb_item(cfg, it, where, sizes, colon + 1, err);
}

static int parse_spec(const char *spec, struct tlb_config *cfg, bool from_preset,
		      struct mmsim_error *err)
{
	const char *p = spec;
	bool first = true;

	for (;;) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		struct item it = { .column = (unsigned int)(p - spec) + 1,
				   .from_preset = from_preset };
		int ret;

		snprintf(it.text, sizeof(it.text), "%.*s", (int)(len > ITEM_MAX ? ITEM_MAX : len),
			 p);
		if (len == 0)
			return item_error(err, &it, "empty item");
		if (len > ITEM_MAX)
			return item_error(err, &it, "item longer than %d characters", ITEM_MAX);
		ret = parse_item(cfg, &it, first, err);
		if (ret)
			return ret;
		/* Only a spec that is exactly one preset keeps the preset's name. */
		if (!first || strchr(it.text, ':'))
			snprintf(cfg->name, sizeof(cfg->name), "custom");
		first = false;
		if (!end)
			return 0;
		p = end + 1;
	}
}

int tlb_config_parse(const char *spec, struct tlb_config *cfg, struct mmsim_error *err)
{
	memset(cfg, 0, sizeof(*cfg));
	if (!spec || !*spec)
		spec = TLB_CONFIG_DEFAULT;
	if (parse_spec(spec, cfg, false, err)) {
		memset(cfg, 0, sizeof(*cfg));
		return -EINVAL;
	}
	return 0;
}

/* --- formatting ------------------------------------------------------------------------ */

static int append_shape(char *buf, size_t size, size_t *n, const char *name, unsigned int entries,
			unsigned int ways, enum tlb_repl_kind repl)
{
	int w;

	if (ways == entries && entries > 1)
		w = snprintf(buf + *n, size - *n, "%s%s:%uxfull%s", *n ? "," : "", name, entries,
			     repl == TLB_REPL_PLRU ? ":plru" : "");
	else
		w = snprintf(buf + *n, size - *n, "%s%s:%ux%u%s", *n ? "," : "", name, entries,
			     ways, repl == TLB_REPL_PLRU ? ":plru" : "");
	if (w < 0 || (size_t)w >= size - *n)
		return -ENOSPC;
	*n += (size_t)w;
	return 0;
}

int tlb_config_format(const struct tlb_config *cfg, char *buf, size_t size)
{
	char name[NAME_MAX_LEN];
	size_t n = 0;

	if (size == 0)
		return -ENOSPC;
	buf[0] = '\0';
	for (unsigned int i = 0; i < cfg->nr_arrays; i++) {
		const struct tlb_array_config *a = &cfg->arrays[i];

		array_name(a->where, a->sizes, name, sizeof(name));
		if (append_shape(buf, size, &n, name, a->entries, a->ways, a->repl))
			return -ENOSPC;
	}
	for (unsigned int l = PWC_NR_LEVELS; l-- > 0;) {
		const struct pwc_level_config *c = &cfg->pwc.level[l];

		if (c->entries && append_shape(buf, size, &n, pwc_level_name((enum pwc_level)l),
					       c->entries, c->ways, c->repl))
			return -ENOSPC;
	}
	if (n == 0 && snprintf(buf, size, "off") >= (int)size)
		return -ENOSPC;
	return 0;
}
