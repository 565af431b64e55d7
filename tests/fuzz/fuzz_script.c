/*
 * tests/fuzz/fuzz_script.c: libFuzzer target for the scenario-script parser
 * (script/parse.c, script/commands.c).
 *
 * The parser must never crash, leak or read out of bounds on any input, must return 0 or an
 * error with a "NAME:LINE:COL: " message, and what it accepts must be self-consistent: every
 * index points into its table, every range lies inside its region. Config pairs go through a
 * stand-in checker that refuses some values, so the error path after a config is covered too.
 *
 * Run it with tests/fuzz/run_fuzz.sh SECONDS script (ASan and UBSan, seeds from
 * tests/fuzz/corpus/script/, words from tests/fuzz/script.dict).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mmsim/error.h"
#include "script/script.h"

static int check_config(void *ctx, const char *key, const char *value, struct mmsim_error *err)
{
	(void)ctx;
	if (!strcmp(key, "policy") && strcmp(value, "clock") && strcmp(value, "linux"))
		return mmsim_error_set(err, -EINVAL, "unknown policy '%s'", value);
	if (!strcmp(key, "mute"))
		return -EINVAL;
	return 0;
}

#define CHECK(cond)                                                                             \
	do {                                                                                    \
		if (!(cond)) {                                                                  \
			fprintf(stderr, "fuzz_script: %s:%d: %s\n", __FILE__, __LINE__, #cond); \
			abort();                                                                \
		}                                                                               \
	} while (0)

static void check_range(const struct script *s, unsigned int proc, const struct script_range *r)
{
	CHECK(proc < s->nr_procs);
	CHECK(r->region < s->procs[proc].nr_regions);
	CHECK(r->first <= r->last);
	CHECK(r->last < SCRIPT_MAX_PAGES);
}

static void check_script(const struct script *s)
{
	for (size_t i = 0; i < s->nr_configs; i++)
		CHECK(s->configs[i].key[0] && s->configs[i].value[0]);
	for (size_t i = 0; i < s->nr_cmds; i++) {
		const struct script_cmd *c = &s->cmds[i];

		CHECK(c->text && c->text[0]);
		CHECK(c->line >= 1);
		CHECK(i == 0 || c->line > s->cmds[i - 1].line);
		/* Commands on the whole machine name no process (reclaim ... all, shrink-all,
		 * sleep, compact_memory, switch, the file commands). */
		if (c->op != SCRIPT_OP_SHOW_SYS && c->op != SCRIPT_OP_EXPECT_SYS &&
		    c->op != SCRIPT_OP_SHRINK_ALL && c->op != SCRIPT_OP_SLEEP &&
		    c->op != SCRIPT_OP_COMPACT && c->op != SCRIPT_OP_FILE &&
		    c->op != SCRIPT_OP_DROPCACHE && c->op != SCRIPT_OP_EXPECT_CACHE &&
		    c->op != SCRIPT_OP_LIB && c->op != SCRIPT_OP_SWITCH &&
		    c->op != SCRIPT_OP_EXPECT_SWITCH &&
		    !(c->op == SCRIPT_OP_RECLAIM && c->reclaim.all))
			CHECK(c->proc < s->nr_procs);
		switch (c->op) {
		case SCRIPT_OP_FILE:
		case SCRIPT_OP_DROPCACHE:
			CHECK(c->file.name && c->file.name[0]);
			break;
		case SCRIPT_OP_LIB:
			CHECK(c->file.name && c->file.name[0]);
			CHECK(c->file.text_pages >= 1);
			CHECK(c->file.nr_pages == c->file.text_pages + c->file.data_pages);
			break;
		case SCRIPT_OP_READ_FILE:
			CHECK(c->read_file.name && c->read_file.name[0]);
			CHECK(c->read_file.nr_pages >= 1 &&
			      c->read_file.nr_pages <= SCRIPT_MAX_PAGES);
			CHECK(c->read_file.offset_pages == MMSIM_FILE_POS ||
			      c->read_file.offset_pages <= SCRIPT_MAX_PAGES);
			/* (The region's size then is checked by the parser; it may change later.)
			 */
			CHECK(!c->read_file.into ||
			      c->read_file.region < s->procs[c->proc].nr_regions);
			break;
		case SCRIPT_OP_LOAD:
			CHECK(c->load.lib && c->load.lib[0]);
			CHECK(c->load.region < s->procs[c->proc].nr_regions);
			CHECK(c->load.region != SCRIPT_HEAP_REGION);
			break;
		case SCRIPT_OP_EXPECT_CACHE:
			CHECK(c->expect.counter && c->expect.counter[0]);
			break;
		case SCRIPT_OP_MSYNC:
			CHECK(c->change.range.region < s->procs[c->proc].nr_regions);
			CHECK(c->change.range.first <= c->change.range.last);
			break;
		case SCRIPT_OP_MAP:
			CHECK(c->map.region < s->procs[c->proc].nr_regions);
			CHECK(c->map.nr_pages >= 1 && c->map.nr_pages <= SCRIPT_MAX_PAGES);
			CHECK((c->map.addr & (SCRIPT_PAGE_SIZE - 1)) == 0);
			break;
		case SCRIPT_OP_TOUCH:
			check_range(s, c->proc, &c->touch.range);
			break;
		case SCRIPT_OP_PROTECT:
		case SCRIPT_OP_UNMAP:
		case SCRIPT_OP_ADVISE:
			check_range(s, c->proc, &c->change.range);
			break;
		case SCRIPT_OP_FORK:
			CHECK(c->fork.child < s->nr_procs && c->fork.child != c->proc);
			CHECK(c->fork.nr_inherited <= s->procs[c->fork.child].nr_regions);
			break;
		case SCRIPT_OP_REMAP:
			CHECK(c->remap.region != SCRIPT_HEAP_REGION);
			CHECK(c->remap.region < s->procs[c->proc].nr_regions);
			CHECK(c->remap.new_pages >= 1 && c->remap.new_pages <= SCRIPT_MAX_PAGES);
			break;
		case SCRIPT_OP_BRK:
			CHECK(c->brk_delta <= (int64_t)SCRIPT_MAX_PAGES &&
			      c->brk_delta >= -(int64_t)SCRIPT_MAX_PAGES);
			break;
		case SCRIPT_OP_EXPECT_SYS:
			CHECK(c->expect.counter && c->expect.counter[0]);
			break;
		case SCRIPT_OP_SHOW_WALK:
			if (c->walk.in_region)
				check_range(s, c->proc, &c->walk.page);
			break;
		case SCRIPT_OP_SHOW_TASK:
		case SCRIPT_OP_SHOW_SYS:
			CHECK(c->view != NULL);
			break;
		default:
			break;
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mmsim_error err = { 0 };
	struct script *s = NULL;
	int rc;

	rc = script_parse((const char *)data, size, "fuzz.mms", check_config, NULL, &s, &err);
	if (rc) {
		CHECK(s == NULL);
		CHECK(rc == -EINVAL || rc == -ENOMEM);
		CHECK(err.code == rc);
		CHECK(rc != -EINVAL || !strncmp(err.msg, "fuzz.mms:", 9));
		return 0;
	}
	check_script(s);
	script_destroy(s);
	return 0;
}
