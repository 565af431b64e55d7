/*
 * trace/trace_reader.h: what the library (tests, fuzzing) may use of the reader beyond
 * mmsim/trace.h.
 *
 * The public reader reads the format asked for or, by default, picks it from the first
 * decoded byte (TRACE_BIN_MAGIC0: binary, anything else: lackey text) and hands out records from a
 * small internal batch, so that mmsim_trace_next() costs a copy, not a parse.
 */
#ifndef MMSIM_TRACE_TRACE_READER_H
#define MMSIM_TRACE_TRACE_READER_H

#include <stddef.h>

#include "mmsim/trace.h"

struct mmsim_error;

/*
 * As mmsim_trace_reader_create_memory() with a decoded buffer of buf_size bytes (at least
 * TRACE_SOURCE_BUF_MIN), so that tests can make records and lines cross buffer edges.
 */
int trace_reader_create_memory_buffered(const void *data, size_t size, const char *name,
					size_t buf_size, struct mmsim_trace_reader **out,
					struct mmsim_error *err);

/* As trace_reader_create_memory_buffered(), reading format (MMSIM_TRACE_FORMAT_AUTO: detect). */
int trace_reader_create_memory_as(const void *data, size_t size, const char *name, size_t buf_size,
				  enum mmsim_trace_format format, struct mmsim_trace_reader **out,
				  struct mmsim_error *err);

#endif
