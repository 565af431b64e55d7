/*
 * mmsim/mmsim.h: the simulated machine: Linux's memory management on an x86-64 MMU.
 *
 * A struct mmsim_system is one booted machine: simulated RAM, zones and the buddy
 * allocator, slab, kernel page tables, swap, reclaim with a page-replacement policy, a TLB.
 * Tasks (processes) live in it; each has an address space built with Linux's system calls
 * and touched with mmsim_access(), which goes through the TLB and the page walk and takes
 * page faults exactly where the CPU would.
 *
 * Conventions: fallible calls return 0 or a negative errno value as the Linux system call
 * would (-EINVAL, -ENOMEM, ...); a struct mmsim_error, where taken, gets a message.
 * Simulated events (faults, SIGSEGV, swap, OOM kills) are results, not errors.
 * Ownership: create/destroy pairs; tasks belong to their system and die with it. Every
 * *_destroy() of the public headers takes NULL and does nothing (tests/unit/api/
 * test_destroy.c); after a destroy the object is gone: a second destroy or any use of it
 * is undefined, as after free().
 * No global state: any number of systems may coexist in one process (not shared between
 * threads without a lock).
 */
#ifndef MMSIM_MMSIM_H
#define MMSIM_MMSIM_H

#include "mmsim/export.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mmsim/error.h"
#include "mmsim/mmu.h"

struct mmsim_system;
struct mmsim_task;

/* --- configuration --------------------------------------------------------------------- */

/* kpti= settings. OFF and ON equal false and true, so `c.kpti = true` still means on. */
enum mmsim_kpti {
	MMSIM_KPTI_OFF = 0,
	MMSIM_KPTI_ON = 1,
	MMSIM_KPTI_AUTO = 2, /* on when the CPU (TLB preset) has Meltdown, as Linux's pti=auto */
};

struct mmsim_config {
	uint64_t mem_bytes;  /* simulated RAM; default 64 MiB */
	uint64_t swap_bytes; /* swap area size; default 256 MiB; 0 for none */
	char policy[48];     /* page replacement: linux (default), fifo, lru, clock, ...;
			      * NAME:KEY=VALUE sets a policy's parameter */
	char reclaim[16];    /* linux (kswapd + direct reclaim) or demand; "" (default):
				demand when frames is set, else linux */
	uint64_t frames;     /* cap on resident user pages; 0 = no cap */
	char layout[16];     /* virtual memory map: modern (default), classic, la57 */
	unsigned int levels; /* 4 or 5; la57 implies 5 */
	char tlb[256];	     /* TLB preset or spec (docs/tlb.md); "" = default preset */
	bool pcid;	     /* CR4.PCIDE: context switches keep TLB entries per PCID */
	/* kpti: page-table isolation (arch/x86/mm/pti.c): a user and a kernel PGD per process,
	 * CR3 switched at every kernel entry and exit (docs/kernel.md). MMSIM_KPTI_AUTO (the
	 * default) becomes ON at boot when the TLB preset's CPU has Meltdown (skylake, the
	 * default), else OFF, as Linux's pti=auto; ON and OFF are kept as set. A booted
	 * system's config holds ON or OFF. */
	enum mmsim_kpti kpti;
	bool data_mode;	 /* keep user page contents (scripts, workloads); off for traces */
	bool paranoid;	 /* run every whole-structure checker after each operation */
	bool pt_reclaim; /* MADV_DONTNEED frees the PTE page of each whole 2 MiB block it
			    empties (CONFIG_PT_RECLAIM, Linux 6.14 on); default on */
	uint64_t seed;	 /* for seeded choices (random policy, workloads) */
	char thp[16];	 /* transparent huge pages: always|madvise|never, as
			    /sys/kernel/mm/transparent_hugepage/enabled; default madvise */
	char defrag[16]; /* always|defer|defer+madvise|madvise|never, as .../defrag;
			    default madvise */
	/* khugepaged, as /sys/kernel/mm/transparent_hugepage/khugepaged/: */
	uint32_t khugepaged_pages_to_scan; /* pages scanned per pass; default 4096 */
	uint32_t khugepaged_scan_sleep_ms; /* simulated ms between passes; default 10000 */
	uint32_t khugepaged_max_ptes_none; /* empty PTEs a collapse allows; default 511 */
	/* Files (mmsim_file_create()): the block device and writeback. */
	uint64_t read_ahead_kb;		     /* readahead window; default 128, 0 = none */
	unsigned int dirty_ratio;	     /* vm.dirty_ratio, percent; default 20 */
	unsigned int dirty_background_ratio; /* vm.dirty_background_ratio; default 10 */
	uint64_t disk_us;		     /* device time per request, us; default 100 */
	uint64_t disk_mbps;		     /* device transfer rate, MB/s; default 500 */
	unsigned int swappiness;	     /* vm.swappiness, 0..200: reclaim's anon/file balance
						(get_scan_count()); default 60 */
	bool anon_workingset; /* policy linux: swap-outs leave shadow entries and recent anon
				 refaults are read in active, as Linux 5.9+ does
				 (mm/workingset.c); default on (off: Linux before
				 5.9; docs/files.md) */
	bool pcp;	      /* order-0 pages go through per-CPU page lists in front of the
				 buddy allocator, as on Linux (mm/page_alloc.c
				 free_unref_page(), rmqueue_pcplist(); docs/kernel.md); default
				 on (off: every free reaches the free lists at once) */
};

/* Fills c with the defaults above. */
MMSIM_API void mmsim_config_default(struct mmsim_config *c);

/*
 * The reclaim mode c boots with: c->reclaim when given, else "demand" when c->frames caps
 * the resident pages (the textbook model: one victim, chosen by the policy, each time a
 * frame is needed), else "linux". Linux's batches of 32 would blur the policies into one.
 */
MMSIM_API const char *mmsim_config_reclaim(const struct mmsim_config *c);

/* Pages one round of reclaim=linux frees when a frame cap is hit or memory runs low
 * (Linux: SWAP_CLUSTER_MAX); reclaim=demand frees exactly 1. */
#define MMSIM_RECLAIM_BATCH_PAGES 32u

/*
 * Sets one option from text, as `config key=value` in scripts and --key value on the
 * command line: mem, swap, policy, reclaim, frames, layout, levels, tlb, pcid, kpti, data, seed,
 * paranoid, pt_reclaim, thp, defrag, khugepaged_pages_to_scan, khugepaged_scan_sleep_ms,
 * khugepaged_max_ptes_none, read_ahead_kb, dirty_ratio, dirty_background_ratio, disk_us,
 * disk_mbps, swappiness, anon_workingset, pcp. 0, or -EINVAL with a message naming the key and the
 * accepted values.
 */
MMSIM_API int mmsim_config_set(struct mmsim_config *c, const char *key, const char *value,
			       struct mmsim_error *err);

/* Parses a size as the options take it: 4096, 64K, 256M, 2G, 1T (optionally KiB/MB-style
 * suffixes). 0, or -EINVAL. */
MMSIM_API int mmsim_parse_size(const char *text, uint64_t *bytes_out);

/* Parses the len bytes at text as an address: hexadecimal always, with or without 0x, as
 * /proc and valgrind print them (400000 is 0x400000). 0, -EINVAL (not hex) or -ERANGE
 * (more than 64 bits). */
MMSIM_API int mmsim_parse_addr(const char *text, size_t len, uint64_t *addr_out);

/* The configuration a booted machine runs with (as given to mmsim_system_create(), with
 * reclaim resolved by mmsim_config_reclaim()). */
MMSIM_API void mmsim_system_config(const struct mmsim_system *sys, struct mmsim_config *out);

/* Boots a machine. 0, -EINVAL (bad config, with message) or -ENOMEM. */
MMSIM_API int mmsim_system_create(const struct mmsim_config *c, struct mmsim_system **out,
				  struct mmsim_error *err);
MMSIM_API void mmsim_system_destroy(struct mmsim_system *sys);

/* --- tasks ----------------------------------------------------------------------------- */

/* A new process with an empty user address space (as right after exec): stack and heap
 * set up, no other mappings. 0 or -ENOMEM. */
MMSIM_API int mmsim_task_spawn(struct mmsim_system *sys, struct mmsim_task **out);
/* fork(): copies the address space copy-on-write. 0 or -ENOMEM. */
MMSIM_API int mmsim_task_fork(struct mmsim_task *parent, struct mmsim_task **child_out);
/* exit(): frees the address space; the handle is invalid afterwards. */
MMSIM_API void mmsim_task_exit(struct mmsim_task *t);
/*
 * execve(): replaces t's address space with a new one as mmsim_task_spawn() makes (the
 * stack alone), freeing the old one (Linux: exec_mmap()). The pid and the fault counts
 * carry over, as Linux keeps rusage across exec; VmHWM restarts with the new address space,
 * as /proc/PID/status shows it. 0; -EINVAL when t has no address
 * space (killed, exited); -ENOMEM (t keeps its old address space).
 */
MMSIM_API int mmsim_task_exec(struct mmsim_task *t);
/*
 * exit() without the reaping: frees t's address space now (Linux do_exit() -> exit_mm())
 * but keeps the handle valid, as a zombie's task stays until wait(), so its statistics can
 * still be read (fault counts, peak RSS; the rest read as zero). mmsim_task_alive() stays
 * true (it means "not OOM-killed"); mmsim_task_exited() becomes true. Release the handle
 * with mmsim_task_exit(). 0, or -EINVAL when t has no address space (killed, exited).
 */
MMSIM_API int mmsim_task_exit_zombie(struct mmsim_task *t);
MMSIM_API bool mmsim_task_exited(const struct mmsim_task *t);
MMSIM_API int mmsim_task_pid(const struct mmsim_task *t);
/* False once the task was killed (by the OOM killer). A killed task has no memory: its
 * accesses return MMSIM_SIG_KILLED, system calls on it return -EINVAL, its statistics read
 * as zero except the fault counts, and it still has to be exited. */
MMSIM_API bool mmsim_task_alive(const struct mmsim_task *t);

/* --- system calls (Linux semantics and error returns) ---------------------------------- */

#define MMSIM_PROT_NONE 0
#define MMSIM_PROT_READ 1
#define MMSIM_PROT_WRITE 2
#define MMSIM_PROT_EXEC 4

#define MMSIM_MAP_SHARED 0x01
#define MMSIM_MAP_PRIVATE 0x02
#define MMSIM_MAP_FIXED 0x10
#define MMSIM_MAP_ANONYMOUS 0x20
#define MMSIM_MAP_POPULATE 0x8000
#define MMSIM_MAP_FIXED_NOREPLACE 0x100000

#define MMSIM_MADV_DONTNEED 4
#define MMSIM_MADV_HUGEPAGE 14	 /* transparent huge pages wanted (thp=madvise) */
#define MMSIM_MADV_NOHUGEPAGE 15 /* no transparent huge pages */
#define MMSIM_MADV_PAGEOUT 21	 /* Linux 5.4+: reclaim the range's pages now */

#define MMSIM_MREMAP_MAYMOVE 1
#define MMSIM_MREMAP_FIXED 2

MMSIM_API int mmsim_mmap(struct mmsim_task *t, uint64_t addr, uint64_t len, int prot, int flags,
			 uint64_t *addr_out);
MMSIM_API int mmsim_munmap(struct mmsim_task *t, uint64_t addr, uint64_t len);
MMSIM_API int mmsim_mprotect(struct mmsim_task *t, uint64_t addr, uint64_t len, int prot);
/* brk(new_brk): new_brk 0 only queries; the resulting break goes to *brk_out. As on Linux,
 * a break that cannot be set is no error: the call returns 0 with the old break. */
MMSIM_API int mmsim_brk(struct mmsim_task *t, uint64_t new_brk, uint64_t *brk_out);
MMSIM_API int mmsim_madvise(struct mmsim_task *t, uint64_t addr, uint64_t len, int advice);
MMSIM_API int mmsim_mremap(struct mmsim_task *t, uint64_t old_addr, uint64_t old_len,
			   uint64_t new_len, int flags, uint64_t new_addr, uint64_t *addr_out);

/* --- files ------------------------------------------------------------------------------ */

/*
 * A simulated file system of named files (Linux: the page cache of mm/filemap.c over a
 * block device). A file is nr_pages long; its bytes come from its name until written back.
 * mmsim_file_create(): a new file, every page cached and clean (as after write + fsync);
 * 0, -EEXIST, -EINVAL (name not 1..32 of [A-Za-z0-9_.-], or size 0 or above 2^32 pages),
 * -ENOMEM. mmsim_file_drop_cache(): POSIX_FADV_DONTNEED on the whole file: its clean,
 * unmapped pages leave the cache (*dropped, if not NULL, gets how many). mmsim_file_cached():
 * pages of the file in the cache. Both -ENOENT for an unknown name.
 */
MMSIM_API int mmsim_file_create(struct mmsim_system *sys, const char *name, uint64_t nr_pages);
MMSIM_API int mmsim_file_drop_cache(struct mmsim_system *sys, const char *name, uint64_t *dropped);
MMSIM_API int mmsim_file_cached(const struct mmsim_system *sys, const char *name,
				uint64_t *pages_out);

/*
 * mmap() of file name from page offset_pages on: flags MMSIM_MAP_PRIVATE (copy on write)
 * or MMSIM_MAP_SHARED (writes dirty the file's pages), with FIXED, FIXED_NOREPLACE or
 * POPULATE as for mmsim_mmap(). The mapping may run past the file's end; an access there
 * gets SIGBUS. -ENOENT for an unknown file, else mmsim_mmap()'s errors.
 */
MMSIM_API int mmsim_mmap_file(struct mmsim_task *t, uint64_t addr, uint64_t len, int prot,
			      int flags, const char *name, uint64_t offset_pages,
			      uint64_t *addr_out);
/*
 * Shared libraries (docs/files.md "Shared libraries"). mmsim_lib_create(): a file of
 * text_pages + data_pages pages laid out as a shared library whose ELF program headers say:
 * a text segment (R E) of text_pages from file offset 0, then a data segment (RW) of
 * data_pages from the next page of the file, whose memory size is bss_pages larger (.bss,
 * not in the file). text_pages >= 1; else as mmsim_file_create().
 * mmsim_lib_load(): what glibc's ld.so does to map it into t (elf/dl-map-segments.h
 * _dl_map_segments()): one mmap(PROT_READ|PROT_EXEC, MAP_PRIVATE) of the file over the
 * whole span, then mmap(MAP_FIXED, PROT_READ|PROT_WRITE, MAP_PRIVATE) of the data segment
 * at its file offset, then an anonymous MAP_FIXED mmap for the bss pages. *base_out gets the
 * address of the text (the library's load address). Relocation writes are not made: the
 * data pages stay file pages until the program writes them (copy on write). -ENOENT (no
 * such file), -ENOEXEC (a plain file, not made by mmsim_lib_create()), else mmsim_mmap()'s
 * errors (nothing stays mapped then).
 */
/*
 * read(2) of nr_pages pages of file name by t (MMSIM_FILE_POS: from t's file position,
 * which moves on) or pread(2) at page offset_pages (the position stays). t opens the file
 * at its first read and keeps it open until it exits (a forked child opens its own). The
 * pages come into the page cache by Linux's read path and on-demand readahead
 * (docs/files.md "read() and readahead"); mmsim_file_read() copies them to a buffer mmsim
 * does not model (t's memory does not change). *read_out (if not NULL) gets the pages
 * read: fewer than asked at the file's end, 0 past it. 0, -ENOENT (no such file), -EINVAL
 * (t was killed), -ENOMEM (no page could be read).
 * mmsim_file_read_into(): the same read into t's memory at buf (page-aligned, else
 * -EINVAL), nr_pages pages: each batch read is copied there as copy_to_user() does, by
 * stores that fault like t's own (counted for t) and, in data mode, put the file's bytes
 * there. A store that cannot be made (no VMA, not writable) ends the read without a signal:
 * a short count, or -EFAULT when nothing was copied.
 */
#define MMSIM_FILE_POS UINT64_MAX
MMSIM_API int mmsim_file_read(struct mmsim_task *t, const char *name, uint64_t offset_pages,
			      uint64_t nr_pages, uint64_t *read_out);
MMSIM_API int mmsim_file_read_into(struct mmsim_task *t, const char *name, uint64_t offset_pages,
				   uint64_t nr_pages, uint64_t buf, uint64_t *read_out);

MMSIM_API int mmsim_lib_create(struct mmsim_system *sys, const char *name, uint64_t text_pages,
			       uint64_t data_pages, uint64_t bss_pages);
MMSIM_API int mmsim_lib_load(struct mmsim_task *t, const char *name, uint64_t *base_out);

/* msync(addr, len, MS_SYNC): the dirty file pages shared mappings in the range map are
 * written back (and write-protected, so the next write faults). *written (if not NULL)
 * gets the pages written. 0, or -EINVAL (addr not page-aligned, task exited). */
MMSIM_API int mmsim_msync(struct mmsim_task *t, uint64_t addr, uint64_t len, uint64_t *written);

/* --- accesses -------------------------------------------------------------------------- */

enum mmsim_signal {
	MMSIM_SIG_NONE = 0,
	MMSIM_SIG_SEGV_MAPERR, /* no VMA covers the address */
	MMSIM_SIG_SEGV_ACCERR, /* the VMA forbids the access */
	MMSIM_SIG_KILLED,      /* the task is dead (OOM killer) */
	MMSIM_SIG_BUS_ADRERR,  /* SIGBUS: a shared mapping's page beyond its object's end */
};

/*
 * One memory access by task t, as its CPU would make it: TLB, page walk, page fault and
 * the kernel's fault handling, swap-in, reclaim. user=false makes a supervisor access.
 * Returns the signal the access ended in (MMSIM_SIG_NONE normally). The task keeps running
 * after a SIGSEGV, as if a handler skipped the access. This is the per-access hot path.
 */
MMSIM_API enum mmsim_signal mmsim_access(struct mmsim_task *t, uint64_t va, enum mmsim_access kind,
					 bool user);

/*
 * For replay with a policy that needs the future (opt, Belady's MIN): the same access, told
 * when the same page is accessed next (a position in the trace; UINT64_MAX: never). Calls
 * to mmsim_access() on such a system count as "never again".
 */
MMSIM_API enum mmsim_signal mmsim_access_future(struct mmsim_task *t, uint64_t va,
						enum mmsim_access kind, bool user,
						uint64_t next_use);
/*
 * A run of user-mode accesses by t: va[i] with kind[i], in order, each made exactly as
 * mmsim_access(t, va[i], kind[i], true) makes it (same translation, faults, counters and
 * reclaim), with the per-call work done once for the run. Stops after the first access that
 * returns a signal other than MMSIM_SIG_NONE, or after which t no longer lives (killed).
 * Returns how many accesses were made; *sig_out gets the signal of the last one made
 * (MMSIM_SIG_NONE when n is 0). For replay loops; on a system whose policy needs the
 * future, the accesses count as "never again", as with mmsim_access().
 */
MMSIM_API size_t mmsim_access_batch(struct mmsim_task *t, const uint64_t *va,
				    const enum mmsim_access *kind, size_t n,
				    enum mmsim_signal *sig_out);

/*
 * mmsim_access_batch() for a policy that needs the future: access i is made as
 * mmsim_access_future(t, va[i], kind[i], true, next_use[i]) makes it. A next-use hook
 * (mmsim_set_next_use_hook()) is asked during the accesses, so whatever it answers must
 * already hold for every access of the run: a caller whose hook learns of each access just
 * before it is made calls mmsim_access_future() one by one instead.
 */
MMSIM_API size_t mmsim_access_batch_future(struct mmsim_task *t, const uint64_t *va,
					   const enum mmsim_access *kind, const uint64_t *next_use,
					   size_t n, enum mmsim_signal *sig_out);
/* Whether the configured policy needs next-use positions (see mmsim_access_future()). */
MMSIM_API bool mmsim_needs_future(const struct mmsim_system *sys);
/*
 * When task t uses the page at va next (a position, as for mmsim_access_future();
 * UINT64_MAX: never). A page that a fork shares is used next by whichever of its mappers
 * comes first: with this hook installed, OPT asks it for every task that maps the page.
 */
typedef uint64_t (*mmsim_next_use_fn)(void *ctx, struct mmsim_task *t, uint64_t va);
/* Installs fn (NULL: none; each page's next use is then its last access's). Trace replay
 * installs its own while a future is set (mmsim_replay_set_future()). */
MMSIM_API void mmsim_set_next_use_hook(struct mmsim_system *sys, mmsim_next_use_fn fn, void *ctx);
/* Writes the names of the replacement policies, comma-separated, into buf (for help). */
MMSIM_API void mmsim_policy_names(char *buf, size_t size);
/* Writes one line per policy parameter ("  NAME:KEY=DEFAULT  what it is") into buf; a
 * policy's parameters are set as policy=NAME:KEY=VALUE[:KEY=VALUE]. */
MMSIM_API void mmsim_policy_params(char *buf, size_t size);

/*
 * The lists of names mmsim accepts, each from the one table its parser reads (for --help,
 * error messages and the docs check): MMSIM_NAMES_POLICIES (policy=),
 * MMSIM_NAMES_CONFIG_KEYS (mmsim_config_set()), MMSIM_NAMES_SYSTEM_VIEWS and
 * MMSIM_NAMES_TASK_VIEWS (mmsim_report()), MMSIM_NAMES_TLB_PRESETS (tlb=).
 * Writes them into buf, separated by sep (", " when NULL); truncated to fit.
 */
enum mmsim_names {
	MMSIM_NAMES_POLICIES,
	MMSIM_NAMES_CONFIG_KEYS,
	MMSIM_NAMES_SYSTEM_VIEWS,
	MMSIM_NAMES_TASK_VIEWS,
	MMSIM_NAMES_TLB_PRESETS,
};
MMSIM_API void mmsim_names(enum mmsim_names which, const char *sep, char *buf, size_t size);
/* The i-th name of the list (static text), NULL past the last: for parsers above the API. */
MMSIM_API const char *mmsim_name(enum mmsim_names which, unsigned int i);

/* Data mode: copy bytes through the task's address space (faulting like loads/stores).
 * Returns the signal of the first access that failed; nothing past it is copied. */
MMSIM_API enum mmsim_signal mmsim_read(struct mmsim_task *t, uint64_t va, void *dst, size_t len);
MMSIM_API enum mmsim_signal mmsim_write(struct mmsim_task *t, uint64_t va, const void *src,
					size_t len);

/* Context switch to t on its system's CPU (CR3 write); mmsim_access() does it itself. */
MMSIM_API void mmsim_switch_to(struct mmsim_task *t);

/* --- counters and reports ------------------------------------------------------------- */

struct mmsim_task_stats {
	uint64_t minflt, majflt; /* getrusage(), since spawn; a forked child starts at 0 */
	uint64_t vmsize_kb;	 /* /proc/PID/status VmSize */
	uint64_t rss_kb;	 /* VmRSS = RssAnon + RssFile + RssShmem */
	uint64_t rss_anon_kb, rss_shmem_kb;
	uint64_t swap_kb;	       /* VmSwap */
	uint64_t vmpte_kb;	       /* VmPTE: every table page below the top level */
	uint64_t hwm_kb;	       /* VmHWM: peak RSS; kept after an OOM kill (ru_maxrss) */
	enum mmsim_signal last_signal; /* result of the task's last access */
	uint64_t anon_huge_kb;	       /* AnonHugePages summed over the task's smaps */
	uint64_t rss_file_kb;	       /* RssFile: file pages mapped */
	uint64_t pss_kb;	       /* the Pss lines of /proc/PID/smaps, summed over the VMAs */
};
MMSIM_API void mmsim_task_stats(const struct mmsim_task *t, struct mmsim_task_stats *out);
/* The same without the figures that walk the task's page tables (pss_kb, anon_huge_kb:
 * left 0), so its cost does not grow with the address space: for a progress display or
 * anything else that asks often and reads neither. */
MMSIM_API void mmsim_task_stats_nowalk(const struct mmsim_task *t, struct mmsim_task_stats *out);

/* Where a task's address space has its parts now. */
struct mmsim_task_layout {
	uint64_t task_size;		 /* user space is [0, task_size) */
	uint64_t mmap_base;		 /* the top-down mmap area ends here */
	uint64_t start_brk, brk;	 /* the heap: initial and current break */
	uint64_t stack_start, stack_end; /* the [stack] VMA (both 0 once it is unmapped) */
};

/* 0, or -EINVAL for a task that has no address space any more (killed). */
MMSIM_API int mmsim_task_layout(const struct mmsim_task *t, struct mmsim_task_layout *out);

/* A system counter by its /proc/vmstat name (or TLB counter by perf name): 0 or -ENOENT. */
MMSIM_API int mmsim_counter(const struct mmsim_system *sys, const char *name, uint64_t *value_out);
/* Calls fn for every counter, in report order. Counters of features that are off by
 * default (transparent huge pages, compaction: thp_*, compact_*, pgmigrate_*,
 * nr_anon_transparent_hugepages; files: file_*, docs/files.md) are passed only when
 * non-zero. */
MMSIM_API void mmsim_counters_foreach(const struct mmsim_system *sys,
				      void (*fn)(void *ctx, const char *name, uint64_t value),
				      void *ctx);

/*
 * A /proc-style view as text. System views (task NULL): vmstat, meminfo, buddyinfo,
 * slabinfo, zoneinfo, extfrag, layout. Task views: maps, status, smaps.
 * On success *text_out is a malloc'd NUL-terminated string the caller frees.
 * 0, or -EINVAL (unknown view, message lists the valid ones) / -ENOMEM.
 */
MMSIM_API int mmsim_report(struct mmsim_system *sys, struct mmsim_task *task, const char *view,
			   char **text_out, struct mmsim_error *err);

/*
 * The page walk the CPU would do for va in t's address space, shown level by level as
 * `mmsim walk` shows it (a read at CPL 3; no A/D bits are set, no fault is handled).
 * *text_out is malloc'd; 0 or -ENOMEM.
 */
MMSIM_API int mmsim_task_walk_text(struct mmsim_task *t, uint64_t va, char **text_out);

/* As `echo 2 > /proc/sys/vm/drop_caches`: returns empty slabs to the page allocator. */
MMSIM_API void mmsim_drop_caches(struct mmsim_system *sys);

/*
 * Proactive reclaim: freeing memory ahead of need, as a workload switch or a suspend wants.
 *  - mmsim_reclaim(sys, NULL, bytes): cgroup v2 memory.reclaim on the whole machine: the
 *    configured policy picks the victims, as reclaim under pressure would; counted as
 *    pgscan_proactive / pgsteal_proactive (Linux 6.15+).
 *  - mmsim_reclaim(sys, t, bytes): what process_madvise(MADV_PAGEOUT) over t's whole
 *    address space does, lowest address first, stopping after bytes: t's pages that no
 *    other process maps are reclaimed whatever their Accessed bits (no pgsteal counter).
 *  - mmsim_shrink_all(sys): Linux shrink_all_memory(), as hibernation calls it before
 *    writing its image: everything reclaimable goes (counted as direct reclaim).
 * *reclaimed_bytes (if not NULL) gets what was freed; less than asked when nothing more
 * could go (no swap left, nothing evictable). 0, or -EINVAL (t has exited).
 */
MMSIM_API int mmsim_reclaim(struct mmsim_system *sys, struct mmsim_task *t, uint64_t bytes,
			    uint64_t *reclaimed_bytes);
MMSIM_API int mmsim_shrink_all(struct mmsim_system *sys, uint64_t *reclaimed_bytes);

/*
 * Simulated time passes without accesses: ms milliseconds (each access counts 1 us of
 * simulated time). The kernel's daemons run as they would in that time: khugepaged scans
 * every khugepaged_scan_sleep_ms (at most 64 scans a call). 0, or -EINVAL for more than
 * MMSIM_SLEEP_MAX_MS.
 */
#define MMSIM_SLEEP_MAX_MS (UINT64_C(1) << 32)
MMSIM_API int mmsim_sleep(struct mmsim_system *sys, uint64_t ms);

/* Writing 1 to /proc/sys/vm/compact_memory: every zone is compacted whole (movable pages
 * move to the top of their zone, free pages merge). Returns the pages migrated. */
MMSIM_API uint64_t mmsim_compact_memory(struct mmsim_system *sys);

/* Runs every whole-structure checker; 0, or -EFAULT with the first broken invariant in err. */
MMSIM_API int mmsim_check(struct mmsim_system *sys, struct mmsim_error *err);

/* --- explain mode: what happened, event by event --------------------------------------- */

enum mmsim_event_kind {
	MMSIM_EV_TLB_MISS,	 /* va: no cached translation */
	MMSIM_EV_WALK_STEP,	 /* level, entry_addr, old (entry read) */
	MMSIM_EV_PAGE_FAULT,	 /* va, error_code */
	MMSIM_EV_FAULT_DECISION, /* va, what: the handler's decision in plain words, pfn */
	MMSIM_EV_SIGNAL,	 /* va, signal */
	MMSIM_EV_FRAME_ALLOC,	 /* pfn, what: "user page", "page table", ... */
	MMSIM_EV_FRAME_FREE,	 /* pfn, what */
	MMSIM_EV_PTE_WRITE,	 /* level, entry_addr, old, new */
	MMSIM_EV_TLB_FLUSH,	 /* va (or all), what: why */
	MMSIM_EV_RECLAIM,	 /* what: kswapd woken, direct reclaim, ... */
	MMSIM_EV_EVICT,		 /* pfn, va, what: swapped out / dropped */
	MMSIM_EV_SWAP_IN,	 /* pfn, va, slot in old */
	MMSIM_EV_OOM_KILL,	 /* pid */
	MMSIM_EV_TLB_HIT,	 /* va, pfn; level 1 (L1 TLB) or 2 (L2, L1 refilled) */
};

struct mmsim_event {
	enum mmsim_event_kind kind;
	int pid;
	uint64_t va;
	uint64_t pfn;
	uint64_t entry_addr;
	uint64_t old, new;
	unsigned int level;
	uint32_t error_code;
	enum mmsim_signal signal;
	const char *what; /* static text, may be NULL */
};

typedef void (*mmsim_event_cb)(void *ctx, const struct mmsim_event *ev);

/* Events go to cb until it is set to NULL. Costs nothing on the access path when NULL. */
MMSIM_API void mmsim_set_event_hook(struct mmsim_system *sys, mmsim_event_cb cb, void *ctx);

/* The event in plain words, one line without newline. */
MMSIM_API void mmsim_event_describe(const struct mmsim_event *ev, char *buf, size_t size);

/* The library's version, "MAJOR.MINOR.PATCH" (the same as `mmsim --version`); static. */
MMSIM_API const char *mmsim_version(void);

#endif
