/*
 * report/task_views.h: the per-process /proc files: /proc/PID/maps, /proc/PID/status and
 * /proc/PID/smaps, in Linux's formats (fs/proc/task_mmu.c, fs/proc/array.c).
 * Like fs/proc, they read an address space (struct mm_struct, mm/); they know nothing of
 * tasks: the API layer hands in the mm and the figures it exposes.
 */
#ifndef MMSIM_REPORT_TASK_VIEWS_H
#define MMSIM_REPORT_TASK_VIEWS_H

#include <stdbool.h>
#include <stdint.h>

struct mm_core;
struct mm_struct;
struct strbuf;

/* /proc/PID/maps of mm (nothing for NULL: a killed task). */
void report_maps(struct strbuf *sb, const struct mm_struct *mm);

/* /proc/PID/smaps: maps plus per-VMA page counts from mm's PTEs. */
void report_smaps(struct strbuf *sb, struct mm_core *core, struct mm_struct *mm);

/* What /proc/PID/status shows beyond the VMAs: the figures the API gives
 * (mmsim_task_stats()), filled by the caller. */
struct report_task_status {
	int pid;
	int ppid; /* 0: no parent in the machine (spawned, or the parent has exited) */
	int sid;  /* session and process group */
	bool alive;
	unsigned long totalram_pages; /* of the machine: sets RLIMIT_SIGPENDING (SigQ) */
	uint64_t vmsize_kb, hwm_kb, rss_kb, rss_anon_kb, rss_shmem_kb, rss_file_kb, vmpte_kb,
		swap_kb;
};

/* /proc/PID/status; mm NULL for a task without an address space (a zombie): as in Linux,
 * the memory lines are then left out. */
void report_status(struct strbuf *sb, const struct report_task_status *st,
		   const struct mm_struct *mm);

#endif
