/*
 * cli/partial.h: sharded runs. `mmsim sweep --shard K/N` and `mmsim mrc --shard K/N` run
 * the K-th of N slices of their cells (sweep: the (policy, frames) runs; mrc: the sizes)
 * and write a partial result; `mmsim merge` checks that the parts fit together and writes
 * what one unsharded run writes. Cell i belongs to slice (i mod N) + 1: round robin, so
 * each slice gets cheap and costly cells alike.
 *
 * A partial result is text, one item a line (docs/cluster.md):
 *   mmsim-partial 2
 *   command sweep|mrc
 *   trace PATH                  the trace as named on the command line
 *   trace_hash fnv1a64:HEX      FNV-1a (64 bits) of the trace file's bytes
 *   shard K/N
 *   KEY VALUE                   settings and facts of the trace the outputs need;
 *                               parts merge only when every one is equal
 *   row CELL FIELD...           one cell's results (the command decides the fields)
 *   sum fnv1a64:HEX             FNV-1a (64 bits) of every byte before this line, so a
 *                               part changed after it was written is refused
 *   end                         so a truncated file is never taken for a whole one
 */
#ifndef MMSIM_CLI_PARTIAL_H
#define MMSIM_CLI_PARTIAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct cli_shard {
	unsigned int k; /* 1..n */
	unsigned int n; /* 0: not sharded */
};

/* --shard K/N with 1 <= K <= N <= 100000. 0, or prints the reason and returns 2. */
int cli_shard_parse(const char *cmd, const char *arg, struct cli_shard *out);
/* Whether cell belongs to the slice (every cell when not sharded). */
bool cli_shard_has(const struct cli_shard *s, size_t cell);

/* "fnv1a64:" and 16 hex digits of the bytes of file path into out. 0, or -errno with a
 * message naming path in msg. */
int cli_trace_hash(const char *path, char *out, size_t size, char *msg, size_t msg_size);

/* The first lines of a partial result, through "shard K/N". */
/*
 * A part is one line a setting: a trace name, -t parameters or a machine setting with a
 * line break in it would write lines merge reads as other settings or rows. 0, or 2
 * (CLI_EXIT_USAGE) with the message printed ("mmsim CMD: --shard: the trace name ...").
 */
struct cli_trace_input;
struct cli_settings;
int cli_partial_text_ok(const char *cmd, const char *trace, const struct cli_trace_input *in,
			const struct cli_settings *settings);

int cli_partial_write_head(FILE *f, const char *command, const char *trace, const char *hash,
			   const struct cli_shard *s);

/* A part is written in two steps: its lines, through the head, into the FILE that
 * cli_partial_body() returns (host memory; NULL when out of it), then cli_partial_finish()
 * writes them to f with the sum and end lines and frees them: 0, or -EIO. */
struct cli_partial_out {
	FILE *f;
	char *buf;
	size_t len;
};
FILE *cli_partial_body(struct cli_partial_out *o);
int cli_partial_finish(struct cli_partial_out *o, FILE *f);

/* One part read back. */
struct cli_partial {
	const char *path;   /* as given to merge (borrowed) */
	char *command;	    /* "sweep" or "mrc" */
	char *trace;	    /* PATH of the trace line */
	char *hash;	    /* trace_hash */
	char *sum;	    /* the sum line's value, or NULL */
	uint64_t body_hash; /* FNV-1a of the bytes before the sum line, as read */
	struct cli_shard shard;
	size_t nr_keys;
	char **keys, **values; /* the KEY VALUE lines, in file order */
	size_t nr_rows;
	uint64_t *cell; /* per row */
	char **fields;	/* per row: the text after the cell number */
};

/* Reads path. 0, or -EINVAL/-errno with "path:line: reason" in msg. */
int cli_partial_load(const char *path, struct cli_partial *p, char *msg, size_t msg_size);
void cli_partial_free(struct cli_partial *p);
/* KEY's value, or NULL. */
const char *cli_partial_get(const struct cli_partial *p, const char *key);
/* KEY's value as a decimal number: 0, or -EINVAL with a message naming the file. */
int cli_partial_u64(const struct cli_partial *p, const char *key, uint64_t *v, char *msg,
		    size_t msg_size);

/*
 * Whether the parts fit together as one run of nr_cells cells: one command, one trace
 * hash, the same settings, the same N, every slice 1..N exactly once, every row's cell
 * below nr_cells, in its part's slice and given once. 0, or -EINVAL with the reason (naming
 * the file) in msg.
 */
int cli_partial_check(const struct cli_partial *parts, size_t nr, uint64_t nr_cells, char *msg,
		      size_t msg_size);

/* Whether every part's sum line matches its bytes: 0, or -EINVAL with the reason (naming the
 * file) in msg. The merges check it last, after the reasons that say more. */
int cli_partial_verify(const struct cli_partial *parts, size_t nr, char *msg, size_t msg_size);

/* Splits fields into exactly n numbers: decimal (u64) or strtod's (double), as want[i]
 * says ('u' or 'd'). 0, or -EINVAL. */
int cli_partial_fields(const char *fields, const char *want, uint64_t *u, double *d);

/* What `mmsim merge` writes (cmd_merge.c), handed to the command of the parts. */
struct cli_merge_opts {
	const char *csv;  /* -o: the CSV; NULL or "-" for standard output */
	const char *json; /* --json (mrc only), or NULL */
	const char *plot; /* --plot, or NULL */
	bool allow_kill;  /* --allow-kill (sweep): killed runs do not make the status 3 */
};

/* The merges of each command: the same outputs as one unsharded run. The exit status. */
int cli_sweep_merge(const struct cli_partial *parts, size_t nr, const struct cli_merge_opts *o);
int cli_mrc_merge(const struct cli_partial *parts, size_t nr, const struct cli_merge_opts *o);

#endif
