/*
 * mm/fault.h: the page-fault handler (Linux: arch/x86/mm/fault.c do_user_addr_fault,
 * mm/memory.c handle_mm_fault and handle_pte_fault).
 *
 * The decision table, in order:
 *   no VMA (and no stack to grow)             -> SIGSEGV, SEGV_MAPERR
 *   the VMA forbids the access (access_error)  -> SIGSEGV, SEGV_ACCERR
 *   no PTE, private anonymous, read            -> map the shared zero page read-only
 *   no PTE, private anonymous, write           -> a new zeroed page
 *   no PTE, shared anonymous                   -> the object's page (new if a hole);
 *                                                 reads also map cached neighbours (fault-around)
 *   swap entry                                 -> swap-in (major fault)
 *   write to a read-only present PTE           -> copy-on-write: copy, or reuse when this
 *                                                 mapping is the page's only user
 *   otherwise (stale translation)              -> spurious: mark young, nothing else
 * The handler edits PTEs and invalidates the TLB entries it must; the caller retries the
 * access. Every handled fault is counted (pgfault; majflt or minflt for the task).
 */
#ifndef MMSIM_MM_FAULT_H
#define MMSIM_MM_FAULT_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/x86_64/types.h"

struct mm_core;
struct mm_struct;

enum fault_result {
	FAULT_HANDLED,	   /* retry the access */
	FAULT_SEGV_MAPERR, /* no mapping */
	FAULT_SEGV_ACCERR, /* mapping forbids the access */
	FAULT_OOM,	   /* no memory could be found for the fault */
	FAULT_SIGBUS,	   /* a shared mapping's page beyond its object's end (BUS_ADRERR) */
};

struct fault_info {
	bool major;	      /* the fault waited for I/O (swap-in) */
	const char *decision; /* the handler's decision in plain words */
};

enum fault_result fault_handle(struct mm_core *core, struct mm_struct *mm, vaddr_t va,
			       uint32_t error_code, struct fault_info *info);

/*
 * The same for a fault whose walk read the PTE at pte_addr (struct tlb_result's pte_addr):
 * the handler starts from it instead of walking mm's tables again, as Linux's handler
 * starts from the vmf->pte it found. 0 means unknown (then it is fault_handle()). The walk
 * ran on mm's tables (mm is current) and nothing has changed them since.
 */
enum fault_result fault_handle_pte(struct mm_core *core, struct mm_struct *mm, vaddr_t va,
				   uint32_t error_code, paddr_t pte_addr, struct fault_info *info);

/*
 * Fault in [start, end) of a VMA as get_user_pages would, for MAP_POPULATE and
 * mlock-like population: a write fault per page of a writable mapping, else a read fault.
 * Counts the faults to the caller. 0 or -ENOMEM. *nr_faults_out gets the count.
 */
int fault_populate(struct mm_core *core, struct mm_struct *mm, vaddr_t start, vaddr_t end,
		   uint64_t *nr_faults_out);

#endif
