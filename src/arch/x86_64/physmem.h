/*
 * arch/x86_64/physmem.h: simulated physical memory (RAM).
 *
 * RAM is one host mapping of size_bytes (mmap MAP_NORESERVE, touched lazily), so a frame
 * costs no host memory until it is used; a physical address is an offset into it. For
 * test vectors and MMU embedding, addresses at or above size_bytes can optionally live in
 * a sparse store of host pages created on first write (reads of unwritten ones return 0).
 * Without the sparse store, such addresses read as all ones and writes to them are dropped,
 * as a bus with nothing behind it behaves. Entries are read and written 8 bytes at a time,
 * little-endian, as the walker does. The physmem owns its host memory.
 *
 * Or the memory belongs to someone else (an emulator embedding the MMU): physmem_init_ops()
 * makes every access a call to the owner's read64/write64 pair; there is then no RAM of
 * ours (size_bytes 0) and no sparse store.
 */
#ifndef MMSIM_ARCH_X86_64_PHYSMEM_H
#define MMSIM_ARCH_X86_64_PHYSMEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "arch/x86_64/types.h"

struct physmem_sparse;

/* The owner's memory: 8-byte little-endian words at 8-byte aligned physical addresses. */
struct physmem_ops {
	uint64_t (*read64)(void *ctx, paddr_t pa);
	void (*write64)(void *ctx, paddr_t pa, uint64_t val);
	void *ctx; /* passed back to both */
};

struct physmem {
	uint8_t *base;		       /* host mapping of [0, size_bytes); NULL when size is 0 */
	uint64_t size_bytes;	       /* multiple of X86_PAGE_SIZE */
	struct physmem_sparse *sparse; /* pages at or above size_bytes; NULL when disabled */
	struct physmem_ops ops;	       /* read64 set: every access goes to the owner */
};

/* 0, -EINVAL (size not page-aligned) or -ENOMEM (host mapping refused). */
int physmem_init(struct physmem *pm, uint64_t size_bytes, bool sparse_beyond);
void physmem_fini(struct physmem *pm);
/* Memory owned by the caller of ops (both callbacks required). 0 or -EINVAL. */
int physmem_init_ops(struct physmem *pm, const struct physmem_ops *ops);

static inline uint64_t physmem_nr_pfns(const struct physmem *pm)
{
	return pm->size_bytes >> X86_PAGE_SHIFT;
}

/* Host pointer to a RAM frame; pfn must be below physmem_nr_pfns(). */
static inline void *physmem_frame(const struct physmem *pm, pfn_t pfn)
{
	return pm->base + (pfn << X86_PAGE_SHIFT);
}

uint64_t physmem_read64_slow(const struct physmem *pm, paddr_t pa);
void physmem_write64_slow(struct physmem *pm, paddr_t pa, uint64_t val);

/* 8-byte reads and writes at an 8-byte aligned physical address. */
static inline uint64_t physmem_read64(const struct physmem *pm, paddr_t pa)
{
	uint64_t v;

	if (pa < pm->size_bytes) {
		memcpy(&v, pm->base + pa, sizeof(v));
		return v;
	}
	return physmem_read64_slow(pm, pa);
}

static inline void physmem_write64(struct physmem *pm, paddr_t pa, uint64_t val)
{
	if (pa < pm->size_bytes) {
		memcpy(pm->base + pa, &val, sizeof(val));
		return;
	}
	physmem_write64_slow(pm, pa, val);
}

/* Fills a 4 KiB frame with zeros (RAM or sparse). */
void physmem_zero_frame(struct physmem *pm, pfn_t pfn);

/* Copies len bytes in or out of physical memory, across frames (RAM or sparse). */
void physmem_read(const struct physmem *pm, paddr_t pa, void *dst, size_t len);
void physmem_write(struct physmem *pm, paddr_t pa, const void *src, size_t len);

#endif
