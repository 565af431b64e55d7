/*
 * kernel/layout.c: the three x86-64 virtual memory maps (see layout.h). Addresses and sizes
 * are those of Linux's Documentation/arch/x86/x86_64/mm.rst (and mm.txt of 4.x for classic).
 */
#include "kernel/layout.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "mm/bug.h"
#include "util/strbuf.h"
#include "util/macros.h"

struct region_row {
	unsigned int maps; /* bit LAYOUT_<kind> set: the row is in that map */
	struct layout_region r;
};

/* A row: in classic, in modern, in la57 (1 or 0); start, end (inclusive), description. */
#define R(c, m, l, s, e, w)                                                        \
	{                                                                          \
		(c) << LAYOUT_CLASSIC | (m) << LAYOUT_MODERN | (l) << LAYOUT_LA57, \
		{                                                                  \
			UINT64_C(s), UINT64_C(e), w                                \
		}                                                                  \
	}

/*
 * Each row of the three maps once, ordered by start address, so that the rows of one map
 * come in its own order: classic (mm.txt of 4.x), modern (mm.rst, 4-level) and LA57 (mm.rst,
 * 5-level). The tail from %esp fixup stacks on is the same in all three.
 */
/* clang-format off */
static const struct region_row rows[] = {
	R(0, 1, 0, 0x0000000000000000, 0x00007fffffffefff,
	  "user-space virtual memory, different per mm"),
	R(1, 0, 0, 0x0000000000000000, 0x00007fffffffffff,
	  "user space, different per mm"),
	R(0, 0, 1, 0x0000000000000000, 0x00ffffffffffefff,
	  "user-space virtual memory, different per mm"),
	R(0, 1, 0, 0x00007ffffffff000, 0x00007fffffffffff,
	  "guard page below the non-canonical hole"),
	R(1, 0, 0, 0x0000800000000000, 0xffff7fffffffffff,
	  "hole caused by [47:63] sign extension"),
	R(0, 1, 0, 0x0000800000000000, 0xffff7fffffffffff,
	  "non-canonical hole"),
	R(0, 0, 1, 0x00fffffffffff000, 0x00ffffffffffffff,
	  "guard page below the non-canonical hole"),
	R(0, 0, 1, 0x0100000000000000, 0xfeffffffffffffff,
	  "non-canonical hole"),
	R(0, 0, 1, 0xff00000000000000, 0xff0fffffffffffff,
	  "guard hole, also reserved for hypervisor"),
	R(0, 0, 1, 0xff10000000000000, 0xff10ffffffffffff,
	  "LDT remap for PTI"),
	R(0, 0, 1, 0xff11000000000000, 0xff90ffffffffffff,
	  "direct mapping of all physical memory (page_offset_base)"),
	R(0, 0, 1, 0xff91000000000000, 0xff9fffffffffffff,
	  "unused hole"),
	R(0, 0, 1, 0xffa0000000000000, 0xffd1ffffffffffff,
	  "vmalloc/ioremap space (vmalloc_base)"),
	R(0, 0, 1, 0xffd2000000000000, 0xffd3ffffffffffff,
	  "unused hole"),
	R(0, 0, 1, 0xffd4000000000000, 0xffd5ffffffffffff,
	  "virtual memory map (vmemmap_base)"),
	R(0, 0, 1, 0xffd6000000000000, 0xffdeffffffffffff,
	  "unused hole"),
	R(0, 0, 1, 0xffdf000000000000, 0xfffffbffffffffff,
	  "KASAN shadow memory"),
	R(1, 0, 0, 0xffff800000000000, 0xffff87ffffffffff,
	  "guard hole, reserved for hypervisor"),
	R(0, 1, 0, 0xffff800000000000, 0xffff87ffffffffff,
	  "guard hole, also reserved for hypervisor"),
	R(0, 1, 0, 0xffff880000000000, 0xffff887fffffffff,
	  "LDT remap for PTI"),
	R(1, 0, 0, 0xffff880000000000, 0xffffc7ffffffffff,
	  "direct mapping of all phys. memory"),
	R(0, 1, 0, 0xffff888000000000, 0xffffc87fffffffff,
	  "direct mapping of all physical memory (page_offset_base)"),
	R(1, 0, 0, 0xffffc80000000000, 0xffffc8ffffffffff,
	  "hole"),
	R(0, 1, 0, 0xffffc88000000000, 0xffffc8ffffffffff,
	  "unused hole"),
	R(1, 0, 0, 0xffffc90000000000, 0xffffe8ffffffffff,
	  "vmalloc/ioremap space"),
	R(0, 1, 0, 0xffffc90000000000, 0xffffe8ffffffffff,
	  "vmalloc/ioremap space (vmalloc_base)"),
	R(1, 0, 0, 0xffffe90000000000, 0xffffe9ffffffffff,
	  "hole"),
	R(0, 1, 0, 0xffffe90000000000, 0xffffe9ffffffffff,
	  "unused hole"),
	R(1, 0, 0, 0xffffea0000000000, 0xffffeaffffffffff,
	  "virtual memory map (vmemmap)"),
	R(0, 1, 0, 0xffffea0000000000, 0xffffeaffffffffff,
	  "virtual memory map (vmemmap_base)"),
	R(1, 1, 0, 0xffffeb0000000000, 0xffffebffffffffff,
	  "unused hole"),
	R(1, 0, 0, 0xffffec0000000000, 0xfffffbffffffffff,
	  "kasan shadow memory"),
	R(0, 1, 0, 0xffffec0000000000, 0xfffffbffffffffff,
	  "KASAN shadow memory"),
	R(0, 1, 1, 0xfffffc0000000000, 0xfffffdffffffffff,
	  "unused hole (vaddr_end for KASLR)"),
	R(1, 0, 0, 0xfffffc0000000000, 0xfffffeffffffffff,
	  "unused hole"),
	R(0, 1, 1, 0xfffffe0000000000, 0xfffffe7fffffffff,
	  "cpu_entry_area mapping"),
	R(0, 1, 1, 0xfffffe8000000000, 0xfffffeffffffffff,
	  "unused hole"),
	R(1, 1, 1, 0xffffff0000000000, 0xffffff7fffffffff,
	  "%esp fixup stacks"),
	R(1, 1, 1, 0xffffff8000000000, 0xffffffeeffffffff,
	  "unused hole"),
	R(1, 1, 1, 0xffffffef00000000, 0xfffffffeffffffff,
	  "EFI region mapping space"),
	R(1, 1, 1, 0xffffffff00000000, 0xffffffff7fffffff,
	  "unused hole"),
	R(1, 0, 0, 0xffffffff80000000, 0xffffffff9fffffff,
	  "kernel text mapping, from phys 0"),
	R(0, 1, 1, 0xffffffff80000000, 0xffffffff9fffffff,
	  "kernel text mapping, mapped to physical address 0"),
	R(0, 1, 1, 0xffffffffa0000000, 0xfffffffffeffffff,
	  "module mapping space"),
	R(1, 0, 0, 0xffffffffa0000000, 0xffffffffff5fffff,
	  "module mapping space"),
	R(0, 1, 1, 0xffffffffff000000, 0xffffffffff5fffff,
	  "kernel-internal fixmap range"),
	R(1, 1, 1, 0xffffffffff600000, 0xffffffffff600fff,
	  "legacy vsyscall ABI"),
	R(1, 1, 1, 0xffffffffffe00000, 0xffffffffffffffff,
	  "unused hole"),
};
/* clang-format on */

/* What differs from one map to another, besides the rows. */
struct map {
	const char *name;
	enum layout_kind kind;
	unsigned int levels;
	vaddr_t task_size, page_offset, vmalloc_base, vmemmap_base;
};

#define MAP(n, k, lv, ts, po, va, vm)                                            \
	{                                                                        \
		n, k, lv, UINT64_C(ts), UINT64_C(po), UINT64_C(va), UINT64_C(vm) \
	}

/* name, kind, levels, TASK_SIZE_MAX, PAGE_OFFSET, VMALLOC_START, VMEMMAP_START */
static const struct map maps[] = {
	MAP("classic", LAYOUT_CLASSIC, 4, 0x00007ffffffff000, 0xffff880000000000,
	    0xffffc90000000000, 0xffffea0000000000),
	MAP("modern", LAYOUT_MODERN, 4, 0x00007ffffffff000, 0xffff888000000000, 0xffffc90000000000,
	    0xffffea0000000000),
	MAP("la57", LAYOUT_LA57, 5, 0x00fffffffffff000, 0xff11000000000000, 0xffa0000000000000,
	    0xffd4000000000000),
};

int layout_init(struct layout *l, const char *name)
{
	for (unsigned int i = 0; i < (unsigned int)ARRAY_SIZE(maps); i++) {
		const struct map *m = &maps[i];

		if (strcmp(name, m->name))
			continue;
		*l = (struct layout){ .name = m->name,
				      .kind = m->kind,
				      .levels = m->levels,
				      .task_size = m->task_size,
				      .page_offset = m->page_offset,
				      .vmalloc_base = m->vmalloc_base,
				      .vmemmap_base = m->vmemmap_base,
				      /* The same in every map: __START_KERNEL_map,
				       * MODULES_VADDR, VSYSCALL_ADDR. */
				      .kernel_text = UINT64_C(0xffffffff80000000),
				      .modules = UINT64_C(0xffffffffa0000000),
				      .vsyscall = UINT64_C(0xffffffffff600000) };
		for (unsigned int j = 0; j < (unsigned int)ARRAY_SIZE(rows); j++) {
			if (!(rows[j].maps & (1u << m->kind)))
				continue;
			MM_BUG_ON(l->nr_regions == LAYOUT_MAX_REGIONS);
			l->regions[l->nr_regions++] = &rows[j].r;
		}
		return 0;
	}
	return -EINVAL;
}

static void size_text(uint64_t bytes, char *buf, size_t n)
{
	static const char *const unit[] = { "B", "kB", "MB", "GB", "TB", "PB", "EB" };
	unsigned int u = 0;
	double v = (double)bytes;

	while (v >= 1024 && u < 6) {
		v /= 1024;
		u++;
	}
	snprintf(buf, n, v < 10 && v != (double)(uint64_t)v ? "%.2f %s" : "%.0f %s", v, unit[u]);
}

void layout_describe(const struct layout *l, struct strbuf *sb)
{
	static const char *const names[] = { "classic 4-level", "modern 4-level",
					     "5-level (LA57)" };

	strbuf_printf(sb, "x86-64 virtual memory map: %s paging, %u levels\n\n", names[l->kind],
		      l->levels);
	strbuf_printf(sb, "   Start addr     |   End addr       |  Size   | VM area description\n");
	strbuf_printf(sb, "==================|==================|=========|"
			  "=========================================\n");
	for (unsigned int i = 0; i < l->nr_regions; i++) {
		const struct layout_region *r = l->regions[i];
		char size[24];

		size_text(r->end_incl - r->start + 1, size, sizeof(size));
		strbuf_printf(sb, " %016llx | %016llx | %7s | %s\n", (unsigned long long)r->start,
			      (unsigned long long)r->end_incl, size, r->what);
	}
}
