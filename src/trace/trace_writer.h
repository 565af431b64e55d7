/*
 * trace/trace_writer.h: what the library (tests, fuzzing) may use of the writer beyond
 * mmsim/trace.h: a writer that collects its output in memory.
 */
#ifndef MMSIM_TRACE_TRACE_WRITER_H
#define MMSIM_TRACE_TRACE_WRITER_H

#include <stddef.h>
#include <stdint.h>

#include "mmsim/trace.h"

struct mmsim_error;

/* As mmsim_trace_writer_create(), into a growing memory buffer named name in messages. */
int trace_writer_create_memory(const char *name, const struct mmsim_trace_writer_opts *opts,
			       struct mmsim_trace_writer **out, struct mmsim_error *err);

/* A memory writer's output so far (complete after finish); borrowed until destroy. */
const uint8_t *trace_writer_memory(const struct mmsim_trace_writer *w, size_t *len);

#endif
