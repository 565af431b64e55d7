/*
 * tests/unit/mm/test_vma.c: VMAs of one address space: sorted insertion, merging with
 * compatible neighbours (Linux vma_merge()), splitting, lookups, the top-down search for
 * free space below mmap_base with the stack guard gap, and the checker catching breakage.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>

#include "mm/check.h"
#include "mm/slab.h"
#include "mm/vma.h"
#include "mm_test_machine.h"

#define P 4096u
#define RW (VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC)

struct fix {
	struct test_machine m;
	struct vma_alloc alloc;
	struct mm_struct mm;
};

static void setup(struct fix *f)
{
	test_boot(&f->m, 64 * MIB);
	cr_assert_eq(slab_cache_create(f->m.pgdat, "vm_area_struct", sizeof(struct vma), 8, 0,
				       &f->alloc.vma_cache),
		     0);
	vma_mm_init(&f->mm, &f->alloc);
	f->mm.task_size = UINT64_C(0x7ffffffff000);
	f->mm.mmap_base = UINT64_C(0x7ffff7fff000);
}

static struct vma *insert(struct fix *f, vaddr_t start, vaddr_t end, uint32_t flags)
{
	struct vma *v = vma_insert(&f->mm, start, end, flags, start / P, NULL);

	cr_assert_not_null(v);
	f->mm.total_vm += (end - start) / P;
	return v;
}

static void check(struct fix *f)
{
	struct check_report why;

	check_report_clear(&why);
	cr_assert(vma_check(&f->mm, &why), "vma_check: %s", why.reason);
}

Test(vma, adjacent_compatible_mappings_merge)
{
	struct fix f;

	setup(&f);
	insert(&f, 0x10000, 0x20000, RW);
	insert(&f, 0x20000, 0x30000, RW);
	cr_assert_eq(f.mm.nr_vmas, 1, "extends the neighbour");
	insert(&f, 0x40000, 0x50000, RW);
	cr_assert_eq(f.mm.nr_vmas, 2);
	insert(&f, 0x30000, 0x40000, RW);
	cr_assert_eq(f.mm.nr_vmas, 1, "filling the hole joins all three");
	cr_assert_eq(vma_find(&f.mm, 0x4ffff)->start, 0x10000);
	check(&f);
	vma_mm_fini(&f.mm);
	test_shutdown(&f.m);
}

Test(vma, different_rights_do_not_merge)
{
	struct fix f;

	setup(&f);
	insert(&f, 0x10000, 0x20000, RW);
	insert(&f, 0x20000, 0x30000, VM_READ | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC);
	cr_assert_eq(f.mm.nr_vmas, 2);
	check(&f);
	vma_mm_fini(&f.mm);
	test_shutdown(&f.m);
}

Test(vma, split_and_lookups)
{
	struct fix f;
	struct vma *v, *hi;

	setup(&f);
	v = insert(&f, 0x10000, 0x30000, RW);
	hi = vma_split(&f.mm, v, 0x18000);
	cr_assert_not_null(hi);
	cr_assert_eq(v->end, 0x18000);
	cr_assert_eq(hi->start, 0x18000);
	cr_assert_eq(hi->pgoff, 0x18000 / P, "the upper part keeps its page offsets");
	cr_assert_eq(vma_find(&f.mm, 0x17fff), v);
	cr_assert_eq(vma_find(&f.mm, 0x18000), hi);
	cr_assert_null(vma_find(&f.mm, 0x30000));
	cr_assert_eq(vma_find_above(&f.mm, 0x5000), v);
	cr_assert(vma_range_free(&f.mm, 0x30000, 0x40000));
	cr_assert_not(vma_range_free(&f.mm, 0x2f000, 0x40000));
	check(&f);
	cr_assert(vma_try_merge_next(&f.mm, v), "the halves are compatible again");
	cr_assert_eq(f.mm.nr_vmas, 1);
	check(&f);
	vma_mm_fini(&f.mm);
	test_shutdown(&f.m);
}

Test(vma, unmapped_area_is_top_down_below_mmap_base)
{
	struct fix f;
	vaddr_t a, b;

	setup(&f);
	cr_assert_eq(vma_get_unmapped_area(&f.mm, 16 * P, &a), 0);
	cr_assert_eq(a, f.mm.mmap_base - 16 * P);
	insert(&f, a, a + 16 * P, RW);
	cr_assert_eq(vma_get_unmapped_area(&f.mm, 4 * P, &b), 0);
	cr_assert_eq(b, a - 4 * P, "just below the previous mapping");
	cr_assert_eq(vma_get_unmapped_area(&f.mm, f.mm.task_size * 2, &b), -ENOMEM);
	vma_mm_fini(&f.mm);
	test_shutdown(&f.m);
}

Test(vma, the_stack_guard_gap_is_kept)
{
	struct fix f;
	vaddr_t a;
	vaddr_t top = 0x20000000;

	setup(&f);
	f.mm.mmap_base = top;
	insert(&f, top - 32 * P, top, RW | VM_GROWSDOWN);
	/* Linux vm_start_gap(): the 256 pages below a VM_GROWSDOWN VMA stay free. */
	cr_assert_eq(vma_get_unmapped_area(&f.mm, P, &a), 0);
	cr_assert_eq(a, top - 32 * P - 256 * P - P);
	/* A base above the stack: the gap between the stack's end and the base is a gap like
	 * any other (the guard is below a VM_GROWSDOWN VMA only). */
	f.mm.mmap_base = top + 0x100000;
	cr_assert_eq(vma_get_unmapped_area(&f.mm, P, &a), 0);
	cr_assert_eq(a, top + 0x100000 - P);
	vma_mm_fini(&f.mm);
	test_shutdown(&f.m);
}

Test(vma, the_gap_right_below_mmap_base_comes_first)
{
	struct fix f;
	vaddr_t a;

	setup(&f);
	/* A heap far below the base, and a MAP_FIXED region a little below it: Linux's
	 * unmapped_area_topdown() takes the highest gap, the one ending at mmap_base. */
	insert(&f, 0x555555559000, 0x555555559000 + 16 * P, RW);
	insert(&f, f.mm.mmap_base - 64 * P, f.mm.mmap_base - 32 * P, RW);
	cr_assert_eq(vma_get_unmapped_area(&f.mm, 8 * P, &a), 0);
	cr_assert_eq(a, f.mm.mmap_base - 8 * P);
	/* Too big for that gap: the next one down, ending at the fixed region's start. */
	cr_assert_eq(vma_get_unmapped_area(&f.mm, 40 * P, &a), 0);
	cr_assert_eq(a, f.mm.mmap_base - 64 * P - 40 * P);
	/* Nothing below mmap_min_addr (64 KiB): a gap from 64 KiB up to the heap is all
	 * there is for a mapping as big as that. */
	cr_assert_eq(vma_get_unmapped_area(&f.mm, 0x555555559000 - 0x10000, &a), 0);
	cr_assert_eq(a, 0x10000);
	cr_assert_eq(vma_get_unmapped_area(&f.mm, 0x555555559000 - 0x10000 + P, &a), -ENOMEM);
	vma_mm_fini(&f.mm);
	test_shutdown(&f.m);
}

Test(vma, checker_catches_a_wrong_count)
{
	struct fix f;
	struct check_report why;

	setup(&f);
	insert(&f, 0x10000, 0x20000, RW);
	f.mm.total_vm++;
	check_report_clear(&why);
	cr_assert_not(vma_check(&f.mm, &why));
	cr_assert(strstr(why.reason, "total_vm") != NULL, "%s", why.reason);
	vma_mm_fini(&f.mm);
	test_shutdown(&f.m);
}
