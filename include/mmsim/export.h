/*
 * mmsim/export.h: MMSIM_API marks what libmmsim exports.
 *
 * The library is built with -fvisibility=hidden, so only declarations carrying MMSIM_API
 * (every function of include/mmsim/) are visible to programs linking libmmsim.so; the
 * internal layers (arch, mm, kernel, ...) stay private. tests/style/test_exports.sh checks
 * that the exported symbols and the public declarations are the same set.
 */
#ifndef MMSIM_EXPORT_H
#define MMSIM_EXPORT_H

#if defined(__GNUC__) || defined(__clang__)
#define MMSIM_API __attribute__((visibility("default")))
#else
#define MMSIM_API
#endif

#endif
