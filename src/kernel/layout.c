/*
 * kernel/layout.c: the three x86-64 virtual memory maps (see layout.h). Addresses and sizes
 * are those of Linux's Documentation/arch/x86/x86_64/mm.rst (and mm.txt of 4.x for classic).
 */
#include "kernel/layout.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "util/strbuf.h"
#include "util/macros.h"

#define R(s, e, w)                          \
	{                                   \
		UINT64_C(s), UINT64_C(e), w \
	}

static const struct layout_region classic_regions[] = {
	R(0x0000000000000000, 0x00007fffffffffff, "user space, different per mm"),
	R(0x0000800000000000, 0xffff7fffffffffff, "hole caused by [47:63] sign extension"),
	R(0xffff800000000000, 0xffff87ffffffffff, "guard hole, reserved for hypervisor"),
	R(0xffff880000000000, 0xffffc7ffffffffff, "direct mapping of all phys. memory"),
	R(0xffffc80000000000, 0xffffc8ffffffffff, "hole"),
	R(0xffffc90000000000, 0xffffe8ffffffffff, "vmalloc/ioremap space"),
	R(0xffffe90000000000, 0xffffe9ffffffffff, "hole"),
	R(0xffffea0000000000, 0xffffeaffffffffff, "virtual memory map (vmemmap)"),
	R(0xffffeb0000000000, 0xffffebffffffffff, "unused hole"),
	R(0xffffec0000000000, 0xfffffbffffffffff, "kasan shadow memory"),
	R(0xfffffc0000000000, 0xfffffeffffffffff, "unused hole"),
	R(0xffffff0000000000, 0xffffff7fffffffff, "%esp fixup stacks"),
	R(0xffffff8000000000, 0xffffffeeffffffff, "unused hole"),
	R(0xffffffef00000000, 0xfffffffeffffffff, "EFI region mapping space"),
	R(0xffffffff00000000, 0xffffffff7fffffff, "unused hole"),
	R(0xffffffff80000000, 0xffffffff9fffffff, "kernel text mapping, from phys 0"),
	R(0xffffffffa0000000, 0xffffffffff5fffff, "module mapping space"),
	R(0xffffffffff600000, 0xffffffffff600fff, "legacy vsyscall ABI"),
	R(0xffffffffffe00000, 0xffffffffffffffff, "unused hole"),
};

static const struct layout_region modern_regions[] = {
	R(0x0000000000000000, 0x00007fffffffefff, "user-space virtual memory, different per mm"),
	R(0x00007ffffffff000, 0x00007fffffffffff, "guard page below the non-canonical hole"),
	R(0x0000800000000000, 0xffff7fffffffffff, "non-canonical hole"),
	R(0xffff800000000000, 0xffff87ffffffffff, "guard hole, also reserved for hypervisor"),
	R(0xffff880000000000, 0xffff887fffffffff, "LDT remap for PTI"),
	R(0xffff888000000000, 0xffffc87fffffffff,
	  "direct mapping of all physical memory "
	  "(page_offset_base)"),
	R(0xffffc88000000000, 0xffffc8ffffffffff, "unused hole"),
	R(0xffffc90000000000, 0xffffe8ffffffffff, "vmalloc/ioremap space (vmalloc_base)"),
	R(0xffffe90000000000, 0xffffe9ffffffffff, "unused hole"),
	R(0xffffea0000000000, 0xffffeaffffffffff, "virtual memory map (vmemmap_base)"),
	R(0xffffeb0000000000, 0xffffebffffffffff, "unused hole"),
	R(0xffffec0000000000, 0xfffffbffffffffff, "KASAN shadow memory"),
	R(0xfffffc0000000000, 0xfffffdffffffffff, "unused hole (vaddr_end for KASLR)"),
	R(0xfffffe0000000000, 0xfffffe7fffffffff, "cpu_entry_area mapping"),
	R(0xfffffe8000000000, 0xfffffeffffffffff, "unused hole"),
	R(0xffffff0000000000, 0xffffff7fffffffff, "%esp fixup stacks"),
	R(0xffffff8000000000, 0xffffffeeffffffff, "unused hole"),
	R(0xffffffef00000000, 0xfffffffeffffffff, "EFI region mapping space"),
	R(0xffffffff00000000, 0xffffffff7fffffff, "unused hole"),
	R(0xffffffff80000000, 0xffffffff9fffffff,
	  "kernel text mapping, mapped to physical "
	  "address 0"),
	R(0xffffffffa0000000, 0xfffffffffeffffff, "module mapping space"),
	R(0xffffffffff000000, 0xffffffffff5fffff, "kernel-internal fixmap range"),
	R(0xffffffffff600000, 0xffffffffff600fff, "legacy vsyscall ABI"),
	R(0xffffffffffe00000, 0xffffffffffffffff, "unused hole"),
};

static const struct layout_region la57_regions[] = {
	R(0x0000000000000000, 0x00fffffffffff000 - 1,
	  "user-space virtual memory, different per "
	  "mm"),
	R(0x00fffffffffff000, 0x00ffffffffffffff, "guard page below the non-canonical hole"),
	R(0x0100000000000000, 0xfeffffffffffffff, "non-canonical hole"),
	R(0xff00000000000000, 0xff0fffffffffffff, "guard hole, also reserved for hypervisor"),
	R(0xff10000000000000, 0xff10ffffffffffff, "LDT remap for PTI"),
	R(0xff11000000000000, 0xff90ffffffffffff,
	  "direct mapping of all physical memory "
	  "(page_offset_base)"),
	R(0xff91000000000000, 0xff9fffffffffffff, "unused hole"),
	R(0xffa0000000000000, 0xffd1ffffffffffff, "vmalloc/ioremap space (vmalloc_base)"),
	R(0xffd2000000000000, 0xffd3ffffffffffff, "unused hole"),
	R(0xffd4000000000000, 0xffd5ffffffffffff, "virtual memory map (vmemmap_base)"),
	R(0xffd6000000000000, 0xffdeffffffffffff, "unused hole"),
	R(0xffdf000000000000, 0xfffffbffffffffff, "KASAN shadow memory"),
	R(0xfffffc0000000000, 0xfffffdffffffffff, "unused hole (vaddr_end for KASLR)"),
	R(0xfffffe0000000000, 0xfffffe7fffffffff, "cpu_entry_area mapping"),
	R(0xfffffe8000000000, 0xfffffeffffffffff, "unused hole"),
	R(0xffffff0000000000, 0xffffff7fffffffff, "%esp fixup stacks"),
	R(0xffffff8000000000, 0xffffffeeffffffff, "unused hole"),
	R(0xffffffef00000000, 0xfffffffeffffffff, "EFI region mapping space"),
	R(0xffffffff00000000, 0xffffffff7fffffff, "unused hole"),
	R(0xffffffff80000000, 0xffffffff9fffffff,
	  "kernel text mapping, mapped to physical "
	  "address 0"),
	R(0xffffffffa0000000, 0xfffffffffeffffff, "module mapping space"),
	R(0xffffffffff000000, 0xffffffffff5fffff, "kernel-internal fixmap range"),
	R(0xffffffffff600000, 0xffffffffff600fff, "legacy vsyscall ABI"),
	R(0xffffffffffe00000, 0xffffffffffffffff, "unused hole"),
};

/* The three maps; what differs from one to the other is here and in the region tables. */
static const struct layout layouts[] = {
	{
		.name = "classic",
		.kind = LAYOUT_CLASSIC,
		.levels = 4,
		.task_size = UINT64_C(0x00007ffffffff000),
		.page_offset = UINT64_C(0xffff880000000000),
		.vmalloc_base = UINT64_C(0xffffc90000000000),
		.vmemmap_base = UINT64_C(0xffffea0000000000),
		.regions = classic_regions,
		.nr_regions = (unsigned int)ARRAY_SIZE(classic_regions),
	},
	{
		.name = "modern",
		.kind = LAYOUT_MODERN,
		.levels = 4,
		.task_size = UINT64_C(0x00007ffffffff000),
		.page_offset = UINT64_C(0xffff888000000000),
		.vmalloc_base = UINT64_C(0xffffc90000000000),
		.vmemmap_base = UINT64_C(0xffffea0000000000),
		.regions = modern_regions,
		.nr_regions = (unsigned int)ARRAY_SIZE(modern_regions),
	},
	{
		.name = "la57",
		.kind = LAYOUT_LA57,
		.levels = 5,
		.task_size = UINT64_C(0x00fffffffffff000),
		.page_offset = UINT64_C(0xff11000000000000),
		.vmalloc_base = UINT64_C(0xffa0000000000000),
		.vmemmap_base = UINT64_C(0xffd4000000000000),
		.regions = la57_regions,
		.nr_regions = (unsigned int)ARRAY_SIZE(la57_regions),
	},
};

int layout_init(struct layout *l, const char *name)
{
	for (unsigned int i = 0; i < (unsigned int)ARRAY_SIZE(layouts); i++) {
		if (strcmp(name, layouts[i].name))
			continue;
		*l = layouts[i];
		/* The same in every map: __START_KERNEL_map, MODULES_VADDR, VSYSCALL_ADDR. */
		l->kernel_text = UINT64_C(0xffffffff80000000);
		l->modules = UINT64_C(0xffffffffa0000000);
		l->vsyscall = UINT64_C(0xffffffffff600000);
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
		const struct layout_region *r = &l->regions[i];
		char size[24];

		size_text(r->end_incl - r->start + 1, size, sizeof(size));
		strbuf_printf(sb, " %016llx | %016llx | %7s | %s\n", (unsigned long long)r->start,
			      (unsigned long long)r->end_incl, size, r->what);
	}
}
