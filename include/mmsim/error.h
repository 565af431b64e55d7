/*
 * mmsim/error.h: how the library reports bad input and host failures to its caller.
 *
 * A fallible call returns 0 or a negative errno value and, when given a struct mmsim_error,
 * fills it with a one-line message that names the place and the reason, in the form
 * "FILE:LINE:COL: reason" (or "FILE: reason" / "reason" when there is no finer place).
 * The library never prints; the caller decides what to do with the message.
 */
#ifndef MMSIM_ERROR_H
#define MMSIM_ERROR_H

#include "mmsim/export.h"

#define MMSIM_ERROR_MSG_SIZE 512

struct mmsim_error {
	int code;			/* negative errno value, 0 when no error */
	char msg[MMSIM_ERROR_MSG_SIZE]; /* NUL-terminated, no trailing newline */
};

/* Fills err (if not NULL) with code and a printf-style message; returns code. */
MMSIM_API int mmsim_error_set(struct mmsim_error *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Clears err (if not NULL). */
MMSIM_API void mmsim_error_clear(struct mmsim_error *err);

#endif
