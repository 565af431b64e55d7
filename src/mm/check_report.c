/*
 * mm/check_report.c: filling a struct check_report (see check.h). The leaf every checker
 * calls; it calls nothing.
 */
#include "mm/check.h"

#include <stdarg.h>
#include <stdio.h>

bool check_fail(struct check_report *why, const char *fmt, ...)
{
	va_list ap;

	if (!why)
		return false;
	va_start(ap, fmt);
	vsnprintf(why->reason, sizeof(why->reason), fmt, ap);
	va_end(ap);
	return false;
}

void check_report_clear(struct check_report *why)
{
	if (why)
		why->reason[0] = '\0';
}
