/*
 * cli/cli.h: the mmsim command's subcommands. Each lives in cmd_<name>.c and is listed in
 * main.c's table. A subcommand returns the process exit status: 0 success, 1 a
 * verification or expectation failed, 2 usage or input error.
 */
#ifndef MMSIM_CLI_CLI_H
#define MMSIM_CLI_CLI_H

enum cli_exit {
	CLI_EXIT_OK = 0,
	CLI_EXIT_FAILED = 1, /* a verification, expectation or simulated check failed */
	CLI_EXIT_USAGE = 2,  /* bad usage or bad input */
};

struct cli_command {
	const char *name;
	const char *summary; /* one line for mmsim --help */
	int (*run)(int argc, char **argv); /* argv[0] is the subcommand's name */
};

int cli_cmd_walk(int argc, char **argv);

/* Prints "mmsim NAME: message" to stderr and returns CLI_EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Parses a size such as 4096, 64K, 256M, 2G into bytes; 0 or -EINVAL. */
int cli_parse_size(const char *s, unsigned long long *bytes_out);

#endif
