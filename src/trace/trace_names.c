/*
 * trace/trace_names.c: the names of trace kinds, formats and compressions, for messages and
 * option values. One table each, indexed by the enum. Also the public face of the event
 * rules (trace/trace_event.h).
 */
#include "mmsim/trace.h"
#include "trace/trace_event.h"
#include "util/macros.h"

#include <errno.h>
#include <string.h>

static const char *const kind_names[MMSIM_TRACE_NR_ALL_KINDS] = {
	[MMSIM_TRACE_LOAD] = "load",
	[MMSIM_TRACE_STORE] = "store",
	[MMSIM_TRACE_MODIFY] = "modify",
	[MMSIM_TRACE_IFETCH] = "ifetch",
	[MMSIM_TRACE_FORK] = "fork",
	[MMSIM_TRACE_EXEC] = "exec",
	[MMSIM_TRACE_EXIT] = "exit",
	[MMSIM_TRACE_RECLAIM] = "reclaim",
	[MMSIM_TRACE_SHRINK_ALL] = "shrink-all",
	[MMSIM_TRACE_SWITCH] = "switch",
};

static const char *const format_names[MMSIM_TRACE_NR_FORMATS] = {
	[MMSIM_TRACE_FORMAT_BINARY] = "binary",
	[MMSIM_TRACE_FORMAT_LACKEY] = "lackey",
	[MMSIM_TRACE_FORMAT_DIN] = "din",
	[MMSIM_TRACE_FORMAT_ORACLE_GENERAL] = "oracleGeneral",
	[MMSIM_TRACE_FORMAT_CHAMPSIM] = "champsim",
	[MMSIM_TRACE_FORMAT_PAGES] = "pages",
	[MMSIM_TRACE_FORMAT_CSV] = "csv",
};

static const char formats_help[] =
	"  binary         mmsim's binary trace (docs/trace-format.md); detected\n"
	"  lackey         valgrind --tool=lackey --trace-mem=yes output; detected\n"
	"  din            Dinero IV din text: LABEL HEXADDR a line (0 read, 1 write,\n"
	"                 2 fetch)\n"
	"  oracleGeneral  libCacheSim's binary request trace (24-byte records); object\n"
	"                 ids become pages\n"
	"  champsim       ChampSim input_instr instruction traces (64-byte records,\n"
	"                 usually .xz); read only\n"
	"  pages          text page list: PAGE or PID PAGE a line (reference strings)\n"
	"  csv            CSV request trace as libCacheSim's csv reader takes it: -t gives\n"
	"                 its parameters (obj-id-col, delimiter, has-header, obj-id-is-num),\n"
	"                 else guessed; written as time,obj_id,obj_size with a header\n";

static const char *const compression_names[] = {
	[MMSIM_TRACE_COMPRESSION_NONE] = "none",
	[MMSIM_TRACE_COMPRESSION_ZSTD] = "zstd",
	[MMSIM_TRACE_COMPRESSION_GZIP] = "gzip",
	[MMSIM_TRACE_COMPRESSION_XZ] = "xz",
};

#define NAME_OF(table, i) ((unsigned int)(i) < ARRAY_SIZE(table) ? table[(unsigned int)(i)] : "?")

const char *mmsim_trace_event_invalid(const struct mmsim_trace_record *ev)
{
	return trace_event_invalid(ev);
}

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

int mmsim_trace_format_from_name(const char *name, enum mmsim_trace_format *out)
{
	if (!strcmp(name, "auto")) {
		*out = MMSIM_TRACE_FORMAT_AUTO;
		return 0;
	}
	if (!strcmp(name, "bin")) {
		*out = MMSIM_TRACE_FORMAT_BINARY;
		return 0;
	}
	for (unsigned int i = 0; i < MMSIM_TRACE_NR_FORMATS; i++) {
		if (!strcmp(name, format_names[i])) {
			*out = (enum mmsim_trace_format)i;
			return 0;
		}
	}
	return -EINVAL;
}

const char *mmsim_trace_formats_help(void)
{
	return formats_help;
}
