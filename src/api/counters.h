/*
 * api/counters.h: counters of a system beyond /proc/vmstat's and the TLB's that the public
 * API names: mmsim's file I/O counts (struct filemap_stats, docs/files.md). One table for
 * the system's counters (system.c: mmsim_counter(), mmsim_counters_foreach(), which lists
 * them only when non-zero) and their metadata (info.c: mmsim_counter_info(), events all).
 */
#ifndef MMSIM_API_COUNTERS_H
#define MMSIM_API_COUNTERS_H

#include <stddef.h>

struct api_file_counter {
	const char *name; /* as mmsim_counter() takes it */
	size_t offset;	  /* of its uint64_t in struct filemap_stats */
};

#define API_NR_FILE_COUNTERS 9

extern const struct api_file_counter api_file_counters[API_NR_FILE_COUNTERS];

#endif
