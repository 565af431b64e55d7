/*
 * util/macros.h: the few macros every layer shares.
 */
#ifndef MMSIM_UTIL_MACROS_H
#define MMSIM_UTIL_MACROS_H

/* Elements of an array (not a pointer: the argument must be an array object). */
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif
