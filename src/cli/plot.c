/*
 * cli/plot.c: miss-ratio curves drawn with gnuplot (Debian package gnuplot-nox), for
 * `mmsim sweep` and `mmsim mrc`: one line per policy, miss ratio against frames, the x
 * axis logarithmic when asked. The data and the script go to a temporary directory,
 * removed afterwards; gnuplot runs as a child process.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"

bool cli_find_gnuplot(char *path, size_t size)
{
	const char *env = getenv("PATH");
	char dirs[4096], *save = NULL;

	snprintf(dirs, sizeof(dirs), "%s", env ? env : "/usr/bin:/bin");
	for (char *d = strtok_r(dirs, ":", &save); d; d = strtok_r(NULL, ":", &save)) {
		snprintf(path, size, "%s/gnuplot", *d ? d : ".");
		if (access(path, X_OK) == 0)
			return true;
	}
	return false;
}

int cli_need_gnuplot(const char *cmd, const char *plot, char *path, size_t size)
{
	if (!plot || cli_find_gnuplot(path, size))
		return 0;
	return cli_usage_error(cmd, "--plot needs gnuplot, which is not installed (Debian: "
				    "apt-get install gnuplot-nox)");
}

static const char *plot_terminal(const char *file)
{
	const char *dot = strrchr(file, '.');

	if (dot && !strcmp(dot, ".svg"))
		return "svg size 800,500 dynamic background rgb 'white' font 'sans,11'";
	if (dot && !strcmp(dot, ".png"))
		return "pngcairo size 800,500 font 'sans,10'";
	return NULL;
}

bool cli_plot_name_ok(const char *file)
{
	return plot_terminal(file) != NULL;
}

/* gnuplot strings are single-quoted: a quote is doubled. */
static void put_quoted(FILE *f, const char *s)
{
	fputc('\'', f);
	for (; *s; s++) {
		if (*s == '\'')
			fputc('\'', f);
		fputc(*s, f);
	}
	fputc('\'', f);
}

static int run_gnuplot(const char *gnuplot, const char *script)
{
	pid_t pid = fork();
	int status;

	if (pid < 0)
		return -errno;
	if (pid == 0) {
		execl(gnuplot, "gnuplot", script, (char *)NULL);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0)
		return -errno;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -EIO;
}

int cli_plot_curves(const char *cmd, const char *gnuplot, const char *file, const char *title,
		    bool log_x, const struct cli_curve *curves, size_t nr)
{
	return cli_plot_lines(cmd, gnuplot, file, title, "frames (resident 4 KiB pages)",
			      "miss ratio (misses per page access)", log_x, curves, nr);
}

int cli_plot_lines(const char *cmd, const char *gnuplot, const char *file, const char *title,
		   const char *xlabel, const char *ylabel, bool log_x,
		   const struct cli_curve *curves, size_t nr)
{
	char dir[] = "/tmp/mmsim-plot-XXXXXX", data[64], script[64];
	FILE *fd = NULL, *fs = NULL;
	int rc = CLI_EXIT_USAGE;

	if (!mkdtemp(dir)) {
		fprintf(stderr, "mmsim %s: cannot make a temporary directory: %s\n", cmd,
			strerror(errno));
		return CLI_EXIT_USAGE;
	}
	snprintf(data, sizeof(data), "%s/data", dir);
	snprintf(script, sizeof(script), "%s/plot.gp", dir);
	fd = fopen(data, "w");
	fs = fopen(script, "w");
	if (!fd || !fs)
		goto out;
	/* One block per curve, separated by two blank lines (gnuplot's "index"). */
	for (size_t c = 0; c < nr; c++) {
		fprintf(fd, "# %s\n", curves[c].name);
		for (size_t i = 0; i < curves[c].nr; i++)
			fprintf(fd, "%" PRIu64 " %.6f\n", curves[c].x[i], curves[c].y[i]);
		fprintf(fd, "\n\n");
	}
	fprintf(fs, "set terminal %s\nset output ", plot_terminal(file));
	put_quoted(fs, file);
	fprintf(fs, "\nset title ");
	put_quoted(fs, title);
	fprintf(fs, " noenhanced\nset xlabel ");
	put_quoted(fs, xlabel);
	fprintf(fs, "\nset ylabel ");
	put_quoted(fs, ylabel);
	fprintf(fs, "\nset grid\nset key top right\nset yrange [0:*]\n%splot",
		log_x ? "set logscale x 2\n" : "");
	for (size_t c = 0; c < nr; c++) {
		fprintf(fs, "%s '%s' index %zu using 1:2 with linespoints lw 2 title ",
			c ? "," : "", data, c);
		put_quoted(fs, curves[c].name);
	}
	fprintf(fs, "\n");
	if (fclose(fd) | fclose(fs)) {
		fd = fs = NULL;
		goto out;
	}
	fd = fs = NULL;
	rc = run_gnuplot(gnuplot, script);
	if (rc) {
		fprintf(stderr, "mmsim %s: gnuplot failed to draw %s (its messages are above)\n",
			cmd, file);
		rc = CLI_EXIT_USAGE;
	}
out:
	if (fd)
		fclose(fd);
	if (fs)
		fclose(fs);
	unlink(data);
	unlink(script);
	rmdir(dir);
	return rc;
}
