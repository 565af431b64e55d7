/*
 * kernel/system.h: one booted machine (struct mmsim_system) and its tasks.
 *
 * The system owns everything: simulated RAM, the node (zones, buddy, memmap, counters),
 * slab caches, the CPU's control state and TLB, the kernel's page tables, and the tasks.
 * mm/ sees the machine through the struct mm_core embedded here.
 * The kernel's own modules and src/api/ include this; it includes only lower layers and
 * mmsim/mmsim.h, whose system calls the kernel implements. Invariant checks are in
 * kernel/check.h, the OOM killer in kernel/oom.h.
 */
#ifndef MMSIM_KERNEL_SYSTEM_H
#define MMSIM_KERNEL_SYSTEM_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/x86_64/cr.h"
#include "arch/x86_64/physmem.h"
#include "kernel/layout.h"
#include "mm/core.h"
#include "mm/vma.h"
#include "mmsim/mmsim.h"

struct pgdat;
struct slab_cache;
struct tlb;

struct mmsim_task {
	int pid;
	int ppid;    /* the forking task's pid; 0 for a spawned task (no parent in the machine) */
	int sid;     /* session and process group: own pid when spawned, the parent's when forked */
	bool exited; /* exit()ed, not yet reaped: a zombie without an mm (in sid's padding) */
	struct mmsim_system *sys;
	struct mm_struct *mm;	 /* NULL once exited */
	uint64_t minflt, majflt; /* getrusage() counts, since spawn or fork */
	bool alive;		 /* false once killed by the OOM killer */
	uint8_t last_signal;	 /* enum mmsim_signal: result of the last access */
	uint16_t pcid;		 /* with CR4.PCIDE: this task's PCID */
	uint32_t maxrss_pages;	 /* peak RSS, kept when the mm goes (Linux: signal->maxrss) */
	struct mmsim_task *next; /* all tasks, in pid order */
	struct mmsim_task *prev;
};

struct mmsim_system {
	struct mmsim_config cfg;
	struct physmem pm;
	struct pgdat *pgdat;
	struct x86_cpu cpu;
	struct tlb *tlb;     /* NULL with tlb=off */
	struct mm_core core; /* mm's view of all this */
	struct vma_alloc vma_alloc;
	struct slab_cache *task_cache; /* struct mmsim_task */
	struct slab_cache *mm_cache;   /* struct mm_struct */
	struct layout layout;
	paddr_t kernel_pgd;	    /* init_mm's top-level table; its upper half is shared */
	uint64_t direct_pages[3];   /* direct-map leaves by size: 4 KiB, 2 MiB, 1 GiB (Linux
				     * direct_pages_count[], /proc/meminfo DirectMap*) */
	struct mmsim_task *tasks;   /* list head, pid order */
	struct mmsim_task *current; /* whose CR3 is loaded; NULL before the first switch */
	int next_pid;
	uint16_t next_pcid;
	uint64_t context_switches;
	uint64_t kpti_entries; /* kpti: kernel entries from user mode (faults, system calls) */
	mmsim_next_use_fn next_use_fn; /* mmsim_set_next_use_hook(); NULL: none */
	void *next_use_ctx;
	mmsim_event_cb event_cb; /* explain mode */
	void *event_ctx;
};

/* Loads t's address space on the CPU (CR3 write with its PCID, TLB consequences). */
void system_switch_to(struct mmsim_system *sys, struct mmsim_task *t);

/* A task around mm (which it takes), with the next pid and a PCID. 0 or -ENOMEM. */
int task_create(struct mmsim_system *sys, struct mm_struct *mm, struct mmsim_task **out);

/* Frees an mm: every VMA, page and table. */
void system_mm_destroy(struct mmsim_system *sys, struct mm_struct *mm);
/* The machine goes as a whole (mmsim_system_destroy()): frees what the tasks hold in host
 * memory, nothing else, and empties the task list. */
void system_release_tasks(struct mmsim_system *sys);

/* madvise(MADV_PAGEOUT) over [addr, end) of t, at most max_pages (kernel/mmap.c). */
int kernel_pageout(struct mmsim_task *t, uint64_t addr, uint64_t end, uint64_t max_pages,
		   uint64_t *done);

/* Updates mm's peak RSS (VmHWM). */
void kernel_update_hiwater(struct mm_struct *mm);

/*
 * Linux copy_to_user() by task t in a system call (kernel/access.c): stores to user
 * memory at va made in supervisor mode with RFLAGS.AC set (STAC ... CLAC, so SMAP lets
 * them through), each translated and faulted in like any access (faults count for t). A
 * fault the handler cannot resolve (no VMA, no write right, SIGBUS) ends the copy with no
 * signal: the exception table's fixup makes the call return what it copied. src NULL
 * (metadata mode): the stores are made, no bytes move. Returns the bytes not copied.
 */
uint64_t kernel_copy_to_user(struct mmsim_task *t, vaddr_t va, const void *src, uint64_t len);

/* A new mm with the kernel half of the top-level table. 0 or -ENOMEM. */
int system_mm_create(struct mmsim_system *sys, struct mm_struct **out);
/* core->for_each_mm: every live task's mm, in pid order (kernel/task.c). */
void system_for_each_mm(struct mm_core *core, core_mm_fn fn, void *arg);

/*
 * Page-table isolation (kernel/pti.c; each a no-op with kpti=off unless said otherwise).
 * pti_pgd_alloc/free: an mm's PGD, order 1 with kpti (kernel PGD, then the user PGD), a
 * table page without. pti_user_cr3: the CR3 user mode runs mm under (with or without
 * kpti), consuming a pending user-PCID flush. pti_enter_kernel / pti_exit_to_user: the CR3
 * switches of a kernel entry from the current task's user mode and of the return.
 */
int pti_pgd_alloc(struct mmsim_system *sys, pfn_t *pfn_out);
void pti_pgd_free(struct mmsim_system *sys, pfn_t pfn);
uint64_t pti_user_cr3(struct mmsim_system *sys, struct mm_struct *mm);
void pti_enter_kernel(struct mmsim_system *sys);
void pti_exit_to_user(struct mmsim_system *sys);

/*
 * A system call's entry and exit for task t, as one line at the top of the call: with
 * kpti and t the running task, the kernel CR3 on entry and the user CR3 again at whatever
 * return ends the call (the cleanup attribute runs pti_syscall_exit there).
 */
struct mmsim_system *pti_syscall_enter(struct mmsim_task *t);
void pti_syscall_exit(struct mmsim_system **entered);
#define PTI_SYSCALL(t)                                                                        \
	struct mmsim_system *pti_entered __attribute__((cleanup(pti_syscall_exit), unused)) = \
		pti_syscall_enter(t)

#endif
