/*
 * cli/frames.c: the lists of frame counts `sweep --frames` and `mrc --sizes` take
 * (docs/run.md, "Sweeps"), and the default list: from the footprint / 256 (at least 16),
 * doubling, up to the footprint.
 */
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"

static int add_frames(const char *cmd, const char *opt, struct cli_frames *s, uint64_t f,
		      const char *range)
{
	if (s->nr == CLI_MAX_FRAMES)
		return cli_usage_error(cmd, "%s %s: more than %d values", opt, range,
				       CLI_MAX_FRAMES);
	s->v[s->nr++] = f;
	return 0;
}

/* START:END:xFACTOR, START:END:+STEP or N,N,... (docs/run.md). */
int cli_parse_frames(const char *cmd, const char *opt, const char *range, struct cli_frames *s)
{
	unsigned long long start, end;
	char step[64], extra;
	int rc;

	s->nr = 0;
	s->log_x = false;
	if (sscanf(range, "%llu:%llu:%63s%c", &start, &end, step, &extra) == 3) {
		char *e;
		double factor;
		unsigned long long inc;

		if (start < 1 || end < start)
			return cli_usage_error(cmd, "%s %s: want 1 <= START <= END", opt, range);
		if (step[0] == 'x') {
			factor = strtod(step + 1, &e);
			if (e == step + 1 || *e || !(factor > 1) || factor > 1e6)
				return cli_usage_error(cmd,
						       "%s %s: xFACTOR wants a factor "
						       "above 1, e.g. x2",
						       opt, range);
			s->log_x = true;
			for (double f = (double)start; f <= (double)end + 0.5; f *= factor) {
				uint64_t v = (uint64_t)(f + 0.5);

				if (s->nr && v <= s->v[s->nr - 1])
					continue;
				rc = add_frames(cmd, opt, s, v, range);
				if (rc)
					return rc;
			}
			return 0;
		}
		if (step[0] == '+') {
			inc = strtoull(step + 1, &e, 10);
			if (e == step + 1 || *e || inc < 1)
				return cli_usage_error(cmd,
						       "%s %s: +STEP wants a step of 1 "
						       "or more, e.g. +1000",
						       opt, range);
			for (unsigned long long f = start; f <= end; f += inc) {
				rc = add_frames(cmd, opt, s, f, range);
				if (rc)
					return rc;
				if (f > ~0ull - inc)
					break;
			}
			return 0;
		}
		return cli_usage_error(cmd, "%s %s: the step is xFACTOR or +STEP, not '%s'", opt,
				       range, step);
	}
	for (const char *p = range; *p;) {
		char *e;
		unsigned long long v;

		if (*p < '0' || *p > '9')
			goto bad;
		v = strtoull(p, &e, 10);
		if (v < 1 || (*e && *e != ','))
			goto bad;
		if (s->nr && v <= s->v[s->nr - 1])
			return cli_usage_error(cmd,
					       "%s %s: list the values in increasing "
					       "order",
					       opt, range);
		rc = add_frames(cmd, opt, s, v, range);
		if (rc)
			return rc;
		p = *e ? e + 1 : e;
	}
	if (s->nr)
		return 0;
bad:
	return cli_usage_error(cmd,
			       "%s '%s': want START:END:xFACTOR, START:END:+STEP "
			       "or N,N,... (numbers of 1 or more)",
			       opt, range);
}

void cli_default_frames(uint64_t footprint, struct cli_frames *s)
{
	uint64_t top = footprint ? footprint : 1, f = top / 256;

	if (f < 16)
		f = 16;
	s->log_x = true;
	s->nr = 0;
	for (; f < top && s->nr < CLI_MAX_FRAMES - 1; f *= 2)
		s->v[s->nr++] = f;
	s->v[s->nr++] = top > f / 2 ? top : f;
}
