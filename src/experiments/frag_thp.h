/*
 * experiments/frag_thp.h: the fragmentation experiment's huge-page part (struct
 * mmsim_frag_thp in mmsim/experiment.h): the workload served by a process of a full
 * machine, order-9 availability before and after compaction, and THP fault success with
 * and without it. Uses the public API only.
 */
#ifndef MMSIM_EXPERIMENTS_FRAG_THP_H
#define MMSIM_EXPERIMENTS_FRAG_THP_H

struct mmsim_error;
struct mmsim_frag_config;
struct mmsim_frag_thp;

#define FRAG_THP_MAX_FILL 90u /* percent: above it the refusals, not the fill, decide */

/* Runs the part for a validated cfg (thp_fill_percent > 0) into *out (zeroed by the
 * caller). 0, -ENOMEM (host), or -EFAULT (a machine's checker failed or the process was
 * killed: a bug, described in err). */
int frag_thp_run(const struct mmsim_frag_config *cfg, struct mmsim_frag_thp *out,
		 struct mmsim_error *err);

#endif
