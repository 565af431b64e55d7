/*
 * mm/filemap.h: regular files and their page cache (Linux: mm/filemap.c, mm/readahead.c,
 * mm/page-writeback.c, mm/truncate.c), Linux 6.12.
 *
 * A file is a name, a size in pages (i_size) and contents: a page never written back reads
 * as bytes derived from the file's seed; a page written back reads as what was written
 * (data mode). Its page cache reuses the shmem object (mm/shmem.h): one entry per page
 * index, shared by every mapping, with obj->file pointing back here. Unlike shmem, a file's
 * cache outlives its mappings (the file stays until the machine goes) and its pages are
 * not swap-backed: a clean page is dropped, a dirty one is written back to the file.
 *
 * Faults (fault.c) come through filemap_get_page(): a cached page is a minor fault; a miss
 * reads the page from the device, a major fault, with mmap read-around
 * (do_sync_mmap_readahead(): ra_pages around the index, clamped to the file's end) and an
 * async-readahead mark (PG_READAHEAD) that a later fault on it follows
 * (do_async_mmap_readahead()). Reads are counted in pgpgin (kB, as /proc/vmstat shows it).
 * mmsim: I/O completes at once; its time is accounted (io_us) but nobody waits for it.
 * The index and the file's written-back bytes live in host memory (Linux: an xarray and
 * the disk).
 */
#ifndef MMSIM_MM_FILEMAP_H
#define MMSIM_MM_FILEMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arch/x86_64/types.h"
#include "util/list.h"

struct mm_core;
struct page;
struct shmem_obj;
struct vma;

#define FILEMAP_NAME_MAX 32
/* mmsim: file inode numbers, as /proc/PID/maps shows them, count up from here. */
#define FILEMAP_FIRST_INO 100000ul
/* Linux MMAP_LOTSAMISS: after this many misses without hits, no more read-around. */
#define FILEMAP_MMAP_LOTSAMISS 100u

/* Linux FILE_RA_PREV_NONE: prev_pos -1 (file_ra_state_init()) as a page index. */
#define FILEMAP_PREV_NONE (UINT64_MAX >> 12)
/* Linux PAGEVEC_SIZE: the folios filemap_get_read_batch() takes at a time. */
#define FILEMAP_READ_BATCH 31u

/* Linux struct file_ra_state: the mmap faults' one per file (mmsim has no struct file for
 * a mapping), read()'s one per process and file (struct filemap_open). */
struct file_ra_state {
	uint64_t start;		/* first page of the current window */
	uint64_t size;		/* pages in the window */
	uint64_t async_size;	/* pages at its end whose first one carries the mark */
	unsigned int mmap_miss; /* faults that missed, less pages mapped from the cache */
	uint64_t prev_index;	/* read(): page of prev_pos, the byte after the last read;
				 * FILEMAP_PREV_NONE before the first */
};

/* A process's open file for read() (Linux struct file: f_pos, f_ra). mmsim: opened at the
 * process's first read of the file, closed when it exits; fork does not share it. */
struct filemap_open {
	int owner;		 /* the process's pid */
	uint64_t pos;		 /* f_pos, in pages */
	struct file_ra_state ra; /* f_ra */
};

/* One 64-index node of a file's page-cache index, on the shadow nodes' list while every
 * entry in it is a shadow (Linux struct xa_node's private_list on list_lru shadow_nodes). */
struct filemap_shadow_node {
	struct list_head lru;	   /* on core->shadow_lru, oldest first; next NULL: on none */
	struct filemap_file *file; /* whose index */
};

struct filemap_file {
	char name[FILEMAP_NAME_MAX + 1];
	uint64_t size_pages;   /* i_size / 4096 */
	uint64_t seed;	       /* contents of never-written pages */
	struct shmem_obj *obj; /* the page cache (obj->file == this) */
	struct file_ra_state ra;
	struct vma **maps; /* i_mmap: every VMA mapping the file (host array) */
	size_t nr_maps, cap_maps;
	uint8_t **disk;		/* data mode: bytes written back, per page; NULL: seeded */
	uint64_t *shadow;	/* per page: the shadow entry reclaim left (workingset.h),
				 * 0 for none; NULL until the first (host memory) */
	uint64_t nr_entries;	/* index entries: cached pages plus shadows */
	uint64_t shadow_chunks; /* 64-entry index chunks holding only shadows */
	struct filemap_shadow_node *shadow_nodes; /* per chunk; with shadow */
	/* A shared library (mmsim_lib_create()): what its ELF program headers say, in pages:
	 * text r-x from file page 0, data rw- from file page lib_text, bss (memory only)
	 * after the data. lib_text is 0 for a plain file. */
	uint64_t lib_text, lib_data, lib_bss;
	struct filemap_open *opens; /* read() state per process (host array) */
	size_t nr_opens, cap_opens;
	struct filemap_file *next; /* the machine's files, newest first */
};

/* A new file of nr_pages (>= 1), every page cached and clean (as after write + fsync).
 * 0 and *out; -EEXIST (name taken), -EINVAL (bad name or size), -ENOMEM. */
int filemap_create(struct mm_core *core, const char *name, uint64_t nr_pages,
		   struct filemap_file **out);
/* The file called name, or NULL. */
struct filemap_file *filemap_find(const struct mm_core *core, const char *name);
/* Frees every file and its cache (no page may be mapped any more). */
void filemap_fini(struct mm_core *core);
/* The machine goes as a whole (mmsim_system_destroy()): frees the files' host memory only,
 * without handing their pages back, mapped or not. */
void filemap_release(struct mm_core *core);

/* i_mmap: vma maps obj (a file's cache). 0 or -ENOMEM. Unlinking an unlinked VMA is a
 * no-op. */
int filemap_vma_link(struct shmem_obj *obj, struct vma *vma);
void filemap_vma_unlink(struct shmem_obj *obj, struct vma *vma);

/*
 * Linux filemap_fault(), the page-cache part: the page at index (< size_pages), read in
 * on a miss (with read-around; *major set) or found cached (with async readahead when it
 * carries the mark). 0 or -ENOMEM.
 */
int filemap_get_page(struct mm_core *core, struct shmem_obj *obj, uint64_t index, pfn_t *pfn_out,
		     bool *major);
/* Linux filemap_map_pages(): the page fault-around may map at index, or SHMEM_NO_PAGE
 * (not cached, or carrying the readahead mark). A page it maps counts as a hit. */
pfn_t filemap_map_lookup(struct mm_core *core, struct shmem_obj *obj, uint64_t index);

/*
 * read()'s destination (Linux: the iov_iter that copy_folio_to_iter() fills). copy() gets
 * each batch of pages once it is gathered: nr pages from file page index on, with their
 * bytes in data mode (nr * 4096, taken while the batch holds them, as Linux's folio
 * references keep them; NULL in metadata mode), and returns how many whole pages it
 * copied: fewer ends the read there (the user buffer faulted: copy_to_user() fell short).
 */
struct filemap_read_dest {
	uint64_t (*copy)(void *ctx, uint64_t index, uint64_t nr, const uint8_t *bytes);
	void *ctx;
};

/*
 * Linux filemap_read() (read(2), pread(2)) in page units: the pages of f from index on, at
 * most nr_pages and not past the end of the file, are brought into the page cache through
 * the readahead rules (page_cache_sync_ra() on a miss, page_cache_async_ra() on a marked
 * page; ra is the open file's state, whose prev_index the read updates) and copied to dest
 * batch by batch (dest NULL: to a buffer mmsim does not model). Returns the pages read;
 * *err 0, -ENOMEM when a page could not be allocated, or -EFAULT when dest fell short (the
 * pages before count either way).
 */
uint64_t filemap_read(struct mm_core *core, struct filemap_file *f, struct file_ra_state *ra,
		      uint64_t index, uint64_t nr_pages, const struct filemap_read_dest *dest,
		      int *err);
/* The open file of process owner on f, opened now if it has none (f_pos 0, fresh ra);
 * NULL when out of host memory. */
struct filemap_open *filemap_open_get(struct filemap_file *f, int owner);
/* Process owner exited: its open files close. */
void filemap_close_owner(struct mm_core *core, int owner);
/* A fresh readahead state (Linux file_ra_state_init()). */
void filemap_ra_init(struct file_ra_state *ra);

/* Marks pg dirty (Linux folio_mark_dirty()) without the dirty-limit check. */
void filemap_set_dirty(struct mm_core *core, struct page *pg);
/* A write through a shared mapping dirtied pg (Linux folio_mark_dirty()); balance_dirty_pages
 * then throttles or starts background writeback when the dirty limits are passed. */
void filemap_page_dirtied(struct mm_core *core, struct page *pg);
/* Writes back the dirty pages of obj in [first, last] (msync, munmap of a shared mapping,
 * fsync): each is written, made clean, and write-protected in every PTE (folio_mkclean),
 * so the next write faults again. Returns the pages written. */
uint64_t filemap_write_range(struct mm_core *core, struct shmem_obj *obj, uint64_t first,
			     uint64_t last);
/* Linux invalidate_mapping_pages() (POSIX_FADV_DONTNEED): drops every clean, unmapped
 * cached page; dirty and mapped pages stay. Returns the pages dropped. */
uint64_t filemap_drop_clean(struct mm_core *core, struct shmem_obj *obj);
/* Reclaim: pg (a file page no PTE maps any more) leaves the cache; a dirty one is written
 * first (Linux pageout()). The cache's reference goes; the frame is free after. */
void filemap_evict(struct mm_core *core, struct page *pg);

/*
 * Writeback in flight (the flusher's background writeback, Linux wb_writeback() with
 * WB_SYNC_NONE): a page it writes is PG_writeback, counted in nr_writeback (meminfo
 * Writeback), until the device model's request for it completes on mmsim's clock (each
 * user access takes FILEMAP_ACCESS_NS, `sleep` adds its time; requests are served one after
 * another). Reclaim and dropcache leave such a page; the flusher skips it. msync and
 * reclaim's pageout() write at once (mmsim: they wait for their I/O).
 * filemap_writeback_run_due() ends the writes due by now (after an access when
 * nr_accesses reaches core->writeback_due, and after a sleep).
 */
#define FILEMAP_ACCESS_NS 1000u
void filemap_writeback_run_due(struct mm_core *core);

/*
 * The page-cache half of Linux's workingset shadow shrinker (mm/workingset.c
 * shadow_lru_isolate(), scan_shadow_nodes()): up to nr_to_scan nodes from the head of the
 * shadow nodes' list (the longest shadow-only) are deleted with every shadow entry in them
 * (xa_delete_node()), each counted in workingset_nodereclaim. Returns the nodes deleted.
 * filemap_shadow_nodes(): the nodes on the list (Linux list_lru_shrink_count()).
 */
uint64_t filemap_shadow_reclaim(struct mm_core *core, uint64_t nr_to_scan);
uint64_t filemap_shadow_nodes(const struct mm_core *core);

/* Is pg a page of a regular file's cache? */
bool filemap_page_is_file(const struct page *pg);

#endif
