/*
 * mm/check.h: what the whole-structure checkers (buddy_check, slab_check, memmap_check,
 * check_node, and those of later modules) say when an invariant does not hold, and the
 * combined checker of the node (check.c; the report helpers are check_report.c).
 *
 * A checker returns true when everything holds; otherwise it returns false and, when given
 * a struct check_report, leaves there one line naming the first broken invariant (which
 * frame, which list, which count). Checkers never print and never abort: tests and
 * `--paranoid` decide what to do with the answer.
 */
#ifndef MMSIM_MM_CHECK_H
#define MMSIM_MM_CHECK_H

#include <stdbool.h>

#define CHECK_REPORT_SIZE 256

struct check_report {
	char reason[CHECK_REPORT_SIZE]; /* NUL-terminated, no newline; "" while all holds */
};

/* Fills why (if not NULL) with a printf-style reason and returns false. */
bool check_fail(struct check_report *why, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Empties why (if not NULL). */
void check_report_clear(struct check_report *why);

struct pgdat;

/* The node's invariants: memmap_check(), buddy_check() of each zone, the zones' managed
 * pages summing to totalram_pages, slab_check() of every cache. */
bool check_node(const struct pgdat *pgdat, struct check_report *why);

#endif
