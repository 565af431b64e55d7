/*
 * util/error.c: filling struct mmsim_error (see mmsim/error.h).
 */
#include "mmsim/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int mmsim_error_set(struct mmsim_error *err, int code, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return code;
	err->code = code;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return code;
}

void mmsim_error_clear(struct mmsim_error *err)
{
	if (!err)
		return;
	err->code = 0;
	err->msg[0] = '\0';
}
