/*
 * api/walk_result.h: the walker's result as the public struct mmsim_translation, one
 * conversion for the stand-alone MMU (mmu.c) and for probe walks (explore.c).
 */
#ifndef MMSIM_API_WALK_RESULT_H
#define MMSIM_API_WALK_RESULT_H

#include "arch/x86_64/walk.h"
#include "mmsim/mmu.h"

/* Fills out from w: outcome, address, permissions, and each level as the walk read and
 * wrote it. */
void api_translation_from_walk(const struct x86_walk_result *w, struct mmsim_translation *out);

#endif
