/*
 * cli/report_progress.c: the progress bar on standard error while a run or a recording
 * goes on, drawn only when standard error is a terminal: a bar and a percentage when the
 * total is known (a trace file's bytes, a workload's planned accesses), accesses so far,
 * accesses per second and the time left. Redrawn at most five times a second.
 */
#include "report_run.h"

#include <inttypes.h>
#include <stdio.h>
#include <time.h>

#define BAR_WIDTH 24
#define REDRAW_SECONDS 0.2

double cli_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

void cli_progress_start(struct cli_progress *p, bool on, const char *what)
{
	p->on = on;
	p->what = what;
	p->start = p->last = cli_now();
	p->drawn = false;
}

static void rate_text(char *buf, size_t size, double per_s)
{
	if (per_s >= 1e6)
		snprintf(buf, size, "%.1f M/s", per_s / 1e6);
	else
		snprintf(buf, size, "%.0f k/s", per_s / 1e3);
}

void cli_progress_update(struct cli_progress *p, double fraction, uint64_t done)
{
	double now, elapsed;
	char rate[32], count[32];

	if (!p->on)
		return;
	now = cli_now();
	if (now - p->last < REDRAW_SECONDS)
		return;
	p->last = now;
	elapsed = now - p->start;
	rate_text(rate, sizeof(rate), elapsed > 0 ? (double)done / elapsed : 0);
	cli_fmt_count(done, count, sizeof(count));
	if (fraction >= 0) {
		int fill = (int)(fraction * BAR_WIDTH);
		double left = fraction > 0.001 ? elapsed * (1 - fraction) / fraction : 0;
		char bar[BAR_WIDTH + 1];

		if (fill > BAR_WIDTH)
			fill = BAR_WIDTH;
		for (int i = 0; i < BAR_WIDTH; i++)
			bar[i] = i < fill ? '#' : '.';
		bar[BAR_WIDTH] = '\0';
		fprintf(stderr, "\r%s [%s] %3d%%  %s accesses  %s  %d:%02d left\033[K", p->what,
			bar, (int)(fraction * 100), count, rate, (int)left / 60, (int)left % 60);
	} else {
		fprintf(stderr, "\r%s: %s accesses  %s\033[K", p->what, count, rate);
	}
	p->drawn = true;
}

void cli_progress_end(struct cli_progress *p)
{
	if (p->on && p->drawn)
		fprintf(stderr, "\r\033[K");
	p->drawn = false;
}
