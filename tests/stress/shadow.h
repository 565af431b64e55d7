/*
 * tests/stress/shadow.h: the data-shadow stress engine.
 *
 * A run is a list of operations generated from a seed (spawn, fork, mmap private/shared,
 * write, read, verify, munmap, mprotect, madvise(DONTNEED), mremap, exit) played on a
 * small machine in data mode with a frame cap, swap and one replacement policy; later
 * kinds (issue 20) map files private and shared, msync, drop a file's cache, map
 * 1024-page regions with MADV_HUGEPAGE (thp=always|madvise|never per machine), compact
 * memory and reclaim proactively (mmsim_reclaim(), mmsim_shrink_all()), and pread(2) a
 * file into an anonymous region (mmsim_file_read_into(): copy_to_user()). Every
 * write stores a value derived from (process, address, write count) through mmsim_write()
 * and into a host-side shadow of what each process must see; every read compares
 * mmsim_read() with the shadow. Forks copy private shadows; a shared mapping has one shadow
 * for all its mappers; DONTNEED zeroes private shadows; a process the OOM killer took has
 * its shadow dropped. mmsim_check() runs after every operation.
 *
 * An operation that does not apply in the state it meets (a region not mapped, a process
 * gone) is skipped, so any sublist of a run is a valid run: that is what lets
 * stress_shrink() delta-debug a failing list down to a few operations.
 */
#ifndef MMSIM_TESTS_STRESS_SHADOW_H
#define MMSIM_TESTS_STRESS_SHADOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum stress_op_kind {
	STRESS_SPAWN,
	STRESS_FORK,
	STRESS_MAP,
	STRESS_WRITE,
	STRESS_READ,
	STRESS_VERIFY, /* read back every page of one region */
	STRESS_UNMAP,  /* the tail of a region, or all of it */
	STRESS_PROTECT,
	STRESS_DONTNEED,
	STRESS_REMAP,
	STRESS_EXIT,
	STRESS_MAPFILE,	  /* mmap of a file, private or shared */
	STRESS_MSYNC,	  /* msync over part of a region */
	STRESS_DROPCACHE, /* POSIX_FADV_DONTNEED on a file */
	STRESS_MAPHUGE,	  /* a 1024-page anonymous region, MADV_HUGEPAGE on it */
	STRESS_HUGEADV,	  /* MADV_HUGEPAGE or MADV_NOHUGEPAGE on part of a region */
	STRESS_COMPACT,	  /* mmsim_compact_memory() */
	STRESS_RECLAIM,	  /* mmsim_reclaim() of the machine or of one process */
	STRESS_SHRINKALL, /* mmsim_shrink_all() */
	STRESS_READFILE,  /* pread(2) of a file into an anonymous region */
	STRESS_NR_KINDS,
};

extern const char *const stress_op_names[STRESS_NR_KINDS];

struct stress_op {
	uint8_t kind;	/* enum stress_op_kind */
	uint8_t proc;	/* process slot */
	uint8_t region; /* region slot */
	uint8_t flag;	/* map: shared; protect: read-only */
	uint32_t a, b;	/* pages, first page, counts: meaning per kind */
};

struct stress_machine {
	char policy[16];
	char reclaim[16];
	char thp[16];	     /* always|madvise|never */
	uint64_t frames;     /* frame cap (resident user pages) */
	uint64_t swap_bytes; /* swap area */
	uint64_t mem_bytes;
	uint64_t ballast_pages;	 /* 0, or a process first writes this many pages, so RAM itself
				  * runs short (no frames cap): kswapd and direct reclaim work at
				  * the zone watermarks, between a fault and its data copy too */
	bool forget_dontneed;	 /* self-test only: the shadow skips DONTNEED's zeroing, so a
				    run that reads a DONTNEED'd page must report a mismatch */
	bool forget_file_writes; /* self-test only: the shadow drops writes through shared
				    file mappings, so reading such a page must mismatch */
};

struct stress_result {
	uint64_t ops_done[STRESS_NR_KINDS]; /* operations that applied, per kind */
	uint64_t ops_skipped;		    /* did not apply to the state they met */
	uint64_t mismatches;		    /* reads that differed from the shadow */
	uint64_t invariant_failures;	    /* mmsim_check() failures */
	uint64_t unexpected;		    /* a signal or error where none was due */
	uint64_t oom_kills;		    /* processes the OOM killer took */
	uint64_t bytes_checked;
	uint64_t pswpout, pswpin;		 /* pages the machine swapped out and in */
	uint64_t pgsteal_kswapd;		 /* pages kswapd reclaimed */
	uint64_t thp_fault_alloc, thp_split_pmd; /* huge pages faulted in, PMDs split */
	uint64_t pgmigrate_success;		 /* pages compaction moved */
	uint64_t pgmajfault, file_written;	 /* page-cache misses, file pages written */
	long first_failure; /* index of the operation that first failed; -1 none */
	char why[1024];	    /* what went wrong first */
	bool setup_failed;  /* the machine would not boot (why says so) */
};

/* Seeds a machine: policy and reclaim mode from the seed's place in policies[]. */
void stress_pick_machine(uint64_t seed, const char *const *policies, size_t nr_policies,
			 struct stress_machine *m);

/* n operations from seed. */
void stress_generate(uint64_t seed, struct stress_op *ops, size_t n);

/* Plays ops on a fresh machine; stop_at_failure: stop at the first failure. */
void stress_run(const struct stress_machine *m, const struct stress_op *ops, size_t n,
		bool stop_at_failure, struct stress_result *res);

static inline bool stress_failed(const struct stress_result *r)
{
	return r->setup_failed || r->mismatches || r->invariant_failures || r->unexpected;
}

/* Delta debugging (ddmin) over ops: shrinks ops in place to a list that still fails;
 * returns its length. At most max_runs replays. */
size_t stress_shrink(const struct stress_machine *m, struct stress_op *ops, size_t n,
		     unsigned int max_runs);

/* Writes ops as a scenario script (mmsim script) that replays them. res NULL: no shrink
 * header, the whole run unbuffered as it plays (for a run that aborts the process). */
void stress_write_script(FILE *f, const struct stress_machine *m, const struct stress_op *ops,
			 size_t n, const struct stress_result *res);

#endif
