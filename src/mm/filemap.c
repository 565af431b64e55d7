/*
 * mm/filemap.c: regular files, their page cache, readahead and writeback (see filemap.h).
 * Linux 6.12: mm/filemap.c (filemap_fault, do_sync_mmap_readahead,
 * do_async_mmap_readahead, filemap_map_pages, filemap_read, filemap_get_pages,
 * filemap_get_read_batch), mm/readahead.c (page_cache_ra_order, do_page_cache_ra,
 * page_cache_ra_unbounded, page_cache_sync_ra, page_cache_async_ra, get_init_ra_size,
 * get_next_ra_size),
 * mm/page-writeback.c (folio_mark_dirty, balance_dirty_pages, folio_clear_dirty_for_io),
 * mm/rmap.c (folio_mkclean), mm/truncate.c (mapping_try_invalidate).
 */
#include "mm/filemap.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "arch/x86_64/physmem.h"
#include "arch/x86_64/pte.h"
#include "mm/bug.h"
#include "mm/core.h"
#include "mm/page.h"
#include "mm/pgdat.h"
#include "mm/pgtable.h"
#include "mm/rmap.h"
#include "mm/shmem.h"
#include "mm/vma.h"
#include "mm/vmstat.h"
#include "mm/workingset.h"
#include "util/splitmix.h"

/* The largest file, in pages (16 TiB): bounds the host index. */
#define FILEMAP_MAX_PAGES (UINT64_C(1) << 32)

static bool valid_name(const char *name)
{
	size_t n = strlen(name);

	if (n == 0 || n > FILEMAP_NAME_MAX)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = name[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '.' || c == '-'))
			return false;
	}
	return true;
}

bool filemap_page_is_file(const struct page *pg)
{
	const struct shmem_obj *obj = pg->mapping;

	return !page_flag_test(pg, PG_ANON) && !page_flag_test(pg, PG_SWAPBACKED) && obj &&
	       obj->file;
}

/* Reads page index of f from the "disk" into pfn (data mode only). */
static void read_contents(struct mm_core *core, const struct filemap_file *f, uint64_t index,
			  pfn_t pfn)
{
	uint8_t *dst;
	uint64_t st;

	if (!core->data_mode)
		return;
	dst = physmem_frame(core->pm, pfn);
	if (f->disk && f->disk[index]) {
		memcpy(dst, f->disk[index], X86_PAGE_SIZE);
		return;
	}
	st = splitmix64_mix(f->seed ^ (index * UINT64_C(0x9e3779b97f4a7c15)));
	for (size_t off = 0; off < X86_PAGE_SIZE; off += sizeof(uint64_t)) {
		uint64_t v = splitmix64_next(&st);

		memcpy(dst + off, &v, sizeof(v));
	}
}

/* Device time of one request of nr pages: latency plus transfer (mmsim's device model). */
static uint64_t io_time_us(const struct mm_core *core, uint64_t nr_pages)
{
	uint64_t us = core->disk_latency_us;

	if (core->disk_kb_per_ms)
		us += nr_pages * (X86_PAGE_SIZE / 1024) * 1000 / core->disk_kb_per_ms;
	return us;
}

static void account_io(struct mm_core *core, uint64_t nr_pages)
{
	core->file_stats.io_requests++;
	core->file_stats.io_us += io_time_us(core, nr_pages);
}

/* Writes in flight, oldest first (they complete in submission order: one device). */
struct filemap_wb {
	pfn_t *pfn;
	uint64_t *done_ns;
	size_t head, nr, cap;	/* a ring of cap entries */
	uint64_t busy_until_ns; /* when the device finishes what it was given */
};

static uint64_t now_ns(const struct mm_core *core)
{
	return core->nr_accesses * FILEMAP_ACCESS_NS + core->slept_ns;
}

/* The access count at which the oldest write in flight is done. */
static void set_writeback_due(struct mm_core *core)
{
	const struct filemap_wb *wb = core->filemap_wb;
	uint64_t done;

	if (!wb || !wb->nr) {
		core->writeback_due = UINT64_MAX;
		return;
	}
	done = wb->done_ns[wb->head];
	core->writeback_due =
		done <= now_ns(core)
			? core->nr_accesses
			: (done - core->slept_ns + FILEMAP_ACCESS_NS - 1) / FILEMAP_ACCESS_NS;
}

static bool wb_grow(struct filemap_wb *wb)
{
	size_t cap = wb->cap ? 2 * wb->cap : 64;
	pfn_t *pfn = malloc(cap * sizeof(*pfn));
	uint64_t *done = malloc(cap * sizeof(*done));

	if (!pfn || !done) {
		free(pfn);
		free(done);
		return false;
	}
	for (size_t i = 0; i < wb->nr; i++) {
		pfn[i] = wb->pfn[(wb->head + i) % wb->cap];
		done[i] = wb->done_ns[(wb->head + i) % wb->cap];
	}
	free(wb->pfn);
	free(wb->done_ns);
	wb->pfn = pfn;
	wb->done_ns = done;
	wb->head = 0;
	wb->cap = cap;
	return true;
}

/* Linux folio_start_writeback(): pg's write is handed to the device; it completes one
 * request's time after the device is free. mmsim: without host memory for the queue the
 * write completes at once. */
static void start_writeback(struct mm_core *core, struct page *pg)
{
	struct filemap_wb *wb = core->filemap_wb;
	uint64_t now = now_ns(core);

	if (!wb)
		wb = core->filemap_wb = calloc(1, sizeof(*wb));
	if (!wb || (wb->nr == wb->cap && !wb_grow(wb)))
		return;
	if (wb->busy_until_ns < now)
		wb->busy_until_ns = now;
	wb->busy_until_ns += io_time_us(core, 1) * 1000;
	wb->pfn[(wb->head + wb->nr) % wb->cap] = core_pfn(core, pg);
	wb->done_ns[(wb->head + wb->nr) % wb->cap] = wb->busy_until_ns;
	wb->nr++;
	page_flag_set(pg, PG_WRITEBACK);
	core_count_mod(core, VMSTAT_NR_WRITEBACK, 1);
	set_writeback_due(core);
}

/* Linux folio_end_writeback() for the oldest write in flight. */
static void end_writeback(struct mm_core *core)
{
	struct filemap_wb *wb = core->filemap_wb;
	struct page *pg = core_page(core, wb->pfn[wb->head]);

	MM_BUG_ON(!page_flag_test(pg, PG_WRITEBACK));
	page_flag_clear(pg, PG_WRITEBACK);
	core_count_mod(core, VMSTAT_NR_WRITEBACK, -1);
	wb->head = (wb->head + 1) % wb->cap;
	wb->nr--;
}

void filemap_writeback_run_due(struct mm_core *core)
{
	struct filemap_wb *wb = core->filemap_wb;
	uint64_t now = now_ns(core);

	while (wb && wb->nr && wb->done_ns[wb->head] <= now)
		end_writeback(core);
	set_writeback_due(core);
}

/*
 * The page cache's index as Linux's xarray would hold it, for workingset_nodes (Linux
 * workingset_update_node()): a leaf node covers 64 indices (XA_CHUNK_SIZE) and is a shadow
 * node when every entry in it is a shadow. A lone entry at index 0 needs no node (it sits
 * in xa_head; xas_shrink() puts it back there when the others go).
 */
#define XA_CHUNK_SIZE 64u

static bool entry_at(const struct filemap_file *f, uint64_t i)
{
	return f->obj->pages[i] != SHMEM_NO_PAGE || (f->shadow && f->shadow[i]);
}

static bool chunk_only_shadows(const struct filemap_file *f, uint64_t chunk)
{
	uint64_t first = chunk * XA_CHUNK_SIZE, end = first + XA_CHUNK_SIZE;
	unsigned int count = 0, values = 0;

	if (end > f->obj->nr_pages)
		end = f->obj->nr_pages;
	for (uint64_t i = first; i < end; i++) {
		if (f->obj->pages[i] != SHMEM_NO_PAGE) {
			count++;
		} else if (f->shadow && f->shadow[i]) {
			count++;
			values++;
		}
	}
	return count && count == values;
}

static bool has_node(const struct filemap_file *f);

static uint64_t shadow_nodes(const struct filemap_file *f)
{
	return has_node(f) ? f->shadow_chunks : 0;
}

/* Linux list_lru shadow_nodes, for the one node mmsim has (no memory cgroups). */
struct filemap_shadow_lru {
	struct list_head head; /* oldest first: nodes are added at the tail */
	uint64_t nr;	       /* nodes on it */
};

static bool has_node(const struct filemap_file *f)
{
	return f->nr_entries > 1 || (f->nr_entries == 1 && !entry_at(f, 0));
}

/* Linux workingset_update_node(): a node is on the list while it exists and holds only
 * shadows; it joins at the tail when it becomes so. */
static void shadow_lru_update(struct mm_core *core, struct filemap_file *f, uint64_t chunk)
{
	struct filemap_shadow_node *n;
	bool want;

	if (!f->shadow_nodes)
		return;
	n = &f->shadow_nodes[chunk];
	want = has_node(f) && chunk_only_shadows(f, chunk);
	if (want && !n->lru.next) {
		n->file = f;
		list_add_tail(&n->lru, &core->shadow_lru->head);
		core->shadow_lru->nr++;
	} else if (!want && n->lru.next) {
		list_del(&n->lru);
		core->shadow_lru->nr--;
	}
}

/* f's shadow entries and index nodes, and the machine's list, made at f's first eviction
 * (host memory). False when there is no memory for them: the eviction leaves no shadow. */
static bool shadow_alloc(struct mm_core *core, struct filemap_file *f)
{
	uint64_t nr_chunks = (f->obj->nr_pages + XA_CHUNK_SIZE - 1) / XA_CHUNK_SIZE;

	if (!core->shadow_lru) {
		core->shadow_lru = calloc(1, sizeof(*core->shadow_lru));
		if (!core->shadow_lru)
			return false;
		list_init(&core->shadow_lru->head);
	}
	if (f->shadow)
		return true;
	f->shadow = calloc(f->obj->nr_pages, sizeof(*f->shadow));
	f->shadow_nodes = calloc(nr_chunks, sizeof(*f->shadow_nodes));
	if (f->shadow && f->shadow_nodes)
		return true;
	free(f->shadow);
	free(f->shadow_nodes);
	f->shadow = NULL;
	f->shadow_nodes = NULL;
	return false;
}

struct index_change {
	uint64_t nodes; /* shadow_nodes() before */
	bool chunk;	/* chunk_only_shadows() of the changing chunk before */
	bool node;	/* has_node() before */
};

static void index_change_begin(const struct filemap_file *f, uint64_t index, struct index_change *c)
{
	c->nodes = shadow_nodes(f);
	c->chunk = chunk_only_shadows(f, index / XA_CHUNK_SIZE);
	c->node = has_node(f);
}

static void index_change_end(struct mm_core *core, struct filemap_file *f, uint64_t index,
			     const struct index_change *c)
{
	f->shadow_chunks += chunk_only_shadows(f, index / XA_CHUNK_SIZE);
	f->shadow_chunks -= c->chunk;
	core_count_mod(core, VMSTAT_WORKINGSET_NODES, (long)shadow_nodes(f) - (long)c->nodes);
	shadow_lru_update(core, f, index / XA_CHUNK_SIZE);
	/* Whether the index has nodes at all changed: chunk 0's may come or go. */
	if (c->node != has_node(f) && index >= XA_CHUNK_SIZE)
		shadow_lru_update(core, f, 0);
}

/* A new page-cache page at index (Linux filemap_add_folio()); read from the file when
 * read is set (the caller counts the I/O). A shadow entry there is a refault
 * (workingset_refault(): the page may start active). 0 or -ENOMEM. */
static int add_page(struct mm_core *core, struct filemap_file *f, uint64_t index, bool read,
		    pfn_t *pfn_out)
{
	struct shmem_obj *obj = f->obj;
	struct index_change change;
	struct page *pg;
	int err;

	MM_BUG_ON(index >= obj->nr_pages || obj->pages[index] != SHMEM_NO_PAGE);
	core_lru_incoming(core, obj, index);
	err = core_alloc_page(core, CORE_ALLOC_USER, pfn_out);
	if (err)
		return err;
	pg = core_page(core, *pfn_out);
	pg->mapping = obj;
	pg->index = index;
	read_contents(core, f, index, *pfn_out);
	index_change_begin(f, index, &change);
	if (f->shadow && f->shadow[index]) {
		if (workingset_enabled(core))
			workingset_refault(core, pg, f->shadow[index]);
		f->shadow[index] = 0;
	} else {
		f->nr_entries++;
	}
	obj->pages[index] = *pfn_out;
	index_change_end(core, f, index, &change);
	obj->nr_resident++;
	core_count_mod(core, VMSTAT_NR_FILE_PAGES, 1);
	if (read)
		core_count_mod(core, VMSTAT_PGPGIN, X86_PAGE_SIZE / 1024);
	core_lru_add(core, pg);
	core_event(core, &(struct mm_event){ .kind = MM_EV_FRAME_ALLOC,
					     .pfn = *pfn_out,
					     .what = read ? "page-cache page read from its file"
							  : "page-cache page" });
	return 0;
}

int filemap_create(struct mm_core *core, const char *name, uint64_t nr_pages,
		   struct filemap_file **out)
{
	struct filemap_file *f;
	struct shmem_obj *obj;
	uint64_t h = UINT64_C(0xcbf29ce484222325);
	int err = -ENOMEM;

	if (!valid_name(name) || nr_pages == 0 || nr_pages > FILEMAP_MAX_PAGES)
		return -EINVAL;
	if (filemap_find(core, name))
		return -EEXIST;
	f = calloc(1, sizeof(*f));
	obj = calloc(1, sizeof(*obj));
	if (!f || !obj || shmem_resize(obj, nr_pages))
		goto out_free;
	memcpy(f->name, name, strlen(name) + 1);
	f->size_pages = nr_pages;
	/* FNV-1a of the name: a file's bytes depend on its name only. */
	for (const char *c = name; *c; c++)
		h = (h ^ (uint8_t)*c) * UINT64_C(0x100000001b3);
	f->seed = h;
	f->obj = obj;
	obj->file = f;
	obj->ino = FILEMAP_FIRST_INO + core->file_inodes++;
	f->next = core->files;
	core->files = f;
	/* Written and synced: every page cached and clean. */
	for (uint64_t i = 0; i < nr_pages; i++) {
		pfn_t pfn;

		err = add_page(core, f, i, false, &pfn);
		if (err) {
			core->files = f->next;
			f->next = NULL;
			core->file_inodes--;
			goto out_drop;
		}
	}
	*out = f;
	return 0;
out_drop:
	filemap_drop_clean(core, obj);
out_free:
	if (obj)
		free(obj->pages);
	free(obj);
	free(f);
	return err;
}

struct filemap_file *filemap_find(const struct mm_core *core, const char *name)
{
	for (struct filemap_file *f = core->files; f; f = f->next) {
		if (!strcmp(f->name, name))
			return f;
	}
	return NULL;
}

/* Takes the page at index out of the cache and frees it (nobody maps it); shadow (0 for
 * none) takes its place in the index (Linux page_cache_delete()). */
static void delete_from_cache(struct mm_core *core, struct filemap_file *f, uint64_t index,
			      uint64_t shadow)
{
	struct shmem_obj *obj = f->obj;
	pfn_t pfn = obj->pages[index];
	struct page *pg = core_page(core, pfn);
	struct index_change change;

	MM_BUG_ON(pg->mapcount != 0);
	if (page_flag_test(pg, PG_DIRTY)) {
		page_flag_clear(pg, PG_DIRTY);
		core_count_mod(core, VMSTAT_NR_FILE_DIRTY, -1);
	}
	MM_BUG_ON(page_flag_test(pg, PG_WRITEBACK));
	page_flag_clear(pg, PG_READAHEAD);
	index_change_begin(f, index, &change);
	obj->pages[index] = SHMEM_NO_PAGE;
	if (shadow)
		f->shadow[index] = shadow;
	else
		f->nr_entries--;
	index_change_end(core, f, index, &change);
	obj->nr_resident--;
	core_count_mod(core, VMSTAT_NR_FILE_PAGES, -1);
	pg->mapping = NULL;
	core_put_page(core, pfn);
}

void filemap_fini(struct mm_core *core)
{
	/* The machine goes: writes in flight end now. */
	while (core->filemap_wb && core->filemap_wb->nr)
		end_writeback(core);
	for (struct filemap_file *f = core->files; f; f = f->next) {
		for (uint64_t i = 0; i < f->obj->nr_pages; i++) {
			if (f->obj->pages[i] != SHMEM_NO_PAGE)
				delete_from_cache(core, f, i, 0);
		}
		for (uint64_t c = 0; f->shadow_nodes && c * XA_CHUNK_SIZE < f->obj->nr_pages; c++) {
			if (f->shadow_nodes[c].lru.next)
				list_del(&f->shadow_nodes[c].lru);
		}
	}
	filemap_release(core);
}

void filemap_release(struct mm_core *core)
{
	if (core->filemap_wb) {
		free(core->filemap_wb->pfn);
		free(core->filemap_wb->done_ns);
		free(core->filemap_wb);
		core->filemap_wb = NULL;
	}
	while (core->files) {
		struct filemap_file *f = core->files;

		core->files = f->next;
		for (uint64_t i = 0; f->disk && i < f->obj->nr_pages; i++)
			free(f->disk[i]);
		free(f->disk);
		free(f->shadow_nodes);
		free(f->shadow);
		free(f->maps);
		free(f->opens);
		free(f->obj->pages);
		free(f->obj);
		free(f);
	}
	free(core->shadow_lru);
	core->shadow_lru = NULL;
}

int filemap_vma_link(struct shmem_obj *obj, struct vma *vma)
{
	struct filemap_file *f = obj->file;

	if (f->nr_maps == f->cap_maps) {
		size_t cap = f->cap_maps ? 2 * f->cap_maps : 8;
		struct vma **n = realloc(f->maps, cap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		f->maps = n;
		f->cap_maps = cap;
	}
	f->maps[f->nr_maps++] = vma;
	obj->nr_users++;
	return 0;
}

void filemap_vma_unlink(struct shmem_obj *obj, struct vma *vma)
{
	struct filemap_file *f = obj->file;

	for (size_t i = 0; i < f->nr_maps; i++) {
		if (f->maps[i] == vma) {
			f->maps[i] = f->maps[--f->nr_maps];
			obj->nr_users--;
			return;
		}
	}
}

/*
 * Linux do_page_cache_ra() and page_cache_ra_unbounded(): reads the pages of
 * [index, index + nr_to_read) not cached yet, clamped to the file's last page; the page
 * lookahead_size from the end (if read now) gets PG_READAHEAD. Runs of missing pages go to
 * the device as one request each (read_pages()). mmsim: the file system has no large
 * folios (order 0 only, as page_cache_ra_order()'s fallback).
 */
static void do_page_cache_ra(struct mm_core *core, struct filemap_file *f, uint64_t index,
			     uint64_t nr_to_read, uint64_t lookahead_size)
{
	uint64_t end_index = f->size_pages - 1, mark, batch = 0;

	if (index > end_index)
		return;
	if (nr_to_read > end_index - index)
		nr_to_read = end_index - index + 1;
	mark = nr_to_read - lookahead_size; /* wraps (no mark) when the window was clamped */
	for (uint64_t i = 0; i < nr_to_read; i++) {
		struct page *pg;
		pfn_t pfn;

		if (f->obj->pages[index + i] != SHMEM_NO_PAGE) {
			if (batch)
				account_io(core, batch);
			batch = 0;
			continue;
		}
		if (add_page(core, f, index + i, true, &pfn))
			break;
		pg = core_page(core, pfn);
		if (i == mark)
			page_flag_set(pg, PG_READAHEAD);
		core->file_stats.ra_pages++;
		batch++;
	}
	if (batch)
		account_io(core, batch);
}

/* Linux get_next_ra_size(). */
static uint64_t next_ra_size(uint64_t cur, uint64_t max)
{
	if (cur < max / 16)
		return 4 * cur;
	if (cur <= max / 2)
		return 2 * cur;
	return max;
}

/* Linux page_cache_async_ra() on the marked page at index, for a request of req_count pages
 * (a fault: ra_pages, do_async_mmap_readahead()). mmsim: ractl_max_pages() is ra_pages, as
 * for a device whose optimal I/O size (bdi->io_pages) is no larger than the window. */
static void async_ra(struct mm_core *core, struct filemap_file *f, struct file_ra_state *ra,
		     struct page *pg, uint64_t index, uint64_t req_count)
{
	uint64_t max_pages = core->ra_pages, start;

	page_flag_clear(pg, PG_READAHEAD);
	if (index == ra->start + ra->size - ra->async_size) {
		/* The expected mark: sequential access; push the window forward. */
		ra->start += ra->size;
		ra->size = next_ra_size(ra->size, max_pages) > ra->size
				   ? next_ra_size(ra->size, max_pages)
				   : ra->size;
		ra->async_size = ra->size;
	} else {
		/* A mark without matching state: the cached run after index is the old async
		 * part (page_cache_next_miss()); ramp up from it. */
		for (start = index + 1; start < f->obj->nr_pages && start - index <= max_pages &&
					f->obj->pages[start] != SHMEM_NO_PAGE;
		     start++)
			;
		if (start - index > max_pages)
			return;
		ra->start = start;
		ra->size = start - index + req_count; /* old async_size + req_count */
		ra->size = next_ra_size(ra->size, max_pages);
		ra->async_size = ra->size;
	}
	do_page_cache_ra(core, f, ra->start, ra->size, ra->async_size);
}

int filemap_get_page(struct mm_core *core, struct shmem_obj *obj, uint64_t index, pfn_t *pfn_out,
		     bool *major)
{
	struct filemap_file *f = obj->file;
	struct file_ra_state *ra = &f->ra;
	pfn_t pfn = obj->pages[index];

	*major = false;
	MM_BUG_ON(index >= f->size_pages);
	if (pfn != SHMEM_NO_PAGE) {
		struct page *pg = core_page(core, pfn);

		/* Linux do_async_mmap_readahead(): a hit. */
		if (core->ra_pages) {
			if (ra->mmap_miss)
				ra->mmap_miss--;
			if (page_flag_test(pg, PG_READAHEAD))
				async_ra(core, f, ra, pg, index, core->ra_pages);
		}
		/* The readahead's allocations may have reclaimed this page (mmsim holds no
		 * reference on it, as Linux's folio lock does): look it up again. */
		pfn = obj->pages[index];
		if (pfn != SHMEM_NO_PAGE) {
			*pfn_out = pfn;
			return 0;
		}
	}
	/* Linux do_sync_mmap_readahead(): mmap read-around, unless the file misses far more
	 * than it hits. */
	if (core->ra_pages) {
		if (ra->mmap_miss < FILEMAP_MMAP_LOTSAMISS * 10)
			ra->mmap_miss++;
		if (ra->mmap_miss <= FILEMAP_MMAP_LOTSAMISS) {
			ra->start = index > core->ra_pages / 2 ? index - core->ra_pages / 2 : 0;
			ra->size = core->ra_pages;
			ra->async_size = core->ra_pages / 4;
			do_page_cache_ra(core, f, ra->start, ra->size, ra->async_size);
		}
	}
	*major = true;
	/* Linux filemap_fault(): the page itself, if readahead did not bring it (no
	 * readahead, or reclaim took it back at once). */
	if (obj->pages[index] == SHMEM_NO_PAGE) {
		int err = add_page(core, f, index, true, &pfn);

		if (err)
			return err;
		account_io(core, 1);
	}
	*pfn_out = obj->pages[index];
	return 0;
}

/* Linux get_init_ra_size(): the first window for a request of size pages. */
static uint64_t init_ra_size(uint64_t size, uint64_t max)
{
	uint64_t newsize = 1;

	while (newsize < size && newsize < (UINT64_C(1) << 62)) /* roundup_pow_of_two() */
		newsize <<= 1;
	if (newsize <= max / 32)
		return newsize * 4;
	if (newsize <= max / 4)
		return newsize * 2;
	return max;
}

/* Linux page_cache_prev_miss(): the highest index of [index - max_scan + 1, index] not
 * cached; index - max_scan when all are; UINT64_MAX when the scan passed page 0. */
static uint64_t prev_miss(const struct shmem_obj *obj, uint64_t index, uint64_t max_scan)
{
	for (uint64_t n = 0; n < max_scan; n++) {
		if (obj->pages[index] == SHMEM_NO_PAGE)
			return index;
		if (index == 0)
			return UINT64_MAX;
		index--;
	}
	return index;
}

/*
 * Linux 6.12 page_cache_sync_ra(): read() missed the page at index, for a request of
 * req_count pages. Decision table:
 *  1. no readahead (ra_pages 0): force_page_cache_ra() of the one page;
 *  2. the file's first page, a request above the window, or a miss right after the
 *     previous read (index - prev_index <= 1): a new window, get_init_ra_size();
 *  3. else the cached run before index (page_cache_prev_miss()) is no longer than the
 *     request: a random read, read as asked without touching the state;
 *  4. else a sequential stream left that run behind: a window of run + request (the run
 *     counts twice when it reaches page 0), capped at ra_pages, mark on its last page.
 */
static void sync_ra(struct mm_core *core, struct filemap_file *f, struct file_ra_state *ra,
		    uint64_t index, uint64_t req_count)
{
	uint64_t max_pages = core->ra_pages, miss, contig;

	if (!max_pages) { /* 1. */
		do_page_cache_ra(core, f, index, 1, 0);
		return;
	}
	if (index == 0 || req_count > max_pages || index - ra->prev_index <= 1) { /* 2. */
		ra->start = index;
		ra->size = init_ra_size(req_count, max_pages);
		ra->async_size = ra->size > req_count ? ra->size - req_count : ra->size >> 1;
	} else {
		miss = prev_miss(f->obj, index - 1, max_pages);
		contig = index - miss - 1;
		if (contig <= req_count) { /* 3. */
			do_page_cache_ra(core, f, index, req_count, 0);
			return;
		}
		if (miss == UINT64_MAX) /* 4. */
			contig *= 2;
		ra->start = index;
		ra->size = contig + req_count < max_pages ? contig + req_count : max_pages;
		ra->async_size = 1;
	}
	do_page_cache_ra(core, f, ra->start, ra->size, ra->async_size);
}

void filemap_ra_init(struct file_ra_state *ra)
{
	*ra = (struct file_ra_state){ .prev_index = FILEMAP_PREV_NONE };
}

/*
 * Linux filemap_read() with filemap_get_pages(): each round takes the cached pages from the
 * position on (filemap_get_read_batch(): at most FILEMAP_READ_BATCH, up to the request's
 * end, stopping after a page carrying the readahead mark); a miss first runs
 * page_cache_sync_ra() for the rest of the request, then reads the page alone if readahead
 * did not bring it (filemap_create_folio()); a marked last page runs page_cache_async_ra().
 * Then the batch is copied to the user (copy_folio_to_iter(); folio_mark_accessed() is not
 * modelled) and the position moves on; a copy that falls short ends the read (-EFAULT).
 * At the end prev_pos is the byte after the last one read.
 */
uint64_t filemap_read(struct mm_core *core, struct filemap_file *f, struct file_ra_state *ra,
		      uint64_t index, uint64_t nr_pages, const struct filemap_read_dest *dest,
		      int *err)
{
	struct shmem_obj *obj = f->obj;
	uint64_t pos = index, last_index, n;
	uint8_t *bytes = NULL;
	pfn_t pfn;

	*err = 0;
	if (index >= f->size_pages || nr_pages == 0)
		return 0;
	if (dest && core->data_mode) {
		bytes = malloc((size_t)FILEMAP_READ_BATCH * X86_PAGE_SIZE);
		if (!bytes) {
			*err = -ENOMEM;
			return 0;
		}
	}
	last_index = nr_pages > UINT64_MAX - index ? UINT64_MAX : index + nr_pages;
	while (pos < last_index && pos < f->size_pages) {
		if (obj->pages[pos] == SHMEM_NO_PAGE) {
			sync_ra(core, f, ra, pos, last_index - pos);
			if (obj->pages[pos] == SHMEM_NO_PAGE) {
				*err = add_page(core, f, pos, true, &pfn);
				if (*err)
					break;
				account_io(core, 1);
			}
		}
		for (n = 0; n < FILEMAP_READ_BATCH && pos + n < last_index &&
			    pos + n < f->size_pages && obj->pages[pos + n] != SHMEM_NO_PAGE;) {
			struct page *pg = core_page(core, obj->pages[pos + n++]);

			if (bytes)
				memcpy(bytes + (n - 1) * X86_PAGE_SIZE,
				       physmem_frame(core->pm, obj->pages[pos + n - 1]),
				       X86_PAGE_SIZE);
			if (page_flag_test(pg, PG_READAHEAD)) {
				/* filemap_readahead() */
				async_ra(core, f, ra, pg, pos + n - 1, last_index - (pos + n - 1));
				break;
			}
		}
		if (dest) {
			uint64_t copied = dest->copy(dest->ctx, pos, n, bytes);

			if (copied < n) {
				pos += copied;
				*err = -EFAULT;
				break;
			}
		}
		pos += n;
	}
	free(bytes);
	ra->prev_index = pos;
	return pos - index;
}

struct filemap_open *filemap_open_get(struct filemap_file *f, int owner)
{
	struct filemap_open *o;

	for (size_t i = 0; i < f->nr_opens; i++) {
		if (f->opens[i].owner == owner)
			return &f->opens[i];
	}
	if (f->nr_opens == f->cap_opens) {
		size_t cap = f->cap_opens ? 2 * f->cap_opens : 4;
		struct filemap_open *n = realloc(f->opens, cap * sizeof(*n));

		if (!n)
			return NULL;
		f->opens = n;
		f->cap_opens = cap;
	}
	o = &f->opens[f->nr_opens++];
	o->owner = owner;
	o->pos = 0;
	filemap_ra_init(&o->ra);
	return o;
}

void filemap_close_owner(struct mm_core *core, int owner)
{
	for (struct filemap_file *f = core->files; f; f = f->next) {
		for (size_t i = 0; i < f->nr_opens; i++) {
			if (f->opens[i].owner == owner) {
				f->opens[i] = f->opens[--f->nr_opens];
				break;
			}
		}
	}
}

pfn_t filemap_map_lookup(struct mm_core *core, struct shmem_obj *obj, uint64_t index)
{
	struct filemap_file *f = obj->file;
	pfn_t pfn;

	if (index >= f->size_pages)
		return SHMEM_NO_PAGE;
	pfn = obj->pages[index];
	/* Linux next_uptodate_folio(): fault-around leaves a marked page to its own fault. */
	if (pfn == SHMEM_NO_PAGE || page_flag_test(core_page(core, pfn), PG_READAHEAD))
		return SHMEM_NO_PAGE;
	if (f->ra.mmap_miss)
		f->ra.mmap_miss--;
	return pfn;
}

/* Linux folio_mkclean() through page_mkclean_one(): every PTE mapping pg loses D and RW. */
struct mkclean_walk {
	struct mm_core *core;
	pfn_t pfn;
};

static bool mkclean_one(void *ctx, struct vma *vma, vaddr_t addr)
{
	struct mkclean_walk *mw = ctx;
	struct mm_core *core = mw->core;
	paddr_t ea;
	uint64_t pte;

	if (!(vma->flags & VM_SHARED) || pgtable_pte_addr(core, vma->mm, addr, false, &ea))
		return true;
	pte = physmem_read64(core->pm, ea);
	if (!x86_pte_present(pte) || x86_pte_pfn(pte, core->cpu->maxphyaddr) != mw->pfn)
		return true;
	if (!(pte & (X86_PTE_RW | X86_PTE_D)))
		return true;
	physmem_write64(core->pm, ea, pte & ~(X86_PTE_RW | X86_PTE_D));
	core_tlb_flush_range(core, vma->mm, addr, addr + X86_PAGE_SIZE,
			     "writeback write-protected a file page");
	return true;
}

/* Linux folio_clear_dirty_for_io() then ->writepage: pg goes to its file. */
static void writepage(struct mm_core *core, struct filemap_file *f, struct page *pg)
{
	struct mkclean_walk mw = { .core = core, .pfn = core_pfn(core, pg) };

	rmap_walk(pg, mkclean_one, &mw);
	page_flag_clear(pg, PG_DIRTY);
	core_count_mod(core, VMSTAT_NR_FILE_DIRTY, -1);
	core_count_mod(core, VMSTAT_PGPGOUT, X86_PAGE_SIZE / 1024);
	core->file_stats.written++;
	if (core->data_mode) {
		if (!f->disk)
			f->disk = calloc(f->obj->nr_pages, sizeof(*f->disk));
		if (f->disk && !f->disk[pg->index])
			f->disk[pg->index] = malloc(X86_PAGE_SIZE);
		/* mmsim: without host memory for the copy the write is lost; data mode then
		 * reads the seeded bytes back, which a data check reports. */
		if (f->disk && f->disk[pg->index])
			memcpy(f->disk[pg->index], physmem_frame(core->pm, mw.pfn), X86_PAGE_SIZE);
	}
}

uint64_t filemap_write_range(struct mm_core *core, struct shmem_obj *obj, uint64_t first,
			     uint64_t last)
{
	struct filemap_file *f = obj->file;
	uint64_t done = 0, run = 0;

	if (last >= obj->nr_pages)
		last = obj->nr_pages - 1;
	for (uint64_t i = first; i <= last && first <= last; i++) {
		pfn_t pfn = obj->pages[i];

		if (pfn == SHMEM_NO_PAGE || !page_flag_test(core_page(core, pfn), PG_DIRTY)) {
			if (run)
				account_io(core, run);
			run = 0;
			continue;
		}
		writepage(core, f, core_page(core, pfn));
		run++;
		done++;
	}
	if (run)
		account_io(core, run);
	return done;
}

/* Linux global_dirtyable_memory(): free pages plus file LRU pages (reserves ignored). */
static uint64_t dirtyable_pages(const struct mm_core *core)
{
	const unsigned long *vm = core->pgdat->vmstat;
	unsigned long shmem = vm[VMSTAT_NR_SHMEM];
	unsigned long file = vm[VMSTAT_NR_FILE_PAGES] - vm[VMSTAT_NR_SWAPCACHE];

	return vm[VMSTAT_NR_FREE_PAGES] + (file > shmem ? file - shmem : 0);
}

/* Background writeback (the flusher, wb_writeback() for_background): every file's dirty
 * pages in index order until the dirty count is back under the background threshold.
 * mmsim: the flusher runs beside the dirtier, so the page being dirtied now (busy) is left
 * for a later pass; writing it here would write-protect it under the faulting write. */
static void background_writeback(struct mm_core *core, uint64_t bg_thresh, const struct page *busy)
{
	core->file_stats.bg_writeback_runs++;
	for (struct filemap_file *f = core->files; f; f = f->next) {
		for (uint64_t i = 0; i < f->obj->nr_pages; i++) {
			pfn_t pfn = f->obj->pages[i];

			if (core->pgdat->vmstat[VMSTAT_NR_FILE_DIRTY] <= bg_thresh)
				return;
			/* WB_SYNC_NONE skips a page whose last write is still in flight. */
			if (pfn != SHMEM_NO_PAGE && core_page(core, pfn) != busy &&
			    page_flag_test(core_page(core, pfn), PG_DIRTY) &&
			    !page_flag_test(core_page(core, pfn), PG_WRITEBACK)) {
				writepage(core, f, core_page(core, pfn));
				account_io(core, 1);
				start_writeback(core, core_page(core, pfn));
			}
		}
	}
}

void filemap_set_dirty(struct mm_core *core, struct page *pg)
{
	if (page_flag_test(pg, PG_DIRTY))
		return;
	page_flag_set(pg, PG_DIRTY);
	core_count_mod(core, VMSTAT_NR_FILE_DIRTY, 1);
	core->file_stats.dirtied++;
}

void filemap_page_dirtied(struct mm_core *core, struct page *pg)
{
	uint64_t dirtyable, thresh, bg_thresh, dirty;

	if (page_flag_test(pg, PG_DIRTY))
		return;
	filemap_set_dirty(core, pg);
	/* Linux balance_dirty_pages() with domain_dirty_limits(): thresholds are ratios of
	 * the dirtyable memory; a background threshold not below the hard one is halved. */
	dirtyable = dirtyable_pages(core);
	thresh = dirtyable * core->dirty_ratio / 100;
	bg_thresh = dirtyable * core->dirty_background_ratio / 100;
	if (bg_thresh >= thresh)
		bg_thresh = thresh / 2;
	dirty = core->pgdat->vmstat[VMSTAT_NR_FILE_DIRTY];
	/* Above the freerun ceiling (the thresholds' midpoint) the dirtier is throttled:
	 * mmsim counts the pause instead of timing it. */
	if (dirty > (thresh + bg_thresh) / 2)
		core->file_stats.dirty_throttled++;
	if (dirty > bg_thresh)
		background_writeback(core, bg_thresh, pg);
}

uint64_t filemap_drop_clean(struct mm_core *core, struct shmem_obj *obj)
{
	struct filemap_file *f = obj->file;
	uint64_t done = 0;

	for (uint64_t i = 0; i < obj->nr_pages; i++) {
		pfn_t pfn = obj->pages[i];
		struct page *pg;

		if (pfn == SHMEM_NO_PAGE)
			continue;
		pg = core_page(core, pfn);
		/* Linux mapping_evict_folio(): dirty, mapped, under writeback or otherwise held
		 * pages stay. */
		if (page_flag_test(pg, PG_DIRTY) || page_flag_test(pg, PG_WRITEBACK) ||
		    pg->mapcount || pg->refcount > 1)
			continue;
		delete_from_cache(core, f, i, 0);
		done++;
	}
	return done;
}

void filemap_evict(struct mm_core *core, struct page *pg)
{
	struct shmem_obj *obj = pg->mapping;
	struct filemap_file *f = obj->file;
	uint64_t shadow = 0;

	MM_BUG_ON(pg->mapcount != 0);
	if (page_flag_test(pg, PG_DIRTY)) {
		writepage(core, f, pg);
		account_io(core, 1);
	}
	/* Linux __remove_mapping(): reclaim leaves a shadow entry (workingset_eviction()). */
	if (workingset_enabled(core) && shadow_alloc(core, f))
		shadow = workingset_eviction(core, pg);
	delete_from_cache(core, f, pg->index, shadow);
}

uint64_t filemap_shadow_nodes(const struct mm_core *core)
{
	return core->shadow_lru ? core->shadow_lru->nr : 0;
}

uint64_t filemap_shadow_reclaim(struct mm_core *core, uint64_t nr_to_scan)
{
	uint64_t done = 0;

	while (nr_to_scan-- && filemap_shadow_nodes(core)) {
		struct filemap_shadow_node *n =
			list_entry(core->shadow_lru->head.next, struct filemap_shadow_node, lru);
		struct filemap_file *f = n->file;
		uint64_t first = (uint64_t)(n - f->shadow_nodes) * XA_CHUNK_SIZE;
		uint64_t end = first + XA_CHUNK_SIZE < f->obj->nr_pages ? first + XA_CHUNK_SIZE
									: f->obj->nr_pages;
		struct index_change change;

		/* xa_delete_node(): the node holds shadows only; all go with it. */
		index_change_begin(f, first, &change);
		for (uint64_t i = first; i < end; i++) {
			MM_BUG_ON(f->obj->pages[i] != SHMEM_NO_PAGE);
			if (f->shadow[i]) {
				f->shadow[i] = 0;
				f->nr_entries--;
			}
		}
		index_change_end(core, f, first, &change);
		MM_BUG_ON(n->lru.next);
		core_count(core, VMSTAT_WORKINGSET_NODERECLAIM);
		done++;
	}
	return done;
}
