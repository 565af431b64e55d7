/*
 * tests/stress/shadow.c: the data-shadow stress engine (see shadow.h).
 *
 * What the shadow models, as Linux defines it: a private anonymous page reads as zero until
 * written and then as the last value this process (or its parent, before the fork) wrote;
 * fork copies it (COW: later writes on either side stay private); a shared anonymous
 * mapping is one shmem object, so every mapper sees every mapper's writes, across forks;
 * madvise(MADV_DONTNEED) makes private pages read as zero again and leaves shmem data;
 * mremap carries the data with the mapping and a grown private part reads as zero; swap-out
 * and swap-in, reclaim and the policy never change what a process reads.
 *
 * Files (docs/files.md): a page never written back reads as the bytes derived from the
 * file's name (FNV-1a of the name, then splitmix64 from the page index); a write through
 * a MAP_SHARED mapping reaches the page cache, so every mapper, shared or private, that
 * has no copy of its own sees it, whatever msync, reclaim or dropcache did in between.
 * A MAP_PRIVATE page keeps reading the page cache until this process (or its parent,
 * before the fork) writes it: then it is a private copy (Linux's do_cow_fault() and
 * wp_page_copy()), and DONTNEED drops the copy so the page cache shows through again.
 * Writes to file pages go to the word keyed by the file page index, so every mapping of
 * the page agrees where the written word is. Huge pages, their splits, compaction and
 * proactive reclaim never change what a process reads either.
 *
 * read(2) into an anonymous region (copy_to_user()) makes each page of the buffer a copy of
 * its file page as the page cache holds it then: both checked words take the file page's
 * bytes, and later writes, forks and DONTNEED treat the page as any anonymous one. A
 * buffer the process may not write makes the read fail with EFAULT and no signal.
 */
#include "shadow.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "mmsim/mmsim.h"

#define PAGE 4096u
#define MAX_PROCS 6
#define MAX_REGIONS 6
#define MAX_PAGES 64
#define HUGE_PAGES 1024 /* a MAPHUGE region: holds at least one aligned 2 MiB range */
#define OBJ_PAGES HUGE_PAGES
#define NR_FILES 2
#define UNKNOWN UINT64_MAX /* the writer was killed mid-store: either value is right */

const char *const stress_op_names[STRESS_NR_KINDS] = {
	[STRESS_SPAWN] = "spawn",
	[STRESS_FORK] = "fork",
	[STRESS_MAP] = "map",
	[STRESS_WRITE] = "write",
	[STRESS_READ] = "read",
	[STRESS_VERIFY] = "verify",
	[STRESS_UNMAP] = "unmap",
	[STRESS_PROTECT] = "protect",
	[STRESS_DONTNEED] = "dontneed",
	[STRESS_REMAP] = "remap",
	[STRESS_EXIT] = "exit",
	[STRESS_MAPFILE] = "mapfile",
	[STRESS_MSYNC] = "msync",
	[STRESS_DROPCACHE] = "dropcache",
	[STRESS_MAPHUGE] = "maphuge",
	[STRESS_HUGEADV] = "hugeadv",
	[STRESS_COMPACT] = "compact",
	[STRESS_RECLAIM] = "reclaim",
	[STRESS_SHRINKALL] = "shrinkall",
	[STRESS_READFILE] = "readfile",
};

/* The files of every run: name and size in pages. */
static const struct {
	const char *name;
	uint32_t pages;
} files[NR_FILES] = { { "fa", 32 }, { "fb", 12 } };

/* What one mapping must hold: private regions own one, shared mappers share one. */
struct shobj {
	uint64_t val[OBJ_PAGES];  /* the word each page must hold (mremap may double) */
	uint64_t zval[OBJ_PAGES]; /* anonymous: the untouched word (0, or a read()'s copy) */
	bool cow[OBJ_PAGES];	  /* private file mapping: this page is a private copy */
	int refs;
};

/* The page cache's view of one file: the written word of each page. */
struct fileshadow {
	uint64_t seed; /* FNV-1a of the name, as src/mm/filemap.c */
	uint64_t val[MAX_PAGES];
};

struct region {
	bool used, shared, ro;
	bool split;   /* madvise over part of it made two VMAs: mremap of all is -EFAULT */
	int file;     /* index into files[], or -1: anonymous */
	uint32_t off; /* file: first file page mapped */
	uint64_t addr;
	uint32_t pages;
	unsigned int name; /* R<name> in the scenario script */
	struct shobj *obj;
};

struct proc {
	struct mmsim_task *t;
	unsigned int name; /* P<name> */
	struct region r[MAX_REGIONS];
};

struct run {
	struct mmsim_system *sys;
	struct proc p[MAX_PROCS];
	struct fileshadow f[NR_FILES];
	unsigned int next_proc, next_region;
	uint64_t writes;
	struct stress_result *res;
	FILE *script;
	long op_index;
	bool stop;
	bool forget_dontneed; /* self-test: see struct stress_machine */
	bool forget_file_writes;
};

static uint64_t mix(uint64_t x)
{
	x ^= x >> 30;
	x *= UINT64_C(0xbf58476d1ce4e5b9);
	x ^= x >> 27;
	x *= UINT64_C(0x94d049bb133111eb);
	x ^= x >> 31;
	return x;
}

static uint64_t rnd(uint64_t *s)
{
	*s += UINT64_C(0x9e3779b97f4a7c15);
	return mix(*s);
}

/* The word of a page that writes go to, and one that must stay zero. */
static uint64_t word_off(uint32_t page)
{
	return (uint64_t)((page * 40503u) % 256u) * 8u;
}

static uint64_t zero_off(uint32_t page)
{
	return (word_off(page) + 2048u) % PAGE;
}

/* The page index a region's page writes are keyed by: its file page for a file mapping. */
static uint32_t key(const struct region *g, uint32_t page)
{
	return g->file >= 0 ? g->off + page : page;
}

/* The word at byte off of file page index never written back (src/mm/filemap.c
 * read_contents(): splitmix64 seeded from the name's hash and the index). */
static uint64_t file_init(const struct fileshadow *f, uint32_t index, uint64_t off)
{
	uint64_t st = mix(f->seed ^ ((uint64_t)index * UINT64_C(0x9e3779b97f4a7c15)));

	return mix(st + (off / 8 + 1) * UINT64_C(0x9e3779b97f4a7c15));
}

static void fail(struct run *r, uint64_t *counter, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void fail(struct run *r, uint64_t *counter, const char *fmt, ...)
{
	va_list ap;

	(*counter)++;
	if (r->res->first_failure < 0) {
		r->res->first_failure = r->op_index;
		va_start(ap, fmt);
		vsnprintf(r->res->why, sizeof(r->res->why), fmt, ap);
		va_end(ap);
		if (r->script)
			fprintf(r->script, "# ^ failed here: %s\n", r->res->why);
	}
	r->stop = true;
}

static void put(struct shobj *o)
{
	if (o && --o->refs == 0)
		free(o);
}

static void drop_proc(struct run *r, struct proc *p)
{
	for (int i = 0; i < MAX_REGIONS; i++) {
		if (p->r[i].used)
			put(p->r[i].obj);
		p->r[i].used = false;
		p->r[i].obj = NULL;
	}
	if (p->t)
		mmsim_task_exit(p->t);
	p->t = NULL;
	(void)r;
}

/* A process the OOM killer took: its shadow goes, and the handle still has to be exited. */
static void reap_killed(struct run *r)
{
	for (int i = 0; i < MAX_PROCS; i++) {
		if (r->p[i].t && !mmsim_task_alive(r->p[i].t)) {
			r->res->oom_kills++;
			if (r->script)
				fprintf(r->script, "# P%u was killed by the OOM killer\n",
					r->p[i].name);
			drop_proc(r, &r->p[i]);
		}
	}
}

void stress_pick_machine(uint64_t seed, const char *const *policies, size_t nr_policies,
			 struct stress_machine *m)
{
	uint64_t s = seed;

	memset(m, 0, sizeof(*m));
	snprintf(m->policy, sizeof(m->policy), "%s", policies[seed % nr_policies]);
	snprintf(m->reclaim, sizeof(m->reclaim), "%s",
		 (seed / nr_policies) % 2 ? "demand" : "linux");
	m->mem_bytes = UINT64_C(16) << 20;
	m->frames = 24 + rnd(&s) % 72;
	/* One machine in four has too little swap for its processes: the OOM killer works. */
	m->swap_bytes = (rnd(&s) % 4 ? UINT64_C(4) << 20 : UINT64_C(256) << 10);
	snprintf(m->thp, sizeof(m->thp), "%s",
		 (const char *[]){ "always", "madvise", "never" }[rnd(&s) % 3]);
	/*
	 * Every other round of 2 * nr_policies seeds: no frames cap, but a ballast process
	 * holds most of the 16 MiB (3,300 written pages leave about 330 free), so the stress
	 * processes' faults cross the low watermark: kswapd runs after accesses (linux
	 * reclaim), which a frames cap never makes it do.
	 */
	if ((seed / (2 * nr_policies)) % 2) {
		m->frames = 0;
		m->ballast_pages = 3100 + rnd(&s) % 250;
		m->swap_bytes = UINT64_C(16) << 20;
	} else if (rnd(&s) % 3 == 0) {
		/* No cap at all: 16 MiB leaves room for order-9 pages (a cap of 24..96 frames
		 * makes every huge fault fall back), until the processes fill it. */
		m->frames = 0;
	}
}

/* The ballast process: its pages are written once and never checked (only its size
 * matters). NULL when the machine has none or it cannot be made. */
static struct mmsim_task *make_ballast(struct run *r, uint64_t pages)
{
	struct mmsim_task *b = NULL;
	uint64_t addr, one = 1;

	if (!pages || mmsim_task_spawn(r->sys, &b))
		return NULL;
	if (mmsim_mmap(b, 0, pages * PAGE, MMSIM_PROT_READ | MMSIM_PROT_WRITE,
		       MMSIM_MAP_ANONYMOUS | MMSIM_MAP_PRIVATE, &addr)) {
		mmsim_task_exit(b);
		return NULL;
	}
	if (r->script)
		fprintf(r->script, "spawn B\nB map BAL %llu rw private\nB write BAL 0-%llu\n",
			(unsigned long long)pages, (unsigned long long)pages - 1);
	for (uint64_t i = 0; i < pages && mmsim_task_alive(b); i++)
		mmsim_write(b, addr + i * PAGE, &one, sizeof(one));
	return b;
}

void stress_generate(uint64_t seed, struct stress_op *ops, size_t n)
{
	/* Weights per kind: mostly data traffic, enough structure changes to move it. */
	static const unsigned int weight[STRESS_NR_KINDS] = {
		[STRESS_SPAWN] = 3,	[STRESS_FORK] = 4,	[STRESS_MAP] = 10,
		[STRESS_WRITE] = 30,	[STRESS_READ] = 22,	[STRESS_VERIFY] = 6,
		[STRESS_UNMAP] = 4,	[STRESS_PROTECT] = 4,	[STRESS_DONTNEED] = 4,
		[STRESS_REMAP] = 5,	[STRESS_EXIT] = 2,	[STRESS_MAPFILE] = 6,
		[STRESS_MSYNC] = 3,	[STRESS_DROPCACHE] = 2, [STRESS_MAPHUGE] = 2,
		[STRESS_HUGEADV] = 2,	[STRESS_COMPACT] = 1,	[STRESS_RECLAIM] = 2,
		[STRESS_SHRINKALL] = 1, [STRESS_READFILE] = 3,
	};
	unsigned int total = 0;
	uint64_t s = mix(seed + 1);

	for (int k = 0; k < STRESS_NR_KINDS; k++)
		total += weight[k];
	for (size_t i = 0; i < n; i++) {
		unsigned int w = (unsigned int)(rnd(&s) % total), k = 0;

		while (w >= weight[k])
			w -= weight[k++];
		ops[i] = (struct stress_op){
			.kind = (uint8_t)k,
			.proc = (uint8_t)rnd(&s),
			.region = (uint8_t)rnd(&s),
			.flag = (uint8_t)(rnd(&s) % 3 == 0),
			.a = (uint32_t)rnd(&s),
			.b = (uint32_t)rnd(&s),
		};
	}
}

/* Checks one page of a region against its shadow. */
static void check_page(struct run *r, struct proc *p, struct region *g, uint32_t page)
{
	uint32_t k = key(g, page);
	uint64_t got = 0, zero = 0, want, want_zero = 0;
	enum mmsim_signal sig;

	if (g->file >= 0) {
		struct fileshadow *f = &r->f[g->file];

		want = !g->shared && g->obj->cow[page] ? g->obj->val[page] : f->val[k];
		want_zero = file_init(f, k, zero_off(k));
	} else {
		want = g->obj->val[page];
		want_zero = g->obj->zval[page];
	}
	sig = mmsim_read(p->t, g->addr + (uint64_t)page * PAGE + word_off(k), &got, 8);
	if (sig == MMSIM_SIG_NONE)
		sig = mmsim_read(p->t, g->addr + (uint64_t)page * PAGE + zero_off(k), &zero, 8);
	if (sig == MMSIM_SIG_KILLED)
		return;
	if (sig != MMSIM_SIG_NONE) {
		fail(r, &r->res->unexpected, "P%u read R%u page %u: signal %d on a readable page",
		     p->name, g->name, page, (int)sig);
		return;
	}
	r->res->bytes_checked += 16;
	if ((want != UNKNOWN && got != want) || (want_zero != UNKNOWN && zero != want_zero))
		fail(r, &r->res->mismatches,
		     "P%u R%u page %u (va 0x%llx%s%s): read 0x%016llx, shadow 0x%016llx; "
		     "untouched word 0x%016llx, shadow 0x%016llx",
		     p->name, g->name, page, (unsigned long long)g->addr + page * PAGE,
		     g->file >= 0 ? ", file " : "", g->file >= 0 ? files[g->file].name : "",
		     (unsigned long long)got, (unsigned long long)want, (unsigned long long)zero,
		     (unsigned long long)want_zero);
}

static void write_page(struct run *r, struct proc *p, struct region *g, uint32_t page)
{
	uint64_t va = g->addr + (uint64_t)page * PAGE;
	uint64_t v = mix(((uint64_t)p->name << 48) ^ va ^ mix(++r->writes));
	enum mmsim_signal sig;
	uint64_t *slot = &g->obj->val[page];

	if (v == UNKNOWN)
		v--;
	sig = mmsim_write(p->t, va + word_off(key(g, page)), &v, 8);
	if (g->file >= 0 && g->shared)
		slot = &r->f[g->file].val[key(g, page)];
	if (sig == MMSIM_SIG_NONE && !g->ro) {
		if (!(r->forget_file_writes && g->file >= 0 && g->shared))
			*slot = v;
		g->obj->cow[page] = true;
	} else if (sig == MMSIM_SIG_KILLED) {
		/* Killed while storing: a shared page may or may not hold the value now. */
		*slot = UNKNOWN;
		g->obj->cow[page] = true;
	} else if (!(sig == MMSIM_SIG_SEGV_ACCERR && g->ro)) {
		fail(r, &r->res->unexpected, "P%u write R%u page %u: signal %d, want %s", p->name,
		     g->name, page, (int)sig, g->ro ? "SEGV_ACCERR" : "none");
	}
}

static struct shobj *new_obj(void)
{
	struct shobj *o = calloc(1, sizeof(*o));

	if (o)
		o->refs = 1;
	return o;
}

static bool op_fork(struct run *r, struct proc *p, const struct stress_op *op)
{
	struct proc *c = NULL;

	for (int i = 0; i < MAX_PROCS && !c; i++) {
		int slot = (int)((op->a + (unsigned int)i) % MAX_PROCS);

		if (!r->p[slot].t)
			c = &r->p[slot];
	}
	if (!c || mmsim_task_fork(p->t, &c->t))
		return false;
	c->name = r->next_proc++;
	for (int i = 0; i < MAX_REGIONS; i++) {
		c->r[i] = p->r[i];
		if (!p->r[i].used)
			continue;
		if (p->r[i].shared) {
			p->r[i].obj->refs++;
		} else {
			c->r[i].obj = new_obj();
			if (!c->r[i].obj)
				abort();
			*c->r[i].obj = *p->r[i].obj;
			c->r[i].obj->refs = 1;
		}
	}
	if (r->script)
		fprintf(r->script, "P%u fork P%u\n", p->name, c->name);
	return true;
}

/* An anonymous read-write mapping of pages into region g, shared or private; false when
 * mmap refuses it. */
static bool map_anon(struct run *r, struct proc *p, struct region *g, uint32_t pages, bool shared)
{
	uint64_t addr;
	int flags = MMSIM_MAP_ANONYMOUS | (shared ? MMSIM_MAP_SHARED : MMSIM_MAP_PRIVATE);

	if (mmsim_mmap(p->t, 0, (uint64_t)pages * PAGE, MMSIM_PROT_READ | MMSIM_PROT_WRITE, flags,
		       &addr))
		return false;
	*g = (struct region){ .used = true,
			      .shared = shared,
			      .file = -1,
			      .addr = addr,
			      .pages = pages,
			      .name = r->next_region++,
			      .obj = new_obj() };
	if (!g->obj)
		abort();
	if (r->script)
		fprintf(r->script, "P%u map R%u %u rw %s\n", p->name, g->name, pages,
			shared ? "shared" : "private");
	return true;
}

static bool op_map(struct run *r, struct proc *p, struct region *g, const struct stress_op *op)
{
	return map_anon(r, p, g, 1 + op->a % MAX_PAGES, op->flag);
}

static bool op_unmap(struct run *r, struct proc *p, struct region *g, const struct stress_op *op)
{
	uint32_t first = op->a % g->pages;

	if (mmsim_munmap(p->t, g->addr + (uint64_t)first * PAGE,
			 (uint64_t)(g->pages - first) * PAGE)) {
		fail(r, &r->res->unexpected, "P%u munmap R%u from page %u failed", p->name, g->name,
		     first);
		return false;
	}
	if (r->script)
		fprintf(r->script, "P%u unmap R%u %u-%u\n", p->name, g->name, first, g->pages - 1);
	if (!g->shared) { /* a later grow must read zero there */
		memset(&g->obj->val[first], 0, (OBJ_PAGES - first) * sizeof(uint64_t));
		memset(&g->obj->zval[first], 0, (OBJ_PAGES - first) * sizeof(uint64_t));
		memset(&g->obj->cow[first], 0, (OBJ_PAGES - first) * sizeof(bool));
	}
	g->pages = first;
	if (!first) {
		put(g->obj);
		*g = (struct region){ 0 };
	}
	return true;
}

static bool op_remap(struct run *r, struct proc *p, struct region *g, const struct stress_op *op)
{
	uint32_t pages = 1 + op->a % (MAX_PAGES * 2);
	uint64_t addr;
	int rc;

	/* A shared mapping grown past its shmem object's size would SIGBUS, a file mapping
	 * past its file's end too: only shrink them. */
	if ((g->shared || g->file >= 0) && pages > g->pages)
		return false;
	rc = mmsim_mremap(p->t, g->addr, (uint64_t)g->pages * PAGE, (uint64_t)pages * PAGE,
			  MMSIM_MREMAP_MAYMOVE, 0, &addr);
	if (rc == -ENOMEM || (rc == -EFAULT && g->split))
		return false;
	if (rc) {
		fail(r, &r->res->unexpected, "P%u mremap R%u %u -> %u pages: error %d", p->name,
		     g->name, g->pages, pages, rc);
		return false;
	}
	if (r->script)
		fprintf(r->script, "P%u remap R%u %u\n", p->name, g->name, pages);
	if (pages < g->pages && !g->shared) {
		memset(&g->obj->val[pages], 0, (OBJ_PAGES - pages) * sizeof(uint64_t));
		memset(&g->obj->zval[pages], 0, (OBJ_PAGES - pages) * sizeof(uint64_t));
		memset(&g->obj->cow[pages], 0, (OBJ_PAGES - pages) * sizeof(bool));
	}
	g->addr = addr;
	g->pages = pages;
	return true;
}

/* mmap of file a % NR_FILES: from page off, 1..(pages left) pages, inside the file. */
static bool op_mapfile(struct run *r, struct proc *p, struct region *g, const struct stress_op *op)
{
	int fi = (int)(op->a % NR_FILES);
	uint32_t off = (op->a / NR_FILES) % files[fi].pages;
	uint32_t pages = 1 + op->b % (files[fi].pages - off);
	uint64_t addr;
	int flags = op->flag ? MMSIM_MAP_SHARED : MMSIM_MAP_PRIVATE;
	int rc =
		mmsim_mmap_file(p->t, 0, (uint64_t)pages * PAGE, MMSIM_PROT_READ | MMSIM_PROT_WRITE,
				flags, files[fi].name, (uint64_t)off, &addr);

	if (rc == -ENOMEM)
		return false;
	if (rc) {
		fail(r, &r->res->unexpected, "P%u mmap of file %s offset %u pages %u: error %d",
		     p->name, files[fi].name, off, pages, rc);
		return false;
	}
	*g = (struct region){ .used = true,
			      .shared = op->flag,
			      .file = fi,
			      .off = off,
			      .addr = addr,
			      .pages = pages,
			      .name = r->next_region++,
			      .obj = new_obj() };
	if (!g->obj)
		abort();
	if (r->script)
		fprintf(r->script, "P%u map R%u file %s offset=%u pages=%u %s rw\n", p->name,
			g->name, files[fi].name, off, pages, op->flag ? "shared" : "private");
	return true;
}

/* The word at byte off of file page index as the page cache holds it: written words sit
 * at word_off(index) (write_page()). */
static uint64_t file_word(const struct fileshadow *f, uint32_t index, uint64_t off)
{
	return off == word_off(index) ? f->val[index] : file_init(f, index, off);
}

/* pread(2) of 1..(what fits) pages of file a % NR_FILES from page off into anonymous region
 * g from its page 0: the buffer's pages become copies of the file's. */
static bool op_readfile(struct run *r, struct proc *p, struct region *g, const struct stress_op *op)
{
	int fi = (int)(op->a % NR_FILES);
	uint32_t off = (op->a / NR_FILES) % files[fi].pages;
	uint32_t left = files[fi].pages - off;
	uint32_t pages = 1 + op->b % (g->pages < left ? g->pages : left);
	struct mmsim_task_stats before, after;
	uint64_t n = 0;
	int rc;

	if (g->file >= 0)
		return false;
	mmsim_task_stats(p->t, &before);
	rc = mmsim_file_read_into(p->t, files[fi].name, off, pages, g->addr, &n);
	if (r->script)
		fprintf(r->script, "P%u read file %s offset=%u pages=%u into=R%u\n", p->name,
			files[fi].name, off, pages, g->name);
	if (!mmsim_task_alive(p->t))
		return true; /* killed while copying: its shadow goes (reap_killed()) */
	if (g->ro) {
		mmsim_task_stats(p->t, &after);
		if (rc != -EFAULT || n || after.last_signal != before.last_signal)
			fail(r, &r->res->unexpected,
			     "P%u read into read-only R%u: rc %d, %llu pages, signal %d; want "
			     "EFAULT, none, no signal",
			     p->name, g->name, rc, (unsigned long long)n, (int)after.last_signal);
		return true;
	}
	/* A page the cache could not get (-ENOMEM: the frames ran out) ends the read short. */
	if (rc == -ENOMEM && !n)
		return false;
	if (rc || !n || n > pages) {
		fail(r, &r->res->unexpected,
		     "P%u read of %s offset %u pages %u into R%u: rc %d, %llu "
		     "pages read",
		     p->name, files[fi].name, off, pages, g->name, rc, (unsigned long long)n);
		return false;
	}
	for (uint32_t i = 0; i < n; i++) {
		g->obj->val[i] = file_word(&r->f[fi], off + i, word_off(i));
		g->obj->zval[i] = file_word(&r->f[fi], off + i, zero_off(i));
	}
	return true;
}

/* A region of HUGE_PAGES anonymous pages (private, or shared with flag), MADV_HUGEPAGE
 * over all of it unless b says otherwise: with thp=always|madvise its aligned 2 MiB
 * ranges fault as huge pages. */
static bool op_maphuge(struct run *r, struct proc *p, struct region *g, const struct stress_op *op)
{
	bool advise = op->b % 4 != 0;

	if (!map_anon(r, p, g, HUGE_PAGES, op->flag))
		return false;
	if (!advise)
		return true;
	if (mmsim_madvise(p->t, g->addr, (uint64_t)HUGE_PAGES * PAGE, MMSIM_MADV_HUGEPAGE)) {
		fail(r, &r->res->unexpected, "P%u madvise R%u hugepage failed", p->name, g->name);
		return false;
	}
	if (r->script)
		fprintf(r->script, "P%u madvise R%u 0-%u hugepage\n", p->name, g->name,
			HUGE_PAGES - 1);
	return true;
}

/* Operations on the whole machine: compaction and proactive reclaim. */
static bool op_machine(struct run *r, struct proc *p, const struct stress_op *op)
{
	uint64_t bytes = (uint64_t)(1 + op->a % 128) * PAGE;
	int rc = 0;

	switch (op->kind) {
	case STRESS_COMPACT:
		mmsim_compact_memory(r->sys);
		if (r->script)
			fprintf(r->script, "compact_memory\n");
		return true;
	case STRESS_RECLAIM:
		rc = mmsim_reclaim(r->sys, op->flag ? p->t : NULL, bytes, NULL);
		if (!rc && r->script) {
			if (op->flag)
				fprintf(r->script, "reclaim %lluK P%u\n",
					(unsigned long long)bytes >> 10, p->name);
			else
				fprintf(r->script, "reclaim %lluK\n",
					(unsigned long long)bytes >> 10);
		}
		break;
	case STRESS_SHRINKALL:
		rc = mmsim_shrink_all(r->sys, NULL);
		if (!rc && r->script)
			fprintf(r->script, "shrink-all\n");
		break;
	case STRESS_DROPCACHE:
		rc = mmsim_file_drop_cache(r->sys, files[op->a % NR_FILES].name, NULL);
		if (!rc && r->script)
			fprintf(r->script, "dropcache %s\n", files[op->a % NR_FILES].name);
		break;
	default:
		return false;
	}
	if (rc)
		fail(r, &r->res->unexpected, "%s: error %d", stress_op_names[op->kind], rc);
	return rc == 0;
}

/* The k-th (mod their number) live process, used region or free region slot: operations
 * name them relative to the state they meet, so any sublist of a run still does things. */
static struct proc *nth_proc(struct run *r, unsigned int k)
{
	unsigned int nr = 0;

	for (int i = 0; i < MAX_PROCS; i++)
		nr += r->p[i].t != NULL;
	for (int i = 0; nr && i < MAX_PROCS; i++)
		if (r->p[i].t && k % nr == 0)
			return &r->p[i];
		else if (r->p[i].t)
			k--;
	return NULL;
}

static struct region *nth_region(struct proc *p, unsigned int k, bool used)
{
	unsigned int nr = 0;

	for (int i = 0; i < MAX_REGIONS; i++)
		nr += p->r[i].used == used;
	k = nr ? k % nr : 0;
	for (int i = 0; nr && i < MAX_REGIONS; i++) {
		if (p->r[i].used != used)
			continue;
		if (k-- == 0)
			return &p->r[i];
	}
	return NULL;
}

static bool play(struct run *r, const struct stress_op *op)
{
	struct proc *p = op->kind == STRESS_SPAWN ? NULL : nth_proc(r, op->proc);
	struct region *g;
	uint32_t first, last;

	if (op->kind == STRESS_SPAWN) {
		for (int i = 0; i < MAX_PROCS && !p; i++)
			if (!r->p[i].t)
				p = &r->p[i];
		if (!p || mmsim_task_spawn(r->sys, &p->t))
			return false;
		p->name = r->next_proc++;
		memset(p->r, 0, sizeof(p->r));
		if (r->script)
			fprintf(r->script, "spawn P%u\n", p->name);
		return true;
	}
	if (!p)
		return false;
	g = nth_region(p, op->region,
		       op->kind != STRESS_MAP && op->kind != STRESS_MAPFILE &&
			       op->kind != STRESS_MAPHUGE);
	switch (op->kind) {
	case STRESS_FORK:
		return op_fork(r, p, op);
	case STRESS_MAPFILE:
		return g && op_mapfile(r, p, g, op);
	case STRESS_MAPHUGE:
		return g && op_maphuge(r, p, g, op);
	case STRESS_COMPACT:
	case STRESS_RECLAIM:
	case STRESS_SHRINKALL:
	case STRESS_DROPCACHE:
		return op_machine(r, p, op);
	case STRESS_EXIT:
		if (r->script)
			fprintf(r->script, "P%u exit\n", p->name);
		drop_proc(r, p);
		return true;
	case STRESS_MAP:
		return g && op_map(r, p, g, op);
	default:
		break;
	}
	if (!g)
		return false;
	first = op->a % g->pages;
	last = first + op->b % (g->pages - first);
	switch (op->kind) {
	case STRESS_WRITE:
		for (unsigned int i = 0; i < 1 + op->b % 16 && !r->stop; i++) {
			uint32_t page = (first + i * 7) % g->pages;

			if (r->script)
				fprintf(r->script, "P%u write R%u %u\n", p->name, g->name, page);
			write_page(r, p, g, page);
			if (!mmsim_task_alive(p->t))
				break;
		}
		return true;
	case STRESS_READ:
	case STRESS_VERIFY:
		if (op->kind == STRESS_VERIFY) {
			first = 0;
			last = g->pages - 1;
		}
		if (r->script)
			fprintf(r->script, "P%u read R%u %u-%u\n", p->name, g->name, first, last);
		for (uint32_t pg = first; pg <= last && !r->stop && mmsim_task_alive(p->t); pg++)
			check_page(r, p, g, pg);
		return true;
	case STRESS_UNMAP:
		return op_unmap(r, p, g, op);
	case STRESS_PROTECT:
		if (mmsim_mprotect(p->t, g->addr, (uint64_t)g->pages * PAGE,
				   MMSIM_PROT_READ | (op->flag ? 0 : MMSIM_PROT_WRITE)))
			return false;
		g->ro = op->flag;
		if (r->script)
			fprintf(r->script, "P%u protect R%u 0-%u %s\n", p->name, g->name,
				g->pages - 1, op->flag ? "r" : "rw");
		return true;
	case STRESS_DONTNEED:
		if (mmsim_madvise(p->t, g->addr + (uint64_t)first * PAGE,
				  (uint64_t)(last - first + 1) * PAGE, MMSIM_MADV_DONTNEED)) {
			fail(r, &r->res->unexpected, "P%u madvise R%u %u-%u failed", p->name,
			     g->name, first, last);
			return false;
		}
		if (r->script)
			fprintf(r->script, "P%u advise R%u %u-%u dontneed\n", p->name, g->name,
				first, last);
		if (!g->shared && !r->forget_dontneed) {
			memset(&g->obj->val[first], 0, (last - first + 1) * sizeof(uint64_t));
			memset(&g->obj->zval[first], 0, (last - first + 1) * sizeof(uint64_t));
			memset(&g->obj->cow[first], 0, (last - first + 1) * sizeof(bool));
		}
		return true;
	case STRESS_REMAP:
		return op_remap(r, p, g, op);
	case STRESS_MSYNC:
		if (g->file < 0)
			return false;
		if (mmsim_msync(p->t, g->addr + (uint64_t)first * PAGE,
				(uint64_t)(last - first + 1) * PAGE, NULL)) {
			fail(r, &r->res->unexpected, "P%u msync R%u %u-%u failed", p->name, g->name,
			     first, last);
			return false;
		}
		if (r->script)
			fprintf(r->script, "P%u msync R%u %u-%u\n", p->name, g->name, first, last);
		return true;
	case STRESS_READFILE:
		return op_readfile(r, p, g, op);
	case STRESS_HUGEADV:
		if (mmsim_madvise(p->t, g->addr + (uint64_t)first * PAGE,
				  (uint64_t)(last - first + 1) * PAGE,
				  op->flag ? MMSIM_MADV_NOHUGEPAGE : MMSIM_MADV_HUGEPAGE)) {
			fail(r, &r->res->unexpected, "P%u madvise R%u %u-%u hugepage failed",
			     p->name, g->name, first, last);
			return false;
		}
		/* Linux vma_to_resize(): an old range over two VMAs is -EFAULT. */
		g->split |= first > 0 || last < g->pages - 1;
		if (r->script)
			fprintf(r->script, "P%u madvise R%u %u-%u %s\n", p->name, g->name, first,
				last, op->flag ? "nohugepage" : "hugepage");
		return true;
	default:
		return false;
	}
}

static void stress_run_script(const struct stress_machine *m, const struct stress_op *ops, size_t n,
			      bool stop_at_failure, struct stress_result *res, FILE *script);

void stress_run(const struct stress_machine *m, const struct stress_op *ops, size_t n,
		bool stop_at_failure, struct stress_result *res)
{
	stress_run_script(m, ops, n, stop_at_failure, res, NULL);
}

static void stress_run_script(const struct stress_machine *m, const struct stress_op *ops, size_t n,
			      bool stop_at_failure, struct stress_result *res, FILE *script)
{
	struct mmsim_config cfg;
	struct mmsim_error err = { 0 };
	struct run r = { .res = res,
			 .script = script,
			 .forget_dontneed = m->forget_dontneed,
			 .forget_file_writes = m->forget_file_writes };
	struct mmsim_task *ballast;

	memset(res, 0, sizeof(*res));
	res->first_failure = -1;
	mmsim_config_default(&cfg);
	cfg.data_mode = true;
	cfg.mem_bytes = m->mem_bytes;
	cfg.swap_bytes = m->swap_bytes;
	cfg.frames = m->frames;
	snprintf(cfg.policy, sizeof(cfg.policy), "%s", m->policy);
	snprintf(cfg.reclaim, sizeof(cfg.reclaim), "%s", m->reclaim);
	if (m->thp[0])
		snprintf(cfg.thp, sizeof(cfg.thp), "%s", m->thp);
	if (mmsim_system_create(&cfg, &r.sys, &err)) {
		res->setup_failed = true;
		snprintf(res->why, sizeof(res->why), "machine: %s", err.msg);
		return;
	}
	if (script)
		fprintf(script,
			"config mem=%lluK swap=%lluK frames=%llu policy=%s reclaim=%s "
			"data=on%s%s\n",
			(unsigned long long)m->mem_bytes >> 10,
			(unsigned long long)m->swap_bytes >> 10, (unsigned long long)m->frames,
			m->policy, m->reclaim, m->thp[0] ? " thp=" : "", m->thp);
	for (int i = 0; i < NR_FILES; i++) {
		uint64_t h = UINT64_C(0xcbf29ce484222325);
		int rc = mmsim_file_create(r.sys, files[i].name, files[i].pages);

		if (rc) {
			res->setup_failed = true;
			snprintf(res->why, sizeof(res->why), "file %s: error %d", files[i].name,
				 rc);
			mmsim_system_destroy(r.sys);
			return;
		}
		for (const char *c = files[i].name; *c; c++)
			h = (h ^ (uint8_t)*c) * UINT64_C(0x100000001b3);
		r.f[i].seed = h;
		for (uint32_t pg = 0; pg < files[i].pages; pg++)
			r.f[i].val[pg] = file_init(&r.f[i], pg, word_off(pg));
		if (script)
			fprintf(script, "file %s %u\n", files[i].name, files[i].pages);
	}
	ballast = make_ballast(&r, m->ballast_pages);
	for (size_t i = 0; i < n; i++) {
		r.op_index = (long)i;
		if (play(&r, &ops[i]))
			res->ops_done[ops[i].kind]++;
		else
			res->ops_skipped++;
		reap_killed(&r);
		if (mmsim_check(r.sys, &err))
			fail(&r, &res->invariant_failures, "after operation %zu (%s): %s", i,
			     stress_op_names[ops[i].kind], err.msg);
		if (r.stop && stop_at_failure)
			break;
		r.stop = false;
	}
	mmsim_counter(r.sys, "pswpout", &res->pswpout);
	mmsim_counter(r.sys, "pswpin", &res->pswpin);
	mmsim_counter(r.sys, "pgsteal_kswapd", &res->pgsteal_kswapd);
	mmsim_counter(r.sys, "thp_fault_alloc", &res->thp_fault_alloc);
	mmsim_counter(r.sys, "thp_split_pmd", &res->thp_split_pmd);
	mmsim_counter(r.sys, "pgmigrate_success", &res->pgmigrate_success);
	mmsim_counter(r.sys, "pgmajfault", &res->pgmajfault);
	mmsim_counter(r.sys, "file_written", &res->file_written);
	for (int i = 0; i < MAX_PROCS; i++)
		drop_proc(&r, &r.p[i]);
	if (ballast)
		mmsim_task_exit(ballast);
	mmsim_system_destroy(r.sys);
}

/* ddmin (Zeller): try dropping each of k chunks; on success keep the smaller list. */
size_t stress_shrink(const struct stress_machine *m, struct stress_op *ops, size_t n,
		     unsigned int max_runs)
{
	struct stress_op *tmp = malloc(n * sizeof(*tmp));
	struct stress_result res;
	size_t k = 2;
	unsigned int runs = 0;

	if (!tmp)
		return n;
	while (n >= 2 && runs < max_runs) {
		size_t chunk = (n + k - 1) / k;
		bool shrunk = false;

		for (size_t start = 0; start < n && runs < max_runs; start += chunk) {
			size_t end = start + chunk < n ? start + chunk : n, len = 0;

			memcpy(tmp, ops, start * sizeof(*ops));
			len = start;
			memcpy(tmp + len, ops + end, (n - end) * sizeof(*ops));
			len += n - end;
			stress_run(m, tmp, len, true, &res);
			runs++;
			if (stress_failed(&res) && !res.setup_failed) {
				/* Everything after the failing operation is not needed either. */
				n = res.first_failure >= 0 ? (size_t)res.first_failure + 1 : len;
				memcpy(ops, tmp, n * sizeof(*ops));
				k = k > 2 ? k - 1 : 2;
				shrunk = true;
				break;
			}
		}
		if (!shrunk) {
			if (k >= n)
				break;
			k = k * 2 < n ? k * 2 : n;
		}
	}
	free(tmp);
	return n;
}

void stress_write_script(FILE *f, const struct stress_machine *m, const struct stress_op *ops,
			 size_t n, const struct stress_result *res)
{
	struct stress_result again;

	if (!res) { /* a run that crashes: the script is written as it plays */
		setvbuf(f, NULL, _IONBF, 0);
		stress_run_script(m, ops, n, false, &again, f);
		return;
	}
	stress_run(m, ops, n, true, &again);
	fprintf(f, "# Data-shadow stress failure, shrunk to %zu operations.\n", n);
	fprintf(f, "# First failure in the whole run: %s\n", res->why);
	fprintf(f, "# First failure of this shrunk run: %s\n", again.why);
	fprintf(f, "# Run with: mmsim script --paranoid FILE (the reads below are the ones the\n"
		   "# stress checked against its shadow; the script replays the same accesses).\n");
	stress_run_script(m, ops, n, true, &again, f);
}
