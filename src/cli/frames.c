/*
 * cli/frames.c: the lists of frame counts `sweep --frames` and `mrc --sizes` take
 * (docs/run.md, "Sweeps"), and the default list: from the footprint / 256 (at least 16),
 * doubling, up to the footprint.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* The largest frame count: its bytes (frames x a page of up to 64 KiB) and a sweep run's
 * memory (frames x 4 KiB plus the rest) fit in 64 bits with room to spare. */
#define MAX_FRAME_COUNT (UINT64_C(1) << 40)

/* A decimal number of 1 to MAX_FRAME_COUNT from s up to the first character in stops (or
 * the end): 0 and *end, -ERANGE above the maximum, -EINVAL not a number (no sign, no
 * space, no overflow). */
static int frame_count(const char *s, const char *stops, uint64_t *v, const char **end)
{
	uint64_t n = 0;
	const char *p = s;

	for (; *p >= '0' && *p <= '9'; p++) {
		if (n > MAX_FRAME_COUNT)
			continue; /* too large already: read on to the end of the digits */
		n = n * 10 + (uint64_t)(*p - '0');
	}
	if (p == s || (*p && !strchr(stops, *p)))
		return -EINVAL;
	*end = p;
	*v = n;
	if (n > MAX_FRAME_COUNT)
		return -ERANGE;
	return n ? 0 : -EINVAL;
}

static int too_many_frames(const char *cmd, const char *opt, const char *range)
{
	return cli_usage_error(cmd, "%s %s: at most %" PRIu64 " frames (2^40) per value", opt,
			       range, MAX_FRAME_COUNT);
}

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
	uint64_t start, end;
	const char *step, *p;
	int rc;

	s->nr = 0;
	s->log_x = false;
	if (strchr(range, ':')) {
		char *e;
		double factor;
		unsigned long long inc;

		rc = frame_count(range, ":", &start, &p);
		if (!rc && *p == ':')
			rc = frame_count(p + 1, ":", &end, &p);
		if (rc == -ERANGE)
			return too_many_frames(cmd, opt, range);
		if (rc || *p != ':' || end < start)
			return cli_usage_error(cmd, "%s %s: want 1 <= START <= END", opt, range);
		step = p + 1;
		if (step[0] == 'x') {
			factor = strtod(step + 1, &e);
			/* A factor this close to 1 would take 2^52 steps to move a value. */
			if ((step[1] < '0' || step[1] > '9') && step[1] != '.')
				factor = 0; /* no sign, no space (strtod takes them) */
			if (e == step + 1 || *e || !(factor >= 1.000001) || factor > 1e6)
				return cli_usage_error(cmd,
						       "%s %s: xFACTOR wants a factor "
						       "above 1 (1.000001 or more), e.g. x2",
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
			errno = 0;
			inc = strtoull(step + 1, &e, 10);
			if (step[1] < '0' || step[1] > '9' || errno || *e || inc < 1)
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
	for (p = range; *p;) {
		const char *e;
		uint64_t v;

		rc = frame_count(p, ",", &v, &e);
		if (rc == -ERANGE)
			return too_many_frames(cmd, opt, range);
		if (rc || (*e == ',' && !e[1]))
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
