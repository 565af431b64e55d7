/*
 * util/atomic_file.h: a file that appears under its name whole or not at all.
 *
 * The bytes go to a temporary file in the same directory (PATH.tmp-XXXXXX), which is
 * flushed to the disk and renamed over PATH only when every byte was written: rename(2)
 * within one file system is atomic, so a failed or interrupted write (a full disk, ^C, a
 * crash) leaves the old file at PATH, or none, never a plausible prefix. A PATH that exists
 * and is not a regular file (a device such as /dev/full, a FIFO) cannot be replaced, so it
 * is written directly. The library's trace writers use the descriptor calls; the command's
 * own outputs (cli/outfile.c) use the stdio ones.
 */
#ifndef MMSIM_UTIL_ATOMIC_FILE_H
#define MMSIM_UTIL_ATOMIC_FILE_H

#include <stdio.h>

struct atomic_file {
	int fd;	   /* where to write; -1 when closed */
	char *tmp; /* malloc'd temporary name; NULL when PATH is written directly or closed */
};

/*
 * Opens a temporary file next to path, with the mode open(path, O_CREAT, 0666) would give
 * (the umask applied), or path itself when it exists and is not a regular file.
 * 0, or a negative errno value (nothing is left behind).
 */
int atomic_file_open(struct atomic_file *a, const char *path);

/*
 * Flushes the temporary file to the disk (fsync), closes it and renames it over path.
 * 0, or a negative errno value; on failure the temporary file is removed and a file at
 * path is left as it was. a is closed either way.
 */
int atomic_file_commit(struct atomic_file *a, const char *path);

/* Gives up: closes a and removes its temporary file. Accepts a closed or zeroed a. */
void atomic_file_abort(struct atomic_file *a);

/* As atomic_file_open(), with a stdio stream over the file in *f. Close the stream only
 * through atomic_file_fcommit() or atomic_file_fabort(). */
int atomic_file_fopen(struct atomic_file *a, const char *path, FILE **f);

/* As atomic_file_commit() for a stream from atomic_file_fopen(): flushes f first and reports
 * any write error the stream saw. f is closed either way. */
int atomic_file_fcommit(struct atomic_file *a, FILE *f, const char *path);

/* As atomic_file_abort() for a stream from atomic_file_fopen() (f may be NULL). */
void atomic_file_fabort(struct atomic_file *a, FILE *f);

#endif
