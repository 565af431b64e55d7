/*
 * script/script_impl.h: what the two files of the scenario-script parser share, and nobody
 * else may touch. script_parse.c cuts the text into lines and words, reads numbers and
 * names, and keeps the namespace (processes, their regions and sizes); script_commands.c
 * is the grammar, one function per command, built on those helpers.
 *
 * Every helper that checks a word either succeeds or returns -EINVAL with the message
 * "NAME:LINE:COL: reason" already in p->err, so a grammar function just passes errors up.
 */
#ifndef MMSIM_SCRIPT_SCRIPT_IMPL_H
#define MMSIM_SCRIPT_SCRIPT_IMPL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "script/script.h"

struct mmsim_error;

/* Words kept per line: more than any command takes; more is an error. */
#define SCRIPT_MAX_WORDS 16
/* Regions over all processes (a fork copies its parent's): bounds memory and lookups. */
#define SCRIPT_MAX_REGION_SLOTS (1u << 20)
/* Characters of a word quoted in a message before it is cut with "...". */
#define SCRIPT_QUOTE_MAX 40

/* A word of the line being parsed: bytes of the script's text, not NUL-terminated. */
struct script_word {
	const char *s;
	size_t len;
	unsigned long col; /* of its first byte */
};

struct script_parser {
	struct script *s; /* being built */
	script_config_check_fn check;
	void *check_ctx;
	struct mmsim_error *err;
	unsigned long line;
	struct script_word w[SCRIPT_MAX_WORDS];
	unsigned int nr;	   /* words of the line, in w */
	unsigned long end_col;	   /* column just past the line's last word */
	const char *text;	   /* the line's first word */
	size_t text_len;	   /* up to the end of its last word */
	unsigned long boot_line;   /* first command other than config; 0 before it */
	size_t nr_region_slots;	   /* over all processes */
	unsigned long switch_line; /* the last `switch` command so far; 0 before one */
};

enum script_num {
	SCRIPT_NUM_OK,
	SCRIPT_NUM_BAD,	  /* not a number */
	SCRIPT_NUM_RANGE, /* more than 64 bits */
};

static inline bool script_is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static inline bool script_is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* script_commands.c: parses the line in p->w (at least one word) into p->s. */
int script_parse_line(struct script_parser *p);

/* ---- script_parse.c: strings, messages, words -------------------------------------------- */

/* A NUL-terminated copy in the script's arena; NULL when out of memory. */
const char *script_strndup(struct script *s, const char *str, size_t n);
bool script_is_word(const struct script_word *w, const char *lit);
/* The word for a message, cut to SCRIPT_QUOTE_MAX characters; returns buf. */
const char *script_quote(const struct script_word *w, char buf[SCRIPT_QUOTE_MAX + 4]);

/* -EINVAL with "NAME:LINE:COL: message" in p->err. */
int script_fail_at(struct script_parser *p, unsigned long col, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* As script_fail_at() at word i; fmt has one %s, which gets the word quoted. */
int script_fail_word(struct script_parser *p, unsigned int i, const char *fmt);
/* 0 if word i exists, else "missing WHAT" just past the line's last word. */
int script_need(struct script_parser *p, unsigned int i, const char *what);
/* 0 if the line has no word i, else "unexpected 'WORD' after the command". */
int script_no_more(struct script_parser *p, unsigned int i);

/* ---- numbers, names and rights ----------------------------------------------------------- */

/* Decimal, or hexadecimal after 0x. */
enum script_num script_parse_u64(const char *s, size_t len, uint64_t *out);
/* Word i as a number; what names it in messages ("size", "address", "value"). */
int script_word_u64(struct script_parser *p, unsigned int i, const char *what, uint64_t *out);
/* Word i as an address: hexadecimal with or without 0x (mmsim_parse_addr()). */
int script_word_addr(struct script_parser *p, unsigned int i, uint64_t *out);
/* Word i as a size in pages: 1..SCRIPT_MAX_PAGES. */
int script_word_pages(struct script_parser *p, unsigned int i, uint64_t *out);
/* Word i as r|rw|rx|rwx|none, into MMSIM_PROT_* bits. */
int script_word_rights(struct script_parser *p, unsigned int i, int *prot);
bool script_is_rights(const struct script_word *w);
/* A letter or _, then letters, digits or _; at most SCRIPT_NAME_MAX. */
bool script_valid_name(const struct script_word *w);

/* ---- the namespace ----------------------------------------------------------------------- */

struct script_proc *script_find_proc(struct script_parser *p, const struct script_word *w,
				     unsigned int *idx);
bool script_find_region(const struct script_proc *pr, const struct script_word *w,
			unsigned int *idx);
/* Word i names a new process: well formed, not a keyword, not taken. */
int script_check_new_proc(struct script_parser *p, unsigned int i);
/* Appends a process named by word i (checked); it has no regions yet. */
int script_add_proc(struct script_parser *p, unsigned int i, unsigned int *idx);
/* Appends a region to pr; name is an arena string. */
int script_add_region(struct script_parser *p, struct script_proc *pr, const char *name,
		      uint64_t pages, unsigned long line, unsigned int *idx);
/* Word i names a process that exists and has not exited. */
int script_word_live_proc(struct script_parser *p, unsigned int i, unsigned int *idx);
/* Word i names a region of pr. */
int script_word_region(struct script_parser *p, unsigned int i, const struct script_proc *pr,
		       unsigned int *idx);
/* Word i is PAGE or FIRST-LAST inside region r of pr, as big as it is now. */
int script_word_range(struct script_parser *p, unsigned int i, const struct script_proc *pr,
		      unsigned int r, struct script_range *out);

/* Appends a command for the current line (zeroed but for op, line, text); NULL: no memory. */
struct script_cmd *script_new_cmd(struct script_parser *p, enum script_op op);

#endif
