/*
 * cli/cli.h: the mmsim command's subcommands. Each lives in cmd_<name>.c and is listed in
 * main.c's table. A subcommand returns the process exit status: 0 success, 1 a
 * verification or expectation failed, 2 usage or input error, 3 a process was killed.
 */
#ifndef MMSIM_CLI_CLI_H
#define MMSIM_CLI_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct cJSON;
struct mmsim_config;
struct mmsim_error;
struct mmsim_workload_info;
struct mmsim_trace_reader;

enum cli_exit {
	CLI_EXIT_OK = 0,
	CLI_EXIT_FAILED = 1, /* a verification, expectation or simulated check failed */
	CLI_EXIT_USAGE = 2,  /* bad usage or bad input */
	CLI_EXIT_KILLED = 3, /* a process was OOM-killed: part of the input was not simulated */
	CLI_EXIT_INTERRUPTED = 130, /* stopped by SIGINT (128 + 2, as a shell reports it) */
};

struct cli_command {
	const char *name;
	const char *summary;		   /* one line for mmsim --help */
	int (*run)(int argc, char **argv); /* argv[0] is the subcommand's name */
};

int cli_cmd_walk(int argc, char **argv);
int cli_cmd_script(int argc, char **argv);
int cli_cmd_layout(int argc, char **argv);
int cli_cmd_experiment(int argc, char **argv);
/* `mmsim experiment switch` (cmd_experiment_switch.c), argv[0] being "switch". */
int cli_experiment_switch(int argc, char **argv);
int cli_experiment_pagesize(int argc, char **argv);
/* getopt_long's failure in `mmsim experiment NAME`: the option at argv[optind - 1] is
 * unknown or lacks its value. Returns CLI_EXIT_USAGE. cmd_experiment.c. */
int cli_experiment_bad_option(const char *name, char **argv);
/* An experiment the library refused (code -EINVAL: CLI_EXIT_USAGE) or could not finish
 * (CLI_EXIT_FAILED): prints err and returns the status. cmd_experiment.c. */
int cli_experiment_failed(int code, const struct mmsim_error *err);
int cli_cmd_run(int argc, char **argv);
int cli_cmd_sweep(int argc, char **argv);
int cli_cmd_mrc(int argc, char **argv);
int cli_cmd_merge(int argc, char **argv);
int cli_cmd_record(int argc, char **argv);
int cli_cmd_convert(int argc, char **argv);
int cli_cmd_workloads(int argc, char **argv);

/* Prints root as JSON on stdout and deletes it (NULL: out of memory): CLI_EXIT_OK, or
 * CLI_EXIT_FAILED when it could not. util.c. */
int cli_print_json(struct cJSON *root);

/* Prints "mmsim NAME: message" to stderr and returns CLI_EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Parses a size such as 4096, 64K, 256M, 2G into bytes; 0 or -EINVAL. */
int cli_parse_size(const char *s, unsigned long long *bytes_out);

/*
 * Opens a trace as run, sweep and mrc do: format (MMSIM_TRACE_FORMAT_AUTO: detect), then
 * libCacheSim's reader parameters params (-t; NULL: none). 0, or a negative errno value
 * with err filled and *out NULL. util.c.
 */
int cli_open_trace(const char *path, int format, const char *params,
		   struct mmsim_trace_reader **out, struct mmsim_error *err);

/* Help text of -t, --trace-params for run, sweep, mrc and convert. */
#define CLI_TRACE_PARAMS_HELP                                                                 \
	"  -t, --trace-params P csv: libCacheSim's reader parameters, as its cachesim's -t\n" \
	"                       takes them: \"obj-id-col=3, delimiter=,, has-header=false,\n" \
	"                       obj-id-is-num=1\" (docs/trace-format.md)\n"

/* Parses a decimal count (digits only) into *out; 0 or -EINVAL. settings.c. */
int cli_parse_count(const char *s, uint64_t *out);

/*
 * Machine options shared by the simulating subcommands (settings.c): getopt values, the
 * long options (the BASE set without --policy and --frames, which sweep sweeps), their
 * help text, and the settings they collect, applied in order after a mode's defaults.
 */
enum cli_machine_opt {
	CLI_OPT_MACHINE = 1000,
	CLI_OPT_MEM = CLI_OPT_MACHINE,
	CLI_OPT_SWAP,
	CLI_OPT_POLICY,
	CLI_OPT_RECLAIM,
	CLI_OPT_FRAMES,
	CLI_OPT_TLB,
	CLI_OPT_LAYOUT,
	CLI_OPT_PCID,
	CLI_OPT_KPTI,
	CLI_OPT_SEED,
	CLI_OPT_PARANOID,
	CLI_OPT_CONFIG,
	CLI_OPT_PAGE_SIZE,
	CLI_OPT_MACHINE_END,
};

/* clang-format off */
#define CLI_MACHINE_LONG_OPTIONS_BASE                                                      \
	{ "mem", required_argument, NULL, CLI_OPT_MEM },                                   \
	{ "swap", required_argument, NULL, CLI_OPT_SWAP },                                 \
	{ "reclaim", required_argument, NULL, CLI_OPT_RECLAIM },                           \
	{ "tlb", required_argument, NULL, CLI_OPT_TLB },                                   \
	{ "layout", required_argument, NULL, CLI_OPT_LAYOUT },                             \
	{ "pcid", required_argument, NULL, CLI_OPT_PCID },                                 \
	{ "kpti", required_argument, NULL, CLI_OPT_KPTI },                                 \
	{ "seed", required_argument, NULL, CLI_OPT_SEED },                                 \
	{ "paranoid", no_argument, NULL, CLI_OPT_PARANOID },                               \
	{ "config", required_argument, NULL, CLI_OPT_CONFIG },                             \
	{ "page-size", required_argument, NULL, CLI_OPT_PAGE_SIZE }
#define CLI_MACHINE_LONG_OPTIONS                                                           \
	CLI_MACHINE_LONG_OPTIONS_BASE,                                                     \
	{ "policy", required_argument, NULL, CLI_OPT_POLICY },                             \
	{ "frames", required_argument, NULL, CLI_OPT_FRAMES }
/* clang-format on */

/* The help lines of the BASE options. */
extern const char cli_machine_help_base[];

#define CLI_MAX_SETTINGS 64

struct cli_settings {
	unsigned int page_shift; /* --page-size: 0 (not given) or 12, 13, 14, 16 */
	unsigned int nr;
	struct {
		char key[32]; /* mmsim_config_set()'s key */
		char value[160];
	} s[CLI_MAX_SETTINGS];
};

/* Records option opt (a CLI_OPT_*) with its argument. 0, or prints and returns 2. */
int cli_settings_add(struct cli_settings *s, const char *cmd, int opt, const char *arg);
/* A base page size for --page-size: 4K, 8K, 16K or 64K (K, KiB or k), or the same in bytes.
 * Sets *shift (12, 13, 14 or 16). 0, or -EINVAL. */
int cli_parse_page_size(const char *s, unsigned int *shift);
/* The base page --page-size asked for: 12 (4 KiB, also when not given), 13, 14 or 16. */
unsigned int cli_settings_page_shift(const struct cli_settings *s);
/* The label every output of a what-if page size carries ("what-if page size 16 KiB: NOT
 * x86 (docs/page-size.md)", no comma: it is a CSV field too); NULL for 12 (4 KiB). */
const char *cli_page_note(unsigned int page_shift);
/* A what-if page size (not 4 KiB) needs machine c in demand mode with the TLB off. 0, or
 * prints why not ("mmsim CMD: ...") and returns 2. */
int cli_settings_page_check(const struct cli_settings *s, const char *cmd,
			    const struct mmsim_config *c);
/* Whether key was set. */
bool cli_settings_has(const struct cli_settings *s, const char *key);
/*
 * The one path from settings to a machine: the library's defaults, then workload w's
 * machine (when w is not NULL), then the "key=value ..." text defaults (a command's
 * defaults for its input; NULL for none), then every setting in order. 0, or the
 * library's error in err (which names the key and the accepted values).
 */
int cli_settings_config(const struct cli_settings *s, const struct mmsim_workload_info *w,
			const char *defaults, struct mmsim_config *c, struct mmsim_error *err);

/*
 * The trace-input options that run, sweep and mrc share: --format NAME, -t PARAMS and
 * --allow-empty. Each command lists CLI_TRACE_LONG_OPTIONS and passes its getopt result to
 * cli_trace_input_opt() first.
 */
enum { CLI_OPT_FORMAT = 1100, CLI_OPT_ALLOW_EMPTY };

#define CLI_TRACE_LONG_OPTIONS                                        \
	{ "format", required_argument, NULL, CLI_OPT_FORMAT },        \
		{ "trace-params", required_argument, NULL, 't' },     \
	{                                                             \
		"allow-empty", no_argument, NULL, CLI_OPT_ALLOW_EMPTY \
	}

struct cli_trace_input {
	int format;		 /* an enum mmsim_trace_format: AUTO unless --format */
	const char *format_name; /* --format's argument, or NULL */
	const char *params;	 /* -t: libCacheSim's reader parameters, or NULL */
	bool allow_empty;	 /* --allow-empty: an empty trace is no error */
};

void cli_trace_input_init(struct cli_trace_input *in);
/* Takes option ch into in: 0; 2 after printing cmd's usage error for a bad --format; 1 when
 * ch is not a trace-input option. */
int cli_trace_input_opt(struct cli_trace_input *in, const char *cmd, int ch, const char *arg);

struct mmsim_trace_reader;
/* --skip: reads and drops the next n records of r. 0, the reader's error, or -EINVAL when
 * the trace ends first (the message says how many records it has). */
int cli_trace_skip(struct mmsim_trace_reader *r, uint64_t n, struct mmsim_error *err);

/* A list of frame counts, increasing (frames.c). */
#define CLI_MAX_FRAMES 256
struct cli_frames {
	uint64_t v[CLI_MAX_FRAMES];
	unsigned int nr;
	bool log_x; /* geometric: plot on a log scale */
};
/* START:END:xFACTOR, START:END:+STEP or N,N,... given to option opt of command cmd.
 * 0, or prints the reason and returns 2. */
int cli_parse_frames(const char *cmd, const char *opt, const char *range, struct cli_frames *f);
/* From footprint / 256 (at least 16), doubling, up to footprint. */
void cli_default_frames(uint64_t footprint, struct cli_frames *f);

/* Miss-ratio curves drawn with gnuplot (plot.c). */
struct cli_curve {
	const char *name;  /* the legend */
	size_t nr;	   /* points */
	const uint64_t *x; /* frames */
	const double *y;   /* miss ratio */
};
/* Whether PATH has gnuplot; its path in path. */
bool cli_find_gnuplot(char *path, size_t size);

/* For a --plot FILE (plot may be NULL: nothing needed): 0 when gnuplot is there (its path
 * in path), or prints "mmsim CMD: --plot needs gnuplot ..." and returns CLI_EXIT_USAGE. */
int cli_need_gnuplot(const char *cmd, const char *plot, char *path, size_t size);
/* Whether file ends in .svg or .png. */
bool cli_plot_name_ok(const char *file);
/* Draws the curves into file with gnuplot (found by cli_find_gnuplot()). 0, or prints
 * "mmsim CMD: ..." and returns 2. */
/* The same with other axes: x and y labels given (cli_plot_curves() is this with frames
 * and miss ratio). */
int cli_plot_lines(const char *cmd, const char *gnuplot, const char *file, const char *title,
		   const char *xlabel, const char *ylabel, bool log_x,
		   const struct cli_curve *curves, size_t nr);
int cli_plot_curves(const char *cmd, const char *gnuplot, const char *file, const char *title,
		    bool log_x, const struct cli_curve *curves, size_t nr);

#endif
