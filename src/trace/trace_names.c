/*
 * trace/trace_names.c: the names of trace kinds, formats and compressions, for messages and
 * option values. One table each, indexed by the enum.
 */
#include "mmsim/trace.h"
#include "util/macros.h"

static const char *const kind_names[MMSIM_TRACE_NR_KINDS] = {
	[MMSIM_TRACE_LOAD] = "load",
	[MMSIM_TRACE_STORE] = "store",
	[MMSIM_TRACE_MODIFY] = "modify",
	[MMSIM_TRACE_IFETCH] = "ifetch",
};

static const char *const format_names[] = {
	[MMSIM_TRACE_FORMAT_BINARY] = "binary",
	[MMSIM_TRACE_FORMAT_LACKEY] = "lackey",
};

static const char *const compression_names[] = {
	[MMSIM_TRACE_COMPRESSION_NONE] = "none",
	[MMSIM_TRACE_COMPRESSION_ZSTD] = "zstd",
	[MMSIM_TRACE_COMPRESSION_GZIP] = "gzip",
};

#define NAME_OF(table, i) ((unsigned int)(i) < ARRAY_SIZE(table) ? table[(unsigned int)(i)] : "?")

const char *mmsim_trace_kind_name(enum mmsim_trace_kind kind)
{
	return NAME_OF(kind_names, kind);
}

const char *mmsim_trace_format_name(enum mmsim_trace_format format)
{
	return NAME_OF(format_names, format);
}

const char *mmsim_trace_compression_name(enum mmsim_trace_compression compression)
{
	return NAME_OF(compression_names, compression);
}
