/*
 * tests/unit/kernel/test_pti.c: page-table isolation (kernel/pti.c, kpti=on), checked
 * against what Linux does (arch/x86/mm/pti.c, arch/x86/entry/calling.h, tlbflush.h): the
 * order-1 PGD with the user PGD 4 KiB up, the mirrored user half with XD in the kernel's
 * copy, the PCID pair (user = kernel | 0x800), CR3 switches at faults and system calls, and
 * what they cost in the TLB with and without PCID.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>

#include "arch/x86_64/cr.h"
#include "arch/x86_64/physmem.h"
#include "arch/x86_64/pte.h"
#include "kernel/system.h"
#include "mmsim/explore.h"
#include "mmsim/mmsim.h"

#define PAGE 4096u
#define RW (MMSIM_PROT_READ | MMSIM_PROT_WRITE)
#define PRIV (MMSIM_MAP_PRIVATE | MMSIM_MAP_ANONYMOUS)

static struct mmsim_system *boot(bool kpti, bool pcid)
{
	struct mmsim_config c;
	struct mmsim_system *s;
	struct mmsim_error e = { 0 };

	mmsim_config_default(&c);
	c.kpti = kpti ? MMSIM_KPTI_ON : MMSIM_KPTI_OFF;
	c.pcid = pcid;
	c.data_mode = true;
	c.paranoid = true;
	cr_assert_eq(mmsim_system_create(&c, &s, &e), 0, "%s", e.msg);
	return s;
}

static uint64_t counter(struct mmsim_system *s, const char *name)
{
	uint64_t v = 0;

	cr_assert_eq(mmsim_counter(s, name, &v), 0, "%s", name);
	return v;
}

/* The top-level entry for va in the table at pgd. */
static uint64_t top_entry(struct mmsim_system *s, paddr_t pgd, uint64_t va)
{
	return physmem_read64(&s->pm, pgd + 8 * x86_pt_index(va, s->cpu.levels));
}

Test(pti, user_pgd_mirrors_the_user_half_and_the_kernel_copy_gets_xd)
{
	struct mmsim_system *s = boot(true, true);
	struct mmsim_task *p;
	uint64_t a, k, u;

	cr_assert_eq(mmsim_task_spawn(s, &p), 0);
	cr_assert_eq(p->mm->pgd & (2 * PAGE - 1), 0, "an order-1 block: 8 KiB aligned");
	/* At 16 TiB: a top-level slot of its own (the stack shares the one below 128 TiB). */
	cr_assert_eq(mmsim_mmap(p, UINT64_C(1) << 44, PAGE, RW, PRIV | MMSIM_MAP_FIXED, &a), 0);
	cr_assert_eq(mmsim_access(p, a, MMSIM_ACCESS_WRITE, true), MMSIM_SIG_NONE);
	k = top_entry(s, p->mm->pgd, a);
	u = top_entry(s, p->mm->pgd + PAGE, a);
	cr_assert(x86_pte_present(k) && x86_pte_present(u));
	cr_assert_eq(x86_pte_addr(k, 46), x86_pte_addr(u, 46), "the same next-level table");
	cr_assert(x86_pte_xd(k), "pti_set_user_pgtbl(): the kernel's copy is XD");
	cr_assert_not(x86_pte_xd(u));
	/* Nothing of the kernel half is in the user PGD (mmsim: no entry trampoline). */
	cr_assert_eq(top_entry(s, p->mm->pgd + PAGE, s->layout.page_offset), 0);
	cr_assert_neq(top_entry(s, p->mm->pgd, s->layout.page_offset), 0);
	/* The whole mapping goes: both copies of the entry are cleared with the tables. */
	cr_assert_eq(mmsim_munmap(p, a, PAGE), 0);
	cr_assert_eq(top_entry(s, p->mm->pgd, a), 0);
	cr_assert_eq(top_entry(s, p->mm->pgd + PAGE, a), 0);
	mmsim_system_destroy(s);
}

Test(pti, user_mode_runs_on_the_user_pgd_and_the_user_pcid)
{
	struct mmsim_system *s = boot(true, true);
	struct mmsim_task *p;
	uint64_t a, entries;

	cr_assert_eq(mmsim_task_spawn(s, &p), 0);
	cr_assert_eq(mmsim_mmap(p, 0, 2 * PAGE, RW, PRIV, &a), 0);
	entries = counter(s, "kpti_entries");
	cr_assert_eq(mmsim_access(p, a, MMSIM_ACCESS_READ, true), MMSIM_SIG_NONE);
	/* One page fault: one entry, and back to user mode. */
	cr_assert_eq(counter(s, "kpti_entries"), entries + 1);
	cr_assert_eq(x86_cr3_root(&s->cpu), p->mm->pgd + PAGE, "the user PGD");
	cr_assert_eq(x86_cr3_pcid(&s->cpu), p->mm->pcid | 0x800, "user_pcid() = kern | 0x800");
	cr_assert_lt(p->mm->pcid, 0x800);
	/* A hit enters nothing; a system call of the running task enters once. */
	cr_assert_eq(mmsim_access(p, a, MMSIM_ACCESS_READ, true), MMSIM_SIG_NONE);
	cr_assert_eq(counter(s, "kpti_entries"), entries + 1);
	cr_assert_eq(mmsim_mprotect(p, a, PAGE, MMSIM_PROT_READ), 0);
	cr_assert_eq(counter(s, "kpti_entries"), entries + 2);
	cr_assert_eq(x86_cr3_pcid(&s->cpu), p->mm->pcid | 0x800, "back in user mode");
	mmsim_system_destroy(s);
}

Test(pti, a_user_walk_does_not_see_the_kernel)
{
	struct mmsim_system *on = boot(true, true), *off = boot(false, true);
	struct mmsim_task *p, *q;
	struct mmsim_translation t;
	uint64_t kva;

	cr_assert_eq(mmsim_task_spawn(on, &p), 0);
	cr_assert_eq(mmsim_task_spawn(off, &q), 0);
	kva = on->layout.page_offset;
	/* Without isolation the direct map is there, supervisor-only: a protection fault. */
	cr_assert_eq(mmsim_task_walk(q, kva, MMSIM_ACCESS_READ, &t), 0);
	cr_assert_eq(t.fault, MMSIM_FAULT_PF);
	cr_assert(t.error_code & MMSIM_PFEC_P);
	/* With it the user PGD has no kernel half: not present (Meltdown has nothing to read). */
	cr_assert_eq(mmsim_task_walk(p, kva, MMSIM_ACCESS_READ, &t), 0);
	cr_assert_eq(t.fault, MMSIM_FAULT_PF);
	cr_assert_not(t.error_code & MMSIM_PFEC_P);
	/* The kernel itself still reaches it, on its own CR3. */
	cr_assert_eq(mmsim_access(p, kva, MMSIM_ACCESS_READ, false), MMSIM_SIG_NONE);
	cr_assert_eq(x86_cr3_root(&on->cpu), p->mm->pgd + PAGE, "returned to user mode");
	mmsim_system_destroy(on);
	mmsim_system_destroy(off);
}

/*
 * What isolation costs in the TLB: after a page fault on page B, is page A (cached before)
 * still a hit? Without PCID the CR3 writes of the entry and the exit flush it; with PCID
 * (CR3 bit 63) they do not, with or without kpti.
 */
static bool fault_keeps_a(bool kpti, bool pcid)
{
	struct mmsim_system *s = boot(kpti, pcid);
	struct mmsim_task *p;
	uint64_t a, walks;
	bool kept;

	cr_assert_eq(mmsim_task_spawn(s, &p), 0);
	cr_assert_eq(mmsim_mmap(p, 0, 2 * PAGE, RW, PRIV, &a), 0);
	cr_assert_eq(mmsim_access(p, a, MMSIM_ACCESS_WRITE, true), MMSIM_SIG_NONE);
	cr_assert_eq(mmsim_access(p, a + PAGE, MMSIM_ACCESS_WRITE, true), MMSIM_SIG_NONE);
	walks = counter(s, "page_walks");
	cr_assert_eq(mmsim_access(p, a, MMSIM_ACCESS_READ, true), MMSIM_SIG_NONE);
	kept = counter(s, "page_walks") == walks;
	mmsim_system_destroy(s);
	return kept;
}

Test(pti, without_pcid_every_kernel_entry_flushes_the_user_tlb)
{
	cr_assert(fault_keeps_a(false, false), "no kpti: a fault writes no CR3");
	cr_assert(fault_keeps_a(false, true));
	cr_assert(fault_keeps_a(true, true), "kpti with PCID: entry and exit keep the TLB");
	cr_assert_not(fault_keeps_a(true, false), "kpti without PCID: the exit flushed A");
}

Test(pti, a_whole_mm_flush_of_the_user_pcid_waits_for_the_return_to_user_mode)
{
	struct mmsim_system *s = boot(true, true);
	struct mmsim_task *p, *c;
	struct mmsim_task_stats st;
	uint64_t a, flushes;

	cr_assert_eq(mmsim_task_spawn(s, &p), 0);
	cr_assert_eq(mmsim_mmap(p, 0, PAGE, RW, PRIV, &a), 0);
	cr_assert_eq(mmsim_write(p, a, "x", 1), MMSIM_SIG_NONE);
	flushes = counter(s, "tlb_flush_cr3");
	/* fork write-protects the parent: flush_tlb_mm() inside the call, then the exit. */
	cr_assert_eq(mmsim_task_fork(p, &c), 0);
	cr_assert_not(p->mm->pti_user_flush_pending, "consumed at the return");
	cr_assert_eq(counter(s, "tlb_flush_cr3"), flushes + 1,
		     "SWITCH_TO_USER_CR3 without NOFLUSH: one flushing CR3 write");
	/* The parent's next write must fault (COW), not hit a stale writable entry. */
	cr_assert_eq(mmsim_write(p, a, "y", 1), MMSIM_SIG_NONE);
	mmsim_task_stats(p, &st);
	cr_assert_eq(st.minflt, 2, "the demand-zero fault, then the COW fault");
	mmsim_system_destroy(s);
}

Test(pti, pcids_stay_below_0x800)
{
	struct mmsim_system *s = boot(true, true);
	struct mmsim_task *t = NULL;

	for (unsigned int i = 1; i <= 0x7ff; i++) {
		cr_assert_eq(mmsim_task_spawn(s, &t), 0);
		cr_assert_eq(t->pcid, i);
		mmsim_task_exit(t);
	}
	cr_assert_eq(mmsim_task_spawn(s, &t), 0);
	cr_assert_eq(t->pcid, 1, "kern_pcid() wraps before the user bit");
	mmsim_system_destroy(s);
}

/*
 * The library trap of the bool pair (kpti, kpti_auto) is gone: a user who sets kpti by hand
 * gets what was set, whatever the TLB preset; MMSIM_KPTI_AUTO follows the preset's CPU
 * (skylake has Meltdown, zen4 does not); a value outside the enum is refused at boot.
 */
Test(pti, kpti_set_by_hand_is_kept_and_auto_follows_the_cpu)
{
	static const struct {
		enum mmsim_kpti set;
		const char *tlb;
		enum mmsim_kpti want;
	} cases[] = {
		{ MMSIM_KPTI_OFF, "skylake", MMSIM_KPTI_OFF },
		{ MMSIM_KPTI_ON, "zen4", MMSIM_KPTI_ON },
		{ MMSIM_KPTI_AUTO, "skylake", MMSIM_KPTI_ON },
		{ MMSIM_KPTI_AUTO, "zen4", MMSIM_KPTI_OFF },
	};
	struct mmsim_config c, got;
	struct mmsim_system *s;
	struct mmsim_error e = { 0 };

	mmsim_config_default(&c);
	cr_expect_eq(c.kpti, MMSIM_KPTI_AUTO);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		mmsim_config_default(&c);
		c.kpti = cases[i].set;
		cr_assert_eq(mmsim_config_set(&c, "tlb", cases[i].tlb, &e), 0, "%s", e.msg);
		cr_assert_eq(mmsim_system_create(&c, &s, &e), 0, "%s", e.msg);
		mmsim_system_config(s, &got);
		cr_expect_eq(got.kpti, cases[i].want, "case %zu", i);
		mmsim_system_destroy(s);
	}
	mmsim_config_default(&c);
	c.kpti = (enum mmsim_kpti)7;
	cr_expect_eq(mmsim_system_create(&c, &s, &e), -EINVAL);
	cr_expect(strstr(e.msg, "kpti=7") != NULL, "%s", e.msg);
}
