/*
 * script/script.h: scenario scripts (DESIGN.md "Scenario scripts"; docs/scenario.md), parsed.
 *
 * script_parse() turns a script's text into a list of commands with every name resolved and
 * every number checked: processes and regions become indices, page ranges are checked against
 * the size their region has at that point of the script, and a command for a process that
 * has exited is refused. It touches no system, so the parser is tested and fuzzed alone; the
 * runner (script_run.c, the public mmsim_script_*() of mmsim/script.h) only executes.
 *
 * Units: sizes, ranges and brk steps in pages of SCRIPT_PAGE_SIZE bytes; lines and columns
 * from 1, columns counting bytes. A parsed script is host memory owned by struct script:
 * every string it points to lives in its arena and dies with script_destroy().
 */
#ifndef MMSIM_SCRIPT_SCRIPT_H
#define MMSIM_SCRIPT_SCRIPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mmsim/mmsim.h"

struct mmsim_error;

#define SCRIPT_PAGE_SHIFT 12
#define SCRIPT_PAGE_SIZE (UINT64_C(1) << SCRIPT_PAGE_SHIFT)
/* Byte of a page that read, write and exec touch (one access per page). */
#define SCRIPT_TOUCH_OFFSET 0
/* Largest size in pages: 2^57 bytes, the whole 5-level address space. */
#define SCRIPT_MAX_PAGES (UINT64_C(1) << 45)
/* Longest process or region name, in characters. */
#define SCRIPT_NAME_MAX 32
/* Largest script text, in bytes. */
#define SCRIPT_TEXT_MAX ((size_t)1 << 30)
/* The region every process has: the brk heap, page 0 = first page above the initial break. */
#define SCRIPT_HEAP_REGION 0u
#define SCRIPT_HEAP_NAME "heap"

enum script_op {
	SCRIPT_OP_SPAWN,	 /* spawn P: proc is the new process */
	SCRIPT_OP_MAP,		 /* P map A N ...: map */
	SCRIPT_OP_TOUCH,	 /* P read|write|exec A RANGE: touch */
	SCRIPT_OP_ACCESS,	 /* P access ADDR r|w|x [kernel]: access */
	SCRIPT_OP_FORK,		 /* P fork Q: fork */
	SCRIPT_OP_PROTECT,	 /* P protect A RANGE RIGHTS: range, prot */
	SCRIPT_OP_UNMAP,	 /* P unmap A RANGE: range */
	SCRIPT_OP_ADVISE,	 /* P advise A RANGE dontneed: range, advice */
	SCRIPT_OP_REMAP,	 /* P remap A N: remap */
	SCRIPT_OP_BRK,		 /* P brk +N|-N: brk_delta */
	SCRIPT_OP_EXIT,		 /* P exit */
	SCRIPT_OP_EXPECT_TASK,	 /* expect P FIELD [OP] N: expect */
	SCRIPT_OP_EXPECT_SIGNAL, /* expect P signal [==|!=] SIG: expect */
	SCRIPT_OP_EXPECT_SYS,	 /* expect sys COUNTER [OP] N: expect */
	SCRIPT_OP_SHOW_TASK,	 /* show P maps|status|smaps: view */
	SCRIPT_OP_SHOW_WALK,	 /* show P walk ADDR | show P walk A PAGE: walk */
	SCRIPT_OP_SHOW_SYS,	 /* show sys vmstat|meminfo|...: view */
	SCRIPT_OP_RECLAIM,	 /* reclaim SIZE [P|all]: reclaim */
	SCRIPT_OP_SHRINK_ALL,	 /* shrink-all */
	SCRIPT_OP_SLEEP,	 /* sleep MS: simulated time passes (khugepaged runs) */
	SCRIPT_OP_COMPACT,	 /* compact_memory */
	SCRIPT_OP_FILE,		 /* file NAME PAGES: file */
	SCRIPT_OP_DROPCACHE,	 /* dropcache NAME: file */
	SCRIPT_OP_MSYNC,	 /* P msync R [RANGE]: change.range */
	SCRIPT_OP_EXPECT_CACHE,	 /* expect cache NAME [OP] N: expect (counter: the file) */
	SCRIPT_OP_LIB,		 /* lib NAME text=N [data=N] [bss=N]: file */
	SCRIPT_OP_LOAD,		 /* P load LIB [as R]: load */
	SCRIPT_OP_READ_FILE,	 /* P read file NAME [offset=N] [pages=N] [into=R]: read_file */
	SCRIPT_OP_SWITCH,	 /* switch: a workload switch (the trace event `switch`) */
	SCRIPT_OP_EXPECT_SWITCH, /* expect switch COUNTER [OP] N: expect, since the last switch */
};

/* What `expect P FIELD` reads; rss, swap and vmpte in kB as /proc/PID/status shows them,
 * anonhuge in kB as AnonHugePages summed over the process's smaps. */
enum script_field {
	SCRIPT_FIELD_MINFLT,
	SCRIPT_FIELD_MAJFLT,
	SCRIPT_FIELD_RSS,
	SCRIPT_FIELD_SWAP,
	SCRIPT_FIELD_VMPTE,
	SCRIPT_FIELD_ANONHUGE,
	SCRIPT_FIELD_SIGNAL,
	SCRIPT_FIELD_RSSFILE, /* kB, RssFile */
	SCRIPT_FIELD_RSSANON, /* kB, RssAnon */
	SCRIPT_FIELD_PSS,     /* kB, the smaps Pss lines summed */
};

enum script_cmp {
	SCRIPT_CMP_EQ,
	SCRIPT_CMP_NE,
	SCRIPT_CMP_LT,
	SCRIPT_CMP_LE,
	SCRIPT_CMP_GT,
	SCRIPT_CMP_GE,
};

enum script_advice {
	SCRIPT_ADVICE_DONTNEED,
	SCRIPT_ADVICE_PAGEOUT,
	SCRIPT_ADVICE_HUGEPAGE,
	SCRIPT_ADVICE_NOHUGEPAGE,
};

/* Pages first..last (inclusive) of a region, first <= last < the region's size then. */
struct script_range {
	unsigned int region; /* index in the process's regions */
	uint64_t first, last;
};

struct script_cmd {
	enum script_op op;
	unsigned long line;
	const char *text; /* the command as written, without comment and outer blanks */
	unsigned int
		proc; /* the process acting or shown (index in script->procs); unused for sys */
	union {
		struct {
			unsigned int region; /* the new region's index */
			uint64_t nr_pages;
			int prot;  /* MMSIM_PROT_* */
			int flags; /* MMSIM_MAP_ANONYMOUS | PRIVATE or SHARED, FIXED, POPULATE */
			uint64_t addr;	  /* with MMSIM_MAP_FIXED; page-aligned */
			const char *file; /* a file mapping: the file's name; NULL: anonymous */
			uint64_t offset_pages; /* in the file */
		} map;
		struct {
			const char *name;			    /* FILE, DROPCACHE, LIB */
			uint64_t nr_pages;			    /* FILE */
			uint64_t text_pages, data_pages, bss_pages; /* LIB */
		} file;
		struct {
			const char *name;
			uint64_t offset_pages; /* MMSIM_FILE_POS: read() at the file position */
			uint64_t nr_pages;
			bool into;	     /* into=R: the pages are copied to region R */
			unsigned int region; /* into: R's index, from its page 0 */
		} read_file;
		struct {
			unsigned int region; /* the new region: text, then data, then bss */
			const char *lib;     /* the library's file name */
		} load;
		struct {
			struct script_range range;
			enum mmsim_access kind; /* read, write or exec (fetch) */
		} touch;
		struct {
			uint64_t addr;
			enum mmsim_access kind;
			bool user; /* false: `kernel` (supervisor access) */
		} access;
		struct {
			unsigned int child;	   /* the new process */
			unsigned int nr_inherited; /* regions 0..nr_inherited-1 are the parent's */
		} fork;
		struct {
			struct script_range range;
			int prot;
			enum script_advice advice; /* ADVISE only */
		} change;			   /* PROTECT, UNMAP, ADVISE */
		struct {
			unsigned int region;
			uint64_t old_pages, new_pages;
		} remap;
		int64_t brk_delta; /* pages; negative shrinks */
		struct {
			enum script_field field; /* EXPECT_TASK, EXPECT_SIGNAL */
			const char *counter; /* EXPECT_SYS, EXPECT_SWITCH: vmstat or perf name */
			unsigned long counter_col;
			enum script_cmp cmp;
			uint64_t value;		  /* EXPECT_TASK, EXPECT_SYS, EXPECT_SWITCH */
			enum mmsim_signal signal; /* EXPECT_SIGNAL */
		} expect;
		const char *view; /* SHOW_TASK, SHOW_SYS: the mmsim_report() view name */
		struct {
			uint64_t bytes;
			bool all; /* the whole machine; else the process proc */
		} reclaim;
		uint64_t sleep_ms; /* SLEEP */
		struct {
			bool in_region;		  /* walk A PAGE rather than walk ADDR */
			uint64_t addr;		  /* !in_region */
			struct script_range page; /* in_region: first == last */
		} walk;
	};
};

/* A `config KEY=VALUE` pair; applied with mmsim_config_set() before the system boots. */
struct script_config {
	const char *key, *value;
	unsigned long line, col; /* of the KEY=VALUE word */
};

struct script_region {
	const char *name;
	uint64_t nr_pages;  /* at the end of the script: the size last given by map or remap */
	unsigned long line; /* where it was named (for the parent's regions: in the parent) */
};

struct script_proc {
	const char *name;
	unsigned long line;	       /* spawn or fork */
	unsigned long exit_line;       /* `P exit`; 0 if it never exits */
	struct script_region *regions; /* [0] is the heap, sized by its highest break */
	unsigned int nr_regions;
	unsigned int cap_regions;
	uint64_t heap_pages; /* current break, in pages above the initial one */
};

/* A file the script creates (`file NAME PAGES` or `lib NAME text=N ...`). */
struct script_file {
	const char *name;
	uint64_t nr_pages;
	unsigned long line;
	uint64_t lib_pages; /* a library's span: text + data + bss; 0 for a plain file */
};

struct script_arena_chunk;

struct script {
	char *name; /* file name for messages */
	struct script_cmd *cmds;
	size_t nr_cmds, cap_cmds;
	struct script_config *configs;
	size_t nr_configs, cap_configs;
	struct script_proc *procs;
	unsigned int nr_procs, cap_procs;
	struct script_file *files;
	unsigned int nr_files, cap_files;
	struct script_arena_chunk *arena; /* every string above */
};

/*
 * Validates `config` pairs as they are parsed (the runner passes mmsim_config_set() on a
 * scratch config). 0, or a negative errno value with a message in err that names neither the
 * file nor the line: the parser adds "FILE:LINE:COL: ".
 */
typedef int (*script_config_check_fn)(void *ctx, const char *key, const char *value,
				      struct mmsim_error *err);

/*
 * Parses len bytes of text (need not be NUL-terminated). name is used in messages (copied).
 * check may be NULL (config pairs are then only checked for the KEY=VALUE shape).
 * On success *out is a new script the caller destroys. Stops at the first error: -EINVAL
 * with "NAME:LINE:COL: reason" in err, -EFBIG for more than SCRIPT_TEXT_MAX bytes, -ENOMEM.
 */
int script_parse(const char *text, size_t len, const char *name, script_config_check_fn check,
		 void *check_ctx, struct script **out, struct mmsim_error *err);

/* Reads the file at path ("-": standard input) and parses it as script_parse() does. */
int script_parse_file(const char *path, script_config_check_fn check, void *check_ctx,
		      struct script **out, struct mmsim_error *err);

/* Frees s and every string it holds. Accepts NULL. */
void script_destroy(struct script *s);

/* Names for messages and docs: "minflt", "<=", "SEGV_ACCERR"... */
const char *script_field_name(enum script_field f);
const char *script_cmp_name(enum script_cmp c);
const char *script_signal_name(enum mmsim_signal sig);

#endif
