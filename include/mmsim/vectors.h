/*
 * mmsim/vectors.h: page-walk test vectors (format: docs/vectors.md), JSON Lines with one
 * case a line: the CPU state, the memory the walk reads, one access, the expected outcome
 * and the entries the access changes. Used to check mmsim's walker against independent
 * implementations, and by users to check their own MMU against mmsim.
 */
#ifndef MMSIM_VECTORS_H
#define MMSIM_VECTORS_H

#include "mmsim/export.h"

#include <stdbool.h>

struct mmsim_error;

/*
 * Called once per case: its id, whether it passed, and when it failed a line saying what
 * was expected and what mmsim got.
 */
typedef void (*mmsim_vector_cb)(void *ctx, const char *id, bool passed, const char *why);

/*
 * Runs every case of the file at path ("-" for standard input). Counts go to *passed and
 * *failed. Returns 0 when the whole file was read (whatever the cases gave), or a negative
 * errno with err naming FILE:LINE and the reason for an unreadable file or a malformed case;
 * no case after a malformed one is run.
 */
MMSIM_API int mmsim_vectors_run(const char *path, mmsim_vector_cb on_case, void *ctx,
				unsigned long *passed, unsigned long *failed,
				struct mmsim_error *err);

#endif
