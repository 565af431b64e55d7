/*
 * script/commands.c: the grammar of scenario scripts (docs/scenario.md), one function
 * per command, over the words, numbers and namespace of script_parse.c.
 *
 * The first word of a line picks the command: a keyword (config, spawn, expect, show) or the
 * name of a live process followed by a verb. Each function checks its words in order, so
 * the first error on a line is the leftmost one, then records the command and updates the
 * namespace (a new process or region, a new size, an exit).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mmsim/error.h"
#include "mmsim/mmsim.h"
#include "script/script.h"
#include "script/script_impl.h"
#include "util/macros.h"

/* Counter names: /proc/vmstat and perf names are far shorter. */
#define COUNTER_NAME_MAX 64

/* ---- config and spawn -------------------------------------------------------------------- */

static int parse_config(struct script_parser *p)
{
	struct script *s = p->s;
	struct mmsim_error why = { 0 };
	int err;

	if (p->boot_line)
		return script_fail_at(
			p, p->w[0].col,
			"config after the first command (line %lu): the system boots there, "
			"so config lines come first",
			p->boot_line);
	err = script_need(p, 1, "KEY=VALUE after config");
	if (err)
		return err;
	for (unsigned int i = 1; i < p->nr; i++) {
		const struct script_word *w = &p->w[i];
		const char *eq = memchr(w->s, '=', w->len);
		struct script_config *c;

		if (!eq || eq == w->s || eq == w->s + w->len - 1)
			return script_fail_word(p, i, "'%s' is not KEY=VALUE");
		if (s->nr_configs == s->cap_configs) {
			size_t cap = s->cap_configs ? 2 * s->cap_configs : 8;
			struct script_config *n = realloc(s->configs, cap * sizeof(*n));

			if (!n)
				return -ENOMEM;
			s->configs = n;
			s->cap_configs = cap;
		}
		c = &s->configs[s->nr_configs];
		c->key = script_strndup(s, w->s, (size_t)(eq - w->s));
		c->value = script_strndup(s, eq + 1, w->len - (size_t)(eq - w->s) - 1);
		if (!c->key || !c->value)
			return -ENOMEM;
		c->line = p->line;
		c->col = w->col;
		s->nr_configs++;
		if (p->check) {
			err = p->check(p->check_ctx, c->key, c->value, &why);
			if (err == -ENOMEM)
				return err;
			if (err)
				return script_fail_at(p, w->col, "%s",
						      why.msg[0] ? why.msg : "bad config");
		}
	}
	return 0;
}

static int parse_spawn(struct script_parser *p)
{
	struct script_cmd *c;
	unsigned int idx, heap;
	int err;

	err = script_need(p, 1, "process name after spawn");
	if (!err)
		err = script_check_new_proc(p, 1);
	if (!err)
		err = script_no_more(p, 2);
	if (!err)
		err = script_add_proc(p, 1, &idx);
	if (!err)
		err = script_add_region(p, &p->s->procs[idx], SCRIPT_HEAP_NAME, 0, p->line, &heap);
	if (err)
		return err;
	c = script_new_cmd(p, SCRIPT_OP_SPAWN);
	if (!c)
		return -ENOMEM;
	c->proc = idx;
	return 0;
}

/* ---- files ------------------------------------------------------------------------------ */

/* A file name: 1..32 of letters, digits, _ . - (as mmsim_file_create() takes). */
static bool valid_file_name(const struct script_word *w)
{
	if (w->len == 0 || w->len > SCRIPT_NAME_MAX)
		return false;
	for (size_t i = 0; i < w->len; i++) {
		char c = w->s[i];

		if (!script_is_alpha(c) && !script_is_digit(c) && c != '.' && c != '-')
			return false;
	}
	return true;
}

static const struct script_file *find_file(const struct script *s, const struct script_word *w)
{
	for (unsigned int i = 0; i < s->nr_files; i++) {
		if (script_is_word(w, s->files[i].name))
			return &s->files[i];
	}
	return NULL;
}

/* Word i names a file an earlier `file` line created. */
static int word_file(struct script_parser *p, unsigned int i, const struct script_file **out)
{
	int err = script_need(p, i, "file name");

	if (err)
		return err;
	*out = find_file(p->s, &p->w[i]);
	if (!*out)
		return script_fail_word(p, i, "no file '%s' (create it first: file NAME PAGES)");
	return 0;
}

/* Word 1 names a new file: well formed and not taken. */
static int word_new_file(struct script_parser *p, const char *after)
{
	const struct script_file *old;
	int err = script_need(p, 1, after);

	if (err)
		return err;
	if (!valid_file_name(&p->w[1]))
		return script_fail_word(p, 1,
					"bad file name '%s' (want 1 to 32 letters, digits, _ . -)");
	old = find_file(p->s, &p->w[1]);
	if (old)
		return script_fail_at(p, p->w[1].col, "file '%s' already exists (line %lu)",
				      old->name, old->line);
	return 0;
}

/* Records the file named by word 1 (checked) and its command. */
static int add_file(struct script_parser *p, uint64_t pages, uint64_t lib_pages, enum script_op op,
		    struct script_cmd **out)
{
	struct script *s = p->s;
	struct script_cmd *c;
	const char *name;

	if (s->nr_files == s->cap_files) {
		unsigned int cap = s->cap_files ? 2 * s->cap_files : 4;
		struct script_file *n = realloc(s->files, cap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		s->files = n;
		s->cap_files = cap;
	}
	name = script_strndup(s, p->w[1].s, p->w[1].len);
	if (!name)
		return -ENOMEM;
	s->files[s->nr_files++] = (struct script_file){
		.name = name, .nr_pages = pages, .line = p->line, .lib_pages = lib_pages
	};
	c = script_new_cmd(p, op);
	if (!c)
		return -ENOMEM;
	c->file.name = name;
	c->file.nr_pages = pages;
	*out = c;
	return 0;
}

static int word_keyed_u64(struct script_parser *p, unsigned int i, const char *key, uint64_t *out);

/* lib NAME text=N [data=N] [bss=N]: a shared library of text + data pages in the file. */
static int parse_lib(struct script_parser *p)
{
	static const char *const keys[] = { "text=", "data=", "bss=" };
	uint64_t v[3] = { 0, 0, 0 };
	bool have[3] = { false, false, false };
	struct script_cmd *c;
	int err;

	err = word_new_file(p, "library name after lib");
	if (!err)
		err = script_need(p, 2, "text=PAGES");
	if (err)
		return err;
	for (unsigned int i = 2; i < p->nr; i++) {
		const struct script_word *w = &p->w[i];
		unsigned int k = 0;

		while (k < 3 &&
		       !(w->len > strlen(keys[k]) && !memcmp(w->s, keys[k], strlen(keys[k]))))
			k++;
		if (k == 3)
			return script_fail_word(p, i,
						"unknown lib option '%s' (want text=PAGES, "
						"data=PAGES, bss=PAGES)");
		if (have[k])
			return script_fail_at(p, w->col, "%s given twice", keys[k]);
		have[k] = true;
		err = word_keyed_u64(p, i, keys[k], &v[k]);
		if (!err && v[k] > (UINT64_C(1) << 32))
			err = script_fail_word(p, i, "'%s' is above 2^32 pages");
		if (!err && k == 0 && v[0] == 0)
			err = script_fail_word(p, i, "'%s': the text needs at least 1 page");
		if (err)
			return err;
	}
	if (!have[0])
		return script_fail_at(p, p->w[1].col,
				      "library without text=PAGES (its first segment holds the "
				      "ELF header)");
	err = add_file(p, v[0] + v[1], v[0] + v[1] + v[2], SCRIPT_OP_LIB, &c);
	if (err)
		return err;
	c->file.text_pages = v[0];
	c->file.data_pages = v[1];
	c->file.bss_pages = v[2];
	return 0;
}

/* file NAME PAGES | dropcache NAME | lib NAME ... */
static int parse_file(struct script_parser *p)
{
	const struct script_file *old;
	struct script_cmd *c;
	uint64_t pages = 0;
	int err;

	if (script_is_word(&p->w[0], "lib"))
		return parse_lib(p);
	if (script_is_word(&p->w[0], "dropcache")) {
		err = word_file(p, 1, &old);
		if (!err)
			err = script_no_more(p, 2);
		if (err)
			return err;
		c = script_new_cmd(p, SCRIPT_OP_DROPCACHE);
		if (!c)
			return -ENOMEM;
		c->file.name = old->name;
		return 0;
	}
	err = word_new_file(p, "file name after file");
	if (!err)
		err = script_need(p, 2, "size in pages");
	if (!err)
		err = script_word_pages(p, 2, &pages);
	if (!err && pages > (UINT64_C(1) << 32))
		err = script_fail_word(p, 2, "file size '%s' is above 2^32 pages");
	if (!err)
		err = script_no_more(p, 3);
	if (err)
		return err;
	return add_file(p, pages, 0, SCRIPT_OP_FILE, &c);
}

/* Word i is KEY=NUMBER (key given with its '='); 0 and *out, or an error. */
static int word_keyed_u64(struct script_parser *p, unsigned int i, const char *key, uint64_t *out)
{
	const struct script_word *w = &p->w[i];
	size_t k = strlen(key);

	switch (script_parse_u64(w->s + k, w->len - k, out)) {
	case SCRIPT_NUM_OK:
		return 0;
	case SCRIPT_NUM_RANGE:
		return script_fail_word(p, i, "number in '%s' does not fit in 64 bits");
	default:
		return script_fail_word(p, i, "bad number in '%s'");
	}
}

/* ---- process commands -------------------------------------------------------------------- */

/* Word i names a new region of pr: well formed, not the heap, not taken. */
static int word_new_region(struct script_parser *p, unsigned int i, const struct script_proc *pr)
{
	const struct script_word *name = &p->w[i];
	unsigned int k;

	if (!script_valid_name(name))
		return script_fail_word(p, i,
					"bad region name '%s' (want a letter or _, then letters, "
					"digits or _; at most 32)");
	if (script_is_word(name, SCRIPT_HEAP_NAME))
		return script_fail_at(p, name->col,
				      "'heap' names the brk heap; choose another name");
	if (script_is_word(name, "file"))
		return script_fail_at(
			p, name->col,
			"'file' starts a file read (P read file NAME); choose another "
			"region name");
	if (script_find_region(pr, name, &k))
		return script_fail_at(p, name->col,
				      "region '%s' already exists in process '%s' (line %lu)",
				      pr->regions[k].name, pr->name, pr->regions[k].line);
	return 0;
}

static int parse_map(struct script_parser *p, unsigned int proc)
{
	struct script_proc *pr = &p->s->procs[proc];
	bool have_rights = false, have_sharing = false, have_at = false, populate = false;
	bool have_offset = false;
	int prot = MMSIM_PROT_READ | MMSIM_PROT_WRITE, sharing = MMSIM_MAP_PRIVATE;
	uint64_t pages, addr = 0, offset = 0;
	const struct script_file *file = NULL;
	unsigned int first_opt = 4;
	const struct script_word *name;
	const char *region_name;
	struct script_cmd *c;
	unsigned int k;
	int err;

	err = script_need(p, 2, "region name after map");
	if (!err)
		err = word_new_region(p, 2, pr);
	if (err)
		return err;
	name = &p->w[2];
	err = script_need(p, 3, "size in pages, or file NAME");
	if (err)
		return err;
	if (script_is_word(&p->w[3], "file")) {
		err = word_file(p, 4, &file);
		if (err)
			return err;
		first_opt = 5;
		pages = 0;
	} else {
		err = script_word_pages(p, 3, &pages);
		if (err)
			return err;
	}
	for (unsigned int i = first_opt; i < p->nr; i++) {
		const struct script_word *w = &p->w[i];

		if (file && w->len > 7 && !memcmp(w->s, "offset=", 7)) {
			if (have_offset)
				return script_fail_at(p, w->col, "offset= given twice");
			have_offset = true;
			err = word_keyed_u64(p, i, "offset=", &offset);
			if (err)
				return err;
		} else if (file && w->len > 6 && !memcmp(w->s, "pages=", 6)) {
			if (pages)
				return script_fail_at(p, w->col, "pages= given twice");
			err = word_keyed_u64(p, i, "pages=", &pages);
			if (!err && (pages == 0 || pages > SCRIPT_MAX_PAGES))
				err = script_fail_word(p, i, "'%s': want 1 to 2^45 pages");
			if (err)
				return err;
		} else if (script_is_rights(w)) {
			if (have_rights)
				return script_fail_word(p, i, "rights given twice ('%s')");
			have_rights = true;
			script_word_rights(p, i, &prot);
		} else if (script_is_word(w, "private") || script_is_word(w, "shared")) {
			if (have_sharing)
				return script_fail_word(p, i,
							"private or shared given twice ('%s')");
			have_sharing = true;
			sharing =
				script_is_word(w, "shared") ? MMSIM_MAP_SHARED : MMSIM_MAP_PRIVATE;
		} else if (w->len >= 3 && !memcmp(w->s, "at=", 3)) {
			if (have_at)
				return script_fail_at(p, w->col, "at= given twice");
			have_at = true;
			switch (mmsim_parse_addr(w->s + 3, w->len - 3, &addr)) {
			case 0:
				break;
			case -ERANGE:
				return script_fail_word(p, i,
							"address in '%s' does not fit in 64 bits");
			default:
				return script_fail_word(p, i,
							"bad address in '%s' (want at=ADDR, "
							"hexadecimal with or without 0x)");
			}
			if (addr & (SCRIPT_PAGE_SIZE - 1))
				return script_fail_word(
					p, i, "address in '%s' is not page-aligned (4096)");
		} else if (script_is_word(w, "populate")) {
			if (populate)
				return script_fail_at(p, w->col, "populate given twice");
			populate = true;
		} else {
			return script_fail_word(
				p, i,
				file ? "unknown map option '%s' (want offset=PAGES, "
				       "pages=N, r|rw|rx|rwx|none, private|shared, "
				       "at=0xADDR, populate)"
				     : "unknown map option '%s' (want r|rw|rx|rwx|none, "
				       "private|shared, at=0xADDR, populate)");
		}
	}
	if (file && !pages) {
		/* Without pages=, the mapping covers the file from offset= to its end. */
		if (offset >= file->nr_pages)
			return script_fail_at(
				p, p->w[4].col,
				"offset %llu is at or past the end of '%s' (%llu pages): "
				"give pages=N to map beyond it",
				(unsigned long long)offset, file->name,
				(unsigned long long)file->nr_pages);
		pages = file->nr_pages - offset;
	}
	if (file && offset > SCRIPT_MAX_PAGES)
		return script_fail_at(p, p->w[4].col, "offset is above 2^45 pages");
	region_name = script_strndup(p->s, name->s, name->len);
	if (!region_name)
		return -ENOMEM;
	err = script_add_region(p, pr, region_name, pages, p->line, &k);
	if (err)
		return err;
	c = script_new_cmd(p, SCRIPT_OP_MAP);
	if (!c)
		return -ENOMEM;
	c->proc = proc;
	c->map.region = k;
	c->map.nr_pages = pages;
	c->map.prot = prot;
	c->map.flags = (file ? 0 : MMSIM_MAP_ANONYMOUS) | sharing |
		       (have_at ? MMSIM_MAP_FIXED : 0) | (populate ? MMSIM_MAP_POPULATE : 0);
	c->map.addr = addr;
	c->map.file = file ? file->name : NULL;
	c->map.offset_pages = offset;
	return 0;
}

/*
 * P load LIB [as R]: ld.so maps library LIB; region R (LIB's name when it is a valid region
 * name) covers its span: pages 0.. of the text, then the data, then the bss.
 */
static int parse_load(struct script_parser *p, unsigned int proc)
{
	struct script_proc *pr = &p->s->procs[proc];
	const struct script_file *lib;
	const char *region_name;
	unsigned int ri = 2, k;
	struct script_cmd *c;
	int err;

	err = word_file(p, 2, &lib);
	if (!err && !lib->lib_pages)
		err = script_fail_word(p, 2,
				       "'%s' is a plain file, not a library (create it with lib "
				       "NAME text=PAGES [data=PAGES] [bss=PAGES])");
	if (!err && p->nr > 3) {
		if (!script_is_word(&p->w[3], "as"))
			err = script_fail_word(p, 3, "unexpected '%s' (want as REGION)");
		if (!err)
			err = script_need(p, 4, "region name after as");
		if (!err)
			err = script_no_more(p, 5);
		ri = 4;
	}
	if (!err && ri == 2 && !script_valid_name(&p->w[2]))
		err = script_fail_word(p, 2,
				       "library '%s' is no region name: name the region with "
				       "as REGION");
	if (!err)
		err = word_new_region(p, ri, pr);
	if (err)
		return err;
	region_name = script_strndup(p->s, p->w[ri].s, p->w[ri].len);
	if (!region_name)
		return -ENOMEM;
	err = script_add_region(p, pr, region_name, lib->lib_pages, p->line, &k);
	if (err)
		return err;
	c = script_new_cmd(p, SCRIPT_OP_LOAD);
	if (!c)
		return -ENOMEM;
	c->proc = proc;
	c->load.region = k;
	c->load.lib = lib->name;
	return 0;
}

/* Words i and i+1: a region of pr and a page range inside it. */
static int region_range(struct script_parser *p, unsigned int i, const struct script_proc *pr,
			struct script_range *out)
{
	unsigned int r;
	int err;

	err = script_need(p, i, "region name");
	if (!err)
		err = script_word_region(p, i, pr, &r);
	if (!err)
		err = script_need(p, i + 1, "page or page range (PAGE or FIRST-LAST)");
	if (!err)
		err = script_word_range(p, i + 1, pr, r, out);
	return err;
}

/* P read file NAME [offset=PAGES] [pages=N] [into=R]: read(2) at the file position, or
 * pread(2) at offset=; 1 page unless pages= says more; into= copies the pages to region R
 * from its page 0 (R must hold them). */
static int parse_read_file(struct script_parser *p, unsigned int proc)
{
	const struct script_proc *pr = &p->s->procs[proc];
	uint64_t offset = MMSIM_FILE_POS, pages = 0;
	const struct script_file *f;
	unsigned int into_word = 0, region = 0;
	struct script_cmd *c;
	int err;

	err = word_file(p, 3, &f);
	if (err)
		return err;
	for (unsigned int i = 4; i < p->nr; i++) {
		const struct script_word *w = &p->w[i];

		if (w->len > 7 && !memcmp(w->s, "offset=", 7)) {
			if (offset != MMSIM_FILE_POS)
				return script_fail_at(p, w->col, "offset= given twice");
			err = word_keyed_u64(p, i, "offset=", &offset);
			if (!err && offset > SCRIPT_MAX_PAGES)
				err = script_fail_word(p, i, "'%s' is above 2^45 pages");
		} else if (w->len > 6 && !memcmp(w->s, "pages=", 6)) {
			if (pages)
				return script_fail_at(p, w->col, "pages= given twice");
			err = word_keyed_u64(p, i, "pages=", &pages);
			if (!err && (pages == 0 || pages > SCRIPT_MAX_PAGES))
				err = script_fail_word(p, i, "'%s': want 1 to 2^45 pages");
		} else if (w->len > 5 && !memcmp(w->s, "into=", 5)) {
			struct script_word r = { .s = w->s + 5,
						 .len = w->len - 5,
						 .col = w->col + 5 };

			if (into_word)
				return script_fail_at(p, w->col, "into= given twice");
			into_word = i;
			if (!script_find_region(pr, &r, &region)) {
				char q[SCRIPT_QUOTE_MAX + 4];

				return script_fail_at(p, r.col, "%s has no region '%s'", pr->name,
						      script_quote(&r, q));
			}
		} else {
			err = script_fail_word(p, i,
					       "unknown read option '%s' (want offset=PAGES, "
					       "pages=N, into=REGION)");
		}
		if (err)
			return err;
	}
	if (into_word && pr->regions[region].nr_pages < (pages ? pages : 1))
		return script_fail_at(p, p->w[into_word].col,
				      "region %s has %llu pages, fewer than the %llu read",
				      pr->regions[region].name,
				      (unsigned long long)pr->regions[region].nr_pages,
				      (unsigned long long)(pages ? pages : 1));
	c = script_new_cmd(p, SCRIPT_OP_READ_FILE);
	if (!c)
		return -ENOMEM;
	c->proc = proc;
	c->read_file.name = f->name;
	c->read_file.offset_pages = offset;
	c->read_file.nr_pages = pages ? pages : 1;
	c->read_file.into = into_word != 0;
	c->read_file.region = region;
	return 0;
}

static int parse_touch(struct script_parser *p, unsigned int proc)
{
	const struct script_word *verb = &p->w[1];
	struct script_range range;
	struct script_cmd *c;
	int err;

	if (script_is_word(verb, "read") && p->nr > 2 && script_is_word(&p->w[2], "file"))
		return parse_read_file(p, proc);
	err = region_range(p, 2, &p->s->procs[proc], &range);
	if (!err)
		err = script_no_more(p, 4);
	if (err)
		return err;
	c = script_new_cmd(p, SCRIPT_OP_TOUCH);
	if (!c)
		return -ENOMEM;
	c->proc = proc;
	c->touch.range = range;
	c->touch.kind = script_is_word(verb, "read")	? MMSIM_ACCESS_READ
			: script_is_word(verb, "write") ? MMSIM_ACCESS_WRITE
							: MMSIM_ACCESS_FETCH;
	return 0;
}

static int parse_access(struct script_parser *p, unsigned int proc)
{
	enum mmsim_access kind;
	struct script_cmd *c;
	bool user = true;
	uint64_t addr;
	int err;

	err = script_need(p, 2, "address after access");
	if (!err)
		err = script_word_addr(p, 2, &addr);
	if (!err)
		err = script_need(p, 3, "access kind (r|w|x)");
	if (err)
		return err;
	if (script_is_word(&p->w[3], "r"))
		kind = MMSIM_ACCESS_READ;
	else if (script_is_word(&p->w[3], "w"))
		kind = MMSIM_ACCESS_WRITE;
	else if (script_is_word(&p->w[3], "x"))
		kind = MMSIM_ACCESS_FETCH;
	else
		return script_fail_word(p, 3, "unknown access kind '%s' (want r|w|x)");
	if (p->nr > 4) {
		if (!script_is_word(&p->w[4], "kernel"))
			return script_fail_word(
				p, 4,
				"unexpected '%s' (want kernel, or nothing for a user "
				"access)");
		user = false;
	}
	err = script_no_more(p, 5);
	if (err)
		return err;
	c = script_new_cmd(p, SCRIPT_OP_ACCESS);
	if (!c)
		return -ENOMEM;
	c->proc = proc;
	c->access.addr = addr;
	c->access.kind = kind;
	c->access.user = user;
	return 0;
}

static int parse_fork(struct script_parser *p, unsigned int proc)
{
	struct script_proc *parent, *child;
	struct script_cmd *c;
	unsigned int idx, n;
	int err;

	err = script_need(p, 2, "child's name after fork");
	if (!err)
		err = script_check_new_proc(p, 2);
	if (!err)
		err = script_no_more(p, 3);
	if (err)
		return err;
	n = p->s->procs[proc].nr_regions;
	if (p->nr_region_slots + n > SCRIPT_MAX_REGION_SLOTS)
		return script_fail_at(
			p, p->w[0].col,
			"too many regions: at most %u over all processes (a fork copies its "
			"parent's)",
			SCRIPT_MAX_REGION_SLOTS);
	err = script_add_proc(p, 2, &idx);
	if (err)
		return err;
	parent = &p->s->procs[proc];
	child = &p->s->procs[idx];
	child->regions = malloc(n * sizeof(*child->regions));
	if (!child->regions)
		return -ENOMEM;
	memcpy(child->regions, parent->regions, n * sizeof(*child->regions));
	child->nr_regions = child->cap_regions = n;
	child->heap_pages = parent->heap_pages;
	p->nr_region_slots += n;
	c = script_new_cmd(p, SCRIPT_OP_FORK);
	if (!c)
		return -ENOMEM;
	c->proc = proc;
	c->fork.child = idx;
	c->fork.nr_inherited = n;
	return 0;
}

/* protect, unmap, advise (or madvise): a range of a region, then what to do with it. */
static int parse_change(struct script_parser *p, unsigned int proc)
{
	const struct script_word *verb = &p->w[1];
	enum script_advice advice = SCRIPT_ADVICE_DONTNEED;
	struct script_range range;
	struct script_cmd *c;
	int err, prot = 0;
	enum script_op op;
	unsigned int i = 4;

	err = region_range(p, 2, &p->s->procs[proc], &range);
	if (err)
		return err;
	if (script_is_word(verb, "protect")) {
		op = SCRIPT_OP_PROTECT;
		err = script_need(p, i, "rights (r|rw|rx|rwx|none)");
		if (!err)
			err = script_word_rights(p, i++, &prot);
	} else if (script_is_word(verb, "advise") || script_is_word(verb, "madvise")) {
		op = SCRIPT_OP_ADVISE;
		err = script_need(p, i, "advice (dontneed|pageout|hugepage|nohugepage)");
		if (!err && script_is_word(&p->w[i], "pageout"))
			advice = SCRIPT_ADVICE_PAGEOUT;
		else if (!err && script_is_word(&p->w[i], "hugepage"))
			advice = SCRIPT_ADVICE_HUGEPAGE;
		else if (!err && script_is_word(&p->w[i], "nohugepage"))
			advice = SCRIPT_ADVICE_NOHUGEPAGE;
		else if (!err && !script_is_word(&p->w[i], "dontneed"))
			err = script_fail_word(p, i,
					       "unknown advice '%s' (want "
					       "dontneed|pageout|hugepage|nohugepage)");
		i++;
	} else {
		op = SCRIPT_OP_UNMAP;
	}
	if (!err)
		err = script_no_more(p, i);
	if (err)
		return err;
	c = script_new_cmd(p, op);
	if (!c)
		return -ENOMEM;
	c->proc = proc;
	c->change.range = range;
	c->change.prot = prot;
	c->change.advice = advice;
	return 0;
}

/* P msync R [RANGE]: the whole region without a range. */
static int parse_msync(struct script_parser *p, unsigned int proc)
{
	const struct script_proc *pr = &p->s->procs[proc];
	struct script_range range;
	struct script_cmd *c;
	unsigned int r;
	int err;

	err = script_need(p, 2, "region name after msync");
	if (!err)
		err = script_word_region(p, 2, pr, &r);
	if (err)
		return err;
	if (p->nr > 3) {
		err = script_word_range(p, 3, pr, r, &range);
		if (!err)
			err = script_no_more(p, 4);
		if (err)
			return err;
	} else {
		if (pr->regions[r].nr_pages == 0)
			return script_fail_at(p, p->w[2].col, "region '%s' has no pages",
					      pr->regions[r].name);
		range = (struct script_range){ .region = r,
					       .first = 0,
					       .last = pr->regions[r].nr_pages - 1 };
	}
	c = script_new_cmd(p, SCRIPT_OP_MSYNC);
	if (!c)
		return -ENOMEM;
	c->proc = proc;
	c->change.range = range;
	return 0;
}

static int parse_remap(struct script_parser *p, unsigned int proc)
{
	struct script_proc *pr = &p->s->procs[proc];
	struct script_cmd *c;
	uint64_t pages;
	unsigned int r;
	int err;

	err = script_need(p, 2, "region name after remap");
	if (!err)
		err = script_word_region(p, 2, pr, &r);
	if (!err && r == SCRIPT_HEAP_REGION)
		err = script_fail_at(p, p->w[2].col, "the heap moves with brk, not remap");
	if (!err)
		err = script_need(p, 3, "new size in pages");
	if (!err)
		err = script_word_pages(p, 3, &pages);
	if (!err)
		err = script_no_more(p, 4);
	if (err)
		return err;
	c = script_new_cmd(p, SCRIPT_OP_REMAP);
	if (!c)
		return -ENOMEM;
	c->proc = proc;
	c->remap.region = r;
	c->remap.old_pages = pr->regions[r].nr_pages;
	c->remap.new_pages = pages;
	pr->regions[r].nr_pages = pages;
	return 0;
}

static int parse_brk(struct script_parser *p, unsigned int proc)
{
	struct script_proc *pr = &p->s->procs[proc];
	struct script_region *heap = &pr->regions[SCRIPT_HEAP_REGION];
	const struct script_word *w = &p->w[2];
	struct script_cmd *c;
	uint64_t n;
	bool grow;
	int err;

	err = script_need(p, 2, "+PAGES or -PAGES after brk");
	if (err)
		return err;
	if (w->s[0] != '+' && w->s[0] != '-')
		return script_fail_word(p, 2, "brk takes +PAGES or -PAGES, not '%s'");
	grow = w->s[0] == '+';
	switch (script_parse_u64(w->s + 1, w->len - 1, &n)) {
	case SCRIPT_NUM_OK:
		break;
	case SCRIPT_NUM_RANGE:
		return script_fail_word(p, 2, "brk step '%s' does not fit in 64 bits");
	case SCRIPT_NUM_BAD:
		return script_fail_word(p, 2, "brk takes +PAGES or -PAGES, not '%s'");
	}
	err = script_no_more(p, 3);
	if (err)
		return err;
	if (grow && n > SCRIPT_MAX_PAGES - pr->heap_pages)
		return script_fail_at(p, w->col,
				      "the heap would grow past %llu pages, larger than any "
				      "address space",
				      (unsigned long long)SCRIPT_MAX_PAGES);
	if (!grow && n > pr->heap_pages)
		return script_fail_at(p, w->col,
				      "brk -%llu would take the break below its initial value "
				      "(the heap has %llu pages)",
				      (unsigned long long)n, (unsigned long long)pr->heap_pages);
	c = script_new_cmd(p, SCRIPT_OP_BRK);
	if (!c)
		return -ENOMEM;
	c->proc = proc;
	c->brk_delta = grow ? (int64_t)n : -(int64_t)n;
	pr->heap_pages = grow ? pr->heap_pages + n : pr->heap_pages - n;
	/* Pages given back stay nameable: touching them shows what Linux does (SEGV_MAPERR). */
	if (pr->heap_pages > heap->nr_pages)
		heap->nr_pages = pr->heap_pages;
	return 0;
}

static int parse_exit(struct script_parser *p, unsigned int proc)
{
	struct script_cmd *c;
	int err = script_no_more(p, 2);

	if (err)
		return err;
	c = script_new_cmd(p, SCRIPT_OP_EXIT);
	if (!c)
		return -ENOMEM;
	c->proc = proc;
	p->s->procs[proc].exit_line = p->line;
	return 0;
}

static const struct {
	const char *name;
	int (*parse)(struct script_parser *p, unsigned int proc);
} verbs[] = {
	{ "map", parse_map },	     { "read", parse_touch },	 { "write", parse_touch },
	{ "exec", parse_touch },     { "access", parse_access }, { "fork", parse_fork },
	{ "protect", parse_change }, { "unmap", parse_change },	 { "advise", parse_change },
	{ "madvise", parse_change }, { "remap", parse_remap },	 { "brk", parse_brk },
	{ "exit", parse_exit },	     { "msync", parse_msync },	 { "load", parse_load },
};

#define VERB_LIST \
	"map|read|write|exec|access|fork|protect|unmap|advise|madvise|remap|brk|exit|msync|load"

static int parse_proc_command(struct script_parser *p)
{
	unsigned int proc;
	int err;

	err = script_word_live_proc(p, 0, &proc);
	if (!err)
		err = script_need(p, 1, "command after the process name (" VERB_LIST ")");
	if (err)
		return err;
	for (size_t k = 0; k < ARRAY_SIZE(verbs); k++) {
		if (script_is_word(&p->w[1], verbs[k].name))
			return verbs[k].parse(p, proc);
	}
	return script_fail_word(p, 1, "unknown command '%s' (want " VERB_LIST ")");
}

/* ---- expect and show --------------------------------------------------------------------- */

static int word_cmp(struct script_parser *p, unsigned int i, enum script_cmp *out)
{
	for (enum script_cmp c = SCRIPT_CMP_EQ; c <= SCRIPT_CMP_GE; c++) {
		if (script_is_word(&p->w[i], script_cmp_name(c))) {
			*out = c;
			return 0;
		}
	}
	return script_fail_word(p, i, "unknown comparison '%s' (want == != < <= > >=)");
}

static bool valid_counter(const struct script_word *w)
{
	if (w->len == 0 || w->len > COUNTER_NAME_MAX || !script_is_alpha(w->s[0]))
		return false;
	for (size_t i = 1; i < w->len; i++) {
		if (!script_is_alpha(w->s[i]) && !script_is_digit(w->s[i]) && w->s[i] != '-')
			return false;
	}
	return true;
}

#define FIELD_LIST "minflt|majflt|rss|rssanon|rssfile|pss|swap|vmpte|anonhuge|signal"

/* expect cache NAME [OP] N: pages of file NAME in the page cache. */
static int parse_expect_cache(struct script_parser *p)
{
	enum script_cmp cmp = SCRIPT_CMP_EQ;
	const struct script_file *f;
	struct script_cmd *c;
	unsigned int vi = 3;
	uint64_t value;
	int err;

	err = word_file(p, 2, &f);
	if (!err && p->nr > 4) {
		err = word_cmp(p, 3, &cmp);
		vi = 4;
	}
	if (!err)
		err = script_need(p, vi, "number of pages");
	if (!err)
		err = script_word_u64(p, vi, "value", &value);
	if (!err)
		err = script_no_more(p, vi + 1);
	if (err)
		return err;
	c = script_new_cmd(p, SCRIPT_OP_EXPECT_CACHE);
	if (!c)
		return -ENOMEM;
	c->expect.counter = f->name;
	c->expect.cmp = cmp;
	c->expect.value = value;
	return 0;
}

static int parse_expect(struct script_parser *p)
{
	enum script_cmp cmp = SCRIPT_CMP_EQ;
	enum script_field field = SCRIPT_FIELD_MINFLT;
	enum mmsim_signal sig = MMSIM_SIG_NONE;
	unsigned int proc = 0, vi = 3;
	bool sys, since_switch, is_signal = false;
	const char *counter = NULL;
	struct script_cmd *c;
	uint64_t value = 0;
	int err;

	err = script_need(p, 1, "process name, sys, switch or cache after expect");
	if (err)
		return err;
	if (script_is_word(&p->w[1], "cache"))
		return parse_expect_cache(p);
	since_switch = script_is_word(&p->w[1], "switch");
	if (since_switch && !p->switch_line)
		return script_fail_word(p, 1,
					"expect %s: no switch before this line (mark one with "
					"the command switch)");
	sys = since_switch || script_is_word(&p->w[1], "sys");
	if (!sys)
		err = script_word_live_proc(p, 1, &proc);
	if (!err)
		err = script_need(p, 2,
				  sys ? "counter name (a /proc/vmstat or perf name)"
				      : "field (" FIELD_LIST ")");
	if (err)
		return err;
	if (sys) {
		if (!valid_counter(&p->w[2]))
			return script_fail_word(p, 2, "bad counter name '%s'");
		counter = script_strndup(p->s, p->w[2].s, p->w[2].len);
		if (!counter)
			return -ENOMEM;
	} else {
		for (field = SCRIPT_FIELD_MINFLT; field <= SCRIPT_FIELD_PSS; field++) {
			if (script_is_word(&p->w[2], script_field_name(field)))
				break;
		}
		if (field > SCRIPT_FIELD_PSS)
			return script_fail_word(p, 2, "unknown field '%s' (want " FIELD_LIST ")");
		is_signal = field == SCRIPT_FIELD_SIGNAL;
	}
	if (p->nr > 4) {
		err = word_cmp(p, 3, &cmp);
		if (!err && is_signal && cmp != SCRIPT_CMP_EQ && cmp != SCRIPT_CMP_NE)
			err = script_fail_word(p, 3,
					       "a signal compares with == or != only, not '%s'");
		if (err)
			return err;
		vi = 4;
	}
	err = script_need(
		p, vi, is_signal ? "signal (none|SEGV_MAPERR|SEGV_ACCERR|SIGBUS|KILLED)" : "value");
	if (!err)
		err = script_no_more(p, vi + 1);
	if (err)
		return err;
	if (is_signal) {
		for (sig = MMSIM_SIG_NONE; sig <= MMSIM_SIG_BUS_ADRERR; sig++) {
			if (script_is_word(&p->w[vi], script_signal_name(sig)))
				break;
		}
		if (sig > MMSIM_SIG_BUS_ADRERR)
			return script_fail_word(p, vi,
						"unknown signal '%s' (want "
						"none|SEGV_MAPERR|SEGV_ACCERR|SIGBUS|KILLED)");
	} else {
		err = script_word_u64(p, vi, "value", &value);
		if (err)
			return err;
	}
	c = script_new_cmd(p, since_switch ? SCRIPT_OP_EXPECT_SWITCH
			      : sys	   ? SCRIPT_OP_EXPECT_SYS
			      : is_signal  ? SCRIPT_OP_EXPECT_SIGNAL
					   : SCRIPT_OP_EXPECT_TASK);
	if (!c)
		return -ENOMEM;
	c->proc = proc;
	c->expect.field = field;
	c->expect.counter = counter;
	c->expect.counter_col = p->w[2].col;
	c->expect.cmp = cmp;
	c->expect.value = value;
	c->expect.signal = sig;
	return 0;
}

/* A view of the library's table (mmsim_name()); want lists them for the message. */
static int word_view(struct script_parser *p, unsigned int i, enum mmsim_names which,
		     const char *want, const char **out)
{
	char q[SCRIPT_QUOTE_MAX + 4];
	const char *name;

	for (unsigned int k = 0; (name = mmsim_name(which, k)); k++) {
		if (script_is_word(&p->w[i], name)) {
			*out = name;
			return 0;
		}
	}
	return script_fail_at(p, p->w[i].col, "unknown view '%s' (want %s)",
			      script_quote(&p->w[i], q), want);
}

static int parse_show_walk(struct script_parser *p, unsigned int proc)
{
	const struct script_proc *pr = &p->s->procs[proc];
	struct script_range page = { 0 };
	struct script_cmd *c;
	uint64_t addr = 0;
	bool in_region;
	unsigned int r;
	int err;

	err = script_need(p, 3, "address (0xADDR) or REGION PAGE after walk");
	if (err)
		return err;
	in_region = !script_is_digit(p->w[3].s[0]);
	if (in_region) {
		err = script_word_region(p, 3, pr, &r);
		if (!err)
			err = script_need(p, 4, "page of the region");
		if (!err && memchr(p->w[4].s, '-', p->w[4].len))
			err = script_fail_word(p, 4, "walk takes one page, not a range ('%s')");
		if (!err)
			err = script_word_range(p, 4, pr, r, &page);
		if (!err)
			err = script_no_more(p, 5);
	} else {
		err = script_word_addr(p, 3, &addr);
		if (!err)
			err = script_no_more(p, 4);
	}
	if (err)
		return err;
	c = script_new_cmd(p, SCRIPT_OP_SHOW_WALK);
	if (!c)
		return -ENOMEM;
	c->proc = proc;
	c->walk.in_region = in_region;
	c->walk.addr = addr;
	c->walk.page = page;
	return 0;
}

static int parse_show(struct script_parser *p)
{
	char want[256], need[272];
	const char *view = NULL;
	struct script_cmd *c;
	unsigned int proc = 0;
	bool sys;
	int err;

	err = script_need(p, 1, "process name or sys after show");
	if (err)
		return err;
	sys = script_is_word(&p->w[1], "sys");
	mmsim_names(sys ? MMSIM_NAMES_SYSTEM_VIEWS : MMSIM_NAMES_TASK_VIEWS, "|", want,
		    sizeof(want) - 8);
	if (!sys)
		strcat(want, "|walk");
	snprintf(need, sizeof(need), "view (%s)", want);
	if (!sys)
		err = script_word_live_proc(p, 1, &proc);
	if (!err)
		err = script_need(p, 2, need);
	if (err)
		return err;
	if (!sys && script_is_word(&p->w[2], "walk"))
		return parse_show_walk(p, proc);
	err = word_view(p, 2, sys ? MMSIM_NAMES_SYSTEM_VIEWS : MMSIM_NAMES_TASK_VIEWS, want, &view);
	if (!err)
		err = script_no_more(p, 3);
	if (err)
		return err;
	c = script_new_cmd(p, sys ? SCRIPT_OP_SHOW_SYS : SCRIPT_OP_SHOW_TASK);
	if (!c)
		return -ENOMEM;
	c->proc = proc;
	c->view = view;
	return 0;
}

/*
 * reclaim SIZE [P|all]: proactive reclaim of SIZE (a number with an optional K, M or G:
 * kibibytes, mebibytes, gibibytes; plain: bytes), from the whole machine (all, the
 * default: cgroup v2 memory.reclaim) or from process P (process_madvise(MADV_PAGEOUT)).
 * shrink-all: shrink_all_memory(), as before hibernation.
 * switch: the workload switches here (the trace event `switch`): `expect switch` and the
 * run's result count from the last one.
 * sleep MS: MS milliseconds of simulated time pass without accesses (mmsim_sleep()).
 * compact_memory: every zone compacted, as writing /proc/sys/vm/compact_memory.
 */
static int parse_reclaim(struct script_parser *p)
{
	struct script_cmd *c;
	char size[64];
	uint64_t bytes;
	unsigned int proc = 0;
	bool all = true;
	int err;

	if (script_is_word(&p->w[0], "sleep")) {
		char ms[32];
		uint64_t n;

		err = script_need(p, 1, "milliseconds after sleep");
		if (err)
			return err;
		snprintf(ms, sizeof(ms), "%.*s", (int)p->w[1].len, p->w[1].s);
		if (p->w[1].len >= sizeof(ms) || mmsim_parse_size(ms, &n) || n > MMSIM_SLEEP_MAX_MS)
			return script_fail_word(p, 1,
						"bad time '%s' (want milliseconds, at most 2^32)");
		err = script_no_more(p, 2);
		if (err)
			return err;
		c = script_new_cmd(p, SCRIPT_OP_SLEEP);
		if (!c)
			return -ENOMEM;
		c->sleep_ms = n;
		return 0;
	}
	if (script_is_word(&p->w[0], "compact_memory")) {
		err = script_no_more(p, 1);
		if (err)
			return err;
		return script_new_cmd(p, SCRIPT_OP_COMPACT) ? 0 : -ENOMEM;
	}
	if (script_is_word(&p->w[0], "shrink-all") || script_is_word(&p->w[0], "switch")) {
		bool sw = script_is_word(&p->w[0], "switch");

		err = script_no_more(p, 1);
		if (err)
			return err;
		if (sw)
			p->switch_line = p->line;
		return script_new_cmd(p, sw ? SCRIPT_OP_SWITCH : SCRIPT_OP_SHRINK_ALL) ? 0
										       : -ENOMEM;
	}
	err = script_need(p, 1, "a size after reclaim (e.g. 4M)");
	if (err)
		return err;
	snprintf(size, sizeof(size), "%.*s", (int)p->w[1].len, p->w[1].s);
	if (p->w[1].len >= sizeof(size) || mmsim_parse_size(size, &bytes) || bytes == 0)
		return script_fail_word(
			p, 1, "bad size '%s' (want a number of bytes with K, M or G, not 0)");
	if (p->nr > 2 && !script_is_word(&p->w[2], "all")) {
		err = script_word_live_proc(p, 2, &proc);
		if (err)
			return err;
		all = false;
	}
	err = script_no_more(p, p->nr > 2 ? 3 : 2);
	if (err)
		return err;
	c = script_new_cmd(p, SCRIPT_OP_RECLAIM);
	if (!c)
		return -ENOMEM;
	c->proc = proc;
	c->reclaim.bytes = bytes;
	c->reclaim.all = all;
	return 0;
}

int script_parse_line(struct script_parser *p)
{
	const struct script_word *w0 = &p->w[0];
	int err;

	if (p->nr == 0)
		return 0;
	if (script_is_word(w0, "config"))
		return parse_config(p);
	if (script_is_word(w0, "spawn"))
		err = parse_spawn(p);
	else if (script_is_word(w0, "expect"))
		err = parse_expect(p);
	else if (script_is_word(w0, "show"))
		err = parse_show(p);
	else if (script_is_word(w0, "reclaim") || script_is_word(w0, "shrink-all") ||
		 script_is_word(w0, "sleep") || script_is_word(w0, "compact_memory") ||
		 script_is_word(w0, "switch"))
		err = parse_reclaim(p);
	else if (script_is_word(w0, "file") || script_is_word(w0, "dropcache") ||
		 script_is_word(w0, "lib"))
		err = parse_file(p);
	else if (script_is_word(w0, "sys"))
		err = script_fail_at(p, w0->col,
				     "sys is not a process (sys goes after expect or show)");
	else if (!script_find_proc(p, w0, &(unsigned int){ 0 }))
		err = script_fail_word(
			p, 0,
			"'%s' is neither a command (config|spawn|expect|show|reclaim|"
			"shrink-all|switch|sleep|compact_memory|file|dropcache|lib) "
			"nor a process");
	else
		err = parse_proc_command(p);
	if (!err && !p->boot_line)
		p->boot_line = p->line;
	return err;
}
