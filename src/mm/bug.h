/*
 * mm/bug.h: MM_BUG_ON, the third kind of failure in STYLE.md §5: a broken invariant is a bug
 * in mmsim, never a simulated event. It prints the file, the line and the condition to
 * stderr and aborts. Checks written with it are cheap and stay on in every build.
 */
#ifndef MMSIM_MM_BUG_H
#define MMSIM_MM_BUG_H

/* Prints "mmsim BUG at FILE:LINE: COND" to stderr and aborts. */
_Noreturn void mm_bug(const char *file, int line, const char *cond);

#define MM_BUG_ON(cond)                                    \
	do {                                               \
		if (__builtin_expect(!!(cond), 0))         \
			mm_bug(__FILE__, __LINE__, #cond); \
	} while (0)

#endif
