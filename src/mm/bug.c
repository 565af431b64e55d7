/*
 * mm/bug.c: the report MM_BUG_ON makes before it aborts (see bug.h).
 */
#include "mm/bug.h"

#include <stdio.h>
#include <stdlib.h>

_Noreturn void mm_bug(const char *file, int line, const char *cond)
{
	fprintf(stderr, "mmsim BUG at %s:%d: %s\n", file, line, cond);
	fflush(stderr);
	abort();
}
