/*
 * arch/x86_64/physmem.c: simulated RAM and the optional sparse store above it.
 *
 * The sparse store is an open-addressing hash table from pfn to a host page; it serves the
 * scattered table addresses of test vectors (anywhere below 2^MAXPHYADDR) without a mapping
 * of that size. It is not on the path of a normal simulation, whose RAM is the flat mapping.
 * Memory owned by an embedder (physmem_init_ops) is reached through the slow paths too, so
 * the flat-RAM fast path in physmem.h stays one compare.
 */
#include "arch/x86_64/physmem.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/mman.h>

struct physmem_sparse_slot {
	pfn_t pfn;     /* valid when page != NULL */
	uint8_t *page; /* X86_PAGE_SIZE host bytes */
};

struct physmem_sparse {
	size_t nr_slots; /* power of two */
	size_t nr_used;
	struct physmem_sparse_slot *slots;
};

int physmem_init(struct physmem *pm, uint64_t size_bytes, bool sparse_beyond)
{
	memset(pm, 0, sizeof(*pm));
	if (size_bytes % X86_PAGE_SIZE)
		return -EINVAL;
	if (size_bytes) {
		void *p = mmap(NULL, size_bytes, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (p == MAP_FAILED)
			return -ENOMEM;
		pm->base = p;
	}
	pm->size_bytes = size_bytes;
	if (sparse_beyond) {
		pm->sparse = calloc(1, sizeof(*pm->sparse));
		if (!pm->sparse)
			goto out_unmap;
		pm->sparse->nr_slots = 64;
		pm->sparse->slots = calloc(pm->sparse->nr_slots, sizeof(*pm->sparse->slots));
		if (!pm->sparse->slots)
			goto out_free_sparse;
	}
	return 0;

out_free_sparse:
	free(pm->sparse);
	pm->sparse = NULL;
out_unmap:
	if (pm->base)
		munmap(pm->base, size_bytes);
	pm->base = NULL;
	return -ENOMEM;
}

int physmem_init_ops(struct physmem *pm, const struct physmem_ops *ops)
{
	memset(pm, 0, sizeof(*pm));
	if (!ops || !ops->read64 || !ops->write64)
		return -EINVAL;
	pm->ops = *ops;
	return 0;
}

void physmem_fini(struct physmem *pm)
{
	if (pm->base)
		munmap(pm->base, pm->size_bytes);
	if (pm->sparse) {
		for (size_t i = 0; i < pm->sparse->nr_slots; i++)
			free(pm->sparse->slots[i].page);
		free(pm->sparse->slots);
		free(pm->sparse);
	}
	memset(pm, 0, sizeof(*pm));
}

static size_t slot_hash(pfn_t pfn, size_t nr_slots)
{
	return (size_t)((pfn * UINT64_C(0x9e3779b97f4a7c15)) >> 20) & (nr_slots - 1);
}

static struct physmem_sparse_slot *sparse_find(const struct physmem_sparse *sp, pfn_t pfn)
{
	size_t i = slot_hash(pfn, sp->nr_slots);

	while (sp->slots[i].page) {
		if (sp->slots[i].pfn == pfn)
			return &sp->slots[i];
		i = (i + 1) & (sp->nr_slots - 1);
	}
	return &sp->slots[i]; /* the empty slot where pfn would go */
}

static int sparse_grow(struct physmem_sparse *sp)
{
	size_t old_n = sp->nr_slots;
	struct physmem_sparse_slot *old = sp->slots;
	struct physmem_sparse_slot *fresh = calloc(old_n * 2, sizeof(*fresh));

	if (!fresh)
		return -ENOMEM;
	sp->slots = fresh;
	sp->nr_slots = old_n * 2;
	for (size_t i = 0; i < old_n; i++) {
		if (old[i].page)
			*sparse_find(sp, old[i].pfn) = old[i];
	}
	free(old);
	return 0;
}

/* The host page behind a sparse frame; created zeroed when create is set. NULL if absent. */
static uint8_t *sparse_page(struct physmem_sparse *sp, pfn_t pfn, bool create)
{
	struct physmem_sparse_slot *s = sparse_find(sp, pfn);

	if (s->page || !create)
		return s->page;
	if ((sp->nr_used + 1) * 2 > sp->nr_slots) {
		if (sparse_grow(sp))
			return NULL;
		s = sparse_find(sp, pfn);
	}
	s->page = calloc(1, X86_PAGE_SIZE);
	if (!s->page)
		return NULL;
	s->pfn = pfn;
	sp->nr_used++;
	return s->page;
}

uint64_t physmem_read64_slow(const struct physmem *pm, paddr_t pa)
{
	uint64_t v = 0;
	const uint8_t *page;

	if (pm->ops.read64)
		return pm->ops.read64(pm->ops.ctx, pa);
	if (!pm->sparse)
		return UINT64_MAX;
	page = sparse_page(pm->sparse, X86_PADDR_TO_PFN(pa), false);
	if (page)
		memcpy(&v, page + (pa & (X86_PAGE_SIZE - 1)), sizeof(v));
	return v;
}

void physmem_write64_slow(struct physmem *pm, paddr_t pa, uint64_t val)
{
	uint8_t *page;

	if (pm->ops.write64) {
		pm->ops.write64(pm->ops.ctx, pa, val);
		return;
	}
	if (!pm->sparse)
		return;
	page = sparse_page(pm->sparse, X86_PADDR_TO_PFN(pa), val != 0);
	if (page)
		memcpy(page + (pa & (X86_PAGE_SIZE - 1)), &val, sizeof(val));
}

void physmem_zero_frame(struct physmem *pm, pfn_t pfn)
{
	uint8_t *page;

	if (pfn < physmem_nr_pfns(pm)) {
		memset(physmem_frame(pm, pfn), 0, X86_PAGE_SIZE);
		return;
	}
	if (pm->ops.write64) {
		for (paddr_t off = 0; off < X86_PAGE_SIZE; off += 8)
			pm->ops.write64(pm->ops.ctx, X86_PFN_TO_PADDR(pfn) + off, 0);
		return;
	}
	if (pm->sparse && (page = sparse_page(pm->sparse, pfn, false)) != NULL)
		memset(page, 0, X86_PAGE_SIZE);
}

/* Byte copies over the owner's 8-byte words: whole aligned words, read-modify-write at
 * the ends. */
static void ops_read(const struct physmem *pm, paddr_t pa, uint8_t *out, size_t len)
{
	while (len) {
		size_t off = (size_t)(pa & 7), n = 8 - off < len ? 8 - off : len;
		uint64_t w = pm->ops.read64(pm->ops.ctx, pa - off);

		memcpy(out, (const uint8_t *)&w + off, n);
		out += n;
		pa += n;
		len -= n;
	}
}

static void ops_write(struct physmem *pm, paddr_t pa, const uint8_t *in, size_t len)
{
	while (len) {
		size_t off = (size_t)(pa & 7), n = 8 - off < len ? 8 - off : len;
		uint64_t w = n == 8 ? 0 : pm->ops.read64(pm->ops.ctx, pa - off);

		memcpy((uint8_t *)&w + off, in, n);
		pm->ops.write64(pm->ops.ctx, pa - off, w);
		in += n;
		pa += n;
		len -= n;
	}
}

void physmem_read(const struct physmem *pm, paddr_t pa, void *dst, size_t len)
{
	uint8_t *out = dst;

	if (pm->ops.read64) {
		ops_read(pm, pa, out, len);
		return;
	}

	while (len) {
		size_t off = (size_t)(pa & (X86_PAGE_SIZE - 1));
		size_t n = X86_PAGE_SIZE - off < len ? X86_PAGE_SIZE - off : len;
		const uint8_t *page = NULL;

		if (pa < pm->size_bytes)
			page = physmem_frame(pm, X86_PADDR_TO_PFN(pa));
		else if (pm->sparse)
			page = sparse_page(pm->sparse, X86_PADDR_TO_PFN(pa), false);
		if (page)
			memcpy(out, page + off, n);
		else
			memset(out, pm->sparse ? 0 : 0xff, n);
		out += n;
		pa += n;
		len -= n;
	}
}

void physmem_write(struct physmem *pm, paddr_t pa, const void *src, size_t len)
{
	const uint8_t *in = src;

	if (pm->ops.write64) {
		ops_write(pm, pa, in, len);
		return;
	}

	while (len) {
		size_t off = (size_t)(pa & (X86_PAGE_SIZE - 1));
		size_t n = X86_PAGE_SIZE - off < len ? X86_PAGE_SIZE - off : len;
		uint8_t *page = NULL;

		if (pa < pm->size_bytes)
			page = physmem_frame(pm, X86_PADDR_TO_PFN(pa));
		else if (pm->sparse)
			page = sparse_page(pm->sparse, X86_PADDR_TO_PFN(pa), true);
		if (page)
			memcpy(page + off, in, n);
		in += n;
		pa += n;
		len -= n;
	}
}
