/*
 * realk: the host kernel's answer to mmsim scenarios, written as an mmsim script.
 *
 *   realk DIR > out.mms
 *
 * Runs scenarios with real system calls on the machine it runs on (files in DIR, which
 * must be on a file system with a page cache: not tmpfs) and prints each step as the mmsim
 * script command that does the same, and each measurement as an `expect` line holding the
 * HOST's value. `mmsim script out.mms` then replays the scenarios in mmsim and checks
 * mmsim's counts against the kernel's; tests/diff/test_realk_diff.sh does both.
 *
 * Scenarios (each in its own simulated process; the host uses one process and sums
 * /proc/PID/smaps over the scenario's regions, as mmsim sums over the process):
 *   A  fault-around on a cached file (mm/memory.c do_read_fault(), do_fault_around(),
 *      mm/filemap.c filemap_map_pages()), fault_around_bytes 64 KiB;
 *   B  POSIX_FADV_DONTNEED, then a major fault with mmap read-around and async readahead
 *      at the marked page (filemap_fault(), do_sync_mmap_readahead(),
 *      do_async_mmap_readahead()), with the file's device read_ahead_kb; reads in flight
 *      are waited for after each access, and runs repeated until the major fault found
 *      its window's reads complete (scenario_b_once());
 *   C  MADV_HUGEPAGE on a 2 MiB-aligned anonymous range (do_huge_pmd_anonymous_page()),
 *      the huge zero page and its write fault; skipped when THP is never or fails;
 *   D  fork with shared anonymous and file pages: Pss, Shared_*, Private_*
 *      (fs/proc/task_mmu.c smaps_account()), read in the child for both processes;
 *   E  MAP_PRIVATE write to file pages (do_cow_fault(), wp_page_copy()), MAP_SHARED
 *      write-notify (do_shared_fault(), wp_page_shared()): RssFile/RssAnon split.
 * smaps fields mmsim has no expect form for are printed as `#smaps P FIELD KB` comment
 * lines next to a `show P smaps` command; the test script compares those.
 *
 * Page cache contents are made of order-0 folios (the files are written 4 KiB at a time),
 * as mmsim's page cache is; a scenario the host cannot run prints `# skip X: reason` and
 * the same on standard error. Exit 77 when no scenario can run.
 *
 * Fault counts are getrusage() differences taken around the touching loop only, through
 * the raw system call (no sanitizer interceptor runs in between), so the program's own
 * faults elsewhere are not counted. Build it without instrumentation.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE 4096UL
#define PMD_SIZE (2UL << 20)
#define EXT4_MAGIC_NR 0xef53L
/* The simulated address each region goes to; the host keeps the same offset in 2 MiB. */
#define SIM_BASE 0x7f0000000000UL

static const char *dir;
static unsigned long ra_kb;	    /* the file's device read_ahead_kb, 0 when unknown */
static char thp_mode[32] = "never"; /* transparent_hugepage/enabled */
static char smaps_buf[1 << 20];	    /* touched at start: reading into it faults nothing later */
static int nr_run, nr_skipped;
static FILE *out; /* where line() writes: stdout, or a buffer while scenario B repeats */

/* One simulated process: its name, the regions it maps and the faults its touches took. */
struct region {
	const char *name;
	char *base;
	size_t len;
};
struct proc {
	const char *name;
	uint64_t minflt, majflt;
	struct region regions[4];
	int nr_regions;
};

static void line(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(out, fmt, ap);
	va_end(ap);
	fputc('\n', out);
}

static void skip(const char *scenario, const char *fmt, ...)
{
	char why[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	line("# skip %s: %s", scenario, why);
	fprintf(stderr, "realk: scenario %s skipped: %s\n", scenario, why);
	nr_skipped++;
}

static void die(const char *what)
{
	fprintf(stderr, "realk: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void rusage_now(struct rusage *ru)
{
	if (syscall(SYS_getrusage, RUSAGE_SELF, ru))
		die("getrusage");
}

/* A PROT_NONE reservation with a 2 MiB-aligned address inside, plus off bytes. */
static char *aligned_addr(size_t len, size_t off)
{
	char *r = mmap(NULL, len + off + PMD_SIZE, PROT_NONE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	uintptr_t a;

	if (r == MAP_FAILED)
		die("mmap reservation");
	a = ((uintptr_t)r + PMD_SIZE - 1) & ~(PMD_SIZE - 1);
	return (char *)a + off;
}

static struct region *add_region(struct proc *p, const char *name, char *base, size_t len)
{
	struct region *r = &p->regions[p->nr_regions++];

	r->name = name;
	r->base = base;
	r->len = len;
	return r;
}

static struct region *find_region(struct proc *p, const char *name)
{
	for (int i = 0; i < p->nr_regions; i++)
		if (!strcmp(p->regions[i].name, name))
			return &p->regions[i];
	fprintf(stderr, "realk: no region %s\n", name);
	exit(1);
}

/* P map NAME PAGES [at=]: anonymous private rw at a 2 MiB-aligned address + off. */
static char *map_anon(struct proc *p, const char *name, unsigned long pages, size_t off)
{
	char *a = aligned_addr(pages * PAGE, off);

	if (mmap(a, pages * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
		 -1, 0) != a)
		die("mmap anon");
	add_region(p, name, a, pages * PAGE);
	line("%s map %s %lu at=0x%lx", p->name, name, pages,
	     SIM_BASE + off + (unsigned long)p->nr_regions * 0x8000000UL);
	return a;
}

/* P map NAME file F private|shared r|rw at=... */
static char *map_file(struct proc *p, const char *name, const char *file, int fd,
		      unsigned long pages, int shared, int writable, size_t off)
{
	int prot = PROT_READ | (writable ? PROT_WRITE : 0);
	char *a = aligned_addr(pages * PAGE, off);

	if (mmap(a, pages * PAGE, prot, (shared ? MAP_SHARED : MAP_PRIVATE) | MAP_FIXED, fd, 0) !=
	    a)
		die("mmap file");
	add_region(p, name, a, pages * PAGE);
	line("%s map %s file %s pages=%lu %s %s at=0x%lx", p->name, name, file, pages,
	     shared ? "shared" : "private", writable ? "rw" : "r",
	     SIM_BASE + off + (unsigned long)p->nr_regions * 0x8000000UL);
	return a;
}

/* P read|write NAME FIRST-LAST: one access at the first byte of each page, faults counted. */
static void touch(struct proc *p, const char *name, unsigned long first, unsigned long last,
		  int write)
{
	struct region *r = find_region(p, name);
	struct rusage before, after;

	if (first == last)
		line("%s %s %s %lu", p->name, write ? "write" : "read", name, first);
	else
		line("%s %s %s %lu-%lu", p->name, write ? "write" : "read", name, first, last);
	fflush(out);
	rusage_now(&before);
	for (unsigned long i = first; i <= last; i++) {
		volatile char *c = r->base + i * PAGE;

		if (write)
			*c = 1;
		else
			(void)*c;
	}
	rusage_now(&after);
	p->minflt += (uint64_t)(after.ru_minflt - before.ru_minflt);
	p->majflt += (uint64_t)(after.ru_majflt - before.ru_majflt);
}

/* The smaps fields of the scenario's regions, summed (pid's smaps: a child reads its parent's). */
enum smaps_field {
	RSS,
	PSS,
	SHARED_CLEAN,
	SHARED_DIRTY,
	PRIVATE_CLEAN,
	PRIVATE_DIRTY,
	ANONYMOUS,
	ANON_HUGE,
	NR_SMAPS_FIELDS
};
static const char *const smaps_keys[NR_SMAPS_FIELDS] = {
	"Rss",		 "Pss",		  "Shared_Clean", "Shared_Dirty",
	"Private_Clean", "Private_Dirty", "Anonymous",	  "AnonHugePages",
};
struct smaps {
	uint64_t kb[NR_SMAPS_FIELDS];
};

static void read_smaps(pid_t pid, const struct proc *p, struct smaps *sum)
{
	char path[64], *s, *end;
	ssize_t n, total = 0;
	int fd, in = 0;

	memset(sum, 0, sizeof(*sum));
	snprintf(path, sizeof(path), "/proc/%d/smaps", (int)pid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		die(path);
	while ((n = read(fd, smaps_buf + total, sizeof(smaps_buf) - 1 - (size_t)total)) > 0)
		total += n;
	if (n < 0)
		die(path);
	close(fd);
	smaps_buf[total] = '\0';
	for (s = smaps_buf; *s; s = end + (*end != '\0')) {
		unsigned long lo, hi, v;
		char key[32];

		end = strchr(s, '\n');
		if (!end)
			end = s + strlen(s);
		if (sscanf(s, "%lx-%lx ", &lo, &hi) == 2 &&
		    s[strspn(s, "0123456789abcdef")] == '-') {
			in = 0;
			for (int i = 0; i < p->nr_regions; i++)
				if (lo >= (uintptr_t)p->regions[i].base &&
				    hi <= (uintptr_t)p->regions[i].base + p->regions[i].len)
					in = 1;
			continue;
		}
		if (!in || sscanf(s, "%31[^:]: %lu kB", key, &v) != 2)
			continue;
		for (int f = 0; f < NR_SMAPS_FIELDS; f++)
			if (!strcmp(key, smaps_keys[f]))
				sum->kb[f] += v;
	}
}

/* expect lines for P: faults, RSS split, Pss (the regions are all P has in mmsim). */
static void expect_proc(pid_t pid, const struct proc *p, int with_smaps)
{
	struct smaps s;

	read_smaps(pid, p, &s);
	line("expect %s minflt %" PRIu64, p->name, p->minflt);
	line("expect %s majflt %" PRIu64, p->name, p->majflt);
	line("expect %s rssfile %" PRIu64, p->name, s.kb[RSS] - s.kb[ANONYMOUS]);
	line("expect %s rssanon %" PRIu64, p->name, s.kb[ANONYMOUS]);
	line("expect %s pss %" PRIu64, p->name, s.kb[PSS]);
	line("expect %s anonhuge %" PRIu64, p->name, s.kb[ANON_HUGE]);
	if (!with_smaps)
		return;
	line("show %s smaps", p->name);
	for (int f = SHARED_CLEAN; f <= PRIVATE_DIRTY; f++)
		line("#smaps %s %s %" PRIu64, p->name, smaps_keys[f], s.kb[f]);
}

/*
 * Pages of the file in the page cache, reads in flight included (mmsim's I/O completes at
 * once): cachestat() (Linux 6.5+) counts every folio present; mincore() only uptodate
 * ones, so without cachestat the count waits for the reads to complete first.
 */
struct cachestat_range {
	uint64_t off, len;
};
struct cachestat {
	uint64_t nr_cache, nr_dirty, nr_writeback, nr_evicted, nr_recently_evicted;
};
#define SYS_cachestat_nr 451

/* Pages of the file cached and uptodate: mincore() over a mapping nobody touches. */
static unsigned long uptodate_pages(int fd, unsigned long pages)
{
	static unsigned char vec[1 << 16];
	unsigned long n = 0;
	void *m;

	if (pages > sizeof(vec))
		pages = sizeof(vec);
	m = mmap(NULL, pages * PAGE, PROT_READ, MAP_SHARED, fd, 0);
	if (m == MAP_FAILED)
		die("mmap for mincore");
	if (mincore(m, pages * PAGE, vec))
		die("mincore");
	munmap(m, pages * PAGE);
	for (unsigned long i = 0; i < pages; i++)
		n += vec[i] & 1;
	return n;
}

/* Pages in the page cache, reads in flight included; ~0 without cachestat(). */
static unsigned long cachestat_pages(int fd)
{
	struct cachestat_range range = { 0, 0 };
	struct cachestat cs;

	return syscall(SYS_cachestat_nr, fd, &range, &cs, 0) ? ~0UL : cs.nr_cache;
}

/*
 * Waits (up to 2 s) for the file's reads in flight to complete, as mmsim's complete at
 * once: until every cached page is uptodate, or without cachestat() until mincore()'s
 * count stays the same for 10 ms.
 */
static void wait_reads(int fd, unsigned long pages)
{
	unsigned long last = ~0UL, n;

	for (int tries = 0; tries < 200; tries++) {
		n = uptodate_pages(fd, pages);
		if (n == cachestat_pages(fd) || n == last)
			return;
		last = cachestat_pages(fd) == ~0UL ? n : ~0UL;
		usleep(10000);
	}
}

static unsigned long cached_pages(int fd, unsigned long pages)
{
	unsigned long n = cachestat_pages(fd);

	if (n != ~0UL)
		return n;
	wait_reads(fd, pages);
	return uptodate_pages(fd, pages);
}

static void expect_cache(const char *file, int fd, unsigned long pages)
{
	line("expect cache %s %lu", file, cached_pages(fd, pages));
}

/*
 * `file NAME PAGES`: a file whose pages are all cached and clean. Written 4 KiB at a time
 * when order0 is set, so that the page cache holds order-0 folios (ext4 on Linux 6.18
 * makes large folios for larger writes; mmsim's page cache has none), else 1 MiB at a
 * time (for a file whose cache is dropped before use); then fsync()ed. Returns the fd,
 * or -1 (with the reason in why) when the file's pages did not all stay cached.
 */
static int make_file(const char *name, unsigned long pages, int order0, char *why, size_t why_len)
{
	static char chunk[256 * PAGE];
	size_t chunk_pages = order0 ? 1 : 256;
	char path[4096];
	unsigned long cached;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		die(path);
	unlink(path); /* gone when closed: its dirty pages are never written again */
	for (unsigned long i = 0; i < pages; i += chunk_pages) {
		size_t n = (pages - i < chunk_pages ? pages - i : chunk_pages) * PAGE;

		memset(chunk, (int)(i & 0xff) | 1, n);
		if (write(fd, chunk, n) != (ssize_t)n)
			die("write");
	}
	if (fsync(fd))
		die("fsync");
	cached = cached_pages(fd, pages);
	if (cached != pages) {
		snprintf(why, why_len, "%s: %lu of %lu pages cached after write + fsync", name,
			 cached, pages);
		close(fd);
		return -1;
	}
	line("file %s %lu", name, pages);
	return fd;
}

/* A scenario's start: its file (order-0 pages), its comment line and its process. */
static int begin(const char *scenario, struct proc *p, const char *file, unsigned long pages,
		 const char *title)
{
	char why[256];
	int fd = make_file(file, pages, 1, why, sizeof(why));

	if (fd < 0) {
		skip(scenario, "%s", why);
		return -1;
	}
	line("# %s: %s", scenario, title);
	line("spawn %s", p->name);
	return fd;
}

/* A: fault-around over a cached file. */
static void scenario_a(void)
{
	struct proc p = { .name = "A" };
	int fd = begin("A", &p, "fa", 64, "fault-around on a cached file, mapped private r");

	if (fd < 0)
		return;
	map_file(&p, "D", "fa", fd, 64, 0, 0, 0);
	touch(&p, "D", 0, 0, 0);
	expect_proc(getpid(), &p, 0);
	touch(&p, "D", 1, 15, 0);
	touch(&p, "D", 17, 17, 0);
	touch(&p, "D", 40, 40, 0);
	expect_proc(getpid(), &p, 0);
	/* A VMA starting one page below a 64 KiB boundary: the window is clamped, not shifted. */
	map_file(&p, "U", "fa", fd, 20, 0, 0, 15 * PAGE);
	touch(&p, "U", 0, 0, 0);
	expect_proc(getpid(), &p, 0);
	touch(&p, "U", 19, 19, 0);
	expect_proc(getpid(), &p, 0);
	expect_cache("fa", fd, 64);
	/* POSIX_FADV_DONTNEED leaves the mapped pages (mapping_evict_folio()). */
	if (posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED))
		die("posix_fadvise");
	line("dropcache fa");
	expect_cache("fa", fd, 64);
	/* A major fault at the window's last page: its read completes after the window's
	 * others (one request, completed in page order), so the retry's fault-around finds
	 * them all read, as mmsim's instant reads do. */
	touch(&p, "D", 63, 63, 0);
	expect_proc(getpid(), &p, 0);
	expect_cache("fa", fd, 64);
	close(fd);
	nr_run++;
}

/*
 * How many pages a fault around a page being read maps depends on the host's I/O timing:
 * the major fault's retry maps the window's pages whose reads have completed. mmsim's
 * reads complete at once. So the host run waits for its reads after each access, and a
 * run counts only when its major fault mapped as many pages as a fault over the same
 * window maps once the reads are done (a probe: a second mapping of the file, through
 * its own open file, faulted after the wait). Returns 1 for such a run, 0 for another,
 * -1 when skipped; *kb gets what the major fault mapped.
 */
static int scenario_b_once(long *kb)
{
	struct proc p = { .name = "B" }, probe = { .name = "probe" };
	unsigned long ra = ra_kb / 4, pages, m;
	struct smaps s, ps;
	char why[256], path[64];
	int fd, fd2;

	pages = 2 * ra < 64 ? 64 : 2 * ra;
	fd = make_file("rb", pages, 0, why, sizeof(why));
	if (fd < 0) {
		skip("B", "%s", why);
		return -1;
	}
	line("# B: POSIX_FADV_DONTNEED, then mmap read-around (ra_pages %lu) and async readahead",
	     ra);
	line("spawn B");
	map_file(&p, "R", "rb", fd, pages, 0, 0, 0);
	if (posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED))
		die("posix_fadvise");
	line("dropcache rb");
	expect_cache("rb", fd, pages);
	m = pages / 2;
	touch(&p, "R", m, m, 0);
	wait_reads(fd, pages);
	read_smaps(getpid(), &p, &s);
	*kb = (long)s.kb[RSS];
	expect_proc(getpid(), &p, 0);
	expect_cache("rb", fd, pages);
	/* The probe, which the script does not show. */
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	fd2 = open(path, O_RDONLY);
	if (fd2 < 0)
		die(path);
	add_region(&probe, "P", aligned_addr(pages * PAGE, 0), pages * PAGE);
	if (mmap(probe.regions[0].base, pages * PAGE, PROT_READ, MAP_PRIVATE | MAP_FIXED, fd2, 0) !=
	    probe.regions[0].base)
		die("mmap probe");
	(void)*(volatile char *)(probe.regions[0].base + m * PAGE);
	read_smaps(getpid(), &probe, &ps);
	munmap(probe.regions[0].base, pages * PAGE);
	close(fd2);
	touch(&p, "R", m + 1, m + 1, 0);
	wait_reads(fd, pages);
	expect_proc(getpid(), &p, 0);
	/* The mark: read-around put it async_size = ra/4 pages before the window's end. */
	touch(&p, "R", m - ra / 2 + ra - ra / 4, m - ra / 2 + ra - ra / 4, 0);
	wait_reads(fd, pages);
	expect_proc(getpid(), &p, 0);
	expect_cache("rb", fd, pages);
	close(fd);
	munmap(p.regions[0].base, p.regions[0].len);
	return s.kb[RSS] == ps.kb[RSS];
}

/* B, run until the host's major fault found its window's reads complete (up to 8 runs). */
static void scenario_b(void)
{
	char *text = NULL, runs[256] = "";
	FILE *saved = out;
	int rc = 0, run;
	size_t len;
	long kb;

	if (ra_kb == 0)
		return skip("B", "the file's device read_ahead_kb is unknown or 0");
	if (ra_kb / 4 > 8192)
		return skip("B", "read_ahead_kb %lu: the file would need %lu MiB", ra_kb,
			    2 * (ra_kb / 4) * PAGE >> 20);
	for (run = 0; run < 8 && rc == 0; run++) {
		free(text);
		out = open_memstream(&text, &len);
		if (!out)
			die("open_memstream");
		kb = -1;
		rc = scenario_b_once(&kb);
		fclose(out);
		out = saved;
		snprintf(runs + strlen(runs), sizeof(runs) - strlen(runs), " %ld", kb);
	}
	line("# B: kB the major fault mapped in each host run:%s", runs);
	if (rc == 0)
		skip("B",
		     "in %d runs the host's major fault never found its fault-around "
		     "window's reads complete (kB mapped:%s)",
		     run, runs);
	else
		fputs(text, out);
	free(text);
	nr_run += rc > 0;
}

static int read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	int ok;

	if (!f)
		return -1;
	ok = fgets(buf, (int)len, f) != NULL;
	fclose(f);
	return ok ? 0 : -1;
}

/* The word between [ and ] of a sysfs choice line ("always [madvise] never"). */
static int sysfs_choice(const char *path, char *word, size_t len)
{
	char buf[256], *a, *b;

	if (read_line(path, buf, sizeof(buf)))
		return -1;
	a = strchr(buf, '[');
	b = a ? strchr(a, ']') : NULL;
	if (!b || (size_t)(b - a) >= len)
		return -1;
	memcpy(word, a + 1, (size_t)(b - a - 1));
	word[b - a - 1] = '\0';
	return 0;
}

/*
 * An anonymous mTHP size other than PMD size that faults may use (Linux 6.8+
 * hugepages-<size>kB/enabled: always, madvise, or inherit while the top setting is not
 * never): its faults map several pages at once, which mmsim (order 9 only) does not model.
 * Returns the size in kB, or 0.
 */
static unsigned long mthp_enabled(const char *thp)
{
	static const unsigned long sizes_kb[] = { 8, 16, 32, 64, 128, 256, 512, 1024 };
	char path[128], choice[32];

	for (size_t i = 0; i < sizeof(sizes_kb) / sizeof(sizes_kb[0]); i++) {
		snprintf(path, sizeof(path),
			 "/sys/kernel/mm/transparent_hugepage/hugepages-%lukB/enabled",
			 sizes_kb[i]);
		if (sysfs_choice(path, choice, sizeof(choice)))
			continue;
		if (!strcmp(choice, "always") || !strcmp(choice, "madvise") ||
		    (!strcmp(choice, "inherit") && strcmp(thp, "never")))
			return sizes_kb[i];
	}
	return 0;
}

/* C: MADV_HUGEPAGE, one touch; the huge zero page and its write. */
static void scenario_c(const char *thp)
{
	struct proc p = { .name = "C" };
	struct smaps s;
	char *h, *z;

	if (!strcmp(thp, "never"))
		return skip("C", "transparent_hugepage/enabled is never");
	if (mthp_enabled(thp))
		return skip("C", "anonymous mTHP of %lu kB enabled; mmsim models 2 MiB only",
			    mthp_enabled(thp));
	line("# C: MADV_HUGEPAGE on 2 MiB-aligned anonymous memory (thp=%s)", thp);
	line("spawn C");
	h = map_anon(&p, "H", 1024, 0);
	if (madvise(h, PMD_SIZE, MADV_HUGEPAGE))
		die("madvise");
	line("C madvise H 0-511 hugepage");
	touch(&p, "H", 0, 0, 1);
	read_smaps(getpid(), &p, &s);
	if (s.kb[ANON_HUGE] != 2048) {
		line("# the host mapped %" PRIu64 " kB AnonHugePages (allocation failed?)",
		     s.kb[ANON_HUGE]);
		return skip("C", "no huge page on MADV_HUGEPAGE (AnonHugePages %" PRIu64 " kB)",
			    s.kb[ANON_HUGE]);
	}
	expect_proc(getpid(), &p, 0);
	touch(&p, "H", 1, 511, 0);
	touch(&p, "H", 512, 512, 1);
	expect_proc(getpid(), &p, 0);
	z = map_anon(&p, "Z", 512, 0);
	if (madvise(z, PMD_SIZE, MADV_HUGEPAGE))
		die("madvise");
	line("C madvise Z 0-511 hugepage");
	touch(&p, "Z", 0, 0, 0);
	/*
	 * Linux 6.12's do_huge_pmd_anonymous_page() maps the huge zero page on this read
	 * (use_zero_page 1): no AnonHugePages. Some hosts' kernels map a new huge page
	 * instead (seen: a 6.18 build, use_zero_page 1, thp_zero_page_alloc 0 after the
	 * read); mmsim models the huge zero page, so the rest of C is not compared there.
	 */
	read_smaps(getpid(), &p, &s);
	if (s.kb[ANON_HUGE] != 2048) {
		line("# the host's read fault mapped %" PRIu64 " kB AnonHugePages in all, not the "
		     "huge zero page",
		     s.kb[ANON_HUGE]);
		skip("C", "the host kernel maps a huge page, not the huge zero page, on a read "
			  "fault under MADV_HUGEPAGE; the huge zero page part "
			  "is not compared");
		nr_run++;
		return;
	}
	expect_proc(getpid(), &p, 0);
	touch(&p, "Z", 1, 1, 1);
	expect_proc(getpid(), &p, 0);
	nr_run++;
}

/* D: fork with written anonymous pages and a shared file mapping. */
static void scenario_d(void)
{
	struct proc p = { .name = "D" }, q;
	pid_t child;
	int fd, status;

	if (mthp_enabled(thp_mode))
		return skip("D", "anonymous mTHP of %lu kB enabled; mmsim models 2 MiB only",
			    mthp_enabled(thp_mode));
	fd = begin("D", &p, "fd", 16,
		   "fork; Pss and Shared/Private of anonymous and file pages in both processes");
	if (fd < 0)
		return;
	map_anon(&p, "A", 16, 0);
	touch(&p, "A", 0, 15, 1);
	map_file(&p, "S", "fd", fd, 16, 1, 0, 0);
	touch(&p, "S", 0, 0, 0);
	expect_proc(getpid(), &p, 1);
	line("D fork E");
	fflush(stdout);
	child = fork();
	if (child < 0)
		die("fork");
	if (child == 0) {
		/* The child measures both: the parent waits and touches nothing meanwhile. */
		q = p;
		q.name = "E";
		q.minflt = q.majflt = 0;
		expect_proc(getppid(), &p, 1);
		expect_proc(getpid(), &q, 1);
		touch(&q, "A", 0, 3, 1);
		touch(&q, "S", 0, 0, 0);
		expect_proc(getppid(), &p, 1);
		expect_proc(getpid(), &q, 1);
		fflush(stdout);
		_exit(0);
	}
	if (waitpid(child, &status, 0) != child || !WIFEXITED(status) || WEXITSTATUS(status))
		die("child");
	line("E exit");
	expect_proc(getpid(), &p, 1);
	close(fd);
	nr_run++;
}

/* E: private file pages copy on write; shared ones are write-notified. */
static void scenario_e(void)
{
	struct proc p = { .name = "F" };
	int fd = begin("E", &p, "fe", 64,
		       "MAP_PRIVATE writes copy file pages (RssFile -> RssAnon); MAP_SHARED "
		       "write-notify");

	if (fd < 0)
		return;
	map_file(&p, "W", "fe", fd, 64, 0, 1, 0);
	touch(&p, "W", 0, 0, 1); /* do_cow_fault(): no fault-around on a write */
	expect_proc(getpid(), &p, 1);
	touch(&p, "W", 1, 1, 0); /* fault-around maps the file pages of [0, 16) */
	expect_proc(getpid(), &p, 1);
	touch(&p, "W", 1, 1, 1); /* wp_page_copy() */
	expect_proc(getpid(), &p, 1);
	map_file(&p, "S", "fe", fd, 64, 1, 1, 0);
	touch(&p, "S", 2, 2, 1); /* do_shared_fault() */
	touch(&p, "S", 20, 20, 0);
	expect_proc(getpid(), &p, 1);
	touch(&p, "S", 20, 20, 1); /* wp_page_shared() */
	expect_proc(getpid(), &p, 1);
	close(fd);
	nr_run++;
}

/* read_ahead_kb of the device (backing_dev_info) holding dir: /sys/class/bdi/MAJ:MIN. */
static unsigned long device_ra_kb(dev_t dev)
{
	char path[128], buf[64];

	snprintf(path, sizeof(path), "/sys/class/bdi/%u:%u/read_ahead_kb", major(dev), minor(dev));
	if (read_line(path, buf, sizeof(buf))) {
		snprintf(path, sizeof(path), "/sys/dev/block/%u:%u/queue/read_ahead_kb", major(dev),
			 minor(dev));
		if (read_line(path, buf, sizeof(buf)))
			return 0;
	}
	return strtoul(buf, NULL, 10);
}

int main(int argc, char **argv)
{
	char *thp = thp_mode, fab[64];
	struct statfs sf;
	struct utsname u;
	struct stat st;
	int files;

	if (argc != 2) {
		fprintf(stderr, "usage: %s DIR > scenario.mms\n", argv[0]);
		return 2;
	}
	dir = argv[1];
	out = stdout;
	memset(smaps_buf, 0, sizeof(smaps_buf));
	if (statfs(dir, &sf) || stat(dir, &st))
		die(dir);
	/* fault_around_bytes is in debugfs; mmsim's is the default, 64 KiB. */
	if (!read_line("/sys/kernel/debug/fault_around_bytes", fab, sizeof(fab)) &&
	    strtoul(fab, NULL, 10) != 65536) {
		fprintf(stderr, "realk: fault_around_bytes is %s; mmsim models 65536\n", fab);
		return 77;
	}
	/*
	 * The file scenarios were checked on ext4 only: another file system may make large
	 * folios even for 4 KiB writes, or sit on a device whose readahead window is not the
	 * one read_ahead_kb names (overlayfs), and its counts would then differ from mmsim's
	 * for reasons mmsim does not model. Elsewhere they are skipped with the reason.
	 */
	files = sf.f_type == EXT4_MAGIC_NR;
	ra_kb = device_ra_kb(st.st_dev);
	if (sysfs_choice("/sys/kernel/mm/transparent_hugepage/enabled", thp, sizeof(thp_mode)))
		strcpy(thp, "never");
	uname(&u);
	line("# Generated by realk on Linux %s (%s): each expect holds the host kernel's value.",
	     u.release, u.machine);
	line("# %s: file system 0x%lx, device %u:%u read_ahead_kb %lu; THP %s", dir,
	     (unsigned long)sf.f_type, major(st.st_dev), minor(st.st_dev), ra_kb, thp);
	line("config mem=256M swap=0 read_ahead_kb=%lu thp=%s", ra_kb ? ra_kb : 128, thp);
	scenario_c(thp);
	if (files) {
		scenario_a();
		scenario_b();
		scenario_d();
		scenario_e();
	} else {
		skip("A, B, D and E",
		     "%s is not on ext4 (file system 0x%lx): the file scenarios are checked on "
		     "ext4 only",
		     dir, (unsigned long)sf.f_type);
	}
	fflush(stdout);
	return nr_run ? 0 : 77;
}
