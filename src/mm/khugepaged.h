/*
 * mm/khugepaged.h: khugepaged, the daemon that collapses ranges of 4 KiB anonymous pages
 * into transparent huge pages (Linux 6.12 mm/khugepaged.c).
 *
 * Processes join its list when a VMA of theirs becomes THP-eligible (khugepaged_enter_vma():
 * mmap, brk, MADV_HUGEPAGE, a huge-page fault, fork of a listed process) and leave it at
 * exit. Every scan_sleep_millisecs of simulated time it scans pages_to_scan pages' worth of
 * PMD ranges (khugepaged_do_scan(), khugepaged_scan_mm_slot(): 512 per 2 MiB range looked
 * at, 1 per VMA skipped), resuming where it stopped, and collapses a range when its PTE
 * table has at most max_ptes_none empty (or zero-page) entries, at most max_ptes_shared
 * pages mapped by another process, no swap entry (mmsim: Linux swaps up to max_ptes_swap
 * pages in first), at least one writable and one young entry
 * (hpage_collapse_scan_pmd(), collapse_huge_page()).
 *
 * Simulated time: each user access takes KHUGEPAGED_ACCESS_NS (1 us, as MGLRU's access_ns
 * default), and khugepaged_sleep() lets time pass without accesses (script `sleep MS`).
 * The daemon is woken, and scans at once, when the first process joins an empty list
 * (khugepaged_wait_work()), then every scan_sleep_millisecs.
 * State in host memory (the list of processes), owned by the mm_core.
 */
#ifndef MMSIM_MM_KHUGEPAGED_H
#define MMSIM_MM_KHUGEPAGED_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/x86_64/types.h"

struct mm_core;
struct mm_struct;
struct vma;

#define KHUGEPAGED_ACCESS_NS 1000u

/* /sys/kernel/mm/transparent_hugepage/khugepaged/ */
struct khugepaged_settings {
	uint32_t pages_to_scan;	  /* default HPAGE_PMD_NR * 8 = 4096 */
	uint32_t scan_sleep_ms;	  /* default 10000 */
	uint32_t max_ptes_none;	  /* default HPAGE_PMD_NR - 1 = 511 */
	uint32_t max_ptes_shared; /* default HPAGE_PMD_NR / 2 = 256 */
};

/* 0 or -ENOMEM. Installs the state in core->khugepaged. */
int khugepaged_init(struct mm_core *core, const struct khugepaged_settings *s);
void khugepaged_fini(struct mm_core *core);

/* khugepaged_enter_vma(): lists vma's process when vma may get huge pages. */
void khugepaged_enter_vma(struct mm_core *core, struct vma *vma);
/* khugepaged_fork(): the child joins when its parent is listed. */
void khugepaged_fork(struct mm_core *core, struct mm_struct *parent, struct mm_struct *child);
/* khugepaged_exit(): the process leaves the list. */
void khugepaged_exit(struct mm_core *core, struct mm_struct *mm);

/* Runs the scans that are due by now (called after an access when core->nr_accesses
 * reaches core->khugepaged_due). */
void khugepaged_run_due(struct mm_core *core);
/* Time passes without accesses: ms milliseconds; due scans run (at most
 * KHUGEPAGED_MAX_CATCHUP of them). */
#define KHUGEPAGED_MAX_CATCHUP 64u
void khugepaged_sleep(struct mm_core *core, uint64_t ms);

/* Processes listed (for tests). */
unsigned int khugepaged_nr_mms(const struct mm_core *core);

#endif
