/*
 * cli/cmd_walk.c: `mmsim walk`: a page walk shown level by level on a demo address space,
 * or a run of walk test vectors (docs/vectors.md).
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "mmsim/mmsim.h"
#include "mmsim/error.h"
#include "mmsim/mmu.h"
#include "mmsim/vectors.h"

#define DEMO_RAM_BYTES (UINT64_C(64) << 20)

/* Raw leaf bits used to build the demo (SDM Vol. 3A table 4-19 and 4-20). */
#define E_RW (UINT64_C(1) << 1)
#define E_US (UINT64_C(1) << 2)
#define E_A (UINT64_C(1) << 5)
#define E_D (UINT64_C(1) << 6)
#define E_G (UINT64_C(1) << 8)
#define E_XD (UINT64_C(1) << 63)

struct demo_mapping {
	uint64_t va;
	uint64_t pa;
	unsigned int page_shift;
	uint64_t flags;
	const char *what;
};

static const char walk_usage[] =
	"usage: mmsim walk [OPTIONS] ADDR...\n"
	"       mmsim walk --vectors FILE.jsonl [--quiet]\n"
	"\n"
	"Shows how the CPU translates each ADDR on a small demo address space: user pages of\n"
	"4 KiB, 2 MiB and 1 GiB, and a kernel direct map of all 64 MiB of RAM built with 2 MiB\n"
	"global pages. For every level it prints the table's physical address, the index the\n"
	"address selects, the raw entry and its decoded flags, then the physical address\n"
	"reached or the fault with its decoded error code. Run without ADDR to see the\n"
	"demo's mappings.\n"
	"\n"
	"Options:\n"
	"  --levels 4|5       4-level (48-bit) or 5-level (57-bit, CR4.LA57) paging; default 4\n"
	"  --access r|w|x     read, write or instruction fetch; default r\n"
	"  --user             a user-mode (CPL 3) access; the default\n"
	"  --kernel           a supervisor-mode (CPL 0) access\n"
	"  --no-wp            clear CR0.WP (supervisor writes ignore R/W)\n"
	"  --no-nxe           clear EFER.NXE (XD becomes a reserved bit)\n"
	"  --smep, --smap     set CR4.SMEP / CR4.SMAP\n"
	"  --ac               set RFLAGS.AC (lifts SMAP for supervisor data accesses)\n"
	"  --vectors FILE     check every case of a JSON Lines vector file (docs/vectors.md):\n"
	"                     prints one line per failing case and 'N passed, M failed';\n"
	"                     exit status 1 if any failed, 2 if the file is malformed\n"
	"  --quiet            with --vectors, print only the closing line\n"
	"  -h, --help         this text\n";

static const char *size_name(unsigned int shift)
{
	return shift == 30 ? "1 GiB" : shift == 21 ? "2 MiB" : "4 KiB";
}

/* The demo: one of each page size for the user, plus the kernel's direct map and text. */
static int demo_build(struct mmsim_mmu *mmu, unsigned int levels, struct demo_mapping *m,
		      size_t *nr_maps)
{
	uint64_t direct = levels == 5 ? UINT64_C(0xff11000000000000) : UINT64_C(0xffff888000000000);
	size_t n = 0;
	int err;

	m[n++] = (struct demo_mapping){ 0x400000, 0x200000, 12, E_US | E_A, "user text, r-x" };
	m[n++] = (struct demo_mapping){ 0x401000, 0x201000, 12, E_US | E_RW | E_XD,
					"user data, rw-" };
	m[n++] = (struct demo_mapping){ 0x7ffffffde000, 0x300000, 12,
					E_US | E_RW | E_XD | E_A | E_D, "user stack, rw-" };
	m[n++] = (struct demo_mapping){ 0x7f0000000000, 0x1000000, 21, E_US | E_RW | E_XD,
					"user 2 MiB page, rw-" };
	m[n++] =
		(struct demo_mapping){ 0x7f8000000000, UINT64_C(0x40000000), 30, E_US | E_RW | E_XD,
				       "user 1 GiB page, rw- (beyond RAM: mapping only)" };
	m[n++] = (struct demo_mapping){ UINT64_C(0xffffffff81000000), 0x1000000, 21, E_G | E_A,
					"kernel text, r-x, global" };
	for (size_t i = 0; i < n; i++) {
		err = mmsim_mmu_map(mmu, m[i].va, m[i].pa, m[i].page_shift, m[i].flags);
		if (err)
			return err;
	}
	for (uint64_t pa = 0; pa < DEMO_RAM_BYTES; pa += UINT64_C(1) << 21) {
		err = mmsim_mmu_map(mmu, direct + pa, pa, 21, E_RW | E_G | E_XD | E_A | E_D);
		if (err)
			return err;
	}
	m[n++] = (struct demo_mapping){ direct, 0, 21, E_RW | E_G | E_XD,
					"kernel direct map of all RAM (2 MiB pages), rw-, global" };
	*nr_maps = n;
	return 0;
}

struct vec_print {
	bool quiet;
};

static void on_vector(void *ctx, const char *id, bool passed, const char *why)
{
	const struct vec_print *vp = ctx;

	if (!passed && !vp->quiet)
		printf("FAIL %s: %s\n", id, why);
}

static int run_vectors(const char *path, bool quiet)
{
	struct vec_print vp = { .quiet = quiet };
	struct mmsim_error err = { 0 };
	unsigned long passed = 0, failed = 0;
	int rc = mmsim_vectors_run(path, on_vector, &vp, &passed, &failed, &err);

	if (rc) {
		fprintf(stderr, "mmsim walk: %s\n", err.msg);
		printf("%lu passed, %lu failed\n", passed, failed);
		return CLI_EXIT_USAGE;
	}
	printf("%lu passed, %lu failed\n", passed, failed);
	/* A file with no case checks nothing: that must not read as a pass. */
	if (!passed && !failed) {
		fprintf(stderr, "mmsim walk: %s: no vectors in the file\n", path);
		return CLI_EXIT_USAGE;
	}
	return failed ? CLI_EXIT_FAILED : CLI_EXIT_OK;
}

static int parse_va(const char *s, uint64_t *va)
{
	/* Hexadecimal with or without 0x, as /proc and lackey print addresses. */
	return mmsim_parse_addr(s, strlen(s), va);
}

int cli_cmd_walk(int argc, char **argv)
{
	enum {
		OPT_LEVELS = 256,
		OPT_ACCESS,
		OPT_USER,
		OPT_KERNEL,
		OPT_NOWP,
		OPT_NONXE,
		OPT_SMEP,
		OPT_SMAP,
		OPT_AC,
		OPT_VECTORS,
		OPT_QUIET
	};
	static const struct option opts[] = {
		{ "levels", required_argument, NULL, OPT_LEVELS },
		{ "access", required_argument, NULL, OPT_ACCESS },
		{ "user", no_argument, NULL, OPT_USER },
		{ "kernel", no_argument, NULL, OPT_KERNEL },
		{ "no-wp", no_argument, NULL, OPT_NOWP },
		{ "no-nxe", no_argument, NULL, OPT_NONXE },
		{ "smep", no_argument, NULL, OPT_SMEP },
		{ "smap", no_argument, NULL, OPT_SMAP },
		{ "ac", no_argument, NULL, OPT_AC },
		{ "vectors", required_argument, NULL, OPT_VECTORS },
		{ "quiet", no_argument, NULL, OPT_QUIET },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct mmsim_cpu_state cpu = { .levels = 4, .maxphyaddr = 46, .wp = true, .nxe = true };
	enum mmsim_access acc = MMSIM_ACCESS_READ;
	const char *vectors = NULL;
	bool user = true, quiet = false;
	struct demo_mapping maps[8];
	struct mmsim_mmu *mmu;
	size_t nr_maps;
	uint64_t root;
	int c, rc = CLI_EXIT_OK;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case OPT_LEVELS:
			if (strcmp(optarg, "4") && strcmp(optarg, "5"))
				return cli_usage_error("walk", "--levels takes 4 or 5, not '%s'",
						       optarg);
			cpu.levels = (unsigned int)atoi(optarg);
			break;
		case OPT_ACCESS:
			if (!strcmp(optarg, "r"))
				acc = MMSIM_ACCESS_READ;
			else if (!strcmp(optarg, "w"))
				acc = MMSIM_ACCESS_WRITE;
			else if (!strcmp(optarg, "x"))
				acc = MMSIM_ACCESS_FETCH;
			else
				return cli_usage_error("walk", "--access takes r, w or x, not '%s'",
						       optarg);
			break;
		case OPT_USER:
			user = true;
			break;
		case OPT_KERNEL:
			user = false;
			break;
		case OPT_NOWP:
			cpu.wp = false;
			break;
		case OPT_NONXE:
			cpu.nxe = false;
			break;
		case OPT_SMEP:
			cpu.smep = true;
			break;
		case OPT_SMAP:
			cpu.smap = true;
			break;
		case OPT_AC:
			cpu.ac = true;
			break;
		case OPT_VECTORS:
			vectors = optarg;
			break;
		case OPT_QUIET:
			quiet = true;
			break;
		case 'h':
			fputs(walk_usage, stdout);
			return CLI_EXIT_OK;
		default:
			return cli_usage_error("walk",
					       "unknown option '%s' (see mmsim walk --help)",
					       argv[optind - 1]);
		}
	}
	if (vectors) {
		if (optind < argc)
			return cli_usage_error("walk", "--vectors takes no addresses");
		return run_vectors(vectors, quiet);
	}
	for (int i = optind; i < argc; i++) {
		uint64_t va;

		if (parse_va(argv[i], &va))
			return cli_usage_error(
				"walk",
				"'%s' is not an address (want hexadecimal, with or without 0x)",
				argv[i]);
	}

	if (mmsim_mmu_create(DEMO_RAM_BYTES, false, &mmu)) {
		fprintf(stderr, "mmsim walk: out of host memory\n");
		return CLI_EXIT_USAGE;
	}
	if (mmsim_mmu_alloc_table(mmu, &root) ||
	    (cpu.cr3 = root, mmsim_mmu_set_cpu(mmu, &cpu, NULL)) ||
	    demo_build(mmu, cpu.levels, maps, &nr_maps)) {
		fprintf(stderr, "mmsim walk: could not build the demo address space\n");
		mmsim_mmu_destroy(mmu);
		return CLI_EXIT_FAILED;
	}
	if (optind == argc) {
		printf("Demo address space (%u-level paging, CR3 0x%" PRIx64 "):\n", cpu.levels,
		       root);
		for (size_t i = 0; i < nr_maps; i++)
			printf("  0x%016" PRIx64 " -> 0x%010" PRIx64 "  %s  %s\n", maps[i].va,
			       maps[i].pa, size_name(maps[i].page_shift), maps[i].what);
		printf("\nTry: mmsim walk 0x400123 0x7f0000012345 --access w\n");
	}
	for (int i = optind; i < argc; i++) {
		struct mmsim_translation t;
		uint64_t va;

		parse_va(argv[i], &va);
		char *text;

		mmsim_mmu_translate(mmu, va, acc, user, &t);
		if (mmsim_translation_text(&t, va, cpu.levels, acc, user, &text)) {
			fprintf(stderr, "mmsim walk: out of host memory\n");
			rc = CLI_EXIT_FAILED;
			break;
		}
		fputs(text, stdout);
		free(text);
	}
	mmsim_mmu_destroy(mmu);
	return rc;
}
