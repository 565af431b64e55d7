/*
 * tests/unit/arch/test_tlb.c: the TLB hierarchy, rule by rule (Intel SDM Vol. 3A §4.10).
 *
 * Each test builds small 4-level tables with x86_pt_map() in 64 MiB of simulated RAM (table
 * frames handed out from 32 MiB up), creates a TLB from a spec and checks what hits, what
 * walks and what the counters say. Expected counts are worked out from the SDM rules and
 * the structure shapes, not taken from the code's output.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "arch/x86_64/cr.h"
#include "arch/x86_64/pfec.h"
#include "arch/x86_64/physmem.h"
#include "arch/x86_64/ptbuild.h"
#include "arch/x86_64/pte.h"
#include "arch/x86_64/tlb.h"
#include "arch/x86_64/walk.h"
#include "mmsim/error.h"
#include "util/macros.h"

#define RAM (UINT64_C(64) << 20)
#define TABLES_AT (UINT64_C(32) << 20)
#define KB4 UINT64_C(0x1000)
#define MB2 (UINT64_C(1) << 21)
#define GB1 (UINT64_C(1) << 30)
#define USER_RW (X86_PTE_RW | X86_PTE_US)
#define UVA UINT64_C(0x00007f0000000000)    /* user pages start here */
#define KVA UINT64_C(0xffffffff80000000)    /* kernel text, mapped global */
#define FRAMES UINT64_C(0x0000000100000000) /* data frames: never read, need not be RAM */

struct fix {
	struct physmem pm;
	struct x86_cpu cpu;
	struct tlb *tlb;
	paddr_t next_table;
	struct x86_pt_alloc alloc;
	struct x86_pt_ctx pt;
};

static int alloc_table(void *ctx, paddr_t *pa_out)
{
	struct fix *f = ctx;

	*pa_out = f->next_table;
	f->next_table += X86_PAGE_SIZE;
	physmem_zero_frame(&f->pm, X86_PADDR_TO_PFN(*pa_out));
	return 0;
}

static paddr_t new_root(struct fix *f)
{
	paddr_t root;

	alloc_table(f, &root);
	return root;
}

static void fix_init(struct fix *f, const char *spec)
{
	struct tlb_config cfg;
	struct mmsim_error err = { 0 };

	cr_assert_eq(physmem_init(&f->pm, RAM, false), 0);
	f->next_table = TABLES_AT;
	f->alloc = (struct x86_pt_alloc){ .alloc_table = alloc_table, .ctx = f };
	f->pt = (struct x86_pt_ctx){
		.pm = &f->pm, .levels = 4, .maxphyaddr = 40, .alloc = &f->alloc
	};
	f->pt.root = new_root(f);
	f->cpu = (struct x86_cpu){ .levels = 4,
				   .maxphyaddr = 40,
				   .cr3 = f->pt.root,
				   .wp = true,
				   .nxe = true,
				   .pge = true };
	cr_assert_eq(tlb_config_parse(spec, &cfg, &err), 0, "%s", err.msg);
	cr_assert_eq(tlb_create(&cfg, &f->tlb), 0);
}

static void fix_fini(struct fix *f)
{
	tlb_destroy(f->tlb);
	physmem_fini(&f->pm);
}

/* Maps one page in the table tree rooted at root. */
static void map_in(struct fix *f, paddr_t root, vaddr_t va, paddr_t pa, unsigned int shift,
		   uint64_t flags)
{
	struct x86_pt_ctx ctx = f->pt;

	ctx.root = root;
	cr_assert_eq(x86_pt_map(&ctx, va, pa, shift, flags), 0, "map 0x%llx",
		     (unsigned long long)va);
}

static void map(struct fix *f, vaddr_t va, paddr_t pa, unsigned int shift, uint64_t flags)
{
	map_in(f, f->pt.root, va, pa, shift, flags);
}

/* The physical address of the leaf entry mapping va in the current tree. */
static paddr_t leaf_addr(struct fix *f, vaddr_t va)
{
	paddr_t ea;
	unsigned int level;

	cr_assert_eq(x86_pt_lookup(&f->pt, va, &ea, &level), 0);
	return ea;
}

static struct tlb_result xl(struct fix *f, vaddr_t va, enum x86_access_kind kind, bool user)
{
	struct tlb_result r;

	tlb_translate(f->tlb, &f->cpu, &f->pm, va, kind, user, &r);
	return r;
}

static struct tlb_result ok(struct fix *f, vaddr_t va, enum x86_access_kind kind)
{
	struct tlb_result r = xl(f, va, kind, true);

	cr_assert_eq(r.outcome, X86_WALK_OK, "va 0x%llx: outcome %d ec 0x%x",
		     (unsigned long long)va, r.outcome, r.error_code);
	return r;
}

/* A supervisor read, for the kernel's global page. */
static struct tlb_result kok(struct fix *f, vaddr_t va)
{
	struct tlb_result r = xl(f, va, X86_ACCESS_READ, false);

	cr_assert_eq(r.outcome, X86_WALK_OK, "kernel va 0x%llx: ec 0x%x", (unsigned long long)va,
		     r.error_code);
	return r;
}

/* fix_init(), then one 4 KiB page at UVA on the frame at FRAMES. */
static void fix_init_page(struct fix *f, const char *spec, uint64_t flags)
{
	fix_init(f, spec);
	map(f, UVA, FRAMES, 12, flags);
}

/* Pages 0..n-1 at UVA, 4 KiB each, on frames 0..n-1 at FRAMES. */
static void map_pages(struct fix *f, unsigned int n, uint64_t flags)
{
	for (unsigned int i = 0; i < n; i++)
		map(f, UVA + i * KB4, FRAMES + i * KB4, 12, flags);
}

/* Reads pages 0..n-1 at UVA in order, each access succeeding. */
static void read_pages(struct fix *f, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		ok(f, UVA + i * KB4, X86_ACCESS_READ);
}

static const struct tlb_stats *st(struct fix *f)
{
	return tlb_get_stats(f->tlb);
}

static bool cached(struct fix *f, vaddr_t va)
{
	return tlb_probe(f->tlb, va, x86_cr3_pcid(&f->cpu));
}

/* --- hits, misses and replacement ------------------------------------------------------ */

/*
 * tlb_check() after every step of a seeded random run: reads, writes and fetches of 4 KiB
 * and 2 MiB pages (and of unmapped pages, whose #PF invalidates), INVLPG, CR3 writes with
 * PCIDs and full flushes, on small arrays that evict often, on the Skylake and Zen 2
 * presets (order and list LRU) and under PLRU. Each bookkeeping rule of tlb.c is held there:
 * the per-probe counts, and under LRU the forgotten ways being exactly the invalid ones.
 */
Test(tlb, random_steps_keep_the_bookkeeping_exact)
{
	static const char *const specs[] = {
		"dtlb4k:8x2,dtlb2m:4x2,stlb4k2m:24x6,pde:4xfull",
		"skylake",
		"zen2",
		"dtlb4k:8x2:plru,stlb4k2m:32x4:plru",
	};
	uint64_t seed = 42;

	for (unsigned int s = 0; s < ARRAY_SIZE(specs); s++) {
		struct fix f;

		fix_init(&f, specs[s]);
		f.cpu.pcide = true;
		map_pages(&f, 48, USER_RW);
		for (unsigned int i = 0; i < 4; i++)
			map(&f, UVA + GB1 + i * MB2, FRAMES + GB1 + i * MB2, 21, USER_RW);
		for (unsigned int step = 0; step < 4000; step++) {
			unsigned int op, page;
			vaddr_t va;
			struct tlb_result r;

			seed = seed * 6364136223846793005ull + 1442695040888963407ull;
			op = (unsigned int)(seed >> 59);
			page = (unsigned int)(seed >> 33) % 64; /* 48..63: unmapped */
			va = (seed >> 20) & 1 ? UVA + page * KB4 : UVA + GB1 + (page % 5) * MB2;
			if (op < 24)
				tlb_translate(f.tlb, &f.cpu, &f.pm, va,
					      (enum x86_access_kind)(op % 3), true, &r);
			else if (op < 28)
				tlb_invlpg(f.tlb, &f.cpu, va);
			else if (op < 31)
				cr_assert(tlb_write_cr3(f.tlb, &f.cpu, f.pt.root | (page % 3)));
			else
				tlb_flush_all(f.tlb);
			cr_assert(tlb_check(f.tlb), "%s: step %u", specs[s], step);
		}
		fix_fini(&f);
	}
}

Test(tlb, miss_walks_then_hits_in_l1)
{
	struct fix f;
	struct tlb_result r;

	fix_init_page(&f, "skylake", USER_RW);
	r = ok(&f, UVA + 0x123, X86_ACCESS_READ);
	cr_assert_eq(r.source, TLB_SRC_WALK);
	cr_assert_eq(r.pa, FRAMES + 0x123);
	cr_assert_eq(r.page_shift, 12);
	r = ok(&f, UVA + 0x456, X86_ACCESS_READ);
	cr_assert_eq(r.source, TLB_SRC_L1);
	cr_assert_eq(r.pa, FRAMES + 0x456);
	cr_assert_eq(st(&f)->dtlb_loads, 2);
	cr_assert_eq(st(&f)->dtlb_load_misses, 1);
	cr_assert_eq(st(&f)->page_walks, 1);
	cr_assert_eq(tlb_count(f.tlb, TLB_DTLB), 1);
	cr_assert_eq(tlb_count(f.tlb, TLB_STLB), 1);
	fix_fini(&f);
}

Test(tlb, lru_evicts_the_least_recently_used_way)
{
	struct fix f;

	fix_init(&f, "dtlb4k:4x4"); /* one set of four ways, nothing behind it */
	map_pages(&f, 5, USER_RW);
	read_pages(&f, 4);
	cr_assert_eq(ok(&f, UVA, X86_ACCESS_READ).source, TLB_SRC_L1); /* order now 1 2 3 0 */
	ok(&f, UVA + 4 * KB4, X86_ACCESS_READ);			       /* evicts page 1 */
	cr_assert(cached(&f, UVA));
	cr_assert_not(cached(&f, UVA + 1 * KB4));
	cr_assert(cached(&f, UVA + 2 * KB4));
	cr_assert(cached(&f, UVA + 3 * KB4));
	cr_assert(cached(&f, UVA + 4 * KB4));
	cr_assert_eq(st(&f)->page_walks, 5);
	fix_fini(&f);
}

Test(tlb, tree_plru_evicts_where_the_tree_points)
{
	struct fix f;

	/*
	 * Ways 0..3 get pages 0..3. After touching way 3 the root points left and the left
	 * node at way 0; touching way 0 again turns the root right, where the node points at
	 * way 2 (way 3 was used last). So page 4 replaces page 2, where LRU would take page 1.
	 */
	fix_init(&f, "dtlb4k:4x4:plru");
	map_pages(&f, 5, USER_RW);
	read_pages(&f, 4);
	ok(&f, UVA, X86_ACCESS_READ);
	ok(&f, UVA + 4 * KB4, X86_ACCESS_READ);
	cr_assert(cached(&f, UVA));
	cr_assert(cached(&f, UVA + 1 * KB4));
	cr_assert_not(cached(&f, UVA + 2 * KB4));
	cr_assert(cached(&f, UVA + 3 * KB4));
	cr_assert(cached(&f, UVA + 4 * KB4));
	fix_fini(&f);
}

Test(tlb, an_invalidated_way_is_refilled_before_a_valid_one_is_evicted)
{
	const char *specs[] = { "dtlb4k:4x4", "dtlb4k:4x4:plru" };

	for (unsigned int k = 0; k < 2; k++) {
		struct fix f;

		fix_init(&f, specs[k]);
		map_pages(&f, 5, USER_RW);
		read_pages(&f, 4);
		tlb_invlpg(f.tlb, &f.cpu, UVA + 2 * KB4);
		ok(&f, UVA + 4 * KB4, X86_ACCESS_READ); /* takes page 2's way */
		cr_assert(cached(&f, UVA), "%s", specs[k]);
		cr_assert(cached(&f, UVA + 1 * KB4), "%s", specs[k]);
		cr_assert(cached(&f, UVA + 3 * KB4), "%s", specs[k]);
		cr_assert(cached(&f, UVA + 4 * KB4), "%s", specs[k]);
		fix_fini(&f);
	}
}

Test(tlb, set_index_comes_from_the_page_number)
{
	struct fix f;

	fix_init(&f, "dtlb4k:8x2"); /* 4 sets of 2 ways: pages 0, 4, 8 share set 0 */
	map_pages(&f, 9, USER_RW);
	ok(&f, UVA + 0 * KB4, X86_ACCESS_READ);
	ok(&f, UVA + 1 * KB4, X86_ACCESS_READ);
	ok(&f, UVA + 4 * KB4, X86_ACCESS_READ);
	ok(&f, UVA + 8 * KB4, X86_ACCESS_READ); /* set 0 full: evicts page 0 */
	cr_assert_not(cached(&f, UVA));
	cr_assert(cached(&f, UVA + 1 * KB4));
	cr_assert(cached(&f, UVA + 4 * KB4));
	cr_assert(cached(&f, UVA + 8 * KB4));
	fix_fini(&f);
}

Test(tlb, l1_victim_is_found_in_the_stlb)
{
	struct fix f;
	struct tlb_result r;

	fix_init(&f, "dtlb4k:4x4,stlb4k:64x4");
	for (unsigned int i = 0; i < 5; i++) {
		map(&f, UVA + i * KB4, FRAMES + i * KB4, 12, USER_RW);
		ok(&f, UVA + i * KB4, X86_ACCESS_READ);
	}
	cr_assert_not(tlb_count(f.tlb, TLB_DTLB) > 4);
	r = ok(&f, UVA, X86_ACCESS_READ);
	cr_assert_eq(r.source, TLB_SRC_L2);
	cr_assert_eq(r.pa, FRAMES);
	cr_assert_eq(st(&f)->stlb_hits, 1);
	cr_assert_eq(st(&f)->page_walks, 5);
	cr_assert_eq(st(&f)->dtlb_load_misses, 5);
	cr_assert_eq(ok(&f, UVA, X86_ACCESS_READ).source, TLB_SRC_L1); /* refilled */
	fix_fini(&f);
}

Test(tlb, fetches_use_the_itlb_and_share_the_stlb)
{
	struct fix f;

	fix_init_page(&f, "skylake", USER_RW);
	cr_assert_eq(ok(&f, UVA, X86_ACCESS_FETCH).source, TLB_SRC_WALK);
	cr_assert_eq(ok(&f, UVA, X86_ACCESS_FETCH).source, TLB_SRC_L1);
	cr_assert_eq(ok(&f, UVA, X86_ACCESS_READ).source, TLB_SRC_L2); /* dTLB miss, STLB hit */
	cr_assert_eq(st(&f)->itlb_loads, 2);
	cr_assert_eq(st(&f)->itlb_load_misses, 1);
	cr_assert_eq(st(&f)->dtlb_loads, 1);
	cr_assert_eq(st(&f)->dtlb_load_misses, 0);
	cr_assert_eq(st(&f)->stlb_hits, 1);
	fix_fini(&f);
}

Test(tlb, split_l2_keeps_code_and_data_apart)
{
	struct fix f;

	fix_init_page(&f, "zen3", USER_RW);
	ok(&f, UVA, X86_ACCESS_FETCH);
	cr_assert_eq(ok(&f, UVA, X86_ACCESS_READ).source, TLB_SRC_WALK);
	cr_assert_eq(st(&f)->page_walks, 2);
	cr_assert_eq(tlb_count(f.tlb, TLB_L2ITLB), 1);
	cr_assert_eq(tlb_count(f.tlb, TLB_L2DTLB), 1);
	fix_fini(&f);
}

/* --- page sizes ------------------------------------------------------------------------ */

Test(tlb, one_2m_entry_covers_512_small_pages)
{
	struct fix f;
	vaddr_t big = UVA;		/* one 2 MiB page */
	vaddr_t small = UVA + 64 * MB2; /* 512 pages of 4 KiB */

	fix_init(&f, "skylake");
	map(&f, big, FRAMES, 21, USER_RW);
	for (unsigned int i = 0; i < 512; i++)
		map(&f, small + i * KB4, FRAMES + MB2 + i * KB4, 12, USER_RW);

	for (unsigned int i = 0; i < 512; i++)
		cr_assert_eq(ok(&f, big + i * KB4, X86_ACCESS_READ).pa, FRAMES + i * KB4);
	cr_assert_eq(st(&f)->dtlb_load_misses, 1);
	cr_assert_eq(st(&f)->page_walks, 1);
	cr_assert_eq(ok(&f, big, X86_ACCESS_READ).page_shift, 21);

	tlb_stats_reset(f.tlb);
	for (unsigned int i = 0; i < 512; i++)
		ok(&f, small + i * KB4, X86_ACCESS_READ);
	cr_assert_eq(st(&f)->dtlb_load_misses, 512); /* each first touch misses both levels */
	cr_assert_eq(st(&f)->page_walks, 512);
	cr_assert_eq(tlb_count(f.tlb, TLB_DTLB), 64 + 1); /* full dtlb4k, plus the 2 MiB entry */
	fix_fini(&f);
}

Test(tlb, one_gig_page_hits_its_own_array)
{
	struct fix f;
	struct tlb_result r;

	fix_init(&f, "skylake");
	map(&f, GB1 * 3, GB1 * 5, 30, USER_RW);
	r = ok(&f, GB1 * 3 + 0x12345678, X86_ACCESS_READ);
	cr_assert_eq(r.pa, GB1 * 5 + 0x12345678);
	cr_assert_eq(r.page_shift, 30);
	r = ok(&f, GB1 * 3 + 0x3fffffff, X86_ACCESS_WRITE);
	cr_assert_eq(r.source, TLB_SRC_WALK, "first write: dirty assist");
	r = ok(&f, GB1 * 3 + 0x20000000, X86_ACCESS_READ);
	cr_assert_eq(r.source, TLB_SRC_L1);
	cr_assert_eq(r.pa, GB1 * 5 + 0x20000000);
	fix_fini(&f);
}

Test(tlb, smashed_1g_page_is_pieces_in_l2_and_whole_in_l1)
{
	struct fix f;
	vaddr_t g = GB1 * 3;

	/* Zen: the L2 DTLB has no 1 GiB entries; it keeps the 2 MiB piece that was used. */
	fix_init(&f, "zen3");
	map(&f, g, GB1 * 5, 30, USER_RW);
	map_pages(&f, 64, USER_RW);
	ok(&f, g + 0x1234, X86_ACCESS_READ);
	cr_assert_eq(tlb_count(f.tlb, TLB_L2DTLB), 1);

	/* 64 small pages push the 1 GiB entry out of the 64-entry L1 (LRU). */
	read_pages(&f, 64);
	cr_assert_eq(st(&f)->page_walks, 65);

	/* Another 2 MiB part of the page: not in L2 (only the first piece is), so it walks. */
	cr_assert_eq(ok(&f, g + 7 * MB2, X86_ACCESS_READ).source, TLB_SRC_WALK);
	read_pages(&f, 64);
	/* The first piece is an L2 hit, reloaded into L1 as the whole 1 GiB page. */
	cr_assert_eq(ok(&f, g + 0x1234, X86_ACCESS_READ).source, TLB_SRC_L2);
	cr_assert_eq(ok(&f, g + 9 * MB2 + 5, X86_ACCESS_READ).source, TLB_SRC_L1);
	cr_assert_eq(ok(&f, g + 9 * MB2 + 5, X86_ACCESS_READ).pa, GB1 * 5 + 9 * MB2 + 5);

	/* INVLPG of any address in the page removes every piece, in both levels. */
	tlb_invlpg(f.tlb, &f.cpu, g + 100 * MB2);
	cr_assert_not(cached(&f, g + 0x1234));
	cr_assert_not(cached(&f, g + 7 * MB2));
	cr_assert(cached(&f, UVA));
	fix_fini(&f);
}

/* --- PCID and global pages ------------------------------------------------------------- */

struct two_spaces {
	paddr_t root_a, root_b;
	vaddr_t va;
};

/* Process A (PCID 1) and B (PCID 2) map the same user address to different frames and
 * share a global kernel page. CR3 is left at A. */
static struct two_spaces two_spaces(struct fix *f)
{
	struct two_spaces s = { .root_a = f->pt.root, .root_b = new_root(f), .va = UVA };

	map_in(f, s.root_a, s.va, FRAMES, 12, USER_RW);
	map_in(f, s.root_b, s.va, FRAMES + 0x10000, 12, USER_RW);
	map_in(f, s.root_a, KVA, FRAMES + 0x20000, 12, X86_PTE_RW | X86_PTE_G);
	map_in(f, s.root_b, KVA, FRAMES + 0x20000, 12, X86_PTE_RW | X86_PTE_G);
	f->cpu.pcide = true;
	f->cpu.cr3 = s.root_a | 1;
	return s;
}

Test(tlb, pcid_keeps_processes_apart)
{
	struct fix f;
	struct two_spaces s;

	fix_init(&f, "skylake");
	s = two_spaces(&f);
	cr_assert_eq(ok(&f, s.va, X86_ACCESS_READ).pa, FRAMES);
	cr_assert(tlb_write_cr3(f.tlb, &f.cpu, s.root_b | 2));
	cr_assert_eq(ok(&f, s.va, X86_ACCESS_READ).source, TLB_SRC_WALK, "B never hits A's entry");
	cr_assert_eq(ok(&f, s.va, X86_ACCESS_READ).pa, FRAMES + 0x10000);

	cr_assert(tlb_write_cr3(f.tlb, &f.cpu, s.root_a | 1 | X86_CR3_NOFLUSH));
	cr_assert_eq(f.cpu.cr3, s.root_a | 1, "bit 63 is not written to CR3");
	cr_assert_eq(ok(&f, s.va, X86_ACCESS_READ).source, TLB_SRC_L1);
	cr_assert_eq(ok(&f, s.va, X86_ACCESS_READ).pa, FRAMES);
	cr_assert(tlb_write_cr3(f.tlb, &f.cpu, s.root_b | 2 | X86_CR3_NOFLUSH));
	cr_assert_eq(ok(&f, s.va, X86_ACCESS_READ).pa, FRAMES + 0x10000);
	cr_assert_eq(st(&f)->page_walks, 2);

	/* Without no-flush, loading B's PCID drops B's entries but not A's. */
	cr_assert(tlb_write_cr3(f.tlb, &f.cpu, s.root_b | 2));
	cr_assert_not(cached(&f, s.va));
	cr_assert(tlb_probe(f.tlb, s.va, 1));
	cr_assert_eq(st(&f)->tlb_flush_cr3, 2);
	fix_fini(&f);
}

Test(tlb, without_pcid_a_cr3_write_flushes_every_non_global_entry)
{
	struct fix f;
	struct two_spaces s;

	fix_init(&f, "skylake");
	s = two_spaces(&f);
	f.cpu.pcide = false;
	f.cpu.cr3 = s.root_a;
	ok(&f, s.va, X86_ACCESS_READ);
	kok(&f, KVA);
	cr_assert(tlb_write_cr3(f.tlb, &f.cpu, s.root_b));
	cr_assert_not(cached(&f, s.va));
	cr_assert(cached(&f, KVA), "global entries survive");
	cr_assert_eq(ok(&f, s.va, X86_ACCESS_READ).pa, FRAMES + 0x10000);
	cr_assert_eq(kok(&f, KVA).source, TLB_SRC_L1);
	cr_assert_eq(st(&f)->page_walks, 3);
	fix_fini(&f);
}

Test(tlb, without_pge_the_g_bit_means_nothing)
{
	struct fix f;
	struct two_spaces s;

	fix_init(&f, "skylake");
	s = two_spaces(&f);
	f.cpu.pcide = false;
	f.cpu.pge = false; /* SDM §4.10.2.4: G is honoured only with CR4.PGE=1 */
	f.cpu.cr3 = s.root_a;
	kok(&f, KVA);
	cr_assert(tlb_write_cr3(f.tlb, &f.cpu, s.root_b));
	cr_assert_not(cached(&f, KVA), "a CR3 write flushes it like any other entry");
	fix_fini(&f);
}

Test(tlb, global_entries_survive_cr3_writes_and_serve_every_pcid)
{
	struct fix f;
	struct two_spaces s;
	struct tlb_result r;

	fix_init(&f, "skylake");
	s = two_spaces(&f);
	kok(&f, KVA);
	cr_assert(tlb_write_cr3(f.tlb, &f.cpu, s.root_b | 2));
	r = xl(&f, KVA, X86_ACCESS_READ, false);
	cr_assert_eq(r.source, TLB_SRC_L1);
	cr_assert_eq(r.pa, FRAMES + 0x20000);
	cr_assert(tlb_write_cr3(f.tlb, &f.cpu, s.root_a | 1));
	cr_assert_eq(xl(&f, KVA, X86_ACCESS_READ, false).source, TLB_SRC_L1);
	cr_assert_eq(st(&f)->page_walks, 1);
	tlb_flush_all(f.tlb);
	cr_assert_not(cached(&f, KVA));
	cr_assert_eq(st(&f)->tlb_flush_all, 1);
	fix_fini(&f);
}

Test(tlb, invlpg_drops_this_pcid_and_global_entries_only)
{
	struct fix f;
	struct two_spaces s;

	fix_init(&f, "skylake");
	s = two_spaces(&f);
	ok(&f, s.va, X86_ACCESS_READ); /* A's entry */
	cr_assert(tlb_write_cr3(f.tlb, &f.cpu, s.root_b | 2));
	ok(&f, s.va, X86_ACCESS_READ); /* B's entry */
	kok(&f, KVA);		       /* global, made under PCID 2 */
	cr_assert(tlb_write_cr3(f.tlb, &f.cpu, s.root_a | 1 | X86_CR3_NOFLUSH));
	tlb_invlpg(f.tlb, &f.cpu, s.va + 0x800);
	tlb_invlpg(f.tlb, &f.cpu, KVA);
	cr_assert_not(tlb_probe(f.tlb, s.va, 1));
	cr_assert(tlb_probe(f.tlb, s.va, 2), "another PCID's entry stays");
	cr_assert_not(tlb_probe(f.tlb, KVA, 2), "global entries go whatever their PCID");
	tlb_invlpg(f.tlb, &f.cpu, UINT64_C(0x0000800000000000)); /* non-canonical: a NOP */
	cr_assert_eq(st(&f)->invlpg, 3);
	fix_fini(&f);
}

Test(tlb, invpcid_types)
{
	struct fix f;
	struct two_spaces s;

	fix_init(&f, "skylake");
	s = two_spaces(&f);
	map_in(&f, s.root_a, s.va + KB4, FRAMES + KB4, 12, USER_RW);

	/* Type 0: one address of one PCID, never a global translation. */
	ok(&f, s.va, X86_ACCESS_READ);
	ok(&f, s.va + KB4, X86_ACCESS_READ);
	kok(&f, KVA);
	cr_assert(tlb_invpcid(f.tlb, &f.cpu, TLB_INVPCID_ADDR, 1, s.va));
	cr_assert(tlb_invpcid(f.tlb, &f.cpu, TLB_INVPCID_ADDR, 1, KVA));
	cr_assert_not(tlb_probe(f.tlb, s.va, 1));
	cr_assert(tlb_probe(f.tlb, s.va + KB4, 1));
	cr_assert(tlb_probe(f.tlb, KVA, 1));

	/* Type 1: every non-global entry of PCID 1; PCID 2 and globals stay. */
	cr_assert(tlb_write_cr3(f.tlb, &f.cpu, s.root_b | 2));
	ok(&f, s.va, X86_ACCESS_READ);
	cr_assert(tlb_invpcid(f.tlb, &f.cpu, TLB_INVPCID_SINGLE, 1, 0));
	cr_assert_not(tlb_probe(f.tlb, s.va + KB4, 1));
	cr_assert(tlb_probe(f.tlb, s.va, 2));
	cr_assert(tlb_probe(f.tlb, KVA, 2));

	/* Type 3: every non-global entry of every PCID. */
	cr_assert(tlb_invpcid(f.tlb, &f.cpu, TLB_INVPCID_ALL_NONGLOBAL, 0, 0));
	cr_assert_not(tlb_probe(f.tlb, s.va, 2));
	cr_assert(tlb_probe(f.tlb, KVA, 2));

	/* Type 2: everything. */
	ok(&f, s.va, X86_ACCESS_READ);
	cr_assert(tlb_invpcid(f.tlb, &f.cpu, TLB_INVPCID_ALL_GLOBAL, 0, 0));
	cr_assert_not(tlb_probe(f.tlb, s.va, 2));
	cr_assert_not(tlb_probe(f.tlb, KVA, 2));
	cr_assert_eq(tlb_count(f.tlb, TLB_DTLB) + tlb_count(f.tlb, TLB_STLB), 0);

	/* #GP cases change nothing. */
	ok(&f, s.va, X86_ACCESS_READ);
	cr_assert_not(tlb_invpcid(f.tlb, &f.cpu, 4, 2, 0));
	cr_assert_not(tlb_invpcid(f.tlb, &f.cpu, TLB_INVPCID_SINGLE, 0x1000, 0));
	cr_assert_not(
		tlb_invpcid(f.tlb, &f.cpu, TLB_INVPCID_ADDR, 2, UINT64_C(0x0000800000000000)));
	f.cpu.pcide = false;
	cr_assert_not(tlb_invpcid(f.tlb, &f.cpu, TLB_INVPCID_SINGLE, 2, 0));
	cr_assert(tlb_probe(f.tlb, s.va, 2));
	cr_assert_eq(st(&f)->invpcid_addr, 2);
	cr_assert_eq(st(&f)->tlb_flush_pcid, 2);
	fix_fini(&f);
}

Test(tlb, cr3_writes_that_would_fault_change_nothing)
{
	struct fix f;
	uint64_t before;

	fix_init(&f, "skylake");
	before = f.cpu.cr3;
	cr_assert_not(tlb_write_cr3(f.tlb, &f.cpu, UINT64_C(1) << 45)); /* above MAXPHYADDR 40 */
	cr_assert_not(tlb_write_cr3(f.tlb, &f.cpu, before | X86_CR3_NOFLUSH)); /* PCIDE=0 */
	cr_assert_eq(f.cpu.cr3, before);
	cr_assert_eq(st(&f)->tlb_flush_cr3, 0);
	fix_fini(&f);
}

/* --- A and D bits ---------------------------------------------------------------------- */

Test(tlb, first_write_through_a_clean_entry_rewalks_and_sets_d)
{
	struct fix f;
	struct tlb_result r;

	fix_init_page(&f, "skylake", USER_RW);
	ok(&f, UVA, X86_ACCESS_READ);
	cr_assert_not(x86_pte_dirty(physmem_read64(&f.pm, leaf_addr(&f, UVA))));
	r = ok(&f, UVA, X86_ACCESS_WRITE);
	cr_assert_eq(r.source, TLB_SRC_WALK);
	cr_assert(x86_pte_dirty(physmem_read64(&f.pm, leaf_addr(&f, UVA))));
	cr_assert_eq(st(&f)->dirty_assists, 1);
	cr_assert_eq(st(&f)->page_walks, 2);
	cr_assert_eq(st(&f)->dtlb_stores, 1);
	cr_assert_eq(st(&f)->dtlb_store_misses, 0, "an assist is not a TLB miss");
	cr_assert_eq(ok(&f, UVA, X86_ACCESS_WRITE).source, TLB_SRC_L1);
	cr_assert_eq(st(&f)->page_walks, 2);
	fix_fini(&f);
}

Test(tlb, clearing_a_without_a_flush_keeps_hitting_and_a_stays_clear)
{
	struct fix f;
	paddr_t pte;

	fix_init_page(&f, "skylake", USER_RW);
	ok(&f, UVA, X86_ACCESS_READ);
	pte = leaf_addr(&f, UVA);
	cr_assert(x86_pte_accessed(physmem_read64(&f.pm, pte)));

	/* What reclaim does to age a page: clear A in memory, no INVLPG. */
	physmem_write64(&f.pm, pte, physmem_read64(&f.pm, pte) & ~X86_PTE_A);
	for (unsigned int i = 0; i < 100; i++)
		cr_assert_eq(ok(&f, UVA + i, X86_ACCESS_READ).source, TLB_SRC_L1);
	cr_assert_not(x86_pte_accessed(physmem_read64(&f.pm, pte)), "hits never set A");
	cr_assert_eq(st(&f)->page_walks, 1);

	/* Once the entry is gone, the next access walks and sets A again. */
	tlb_invlpg(f.tlb, &f.cpu, UVA);
	cr_assert_eq(ok(&f, UVA, X86_ACCESS_READ).source, TLB_SRC_WALK);
	cr_assert(x86_pte_accessed(physmem_read64(&f.pm, pte)));
	fix_fini(&f);
}

/* --- stale entries and rights ---------------------------------------------------------- */

Test(tlb, a_changed_pte_is_not_seen_until_the_kernel_invalidates)
{
	struct fix f;
	paddr_t pte;

	fix_init_page(&f, "skylake", USER_RW);
	ok(&f, UVA, X86_ACCESS_READ);
	pte = leaf_addr(&f, UVA);
	physmem_write64(&f.pm, pte, x86_pte_make(FRAMES + 0x9000, X86_PTE_P | USER_RW));
	cr_assert_eq(ok(&f, UVA, X86_ACCESS_READ).pa, FRAMES,
		     "stale: the TLB still has the old frame");
	tlb_invlpg(f.tlb, &f.cpu, UVA);
	cr_assert_eq(ok(&f, UVA, X86_ACCESS_READ).pa, FRAMES + 0x9000);
	fix_fini(&f);
}

Test(tlb, stale_write_permission_is_used_until_shot_down)
{
	struct fix f;
	paddr_t pte;
	struct tlb_result r;

	fix_init_page(&f, "skylake", USER_RW);
	ok(&f, UVA, X86_ACCESS_WRITE); /* cached writable and dirty */
	pte = leaf_addr(&f, UVA);
	physmem_write64(&f.pm, pte, physmem_read64(&f.pm, pte) & ~X86_PTE_RW);
	cr_assert_eq(ok(&f, UVA, X86_ACCESS_WRITE).source, TLB_SRC_L1,
		     "mprotect without a shootdown leaves the page writable");
	tlb_invlpg(f.tlb, &f.cpu, UVA);
	r = xl(&f, UVA, X86_ACCESS_WRITE, true);
	cr_assert_eq(r.outcome, X86_WALK_PF);
	cr_assert_eq(r.error_code, X86_PFEC_P | X86_PFEC_W | X86_PFEC_U);
	fix_fini(&f);
}

Test(tlb, a_clean_stale_entry_faults_at_the_dirty_assist)
{
	struct fix f;
	paddr_t pte;
	struct tlb_result r;

	fix_init_page(&f, "skylake", USER_RW);
	ok(&f, UVA, X86_ACCESS_READ); /* cached writable, D=0 */
	pte = leaf_addr(&f, UVA);
	physmem_write64(&f.pm, pte, physmem_read64(&f.pm, pte) & ~X86_PTE_RW);
	r = xl(&f, UVA, X86_ACCESS_WRITE, true);
	cr_assert_eq(r.outcome, X86_WALK_PF, "the assist re-walks and finds R/W=0");
	cr_assert_eq(st(&f)->dirty_assists, 1);
	cr_assert_eq(st(&f)->walk_faults, 1);
	cr_assert_not(cached(&f, UVA));
	fix_fini(&f);
}

Test(tlb, a_hit_denied_by_stale_rights_rewalks_instead_of_faulting)
{
	struct fix f;
	paddr_t pte;
	struct tlb_result r;

	fix_init(&f, "skylake");
	map(&f, UVA, FRAMES, 12, X86_PTE_US); /* read-only */
	ok(&f, UVA, X86_ACCESS_READ);
	pte = leaf_addr(&f, UVA);
	physmem_write64(&f.pm, pte,
			physmem_read64(&f.pm, pte) | X86_PTE_RW); /* upgrade, no flush */
	r = ok(&f, UVA, X86_ACCESS_WRITE);
	cr_assert_eq(r.source, TLB_SRC_WALK);
	cr_assert_eq(st(&f)->rights_rewalks, 1);
	cr_assert_eq(st(&f)->walk_faults, 0);
	cr_assert(x86_pte_dirty(physmem_read64(&f.pm, pte)));
	cr_assert_eq(ok(&f, UVA, X86_ACCESS_WRITE).source, TLB_SRC_L1);
	fix_fini(&f);
}

Test(tlb, rights_are_checked_on_every_hit_with_the_current_cpu_state)
{
	struct fix f;
	struct tlb_result r;

	fix_init_page(&f, "skylake", USER_RW);
	ok(&f, UVA, X86_ACCESS_READ);
	cr_assert_eq(xl(&f, UVA, X86_ACCESS_READ, false).source, TLB_SRC_L1, "no SMAP yet");
	f.cpu.smap = true;
	r = xl(&f, UVA, X86_ACCESS_READ, false);
	cr_assert_eq(r.outcome, X86_WALK_PF);
	cr_assert_eq(r.error_code, X86_PFEC_P);
	cr_assert_eq(st(&f)->rights_rewalks, 1);
	cr_assert_not(cached(&f, UVA), "the #PF removed the entry");
	f.cpu.ac = true;
	cr_assert_eq(xl(&f, UVA, X86_ACCESS_READ, false).outcome, X86_WALK_OK);
	fix_fini(&f);
}

Test(tlb, protection_keys_come_from_the_cached_leaf)
{
	struct fix f;
	struct tlb_result r;

	fix_init_page(&f, "skylake", x86_pte_set_pkey(USER_RW, 3));
	f.cpu.pke = true;
	ok(&f, UVA, X86_ACCESS_READ);
	f.cpu.pkru = UINT32_C(1) << (2 * 3); /* access-disable key 3 */
	r = xl(&f, UVA, X86_ACCESS_READ, true);
	cr_assert_eq(r.outcome, X86_WALK_PF);
	cr_assert_eq(r.error_code, X86_PFEC_P | X86_PFEC_U | X86_PFEC_PK);
	fix_fini(&f);
}

/* --- faults ---------------------------------------------------------------------------- */

Test(tlb, a_faulting_walk_caches_nothing)
{
	struct fix f;
	struct tlb_result r;

	fix_init_page(&f, "skylake", USER_RW);
	ok(&f, UVA, X86_ACCESS_READ); /* fills the paging-structure caches for UVA's tables */
	cr_assert_eq(pwc_count(tlb_get_pwc(f.tlb), PWC_PDE), 1);
	r = xl(&f, UVA + KB4, X86_ACCESS_READ, true); /* same page table, P=0 */
	cr_assert_eq(r.outcome, X86_WALK_PF);
	cr_assert_eq(r.source, TLB_SRC_WALK);
	cr_assert_eq(r.error_code, X86_PFEC_U);
	cr_assert_eq(r.cr2, UVA + KB4);
	cr_assert_not(cached(&f, UVA + KB4));
	cr_assert_eq(pwc_count(tlb_get_pwc(f.tlb), PWC_PDE), 0, "the #PF drops what va would use");
	cr_assert_eq(pwc_count(tlb_get_pwc(f.tlb), PWC_PDPTE), 0);
	cr_assert_eq(pwc_count(tlb_get_pwc(f.tlb), PWC_PML4E), 0);
	cr_assert(cached(&f, UVA), "other pages keep their entries");

	/* The kernel maps the page; no invalidation is needed for a not-present entry. */
	map(&f, UVA + KB4, FRAMES + KB4, 12, USER_RW);
	cr_assert_eq(ok(&f, UVA + KB4, X86_ACCESS_READ).pa, FRAMES + KB4);
	cr_assert_eq(st(&f)->walk_faults, 1);
	fix_fini(&f);
}

/*
 * The #PF of a walk removes the page's entries from every structure (§4.10.4.1), those the
 * faulting side did not search among them: here a fetch cached the page in the L1 iTLB and
 * the L2 iTLB (Zen: no shared L2), the page is then made not present without an
 * invalidation, and a read misses the data side, walks and faults.
 */
Test(tlb, a_fault_drops_the_page_from_the_other_sides_structures)
{
	struct fix f;
	paddr_t pte;

	fix_init_page(&f, "zen3", USER_RW);
	ok(&f, UVA, X86_ACCESS_FETCH);
	cr_assert_eq(tlb_count(f.tlb, TLB_ITLB), 1);
	cr_assert_eq(tlb_count(f.tlb, TLB_L2ITLB), 1);
	pte = leaf_addr(&f, UVA);
	physmem_write64(&f.pm, pte, physmem_read64(&f.pm, pte) & ~X86_PTE_P);
	cr_assert_eq(xl(&f, UVA, X86_ACCESS_READ, true).outcome, X86_WALK_PF);
	cr_assert_eq(tlb_count(f.tlb, TLB_ITLB), 0);
	cr_assert_eq(tlb_count(f.tlb, TLB_L2ITLB), 0);
	cr_assert_eq(st(&f)->walk_faults, 1);
	fix_fini(&f);
}

/*
 * The same in a structure of the faulting side that holds pieces of a larger page (Zen's L2
 * keeps 2 MiB pieces of a 1 GiB page): the read that faults on another piece missed the
 * cached one, which is still an entry for the page and goes too.
 */
Test(tlb, a_fault_drops_every_piece_of_the_page)
{
	struct fix f;
	vaddr_t g = GB1 * 3;
	paddr_t pdpte;

	fix_init(&f, "zen3");
	map(&f, g, GB1 * 5, 30, USER_RW);
	map_pages(&f, 64, USER_RW);
	ok(&f, g + 0x1234, X86_ACCESS_READ);
	read_pages(&f, 64); /* the whole 1 GiB entry leaves the 64-entry L1; its piece stays */
	cr_assert(cached(&f, g + 0x1234));
	pdpte = leaf_addr(&f, g);
	physmem_write64(&f.pm, pdpte, physmem_read64(&f.pm, pdpte) & ~X86_PTE_P);
	cr_assert_eq(xl(&f, g + 64 * MB2, X86_ACCESS_READ, true).outcome, X86_WALK_PF);
	cr_assert_not(cached(&f, g + 0x1234), "the #PF drops every piece of the page");
	fix_fini(&f);
}

/*
 * A #PF from a walk that read a 4 KiB PTE hands back that PTE's address, for the fault
 * handler; a walk that stopped above the PTE level (a missing table, a 2 MiB leaf) gives 0.
 * With the TLB on (through the paging-structure caches) and off (from CR3).
 */
Test(tlb, a_fault_reports_the_pte_the_walk_read)
{
	static const char *const specs[] = { "skylake", "off" };

	for (unsigned int i = 0; i < ARRAY_SIZE(specs); i++) {
		struct fix f;
		struct tlb_result r;
		paddr_t pte;

		fix_init(&f, specs[i]);
		map(&f, UVA, FRAMES, 12, USER_RW);
		map(&f, UVA + 2 * KB4, FRAMES, 12, X86_PTE_US); /* read-only */
		map(&f, UVA + 4 * MB2, FRAMES, 21, X86_PTE_US); /* read-only 2 MiB page */
		pte = leaf_addr(&f, UVA);
		ok(&f, UVA, X86_ACCESS_READ);

		r = xl(&f, UVA + KB4, X86_ACCESS_READ, true); /* P=0 in UVA's page table */
		cr_assert_eq(r.outcome, X86_WALK_PF);
		cr_assert_eq(r.pte_addr, pte + 8, "%s", specs[i]);
		r = xl(&f, UVA + 2 * KB4, X86_ACCESS_WRITE, true); /* present, read-only */
		cr_assert_eq(r.outcome, X86_WALK_PF);
		cr_assert_eq(r.pte_addr, leaf_addr(&f, UVA + 2 * KB4), "%s", specs[i]);
		r = xl(&f, UVA + GB1, X86_ACCESS_READ, true); /* no page directory there */
		cr_assert_eq(r.outcome, X86_WALK_PF);
		cr_assert_eq(r.pte_addr, 0, "%s", specs[i]);
		r = xl(&f, UVA + 4 * MB2, X86_ACCESS_WRITE, true); /* a 2 MiB leaf denies */
		cr_assert_eq(r.outcome, X86_WALK_PF);
		cr_assert_eq(r.pte_addr, 0, "%s", specs[i]);
		cr_assert_eq(st(&f)->walk_faults, 4);
		cr_assert_eq(st(&f)->dtlb_loads + st(&f)->dtlb_stores, 5);
		fix_fini(&f);
	}
}

/* With the TLB on and off (tlb_translate() takes a path of its own for off). */
Test(tlb, non_canonical_addresses_are_a_gp_before_any_lookup)
{
	static const char *const specs[] = { "skylake", "off" };

	for (unsigned int i = 0; i < ARRAY_SIZE(specs); i++) {
		struct fix f;
		struct tlb_result r;

		fix_init(&f, specs[i]);
		r = xl(&f, UINT64_C(0x0000800000000000), X86_ACCESS_READ, true);
		cr_assert_eq(r.outcome, X86_WALK_GP, "%s", specs[i]);
		cr_assert_eq(r.source, TLB_SRC_WALK);
		cr_assert_eq(st(&f)->dtlb_loads, 0, "%s", specs[i]);
		cr_assert_eq(st(&f)->dtlb_load_misses, 0, "%s", specs[i]);
		cr_assert_eq(st(&f)->page_walks, 0, "%s", specs[i]);
		fix_fini(&f);
	}
}

/* --- paging-structure caches seen through the TLB -------------------------------------- */

Test(tlb, paging_structure_caches_shorten_the_walk_after_a_miss)
{
	struct fix f;

	/* No TLB arrays: every access walks, through the caches. Leaves have A and D set so a
	 * walk's memory references are its entry reads, plus the A bits of new tables once. */
	fix_init(&f, "pml4e:2xfull,pdpte:4xfull,pde:32xfull");
	map_pages(&f, 4, USER_RW | X86_PTE_A | X86_PTE_D);
	ok(&f, UVA, X86_ACCESS_READ);
	cr_assert_eq(st(&f)->walk_mem_refs, 4 + 3);
	for (unsigned int i = 1; i < 4; i++)
		ok(&f, UVA + i * KB4, X86_ACCESS_READ);
	cr_assert_eq(st(&f)->page_walks, 4);
	cr_assert_eq(st(&f)->walk_mem_refs, 7 + 3 * 1, "a PDE-cache hit reads the PTE only");
	cr_assert_eq(st(&f)->pwc_hits[PWC_PDE], 3);

	/* INVLPG drops every paging-structure-cache entry of the current PCID. */
	tlb_invlpg(f.tlb, &f.cpu, UVA + 100 * MB2);
	ok(&f, UVA, X86_ACCESS_READ);
	cr_assert_eq(st(&f)->walk_mem_refs, 10 + 4);
	fix_fini(&f);
}

Test(tlb, off_walks_every_access_from_cr3)
{
	struct fix f;

	fix_init_page(&f, "off", USER_RW | X86_PTE_A | X86_PTE_D);
	for (unsigned int i = 0; i < 10; i++)
		cr_assert_eq(ok(&f, UVA, X86_ACCESS_READ).source, TLB_SRC_WALK);
	cr_assert_eq(st(&f)->page_walks, 10);
	cr_assert_eq(st(&f)->dtlb_loads, 10);
	cr_assert_eq(st(&f)->dtlb_load_misses, 10);
	cr_assert_eq(st(&f)->walk_mem_refs, 3 + 10 * 4);
	fix_fini(&f);
}

Test(tlb, stat_names_follow_perf)
{
	struct fix f;
	const char *want[] = { "dTLB-loads", "dTLB-load-misses", "dTLB-stores", "dTLB-store-misses",
			       "iTLB-loads", "iTLB-load-misses", "page_walks",	"walk_mem_refs" };

	fix_init_page(&f, "skylake", USER_RW);
	ok(&f, UVA, X86_ACCESS_READ);
	for (unsigned int w = 0; w < ARRAY_SIZE(want); w++) {
		bool found = false;

		for (unsigned int i = 0; i < tlb_stat_count; i++)
			found |= strcmp(tlb_stat_names[i].name, want[w]) == 0;
		cr_assert(found, "%s", want[w]);
	}
	cr_assert_eq(tlb_stat_value(st(&f), 0), 1, "dTLB-loads");
	cr_assert_eq(tlb_stat_value(st(&f), 1), 1, "dTLB-load-misses");
	fix_fini(&f);
}

/* --- HLAT ------------------------------------------------------------------------------ */

/*
 * With HLAT on, a miss walks from HLATP (SDM Vol. 3A §4.5.1) and the translation it finds
 * is cached like any other; mmsim uses no paging-structure cache then (docs/x86.md).
 */
Test(tlb, hlat_translations_are_cached_and_bypass_the_pwc)
{
	struct fix f;
	paddr_t hroot;

	fix_init_page(&f, "skylake", USER_RW);
	hroot = new_root(&f);
	map_in(&f, hroot, UVA, FRAMES + 5 * KB4, 12, USER_RW);
	map_in(&f, hroot, UVA + KB4, FRAMES + KB4, 12, USER_RW | X86_PTE_HLAT_RESTART);
	map(&f, UVA + KB4, FRAMES + 9 * KB4, 12, USER_RW);
	f.cpu.hlat = true;
	f.cpu.hlatp = hroot;
	cr_assert_eq(ok(&f, UVA, X86_ACCESS_READ).pa, FRAMES + 5 * KB4, "HLAT's frame");
	cr_assert_eq(ok(&f, UVA, X86_ACCESS_READ).source, TLB_SRC_L1, "cached");
	cr_assert_eq(ok(&f, UVA + KB4, X86_ACCESS_READ).pa, FRAMES + 9 * KB4, "restart: CR3's");
	cr_assert_eq(pwc_count(tlb_get_pwc(f.tlb), PWC_PDE), 0, "no paging-structure caching");
	cr_assert_eq(st(&f)->page_walks, 2);
	fix_fini(&f);
}

/*
 * SDM Vol. 3A §4.10.2.1: a restart at a PDE caps the translation at 2 MiB, even when CR3's
 * walk finds a 1 GiB page (the SDM's own example): the TLB caches the 2 MiB around the
 * address, so the next 2 MiB of the same 1 GiB page is a miss and another walk.
 */
Test(tlb, hlat_restart_at_a_pde_caches_2m_of_a_1g_page)
{
	struct fix f;
	struct tlb_result r;
	paddr_t hroot;

	fix_init(&f, "skylake");
	map(&f, UVA, FRAMES, 30, USER_RW);
	hroot = new_root(&f);
	map_in(&f, hroot, UVA, FRAMES + GB1, 21, USER_RW | X86_PTE_HLAT_RESTART);
	map_in(&f, hroot, UVA + MB2, FRAMES + GB1, 21, USER_RW | X86_PTE_HLAT_RESTART);
	f.cpu.hlat = true;
	f.cpu.hlatp = hroot;
	r = ok(&f, UVA + 0x1234, X86_ACCESS_READ);
	cr_assert_eq(r.pa, FRAMES + 0x1234, "restart: CR3's 1 GiB page");
	cr_assert_eq(r.page_shift, 21, "capped at the restarting PDE's 2 MiB");
	cr_assert_neq(ok(&f, UVA + MB2 - 8, X86_ACCESS_READ).source, TLB_SRC_WALK, "same 2 MiB");
	r = ok(&f, UVA + MB2 + 0x40, X86_ACCESS_READ);
	cr_assert_eq(r.source, TLB_SRC_WALK, "the next 2 MiB is not cached");
	cr_assert_eq(r.pa, FRAMES + MB2 + 0x40);
	cr_assert_eq(st(&f)->page_walks, 2);
	fix_fini(&f);
}
