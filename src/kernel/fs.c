/*
 * kernel/fs.c: the simulated file system's calls (mmsim/mmsim.h "files"): create a file,
 * drop its clean cached pages (posix_fadvise(POSIX_FADV_DONTNEED)), count its cached pages;
 * shared libraries (create one, load one as ld.so does).
 * The files and their page cache are mm/filemap.c's; mapping them is kernel/mmap.c's.
 */
#include <errno.h>
#include <stdint.h>

#include "kernel/check.h"
#include "kernel/system.h"
#include "mm/filemap.h"
#include "mm/shmem.h"

int mmsim_file_create(struct mmsim_system *sys, const char *name, uint64_t nr_pages)
{
	struct filemap_file *f;
	int err;

	if (!name)
		return -EINVAL;
	err = filemap_create(&sys->core, name, nr_pages, &f);
	kernel_paranoid_check(sys);
	return err;
}

int mmsim_file_drop_cache(struct mmsim_system *sys, const char *name, uint64_t *dropped)
{
	struct filemap_file *f = name ? filemap_find(&sys->core, name) : NULL;
	uint64_t n;

	if (!f)
		return -ENOENT;
	n = filemap_drop_clean(&sys->core, f->obj);
	if (dropped)
		*dropped = n;
	kernel_paranoid_check(sys);
	return 0;
}

int mmsim_file_cached(const struct mmsim_system *sys, const char *name, uint64_t *pages_out)
{
	const struct filemap_file *f = name ? filemap_find(&sys->core, name) : NULL;

	if (!f)
		return -ENOENT;
	*pages_out = f->obj->nr_resident;
	return 0;
}

/* read()'s user buffer: the pages of one batch go to buf + (index - first) pages. */
struct read_buf {
	struct mmsim_task *t;
	uint64_t buf;	/* user address of the first page read */
	uint64_t first; /* file page of the first page read */
};

static uint64_t copy_to_buf(void *ctx, uint64_t index, uint64_t nr, const uint8_t *bytes)
{
	const struct read_buf *b = ctx;
	uint64_t left = kernel_copy_to_user(b->t, b->buf + (index - b->first) * X86_PAGE_SIZE,
					    bytes, nr * X86_PAGE_SIZE);

	/* buf is page-aligned: a copy stops at a page boundary. */
	return nr - left / X86_PAGE_SIZE;
}

/* read(2)/pread(2) of t (see mmsim_file_read()); buf_set: copied to t's memory at buf. */
static int file_read(struct mmsim_task *t, const char *name, uint64_t offset_pages,
		     uint64_t nr_pages, bool buf_set, uint64_t buf, uint64_t *read_out)
{
	PTI_SYSCALL(t);
	struct filemap_file *f = name ? filemap_find(&t->sys->core, name) : NULL;
	struct read_buf rb = { .t = t, .buf = buf };
	struct filemap_read_dest dest = { .copy = copy_to_buf, .ctx = &rb };
	struct filemap_open *o;
	uint64_t pos, n;
	int err;

	if (read_out)
		*read_out = 0;
	if (!f)
		return -ENOENT;
	if (!t->mm)
		return -EINVAL;
	o = filemap_open_get(f, t->pid);
	if (!o)
		return -ENOMEM;
	pos = offset_pages == MMSIM_FILE_POS ? o->pos : offset_pages;
	rb.first = pos;
	n = filemap_read(&t->sys->core, f, &o->ra, pos, nr_pages, buf_set ? &dest : NULL, &err);
	if (offset_pages == MMSIM_FILE_POS)
		o->pos = pos + n;
	if (read_out)
		*read_out = n;
	kernel_paranoid_check(t->sys);
	return n ? 0 : err; /* read(2): a short count, or the error when nothing was read */
}

int mmsim_file_read(struct mmsim_task *t, const char *name, uint64_t offset_pages,
		    uint64_t nr_pages, uint64_t *read_out)
{
	return file_read(t, name, offset_pages, nr_pages, false, 0, read_out);
}

int mmsim_file_read_into(struct mmsim_task *t, const char *name, uint64_t offset_pages,
			 uint64_t nr_pages, uint64_t buf, uint64_t *read_out)
{
	if (read_out)
		*read_out = 0;
	if (buf & (X86_PAGE_SIZE - 1))
		return -EINVAL;
	if (!t->alive || !t->mm)
		return -EINVAL;
	/* read() runs in t's context: its address space is the one the copy goes to. */
	if (t->sys->current != t)
		system_switch_to(t->sys, t);
	return file_read(t, name, offset_pages, nr_pages, true, buf, read_out);
}

int mmsim_lib_create(struct mmsim_system *sys, const char *name, uint64_t text_pages,
		     uint64_t data_pages, uint64_t bss_pages)
{
	struct filemap_file *f;
	int err;

	/* The span must fit a mapping length (and the file a file's size). */
	if (!name || text_pages == 0 || data_pages > (UINT64_C(1) << 32) ||
	    text_pages > (UINT64_C(1) << 32) || bss_pages > (UINT64_C(1) << 40))
		return -EINVAL;
	err = filemap_create(&sys->core, name, text_pages + data_pages, &f);
	if (!err) {
		f->lib_text = text_pages;
		f->lib_data = data_pages;
		f->lib_bss = bss_pages;
	}
	kernel_paranoid_check(sys);
	return err;
}

/*
 * glibc elf/dl-map-segments.h _dl_map_segments() for a library of whole-page segments whose
 * p_align is the page size (binutils' x86-64 default since 2.31, max-page-size 0x1000):
 *  0. (before) open the file and read its first 832 bytes: the ELF and program headers;
 *  1. map the whole span (first segment's offset to the last one's memory end) with the
 *     first segment's rights, letting the kernel choose the address (l_map_start);
 *  2. map each further segment MAP_FIXED over its part, from its file offset;
 *  3. map the pages of .bss past the file's data anonymous, MAP_FIXED (zero-filled).
 * mmsim: segments end on page boundaries, so glibc's memset of the partial page after
 * p_filesz (which dirties, hence copies, the last data page at load) never happens.
 */
int mmsim_lib_load(struct mmsim_task *t, const char *name, uint64_t *base_out)
{
	struct filemap_file *f = name ? filemap_find(&t->sys->core, name) : NULL;
	const uint64_t ps = X86_PAGE_SIZE;
	struct file_ra_state ra;
	uint64_t base, addr;
	int err;

	if (!f)
		return -ENOENT;
	if (!t->mm)
		return -EINVAL;
	/* 0. open() and read(fd, buf, 832): the ELF header and program headers, through the
	 * read path of a newly opened file (elf/dl-load.c open_verify()). */
	filemap_ra_init(&ra);
	filemap_read(&t->sys->core, f, &ra, 0, 1, NULL, &err);
	if (err)
		return err;
	if (f->lib_text == 0)
		return -ENOEXEC; /* no program headers: not an ELF shared object */
	/* 1. */
	err = mmsim_mmap_file(t, 0, (f->lib_text + f->lib_data + f->lib_bss) * ps,
			      MMSIM_PROT_READ | MMSIM_PROT_EXEC, MMSIM_MAP_PRIVATE, name, 0, &base);
	if (err)
		return err;
	/* 2. */
	if (f->lib_data) {
		err = mmsim_mmap_file(t, base + f->lib_text * ps, f->lib_data * ps,
				      MMSIM_PROT_READ | MMSIM_PROT_WRITE,
				      MMSIM_MAP_PRIVATE | MMSIM_MAP_FIXED, name, f->lib_text,
				      &addr);
		if (err)
			goto out_unmap;
	}
	/* 3. */
	if (f->lib_bss) {
		err = mmsim_mmap(t, base + (f->lib_text + f->lib_data) * ps, f->lib_bss * ps,
				 MMSIM_PROT_READ | MMSIM_PROT_WRITE,
				 MMSIM_MAP_PRIVATE | MMSIM_MAP_ANONYMOUS | MMSIM_MAP_FIXED, &addr);
		if (err)
			goto out_unmap;
	}
	*base_out = base;
	return 0;
out_unmap:
	/* ld.so's failure path unmaps what it mapped (l_map_start to l_map_end). */
	mmsim_munmap(t, base, (f->lib_text + f->lib_data + f->lib_bss) * ps);
	return err;
}
