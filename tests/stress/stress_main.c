/*
 * tests/stress/stress_main.c: the long data-shadow stress (make stress SECONDS=600).
 *
 *   mmsim_stress [--seconds N] [--seeds N] [--steps N] [--seed S] [--out DIR]
 *   mmsim_stress --dump-script FILE [--seed S] [--steps N]
 *
 * Runs seeds S, S+1, ... (each its own machine: a policy, demand or linux reclaim, a frame
 * cap, swap) of --steps operations each, --seeds of them per round, rounds until the time
 * budget is spent (at least one round). Environment: STRESS_SECONDS, STRESS_SEEDS,
 * STRESS_STEPS, STRESS_SEED. A failing seed is shrunk by delta debugging and written as
 * DIR/stress-fail-SEED.mms. Prints the operations done per kind; the last line is
 * `stress: N operations, M data mismatches, K invariant failures`. Exit 0, or 1 on any
 * failure. --dump-script writes seed S's whole run as a script while it plays (unbuffered),
 * for a run that aborts the process (a kernel BUG) before the shrinker can run.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mmsim/mmsim.h"
#include "shadow.h"

#define MAX_POLICIES 32

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint64_t num(const char *text, const char *what)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(text, &end, 10);
	if (errno || end == text || *end) {
		fprintf(stderr, "mmsim_stress: %s: not a number: '%s'\n", what, text);
		exit(2);
	}
	return v;
}

static uint64_t env_or(const char *name, uint64_t dflt)
{
	const char *v = getenv(name);

	return v && *v ? num(v, name) : dflt;
}

/* Every policy the library has that boots a data-mode machine. */
static size_t policies(char *buf, size_t size, const char **out)
{
	size_t nr = 0;

	mmsim_policy_names(buf, size);
	for (char *tok = strtok(buf, ", "); tok && nr < MAX_POLICIES; tok = strtok(NULL, ", "))
		out[nr++] = tok;
	return nr;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "seconds", required_argument, NULL, 't' },
		{ "seeds", required_argument, NULL, 'n' },
		{ "steps", required_argument, NULL, 's' },
		{ "seed", required_argument, NULL, 'S' },
		{ "out", required_argument, NULL, 'o' },
		{ "dump-script", required_argument, NULL, 'd' },
		{ NULL, 0, NULL, 0 },
	};
	uint64_t seconds = env_or("STRESS_SECONDS", 0), seeds = env_or("STRESS_SEEDS", 4);
	uint64_t steps = env_or("STRESS_STEPS", 2000), seed = env_or("STRESS_SEED", 1);
	uint64_t total[STRESS_NR_KINDS] = { 0 }, runs = 0, ops = 0, skipped = 0;
	uint64_t mismatches = 0, invariants = 0, unexpected = 0, kills = 0, bytes = 0;
	uint64_t swpout = 0, swpin = 0, thp = 0, split = 0, migrated = 0, majflt = 0, written = 0;
	const char *outdir = ".", *pol[MAX_POLICIES], *dump = NULL;
	char names[512];
	size_t nr_pol = policies(names, sizeof(names), pol);
	struct stress_op *list;
	double start = now();
	int c;

	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 't':
			seconds = num(optarg, "--seconds");
			break;
		case 'n':
			seeds = num(optarg, "--seeds");
			break;
		case 's':
			steps = num(optarg, "--steps");
			break;
		case 'S':
			seed = num(optarg, "--seed");
			break;
		case 'o':
			outdir = optarg;
			break;
		case 'd':
			dump = optarg;
			break;
		default:
			fprintf(stderr, "usage: mmsim_stress [--seconds N] [--seeds N] [--steps N] "
					"[--seed S] [--out DIR] [--dump-script FILE]\n");
			return 2;
		}
	}
	if (!seeds || !steps || !nr_pol) {
		fprintf(stderr, "mmsim_stress: --seeds and --steps must be at least 1\n");
		return 2;
	}
	list = malloc(steps * sizeof(*list));
	if (!list)
		return 2;
	if (dump) {
		struct stress_machine m;
		FILE *f = fopen(dump, "w");

		if (!f) {
			fprintf(stderr, "mmsim_stress: %s: %s\n", dump, strerror(errno));
			return 2;
		}
		stress_pick_machine(seed, pol, nr_pol, &m);
		stress_generate(seed, list, steps);
		stress_write_script(f, &m, list, steps, NULL);
		fclose(f);
		free(list);
		return 0;
	}
	for (uint64_t round = 0;; round++) {
		for (uint64_t i = 0; i < seeds; i++) {
			uint64_t s = seed + round * seeds + i;
			struct stress_machine m;
			struct stress_result res;

			stress_pick_machine(s, pol, nr_pol, &m);
			stress_generate(s, list, steps);
			stress_run(&m, list, steps, false, &res);
			runs++;
			if (res.setup_failed) {
				printf("seed %" PRIu64 ": policy %s: %s (not counted)\n", s,
				       m.policy, res.why);
				continue;
			}
			for (int k = 0; k < STRESS_NR_KINDS; k++) {
				total[k] += res.ops_done[k];
				ops += res.ops_done[k];
			}
			skipped += res.ops_skipped;
			mismatches += res.mismatches;
			invariants += res.invariant_failures;
			unexpected += res.unexpected;
			kills += res.oom_kills;
			bytes += res.bytes_checked;
			swpout += res.pswpout;
			swpin += res.pswpin;
			thp += res.thp_fault_alloc;
			split += res.thp_split_pmd;
			migrated += res.pgmigrate_success;
			majflt += res.pgmajfault;
			written += res.file_written;
			if (stress_failed(&res)) {
				char path[4096];
				size_t n = stress_shrink(&m, list, steps, 2000);
				FILE *f;

				snprintf(path, sizeof(path), "%s/stress-fail-%" PRIu64 ".mms",
					 outdir, s);
				printf("seed %" PRIu64 " (policy=%s reclaim=%s frames=%" PRIu64
				       "): %s\n  shrunk to %zu operations: %s\n",
				       s, m.policy, m.reclaim, m.frames, res.why, n, path);
				f = fopen(path, "w");
				if (f) {
					stress_write_script(f, &m, list, n, &res);
					fclose(f);
				}
			}
		}
		if (now() - start >= (double)seconds)
			break;
	}
	free(list);
	printf("runs: %" PRIu64 " (seeds %" PRIu64 "..%" PRIu64 ", %" PRIu64
	       " steps each, policies:",
	       runs, seed, seed + runs - 1, steps);
	for (size_t i = 0; i < nr_pol; i++)
		printf(" %s", pol[i]);
	printf(")\n");
	for (int k = 0; k < STRESS_NR_KINDS; k++)
		printf("  %-9s %" PRIu64 "\n", stress_op_names[k], total[k]);
	printf("  skipped   %" PRIu64 " (did not apply to the state they met)\n", skipped);
	printf("pswpout: %" PRIu64 ", pswpin: %" PRIu64 "\n", swpout, swpin);
	printf("thp_fault_alloc: %" PRIu64 ", thp_split_pmd: %" PRIu64
	       ", pgmigrate_success: %" PRIu64 ", pgmajfault: %" PRIu64 ", file_written: %" PRIu64
	       "\n",
	       thp, split, migrated, majflt, written);
	printf("oom kills: %" PRIu64 ", bytes checked: %" PRIu64 ", unexpected results: %" PRIu64
	       "\n",
	       kills, bytes, unexpected);
	printf("stress: %" PRIu64 " operations, %" PRIu64 " data mismatches, %" PRIu64
	       " invariant failures\n",
	       ops, mismatches, invariants);
	return mismatches || invariants || unexpected ? 1 : 0;
}
