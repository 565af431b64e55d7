/*
 * kernel/fs.c: the simulated file system's calls (mmsim/mmsim.h "files"): create a file,
 * drop its clean cached pages (posix_fadvise(POSIX_FADV_DONTNEED)), count its cached pages.
 * The files and their page cache are mm/filemap.c's; mapping them is kernel/mmap.c's.
 */
#include <errno.h>

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
