/*
 * trace/trace_csv.h: CSV request traces read the way libCacheSim's CSV reader reads them
 * (libCacheSim, traceReader/generalReader/csv.c; docs/trace-format.md).
 *
 * One request a line, fields split at a delimiter, RFC 4180 quotes allowed ("a,b", "" for a
 * quote). libCacheSim takes the column layout from its -t parameters; where they are not
 * given it guesses, and mmsim applies the same guesses to the first line:
 *  - delimiter: the one of tab, ',', '|', ':' with the highest count weighted 4, 3, 2, 1
 *    (a line with none of them is one column);
 *  - header: the first line is a header unless it has more digits than letters;
 *  - object id column: with a header, the column named obj_id (or obj-id, id, object, obj,
 *    key; any case); without, column 2, or 1 when a line has one field: libCacheSim's
 *    common layout -t "time-col=1, obj-id-col=2, obj-size-col=3".
 * Ids that are numbers (decimal, or hex after 0x) are compared as numbers, as libCacheSim's
 * obj-id-is-num=1; any other id is a string, hashed (64-bit FNV-1a) as obj-id-is-num=0
 * interns it. The first record decides which; a file mixing the two is refused. Every line
 * has the header's (or the first record's) number of fields. Blank lines are skipped.
 *
 * Requests become pages as oracleGeneral's do (trace_oracle.h): ids numbered 0, 1, 2, ... in
 * order of first request, page n a 1-byte write at MMSIM_TRACE_PAGE_BASE + n * 4096, pid 0.
 * Times, sizes and the other columns are not used.
 */
#ifndef MMSIM_TRACE_TRACE_CSV_H
#define MMSIM_TRACE_TRACE_CSV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mmsim/trace.h"
#include "trace/trace_oracle.h"
#include "trace/trace_text.h"

struct mmsim_error;
struct trace_source;

/* Most fields a line may have. */
#define TRACE_CSV_MAX_FIELDS 64

/*
 * libCacheSim's reader parameters (its cachesim's -t "KEY=VALUE, ..."), where given: each
 * replaces the guess above. Columns count from 1.
 */
struct trace_csv_params {
	unsigned int obj_id_col; /* obj-id-col; 0: guessed */
	char delim;		 /* delimiter; 0: guessed */
	int has_header;		 /* has-header (or header): 0 or 1; -1: guessed */
	int obj_id_is_num;	 /* obj-id-is-num: 0 or 1; -1: as the first record's id */
};

/* No parameter given: every guess. */
void trace_csv_params_init(struct trace_csv_params *p);

/*
 * Parses libCacheSim's parameter string into p (keys as its cli_reader_utils.c takes them:
 * case-insensitive, '_' for '-', "KEY=VALUE" separated by commas; "delimiter=,," and
 * "delimiter=\\," mean a comma, "delimiter=\\t" a tab). Keys of columns mmsim does not use
 * (time-col, obj-size-col, cnt-col, next-access-col) and block-size are checked, then
 * ignored. 0, or -EINVAL with "trace parameters: KEY=VALUE: reason".
 */
int trace_csv_parse_params(const char *text, struct trace_csv_params *p, struct mmsim_error *err);

struct trace_csv_reader {
	struct trace_csv_params params; /* given by the caller; kept across restarts */
	struct trace_text text;
	struct trace_oracle_map map; /* object id -> page, first-request order */
	char delim;		     /* fixed by the first line; 0 before it */
	unsigned int nr_fields;	     /* fields of every line, fixed by the first line */
	unsigned int id_field;	     /* the object id's field, from 1 */
	int ids_numeric;	     /* -1 until the first record, then 1 numbers, 0 strings */
	uint64_t first_record_line;  /* the line that fixed ids_numeric */
};

/* (Re)starts reading; cr->params stay as they are (trace_csv_params_init() first). */
void trace_csv_reader_start(struct trace_csv_reader *cr);
void trace_csv_reader_fini(struct trace_csv_reader *cr);

/* Parses up to max records; 0 (with *nr_out 0 only at the end), or "NAME:LINE:COL: reason". */
int trace_csv_read(struct trace_csv_reader *cr, struct trace_source *src,
		   struct mmsim_trace_record *recs, size_t max, size_t *nr_out,
		   struct mmsim_error *err);

/*
 * Writing: a header TRACE_CSV_HEADER, then one line a record, "TIME,OBJ_ID,OBJ_SIZE":
 * the record's index from 0, its page number (address / 4096) and 4096, as the
 * oracleGeneral writer fills those fields. libCacheSim reads it with -t "time-col=1,
 * obj-id-col=2, obj-size-col=3, has-header=true, delimiter=,"; pids are not kept.
 */
#define TRACE_CSV_HEADER "time,obj_id,obj_size\n"
#define TRACE_CSV_FORMAT_MAX 48 /* 20 + 1 + 16 + 1 + 4 + 1 digits and commas, and room */

/* Writes rec, the index-th record, as one line at out (TRACE_CSV_FORMAT_MAX bytes of
 * room); returns its length. */
size_t trace_csv_format(uint64_t index, const struct mmsim_trace_record *rec, char *out);

/* libCacheSim's guesses, exposed for the tests: the delimiter of a first line (0: none of
 * tab , | :) and whether it is a header. */
char trace_csv_guess_delimiter(const uint8_t *p, size_t len);
bool trace_csv_guess_header(const uint8_t *p, size_t len);

#endif
