/*
 * kernel/layout.h: the x86-64 kernel's virtual memory map (Linux:
 * Documentation/arch/x86/x86_64/mm.rst): the classic 4-level map of older kernels, today's
 * 4-level map, and the 5-level (LA57) one. It fixes where the direct map, vmalloc, vmemmap,
 * kernel text, modules and vsyscall live, and TASK_SIZE for user space.
 */
#ifndef MMSIM_KERNEL_LAYOUT_H
#define MMSIM_KERNEL_LAYOUT_H

#include <stdint.h>

#include "arch/x86_64/types.h"

struct strbuf;

enum layout_kind {
	LAYOUT_CLASSIC, /* 4-level, PAGE_OFFSET 0xffff880000000000 (Linux before 4.20) */
	LAYOUT_MODERN,	/* 4-level, PAGE_OFFSET 0xffff888000000000 */
	LAYOUT_LA57,	/* 5-level, PAGE_OFFSET 0xff11000000000000 */
};

/* Rows of one map at the most (modern and la57 have 24). */
#define LAYOUT_MAX_REGIONS 32

struct layout_region {
	vaddr_t start, end_incl;
	const char *what;
};

struct layout {
	const char *name; /* classic, modern or la57 */
	enum layout_kind kind;
	unsigned int levels;
	vaddr_t task_size;   /* TASK_SIZE_MAX: user space is [0, task_size) */
	vaddr_t page_offset; /* direct map of all RAM */
	vaddr_t vmalloc_base;
	vaddr_t vmemmap_base;
	vaddr_t kernel_text;					 /* __START_KERNEL_map */
	vaddr_t modules;					 /* MODULES_VADDR */
	vaddr_t vsyscall;					 /* VSYSCALL_ADDR */
	const struct layout_region *regions[LAYOUT_MAX_REGIONS]; /* the map, in address order */
	unsigned int nr_regions;
};

/* 0, or -EINVAL for an unknown name (classic|modern|la57). */
int layout_init(struct layout *l, const char *name);
/* The map as Documentation/arch/x86/x86_64/mm.rst prints it. */
void layout_describe(const struct layout *l, struct strbuf *sb);

#endif
