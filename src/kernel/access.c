/*
 * kernel/access.c: one memory access by a task, end to end: context switch if needed,
 * the TLB (and on a miss the page walk), and on a page fault the kernel's fault handler,
 * then the access again, as the CPU re-executes the faulting instruction.
 * Linux: arch/x86/mm/fault.c (exc_page_fault), mm/memory.c (handle_mm_fault).
 */
#include <errno.h>
#include <string.h>

#include "arch/x86_64/physmem.h"
#include "arch/x86_64/tlb.h"
#include "kernel/check.h"
#include "kernel/oom.h"
#include "kernel/system.h"
#include "mm/bug.h"
#include "mm/compaction.h"
#include "mm/fault.h"
#include "mm/filemap.h"
#include "mm/khugepaged.h"
#include "mm/policy.h"
#include "mm/vmscan.h"
#include "mm/vma.h"

/* A handled fault is retried; two more faults on one access would mean a bug (a COW
 * after a zero-page read takes two in a row at most, plus one spurious). */
#define ACCESS_MAX_FAULTS 4

void kernel_update_hiwater(struct mm_struct *mm)
{
	uint64_t rss = mm->rss_anon + mm->rss_shmem + mm->rss_file;

	if (rss > mm->hiwater_rss)
		mm->hiwater_rss = rss;
}

static enum mmsim_signal deliver(struct mmsim_task *t, vaddr_t va, enum mmsim_signal sig)
{
	struct mm_event ev = { .kind = MM_EV_SIGNAL, .pid = t->pid, .va = va, .signal = (int)sig };

	core_event(&t->sys->core, &ev);
	t->last_signal = sig;
	return sig;
}

/* After the CPU finished an access: a policy that sees every access hears of it. */
static inline void accessed(struct mmsim_system *sys, const struct tlb_result *r, uint64_t next_use,
			    bool faulted)
{
	if (sys->core.policy_sees_accesses)
		vmscan_note_access(&sys->core, r->pa, next_use, faulted);
}

/* The slow path: fault handling and the retry. uaccess: a kernel access to user memory
 * (copy_to_user()), whose failure the exception table fixes up: no signal. */
static enum mmsim_signal access_slow(struct mmsim_task *t, vaddr_t va, enum x86_access_kind kind,
				     bool user, struct tlb_result *r, uint64_t next_use,
				     bool uaccess)
{
	struct mmsim_system *sys = t->sys;
	enum mmsim_signal sig = MMSIM_SIG_NONE;

	for (unsigned int handled = 0;;) {
		struct fault_info info;

		/* The exception enters the kernel: with kpti, onto the kernel's CR3. */
		if (user)
			pti_enter_kernel(sys);
		if (r->outcome == X86_WALK_GP) {
			sig = MMSIM_SIG_SEGV_MAPERR;
			break;
		}
		/* Handled, yet the access keeps faulting: a bug. */
		MM_BUG_ON(handled >= ACCESS_MAX_FAULTS);
		core_event(&sys->core, &(struct mm_event){ .kind = MM_EV_PAGE_FAULT,
							   .pid = t->pid,
							   .va = va,
							   .error_code = r->error_code });
		switch (fault_handle_pte(&sys->core, t->mm, va, r->error_code, r->pte_addr,
					 &info)) {
		case FAULT_HANDLED:
			handled++;
			if (info.major)
				t->majflt++;
			else
				t->minflt++;
			kernel_update_hiwater(t->mm);
			break;
		case FAULT_SEGV_MAPERR:
			sig = MMSIM_SIG_SEGV_MAPERR;
			goto out;
		case FAULT_SEGV_ACCERR:
			sig = MMSIM_SIG_SEGV_ACCERR;
			goto out;
		case FAULT_SIGBUS:
			sig = MMSIM_SIG_BUS_ADRERR;
			goto out;
		case FAULT_OOM:
			/* Linux: the OOM killer frees a victim's memory and the fault is retried,
			 * unless the victim is the faulting task. */
			sig = oom_kill(sys, t);
			if (sig != MMSIM_SIG_NONE)
				goto out;
			break;
		}
		/* IRET back to the faulting instruction, on the user CR3 with kpti. */
		if (user)
			pti_exit_to_user(sys);
		tlb_translate(sys->tlb, &sys->cpu, &sys->pm, va, kind, user, r);
		if (r->outcome == X86_WALK_OK) {
			accessed(sys, r, next_use, true);
			break;
		}
	}
out:
	if (user)
		pti_exit_to_user(sys);
	if (sig != MMSIM_SIG_NONE && !(uaccess && sig != MMSIM_SIG_KILLED))
		return deliver(t, va, sig);
	if (sig != MMSIM_SIG_NONE)
		return sig; /* fixup_exception(): the call fails, t gets no signal */
	t->last_signal = MMSIM_SIG_NONE;
	return MMSIM_SIG_NONE;
}

/*
 * kswapd runs once the access is over, data copy included: in Linux it is another thread,
 * and the faulting instruction completes on the page the fault mapped. Running it between
 * the translation and the copy could evict that very page (a policy may pick a page just
 * brought in: random, SIEVE, ARC, S3-FIFO) and the copy would go to a freed frame.
 */
static inline void access_done(struct mmsim_system *sys)
{
	if (sys->core.kswapd_pending)
		vmscan_run_kswapd(&sys->core);
	if (sys->core.kcompactd_order >= 0)
		compaction_run_kcompactd(&sys->core);
	/* khugepaged's next scan is due (UINT64_MAX while it has nothing to scan). */
	if (sys->core.nr_accesses >= sys->core.khugepaged_due)
		khugepaged_run_due(&sys->core);
	/* A write the flusher started is done (UINT64_MAX while none is in flight). */
	if (sys->core.nr_accesses >= sys->core.writeback_due)
		filemap_writeback_run_due(&sys->core);
}

static inline __attribute__((always_inline)) enum mmsim_signal
access_one(struct mmsim_task *t, uint64_t va, enum x86_access_kind kind, bool user,
	   uint64_t next_use, paddr_t *pa_out);

/* kpti: a supervisor access runs in the kernel, on the kernel's CR3, then returns. */
static __attribute__((noinline)) enum mmsim_signal access_kernel(struct mmsim_task *t, uint64_t va,
								 enum x86_access_kind kind,
								 uint64_t next_use, paddr_t *pa_out)
{
	struct mmsim_system *sys = t->sys;
	struct tlb_result r;
	enum mmsim_signal sig = MMSIM_SIG_NONE;

	pti_enter_kernel(sys);
	tlb_translate(sys->tlb, &sys->cpu, &sys->pm, va, kind, false, &r);
	if (r.outcome == X86_WALK_OK) {
		accessed(sys, &r, next_use, false);
		t->last_signal = MMSIM_SIG_NONE;
	} else {
		sig = access_slow(t, va, kind, false, &r, next_use, false);
	}
	*pa_out = r.pa;
	pti_exit_to_user(sys);
	return sig;
}

/* Inlined in each caller: the hit path is this function down to tlb_translate(). */
static inline __attribute__((always_inline)) enum mmsim_signal
access_one(struct mmsim_task *t, uint64_t va, enum x86_access_kind kind, bool user,
	   uint64_t next_use, paddr_t *pa_out)
{
	struct mmsim_system *sys = t->sys;
	struct tlb_result r;
	enum mmsim_signal sig;

	if (!t->alive || !t->mm)
		return MMSIM_SIG_KILLED;
	sys->core.nr_accesses++;
	if (sys->current != t)
		system_switch_to(sys, t);
	if (!user && sys->cfg.kpti)
		return access_kernel(t, va, kind, next_use, pa_out);
	tlb_translate(sys->tlb, &sys->cpu, &sys->pm, va, kind, user, &r);
	if (r.outcome == X86_WALK_OK) {
		/* Explain mode: which TLB served the access (the walk hook tells of misses). */
		if (sys->core.event_cb && r.source != TLB_SRC_WALK)
			core_event(&sys->core,
				   &(struct mm_event){ .kind = MM_EV_TLB_HIT,
						       .pid = t->pid,
						       .va = va,
						       .pfn = X86_PADDR_TO_PFN(r.pa),
						       .level = r.source == TLB_SRC_L2 ? 2 : 1 });
		accessed(sys, &r, next_use, false);
		t->last_signal = MMSIM_SIG_NONE;
		*pa_out = r.pa;
		return MMSIM_SIG_NONE;
	}
	sig = access_slow(t, va, kind, user, &r, next_use, false);
	*pa_out = r.pa;
	return sig;
}

enum mmsim_signal mmsim_access(struct mmsim_task *t, uint64_t va, enum mmsim_access kind, bool user)
{
	paddr_t pa;
	enum mmsim_signal sig =
		access_one(t, va, (enum x86_access_kind)kind, user, UINT64_MAX, &pa);

	access_done(t->sys);
	return sig;
}

enum mmsim_signal mmsim_access_future(struct mmsim_task *t, uint64_t va, enum mmsim_access kind,
				      bool user, uint64_t next_use)
{
	paddr_t pa;
	enum mmsim_signal sig = access_one(t, va, (enum x86_access_kind)kind, user, next_use, &pa);

	access_done(t->sys);
	return sig;
}

/*
 * How many of the next accesses of t may take mmsim_access_batch()'s hit stretch: 0 when
 * the next one must go through access_one() and access_done(). The stretch makes an access
 * as access_one() then access_done() make it when the translation succeeds, leaving out
 * checks whose answer is known for the whole stretch:
 * - t lives, has its mm and is current (access_one()): only a fault's handling can kill a
 *   task (OOM), exit it or switch tasks, and a successful translation handles no fault;
 * - nothing hears of accesses (no event callback, no walk hook: both set together by
 *   mmsim_set_event_hook(); no policy that sees accesses): no code outside arch/ runs
 *   during tlb_translate(), which (the arch layer calling nothing above it) changes only
 *   TLB and paging-structure caches, their counters and the A/D bits of PTEs;
 * - kswapd and kcompactd are not pending (access_done()): they are set only by allocation
 *   and reclaim, under a fault;
 * - khugepaged's and the flusher's due access counts are not reached: the stretch ends
 *   before nr_accesses reaches the earlier of them, so access_done() would not run either.
 * An access whose translation does not succeed leaves the stretch: access_slow(), then
 * access_done(), as access_one() would do them.
 */
static inline size_t hit_stretch(const struct mmsim_system *sys, const struct mmsim_task *t)
{
	const struct mm_core *core = &sys->core;
	uint64_t due = core->khugepaged_due < core->writeback_due ? core->khugepaged_due
								  : core->writeback_due;

	if (!t->alive || !t->mm || sys->current != t || core->event_cb ||
	    core->policy_sees_accesses || core->kswapd_pending || core->kcompactd_order >= 0 ||
	    due <= core->nr_accesses + 1)
		return 0;
	/* After k accesses nr_accesses is nr_accesses + k, which must stay below due. */
	return due - core->nr_accesses - 1 < SIZE_MAX ? (size_t)(due - core->nr_accesses - 1)
						      : SIZE_MAX;
}

/* The loop of both batch calls; next_use NULL: every access "never again". Inlined in each,
 * so the plain batch reads no next-use array. */
static inline __attribute__((always_inline)) size_t
access_batch(struct mmsim_task *t, const uint64_t *va, const enum mmsim_access *kind,
	     const uint64_t *next_use, size_t n, enum mmsim_signal *sig_out)
{
	struct mmsim_system *sys = t->sys;
	enum mmsim_signal sig = MMSIM_SIG_NONE;
	size_t i = 0;

	while (i < n) {
		size_t m = hit_stretch(sys, t);
		struct tlb_result r;

		if (m) {
			size_t end = n - i < m ? n : i + m;

			/* Every access of the stretch ends in MMSIM_SIG_NONE (access_one()). */
			t->last_signal = MMSIM_SIG_NONE;
			for (; i < end; i++) {
				sys->core.nr_accesses++;
				tlb_translate(sys->tlb, &sys->cpu, &sys->pm, va[i],
					      (enum x86_access_kind)kind[i], true, &r);
				if (r.outcome != X86_WALK_OK)
					break;
			}
			if (i == end)
				continue;
			/* Access i did not translate: access_one()'s slow path for it. */
			sig = access_slow(t, va[i], (enum x86_access_kind)kind[i], true, &r,
					  next_use ? next_use[i] : UINT64_MAX, false);
		} else {
			paddr_t pa;

			sig = access_one(t, va[i], (enum x86_access_kind)kind[i], true,
					 next_use ? next_use[i] : UINT64_MAX, &pa);
		}
		access_done(sys);
		i++;
		if (sig != MMSIM_SIG_NONE || !t->alive)
			break;
	}
	*sig_out = sig;
	return i;
}

size_t mmsim_access_batch(struct mmsim_task *t, const uint64_t *va, const enum mmsim_access *kind,
			  size_t n, enum mmsim_signal *sig_out)
{
	return access_batch(t, va, kind, NULL, n, sig_out);
}

size_t mmsim_access_batch_future(struct mmsim_task *t, const uint64_t *va,
				 const enum mmsim_access *kind, const uint64_t *next_use, size_t n,
				 enum mmsim_signal *sig_out)
{
	return access_batch(t, va, kind, next_use, n, sig_out);
}

bool mmsim_needs_future(const struct mmsim_system *sys)
{
	return sys->core.policy && sys->core.policy->ops->needs_future;
}

/* core->next_use: the task of mm, asked through the public hook. */
static uint64_t next_use_of(void *ctx, struct mm_struct *mm, vaddr_t addr)
{
	struct mmsim_system *sys = ctx;

	for (struct mmsim_task *t = sys->tasks; t; t = t->next) {
		if (t->mm == mm)
			return sys->next_use_fn(sys->next_use_ctx, t, addr);
	}
	return UINT64_MAX;
}

void mmsim_set_next_use_hook(struct mmsim_system *sys, mmsim_next_use_fn fn, void *ctx)
{
	sys->next_use_fn = fn;
	sys->next_use_ctx = ctx;
	sys->core.next_use = fn ? next_use_of : NULL;
	sys->core.next_use_ctx = sys;
}

/* Data mode: copies one page's worth at most, through the translation. */
static enum mmsim_signal copy_user(struct mmsim_task *t, uint64_t va, void *buf, size_t len,
				   bool write)
{
	struct mmsim_system *sys = t->sys;
	uint8_t *p = buf;

	while (len) {
		size_t chunk = X86_PAGE_SIZE - (va & (X86_PAGE_SIZE - 1));
		paddr_t pa;
		enum mmsim_signal sig;

		if (chunk > len)
			chunk = len;
		sig = access_one(t, va, write ? X86_ACCESS_WRITE : X86_ACCESS_READ, true,
				 UINT64_MAX, &pa);
		if (sig != MMSIM_SIG_NONE) {
			access_done(sys);
			return sig;
		}
		if (write)
			physmem_write(&sys->pm, pa, p, chunk);
		else
			physmem_read(&sys->pm, pa, p, chunk);
		access_done(sys);
		va += chunk;
		p += chunk;
		len -= chunk;
	}
	return MMSIM_SIG_NONE;
}

/*
 * Linux copy_to_user() (arch/x86 copy_user_generic() between STAC and CLAC; a fault in it
 * goes through do_user_addr_fault() and, if unresolved, fixup_exception()). t is running
 * and in a system call: with kpti the kernel CR3 is loaded already, so no entry is
 * counted per store.
 */
uint64_t kernel_copy_to_user(struct mmsim_task *t, vaddr_t va, const void *src, uint64_t len)
{
	struct mmsim_system *sys = t->sys;
	const uint8_t *p = src;
	bool ac = sys->cpu.ac;

	sys->cpu.ac = true; /* STAC */
	while (len && t->alive && t->mm) {
		uint64_t chunk = X86_PAGE_SIZE - (va & (X86_PAGE_SIZE - 1));
		enum mmsim_signal sig = MMSIM_SIG_NONE;
		struct tlb_result r;

		if (chunk > len)
			chunk = len;
		sys->core.nr_accesses++;
		tlb_translate(sys->tlb, &sys->cpu, &sys->pm, va, X86_ACCESS_WRITE, false, &r);
		if (r.outcome == X86_WALK_OK)
			accessed(sys, &r, UINT64_MAX, false);
		else
			sig = access_slow(t, va, X86_ACCESS_WRITE, false, &r, UINT64_MAX, true);
		if (sig == MMSIM_SIG_NONE && p)
			physmem_write(&sys->pm, r.pa, p, (size_t)chunk);
		access_done(sys);
		if (sig != MMSIM_SIG_NONE)
			break;
		va += chunk;
		p = p ? p + chunk : NULL;
		len -= chunk;
	}
	sys->cpu.ac = ac; /* CLAC */
	return len;
}

enum mmsim_signal mmsim_read(struct mmsim_task *t, uint64_t va, void *dst, size_t len)
{
	return copy_user(t, va, dst, len, false);
}

enum mmsim_signal mmsim_write(struct mmsim_task *t, uint64_t va, const void *src, size_t len)
{
	return copy_user(t, va, (void *)src, len, true);
}

int mmsim_sleep(struct mmsim_system *sys, uint64_t ms)
{
	if (ms > MMSIM_SLEEP_MAX_MS)
		return -EINVAL;
	khugepaged_sleep(&sys->core, ms);
	sys->core.slept_ns += ms * 1000000u;
	filemap_writeback_run_due(&sys->core);
	kernel_paranoid_check(sys);
	return 0;
}

uint64_t mmsim_compact_memory(struct mmsim_system *sys)
{
	uint64_t migrated = compaction_node(&sys->core);

	kernel_paranoid_check(sys);
	return migrated;
}
